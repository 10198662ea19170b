"""Intake, merge and workspace against mishaps and adversaries (autograder/pipeline/).

Students hand in copied cells, edited nbgrader metadata, old notebook formats, odd timestamps,
odd folder names, huge notebooks and symbolic links; a grading job may leave a hostile
gradebook behind; OUT may be damaged between runs. None of it may cost an honest point, make
grading error out, be followed out of SUBMISSIONS, or reach OUT's gradebook.

Unit tests use notebook 01 as released (notebooks/); the tests marked ``slow`` run the real
grading command (nbgrader, kernels).
"""

from __future__ import annotations

import copy
import csv
import hashlib
import json
import math
import os
import shutil
import sqlite3
from pathlib import Path

import nbformat
import nbgrader.api
import pytest
from gradebook_helpers import alembic_head
from nbformat.v4 import new_code_cell, new_markdown_cell
from nbgrader import utils as nbutils
from nbgrader.nbgraderformat import MetadataValidator

from autograder import SOLUTIONS_DIR
from autograder.pipeline import ids, intake, merge, workspace
from autograder.pipeline.intake import NOTEBOOK_INVALID, NOTEBOOK_MISSING, NOTEBOOK_OK
from autograder.submissions import fill_answers, read_release, reference_answers

pytestmark = pytest.mark.filterwarnings("ignore:Object of type:Warning")

A = "01_threshold_logic_unit"
NB = f"{A}.ipynb"
SOLUTION = SOLUTIONS_DIR / A / NB
EXPLANATION = "One line cannot separate XOR's ones from its zeros; two layers can."


def released_nb():
    return read_release(A)


def perfect_nb():
    answers = reference_answers(A)
    answers["explain_xor"] = EXPLANATION
    return fill_answers(released_nb(), answers)


def gid(cell):
    meta = cell.get("metadata", {}).get("nbgrader")
    return meta.get("grade_id") if isinstance(meta, dict) else None


def index_of(nb, grade_id):
    return next(i for i, c in enumerate(nb.cells) if gid(c) == grade_id)


def put(folder: Path, name: str, content) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        nbformat.write(content, path)
    return path


def run_intake(tmp_path, files: dict | None = None, *, folder=None, student="ann", **kwargs):
    if folder is None and files is not None:
        folder = tmp_path / "submissions" / student / A
        folder.mkdir(parents=True, exist_ok=True)
        for name, content in files.items():
            put(folder, name, content)
    dest = tmp_path / "out" / "submitted" / student / A
    record = intake.intake_submission(folder, student, A, {A: released_nb()}, dest, **kwargs)
    return record, dest


def written(dest):
    return nbformat.read(dest / NB, as_version=4)


def assert_nbgrader_accepts(nb):
    """What makes nbgrader's autograde fail before any cell runs (CheckCellMetadata)."""
    MetadataValidator().validate_nb(nb)
    ids_seen = [gid(c) for c in nb.cells if gid(c)]
    assert len(ids_seen) == len(set(ids_seen)), ids_seen
    released = {gid(c): c for c in released_nb().cells if gid(c)}
    assert set(ids_seen) == set(released)
    for cell in nb.cells:
        if gid(cell):
            rmeta = released[gid(cell)].metadata.nbgrader
            assert cell.metadata.nbgrader == rmeta
            assert cell.cell_type == released[gid(cell)].cell_type


def tree_hash(root: Path) -> str:
    """Names, types, modes, link targets and contents of everything under ``root``."""
    h = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        for name in sorted(dirnames + filenames):
            path = Path(dirpath) / name
            st = os.lstat(path)
            h.update(f"{path.relative_to(root)}|{st.st_mode}|{st.st_mtime_ns}\n".encode(
                "utf-8", "surrogateescape"))
            if path.is_symlink():
                h.update(os.readlink(path).encode("utf-8", "surrogateescape"))
            elif path.is_file():
                h.update(path.read_bytes())
    return h.hexdigest()


# --- 1a. duplicated grade ids -----------------------------------------------------------------


def test_a_copied_test_cell_keeps_the_last_and_the_copy_becomes_ordinary(tmp_path):
    nb = perfect_nb()
    i = index_of(nb, "test_tlu")
    early_copy = copy.deepcopy(nb.cells[i])
    nb.cells.insert(index_of(nb, "heaviside"), early_copy)  # pasted far above
    nb.cells.insert(len(nb.cells), copy.deepcopy(nb.cells[index_of(nb, "test_sign")]))
    record, dest = run_intake(tmp_path, {NB: nb})
    out = written(dest)
    assert_nbgrader_accepts(out)
    # The test_tlu kept is the last one (where it was released), as nbgrader's DeduplicateIds.
    assert index_of(out, "test_tlu") > index_of(out, "tlu")
    # Unchanged copies of test cells hold nothing of the student's: removed (as ordinary
    # cells that import course.checks the tamper scan would take them for tampering).
    assert len(out.cells) == len(nb.cells) - 2
    entry = record.notebook(A)
    assert entry.state == NOTEBOOK_OK
    assert any("test cell test_tlu appears more than once; the copy at cell "
               f"{index_of(nb, 'heaviside')} was removed (an unchanged copy)" in m
               for m in entry.messages_for("test_tlu")), entry.messages_for("test_tlu")
    assert any("test_sign appears more than once" in m for m in entry.messages_for("test_sign"))
    from autograder.tamper import scan_notebook

    assert scan_notebook(out) == []


def test_the_kept_copy_is_the_one_nbgrader_keeps_and_an_edited_copy_stays(tmp_path):
    from nbgrader.preprocessors import DeduplicateIds

    nb = perfect_nb()
    i = index_of(nb, "test_sign")
    edited = copy.deepcopy(nb.cells[i])
    edited.source += "\nprint('my own check')"
    nb.cells.insert(i, edited)  # pasted right above the original, then edited
    record, dest = run_intake(tmp_path, {NB: nb})
    out = written(dest)
    assert_nbgrader_accepts(out)
    dedup, _ = DeduplicateIds().preprocess(copy.deepcopy(nb), {})
    kept = [k for k, c in enumerate(dedup.cells) if c.metadata.get("nbgrader")
            and c.metadata.nbgrader.get("grade_id") == "test_sign"]
    assert kept == [k for k, c in enumerate(out.cells) if gid(c) == "test_sign"] == [i + 1]
    assert out.cells[i].metadata.get("nbgrader") is None  # the edited copy, now ordinary
    assert out.cells[i].source.endswith("print('my own check')")
    assert any("copy at cell" in m and "made an ordinary cell" in m
               for m in record.notebook(A).messages_for("test_sign"))


