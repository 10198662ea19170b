"""The feedback a student reads: nbgrader's ``generate_feedback`` with the course's template.

``apply_feedback_settings(c)`` points nbgrader's HTML exporter at templates/dlf_feedback/ and
replaces nbgrader's GetGrades preprocessor by ``FeedbackGrades`` (preprocessor.py), which adds
what the template shows:

- each graded cell is named by its exercise (grade id ``test_heaviside`` -> "heaviside";
  written answers and tasks by their grade id, "explain_xor");
- a hand-graded answer without a hand grade yet is "awaiting the instructor's grade" (not
  "0 / 3"), and the notebook's total says how many points are awaiting one;
- the score a test cell returns (its last value, nbgrader's partial credit) is not shown as an
  ``Out[n]:`` after the messages: it is the "Score: x / y" in the cell's header;
- output text wraps (long "expected ..., got ..." lines are not cut off at the right edge).

This module is imported by reports.py (the same wording and rule in scores.csv and the summary)
and by nbgrader_config.py files: it imports neither nbgrader nor nbconvert.
"""

from __future__ import annotations

from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATE_NAME = "dlf_feedback"
AWAITING = "awaiting the instructor's grade"
TEST_PREFIX = "test_"


def exercise_name(grade_id: str, *, test_cell: bool = True) -> str:
    """What a graded cell is called in feedback: the exercise a test cell checks
    (``test_heaviside`` -> ``heaviside``); other cells (written answers, tasks) by grade id."""
    if test_cell and grade_id.startswith(TEST_PREFIX) and len(grade_id) > len(TEST_PREFIX):
        return grade_id[len(TEST_PREFIX):]
    return grade_id


def awaiting_grade(*, hand_graded: bool, auto_score, manual_score, needs_manual_grade) -> bool:
    """Whether a cell's points wait for the instructor: a written answer or task (graded by
    hand) with no score entered by hand yet, that nbgrader did not score itself (it gives 0 to
    an answer left as released: that is "not answered", not pending)."""
    if not hand_graded or manual_score is not None:
        return False
    return bool(needs_manual_grade) or auto_score is None


def fmt_points(value) -> str:
    """Points as people write them: 2, 0.6, 1.25 (never 2.0 or -0)."""
    text = f"{round(float(value or 0.0), 4):g}"
    return "0" if text == "-0" else text


def apply_feedback_settings(c) -> None:
    """Fill nbgrader's config object ``c`` so that ``nbgrader generate_feedback`` writes the
    course's feedback (call it from apply_grading_settings, or from an nbgrader_config.py)."""
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor

    from autograder.feedback.preprocessor import FeedbackGrades

    c.HTMLExporter.template_name = TEMPLATE_NAME
    c.HTMLExporter.extra_template_basedirs = [str(TEMPLATES)]
    c.HTMLExporter.filters = {"points": fmt_points}
    c.GenerateFeedback.preprocessors = [FeedbackGrades, CSSHTMLHeaderPreprocessor]
