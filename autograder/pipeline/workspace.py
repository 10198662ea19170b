"""The output folder as an nbgrader course root, and the released (student) notebooks.

Layout of OUT (nbgrader's own names where nbgrader reads or writes):

    nbgrader_config.py     this course root's config (plain nbgrader commands work in OUT)
    gradebook.db           the gradebook: formgrader on OUT hand-grades from it
    submitted/S/A/N.ipynb  the intake'd submissions (what was graded)
    autograded/S/A/N.ipynb executed notebooks
    feedback/S/A/N.html    feedback
    intake/S/A.json        what intake found and did, per submission
    logs/S__A.log          nbgrader's output, one log per submission and step
    grades.csv scores.csv  the results
    .work/release/A/       the release made from solutions/ (scratch; the repository's
                           notebooks/ is never touched by the grade command)
    .work/template.db      the gradebook without submissions, copied for each grading job
    .work/runs/S/A/        one scratch course root per grading job (resumable results)
    student_ids.csv        student folder name -> id graded under (autograder/pipeline/ids.py)

Nothing that a grading job could have written is read back as trusted: nbgrader_config.py is
re-written from the project on every run (atomically, replacing whatever is there), the
template gradebook is rebuilt from OUT's gradebook on every run, the release is regenerated
when its files no longer match the hash recorded when nbgrader made it, and an OUT/gradebook.db
that is not a sound nbgrader gradebook (not SQLite, fails the integrity check, tables missing,
triggers or views in it) is moved aside to ``gradebook.db.corrupt-<time>`` with a note, rebuilt,
and every submission graded again.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
import nbgrader

from autograder import REPO_ROOT, SOLUTIONS_DIR
from autograder.pipeline.runner import nbgrader_command, nbgrader_env, run_logged

COURSE_ID = "dlf"

CONFIG_TEMPLATE = '''"""nbgrader configuration of a grading folder (python -m autograder grade).