def test_a_copied_answer_cell_keeps_both_sources_and_one_answer_cell(tmp_path):
    nb = released_nb()
    i = index_of(nb, "heaviside")
    nb.cells.insert(i, copy.deepcopy(nb.cells[i]))  # duplicated, the answer in the first
    nb.cells[i].source = reference_answers(A)["heaviside"]
    record, dest = run_intake(tmp_path, {NB: nb})
    out = written(dest)
    assert_nbgrader_accepts(out)
    assert out.cells[i].metadata.get("nbgrader") is None
    assert out.cells[i].source == reference_answers(A)["heaviside"]  # still runs
    assert "NotImplementedError" in out.cells[i + 1].source and gid(out.cells[i + 1])
    assert any("answer cell heaviside appears more than once" in m
               for m in record.notebook(A).messages_for("test_heaviside"))


# --- 1b. nbgrader metadata that disagrees with the release ------------------------------------


def test_an_answer_cell_claiming_points_gets_the_released_metadata_back(tmp_path):
    nb = perfect_nb()
    cell = nb.cells[index_of(nb, "tlu")]
    cell.metadata.nbgrader.update(grade=True, points=100, locked=True, extra="x")
    test = nb.cells[index_of(nb, "test_tlu")]
    test.metadata.nbgrader.update(points=1000, locked=False, solution=True)
    record, dest = run_intake(tmp_path, {NB: nb})
    out = written(dest)
    assert_nbgrader_accepts(out)
    assert out.cells[index_of(out, "tlu")].source == reference_answers(A)["tlu"]
    messages = record.notebook(A).messages_for("test_tlu")
    assert any("nbgrader settings of answer cell tlu were changed (grade, locked, points"
               in m for m in messages), messages
    assert any("test cell test_tlu were changed" in m for m in messages), messages


def test_a_changed_cell_type_is_restored_with_the_students_text(tmp_path):
    nb = perfect_nb()
    explain = nb.cells[index_of(nb, "explain_xor")]
    explain.cell_type = "code"  # written as a comment in a code cell
    explain.outputs, explain.execution_count = [], None
    explain.metadata.nbgrader["cell_type"] = "code"
    record, dest = run_intake(tmp_path, {NB: nb})
    out = written(dest)
    assert_nbgrader_accepts(out)
    cell = out.cells[index_of(out, "explain_xor")]
    assert (cell.cell_type, cell.source) == ("markdown", EXPLANATION)
    assert "outputs" not in cell
    assert any("cell_type" in m for m in record.notebook(A).messages_for("explain_xor"))


@pytest.mark.parametrize("meta, words", [
    ({"grade": True, "solution": False, "locked": True, "points": 50, "grade_id": "bonus",
      "schema_version": 3}, "claims the nbgrader id 'bonus'"),
    ({"grade": True, "solution": False, "locked": True, "points": 5, "schema_version": 3},
     "without a grade id"),
    ({"grade": True, "solution": False, "locked": False, "points": 5, "grade_id": "",
      "schema_version": 3}, "without a grade id"),
    (["not", "a", "dict"], "malformed nbgrader metadata (is not a dictionary"),
    ("grade", "malformed nbgrader metadata"),
    ({"grade": "yes", "grade_id": "test_tlu", "points": 3}, "'grade' is not true or false"),
    ({"grade": True, "grade_id": "test_tlu", "points": "lots", "solution": False,
      "locked": True, "schema_version": 3}, "'points' is not a number"),
    ({"grade": True, "grade_id": "test_tlu", "points": float("nan"), "solution": False,
      "locked": True, "schema_version": 3}, "'points' is not a number"),
    ({"grade": True, "grade_id": ["test_tlu"], "points": 3, "solution": False,
      "locked": True, "schema_version": 3}, "'grade_id' is not a string"),
])
def test_foreign_or_malformed_nbgrader_metadata_makes_an_ordinary_cell(tmp_path, meta, words):
    nb = perfect_nb()
    extra = new_code_cell("print('mine')")
    extra.metadata["nbgrader"] = meta
    nb.cells.insert(index_of(nb, "test_tlu") + 1, extra)
    record, dest = run_intake(tmp_path, {NB: nb})
    out = written(dest)
    assert_nbgrader_accepts(out)
    mine = [c for c in out.cells if c.source == "print('mine')"]
    assert len(mine) == 1 and "nbgrader" not in mine[0].metadata
    assert any(words in m for m in record.notebook(A).notes), record.notebook(A).notes
    # The real test_tlu (the released one) is still the graded cell.
    assert out.cells[index_of(out, "test_tlu")].metadata.nbgrader["points"] == 3


def test_a_missing_false_flag_is_not_a_change(tmp_path):
    nb = perfect_nb()
    for cell in nb.cells:
        if gid(cell):
            cell.metadata.nbgrader.pop("task", None)
            cell.metadata.nbgrader.pop("checksum", None)
    cell = nb.cells[index_of(nb, "tlu")]
    cell.metadata.nbgrader["task"] = False
    del cell.metadata.nbgrader["grade"]
    record, dest = run_intake(tmp_path, {NB: nb})
    assert_nbgrader_accepts(written(dest))
    assert record.notebook(A).notes == [] and record.notebook(A).cell_notes == {}


def test_unflagged_nbgrader_metadata_is_dropped_quietly(tmp_path):
    nb = perfect_nb()
    nb.cells.append(new_markdown_cell("notes", metadata={"nbgrader": {
        "grade": False, "solution": False, "locked": False, "schema_version": 1}}))
    record, dest = run_intake(tmp_path, {NB: nb})
    assert_nbgrader_accepts(written(dest))
    assert record.notebook(A).notes == []


