"""Intake: turn what students handed in into what nbgrader expects, and say what was done.

Pure Python (files in, files and a JSON record out), no nbgrader process. For each student and
assignment, each notebook of the released assignment is looked for in
``SUBMISSIONS/<student>/<assignment>/`` and written to ``OUT/submitted/<student>/<assignment>/``:

- exact name: taken as is;
- renamed (Colab's "Copy of X.ipynb", "X (1).ipynb", other case, a subfolder, or the only
  notebook handed in, or a clear best match): taken, with the message "renamed from ...";
- missing: not written; every grade cell of the notebook scores 0 ("notebook X not submitted");
- unreadable (not JSON, not a notebook, fails validation): not written; scores 0 with a message.

Inside a taken notebook, nbgrader cells (grade, answer, read-only, task) that the student
deleted are put back from the released student version, before the next nbgrader cell that is
still there (nbgrader's own ``OverwriteCells.add_missing_cells`` raises KeyError when the
released cell before a deleted one is an ordinary cell). Edited read-only and test cells are
restored by nbgrader itself (``OverwriteCells``); intake only reports them, comparing checksums
with the released version. Only notebooks (and ``timestamp.txt``) are copied: other files a
student hands in (a ``course.py`` or ``autograder/`` that would shadow the real packages in the
kernel) are ignored and listed in the record.

Students are adversaries, and mishaps are common; intake makes sure that neither costs an
honest point nor makes nbgrader fail (which would be a grading error, exit status 1):

- SUBMISSIONS is only read, never written. A handed-in path that is a symbolic link, FIFO,
  socket or device (the notebook, a folder on the way, the student's or the assignment's
  folder) is never followed or opened: the notebook scores 0 with a message ("... is a
  symbolic link; hand in the notebook file itself"). Files are opened with O_NOFOLLOW and
  checked to be regular files after opening; a notebook over ``MAX_NOTEBOOK_BYTES`` is not
  read (scored 0, with its size in the message).
- nbformat 3 notebooks are converted to version 4 (``nbformat.reads(as_version=4)``).
- Outputs of code cells are dropped (nbgrader clears them before running anyway).
- nbgrader metadata is normalized (``normalize_nbgrader_cells``): one cell per released grade
  id (the last, the one nbgrader's DeduplicateIds keeps; copies become ordinary cells, and
  unchanged copies of read-only and test cells are removed), the
  released metadata restored on it (grade, solution, locked, points, task, cell type: an answer
  cell cannot claim points), and nbgrader metadata that is malformed, has no grade id or an id
  that is not in the release is removed (those become ordinary cells). Each with a note.
- ``timestamp.txt`` is copied only when ``nbgrader.utils.parse_utc`` reads it, re-written as a
  naive UTC time (``YYYY-MM-DD HH:MM:SS[.ffffff]``, what nbgrader assumes for a time without
  zone); anything else (garbage, huge, a folder, a link, a year out of range) is ignored with a
  note in ``SubmissionIntake.notes``.
- Student folder names that nbgrader cannot use as ids are graded under an internal id (see
  autograder/pipeline/ids.py); names printed in notes and records go through
  ``ids.display_id`` (no control characters, no undecodable bytes).
"""

from __future__ import annotations

import copy
import datetime
import difflib
import errno
import json
import math
import os
import re
import shutil
import stat
import uuid
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path

import nbformat
from nbgrader import utils as nbutils

from autograder.pipeline.ids import display_id

NOTEBOOK_OK = "ok"
NOTEBOOK_MISSING = "missing"
NOTEBOOK_INVALID = "invalid"

IGNORED_DIRS = {".ipynb_checkpoints", "__MACOSX", "__pycache__"}
TIMESTAMP_FILE = "timestamp.txt"

MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024  # a bigger notebook file is not read (scored 0)
MAX_TIMESTAMP_BYTES = 1024  # a bigger timestamp.txt is ignored
MAX_FOLDER_ENTRIES = 10_000  # files and folders looked at in one submission folder
MAX_FOLDER_DEPTH = 8  # subfolders deeper than this are not looked into
TIMESTAMP_YEARS = (1900, 9000)  # years nbgrader's date arithmetic cannot overflow on


# --- nbgrader cells -------------------------------------------------------------------------


def nbgrader_id(cell) -> str | None:
    """The grade_id of an nbgrader cell (grade, answer, read-only or task), else None."""
    meta = cell.get("metadata", {}).get("nbgrader")
    if not isinstance(meta, dict):
        return None
    if not any(meta.get(k) for k in ("grade", "solution", "locked", "task")):
        return None
    grade_id = meta.get("grade_id")
    return grade_id if isinstance(grade_id, str) and grade_id else None


