"""Grading the mutant catalog through the real pipeline and reporting the kill rate."""

from __future__ import annotations

import csv
import shutil
from dataclasses import dataclass
from pathlib import Path

from autograder.mutants import Variant, catalog
from autograder.submissions import fill_answers, read_release, reference_answers, write_notebook


def write_mutant_class(dest, variants: list[Variant] | None = None) -> Path:
    """One submission per variant (a perfect notebook with one answer replaced).

    Returns the submissions folder ``dest/submitted``.
    """
    submitted = Path(dest) / "submitted"
    if submitted.exists():
        shutil.rmtree(submitted)
    cache: dict[str, tuple] = {}
    for variant in variants or catalog():
        if variant.assignment not in cache:
            cache[variant.assignment] = (read_release(variant.assignment),
                                         reference_answers(variant.assignment))
        release, answers = cache[variant.assignment]
        nb = fill_answers(release, {**answers, variant.question: variant.source})
        path = submitted / variant.student_id / variant.assignment / f"{variant.assignment}.ipynb"
        write_notebook(nb, path)
    return submitted


@dataclass
class Outcome:
    variant: Variant
    score: float
    max_score: float
    message: str

    @property
    def as_expected(self) -> bool:
        """Mutants must lose points on their question; alternatives must keep them all."""
        if self.variant.correct:
            return self.score >= self.max_score
        return self.score < self.max_score


def read_outcomes(scores_csv, variants: list[Variant] | None = None) -> list[Outcome]:
    """Match each variant with its question's row in the pipeline's scores.csv."""
    rows = {}
    with open(scores_csv, newline="") as handle:
        for row in csv.DictReader(handle):
            rows[(row["student_id"], row["assignment_id"], row["grade_id"])] = row
    outcomes = []
    for variant in variants or catalog():
        row = rows.get((variant.student_id, variant.assignment, f"test_{variant.question}"))
        if row is None:
            outcomes.append(Outcome(variant, float("nan"), float("nan"), "no score recorded"))
            continue
        score = float(row["score"]) if row["score"] else float("nan")
        outcomes.append(Outcome(variant, score, float(row["max_score"]), row["message"]))
    return outcomes


def summary(outcomes: list[Outcome]) -> str:
    """Kill rate (mutants that lost points) and keep rate (alternatives at full marks)."""
    mutants = [o for o in outcomes if not o.variant.correct]
    alternatives = [o for o in outcomes if o.variant.correct]
    killed = sum(o.as_expected for o in mutants)
    kept = sum(o.as_expected for o in alternatives)
    lines = []
    for o in outcomes:
        verdict = "ok  " if o.as_expected else "FAIL"
        kind = "alternative" if o.variant.correct else "mutant"
        lines.append(f"{verdict} {kind:11s} {o.variant.assignment[:2]} {o.variant.question:12s} "
                     f"{o.variant.name:28s} {o.score:g}/{o.max_score:g}")
    lines.append(f"mutants caught: {killed}/{len(mutants)} "
                 f"({100 * killed / max(len(mutants), 1):.0f} %)")
    lines.append(f"alternatives at full marks: {kept}/{len(alternatives)} "
                 f"({100 * kept / max(len(alternatives), 1):.0f} %)")
    return "\n".join(lines)
