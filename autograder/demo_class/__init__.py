"""The demo class: synthetic students whose submissions exercise every grading path.

``write_demo_class(dest)`` materialises ``dest/submitted/<student>/<assignment>/<nb>.ipynb``
from the current released notebooks and reference answers, so the demo never drifts from the
course. Everyone hands in notebooks 01-03, where every grading path is shown; later notebooks
come from a few students (``ROSTER``), like a class that thins out, which keeps the demo quick
to grade (notebook 07 trains a network per submission). ``expected_scores()`` gives the score
each submission deserves per question (a number, or LOSES_POINTS), which the test suite checks
after grading the class through the real pipeline.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from autograder import ASSIGNMENTS
from autograder.demo_class import generic, threshold_logic_unit
from autograder.demo_class.submission import LOSES_POINTS, Submission

__all__ = ["LOSES_POINTS", "STUDENTS", "DemoStudent", "expected_scores", "write_demo_class"]


@dataclass
class DemoStudent:
    student_id: str
    submissions: dict[str, Submission]  # assignment id -> hand-in

    @property
    def story(self) -> str:
        return "; ".join(f"{a[:2]}: {s.story}" for a, s in self.submissions.items())


# Who hands in the later notebooks (default: everyone). The roles of 01-03 cover every grading
# path; later notebooks show full marks and some points lost, and 04 (quick to grade) also an
# untouched notebook and a function that raises. 05-07 import TensorFlow: 25-65 s each.
ROSTER = {
    "04_multilayer_perceptron": ("ada", "ben", "cleo", "dan"),
    "05_backpropagation": ("ada", "ben"),
    "06_regularization": ("ada", "ben"),
    "07_keras_dna_motifs": ("ada", "ben"),
}


def _students() -> list[DemoStudent]:
    by_assignment = {}
    for assignment in ASSIGNMENTS:
        if assignment == threshold_logic_unit.ASSIGNMENT:
            by_assignment[assignment] = threshold_logic_unit.SUBMISSIONS
        else:
            by_assignment[assignment] = generic.submissions(assignment)
    ids = list(threshold_logic_unit.SUBMISSIONS)
    return [DemoStudent(i, {a: subs[i] for a, subs in by_assignment.items()
                            if i in ROSTER.get(a, ids)})
            for i in ids]


STUDENTS = _students()


def write_demo_class(dest) -> Path:
    """Write every demo student's submissions under ``dest/submitted``; return that folder."""
    submitted = Path(dest) / "submitted"
    if submitted.exists():
        shutil.rmtree(submitted)
    for student in STUDENTS:
        for assignment, submission in student.submissions.items():
            submission.write(submitted, student.student_id, assignment)
    return submitted


def expected_scores() -> dict[tuple[str, str, str], float | str]:
    """{(student_id, assignment_id, answer grade_id): expected score or LOSES_POINTS}."""
    return {(student.student_id, assignment, grade_id): score
            for student in STUDENTS
            for assignment, submission in student.submissions.items()
            for grade_id, score in submission.expected.items()}
