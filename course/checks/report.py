"""Collecting and printing the outcome of public checks."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from course.harness import STUB_HINT

HIDDEN_NOTE = "Hidden tests with other inputs run at grading time."


class PublicCheckError(AssertionError):
    """Raised when a public check fails, so the notebook cell shows an error.

    In IPython (Jupyter, Colab) it shows as its one line: the ✓/✗ list printed above it says
    what failed, and a traceback through the checks' own code would only hide that.
    """

    def _render_traceback_(self):
        return [f"{type(self).__name__}: {self}"]


@dataclass
class CheckReport:
    """Outcome of the public checks for one exercise.

    Use ``report.check(description, message_or_None)`` for each property, then ``finish()``.
    A function that still raises NotImplementedError (the stub) counts as not written: the
    report says so in one line and counts nothing as passed.
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

    @property
    def not_written(self) -> bool:
        """Whether the answer is still the stub (some call raised NotImplementedError)."""
        return any(STUB_HINT in failure for _, failure in self.failures)

    def render(self) -> str:
        if self.not_written:
            return f"Public checks for {self.name}: {STUB_HINT}, then run this cell again."
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

    def summary(self) -> str:
        """The one line under the list: what to do next."""
        if self.not_written:
            # the line above already says what to do: this one only names the state
            return f"{self.name} is not written yet (see above)."
        failed = len(self.failures)
        return (f"{failed} of {len(self.results)} public checks for {self.name} failed "
                f"(✗ above): fix the first one, then run this cell again.")

    def finish(self) -> None:
        """Print the report; raise PublicCheckError (shown as one line) if any check failed.

        At grading time (nbgrader sets NBGRADER_EXECUTION=autograde) the report is printed but
        nothing is raised: the hidden tests that follow decide the score, with partial credit.
        """
        print(self.render())
        if self.failures and os.environ.get("NBGRADER_EXECUTION") != "autograde":
            raise PublicCheckError(self.summary())
