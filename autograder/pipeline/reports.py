"""scores.csv and the summary printed at the end of a grading run.

scores.csv has one row per student, assignment and scored cell (grade and task cells), in the
order student, assignment, notebook, position in the notebook. ``score`` is what the gradebook
holds (a score entered by hand in formgrader wins over the automatic one), empty while a cell
waits for hand grading. ``status`` is one of:

    ok                  full marks
    partial             some of the points
    failed              no points (``message`` says why)
    needs_manual_grade  an answer to grade by hand in formgrader (empty score; message
                        "awaiting the instructor's grade", as in the feedback and summary)
    graded_by_hand      a score entered by hand
    not_answered        a hand-graded answer left as released (0, as nbgrader gives)
    not_submitted       the notebook (or the whole assignment) was not handed in (0)
    invalid             the notebook could not be read (0)
    crashed             the kernel died, hung or ran past the time limit (0)
    grading_error       nbgrader or this pipeline failed on the submission (0; exit status 1)
    tampering           the tamper scan found the checks being interfered with (0)
"""

from __future__ import annotations

import csv
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from autograder.feedback import AWAITING, awaiting_grade
from autograder.pipeline.autograde import NO_NOTEBOOK, STUDENT_FAILURES, JobResult
from autograder.pipeline.intake import (
    NOTEBOOK_INVALID,
    NOTEBOOK_MISSING,
    SubmissionIntake,
    cell_kind,
    nbgrader_id,
    scored_cells,
)
from autograder.pipeline.messages import answer_context
from autograder.pipeline.tamper_hook import finding_targets

COLUMNS = ["student_id", "assignment_id", "notebook_id", "grade_id", "score", "max_score",
           "status", "message"]


@dataclass
class ScoreRow:
    student_id: str
    assignment_id: str
    notebook_id: str
    grade_id: str
    score: float | None
    max_score: float
    status: str
    message: str

    def as_csv(self) -> list[str]:
        return [self.student_id, self.assignment_id, self.notebook_id, self.grade_id,
                fmt(self.score), fmt(self.max_score), self.status, self.message]


@dataclass
class Submission:
    """Everything known about one (student, assignment) at the end of a run."""

    student_id: str
    assignment_id: str
    intake: SubmissionIntake | None  # None: no folder handed in for this assignment
    result: JobResult | None
    rows: list[ScoreRow] = field(default_factory=list)

    @property
    def score(self) -> float:
        return sum(r.score or 0.0 for r in self.rows)

    @property
    def max_score(self) -> float:
        return sum(r.max_score for r in self.rows)

    @property
    def awaiting(self) -> list[ScoreRow]:
        """Rows whose points wait for the instructor's grade (counted as 0 in ``score``)."""
        return [r for r in self.rows if r.status == AWAITING_STATUS]

    @property
    def awaiting_points(self) -> float:
        return sum(r.max_score for r in self.awaiting)

    def issues(self) -> list[str]:
        found: list[str] = []
        if self.intake is None:
            return ["assignment not submitted"]
        for nb in self.intake.notebooks:
            found += nb.notes
            for notes in nb.cell_notes.values():
                found += [n for n in notes if n not in found]
        if self.result is not None and self.result.failure:
            found.append(self.result.failure)
        for finding in self.intake.findings:
            found.append(f"tampering: {finding.message}")
        slow = [r.grade_id for r in self.rows if "did not finish within" in r.message]
        for nb_messages in (self.result.messages.values() if self.result else ()):
            slow += [gid for gid, m in nb_messages.get("answers", {}).items()
                     if "did not finish within" in m and gid not in slow]
        if slow:
            found.append("cell time limit reached (" + ", ".join(slow) + ")")
        if self.awaiting:
            found.append(f"{AWAITING}: " + ", ".join(
                f"{r.grade_id} ({fmt(r.max_score)} {_points(r.max_score)})"
                for r in self.awaiting))
        return found


AWAITING_STATUS = "needs_manual_grade"


def fmt(value: float | None) -> str:
    if value is None:
        return ""
    text = f"{round(float(value), 4):g}"
    return "0" if text == "-0" else text


def _points(value: float) -> str:
    return "point" if value == 1 else "points"


def score_text(score: float, max_score: float, awaiting: float = 0.0) -> str:
    """"5.6 / 13", or "5.6 / 13 (+3 awaiting)" when 3 points wait for the instructor's grade
    (the same total as the feedback's "5.6 / 13, plus 3 points awaiting ...")."""
    text = f"{fmt(score)} / {fmt(max_score)}"
    return f"{text} (+{fmt(awaiting)} awaiting)" if awaiting else text


def read_grades(db: Path, student: str, assignment: str) -> dict[tuple[str, str], dict]:
    """(notebook id, grade id) -> auto/manual score, needs_manual_grade and max score."""
    with sqlite3.connect(db) as con:
        rows = con.execute(
            "SELECT n.name, bc.name, g.auto_score, g.manual_score, g.extra_credit,"
            " g.needs_manual_grade, COALESCE(gc.max_score, tc.max_score)"
            " FROM grade g"
            " JOIN submitted_notebook sn ON sn.id = g.notebook_id"
            " JOIN submitted_assignment sa ON sa.id = sn.assignment_id"
            " JOIN assignment a ON a.id = sa.assignment_id"
            " JOIN notebook n ON n.id = sn.notebook_id"
            " JOIN base_cell bc ON bc.id = g.cell_id"
            " LEFT JOIN grade_cells gc ON gc.id = bc.id"
            " LEFT JOIN task_cells tc ON tc.id = bc.id"
            " WHERE sa.student_id = ? AND a.name = ?", (student, assignment)).fetchall()
    return {(nb, gid): {"auto": auto, "manual": manual, "extra": extra or 0.0,
                        "needs_manual": bool(needs), "max": mx}
            for nb, gid, auto, manual, extra, needs, mx in rows}