def is_scored(cell) -> bool:
    """A cell that has a row in the gradebook's grade table: grade cells and task cells."""
    return nbutils.is_grade(cell) or nbutils.is_task(cell)


def cell_kind(cell) -> str:
    """'test', 'manual' (hand-graded answer), 'task', 'answer' or 'readonly'."""
    if nbutils.is_task(cell):
        return "task"
    if nbutils.is_grade(cell):
        return "manual" if nbutils.is_solution(cell) else "test"
    if nbutils.is_solution(cell):
        return "answer"
    return "readonly"


def scored_cells(released) -> list:
    """Released cells that get a score, in notebook order."""
    return [c for c in released.cells if nbgrader_id(c) and is_scored(c)]


def related_scored_ids(released, grade_id: str) -> list[str]:
    """Scored cells that grade the answer cell ``grade_id``: those after it, up to the next
    answer cell."""
    ids: list[str] = []
    seen = False
    for cell in released.cells:
        gid = nbgrader_id(cell)
        if gid is None:
            continue
        if gid == grade_id:
            seen = True
            continue
        if not seen:
            continue
        if cell_kind(cell) == "answer":
            break
        if is_scored(cell):
            ids.append(gid)
    return ids


# --- records --------------------------------------------------------------------------------


@dataclass
class NotebookIntake:
    notebook_id: str
    state: str  # NOTEBOOK_OK, NOTEBOOK_MISSING or NOTEBOOK_INVALID
    source: str | None = None  # the file taken, relative to the submission folder
    notes: list[str] = field(default_factory=list)  # for every scored cell of the notebook
    cell_notes: dict[str, list[str]] = field(default_factory=dict)  # grade_id -> messages

    def note(self, message: str, grade_ids: list[str] | None = None) -> None:
        if not grade_ids:
            self.notes.append(message)
        for gid in grade_ids or ():
            self.cell_notes.setdefault(gid, []).append(message)

    def messages_for(self, grade_id: str) -> list[str]:
        return [*self.notes, *self.cell_notes.get(grade_id, [])]


@dataclass
class Finding:
    """A tamper-scan finding: ``grade_id`` None means the whole notebook."""

    notebook_id: str
    grade_id: str | None
    message: str


@dataclass
class SubmissionIntake:
    student_id: str  # the id graded under (ids.internal_id of the student's folder name)
    assignment_id: str
    folder: str | None  # the submission folder read, None when nothing was handed in
    notebooks: list[NotebookIntake] = field(default_factory=list)
    ignored_files: list[str] = field(default_factory=list)
    timestamp: str | None = None  # canonical (see read_timestamp), None when none was usable
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # about the submission (timestamp, folder)
    student_folder: str | None = None  # the student's folder name (ids.display_id)

    @property
    def graded_notebooks(self) -> list[str]:
        return [n.notebook_id for n in self.notebooks if n.state == NOTEBOOK_OK]

    def notebook(self, notebook_id: str) -> NotebookIntake:
        for n in self.notebooks:
            if n.notebook_id == notebook_id:
                return n
        raise KeyError(notebook_id)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> SubmissionIntake:
        data = dict(data)
        data["notebooks"] = [NotebookIntake(**n) for n in data.get("notebooks", [])]
        data["findings"] = [Finding(**f) for f in data.get("findings", [])]
        return cls(**data)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_dict(), indent=1, ensure_ascii=False) + "\n",
                        encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> SubmissionIntake:
        return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))


# --- reading what was handed in, safely -----------------------------------------------------


class Refused(Exception):
    """A handed-in path that is not read: ``reason`` says why ("is a symbolic link", ...)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def mode_problem(mode: int) -> str | None:
    """Why a path with ``st_mode`` ``mode`` (from lstat) is not a file to read; None: it is."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        return "is a symbolic link"
    if stat.S_ISDIR(mode):
        return "is a folder"
    if stat.S_ISFIFO(mode):
        return "is a named pipe (FIFO), not a file"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a file"
    return "is not a regular file"


def _mib(size: int) -> str:
    return f"{size / 2**20:.1f} MiB"