# --- 1c. nbformat 3 ---------------------------------------------------------------------------


def test_an_nbformat_3_notebook_is_converted_and_graded(tmp_path):
    v3 = nbformat.writes(nbformat.convert(perfect_nb(), 3), version=3)
    assert json.loads(v3)["nbformat"] == 3
    record, dest = run_intake(tmp_path, {NB: v3.encode()})
    assert record.graded_notebooks == [A]
    raw = json.loads((dest / NB).read_text(encoding="utf-8"))
    assert raw["nbformat"] == 4
    out = written(dest)
    nbformat.validate(out)
    assert_nbgrader_accepts(out)
    assert out.cells[index_of(out, "tlu")].source == reference_answers(A)["tlu"]
    # Unchanged read-only and test cells stay unchanged (no "edited; restored" notes).
    assert record.notebook(A).notes == [] and record.notebook(A).cell_notes == {}


# --- 1d. timestamp.txt ------------------------------------------------------------------------


@pytest.mark.parametrize("text, canonical", [
    ("2026-09-01 10:00:00", "2026-09-01 10:00:00"),
    ("2026-09-01 12:00:00.250000 Europe/Berlin", "2026-09-01 10:00:00.250000"),
    ("2026-09-01T10:00:00+02:00", "2026-09-01 08:00:00"),
    ("2026-09-01 03:00:00-07:00", "2026-09-01 10:00:00"),
    # nbgrader's parse_utc reads a third, numeric part as an offset in seconds: kept as is,
    # the grade must not depend on whether intake or nbgrader read the file.
    ("2026-09-01 10:00:00 3600", "2026-09-01 09:00:00"),
    ("\ufeff 2026-09-01 10:00:00 \n\n", "2026-09-01 10:00:00"),  # nbgrader would fail on it
    ("2026-09-01 10:00:00 Mars/Olympus", "2026-09-01 10:00:00"),  # unknown zone: UTC
])
def test_a_timestamp_nbgrader_reads_is_copied_in_canonical_form(tmp_path, text, canonical):
    record, dest = run_intake(tmp_path, {NB: perfect_nb(), "timestamp.txt": text.encode()})
    assert record.timestamp == canonical and record.notes == []
    copied = (dest / "timestamp.txt").read_text(encoding="ascii").strip()
    assert copied == canonical
    assert nbutils.parse_utc(copied) == nbutils.parse_utc(text.lstrip("\ufeff").strip())


@pytest.mark.parametrize("content, words", [
    (b"garbage", "does not hold a date"),
    (b"2026-13-45 99:00", "does not hold a date"),
    (b"0001-01-01 00:00:00 +2359", "does not hold a date"),
    (b"9999-12-31 23:59:59 -2359", "does not hold a date"),
    (b"2026-09-01 10:00:00 99999999999999999999", "does not hold a date"),
    (b"\xff\xfe\x00garbage", "not text"),
    (b"   \n", "empty"),
    (b"2026-09-01 10:00:00" + b" " * 5000, "MiB, more than"),
])
def test_a_bad_timestamp_is_ignored_with_a_note(tmp_path, content, words):
    record, dest = run_intake(tmp_path, {NB: perfect_nb(), "timestamp.txt": content})
    assert record.timestamp is None
    assert not (dest / "timestamp.txt").exists()
    assert len(record.notes) == 1 and words in record.notes[0], record.notes
    assert record.graded_notebooks == [A]  # the notebook is graded all the same


def test_a_timestamp_that_is_a_folder_a_link_or_a_fifo_is_ignored(tmp_path):
    outside = put(tmp_path, "secret.txt", "2026-09-01 10:00:00")
    for kind in ("folder", "link", "fifo"):
        folder = tmp_path / kind / "ann" / A
        put(folder, NB, perfect_nb())
        stamp = folder / "timestamp.txt"
        if kind == "folder":
            stamp.mkdir()
        elif kind == "link":
            stamp.symlink_to(outside)
        else:
            os.mkfifo(stamp)
        record, dest = run_intake(tmp_path / kind, folder=folder)
        assert record.timestamp is None and not (dest / "timestamp.txt").exists()
        assert record.notes and "ignored" in record.notes[0], (kind, record.notes)
    assert "symbolic link" in intake.read_timestamp(tmp_path / "link" / "ann" / A)[1]


# --- 1e. odd student ids, folder and file names -------------------------------------------------

ODD_IDS = ["a*b", "[x]", "o'neil", 'say "hi"', "two words", "line\nbreak", "-rf", ".hidden",
           "élève", "学生", "x" * 300, "tab\there", "a/b".replace("/", "\\"), "?", "\udcff\udcfe",
           "\x1b[31mred", "--"]


def test_safe_ids_are_kept_as_they_are():
    for name in ("ann", "s1234567", "jane.doe@uni.edu", "a_b-c.d", "X" * ids.MAX_ID_LENGTH):
        assert ids.is_safe_id(name) and ids.internal_id(name) == name


@pytest.mark.parametrize("name", ODD_IDS)
def test_odd_ids_get_a_safe_deterministic_internal_id(name):
    iid = ids.internal_id(name)
    assert not ids.is_safe_id(name)
    assert ids.is_safe_id(iid), iid
    assert iid == ids.internal_id(name)  # deterministic
    assert len(iid) <= ids.SLUG_LENGTH + 2 + ids.HASH_LENGTH
    assert not any(ch in iid for ch in "*?[]'\" \n\t/\\")
    shown = ids.display_id(name)
    shown.encode("utf-8")  # printable, writable to scores.csv
    assert "\n" not in shown and "\x1b" not in shown and "\t" not in shown


def test_internal_ids_are_readable_and_distinct():
    assert ids.internal_id("two words").startswith("two_words--")
    assert ids.internal_id("élève").startswith("eleve--")
    assert ids.internal_id("-rf").startswith("rf--")
    assert ids.internal_id("学生").startswith("student--")
    mapping = ids.assign_internal_ids(ODD_IDS + ["ann"])
    assert mapping["ann"] == "ann"
    assert len(set(mapping.values())) == len(mapping)


