"""One demo student's hand-in for one assignment, and what it deserves."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from autograder.submissions import read_release

# An expected score: a number, or LOSES_POINTS for "strictly less than the maximum" where the
# exact partial credit is the mutant catalog's business.
LOSES_POINTS = "loses points"


@dataclass
class Submission:
    """How the notebook is made (from the released one) and the score each question deserves."""

    story: str
    build: Callable | None  # release notebook -> submitted notebook; None: nothing submitted
    expected: dict = field(default_factory=dict)  # answer grade_id -> score or LOSES_POINTS
    filename: str | None = None  # default: <assignment>.ipynb
    raw: bytes | None = None  # written as-is instead of a notebook

    def write(self, submitted: Path, student_id: str, assignment: str) -> None:
        folder = Path(submitted) / student_id / assignment
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / (self.filename or f"{assignment}.ipynb")
        if self.raw is not None:
            path.write_bytes(self.raw)
        elif self.build is not None:
            nbformat.write(self.build(read_release(assignment)), path)