def read_handed_in(path: Path, limit: int) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them; raises Refused.

    Never follows a symbolic link (lstat first, then O_NOFOLLOW) and never opens a FIFO or a
    device (lstat), checks again after opening (fstat) and reads at most ``limit`` + 1 bytes.
    """
    try:
        problem = mode_problem(os.lstat(path).st_mode)
    except OSError as exc:
        raise Refused(f"cannot be read ({exc.strerror})") from None
    if problem:
        raise Refused(problem)
    flags = (os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
             | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise Refused("is a symbolic link") from None
        raise Refused(f"cannot be read ({exc.strerror})") from None
    try:
        info = os.fstat(fd)
        problem = mode_problem(info.st_mode)
        if problem:
            raise Refused(problem)
        too_big = f"is {_mib(info.st_size)}, more than the {_mib(limit)} accepted"
        if info.st_size > limit:
            raise Refused(too_big)
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise Refused(too_big)
        return b"".join(chunks)
    except OSError as exc:
        raise Refused(f"cannot be read ({exc.strerror})") from None
    finally:
        os.close(fd)


def path_problem(root: Path, path: Path) -> str | None:
    """Why ``path`` (``root`` or a folder below it) is refused: a symbolic link or not a
    folder on the way from ``root`` (excluded) down to ``path``; None when every step is a
    real folder."""
    rel = Path(path).relative_to(root)
    current = Path(root)
    for part in rel.parts:
        current = current / part
        try:
            mode = os.lstat(current).st_mode
        except OSError as exc:
            return f"'{display_id(current.relative_to(root).as_posix())}' cannot be read " \
                   f"({exc.strerror})"
        if not stat.S_ISDIR(mode):
            what = mode_problem(mode) or "is a file, not a folder"
            return f"the folder '{display_id(current.relative_to(root).as_posix())}' {what}"
    return None


@dataclass
class FolderScan:
    """What a submission folder holds, found without following links."""

    notebooks: list[str] = field(default_factory=list)  # regular .ipynb files (relative)
    refused: dict[str, str] = field(default_factory=dict)  # other .ipynb entries -> reason
    others: list[str] = field(default_factory=list)  # every other file (ignored)
    mtimes: dict[str, float] = field(default_factory=dict)
    truncated: bool = False  # more than MAX_FOLDER_ENTRIES entries


def scan_folder(folder: Path) -> FolderScan:
    """Walk ``folder`` with lstat only (links and special files are listed, never followed).

    Checkpoint and cache folders, hidden folders and ``timestamp.txt`` at the top are
    skipped; at most MAX_FOLDER_ENTRIES entries, MAX_FOLDER_DEPTH levels.
    """
    scan = FolderScan()
    seen = 0
    stack: list[tuple[Path, tuple[str, ...]]] = [(Path(folder), ())]
    while stack:
        directory, parts = stack.pop()
        try:
            with os.scandir(directory) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            seen += 1
            if seen > MAX_FOLDER_ENTRIES:
                scan.truncated = True
                stack.clear()
                break
            rel_parts = (*parts, entry.name)
            rel = "/".join(rel_parts)
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if stat.S_ISDIR(info.st_mode):
                if (entry.name not in IGNORED_DIRS and not entry.name.startswith(".")
                        and len(rel_parts) < MAX_FOLDER_DEPTH):
                    stack.append((Path(entry.path), rel_parts))
                continue
            if not parts and entry.name == TIMESTAMP_FILE:
                continue
            problem = mode_problem(info.st_mode)
            if entry.name.lower().endswith(".ipynb") and not entry.name.startswith("."):
                if problem:
                    scan.refused[rel] = problem
                else:
                    scan.notebooks.append(rel)
                    scan.mtimes[rel] = info.st_mtime
            else:
                scan.others.append(rel)
    order = lambda p: (p.count("/"), p)  # noqa: E731
    scan.notebooks.sort(key=order)
    scan.others.sort()
    return scan


def parse_timestamp(text: str) -> datetime.datetime | None:
    """``text`` as nbgrader reads it (``nbgrader.utils.parse_utc``: a naive UTC datetime), or
    None when nbgrader could not read it or the year is outside TIMESTAMP_YEARS."""
    try:
        ts = nbutils.parse_utc(text)
    except Exception:  # dateutil raises ValueError, OverflowError, TypeError...
        return None
    if not isinstance(ts, datetime.datetime) or ts.tzinfo is not None:
        return None
    if not TIMESTAMP_YEARS[0] <= ts.year <= TIMESTAMP_YEARS[1]:
        return None
    return ts


def canonical_timestamp(ts: datetime.datetime) -> str:
    """``YYYY-MM-DD HH:MM:SS[.ffffff]``: UTC without zone, which parse_utc reads back as is."""
    return ts.isoformat(sep=" ")


def read_timestamp(folder: Path) -> tuple[str | None, str | None]:
    """(canonical timestamp or None, note or None) for ``folder/timestamp.txt``."""
    path = Path(folder) / TIMESTAMP_FILE
    try:
        os.lstat(path)
    except FileNotFoundError:
        return None, None
    except OSError as exc:
        return None, f"{TIMESTAMP_FILE} cannot be read ({exc.strerror}); ignored"
    try:
        data = read_handed_in(path, MAX_TIMESTAMP_BYTES)
    except Refused as refused:
        return None, f"{TIMESTAMP_FILE} {refused.reason}; ignored"
    try:
        text = data.decode("utf-8-sig").strip()
    except UnicodeDecodeError:
        return None, f"{TIMESTAMP_FILE} is not text; ignored"
    if not text:
        return None, f"{TIMESTAMP_FILE} is empty; ignored"
    ts = parse_timestamp(text)
    if ts is None:
        shown = display_id(text[:60]) + ("..." if len(text) > 60 else "")
        return None, f"{TIMESTAMP_FILE} does not hold a date nbgrader can read ('{shown}'); ignored"
    canonical = canonical_timestamp(ts)
    if parse_timestamp(canonical) != ts:  # pragma: no cover - isoformat round-trips
        return None, f"{TIMESTAMP_FILE}: the date cannot be written back; ignored"
    return canonical, None


# --- finding the notebooks ------------------------------------------------------------------

_PREFIX = re.compile(r"^(copy of |copia de |copie de |kopie von |kopie van |копия )+")
_SUFFIX = re.compile(r"(\s*\(\d+\)|\s*[-_ ]\s*copy(\s*\(\d+\))?|\s*-\s*kopie)$")


def normalize_name(filename: str) -> str:
    """A notebook file name without the decorations that copying and downloading add."""
    name = Path(filename).name
    if name.lower().endswith(".ipynb"):
        name = name[: -len(".ipynb")]
    name = name.strip().lower()
    previous = None
    while previous != name:
        previous = name
        name = _PREFIX.sub("", name).strip()
        name = _SUFFIX.sub("", name).strip()
    return re.sub(r"[\s.\-]+", "_", name)


def find_candidates(folder: Path) -> list[str]:
    """Notebook files in ``folder`` (and below), relative paths, sorted; checkpoints skipped;
    only regular files (see scan_folder)."""
    return scan_folder(folder).notebooks


def _pick(names: list[str], mtimes: dict[str, float]) -> str:
    """The most recently modified of several candidates (then the shortest path, then name)."""
    return sorted(names, key=lambda n: (-mtimes.get(n, 0.0), n.count("/"), len(n), n))[0]


def match_notebooks(expected: list[str], candidates: list[str],
                    mtimes: dict[str, float] | None = None) -> dict[str, tuple[str, str | None]]:
    """Map each expected notebook id to (candidate path, note or None when the name is exact).

    Passes, each over what is still unmatched: exact file name at the top; exact file name in
    a subfolder; same normalized name; a single notebook left for a single expected one; a
    clearly closest name (difflib ratio >= 0.6 and 0.15 ahead of the next).
    """
    mtimes = mtimes or {}
    left = list(candidates)
    result: dict[str, tuple[str, str | None]] = {}

    def take(nb_id, path, note):
        result[nb_id] = (path, note)
        left.remove(path)

    for nb_id in expected:
        if f"{nb_id}.ipynb" in left:
            take(nb_id, f"{nb_id}.ipynb", None)
    for nb_id in expected:
        if nb_id in result:
            continue
        same = [c for c in left if Path(c).name == f"{nb_id}.ipynb"]
        if same:
            path = _pick(same, mtimes)
            take(nb_id, path, f"graded '{path}' (found in a subfolder)")
    for nb_id in expected:
        if nb_id in result:
            continue
        same = [c for c in left if normalize_name(c) == normalize_name(nb_id)]
        if same:
            path = _pick(same, mtimes)
            others = [c for c in same if c != path]
            note = f"renamed from '{path}'"
            if others:
                note += " (also handed in: " + ", ".join(f"'{o}'" for o in others) + ")"
            take(nb_id, path, note)
    unmatched = [nb_id for nb_id in expected if nb_id not in result]
    if len(unmatched) == 1 and len(left) == 1:
        take(unmatched[0], left[0], f"renamed from '{left[0]}'")
    for nb_id in expected:
        if nb_id in result or not left:
            continue
        ratios = sorted(((difflib.SequenceMatcher(None, normalize_name(c),
                                                  normalize_name(nb_id)).ratio(), c)
                         for c in left), reverse=True)
        best, path = ratios[0]
        runner_up = ratios[1][0] if len(ratios) > 1 else 0.0
        if best >= 0.6 and best - runner_up >= 0.15:
            take(nb_id, path, f"renamed from '{path}'")
    return result


# --- reading and repairing a notebook -------------------------------------------------------


def read_notebook(data: bytes) -> tuple[nbformat.NotebookNode | None, str | None]:
    """Parse and validate notebook bytes: (notebook, None) or (None, what is wrong)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, "not a notebook (not UTF-8 text)"
    if not text.strip():
        return None, "not a notebook (empty file)"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            nb = nbformat.reads(text, as_version=4)
        except Exception as exc:  # nbformat raises many kinds (JSON, version, schema)
            return None, f"not a notebook ({_first_line(exc) or type(exc).__name__})"
        try:
            nbformat.validate(nb)
        except nbformat.ValidationError:
            try:
                _, repaired = nbformat.validator.normalize(nb)
                nb = nbformat.from_dict(repaired)
                nbformat.validate(nb)
            except Exception as exc:
                return None, f"invalid notebook ({_first_line(exc)})"
    if not isinstance(nb.get("cells"), list):
        return None, "invalid notebook (no cells)"
    return nb, None


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "message", None) or exc).strip()
    return text.splitlines()[0][:200] if text else ""


