"""The mutant catalog through the real pipeline: every mutant caught, every alternative kept."""

import subprocess
import sys

import pytest

from autograder import REPO_ROOT
from autograder.mutants import catalog
from autograder.mutants.evaluate import read_outcomes, summary

pytestmark = pytest.mark.slow


def test_catalog_has_enough_variants_per_question():
    by_question = {}
    for variant in catalog():
        by_question.setdefault((variant.assignment, variant.question), []).append(variant)
    for key, variants in by_question.items():
        assert sum(not v.correct for v in variants) >= 5, key
        assert sum(v.correct for v in variants) >= 2, key
    assert len({v.student_id for v in catalog()}) == len(catalog())


# Grading the whole catalog through nbgrader takes about ten minutes on two cores, so the suite
# runs notebook 01's through the real pipeline; every notebook's variants are graded in-process
# by the hidden checks in tests/test_checks_*.py, and `python -m autograder mutants OUT` runs
# the whole catalog through the pipeline.
PIPELINE_ASSIGNMENT = "01_threshold_logic_unit"


def test_every_mutant_loses_points_and_every_alternative_keeps_them(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "autograder", "mutants", str(tmp_path), "--jobs", "2",
         "--assignment", PIPELINE_ASSIGNMENT],
        capture_output=True, text=True, cwd=REPO_ROOT,
    )
    variants = [v for v in catalog() if v.assignment == PIPELINE_ASSIGNMENT]
    outcomes = read_outcomes(tmp_path / "scores.csv", variants)
    report = summary(outcomes)
    print(report)  # the kill rate, shown with `pytest -s` and in CI logs on failure
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert all(o.as_expected for o in outcomes), report
