"""The tamper scan hook.

``autograder.tamper.scan_notebook(nb) -> list[Finding]`` (Finding: ``grade_id``, str or None
for the whole notebook, and ``message``) runs on each intake'd notebook when that module
exists. A finding sets the score of its cell (or of every autograded cell of the notebook) to
0 in OUT's gradebook, as a manual score so that nbgrader's export and feedback show it, and
its message goes to scores.csv with status ``tampering``. Findings are applied when a
submission's grades are (re)written, so a score an instructor later enters by hand in
formgrader (a false alarm) survives later runs.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from autograder.pipeline.intake import (
    Finding,
    SubmissionIntake,
    cell_kind,
    nbgrader_id,
    related_scored_ids,
)
from autograder.pipeline.workspace import COURSE_ID


def load_scanner():
    """``autograder.tamper.scan_notebook``, or None while that module does not exist."""
    try:
        module = importlib.import_module("autograder.tamper")
    except ModuleNotFoundError as exc:
        if exc.name in ("autograder.tamper",):
            return None
        raise
    return getattr(module, "scan_notebook", None)


def finding_targets(released, finding: Finding) -> list[str]:
    """Scored grade ids that a finding zeroes: its own cell; for an answer cell, the tests
    that grade it; for the whole notebook (or an unknown id), every autograded test cell."""
    kinds = {nbgrader_id(c): cell_kind(c) for c in released.cells if nbgrader_id(c)}
    gid = finding.grade_id
    if gid in kinds and kinds[gid] in ("test", "manual", "task"):
        return [gid]
    if gid in kinds and kinds[gid] == "answer":
        related = related_scored_ids(released, gid)
        if related:
            return related
    return [g for g, kind in kinds.items() if kind == "test"]


def apply_findings(db: Path, intakes: list[SubmissionIntake],
                   released: dict[str, dict]) -> int:
    """Zero the cells that tamper findings point at; returns how many grades were set.

    ``released`` maps assignment id -> {notebook id -> released notebook}.
    """
    from nbgrader.api import Gradebook, MissingEntry

    changed = 0
    with Gradebook(f"sqlite:///{db}", COURSE_ID) as gb:
        for intake in intakes:
            for finding in intake.findings:
                nb = released[intake.assignment_id].get(finding.notebook_id)
                if nb is None:
                    continue
                for gid in finding_targets(nb, finding):
                    try:
                        grade = gb.find_grade(gid, finding.notebook_id, intake.assignment_id,
                                              intake.student_id)
                    except MissingEntry:
                        continue
                    grade.manual_score = 0.0
                    grade.needs_manual_grade = False
                    changed += 1
        gb.db.commit()
    return changed
