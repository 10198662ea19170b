"""Collecting and printing the outcome of public checks."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

HIDDEN_NOTE = "Hidden tests with other inputs run at grading time."


class PublicCheckError(AssertionError):
    """Raised when a public check fails, so the notebook cell shows an error."""


@dataclass
class CheckReport:
    """Outcome of the public checks for one exercise.

    Use ``report.check(description, message_or_None)`` for each property, then ``finish()``.
    """

    name: str
    results: list = field(default_factory=list)  # (description, failure message or None)
    timed_out: bool = False  # a call ran past its time limit; later calls are skipped

    def check(self, description: str, failure: str | None) -> bool:
        self.results.append((description, failure))
        return failure is None

    @property
    def failures(self) -> list:
        return [(d, f) for d, f in self.results if f is not None]

    def render(self) -> str:
        passed = len(self.results) - len(self.failures)
        lines = []
        for description, failure in self.results:
            lines.append(f"  {'✓' if failure is None else '✗'} {description}")
            if failure is not None:
                lines.append(f"      {failure}")
        if self.failures:
            head = f"Public checks for {self.name}: {passed} of {len(self.results)} passed."
        else:
            head = f"Public checks for {self.name}: all {passed} passed. {HIDDEN_NOTE}"
        return "\n".join([head, *lines])

    def finish(self) -> None:
        """Print the report; raise PublicCheckError if any check failed.

        At grading time (nbgrader sets NBGRADER_EXECUTION=autograde) the report is printed but
        nothing is raised: the hidden tests that follow decide the score, with partial credit.
        """
        print(self.render())
        if self.failures and os.environ.get("NBGRADER_EXECUTION") != "autograde":
            first = self.failures[0]
            raise PublicCheckError(
                f"{len(self.failures)} public check(s) for {self.name} failed; "
                f"first: {first[0]}: {first[1]}"
            )
