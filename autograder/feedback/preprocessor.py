"""``FeedbackGrades``: nbgrader's GetGrades, plus what the course's feedback template shows.

Per graded cell (``cell.metadata.nbgrader``): ``score`` and ``points`` as GetGrades sets them,
and ``feedback_name`` (the exercise's name), ``awaiting_grade`` (no hand grade yet),
``graded_by_hand``. Per notebook (``resources["nbgrader"]``): ``awaiting_points`` and
``awaiting_cells``. The bare score a test cell returns (its ``execute_result``, read by nbgrader
as partial credit) is removed from the copy that is rendered: the header shows it as
"Score: x / y". The autograded notebook on disk is not changed.
"""

from __future__ import annotations

from nbgrader import utils
from nbgrader.preprocessors import GetGrades

from autograder.feedback import awaiting_grade, exercise_name


def is_test_cell(cell) -> bool:
    """An autograded test cell: a grade cell that is not the student's answer."""
    return cell.cell_type == "code" and utils.is_grade(cell) and not utils.is_solution(cell)


class FeedbackGrades(GetGrades):
    """GetGrades, plus exercise names, pending hand grades and test cells without Out[n]."""

    def preprocess(self, nb, resources):
        resources["nbgrader"]["awaiting_points"] = 0.0
        resources["nbgrader"]["awaiting_cells"] = []
        return super().preprocess(nb, resources)

    def _get_score(self, cell, resources) -> None:
        super()._get_score(cell, resources)
        meta = cell.metadata.nbgrader
        grade = self.gradebook.find_grade(meta["grade_id"], self.notebook_id,
                                          self.assignment_id, self.student_id)
        test = is_test_cell(cell)
        hand = not test and (utils.is_solution(cell) or utils.is_task(cell))
        meta["feedback_name"] = exercise_name(meta["grade_id"], test_cell=test)
        meta["graded_by_hand"] = grade.manual_score is not None
        meta["awaiting_grade"] = awaiting_grade(
            hand_graded=hand, auto_score=grade.auto_score, manual_score=grade.manual_score,
            needs_manual_grade=grade.needs_manual_grade)
        if meta["awaiting_grade"]:
            resources["nbgrader"]["awaiting_points"] += float(grade.max_score or 0.0)
            resources["nbgrader"]["awaiting_cells"].append(meta["grade_id"])

    def preprocess_cell(self, cell, resources, cell_index):
        cell, resources = super().preprocess_cell(cell, resources, cell_index)
        if is_test_cell(cell):
            cell.outputs = [o for o in cell.get("outputs", [])
                            if o.get("output_type") != "execute_result"]
        return cell, resources
