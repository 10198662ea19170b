"""Scoring one question: run cases, collect failure messages, return the points earned."""

from __future__ import annotations

import zlib

import numpy as np

from course.harness import call_safely, compare, finite_float
from course.validation import describe

CASE_TIME_LIMIT = 2.0  # seconds per call into student code


def rng_for(name: str) -> np.random.Generator:
    """A generator seeded by the question's name: fresh inputs, identical on every run."""
    return np.random.default_rng(zlib.crc32(name.encode()))


class Question:
    """Collects pass/fail per case for one graded name and turns it into partial credit."""

    def __init__(self, name: str, points: float):
        self.name = name
        self.points = float(points)
        self.outcomes: list[tuple[str, str | None]] = []
        self.stopped: str | None = None  # why remaining cases were skipped

    def record(self, label: str, failure: str | None) -> bool:
        if self.stopped is not None and failure is None:
            failure = f"skipped: {self.stopped}"
        self.outcomes.append((label, failure))
        return failure is None

    def works(self) -> bool:
        """Whether any case so far passed. Credit for rejecting bad input needs code that works
        on good input: a function that raises on everything would otherwise earn it."""
        return any(failure is None for _, failure in self.outcomes)

    NOT_WORKING = ("skipped: no valid input gave a right answer, so rejecting bad input "
                   "earns nothing yet")

    def require_callable(self, func) -> bool:
        """The 'defined' stage: the answer must be a function."""
        if callable(func):
            return True
        self.stopped = f"{self.name} is not a function"
        self.record("defined", f"{self.name} should be a function, got {describe(func)}")
        return False

    def call(self, func, args, *, names, call, time_limit=CASE_TIME_LIMIT):
        """Call ``func(*args)`` safely; return (CallResult, failure message or None).

        For checks that compare more than one returned array: inspect ``result.value``.
        """
        result = call_safely(func, *args, arg_names=names, time_limit=time_limit)
        if result.timed_out:
            self.stopped = "an earlier call did not return in time"
        failure = result.problem(call)
        if failure is None and result.mutated:
            failure = f"{call} modified its argument {', '.join(result.mutated)}; it must not"
        return result, failure

    def call_case(self, label, func, args, *, names, expected, call, context=None,
                  rtol=1e-5, atol=1e-8, kinds="iuf", time_limit=CASE_TIME_LIMIT) -> bool:
        """Call ``func(*args)`` within a time limit and compare with ``expected``."""
        if self.stopped is not None:
            return self.record(label, f"skipped: {self.stopped}")
        result, failure = self.call(func, args, names=names, call=call, time_limit=time_limit)
        if failure is None:
            failure = compare(result.value, expected, what=call, context=context,
                              rtol=rtol, atol=atol, kinds=kinds)
        return self.record(label, failure)

    def score(self) -> float:
        """Print the verdict (one line per failing case) and return the points as a float."""
        total = len(self.outcomes)
        passed = sum(failure is None for _, failure in self.outcomes)
        earned = finite_float(round(self.points * passed / total, 4)) if total else 0.0
        earned = min(max(earned, 0.0), self.points)
        print(f"Hidden tests for {self.name}: {passed} of {total} cases passed "
              f"-> {earned:g} of {self.points:g} points.")
        for label, failure in self.outcomes:
            if failure is not None:
                print(f"✗ {label}: {failure}")
        return earned
