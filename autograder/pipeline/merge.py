"""Merging the gradebook of one grading job into OUT's gradebook.

nbgrader's ids are random UUIDs. The job gradebooks are copies of a template made from OUT's
gradebook, so assignment, notebook and cell ids usually agree; the merge still maps them by
name (assignment name; notebook name; cell name and type), so results that an earlier run
left in .work/ merge correctly even when OUT's gradebook was rebuilt since.

A submission is the rows of ``submitted_assignment``, ``submitted_notebook``, ``grade`` and
``comment`` (plus the ``student`` row). Merging first deletes that student's earlier
submission of the assignment from OUT's gradebook, so grading a folder twice gives the same
gradebook. A submission that is already there with the same id (a job result reused as is)
is left alone, which keeps grades and comments entered by hand in formgrader.

A job's gradebook is untrusted input (the student's code ran next to it). It is opened
read-only (``mode=ro``, ``PRAGMA trusted_schema=OFF``, ``query_only``) and refused when it
holds triggers or views; only the values the grade needs are read, checked and written into
OUT's gradebook with fresh row ids: per scored cell the automatic score (a finite number,
clamped to [0, the cell's points in OUT's gradebook]; anything else counts 0) and whether it
needs hand grading; per answer cell the automatic comment (text, clipped); the submission's
timestamp (a valid date, else none) and per notebook the flag and late penalty (checked).
Hand-grading columns (manual score, extra credit, manual comment, extension) and the student's
names are never taken from a job. The structure must match OUT's gradebook exactly (the same
notebooks and cells), else MergeError.
"""

from __future__ import annotations

import datetime
import math
import re
import sqlite3
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from autograder.pipeline.workspace import delete_submission_rows, open_readonly, schema_problem

MAX_COMMENT_CHARS = 20_000
_SUBMISSION_ID = re.compile(r"^[0-9a-f]{32}$")
GRADED_TYPES = ("GradeCell", "TaskCell")  # base_cell.type of cells with a grade row
COMMENTED_TYPES = ("SolutionCell", "TaskCell")  # ... with a comment row


class MergeError(RuntimeError):
    """The job's gradebook does not fit OUT's gradebook, or is refused."""


def _one(con, sql, args=()):
    row = con.execute(sql, args).fetchone()
    return row[0] if row else None


def delete_student_submission(con: sqlite3.Connection, student: str, assignment: str) -> bool:
    """Remove ``student``'s submission of ``assignment`` from the gradebook open in ``con``."""
    sa_id = _one(con, "SELECT sa.id FROM main.submitted_assignment sa JOIN main.assignment a"
                      " ON a.id = sa.assignment_id WHERE sa.student_id = ? AND a.name = ?",
                 (student, assignment))
    if sa_id is None:
        return False
    delete_submission_rows(con, sa_id)
    return True


# --- checking values ------------------------------------------------------------------------


def clean_score(value, max_score: float) -> float | None:
    """A job's automatic score: None stays None (not scored yet); a finite number is clamped
    to [0, ``max_score``]; anything else (NaN, infinities, text, blobs) counts 0."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return 0.0
    value = float(value)
    if not math.isfinite(value):
        return 0.0
    return min(max(value, 0.0), float(max_score))


def clean_flag(value, default: bool) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    return default


def clean_comment(value) -> str | None:
    if not isinstance(value, str):
        return None
    return value[:MAX_COMMENT_CHARS]


def clean_timestamp(value) -> str | None:
    """A submission timestamp as SQLAlchemy stores it (``YYYY-MM-DD HH:MM:SS.ffffff``)."""
    if not isinstance(value, str) or len(value) > 64:
        return None
    try:
        ts = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    if ts.tzinfo is not None or not 1900 <= ts.year <= 9000:
        return None
    return ts.strftime("%Y-%m-%d %H:%M:%S.%f")


def clean_penalty(value, max_score: float) -> float | None:
    if value is None or isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    value = float(value)
    if not math.isfinite(value):
        return None
    return min(max(value, 0.0), float(max_score))


# --- reading a job's gradebook --------------------------------------------------------------


@dataclass
class JobSubmission:
    """What a job's gradebook says about one submission, as read (not yet checked)."""

    submission_id: str
    timestamp: object
    notebooks: dict[str, tuple] = field(default_factory=dict)  # name -> (flagged, penalty)
    grades: dict[tuple[str, str, str], tuple] = field(default_factory=dict)
    comments: dict[tuple[str, str, str], object] = field(default_factory=dict)