# nbgrader metadata keys that decide how a cell is graded: restored from the release.
RESTORED_KEYS = ("grade", "solution", "locked", "points", "task", "schema_version", "cell_type")
_FLAGS = ("grade", "solution", "locked", "task")
_BOOL_KEYS = ("grade", "solution", "locked", "task")


def _same(a, b) -> bool:
    """Equal in value and in JSON type (True is not 1, 2 is 2.0)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    return a == b


def metadata_problem(meta) -> str | None:
    """What is malformed about a cell's ``metadata.nbgrader`` (None: well-formed)."""
    if not isinstance(meta, dict):
        return f"is not a dictionary ({type(meta).__name__})"
    for key in _BOOL_KEYS:
        if key in meta and not isinstance(meta[key], bool):
            return f"'{key}' is not true or false"
    if "grade_id" in meta and not isinstance(meta["grade_id"], str):
        return "'grade_id' is not a string"
    points = meta.get("points")
    if "points" in meta and (isinstance(points, bool) or not isinstance(points, (int, float))
                             or not math.isfinite(points) or points < 0):
        return "'points' is not a number of points"
    if "schema_version" in meta and (isinstance(meta["schema_version"], bool)
                                     or not isinstance(meta["schema_version"], int)):
        return "'schema_version' is not an integer"
    return None


