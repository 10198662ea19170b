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
"""

from __future__ import annotations

import copy
import difflib
import json
import re
import shutil
import uuid
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path

import nbformat
from nbgrader import utils as nbutils

NOTEBOOK_OK = "ok"
NOTEBOOK_MISSING = "missing"
NOTEBOOK_INVALID = "invalid"

IGNORED_DIRS = {".ipynb_checkpoints", "__MACOSX", "__pycache__"}
TIMESTAMP_FILE = "timestamp.txt"


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
    student_id: str
    assignment_id: str
    folder: str | None  # the submission folder read, None when nothing was handed in
    notebooks: list[NotebookIntake] = field(default_factory=list)
    ignored_files: list[str] = field(default_factory=list)
    timestamp: str | None = None
    findings: list[Finding] = field(default_factory=list)

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
    """Notebook files in ``folder`` (and below), relative paths, sorted; checkpoints skipped."""
    found = []
    for path in folder.rglob("*"):
        rel = path.relative_to(folder)
        if any(part in IGNORED_DIRS or part.startswith(".") for part in rel.parts):
            continue
        if path.is_file() and path.name.lower().endswith(".ipynb"):
            found.append(rel.as_posix())
    return sorted(found, key=lambda p: (p.count("/"), p))


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
    """Restore deleted nbgrader cells of ``nb`` and note deleted and edited cells in
    ``record``."""
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


def intake_submission(folder: Path | None, student_id: str, assignment_id: str,
                      released: dict[str, nbformat.NotebookNode], dest: Path,
                      scanner=None) -> SubmissionIntake:
    """Read the submission in ``folder`` (None: nothing handed in) and write what is gradable
    into ``dest`` (cleared first).

    ``released`` maps notebook id -> released student notebook. ``scanner`` (optional) is the
    tamper scan: called with each intake'd notebook, returns objects with ``grade_id`` and
    ``message``.
    """
    record = SubmissionIntake(student_id, assignment_id,
                              folder=str(folder) if folder is not None else None)
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    expected = sorted(released)
    candidates: list[str] = []
    mtimes: dict[str, float] = {}
    if folder is not None and folder.is_dir():
        candidates = find_candidates(folder)
        mtimes = {c: (folder / c).stat().st_mtime for c in candidates}
        stamp = folder / TIMESTAMP_FILE
        if stamp.is_file():
            record.timestamp = stamp.read_text(encoding="utf-8", errors="replace").strip()
            shutil.copyfile(stamp, dest / TIMESTAMP_FILE)
        for path in sorted(folder.rglob("*")):
            rel = path.relative_to(folder)
            if (path.is_file() and rel.as_posix() not in candidates and path.name != TIMESTAMP_FILE
                    and not IGNORED_DIRS.intersection(rel.parts)):
                record.ignored_files.append(rel.as_posix())
    matches = match_notebooks(expected, candidates, mtimes)
    used = {path for path, _ in matches.values()}
    record.ignored_files.extend(c for c in candidates if c not in used)
    record.ignored_files.sort()

    for nb_id in expected:
        name = f"{nb_id}.ipynb"
        if nb_id not in matches:
            entry = NotebookIntake(nb_id, NOTEBOOK_MISSING)
            entry.note(f"notebook {name} not submitted")
            record.notebooks.append(entry)
            continue
        path, rename_note = matches[nb_id]
        entry = NotebookIntake(nb_id, NOTEBOOK_OK, source=path)
        if rename_note:
            entry.note(rename_note)
        nb, problem = read_notebook((folder / path).read_bytes())
        if nb is None:
            entry.state = NOTEBOOK_INVALID
            entry.note(f"notebook {path} could not be read: {problem}; scored 0")
            record.notebooks.append(entry)
            continue
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


def list_students(submissions: Path) -> list[str]:
    """Student ids: the folders of ``submissions`` (hidden and system folders skipped)."""
    return sorted(p.name for p in submissions.iterdir()
                  if p.is_dir() and not p.name.startswith(".") and p.name not in IGNORED_DIRS)


def submission_folder(submissions: Path, student: str, assignment: str) -> Path | None:
    folder = submissions / student / assignment
    return folder if folder.is_dir() else None


def unknown_folders(submissions: Path, student: str, assignments) -> list[str]:
    """Entries of a student's folder that are not assignments (reported, not graded)."""
    root = submissions / student
    return sorted(p.name for p in root.iterdir()
                  if p.name not in assignments and not p.name.startswith(".")
                  and p.name not in IGNORED_DIRS)
