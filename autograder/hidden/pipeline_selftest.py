"""The grader of the test suite's one-function assignment (tests/test_pipeline_units.py):
``double(x)`` returns 2 * x. It exercises the grading pipeline, not the course."""

from __future__ import annotations

from autograder.hidden.scoring import Question


def grade_double(double, points: float = 2) -> float:
    """double(3) and double(5), compared with 6 and 10."""
    question = Question("double", points)
    if question.require_callable(double):
        for x in (3, 5):
            question.call_case(f"x = {x}", double, (x,), names=["x"], expected=2 * x,
                               call=f"double({x})")
    return question.score()