def _is_flagged(meta) -> bool:
    return isinstance(meta, dict) and any(meta.get(k) for k in _FLAGS)


def set_cell_type(cell, cell_type: str) -> None:
    """Turn ``cell`` into a ``cell_type`` cell (code, markdown or raw), keeping its source."""
    if cell.get("cell_type") == cell_type:
        return
    cell["cell_type"] = cell_type
    if cell_type == "code":
        cell["outputs"] = []
        cell["execution_count"] = None
        cell.pop("attachments", None)
    else:
        cell.pop("outputs", None)
        cell.pop("execution_count", None)


def _note_targets(released, grade_id: str) -> list[str]:
    """Scored ids a note about the released cell ``grade_id`` belongs to ([] = the notebook)."""
    for cell in released.cells:
        if nbgrader_id(cell) == grade_id:
            if is_scored(cell):
                return [grade_id]
            if cell_kind(cell) == "answer":
                return related_scored_ids(released, grade_id)
            return []
    return []


def _kind_name(kind: str) -> str:
    return {"test": "test cell", "manual": "answer cell", "task": "task cell",
            "answer": "answer cell", "readonly": "read-only cell"}[kind]


def normalize_nbgrader_cells(nb, released, record: NotebookIntake) -> None:
    """Make the nbgrader metadata of ``nb`` what nbgrader can grade without failing.

    - one cell per released grade id: the last one carrying it (flagged cells first), which
      is the one nbgrader's DeduplicateIds keeps; the copies lose their nbgrader metadata
      (unchanged copies of read-only and test cells, which hold nothing of the student's, are
      removed: as ordinary cells they would run the grading code as the student's own);
    - that cell gets the released metadata (RESTORED_KEYS, grade id, checksum) and the
      released cell type; its source stays the student's (nbgrader restores read-only cells);
    - nbgrader metadata that is malformed (metadata_problem), or flags a cell without a grade
      id, or names a grade id that is not in the release, is removed.

    Every change that could matter is noted in ``record``.
    """
    released_cells = {nbgrader_id(c): c for c in released.cells if nbgrader_id(c)}
    last_any: dict[str, int] = {}
    last_flagged: dict[str, int] = {}
    for index, cell in enumerate(nb.cells):
        meta = cell.get("metadata", {}).get("nbgrader")
        if metadata_problem(meta) is not None:
            continue
        gid = meta.get("grade_id")
        if gid in released_cells:
            last_any[gid] = index
            if _is_flagged(meta):
                last_flagged[gid] = index
    keep = {**last_any, **last_flagged}
    drop: list[int] = []
    for index, cell in enumerate(nb.cells):
        metadata = cell.setdefault("metadata", nbformat.NotebookNode())
        if "nbgrader" not in metadata:
            continue
        meta = metadata["nbgrader"]
        problem = metadata_problem(meta)
        gid = meta.get("grade_id") if problem is None else None
        if problem is None and gid in released_cells:
            rcell = released_cells[gid]
            kind = _kind_name(cell_kind(rcell))
            if keep.get(gid) != index:
                del metadata["nbgrader"]
                if nbutils.is_locked(rcell) and _same_source(cell, rcell):
                    # Nothing of the student's in it; as an ordinary cell it would look like
                    # a student's cell that runs the grading code (tamper scan).
                    drop.append(index)
                    what = "removed (an unchanged copy)"
                else:
                    what = "made an ordinary cell"
                record.note(f"{kind} {gid} appears more than once; the copy at cell "
                            f"{index + 1} was {what}", _note_targets(released, gid))
                continue
            rmeta = rcell.metadata["nbgrader"]
            changed = [k for k in RESTORED_KEYS
                       if not _same(_setting(meta, k), _setting(rmeta, k))]
            if cell.get("cell_type") != rcell.cell_type and "cell_type" not in changed:
                changed.append("cell_type")
            extra = sorted(set(meta) - set(rmeta) - {"checksum", *RESTORED_KEYS})
            metadata["nbgrader"] = copy.deepcopy(rmeta)
            set_cell_type(cell, rcell.cell_type)
            if changed or extra:
                what = ", ".join(changed + [f"unknown key {k!r}" for k in extra][:5])
                record.note(f"the nbgrader settings of {kind} {gid} were changed ({what}); "
                            "restored from the released notebook", _note_targets(released, gid))
            continue
        del metadata["nbgrader"]
        if problem is not None:
            record.note(f"cell {index + 1} had malformed nbgrader metadata ({problem}); made an "
                        "ordinary cell")
        elif isinstance(gid, str) and gid:
            record.note(f"cell {index + 1} claims the nbgrader id '{display_id(gid[:80])}', "
                        "which is not in the released notebook; made an ordinary cell")
        elif _is_flagged(meta):
            record.note(f"cell {index + 1} is marked as an nbgrader cell without a grade id; "
                        "made an ordinary cell")
    for index in reversed(drop):
        del nb.cells[index]