Plain nbgrader commands run from this folder use it, e.g. `nbgrader formgrader` to hand-grade,
`nbgrader export`, `nbgrader generate_feedback --force`. The same file is copied into the
scratch course roots under .work/runs/: every path below is relative to the file itself.
"""

import os
import sys

REPO = {repo!r}
HERE = os.path.dirname(os.path.abspath(__file__))
# nbgrader and the kernels it starts must import autograder (hidden checks) and course.
if REPO not in sys.path:
    sys.path.insert(0, REPO)
os.environ["PYTHONPATH"] = os.pathsep.join(
    p for p in (REPO, os.environ.get("PYTHONPATH", "")) if p
)
os.environ.setdefault("MPLBACKEND", "Agg")

from autograder.grading_settings import apply_grading_settings  # noqa: E402

c = get_config()  # noqa: F821 (provided by traitlets when nbgrader loads this file)

c.CourseDirectory.course_id = {course_id!r}
c.CourseDirectory.root = HERE
c.CourseDirectory.source_directory = {solutions!r}
c.CourseDirectory.release_directory = os.path.join(".work", "release")
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(HERE, "gradebook.db")
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "*.egg-info", ".DS_Store"]

apply_grading_settings(c)
'''

SQLITE_DB_LINE = 'c.CourseDirectory.db_url = "sqlite:///" + os.path.join(HERE, "gradebook.db")'
assert SQLITE_DB_LINE in CONFIG_TEMPLATE

SUBMISSION_TABLES = ("comment", "grade", "submitted_notebook", "submitted_assignment", "student")


class WorkspaceError(RuntimeError):
    """A step that prepares the course root failed: grading cannot go on."""


@dataclass
class Workspace:
    """Paths of one output folder."""

    out: Path
    solutions_dir: Path = SOLUTIONS_DIR
    repo_root: Path = REPO_ROOT

    def __post_init__(self):
        self.out = Path(self.out).resolve()
        self.solutions_dir = Path(self.solutions_dir).resolve()
        self.repo_root = Path(self.repo_root).resolve()

    config = property(lambda self: self.out / "nbgrader_config.py")
    gradebook = property(lambda self: self.out / "gradebook.db")
    db_url = property(lambda self: f"sqlite:///{self.gradebook}")
    submitted = property(lambda self: self.out / "submitted")
    autograded = property(lambda self: self.out / "autograded")
    feedback = property(lambda self: self.out / "feedback")
    intake_dir = property(lambda self: self.out / "intake")
    logs = property(lambda self: self.out / "logs")
    work = property(lambda self: self.out / ".work")
    release = property(lambda self: self.out / ".work" / "release")
    template = property(lambda self: self.out / ".work" / "template.db")
    runs = property(lambda self: self.out / ".work" / "runs")
    release_state = property(lambda self: self.out / ".work" / "release_state.json")

    def run_dir(self, student: str, assignment: str) -> Path:
        return self.runs / student / assignment

    def log_path(self, student: str, assignment: str) -> Path:
        return self.logs / f"{student}__{assignment}.log"

    def released_notebooks(self, assignment: str) -> dict[str, nbformat.NotebookNode]:
        """notebook id -> released (student) version of each notebook of ``assignment``."""
        folder = self.release / assignment
        return {p.stem: nbformat.read(p, as_version=4) for p in sorted(folder.glob("*.ipynb"))}

    def config_text(self, db_url: str | None = None) -> str:
        """The config; ``db_url`` (``--db``) names the server's gradebook instead of the
        folder's gradebook.db (only OUT's config ever does: jobs grade into their copy)."""
        text = CONFIG_TEMPLATE.format(repo=str(self.repo_root), course_id=COURSE_ID,
                                      solutions=str(self.solutions_dir))
        if db_url is not None:
            text = text.replace(SQLITE_DB_LINE, "# the gradebook on the server (--db); "
                                "gradebook.db here is the grading run's working copy\n"
                                f"c.CourseDirectory.db_url = {db_url!r}")
        return text

    def write_config(self, folder: Path | None = None, db_url: str | None = None) -> Path:
        """Write nbgrader_config.py into ``folder`` (OUT by default), replacing whatever is
        there (a file, or a link: it is replaced, never written through)."""
        path = (folder or self.out) / "nbgrader_config.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".nbgrader_config.py.{os.getpid()}.tmp")
        tmp.unlink(missing_ok=True)
        tmp.write_text(self.config_text(db_url), encoding="utf-8")
        if db_url is not None:
            tmp.chmod(0o600)  # the URL may hold the database password
        os.replace(tmp, path)
        return path


def sha256_of_files(paths, root: Path) -> str:
    """Hash of the names (relative to ``root``) and contents of ``paths``, in sorted order."""
    h = hashlib.sha256()
    for path in sorted(Path(p) for p in paths):
        h.update(str(path.relative_to(root)).encode())
        h.update(b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def source_files(folder: Path) -> list[Path]:
    """Files of a source folder, without caches and checkpoints."""
    skip = {"__pycache__", ".ipynb_checkpoints"}
    return [p for p in folder.rglob("*")
            if p.is_file() and not skip.intersection(p.parts) and p.suffix != ".pyc"]


def code_fingerprint(repo_root: Path = REPO_ROOT) -> str:
    """Hash of the Python sources that decide a grade: autograder/ and course/."""
    files = [p for name in ("autograder", "course")
             for p in (repo_root / name).rglob("*.py") if "__pycache__" not in p.parts]
    return sha256_of_files(files, repo_root) + nbgrader.__version__


def release_fingerprint(ws: Workspace, assignment: str) -> str:
    folder = ws.solutions_dir / assignment
    h = hashlib.sha256(sha256_of_files(source_files(folder), ws.solutions_dir).encode())
    h.update((ws.repo_root / "autograder" / "grading_settings.py").read_bytes())
    h.update(ws.config_text().encode())
    h.update(nbgrader.__version__.encode())
    return h.hexdigest()


# --- gradebooks that may have been tampered with --------------------------------------------

GRADEBOOK_TABLES = {"student", "course", "assignment", "notebook", "submitted_assignment",
                    "base_cell", "source_cell", "submitted_notebook", "grade_cells",
                    "solution_cells", "task_cells", "grade", "comment"}


def open_readonly(db: Path) -> sqlite3.Connection:
    """A read-only connection to the SQLite file ``db`` that runs nothing from its schema."""
    uri = Path(db).resolve().as_uri() + "?mode=ro"
    con = sqlite3.connect(uri, uri=True)
    try:
        con.execute("PRAGMA trusted_schema=OFF")
        con.execute("PRAGMA query_only=ON")
    except sqlite3.Error:
        con.close()
        raise
    return con


def schema_problem(con: sqlite3.Connection, schema: str = "main") -> str | None:
    """What makes the database open in ``con`` unsafe to write to or merge from: triggers or
    views (nbgrader's gradebook has none). None when there are none."""
    rows = con.execute(f"SELECT type, name FROM {schema}.sqlite_master"
                       " WHERE type IN ('trigger', 'view') ORDER BY type, name").fetchall()
    if not rows:
        return None
    shown = ", ".join(f"{kind} '{str(name)[:40]}'" for kind, name in rows[:5])
    return f"it contains {shown}" + (" ..." if len(rows) > 5 else "")


def gradebook_problem(db: Path) -> str | None:
    """Why the gradebook file ``db`` cannot be used (None: it is sound, or does not exist)."""
    db = Path(db)
    if db.is_symlink():
        return "is a symbolic link"
    if not db.exists():
        return None
    if not db.is_file():
        return "is not a file"
    try:
        con = open_readonly(db)
    except sqlite3.Error as exc:
        return f"cannot be opened ({exc})"
    try:
        problem = schema_problem(con)
        if problem:
            return problem
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        missing = GRADEBOOK_TABLES - tables
        if missing:
            return "is not an nbgrader gradebook (no table " + ", ".join(sorted(missing)[:3]) + ")"
        check = con.execute("PRAGMA quick_check").fetchall()
        if check != [("ok",)]:
            return f"fails SQLite's integrity check ({str(check[0][0])[:80]})"
    except sqlite3.Error as exc:
        return f"is not a readable SQLite database ({exc})"
    finally:
        con.close()
    return None


def move_aside(db: Path) -> Path:
    """Rename ``db`` (and its journal files) to ``<name>.corrupt-<time>``; returns the path."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = db.with_name(f"{db.name}.corrupt-{stamp}")
    n = 1
    while aside.exists() or aside.is_symlink():
        n += 1
        aside = db.with_name(f"{db.name}.corrupt-{stamp}-{n}")
    os.replace(db, aside)
    for suffix in ("-journal", "-wal", "-shm"):
        extra = db.with_name(db.name + suffix)
        if extra.exists() or extra.is_symlink():
            os.replace(extra, aside.with_name(aside.name + suffix))
    return aside


def release_files_hash(ws: Workspace, assignment: str) -> str:
    folder = ws.release / assignment
    files = [p for p in folder.rglob("*") if p.is_file() or p.is_symlink()]
    return sha256_of_files(files, folder) if files else ""


def _read_state(ws: Workspace) -> dict:
    """The release state: {assignment: {"source": fingerprint, "release": files hash}}."""
    try:
        state = json.loads(ws.release_state.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(state, dict):
        return {}
    return {a: v for a, v in state.items() if isinstance(a, str) and isinstance(v, (str, dict))}


def _assignment_in_db(db: Path, assignment: str) -> bool:
    if not db.exists():
        return False
    with sqlite3.connect(db) as con:
        try:
            row = con.execute("SELECT 1 FROM assignment WHERE name = ?", (assignment,)).fetchone()
        except sqlite3.Error:
            return False
    return row is not None


def delete_assignment_submissions(db: Path, assignment: str) -> int:
    """Remove every submission of ``assignment`` from the gradebook ``db``; returns how many."""
    with sqlite3.connect(db) as con:
        ids = [r[0] for r in con.execute(
            "SELECT sa.id FROM submitted_assignment sa JOIN assignment a ON a.id = sa.assignment_id"
            " WHERE a.name = ?", (assignment,))]
        for sa_id in ids:
            delete_submission_rows(con, sa_id)
    return len(ids)


def delete_submission_rows(con: sqlite3.Connection, submission_id: str) -> None:
    """Delete one submitted_assignment row and everything that hangs off it."""
    nb_ids = "SELECT id FROM submitted_notebook WHERE assignment_id = ?"
    con.execute(f"DELETE FROM grade WHERE notebook_id IN ({nb_ids})", (submission_id,))
    con.execute(f"DELETE FROM comment WHERE notebook_id IN ({nb_ids})", (submission_id,))
    con.execute("DELETE FROM submitted_notebook WHERE assignment_id = ?", (submission_id,))
    con.execute("DELETE FROM submitted_assignment WHERE id = ?", (submission_id,))


def prepare(ws: Workspace, assignments: list[str], *, on_note=print) -> None:
    """Make OUT a course root whose gradebook knows ``assignments``; build the job template.

    ``nbgrader generate_assignment A --force`` runs only when A's solution folder, the grading
    settings or nbgrader changed since the last run in this folder (or the gradebook lacks A).
    When a changed solution meets existing submissions in the gradebook, those submissions
    are discarded first (they are graded again anyway; nbgrader refuses to add or remove cells
    of a notebook that has submissions).
    """
    for sub in (ws.out, ws.work, ws.logs, ws.runs):
        sub.mkdir(parents=True, exist_ok=True)
    ws.write_config()
    problem = gradebook_problem(ws.gradebook)
    if problem:
        aside = move_aside(ws.gradebook)
        ws.release_state.unlink(missing_ok=True)
        clear_folder(ws.runs)
        ws.runs.mkdir(parents=True, exist_ok=True)
        on_note(f"OUT/gradebook.db {problem}: moved aside to {aside.name}; a new gradebook is "
                "built and every submission is graded again (grades entered by hand are in "
                f"{aside.name} only)")
    state = _read_state(ws)
    for assignment in assignments:
        source = ws.solutions_dir / assignment / f"{assignment}.ipynb"
        if not source.exists():
            raise WorkspaceError(f"no source notebook {source}")
        fingerprint = release_fingerprint(ws, assignment)
        released = ws.release / assignment
        recorded = state.get(assignment)
        if isinstance(recorded, str):  # state written before release hashes were recorded
            recorded = {"source": recorded, "release": release_files_hash(ws, assignment)}
            state[assignment] = recorded
        same_source = recorded is not None and recorded.get("source") == fingerprint
        same_release = (recorded is not None
                        and recorded.get("release") == release_files_hash(ws, assignment))
        if (same_source and same_release and _assignment_in_db(ws.gradebook, assignment)
                and any(released.glob("*.ipynb"))):
            continue
        if same_source and not same_release:
            on_note(f"{assignment}: the release in .work/release/ was changed since nbgrader "
                    "made it; made again")
        if _assignment_in_db(ws.gradebook, assignment):
            dropped = delete_assignment_submissions(ws.gradebook, assignment)
            if dropped:
                on_note(f"{assignment}: the solution or grading settings changed since the last "
                        f"run; {dropped} earlier submission(s) in the gradebook are graded again")
        log = ws.logs / f"_generate_assignment__{assignment}.log"
        result = run_logged(nbgrader_command("generate_assignment", assignment, "--force"),
                            cwd=ws.out, log_path=log, env=nbgrader_env(ws.repo_root))
        if not result.ok or not any(released.glob("*.ipynb")):
            raise WorkspaceError(f"nbgrader generate_assignment {assignment} failed (see {log}):\n"
                                 + result.log_tail(15))
        state[assignment] = {"source": fingerprint,
                             "release": release_files_hash(ws, assignment)}
        ws.release_state.write_text(json.dumps(state, indent=1, sort_keys=True), encoding="utf-8")
    # Always rebuilt (milliseconds): never reuse a template a job might have changed.
    make_template(ws.gradebook, ws.template)


def make_template(gradebook: Path, template: Path) -> None:
    """Copy ``gradebook`` without students and submissions: each grading job starts from it."""
    tmp = template.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    src, dst = open_readonly(gradebook), sqlite3.connect(tmp)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    con = sqlite3.connect(tmp)
    try:
        con.execute("PRAGMA trusted_schema=OFF")
        problem = schema_problem(con)
        if problem:
            raise WorkspaceError(f"the gradebook {gradebook} is refused: {problem}")
        for table in SUBMISSION_TABLES:
            con.execute(f"DELETE FROM {table}")
        con.commit()
        con.execute("VACUUM")
    finally:
        con.close()
    tmp.replace(template)


def clear_folder(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)