def test_a_folder_named_like_another_students_internal_id_does_not_collide():
    target = ids.internal_id("two words")
    mapping = ids.assign_internal_ids(["two words", target])
    assert mapping[target] == target
    assert mapping["two words"] != target and ids.is_safe_id(mapping["two words"])


def test_the_mapping_file_round_trips(tmp_path):
    mapping = ids.assign_internal_ids(ODD_IDS + ["ann"])
    path = ids.write_mapping(tmp_path / ids.MAPPING_FILE, mapping)
    back = ids.read_mapping(path)
    assert back == {iid: ids.display_id(name) for name, iid in mapping.items()}


def test_display_id_keeps_printable_text():
    assert ids.display_id("élève o'neil") == "élève o'neil"
    assert ids.display_id("a\nb") == "a\\nb"
    assert ids.display_id("\udcff") == "\\xff"


def test_odd_file_names_are_read_and_reported_printably(tmp_path):
    folder = tmp_path / "submissions" / "ann" / A
    folder.mkdir(parents=True)
    odd = "Copy of 01_threshold_logic_unit [v2]*?\n.ipynb"
    put(folder, odd, perfect_nb())
    put(folder, "-rf.py", "import os")
    (folder / os.fsdecode(b"notes\xff.txt")).write_text("x")
    record, dest = run_intake(tmp_path, folder=folder)
    assert record.graded_notebooks == [A]
    assert all("\n" not in n for n in record.notebook(A).notes)
    assert record.notebook(A).notes == ["renamed from 'Copy of 01_threshold_logic_unit "
                                        "[v2]*?\\n.ipynb'"]
    assert "notes\\xff.txt" in record.ignored_files and "-rf.py" in record.ignored_files
    record.save(tmp_path / "record.json")  # JSON and UTF-8 safe
    assert intake.SubmissionIntake.load(tmp_path / "record.json") == record


def test_intake_records_the_students_folder_name(tmp_path):
    record, _ = run_intake(tmp_path, {NB: perfect_nb()}, student="ann",
                           student_folder="ann marie\n")
    assert record.student_id == "ann" and record.student_folder == "ann marie\\n"


# --- 1f. huge notebooks -------------------------------------------------------------------------


def test_outputs_are_stripped_at_intake(tmp_path):
    nb = perfect_nb()
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="x" * 100_000)]
            cell.execution_count = 7
    record, dest = run_intake(tmp_path, {NB: nb})
    assert record.graded_notebooks == [A]
    out = written(dest)
    assert all(c.outputs == [] and c.execution_count is None
               for c in out.cells if c.cell_type == "code")
    assert (dest / NB).stat().st_size < 100_000


def test_a_notebook_over_the_size_limit_is_not_read(tmp_path, monkeypatch):
    monkeypatch.setattr(intake, "MAX_NOTEBOOK_BYTES", 200_000)
    nb = perfect_nb()
    nb.cells[index_of(nb, "tlu")].source += "\n# " + "x" * 300_000
    record, dest = run_intake(tmp_path, {NB: nb})
    entry = record.notebook(A)
    assert entry.state == NOTEBOOK_INVALID and not (dest / NB).exists()
    assert "MiB, more than the 0.2 MiB accepted" in entry.notes[0]
    assert entry.notes[0].endswith("scored 0")


def test_the_default_size_limit_is_20_mib():
    assert intake.MAX_NOTEBOOK_BYTES == 20 * 2**20


# --- 2. symbolic links and other files that are not files ------------------------------------


def test_a_symlink_to_the_solution_is_not_graded(tmp_path):
    folder = tmp_path / "submissions" / "eve" / A
    folder.mkdir(parents=True)
    (folder / NB).symlink_to(SOLUTION)
    record, dest = run_intake(tmp_path, folder=folder, student="eve")
    entry = record.notebook(A)
    assert entry.state == NOTEBOOK_INVALID and record.graded_notebooks == []
    assert entry.notes == [f"notebook {NB} is a symbolic link; hand in the notebook file "
                           "itself; scored 0"]
    assert list(dest.iterdir()) == []


def test_a_real_notebook_wins_over_a_link(tmp_path):
    folder = tmp_path / "submissions" / "eve" / A
    put(folder, f"Copy of {NB}", perfect_nb())
    (folder / NB).symlink_to(SOLUTION)
    record, dest = run_intake(tmp_path, folder=folder, student="eve")
    assert record.graded_notebooks == [A]
    assert record.notebook(A).source == f"Copy of {NB}"
    assert f"{NB} (is a symbolic link)" in record.ignored_files


def test_a_fifo_or_a_linked_subfolder_is_never_opened(tmp_path):
    folder = tmp_path / "submissions" / "eve" / A
    folder.mkdir(parents=True)
    os.mkfifo(folder / NB)  # reading it would block forever
    elsewhere = tmp_path / "elsewhere"
    put(elsewhere, NB, perfect_nb())
    (folder / "sub").symlink_to(elsewhere, target_is_directory=True)
    record, dest = run_intake(tmp_path, folder=folder, student="eve")
    entry = record.notebook(A)
    assert entry.state == NOTEBOOK_INVALID
    assert "is a named pipe (FIFO), not a file" in entry.notes[0]
    assert "sub" in record.ignored_files  # listed, not looked into


def test_read_handed_in_refuses_links_devices_and_big_files(tmp_path):
    target = put(tmp_path, "real.txt", "hello")
    (tmp_path / "link").symlink_to(target)
    with pytest.raises(intake.Refused, match="symbolic link"):
        intake.read_handed_in(tmp_path / "link", 100)
    with pytest.raises(intake.Refused, match="device"):
        intake.read_handed_in(Path("/dev/zero"), 100)
    with pytest.raises(intake.Refused, match="more than"):
        intake.read_handed_in(target, 3)
    assert intake.read_handed_in(target, 5) == b"hello"