def _setting(meta: dict, key: str):
    """A metadata value, with nbgrader's default (false) for a flag that is not there."""
    return meta.get(key, False) if key in _BOOL_KEYS else meta.get(key)


def _same_source(cell, released_cell) -> bool:
    def text(c):
        source = c.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        return "\n".join(line.rstrip() for line in source.strip().splitlines())

    return text(cell) == text(released_cell)


def clear_outputs(nb) -> None:
    """Drop the outputs of code cells (nbgrader clears them before running anyway)."""
    for cell in nb.cells:
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None


def _restored_cell(released_cell, nb) -> nbformat.NotebookNode:
    cell = copy.deepcopy(released_cell)
    if cell.cell_type == "code":
        cell.outputs = []
        cell.execution_count = None
    if cell_kind(cell) == "answer":
        # Not the stub that raises: the student may have written the answer in another cell.
        comment = "#" if cell.cell_type == "code" else ""
        cell.source = (f"{comment} The answer cell '{nbgrader_id(cell)}' was missing from this "
                       "submission; the grader put it back empty.\n")
    has_ids = (nb.get("nbformat", 4), nb.get("nbformat_minor", 0)) >= (4, 5)
    if not has_ids:
        cell.pop("id", None)
    else:
        taken = {c.get("id") for c in nb.cells}
        if cell.get("id") in taken or not cell.get("id"):
            cell["id"] = uuid.uuid4().hex[:8]
    return cell


