"""The gradebook on a real PostgreSQL server (``--db URL``, pipeline/server_gradebook.py).

The test starts its own server: Debian's ``postgresql`` package (``make`` installs it), a
cluster in a temporary folder made by initdb and run by pg_ctl as an unprivileged user
(``nobody`` when the tests run as root), listening on 127.0.0.1 only. Two submissions of the
tiny assignment (tests/test_pipeline_units.py), one full marks and one partial, are graded
with ``--db``: ``nbgrader export`` run against the server gives the same grades.csv as against
the run's SQLite gradebook, the server holds the same scores, and a hand grade entered on the
server (as formgrader would) survives the next grading run.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest
from test_pipeline_units import TINY, student_version, tiny_released, tiny_source, write_nb

pytest.importorskip("psycopg")
pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:Object of type:Warning")]

PG_BIN = sorted(glob.glob("/usr/lib/postgresql/*/bin"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def postgres():
    """A PostgreSQL server on 127.0.0.1; yields the SQLAlchemy URL of an empty database."""
    if not PG_BIN:
        pytest.fail("PostgreSQL is not installed: run make (it installs Debian's postgresql)")
    bindir = Path(PG_BIN[-1])
    root = Path(tempfile.mkdtemp(prefix="dlf-pg-"))
    user = {}
    if os.geteuid() == 0:  # initdb and postgres refuse to run as root
        nobody = pwd.getpwnam("nobody")
        user = dict(user=nobody.pw_uid, group=nobody.pw_gid)
        os.chown(root, nobody.pw_uid, nobody.pw_gid)
    data, port = root / "data", _free_port()

    def pg(*args, **kw):
        return subprocess.run([str(bindir / args[0]), *args[1:]], check=True,
                              capture_output=True, text=True, timeout=120, **user, **kw)

    try:
        pg("initdb", "-D", str(data), "-U", "grader", "--auth=trust", "-E", "UTF8",
           "--locale=C")
        pg("pg_ctl", "-D", str(data), "-l", str(root / "server.log"), "-w", "-t", "60", "-o",
           f"-c listen_addresses=127.0.0.1 -p {port} -k {data}", "start")
        pg("createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "grader", "gradebook")
        yield f"postgresql+psycopg://grader@127.0.0.1:{port}/gradebook"
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                           capture_output=True, timeout=60, **user)
        shutil.rmtree(root, ignore_errors=True)


def _scores(url: str) -> dict:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as con:
        rows = con.execute(text(
            "SELECT sa.student_id, bc.name, g.auto_score, g.manual_score FROM grade g"
            " JOIN submitted_notebook sn ON sn.id = g.notebook_id"
            " JOIN submitted_assignment sa ON sa.id = sn.assignment_id"
            " JOIN grade_cells gc ON gc.id = g.cell_id JOIN base_cell bc ON bc.id = gc.id"))
        result = {(r[0], r[1]): (r[2], r[3]) for r in rows}
    engine.dispose()
    return result


def test_grades_land_on_postgres_like_sqlite_and_export_reads_them(tmp_path, postgres,
                                                                    monkeypatch):
    from autograder.pipeline import grade as grade_module
    from autograder.pipeline import runner

    monkeypatch.setattr(grade_module, "code_fingerprint", lambda repo: "fixed")
    solutions = tmp_path / "solutions"
    write_nb(solutions / TINY / f"{TINY}.ipynb", tiny_source())
    released = tiny_released()
    for student, answer in (("correct", "def double(x):\n    return 2 * x"),
                            ("partial", "def double(x):\n    return 2 * x if x < 4 else 0")):
        write_nb(tmp_path / "class" / student / TINY / f"{TINY}.ipynb",
                 student_version(released, answer, "It adds x to itself."))
    kwargs = dict(jobs=2, assignments=[TINY], solutions_dir=solutions, cell_timeout=5,
                  submission_timeout=120, progress=False, echo=lambda m: None)

    out = tmp_path / "pg"
    served = grade_module.grade(tmp_path / "class", out, db_url=postgres, **kwargs)
    assert served.problems == []
    # grades.csv is nbgrader export reading PostgreSQL (OUT's config names the server) ...
    config = (out / "nbgrader_config.py").read_text()
    assert f"c.CourseDirectory.db_url = {postgres!r}" in config
    # ... and the same export from the run's SQLite gradebook gives the same file
    sqlite_url = f"sqlite:///{out / 'gradebook.db'}"
    exported = runner.run_logged(runner.nbgrader_command(
        "export", f"--to={tmp_path / 'sqlite.csv'}", f"--CourseDirectory.db_url={sqlite_url}"),
        cwd=out, log_path=tmp_path / "export.log", env=runner.nbgrader_env())
    assert exported.ok, exported.log_tail()
    assert (out / "grades.csv").read_bytes() == (tmp_path / "sqlite.csv").read_bytes()
    on_server = _scores(postgres)
    assert on_server == _scores(sqlite_url)
    assert on_server["correct", "test_double"] == (2.0, None)
    assert on_server["partial", "test_double"] == (1.0, None)

    # a grader hand-grades an answer on the server (formgrader writes manual_score)
    from nbgrader.api import Gradebook

    with Gradebook(postgres, "dlf") as gb:
        gb.find_grade("explain", TINY, TINY, "correct").manual_score = 1.0
        gb.db.commit()
    again = grade_module.grade(tmp_path / "class", tmp_path / "pg", db_url=postgres, **kwargs)
    assert again.problems == [] and again.reused == 2
    assert _scores(postgres)["correct", "explain"] == (None, 1.0)
    exported = (tmp_path / "pg" / "grades.csv").read_text().splitlines()
    correct = [line for line in exported if ",correct," in line]
    assert correct and correct[0].split(",")[-2] == "3.0", exported  # 2 auto + 1 by hand


def test_unreachable_database_is_a_usage_error(tmp_path):
    from autograder.pipeline.grade import GradingError, grade

    url = f"postgresql+psycopg://grader:secret@127.0.0.1:{_free_port()}/gradebook"
    with pytest.raises(GradingError, match=r"^--db: cannot connect to postgresql\+psycopg://"
                                           r"grader:\*\*\*@127") as info:
        grade(tmp_path, tmp_path / "out", db_url=url, echo=lambda m: None)
    assert "secret" not in str(info.value)
    with pytest.raises(GradingError, match="--db: expected an SQLAlchemy URL"):
        grade(tmp_path, tmp_path / "out", db_url="nosuchdb://x", echo=lambda m: None)