def test_a_linked_assignment_or_student_folder_is_refused(tmp_path):
    submissions = tmp_path / "submissions"
    put(submissions / "bob" / A, NB, perfect_nb())
    (submissions / "eve").mkdir()
    (submissions / "eve" / A).symlink_to(submissions / "bob" / A, target_is_directory=True)
    (submissions / "mal").symlink_to(submissions / "bob", target_is_directory=True)
    assert intake.list_students(submissions) == ["bob", "eve", "mal"]
    for student in ("eve", "mal"):
        folder = intake.submission_folder(submissions, student, A)
        assert folder is not None
        record, dest = run_intake(tmp_path, folder=folder, student=student,
                                  submissions_root=submissions)
        entry = record.notebook(A)
        assert entry.state == NOTEBOOK_INVALID, student
        assert "is a symbolic link; hand in the folder itself" in entry.notes[0], entry.notes
        assert list(dest.iterdir()) == []
    assert intake.unknown_folders(submissions, "mal", {A}) == []


def test_a_dangling_link_as_assignment_folder_is_refused_not_missing(tmp_path):
    submissions = tmp_path / "submissions"
    (submissions / "eve").mkdir(parents=True)
    (submissions / "eve" / A).symlink_to(tmp_path / "nowhere")
    folder = intake.submission_folder(submissions, "eve", A)
    record, _ = run_intake(tmp_path, folder=folder, student="eve", submissions_root=submissions)
    assert record.notebook(A).state == NOTEBOOK_INVALID


def test_intake_writes_nothing_into_submissions(tmp_path):
    submissions = tmp_path / "submissions"
    folder = submissions / "ann" / A
    nb = perfect_nb()
    nb.cells.insert(0, copy.deepcopy(nb.cells[index_of(nb, "test_sign")]))
    del nb.cells[index_of(nb, "test_tlu")]
    put(folder, f"Copy of {NB}", nb)
    put(folder, "timestamp.txt", "2026-09-01 12:00:00 Europe/Berlin")
    (folder / "link.ipynb").symlink_to(SOLUTION)
    before = tree_hash(submissions)
    record, _ = run_intake(tmp_path, folder=folder, submissions_root=submissions)
    assert record.graded_notebooks == [A]
    assert tree_hash(submissions) == before


def test_missing_stays_missing(tmp_path):
    record, _ = run_intake(tmp_path, {"notes.txt": "nothing"})
    assert record.notebook(A).state == NOTEBOOK_MISSING


# --- 3. merge: a job's gradebook is untrusted ---------------------------------------------------


@pytest.fixture
def gradebooks(tmp_path, monkeypatch):
    """OUT's gradebook with notebook 01's cells (real nbgrader API), and its template."""
    from nbgrader.api import Gradebook

    monkeypatch.setattr(nbgrader.api, "get_alembic_version", alembic_head)
    main = tmp_path / "gradebook.db"
    with Gradebook(f"sqlite:///{main}", "dlf") as gb:
        gb.add_assignment(A)
        gb.add_notebook(A, A)
        for cell in released_nb().cells:
            meta = cell.metadata.get("nbgrader")
            if not meta:
                continue
            if meta.get("grade"):
                gb.add_grade_cell(meta["grade_id"], A, A, max_score=meta["points"],
                                  cell_type=cell.cell_type)
            if meta.get("solution"):
                gb.add_solution_cell(meta["grade_id"], A, A)
    template = tmp_path / "template.db"
    workspace.make_template(main, template)
    return main, template


def job_db(tmp_path, template, name="job", student="ann", scores=None):
    from nbgrader.api import Gradebook

    db = tmp_path / f"{name}.db"
    shutil.copyfile(template, db)
    with Gradebook(f"sqlite:///{db}", "dlf") as gb:
        gb.add_student(student)
        gb.add_submission(A, student)
        for grade_id, score in (scores or {}).items():
            grade = gb.find_grade(grade_id, A, A, student)
            grade.auto_score = score
            grade.needs_manual_grade = False
        gb.db.commit()
    return db


def main_grades(db, student="ann"):
    with sqlite3.connect(db) as con:
        return {r[0]: r[1:] for r in con.execute(
            "SELECT bc.name, g.auto_score, g.manual_score, g.extra_credit, g.needs_manual_grade"
            " FROM grade g JOIN base_cell bc ON bc.id = g.cell_id"
            " JOIN submitted_notebook sn ON sn.id = g.notebook_id"
            " JOIN submitted_assignment sa ON sa.id = sn.assignment_id"
            " WHERE sa.student_id = ?", (student,))}


def sqlite_objects(db, kind):
    with sqlite3.connect(db) as con:
        return con.execute("SELECT name FROM sqlite_master WHERE type = ?", (kind,)).fetchall()


def test_merge_copies_honest_grades(tmp_path, gradebooks):
    main, template = gradebooks
    job = job_db(tmp_path, template, scores={"test_tlu": 3.0, "test_sign": 1.5})
    assert merge.merge_submission(main, job, "ann", A)
    grades = main_grades(main)
    assert grades["test_tlu"] == (3.0, None, None, 0)
    assert grades["test_sign"][0] == 1.5
    assert not merge.merge_submission(main, job, "ann", A)  # same submission: left alone


def test_merge_refuses_a_job_gradebook_with_a_trigger(tmp_path, gradebooks):
    main, template = gradebooks
    job = job_db(tmp_path, template, scores={"test_tlu": 1.0})
    with sqlite3.connect(job) as con:
        # Fires on writes to the grade table: would set every score in OUT to full marks if
        # the trigger ever got into OUT's gradebook or ran on an attached job database.
        con.execute("CREATE TRIGGER pwn AFTER INSERT ON grade BEGIN "
                    "UPDATE grade SET auto_score = 1e9; END")
        con.execute("CREATE VIEW v AS SELECT 1")
    with pytest.raises(merge.MergeError, match="refused: it contains trigger 'pwn'"):
        merge.merge_submission(main, job, "ann", A)
    assert sqlite_objects(main, "trigger") == [] and sqlite_objects(main, "view") == []
    assert main_grades(main) == {}