def read_job_submission(job_db: Path, student: str, assignment: str) -> JobSubmission:
    """Read ``student``'s submission of ``assignment`` from the job gradebook ``job_db``."""
    if not Path(job_db).is_file() or Path(job_db).is_symlink():
        raise MergeError(f"no job gradebook {job_db}")
    try:
        con = open_readonly(job_db)
    except sqlite3.Error as exc:
        raise MergeError(f"cannot open the job gradebook {job_db}: {exc}") from None
    try:
        problem = schema_problem(con)
        if problem:
            raise MergeError(f"the job gradebook {job_db} is refused: {problem}")
        rows = con.execute(
            "SELECT sa.id, sa.timestamp FROM submitted_assignment sa JOIN assignment a"
            " ON a.id = sa.assignment_id WHERE sa.student_id = ? AND a.name = ?",
            (student, assignment)).fetchall()
        if len(rows) != 1:
            raise MergeError(f"{len(rows)} submissions of {assignment} by {student} in "
                             f"{job_db} (expected 1)")
        sa_id, timestamp = rows[0]
        if not isinstance(sa_id, str) or not _SUBMISSION_ID.match(sa_id):
            raise MergeError(f"the submission id in {job_db} is not an nbgrader id")
        job = JobSubmission(sa_id, timestamp)
        for name, flagged, penalty in con.execute(
                "SELECT n.name, sn.flagged, sn.late_submission_penalty"
                " FROM submitted_notebook sn JOIN notebook n ON n.id = sn.notebook_id"
                " WHERE sn.assignment_id = ?", (sa_id,)):
            if name in job.notebooks:
                raise MergeError(f"notebook {name} is submitted twice in {job_db}")
            job.notebooks[name] = (flagged, penalty)
        for table, columns, into in (("grade", "r.auto_score, r.needs_manual_grade", job.grades),
                                     ("comment", "r.auto_comment", job.comments)):
            for nb_name, cell_name, cell_type, *values in con.execute(
                    f"SELECT n.name, bc.name, bc.type, {columns} FROM {table} r"
                    " JOIN submitted_notebook sn ON sn.id = r.notebook_id"
                    " JOIN notebook n ON n.id = sn.notebook_id"
                    " JOIN base_cell bc ON bc.id = r.cell_id AND bc.notebook_id = n.id"
                    " WHERE sn.assignment_id = ?", (sa_id,)):
                key = (nb_name, cell_name, cell_type)
                if key in into:
                    raise MergeError(f"two {table}s for cell {cell_name} in {job_db}")
                into[key] = tuple(values) if len(values) > 1 else values[0]
            dangling = _one(con, f"SELECT count(*) FROM {table} r JOIN submitted_notebook sn"
                                 " ON sn.id = r.notebook_id WHERE sn.assignment_id = ?",
                            (sa_id,))
            if dangling != len(into):
                raise MergeError(f"{student}/{assignment}: {table}s in {job_db} point at "
                                 "cells of other notebooks or at no cell")
        return job
    except sqlite3.Error as exc:
        raise MergeError(f"cannot read the job gradebook {job_db}: {exc}") from None
    finally:
        con.close()


def _main_cells(con, assignment_id: str, types) -> dict[tuple[str, str, str], tuple]:
    """(notebook name, cell name, type) -> (notebook id, cell id, max score) in OUT's db."""
    marks = ", ".join("?" for _ in types)
    rows = con.execute(
        "SELECT n.name, bc.name, bc.type, n.id, bc.id, COALESCE(gc.max_score, tc.max_score)"
        " FROM main.base_cell bc JOIN main.notebook n ON n.id = bc.notebook_id"
        " LEFT JOIN main.grade_cells gc ON gc.id = bc.id"
        " LEFT JOIN main.task_cells tc ON tc.id = bc.id"
        f" WHERE n.assignment_id = ? AND bc.type IN ({marks})", (assignment_id, *types))
    return {(nb, cell, kind): (nb_id, cell_id, mx) for nb, cell, kind, nb_id, cell_id, mx in rows}


def _open_main(main_db: Path) -> sqlite3.Connection:
    con = sqlite3.connect(main_db)
    con.execute("PRAGMA trusted_schema=OFF")
    problem = schema_problem(con)
    if problem:
        con.close()
        raise MergeError(f"OUT's gradebook {main_db} is refused: {problem} (the next run "
                         "moves it aside and rebuilds it)")
    return con