def build_rows(sub: Submission, released: dict, grades: dict) -> list[ScoreRow]:
    """The scores.csv rows of one submission. ``released``: notebook id -> released nb."""
    rows = []
    for nb_id in sorted(released):
        rnb = released[nb_id]
        nb_intake = None
        if sub.intake is not None:
            try:
                nb_intake = sub.intake.notebook(nb_id)
            except KeyError:
                nb_intake = None
        tampered: dict[str, list[str]] = {}
        for finding in sub.intake.findings if sub.intake else ():
            if finding.notebook_id == nb_id:
                for gid in finding_targets(rnb, finding):
                    tampered.setdefault(gid, []).append(f"tampering: {finding.message}")
        result = sub.result
        messages = (result.messages.get(nb_id, {}) if result else {}) or {}
        context = answer_context(rnb, messages.get("answers", {}))
        for cell in scored_cells(rnb):
            gid = nbgrader_id(cell)
            kind = cell_kind(cell)
            max_score = float(cell.metadata.nbgrader.get("points", 0) or 0)
            notes = nb_intake.messages_for(gid) if nb_intake else []
            grade = grades.get((nb_id, gid))
            if grade is not None and grade["max"] is not None:
                max_score = float(grade["max"])
            row = ScoreRow(sub.student_id, sub.assignment_id, nb_id, gid, 0.0, max_score, "", "")
            extra: list[str] = []
            if sub.intake is None:
                row.status, extra = "not_submitted", [f"assignment {sub.assignment_id} not "
                                                      "submitted"]
            elif nb_intake is None or nb_intake.state == NOTEBOOK_MISSING:
                row.status = "not_submitted"
            elif nb_intake.state == NOTEBOOK_INVALID:
                row.status = "invalid"
            elif result is None or grade is None:
                row.status, extra = "grading_error", ["no grade in the gradebook"]
            elif result.failure:
                row.status = "crashed" if result.failure_kind in STUDENT_FAILURES \
                    else "grading_error"
                extra = [result.failure]
            elif result.state == NO_NOTEBOOK:
                row.status = "not_submitted"
            else:
                row.score, row.status, extra = _graded(kind, grade, max_score,
                                                       messages.get("cells", {}).get(gid, ""),
                                                       context.get(gid))
            if gid in tampered:
                # A score entered by hand after the finding (a false alarm) stands.
                if grade is None or grade["manual"] in (None, 0.0):
                    row.status, row.score = "tampering", 0.0
                extra = [*tampered[gid], *(m for m in extra if m != "ok")]
            parts = [*notes, *extra]
            row.message = "; ".join(dict.fromkeys(p for p in parts if p)) or "ok"
            rows.append(row)
    return rows


def _graded(kind: str, grade: dict, max_score: float, message: str,
            context: str | None) -> tuple[float | None, str, list[str]]:
    auto, manual, extra = grade["auto"], grade["manual"], grade["extra"]
    if kind in ("manual", "task"):
        if manual is not None:
            return manual + extra, "graded_by_hand", []
        # the same rule as the feedback's (autograder/feedback)
        if awaiting_grade(hand_graded=True, auto_score=auto, manual_score=manual,
                          needs_manual_grade=grade["needs_manual"]):
            return None, AWAITING_STATUS, [AWAITING]
        return auto + extra, "not_answered", ["no answer written"]
    if manual is not None:
        return manual + extra, "graded_by_hand", []
    score = (auto or 0.0) + extra
    if score >= max_score:
        return score, "ok", [message] if message else []
    lost = message or f"scored {fmt(score)} of {fmt(max_score)}"
    if context:
        lost += f" ({context})"
    return score, ("partial" if score > 0 else "failed"), [lost]


def write_scores(path: Path, rows: list[ScoreRow]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow(row.as_csv())


# --- the summary ----------------------------------------------------------------------------


def ascii_table(header: list[str], rows: list[list[str]], max_widths: list[int]) -> str:
    """A plain ASCII table; cells longer than their column's maximum are cut with '...'."""
    def cut(text: str, width: int) -> str:
        return text if len(text) <= width else text[: max(width - 3, 0)] + "..."

    cells = [[cut(str(c), w) for c, w in zip(r, max_widths, strict=True)]
             for r in [header, *rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    line = "+" + "+".join("-" * (w + 2) for w in widths) + "+"

    def render(r):
        return "|" + "|".join(f" {c:<{w}} " for c, w in zip(r, widths, strict=True)) + "|"

    out = [line, render(cells[0]), line, *(render(r) for r in cells[1:]), line]
    return "\n".join(out)


def summary(submissions: list[Submission]) -> str:
    """Per student and assignment: score / max (and points awaiting the instructor's grade)
    and the issues found; per-student totals."""
    by_student: dict[str, list[Submission]] = {}
    for sub in submissions:
        by_student.setdefault(sub.student_id, []).append(sub)
    rows = []
    for student in sorted(by_student):
        subs = sorted(by_student[student], key=lambda s: s.assignment_id)
        for sub in subs:
            issues = sub.issues()
            rows.append([student, sub.assignment_id,
                         score_text(sub.score, sub.max_score, sub.awaiting_points),
                         " | ".join(issues) if issues else "-"])
        if len(subs) > 1:
            total = sum(s.score for s in subs)
            top = sum(s.max_score for s in subs)
            waiting = sum(s.awaiting_points for s in subs)
            rows.append([student, "(total)", score_text(total, top, waiting),
                         f"{fmt(waiting)} {_points(waiting)} {AWAITING}" if waiting else ""])
    return ascii_table(["student", "assignment", "score", "issues"], rows, [24, 28, 28, 90])