def test_merge_refuses_a_job_gradebook_with_a_view_only(tmp_path, gradebooks):
    main, template = gradebooks
    job = job_db(tmp_path, template)
    with sqlite3.connect(job) as con:
        con.execute("CREATE VIEW sneaky AS SELECT * FROM grade")
    with pytest.raises(merge.MergeError, match="view 'sneaky'"):
        merge.merge_submission(main, job, "ann", A)


def test_merge_clamps_and_ignores_scores_out_of_range(tmp_path, gradebooks):
    main, template = gradebooks
    job = job_db(tmp_path, template)
    with sqlite3.connect(job) as con:
        def set_grade(name, **values):
            cols = ", ".join(f"{k} = ?" for k in values)
            con.execute(f"UPDATE grade SET {cols} WHERE cell_id IN"
                        " (SELECT id FROM base_cell WHERE name = ?)", (*values.values(), name))

        set_grade("test_heaviside", auto_score=1e9, manual_score=1e9, extra_credit=1e9,
                  needs_manual_grade=0)
        set_grade("test_sign", auto_score=float("nan"))
        set_grade("test_tlu", auto_score=-5.0, needs_manual_grade=7)
        set_grade("test_logic_gates", auto_score="three")
        set_grade("explain_xor", auto_score=float("inf"), manual_score=3)
        con.execute("UPDATE comment SET auto_comment = ?, manual_comment = 'hand graded: 10/10'",
                    ("x" * 100_000,))
        con.execute("UPDATE submitted_notebook SET late_submission_penalty = -1e9, flagged = 5")
        con.execute("UPDATE submitted_assignment SET timestamp = 'yesterday',"
                    " extension = '9999-01-01'")
        con.execute("UPDATE student SET first_name = '<script>', email = 'x@y'")
    assert merge.merge_submission(main, job, "ann", A)
    grades = main_grades(main)
    assert grades["test_heaviside"] == (2.0, None, None, 0)  # clamped to the cell's 2 points
    assert grades["test_sign"][0] is None  # SQLite stores NaN as NULL: no score (counts 0)
    assert grades["test_tlu"][0] == 0.0 and grades["test_tlu"][3] == 1  # negative; odd flag
    assert grades["test_logic_gates"][0] == 0.0  # text
    assert grades["explain_xor"][:3] == (0.0, None, None)  # no manual score from a job
    with sqlite3.connect(main) as con:
        for auto, manual in con.execute("SELECT auto_comment, manual_comment FROM comment"):
            assert manual is None and len(auto) == merge.MAX_COMMENT_CHARS
        assert con.execute("SELECT timestamp, extension FROM submitted_assignment").fetchall() \
            == [(None, None)]
        assert con.execute("SELECT flagged, late_submission_penalty FROM submitted_notebook"
                           ).fetchall() == [(0, 0.0)]
        assert con.execute("SELECT first_name, email FROM student").fetchall() == [(None, None)]
    assert all(g[0] is None or math.isfinite(g[0]) for g in grades.values())


@pytest.mark.parametrize("value, expected", [
    (1.5, 1.5), (3, 3.0), (1e9, 3.0), (-1.0, 0.0), (float("nan"), 0.0), (float("inf"), 0.0),
    (float("-inf"), 0.0), ("3", 0.0), (b"3", 0.0), (True, 0.0), (None, None),
])
def test_clean_score(value, expected):
    assert merge.clean_score(value, 3.0) == expected


def test_merge_takes_max_points_from_outs_gradebook(tmp_path, gradebooks):
    main, template = gradebooks
    job = job_db(tmp_path, template, scores={"test_tlu": 50.0})
    with sqlite3.connect(job) as con:
        con.execute("UPDATE grade_cells SET max_score = 100")
    assert merge.merge_submission(main, job, "ann", A)
    assert main_grades(main)["test_tlu"][0] == 3.0


def test_merge_refuses_what_is_not_a_database(tmp_path, gradebooks):
    main, _ = gradebooks
    job = put(tmp_path, "job.db", b"SQLite format 3\x00" + b"\xff" * 5000)
    with pytest.raises(merge.MergeError):
        merge.merge_submission(main, job, "ann", A)
    link = tmp_path / "link.db"
    link.symlink_to(main)
    with pytest.raises(merge.MergeError, match="no job gradebook"):
        merge.merge_submission(main, link, "ann", A)


def test_merge_opens_the_job_gradebook_read_only(tmp_path, gradebooks):
    main, template = gradebooks
    job = job_db(tmp_path, template, scores={"test_tlu": 3.0})
    before = job.read_bytes()
    os.chmod(job, 0o444)
    assert merge.merge_submission(main, job, "ann", A)
    assert job.read_bytes() == before
    assert not Path(str(job) + "-journal").exists()


def test_merge_refuses_a_submission_id_of_another_student(tmp_path, gradebooks):
    main, template = gradebooks
    bob = job_db(tmp_path, template, "bob", "bob", {"test_tlu": 1.0})
    assert merge.merge_submission(main, bob, "bob", A)
    with sqlite3.connect(main) as con:
        (bob_id,) = con.execute("SELECT id FROM submitted_assignment").fetchone()
    ann = job_db(tmp_path, template, "ann", "ann", {"test_tlu": 3.0})
    with sqlite3.connect(ann) as con:
        con.execute("UPDATE submitted_notebook SET assignment_id = ?", (bob_id,))
        con.execute("UPDATE submitted_assignment SET id = ?", (bob_id,))
    with pytest.raises(merge.MergeError, match="another submission"):
        merge.merge_submission(main, ann, "ann", A)
    assert main_grades(main, "bob")["test_tlu"][0] == 1.0


def test_merge_refuses_to_write_into_a_gradebook_with_a_trigger(tmp_path, gradebooks):
    main, template = gradebooks
    with sqlite3.connect(main) as con:
        con.execute("CREATE TRIGGER pwn AFTER INSERT ON grade BEGIN "
                    "UPDATE grade SET auto_score = 1e9; END")
    job = job_db(tmp_path, template, scores={"test_tlu": 1.0})
    with pytest.raises(merge.MergeError, match="OUT's gradebook"):
        merge.merge_submission(main, job, "ann", A)
    assert main_grades(main) == {}
    assert "trigger 'pwn'" in workspace.gradebook_problem(main)