def merge_submission(main_db: Path, job_db: Path, student: str, assignment: str) -> bool:
    """Copy ``student``'s submission of ``assignment`` from ``job_db`` into ``main_db``.

    Returns False when ``main_db`` already holds that very submission (nothing done).
    Raises MergeError when the job's gradebook is refused or does not match (other
    notebooks or cells); nothing is written then.
    """
    job = read_job_submission(job_db, student, assignment)
    con = _open_main(main_db)
    try:
        main_aid = _one(con, "SELECT id FROM main.assignment WHERE name = ?", (assignment,))
        if main_aid is None:
            raise MergeError(f"assignment {assignment} is not in {main_db}")
        if _one(con, "SELECT 1 FROM main.submitted_assignment WHERE id = ? AND student_id = ?"
                     " AND assignment_id = ?", (job.submission_id, student, main_aid)):
            return False
        notebooks = dict(con.execute("SELECT name, id FROM main.notebook"
                                     " WHERE assignment_id = ?", (main_aid,)).fetchall())
        if set(notebooks) != set(job.notebooks):
            raise MergeError(f"{student}/{assignment}: notebooks differ between {job_db} "
                             f"and {main_db}")
        graded = _main_cells(con, main_aid, GRADED_TYPES)
        commented = _main_cells(con, main_aid, COMMENTED_TYPES)
        for table, main_cells, job_cells in (("grade", graded, job.grades),
                                             ("comment", commented, job.comments)):
            if set(main_cells) != set(job_cells):
                raise MergeError(f"{student}/{assignment}: cells differ between {job_db} "
                                 f"and {main_db} ({table}: {len(job_cells)} in the job, "
                                 f"{len(main_cells)} expected)")
        notebook_max = {}
        for (nb_name, _, _), (_, _, mx) in graded.items():
            notebook_max[nb_name] = notebook_max.get(nb_name, 0.0) + float(mx or 0.0)
        with con:  # one transaction
            delete_student_submission(con, student, assignment)
            if _one(con, "SELECT 1 FROM main.submitted_assignment WHERE id = ?",
                    (job.submission_id,)):
                raise MergeError(f"{student}/{assignment}: the submission id of {job_db} "
                                 "belongs to another submission")
            con.execute("INSERT OR IGNORE INTO main.student (id) VALUES (?)", (student,))
            con.execute("INSERT INTO main.submitted_assignment (id, assignment_id, student_id,"
                        " timestamp, extension) VALUES (?, ?, ?, ?, NULL)",
                        (job.submission_id, main_aid, student, clean_timestamp(job.timestamp)))
            submitted = {}
            for name, nb_id in notebooks.items():
                flagged, penalty = job.notebooks[name]
                submitted[nb_id] = uuid.uuid4().hex
                con.execute("INSERT INTO main.submitted_notebook (id, assignment_id,"
                            " notebook_id, flagged, late_submission_penalty)"
                            " VALUES (?, ?, ?, ?, ?)",
                            (submitted[nb_id], job.submission_id, nb_id,
                             clean_flag(flagged, False),
                             clean_penalty(penalty, notebook_max.get(name, 0.0))))
            for key, (nb_id, cell_id, max_score) in graded.items():
                auto, needs_manual = job.grades[key]
                con.execute("INSERT INTO main.grade (id, notebook_id, cell_id, auto_score,"
                            " manual_score, extra_credit, needs_manual_grade)"
                            " VALUES (?, ?, ?, ?, NULL, NULL, ?)",
                            (uuid.uuid4().hex, submitted[nb_id], cell_id,
                             clean_score(auto, float(max_score or 0.0)),
                             clean_flag(needs_manual, True)))
            for key, (nb_id, cell_id, _) in commented.items():
                con.execute("INSERT INTO main.comment (id, notebook_id, cell_id, auto_comment,"
                            " manual_comment) VALUES (?, ?, ?, ?, NULL)",
                            (uuid.uuid4().hex, submitted[nb_id], cell_id,
                             clean_comment(job.comments[key])))
        return True
    finally:
        con.close()


def remove_submission(main_db: Path, student: str, assignment: str) -> bool:
    """Delete a submission that is no longer handed in. Returns whether there was one."""
    con = _open_main(main_db)
    try:
        with con:
            return delete_student_submission(con, student, assignment)
    finally:
        con.close()


def sort_students(main_db: Path) -> None:
    """Rewrite the student table in id order.

    ``nbgrader export`` lists students ordered by last and first name, which are empty here, so
    SQLite returns them in storage order; rewriting the table in id order makes grades.csv the
    same however the jobs finished and whatever was graded before. Names and emails entered in
    formgrader are kept.
    """
    con = _open_main(main_db)
    try:
        with con:
            con.execute("CREATE TEMP TABLE student_sorted AS SELECT * FROM main.student")
            con.execute("DELETE FROM main.student")
            con.execute("INSERT INTO main.student SELECT * FROM student_sorted ORDER BY id")
            con.execute("DROP TABLE student_sorted")
    finally:
        con.close()