def restore_missing_cells(nb, released) -> list[tuple[str, str]]:
    """Put back the released nbgrader cells that ``nb`` lacks; returns [(grade_id, kind)].

    Each goes right before the next released nbgrader cell still in ``nb`` (so after any
    cells the student added after the previous one), or at the end.
    """
    order = [(nbgrader_id(c), c) for c in released.cells if nbgrader_id(c)]
    restored = []
    for i, (gid, rcell) in enumerate(order):
        present = {nbgrader_id(c) for c in nb.cells}
        if gid in present:
            continue
        position = len(nb.cells)
        for later_id, _ in order[i + 1:]:
            if later_id in present:
                # nbgrader keeps the last of duplicated ids (DeduplicateIds); anchor on the first.
                position = next(k for k, c in enumerate(nb.cells) if nbgrader_id(c) == later_id)
                break
        nb.cells.insert(position, _restored_cell(rcell, nb))
        restored.append((gid, cell_kind(rcell)))
    return restored


def edited_locked_cells(nb, released) -> list[tuple[str, str]]:
    """[(grade_id, kind)] of read-only and test cells whose content differs from the release.

    Compares ``nbgrader.utils.compute_checksum`` of the submitted cell (the last one with that
    id, the one nbgrader keeps) with the checksum stored in the released cell.
    """
    last = {}
    for cell in nb.cells:
        gid = nbgrader_id(cell)
        if gid:
            last[gid] = cell
    edited = []
    for rcell in released.cells:
        gid = nbgrader_id(rcell)
        if not gid or not nbutils.is_locked(rcell) or gid not in last:
            continue
        expected = rcell.metadata.nbgrader.get("checksum")
        try:
            actual = nbutils.compute_checksum(last[gid])
        except (KeyError, TypeError, ValueError):
            actual = None
        if expected and actual != expected:
            edited.append((gid, cell_kind(rcell)))
    return edited


def repair_notebook(nb, released, record: NotebookIntake) -> None:
    """Normalize the nbgrader metadata of ``nb`` (normalize_nbgrader_cells), restore deleted
    nbgrader cells and note deleted and edited cells in ``record``."""
    normalize_nbgrader_cells(nb, released, record)
    for gid, kind in restore_missing_cells(nb, released):
        if kind == "test":
            record.note(f"test cell {gid} was deleted; restored", [gid])
        elif kind in ("manual", "task"):
            record.note(f"answer cell {gid} was deleted; restored empty", [gid])
        elif kind == "answer":
            related = related_scored_ids(released, gid)
            record.note(f"answer cell {gid} was deleted; put back empty", related)
        else:
            record.note(f"read-only cell {gid} was deleted; restored")
    for gid, kind in edited_locked_cells(nb, released):
        if kind == "test":
            record.note(f"test cell {gid} was edited; restored", [gid])
        else:
            record.note(f"read-only cell {gid} was edited; restored")


# --- one submission -------------------------------------------------------------------------


def _clear_dest(dest: Path) -> None:
    if dest.is_symlink() or dest.is_file():
        dest.unlink()
    elif dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)


