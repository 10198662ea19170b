"""Grading the mutant catalog through the real pipeline and reporting the kill rate."""

from __future__ import annotations

import csv
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from autograder.mutants import Variant, catalog
from autograder.submissions import fill_answers, read_release, reference_answers, write_notebook


def _mentions(variant: Variant, question: str) -> bool:
    """Whether the variant's code calls ``question`` (a default like ``step=heaviside`` in
    its signature does not count: the hidden checks always pass ``step`` explicitly)."""
    body = "\n".join(line for line in variant.source.splitlines()
                     if not line.lstrip().startswith("def "))
    return re.search(rf"\b{re.escape(question)}\b", body) is not None


def pack(variants: list[Variant]) -> dict[Variant, str]:
    """Assign each variant to a submission (its student id), several variants per submission.

    Grading a notebook costs seconds, so variants of *different* questions share a submission:
    each answer cell of a packed submission holds one variant, and the hidden checks grade each
    question on the student's function alone. Two variants share a submission only if neither
    one's code calls the other's question (a correct ``predict`` calling a broken
    ``predict_proba`` would lose points that are not its own), so each variant is still judged
    on its own question, exactly as if it were the only change.
    """
    packs: dict[str, list[list[Variant]]] = {}
    assigned: dict[Variant, str] = {}
    for variant in variants:
        bins = packs.setdefault(variant.assignment, [])
        fits = [i for i, members in enumerate(bins)
                if all(m.question != variant.question and not _mentions(m, variant.question)
                       and not _mentions(variant, m.question) for m in members)]
        if not fits:
            bins.append([])
            fits = [len(bins) - 1]
        bins[fits[0]].append(variant)
        assigned[variant] = f"mutants-{variant.assignment[:2]}-{fits[0] + 1:02d}"
    return assigned


def write_mutant_class(dest, variants: list[Variant] | None = None) -> Path:
    """Packed submissions of the catalog (perfect notebooks with some answers replaced).

    Returns the submissions folder ``dest/submitted``.
    """
    variants = variants or catalog()
    submitted = Path(dest) / "submitted"
    if submitted.exists():
        shutil.rmtree(submitted)
    by_student: dict[tuple[str, str], dict[str, str]] = {}
    for variant, student in pack(variants).items():
        answers = by_student.setdefault((student, variant.assignment), {})
        answers[variant.question] = variant.source
    cache: dict[str, tuple] = {}
    for (student, assignment), replaced in sorted(by_student.items()):
        if assignment not in cache:
            cache[assignment] = (read_release(assignment), reference_answers(assignment))
        release, answers = cache[assignment]
        nb = fill_answers(release, {**answers, **replaced})
        write_notebook(nb, submitted / student / assignment / f"{assignment}.ipynb")
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
    variants = variants or catalog()
    students = pack(variants)
    for variant in variants:
        row = rows.get((students[variant], variant.assignment, f"test_{variant.question}"))
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
