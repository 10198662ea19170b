"""The mutant catalog: plausible wrong answers (mutants) and correct alternatives.

Every mutant must lose points on its own question and every alternative must keep full marks,
when graded through the real pipeline (``python -m autograder mutants OUT``; the test suite
runs it too). A variant replaces one answer cell of an otherwise perfect submission; variants of
independent questions share a submission to keep grading fast (see ``evaluate.pack``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Variant:
    """One answer to one question: ``correct`` says whether it deserves full marks."""

    assignment: str
    question: str  # the answer cell's grade_id
    name: str  # short slug, unique within the question
    source: str  # the whole answer cell
    correct: bool
    why: str  # what the mistake is, or why the alternative is right

    @property
    def student_id(self) -> str:
        kind = "alt" if self.correct else "mut"
        return f"{self.assignment[:2]}-{self.question}-{kind}-{self.name}"


def catalog() -> list[Variant]:
    """All variants of all notebooks, in course order."""
    from autograder.mutants import logistic_regression, perceptron, threshold_logic_unit

    return [*threshold_logic_unit.VARIANTS, *logistic_regression.VARIANTS, *perceptron.VARIANTS]
