"""The demo class: synthetic students whose submissions exercise every grading path.

``write_demo_class(dest)`` materialises ``dest/submitted/<student>/<assignment>/<nb>.ipynb``
from the current released notebooks and reference answers, so the demo never drifts from the
course. ``EXPECTED`` gives the score each student deserves per graded cell, with the reason; the
test suite grades the class through the real pipeline and compares.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from autograder.demo_class.threshold_logic_unit import STUDENTS

__all__ = ["STUDENTS", "write_demo_class", "expected_scores"]


def write_demo_class(dest) -> Path:
    """Write every demo student's submissions under ``dest/submitted``; return that folder."""
    submitted = Path(dest) / "submitted"
    if submitted.exists():
        shutil.rmtree(submitted)
    for student in STUDENTS:
        student.write(submitted)
    return submitted


def expected_scores() -> dict[tuple[str, str, str], float]:
    """{(student_id, assignment_id, grade_id): expected auto score} for autograded cells."""
    expected = {}
    for student in STUDENTS:
        for grade_id, score in student.expected.items():
            expected[(student.student_id, student.assignment, grade_id)] = score
    return expected
