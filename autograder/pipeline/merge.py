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
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from autograder.pipeline.workspace import delete_submission_rows


class MergeError(RuntimeError):
    """The job's gradebook does not fit OUT's gradebook."""


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


def merge_submission(main_db: Path, job_db: Path, student: str, assignment: str) -> bool:
    """Copy ``student``'s submission of ``assignment`` from ``job_db`` into ``main_db``.

    Returns False when ``main_db`` already holds that very submission (nothing done).
    Raises MergeError when the job's gradebook does not match (different cells).
    """
    con = sqlite3.connect(main_db)
    try:
        con.execute("ATTACH DATABASE ? AS job", (str(job_db),))
        sa_id = _one(con, "SELECT sa.id FROM job.submitted_assignment sa JOIN job.assignment a"
                          " ON a.id = sa.assignment_id WHERE sa.student_id = ? AND a.name = ?",
                     (student, assignment))
        if sa_id is None:
            raise MergeError(f"no submission of {assignment} by {student} in {job_db}")
        main_aid = _one(con, "SELECT id FROM main.assignment WHERE name = ?", (assignment,))
        if main_aid is None:
            raise MergeError(f"assignment {assignment} is not in {main_db}")
        if _one(con, "SELECT 1 FROM main.submitted_assignment WHERE id = ? AND student_id = ?"
                     " AND assignment_id = ?", (sa_id, student, main_aid)):
            return False
        with con:  # one transaction
            delete_student_submission(con, student, assignment)
            con.execute("INSERT OR IGNORE INTO main.student (id, first_name, last_name, email,"
                        " lms_user_id) SELECT id, first_name, last_name, email, lms_user_id"
                        " FROM job.student WHERE id = ?", (student,))
            con.execute("INSERT INTO main.submitted_assignment (id, assignment_id, student_id,"
                        " timestamp, extension) SELECT id, ?, student_id, timestamp, extension"
                        " FROM job.submitted_assignment WHERE id = ?", (main_aid, sa_id))
            expected = _one(con, "SELECT count(*) FROM job.submitted_notebook"
                                 " WHERE assignment_id = ?", (sa_id,))
            got = con.execute(
                "INSERT INTO main.submitted_notebook (id, assignment_id, notebook_id, flagged,"
                " late_submission_penalty)"
                " SELECT sn.id, sn.assignment_id, mn.id, sn.flagged, sn.late_submission_penalty"
                " FROM job.submitted_notebook sn"
                " JOIN job.notebook jn ON jn.id = sn.notebook_id"
                " JOIN main.notebook mn ON mn.name = jn.name AND mn.assignment_id = ?"
                " WHERE sn.assignment_id = ?", (main_aid, sa_id)).rowcount
            if got != expected:
                raise MergeError(f"{student}/{assignment}: notebooks differ between {job_db} "
                                 f"and {main_db}")
            for table, columns in (("grade", "auto_score, manual_score, extra_credit,"
                                              " needs_manual_grade"),
                                   ("comment", "auto_comment, manual_comment")):
                cols = ", ".join(f"r.{c.strip()}" for c in columns.split(","))
                expected = _one(con, f"SELECT count(*) FROM job.{table} r JOIN"
                                     f" job.submitted_notebook sn ON sn.id = r.notebook_id"
                                     f" WHERE sn.assignment_id = ?", (sa_id,))
                got = con.execute(
                    f"INSERT INTO main.{table} (id, notebook_id, cell_id, {columns})"
                    f" SELECT r.id, r.notebook_id, mc.id, {cols}"
                    f" FROM job.{table} r"
                    " JOIN job.submitted_notebook sn ON sn.id = r.notebook_id"
                    " JOIN job.base_cell jc ON jc.id = r.cell_id"
                    " JOIN job.notebook jn ON jn.id = jc.notebook_id"
                    " JOIN main.notebook mn ON mn.name = jn.name AND mn.assignment_id = ?"
                    " JOIN main.base_cell mc ON mc.notebook_id = mn.id AND mc.name = jc.name"
                    "  AND mc.type = jc.type"
                    " WHERE sn.assignment_id = ?", (main_aid, sa_id)).rowcount
                if got != expected:
                    raise MergeError(f"{student}/{assignment}: cells differ between {job_db} "
                                     f"and {main_db} ({table}: {got} of {expected})")
        return True
    finally:
        con.close()


def remove_submission(main_db: Path, student: str, assignment: str) -> bool:
    """Delete a submission that is no longer handed in. Returns whether there was one."""
    con = sqlite3.connect(main_db)
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
    con = sqlite3.connect(main_db)
    try:
        with con:
            con.execute("CREATE TEMP TABLE student_sorted AS SELECT * FROM main.student")
            con.execute("DELETE FROM main.student")
            con.execute("INSERT INTO main.student SELECT * FROM student_sorted ORDER BY id")
            con.execute("DROP TABLE student_sorted")
    finally:
        con.close()
