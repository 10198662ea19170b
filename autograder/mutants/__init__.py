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
    """All variants of all notebooks, in course order.

    Every module of this package except ``evaluate`` is one notebook's catalog and defines
    ``VARIANTS``; they are found by name, so a new notebook's catalog needs no registration."""
    import importlib
    import pkgutil

    variants = []
    for info in pkgutil.iter_modules(__path__):
        if info.name != "evaluate":
            variants += importlib.import_module(f"{__name__}.{info.name}").VARIANTS
    return sorted(variants, key=lambda v: v.assignment)  # stable: keeps each module's order