def intake_submission(folder: Path | None, student_id: str, assignment_id: str,
                      released: dict[str, nbformat.NotebookNode], dest: Path,
                      scanner=None, *, submissions_root: Path | None = None,
                      student_folder: str | None = None) -> SubmissionIntake:
    """Read the submission in ``folder`` (None: nothing handed in) and write what is gradable
    into ``dest`` (cleared first). ``folder`` is only read.

    ``released`` maps notebook id -> released student notebook. ``scanner`` (optional) is the
    tamper scan: called with each intake'd notebook, returns objects with ``grade_id`` and
    ``message``. ``submissions_root``: the SUBMISSIONS folder above ``folder``; every folder
    from it down to ``folder`` must be a real folder, not a symbolic link (without it, only
    ``folder`` itself is checked). ``student_id`` is the id graded under (ids.internal_id);
    ``student_folder`` the student's folder name, when it differs.
    """
    record = SubmissionIntake(student_id, assignment_id,
                              folder=display_id(str(folder)) if folder is not None else None,
                              student_folder=display_id(student_folder if student_folder
                                                        is not None else student_id))
    _clear_dest(dest)
    expected = sorted(released)
    scan = FolderScan()
    refused_folder = None
    if folder is not None:
        folder = Path(folder)
        if submissions_root is not None:
            refused_folder = path_problem(Path(submissions_root), folder)
        else:
            refused_folder = path_problem(folder.parent, folder)
    if refused_folder:
        note = f"{refused_folder}; hand in the folder itself, not a link"
        record.notes.append(note)
        for nb_id in expected:
            entry = NotebookIntake(nb_id, NOTEBOOK_INVALID)
            entry.note(f"notebook {nb_id}.ipynb not read: {note}; scored 0")
            record.notebooks.append(entry)
        return record
    if folder is not None:
        scan = scan_folder(folder)
        if scan.truncated:
            record.notes.append(f"more than {MAX_FOLDER_ENTRIES} files handed in; only the "
                                "first were looked at")
        record.timestamp, note = read_timestamp(folder)
        if note:
            record.notes.append(note)
        if record.timestamp is not None:
            (dest / TIMESTAMP_FILE).write_text(record.timestamp + "\n", encoding="ascii")
    matches = match_notebooks(expected, scan.notebooks, scan.mtimes)
    used = {path for path, _ in matches.values()}
    left = [nb_id for nb_id in expected if nb_id not in matches]
    refused = match_notebooks(left, sorted(scan.refused)) if left else {}
    ignored = [*scan.others, *(c for c in scan.notebooks if c not in used),
               *(f"{c} ({scan.refused[c]})" for c in scan.refused
                 if c not in {path for path, _ in refused.values()})]
    record.ignored_files = sorted(display_id(f) for f in ignored)

    for nb_id in expected:
        name = f"{nb_id}.ipynb"
        if nb_id in refused:
            path, _ = refused[nb_id]
            entry = NotebookIntake(nb_id, NOTEBOOK_INVALID, source=display_id(path))
            entry.note(f"notebook {display_id(path)} {scan.refused[path]}; hand in the "
                       "notebook file itself; scored 0")
            record.notebooks.append(entry)
            continue
        if nb_id not in matches:
            entry = NotebookIntake(nb_id, NOTEBOOK_MISSING)
            entry.note(f"notebook {name} not submitted")
            record.notebooks.append(entry)
            continue
        path, rename_note = matches[nb_id]
        entry = NotebookIntake(nb_id, NOTEBOOK_OK, source=display_id(path))
        if rename_note:
            entry.note(display_id(rename_note))
        nb = None
        try:
            data = read_handed_in(folder / path, MAX_NOTEBOOK_BYTES)
        except Refused as exc:
            problem = f"it {exc.reason}" if exc.reason.startswith("is ") else exc.reason
        else:
            nb, problem = read_notebook(data)
        if nb is None:
            entry.state = NOTEBOOK_INVALID
            entry.note(f"notebook {display_id(path)} could not be read: {problem}; scored 0")
            record.notebooks.append(entry)
            continue
        clear_outputs(nb)
        repair_notebook(nb, released[nb_id], entry)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            nbformat.write(nb, dest / name)
        if scanner is not None:
            for finding in scanner(nb) or ():
                record.findings.append(Finding(nb_id, getattr(finding, "grade_id", None),
                                               str(getattr(finding, "message", finding))))
        record.notebooks.append(entry)
    return record


# --- the class ------------------------------------------------------------------------------


def _entries(folder: Path) -> list[os.DirEntry]:
    try:
        with os.scandir(folder) as it:
            return sorted(it, key=lambda e: e.name)
    except OSError:
        return []


def list_students(submissions: Path) -> list[str]:
    """Student ids (folder names, as they are): the folders of ``submissions``, hidden and
    system folders skipped. A symbolic link to a folder is listed too (its submissions are
    refused by intake_submission, with a message)."""
    return [e.name for e in _entries(submissions)
            if not e.name.startswith(".") and e.name not in IGNORED_DIRS and e.is_dir()]


def submission_folder(submissions: Path, student: str, assignment: str) -> Path | None:
    """``submissions/student/assignment`` when something is there (a folder, or a link that
    intake_submission refuses), else None (not handed in)."""
    folder = Path(submissions) / student / assignment
    try:
        mode = os.lstat(folder).st_mode
    except OSError:
        return None
    if stat.S_ISDIR(mode) or stat.S_ISLNK(mode):
        return folder
    return None


def unknown_folders(submissions: Path, student: str, assignments) -> list[str]:
    """Entries of a student's folder that are not assignments (reported, not graded); names
    as they are (print them with ids.display_id). Nothing for a student folder that is a
    symbolic link (it is not read)."""
    root = Path(submissions) / student
    if root.is_symlink():
        return []
    return [e.name for e in _entries(root)
            if e.name not in assignments and not e.name.startswith(".")
            and e.name not in IGNORED_DIRS]