# --- 3. OUT's own files -------------------------------------------------------------------------


def test_gradebook_problem(tmp_path, gradebooks):
    main, _ = gradebooks
    assert workspace.gradebook_problem(main) is None
    assert workspace.gradebook_problem(tmp_path / "none.db") is None
    assert "cannot be opened" in workspace.gradebook_problem(tmp_path) or \
        "not a file" in workspace.gradebook_problem(tmp_path)
    assert workspace.gradebook_problem(put(tmp_path, "junk.db", b"junk" * 1000))
    assert "no table" in workspace.gradebook_problem(put(tmp_path, "empty.db", b""))
    link = tmp_path / "link.db"
    link.symlink_to(main)
    assert workspace.gradebook_problem(link) == "is a symbolic link"


def test_write_config_replaces_a_link_instead_of_writing_through_it(tmp_path):
    ws = workspace.Workspace(tmp_path / "out")
    victim = put(tmp_path, "victim.py", "keep me")
    ws.out.mkdir()
    ws.config.symlink_to(victim)
    ws.write_config()
    assert victim.read_text() == "keep me"
    assert not ws.config.is_symlink() and "get_config" in ws.config.read_text()


@pytest.mark.parametrize("text", ["{not json", "[1, 2]", '{"a": 5}', ""])
def test_a_damaged_release_state_means_release_again_not_a_crash(tmp_path, text):
    ws = workspace.Workspace(tmp_path / "out")
    ws.work.mkdir(parents=True)
    ws.release_state.write_text(text, encoding="utf-8")
    assert workspace._read_state(ws) == {}


@pytest.mark.slow
def test_prepare_rebuilds_template_config_release_and_a_corrupt_gradebook(tmp_path):
    """Real ``nbgrader generate_assignment``: whatever a job could have changed in OUT is
    rebuilt on the next run; a damaged gradebook is moved aside, not fatal."""
    ws = workspace.Workspace(tmp_path / "out")
    notes = []
    workspace.prepare(ws, [A], on_note=notes.append)
    assert notes == [] and workspace.gradebook_problem(ws.gradebook) is None
    template_before = ws.template.read_bytes()

    # A job (or anyone) plants a trigger in the template, edits the config and the release.
    with sqlite3.connect(ws.template) as con:
        con.execute("CREATE TRIGGER t AFTER INSERT ON grade BEGIN SELECT 1; END")
    ws.config.write_text("import os; os.system('echo pwned')\n", encoding="utf-8")
    released = ws.release / A / NB
    tampered = json.loads(released.read_text(encoding="utf-8"))
    tampered["cells"][0]["source"] = "tampered"
    released.write_text(json.dumps(tampered), encoding="utf-8")
    (ws.runs / "ann" / A).mkdir(parents=True)
    workspace.prepare(ws, [A], on_note=notes.append)
    assert notes == [f"{A}: the release in .work/release/ was changed since nbgrader made it; "
                     "made again"]
    assert sqlite_objects(ws.template, "trigger") == []
    assert ws.config.read_text(encoding="utf-8") == ws.config_text()
    assert nbformat.read(released, as_version=4).cells[0].source != "tampered"
    assert (ws.runs / "ann" / A).exists()  # a sound gradebook keeps earlier results
    assert len(ws.template.read_bytes()) == len(template_before)

    # A damaged gradebook: a trigger in it, then not a database at all.
    for damage in ("trigger", "garbage"):
        if damage == "trigger":
            with sqlite3.connect(ws.gradebook) as con:
                con.execute("CREATE TRIGGER t AFTER INSERT ON grade BEGIN SELECT 1; END")
        else:
            ws.gradebook.write_bytes(b"not a database" * 100)
        notes.clear()
        workspace.prepare(ws, [A], on_note=notes.append)
        assert len(notes) == 1 and "moved aside to gradebook.db.corrupt-" in notes[0], notes
        assert workspace.gradebook_problem(ws.gradebook) is None
        assert sqlite_objects(ws.gradebook, "trigger") == []
        assert not (ws.runs / "ann").exists()  # every submission is graded again
    assert len(list(ws.out.glob("gradebook.db.corrupt-*"))) == 2


# --- end to end ---------------------------------------------------------------------------------

