"""The gradebook on a database server (``--db URL``), so several graders use formgrader on
one gradebook.

The grading run itself keeps working on OUT/gradebook.db (SQLite): the merge opens the jobs'
untrusted gradebooks next to it, and that part stays on one file. After the merge, ``sync``
makes the server's gradebook (any SQLAlchemy URL nbgrader supports: PostgreSQL through
psycopg, MySQL, SQLite) equal to OUT's in one transaction, keeping what graders entered there:

- hand-grading columns (manual score, extra credit, whether it still needs a hand grade, the
  manual comment, extensions, students' names and e-mail) of every row whose id is in both
  are read from the server first and written into OUT's gradebook too (a submission graded
  again this run has fresh row ids, so its hand grades start over, as in the local gradebook);
- then every nbgrader table on the server is replaced by OUT's rows.

OUT/nbgrader_config.py then names the server (``CourseDirectory.db_url``), so ``nbgrader
export``, ``generate_feedback`` and ``formgrader`` run in OUT all read the server.
"""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from pathlib import Path

from autograder.pipeline.workspace import COURSE_ID

# table -> columns that graders change in formgrader (kept from the server)
HAND_COLUMNS = {
    "grade": ("manual_score", "extra_credit", "needs_manual_grade"),
    "comment": ("manual_comment",),
    "submitted_assignment": ("extension",),
    "student": ("first_name", "last_name", "email", "lms_user_id"),
}


class ServerGradebookError(RuntimeError):
    """The server's gradebook cannot be reached or written."""


def redact(url: str) -> str:
    """``url`` without its password, for messages."""
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not a URL SQLAlchemy understands: show only its scheme
        return url.split(":", 1)[0] + ":..."


def check_url(url: str) -> None:
    """Raise ValueError naming ``--db`` unless ``url`` is an SQLAlchemy URL whose driver is
    installed."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    try:
        make_url(url).get_dialect()
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        raise ValueError(f"--db: expected an SQLAlchemy URL with an installed driver (e.g. "
                         f"postgresql+psycopg://user@host/db), got {redact(url)!r} ({exc})"
                         ) from None


def reachable(url: str) -> None:
    """Raise ServerGradebookError unless the database at ``url`` accepts a connection."""
    from sqlalchemy import create_engine
    from sqlalchemy.exc import SQLAlchemyError

    engine = create_engine(url)
    try:
        engine.connect().close()
    except SQLAlchemyError as exc:
        raise ServerGradebookError(f"--db: cannot connect to {redact(url)}: "
                                   f"{str(exc).splitlines()[0][:200]}") from None
    finally:
        engine.dispose()


def sync(local_db: Path, url: str) -> dict[str, int]:
    """Make the gradebook at ``url`` equal to the SQLite gradebook ``local_db``, hand grades
    kept (see the module's docstring). Returns {table: rows written}."""
    from nbgrader.api import Base, Gradebook
    from sqlalchemy import create_engine, delete, insert, select, update
    from sqlalchemy.exc import SQLAlchemyError

    # nbgrader stamps a new gradebook with the alembic script of its own environment, found
    # on PATH (the command may run as .venv/bin/python without the environment activated)
    saved_path = os.environ.get("PATH", "")
    os.environ["PATH"] = os.pathsep.join([os.path.dirname(sys.executable), saved_path])
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            Gradebook(url, COURSE_ID).close()  # creates nbgrader's tables and alembic stamp
    except (SQLAlchemyError, OSError, subprocess.SubprocessError) as exc:
        raise ServerGradebookError(f"cannot open the gradebook at {redact(url)}: "
                                   f"{str(exc).splitlines()[0][:200]}") from None
    finally:
        os.environ["PATH"] = saved_path
    tables = Base.metadata.sorted_tables  # parents before children
    local = create_engine(f"sqlite:///{Path(local_db).resolve()}")
    server = create_engine(url)
    written = {}
    try:
        with local.begin() as lcon, server.begin() as scon:
            rows = {t.name: [dict(r._mapping) for r in lcon.execute(select(t))] for t in tables}
            # what graders entered on the server, for rows both sides have
            for name, columns in HAND_COLUMNS.items():
                table = Base.metadata.tables[name]
                ours = {r["id"]: r for r in rows[name]}
                for row in scon.execute(select(table.c.id, *(table.c[c] for c in columns))):
                    mine = ours.get(row.id)
                    if mine is None:
                        continue
                    theirs = {c: getattr(row, c) for c in columns}
                    if any(mine[c] != theirs[c] for c in columns):
                        mine.update(theirs)
                        lcon.execute(update(table).where(table.c.id == row.id).values(**theirs))
            for table in reversed(tables):
                scon.execute(delete(table))
            for table in tables:
                if rows[table.name]:
                    scon.execute(insert(table), rows[table.name])
                written[table.name] = len(rows[table.name])
    except SQLAlchemyError as exc:
        raise ServerGradebookError(f"writing the gradebook at {redact(url)} failed: "
                                   f"{str(exc).splitlines()[0][:200]}") from None
    finally:
        local.dispose()
        server.dispose()
    return written