ODD = "o'neil [2] *"


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    """One grading run (real nbgrader) of a class of mishaps and attacks on notebook 01."""
    from autograder.pipeline import grade as grade_module
    from autograder.pipeline.grade import grade

    root = tmp_path_factory.mktemp("hardening")
    submissions = root / "submissions"
    # Copies of cells everywhere, an answer cell claiming points, a test cell claiming more.
    nb = perfect_nb()
    nb.cells.insert(0, copy.deepcopy(nb.cells[index_of(nb, "test_logic_gates")]))
    nb.cells.append(copy.deepcopy(nb.cells[index_of(nb, "explain_xor")]))
    nb.cells[index_of(nb, "sign")].metadata.nbgrader.update(grade=True, points=50)
    nb.cells[index_of(nb, "test_tlu")].metadata.nbgrader["points"] = 30
    bogus = new_code_cell("x = 1", metadata={"nbgrader": {"grade": True, "grade_id": "bonus",
                                                          "points": 99, "locked": True,
                                                          "solution": False,
                                                          "schema_version": 3}})
    nb.cells.append(bogus)
    put(submissions / "dup" / A, NB, nb)
    put(submissions / "dup" / A, "timestamp.txt", "not a date at all")
    # nbformat 3, an odd student id, a timestamp that is fine.
    v3 = nbformat.writes(nbformat.convert(perfect_nb(), 3), version=3)
    put(submissions / ODD / A, f"Copy of {NB}", v3)
    put(submissions / ODD / A, "timestamp.txt", "2026-09-01 12:00:00 Europe/Berlin")
    # A link to the instructor's solution notebook.
    (submissions / "eve" / A).mkdir(parents=True)
    (submissions / "eve" / A / NB).symlink_to(SOLUTION)
    before = tree_hash(submissions)

    mp = pytest.MonkeyPatch()
    # Others may be editing autograder/ while this runs; results are not reused anyway.
    mp.setattr(grade_module, "code_fingerprint", lambda root: "fixed")
    try:
        run = grade(submissions, root / "out", jobs=2, assignments=[A], progress=False,
                    echo=lambda m: None)
    finally:
        mp.undo()
    with open(root / "out" / "scores.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return run, rows, root / "out", before, tree_hash(submissions)


def _rows(rows, *students):
    return {r["grade_id"]: r for r in rows if r["student_id"] in students}


@pytest.mark.slow
def test_the_class_grades_without_errors(graded_class):
    run, rows, _, _, _ = graded_class
    assert run.problems == [] and run.exit_code == 0, run.render()
    assert not [r for r in rows if r["status"] == "grading_error"], rows


@pytest.mark.slow
def test_submissions_are_not_written_to(graded_class):
    _, _, _, before, after = graded_class
    assert before == after


@pytest.mark.slow
def test_copied_cells_and_edited_metadata_cost_no_points(graded_class):
    _, rows, _, _, _ = graded_class
    dup = _rows(rows, "dup")
    assert set(dup) == {"test_heaviside", "test_sign", "test_tlu", "test_logic_gates",
                        "explain_xor", "explain_tlu"}
    for name, points in (("test_heaviside", 2), ("test_sign", 2), ("test_tlu", 3),
                         ("test_logic_gates", 3)):
        assert (float(dup[name]["score"]), float(dup[name]["max_score"])) == (points, points), \
            dup[name]
    assert dup["explain_xor"]["status"] == "needs_manual_grade"
    assert "appears more than once" in dup["test_logic_gates"]["message"]
    assert "restored from the released notebook" in dup["test_tlu"]["message"]


@pytest.mark.slow
def test_a_bad_timestamp_is_a_note_not_an_error(graded_class):
    run, _, out, _, _ = graded_class
    assert any(n.startswith("dup/") and "timestamp.txt does not hold a date" in n
               for n in run.notes), run.notes
    assert not (out / "submitted" / "dup" / A / "timestamp.txt").exists()


@pytest.mark.slow
def test_an_odd_student_id_and_nbformat_3_are_graded_in_full(graded_class):
    run, rows, out, _, _ = graded_class
    iid = ids.internal_id(ODD)
    assert ids.read_mapping(out / ids.MAPPING_FILE)[iid] == ODD
    odd = _rows(rows, ODD, iid)
    assert sum(float(r["score"] or 0) for r in odd.values()) == 10.0, odd
    assert (out / "submitted" / iid / A / NB).exists()
    stamp = (out / "submitted" / iid / A / "timestamp.txt").read_text().strip()
    assert stamp == "2026-09-01 10:00:00"
    with sqlite3.connect(out / "gradebook.db") as con:
        assert con.execute("SELECT timestamp FROM submitted_assignment WHERE student_id = ?",
                           (iid,)).fetchone()[0].startswith("2026-09-01 10:00:00")


@pytest.mark.slow
def test_an_odd_student_id_is_reported_under_the_folder_name(graded_class):
    _, rows, _, _, _ = graded_class
    assert _rows(rows, ODD) and not _rows(rows, ids.internal_id(ODD))


@pytest.mark.slow
def test_a_link_to_the_solution_scores_nothing(graded_class):
    _, rows, out, _, _ = graded_class
    eve = _rows(rows, "eve")
    assert eve and all(float(r["score"] or 0) == 0 for r in eve.values()), eve
    assert all(r["status"] == "invalid" for r in eve.values())
    assert all("is a symbolic link; hand in the notebook file itself" in r["message"]
               for r in eve.values())
    assert not (out / "submitted" / "eve" / A / NB).exists()


@pytest.mark.slow
def test_outs_gradebook_has_no_triggers_or_views(graded_class):
    _, _, out, _, _ = graded_class
    assert workspace.gradebook_problem(out / "gradebook.db") is None


def _grade_with_fake_jobs(tmp_path, monkeypatch, damage):
    """grade() on one submission, with a 'job' that only damages OUT (no nbgrader run)."""
    from autograder.pipeline import autograde
    from autograder.pipeline import grade as grade_module

    submissions = tmp_path / "submissions"
    put(submissions / "ann" / A, NB, perfect_nb())
    out = tmp_path / "out"

    def fake_run_jobs(ws, todo, **kwargs):
        damage(ws)
        return []

    monkeypatch.setattr(autograde, "run_jobs", fake_run_jobs)
    monkeypatch.setattr(grade_module, "code_fingerprint", lambda root: "fixed")
    return grade_module.grade(submissions, out, assignments=[A], progress=False,
                              echo=lambda m: None), workspace.Workspace(out)


@pytest.mark.slow
def test_the_config_a_job_overwrote_is_rewritten_before_nbgrader_runs_in_out(tmp_path,
                                                                             monkeypatch):
    marker = tmp_path / "pwned"

    def damage(ws):
        ws.config.write_text(f"open({str(marker)!r}, 'w').write('x')\n", encoding="utf-8")

    run, ws = _grade_with_fake_jobs(tmp_path, monkeypatch, damage)
    assert ws.config.read_text(encoding="utf-8") == ws.config_text()
    assert not marker.exists()  # nbgrader export and generate_feedback used the real config
    assert run.problems[0] == "ann/01_threshold_logic_unit: no grading result"
    assert not any("export failed" in p for p in run.problems), run.problems
    assert (ws.out / "grades.csv").exists()


@pytest.mark.slow
def test_a_gradebook_damaged_during_the_jobs_stops_before_merging(tmp_path, monkeypatch):
    from autograder.pipeline.grade import GradingError

    def damage(ws):
        with sqlite3.connect(ws.gradebook) as con:
            con.execute("CREATE TRIGGER t AFTER INSERT ON grade BEGIN "
                        "UPDATE grade SET auto_score = 1e9; END")

    with pytest.raises(GradingError, match="trigger 't' after the grading jobs ran"):
        _grade_with_fake_jobs(tmp_path, monkeypatch, damage)
