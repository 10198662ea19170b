"""Unit tests of the grading pipeline (autograder/pipeline/): intake, messages, merge, reports.

Fast tests work on a tiny hand-made assignment ("tiny": one answer cell, one test cell with
hidden tests, one hand-graded markdown answer). The test marked ``slow`` runs the real grade
command on a class of tiny submissions (correct, wrong, partial, missing, renamed, invalid
JSON, deleted and edited test cells, an endless loop, a kernel that dies, stderr) twice.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import nbformat
import nbgrader.api
import pytest
from gradebook_helpers import alembic_head
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from nbgrader import utils as nbutils
from nbgrader.utils import compute_checksum

from autograder.pipeline import intake, merge, messages, reports
from autograder.pipeline.autograde import NO_NOTEBOOK, JobResult, classify_failure
from autograder.pipeline.intake import Finding, NotebookIntake, SubmissionIntake
from autograder.pipeline.tamper_hook import finding_targets

# nbgrader's own add_submission triggers these SQLAlchemy warnings.
pytestmark = pytest.mark.filterwarnings("ignore:Object of type:Warning")

# --- the tiny assignment --------------------------------------------------------------------

TINY = "tiny"
ANSWER = "def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION"
STUB = "def double(x):\n    # YOUR CODE HERE\n    raise NotImplementedError()"
PUBLIC_TEST = 'assert callable(double), "double should be a function"\n'
HIDDEN_TEST = (
    "### BEGIN HIDDEN TESTS\n"
    "from course.handin import hand_in\n"
    'hand_in("pipeline_selftest.grade_double", double, points=2)\n'
    "### END HIDDEN TESTS"
)


def _meta(grade_id, *, grade=False, solution=False, locked=False, points=None):
    meta = {"grade": grade, "solution": solution, "locked": locked, "task": False,
            "grade_id": grade_id, "schema_version": 3}
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def tiny_source() -> nbformat.NotebookNode:
    """The instructor notebook of the tiny assignment (nbgrader markers)."""
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.cells = [
        new_markdown_cell("# Tiny assignment"),
        new_code_cell("import math", metadata=_meta("setup", locked=True)),
        new_code_cell(ANSWER, metadata=_meta("double", solution=True)),
        new_markdown_cell("Run the checks below."),
        new_code_cell(PUBLIC_TEST + HIDDEN_TEST,
                      metadata=_meta("test_double", grade=True, locked=True, points=2)),
        new_markdown_cell("Why does doubling work?\n\n### BEGIN SOLUTION\nIt adds x to x.\n"
                          "### END SOLUTION",
                          metadata=_meta("explain", grade=True, solution=True, points=1)),
    ]
    return nb


def tiny_released() -> nbformat.NotebookNode:
    """What nbgrader generate_assignment makes of tiny_source(), by hand (for fast tests)."""
    nb = tiny_source()
    nb.cells[2].source = STUB
    nb.cells[4].source = PUBLIC_TEST.rstrip("\n")
    nb.cells[5].source = "Why does doubling work?\n\nYOUR ANSWER HERE"
    for cell in nb.cells:
        if "nbgrader" in cell.metadata:
            cell.metadata.nbgrader["checksum"] = compute_checksum(cell)
            cell.metadata.nbgrader["cell_type"] = cell.cell_type
            cell.metadata["deletable"] = False
            if not nbutils.is_solution(cell):
                cell.metadata["editable"] = False
    return nb


def student_version(released, answer: str | None = None, explain: str | None = None):
    nb = nbformat.from_dict(json.loads(json.dumps(released)))
    for cell in nb.cells:
        gid = intake.nbgrader_id(cell)
        if gid == "double" and answer is not None:
            cell.source = answer
        if gid == "explain" and explain is not None:
            cell.source = explain
    return nb


def write_nb(path: Path, nb) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def ids(nb) -> list:
    return [intake.nbgrader_id(c) for c in nb.cells]


# --- intake: names --------------------------------------------------------------------------


@pytest.mark.parametrize("filename", [
    "tiny.ipynb", "Copy of tiny.ipynb", "tiny (1).ipynb", "TINY.ipynb", "Copy of tiny (2).ipynb",
    "tiny - Copy.ipynb", "tiny.IPYNB",
])
def test_normalize_name_strips_copy_decorations(filename):
    assert intake.normalize_name(filename) == "tiny"


def test_normalize_name_keeps_the_real_name():
    assert intake.normalize_name("01_threshold_logic_unit.ipynb") == "01_threshold_logic_unit"
    assert intake.normalize_name("Copy of 01 threshold-logic unit.ipynb") == \
        "01_threshold_logic_unit"


def test_match_exact_name_wins():
    assert intake.match_notebooks(["tiny"], ["Copy of tiny.ipynb", "tiny.ipynb"]) == \
        {"tiny": ("tiny.ipynb", None)}


def test_match_colab_copy_is_renamed():
    got = intake.match_notebooks(["tiny"], ["Copy of tiny.ipynb"])
    assert got == {"tiny": ("Copy of tiny.ipynb", "renamed from 'Copy of tiny.ipynb'")}


def test_match_only_notebook_is_taken_whatever_its_name():
    path, note = intake.match_notebooks(["tiny"], ["homework.ipynb"])["tiny"]
    assert path == "homework.ipynb" and note.startswith("renamed from")


def test_match_several_copies_takes_the_newest_and_says_so():
    mtimes = {"Copy of tiny.ipynb": 10.0, "tiny (1).ipynb": 20.0}
    path, note = intake.match_notebooks(["tiny"], list(mtimes), mtimes)["tiny"]
    assert path == "tiny (1).ipynb"
    assert "also handed in: 'Copy of tiny.ipynb'" in note


def test_match_in_subfolder():
    path, note = intake.match_notebooks(["tiny"], ["sub/tiny.ipynb"])["tiny"]
    assert path == "sub/tiny.ipynb" and "subfolder" in note


def test_match_unrelated_notebooks_are_not_taken():
    assert intake.match_notebooks(["tiny"], ["scratch.ipynb", "notes.ipynb"]) == {}


def test_match_two_notebooks_each_to_its_own():
    got = intake.match_notebooks(["a_first", "b_second"],
                                 ["Copy of b_second.ipynb", "a_first (1).ipynb"])
    assert got["a_first"][0] == "a_first (1).ipynb"
    assert got["b_second"][0] == "Copy of b_second.ipynb"


def test_find_candidates_skips_checkpoints(tmp_path):
    write_nb(tmp_path / "tiny.ipynb", tiny_released())
    write_nb(tmp_path / ".ipynb_checkpoints" / "tiny-checkpoint.ipynb", tiny_released())
    write_nb(tmp_path / "__MACOSX" / "tiny.ipynb", tiny_released())
    assert intake.find_candidates(tmp_path) == ["tiny.ipynb"]


# --- intake: reading ------------------------------------------------------------------------


@pytest.mark.parametrize("data, problem", [
    (b"", "empty file"),
    (b"{not json", "not a notebook"),
    (b'{"hello": 1}', "not a notebook"),
    (b"\xff\xfe\x00", "not UTF-8"),
    (b'{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "bad"}]}',
     "missing an expected key"),
])
def test_read_notebook_rejects_what_is_not_a_notebook(data, problem):
    nb, message = intake.read_notebook(data)
    assert nb is None and problem in message


def test_read_notebook_accepts_a_notebook():
    nb, message = intake.read_notebook(nbformat.writes(tiny_released()).encode())
    assert message is None and len(nb.cells) == 6


# --- intake: deleted and edited cells -------------------------------------------------------


def test_deleted_test_cell_is_restored_before_the_next_nbgrader_cell():
    released = tiny_released()
    nb = student_version(released, answer="def double(x):\n    return 2 * x")
    del nb.cells[4]  # the test cell; the released cell before it is plain markdown
    nb.cells.insert(3, new_code_cell("helper = 1"))  # a cell the student added
    restored = intake.restore_missing_cells(nb, released)
    assert restored == [("test_double", "test")]
    assert ids(nb) == [None, "setup", "double", None, None, "test_double", "explain"]
    cell = nb.cells[5]
    assert cell.source == released.cells[4].source
    assert cell.metadata.nbgrader == released.cells[4].metadata.nbgrader


def test_deleted_answer_cell_comes_back_without_the_raising_stub():
    released = tiny_released()
    nb = student_version(released)
    del nb.cells[2]
    nb.cells.insert(1, new_code_cell("def double(x):\n    return x * 2"))
    assert intake.restore_missing_cells(nb, released) == [("double", "answer")]
    put_back = next(c for c in nb.cells if intake.nbgrader_id(c) == "double")
    assert "NotImplementedError" not in put_back.source
    assert put_back.source.startswith("#")


def test_deleted_last_cell_goes_to_the_end_and_every_cell_can_go():
    released = tiny_released()
    nb = student_version(released)
    nb.cells = nb.cells[:1]
    intake.restore_missing_cells(nb, released)
    assert ids(nb) == [None, "setup", "double", "test_double", "explain"]


def test_restored_cells_lose_ids_in_old_notebooks_and_stay_valid():
    released = tiny_released()
    nb = student_version(released)
    nb.nbformat_minor = 4
    for cell in nb.cells:
        cell.pop("id", None)
    del nb.cells[4]
    intake.restore_missing_cells(nb, released)
    nbformat.validate(nb)


def test_edited_test_cell_is_reported():
    released = tiny_released()
    nb = student_version(released)
    nb.cells[4].source = "pass"
    nb.cells[1].source = "import math, numpy"
    assert intake.edited_locked_cells(nb, released) == [("setup", "readonly"),
                                                        ("test_double", "test")]
    assert intake.edited_locked_cells(student_version(released), released) == []


def test_related_scored_ids():
    released = tiny_released()
    assert intake.related_scored_ids(released, "double") == ["test_double", "explain"]
    assert [intake.nbgrader_id(c) for c in intake.scored_cells(released)] == \
        ["test_double", "explain"]


# --- intake: one submission -----------------------------------------------------------------


def _intake(tmp_path, files: dict | None, scanner=None) -> SubmissionIntake:
    folder = None
    if files is not None:
        folder = tmp_path / "in" / "ann" / TINY
        folder.mkdir(parents=True)
        for name, content in files.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                write_nb(path, content)
    return intake.intake_submission(folder, "ann", TINY, {TINY: tiny_released()},
                                    tmp_path / "out" / "ann" / TINY, scanner=scanner)


def test_intake_exact_notebook(tmp_path):
    record = _intake(tmp_path, {"tiny.ipynb": student_version(tiny_released()),
                                "timestamp.txt": b"2026-09-01 10:00:00"})
    assert record.graded_notebooks == [TINY]
    assert record.notebook(TINY).messages_for("test_double") == []
    assert record.timestamp == "2026-09-01 10:00:00"
    out = tmp_path / "out" / "ann" / TINY
    assert sorted(p.name for p in out.iterdir()) == ["timestamp.txt", "tiny.ipynb"]


def test_intake_missing_notebook(tmp_path):
    record = _intake(tmp_path, {"notes.txt": b"hello"})
    nb = record.notebook(TINY)
    assert nb.state == intake.NOTEBOOK_MISSING
    assert nb.messages_for("test_double") == ["notebook tiny.ipynb not submitted"]
    assert record.ignored_files == ["notes.txt"]
    assert not (tmp_path / "out" / "ann" / TINY / "tiny.ipynb").exists()


def test_intake_without_folder(tmp_path):
    record = _intake(tmp_path, None)
    assert record.graded_notebooks == [] and record.folder is None


def test_intake_renamed_notebook(tmp_path):
    record = _intake(tmp_path, {"Copy of tiny.ipynb": student_version(tiny_released())})
    assert record.graded_notebooks == [TINY]
    assert record.notebook(TINY).notes == ["renamed from 'Copy of tiny.ipynb'"]
    assert (tmp_path / "out" / "ann" / TINY / "tiny.ipynb").exists()


def test_intake_invalid_json(tmp_path):
    record = _intake(tmp_path, {"tiny.ipynb": b'{"cells": [ oops'})
    nb = record.notebook(TINY)
    assert nb.state == intake.NOTEBOOK_INVALID
    assert "could not be read" in nb.notes[0] and "scored 0" in nb.notes[0]
    assert record.graded_notebooks == []


def test_intake_deleted_and_edited_cells_are_noted_and_written_restored(tmp_path):
    nb = student_version(tiny_released())
    nb.cells[1].source = "import os"
    del nb.cells[4]
    record = _intake(tmp_path, {"tiny.ipynb": nb})
    entry = record.notebook(TINY)
    assert entry.cell_notes == {"test_double": ["test cell test_double was deleted; restored"]}
    assert entry.notes == ["read-only cell setup was edited; restored"]
    written = nbformat.read(tmp_path / "out" / "ann" / TINY / "tiny.ipynb", as_version=4)
    assert "test_double" in ids(written)


def test_intake_copies_only_notebooks_and_lists_the_rest(tmp_path):
    record = _intake(tmp_path, {"tiny.ipynb": student_version(tiny_released()),
                                "course.py": b"x = 1", "autograder/__init__.py": b"",
                                "scratch.ipynb": student_version(tiny_released())})
    assert record.ignored_files == ["autograder/__init__.py", "course.py", "scratch.ipynb"]
    assert [p.name for p in (tmp_path / "out" / "ann" / TINY).iterdir()] == ["tiny.ipynb"]


def test_intake_runs_the_tamper_scanner(tmp_path):
    class F:
        grade_id = None
        message = "np.allclose rebound"

    record = _intake(tmp_path, {"tiny.ipynb": student_version(tiny_released())},
                     scanner=lambda nb: [F()])
    assert record.findings == [Finding(TINY, None, "np.allclose rebound")]


def test_intake_record_round_trips_through_json(tmp_path):
    record = _intake(tmp_path, {"Copy of tiny.ipynb": student_version(tiny_released())})
    record.findings.append(Finding(TINY, "test_double", "x"))
    record.save(tmp_path / "r.json")
    assert SubmissionIntake.load(tmp_path / "r.json") == record


# --- messages -------------------------------------------------------------------------------


def _cell(outputs, gid="test_double"):
    cell = new_code_cell("x", metadata=_meta(gid, grade=True, locked=True, points=2))
    cell.outputs = [nbformat.from_dict(o) for o in outputs]
    return cell


def test_message_of_an_error():
    cell = _cell([{"output_type": "error", "ename": "ValueError",
                   "evalue": "bad input\nmore", "traceback": []}])
    assert messages.cell_message(cell) == "ValueError: bad input"


def test_message_of_a_timeout_prefers_nbgrader_timeout_error():
    cell = _cell([{"output_type": "error", "ename": "KeyboardInterrupt", "evalue": "",
                   "traceback": []},
                  {"output_type": "error", "ename": "CellTimeoutError", "evalue": "",
                   "traceback": []}])
    assert messages.cell_message(cell, 60) == "cell did not finish within 60 s"


def test_message_of_hidden_check_failures():
    text = ("Public checks for double: 1 of 2 passed.\n  ✗ shape\n      wrong shape\n"
            "Hidden tests for double: 1 of 3 cases passed -> 0.67 of 2 points.\n"
            "✗ case 1: expected 6, got 5\n✗ case 2: expected 10, got 7\n")
    cell = _cell([{"output_type": "stream", "name": "stdout", "text": text}])
    assert messages.cell_message(cell) == "case 1: expected 6, got 5 | case 2: expected 10, got 7"


def test_message_is_clipped():
    text = "".join(f"✗ case {i}: {'x' * 50}\n" for i in range(20))
    cell = _cell([{"output_type": "stream", "name": "stdout", "text": text}])
    assert len(messages.cell_message(cell)) <= messages.MAX_CHARS


def test_message_of_stderr():
    cell = _cell([{"output_type": "stream", "name": "stderr", "text": "debug: 3\n"}])
    assert messages.cell_message(cell) == "wrote to stderr (nbgrader gives 0): debug: 3"


def test_notebook_messages_and_answer_context():
    nb = tiny_released()
    nb.cells[2].outputs = [nbformat.from_dict({"output_type": "error", "ename": "SyntaxError",
                                               "evalue": "invalid syntax", "traceback": []})]
    nb.cells[4].outputs = [nbformat.from_dict({"output_type": "error", "ename": "NameError",
                                               "evalue": "name 'double' is not defined",
                                               "traceback": []})]
    found = messages.notebook_messages(nb)
    assert found["cells"] == {"test_double": "NameError: name 'double' is not defined",
                              "explain": ""}
    assert found["answers"] == {"double": "SyntaxError: invalid syntax"}
    assert messages.answer_context(nb, found["answers"]) == \
        {"test_double": "answer cell double raised SyntaxError: invalid syntax"}


def test_classify_failure():
    assert classify_failure("...\nnbclient.exceptions.DeadKernelError: Kernel died\n")[0] == \
        "kernel_died"
    kind, message = classify_failure("Traceback\nKeyError: 'x'\n[AutogradeApp | ERROR] bad\n")
    assert kind == "nbgrader_error" and "KeyError: 'x'" in message


# --- tamper targets -------------------------------------------------------------------------


def test_finding_targets():
    released = tiny_released()
    assert finding_targets(released, Finding(TINY, None, "m")) == ["test_double"]
    assert finding_targets(released, Finding(TINY, "explain", "m")) == ["explain"]
    assert finding_targets(released, Finding(TINY, "double", "m")) == ["test_double", "explain"]


# --- reports --------------------------------------------------------------------------------


def _sub(record=None, result=None):
    return reports.Submission("ann", TINY, record, result)


def _grades(test_auto=2.0, explain_auto=None, explain_needs=True, test_manual=None):
    return {(TINY, "test_double"): {"auto": test_auto, "manual": test_manual, "extra": 0.0,
                                    "needs_manual": False, "max": 2.0},
            (TINY, "explain"): {"auto": explain_auto, "manual": None, "extra": 0.0,
                                "needs_manual": explain_needs, "max": 1.0}}


def _record(state=intake.NOTEBOOK_OK, notes=()):
    nb = NotebookIntake(TINY, state, source="tiny.ipynb", notes=list(notes))
    return SubmissionIntake("ann", TINY, "x", notebooks=[nb])


def _result(cells=None, answers=None, **kw):
    return JobResult("ann", TINY, "fp", kw.pop("state", "graded"),
                     messages={TINY: {"cells": cells or {}, "answers": answers or {}}}, **kw)


def _rows(sub, grades):
    return [(r.grade_id, reports.fmt(r.score), r.status, r.message)
            for r in reports.build_rows(sub, {TINY: tiny_released()}, grades)]


def test_rows_full_marks_and_manual_answer():
    assert _rows(_sub(_record(), _result()), _grades()) == [
        ("test_double", "2", "ok", "ok"),
        ("explain", "", "needs_manual_grade", "awaiting the instructor's grade")]


def test_rows_partial_with_messages_and_renamed():
    result = _result(cells={"test_double": "double(5) returned 0, expected 10"})
    rows = _rows(_sub(_record(notes=["renamed from 'x.ipynb'"]), result),
                 _grades(test_auto=1.0, explain_auto=0.0, explain_needs=False))
    assert rows == [
        ("test_double", "1", "partial",
         "renamed from 'x.ipynb'; double(5) returned 0, expected 10"),
        ("explain", "0", "not_answered", "renamed from 'x.ipynb'; no answer written")]


def test_rows_failed_with_answer_context():
    result = _result(cells={"test_double": "NameError: name 'double' is not defined"},
                     answers={"double": "cell did not finish within 3 s"})
    rows = _rows(_sub(_record(), result), _grades(test_auto=0.0))
    assert rows[0] == ("test_double", "0", "failed",
                       "NameError: name 'double' is not defined "
                       "(answer cell double raised cell did not finish within 3 s)")


def test_rows_failed_without_message_say_the_score():
    assert _rows(_sub(_record(), _result()), _grades(test_auto=0.5))[0][3] == \
        "scored 0.5 of 2"


def test_rows_not_submitted_invalid_and_crashed():
    missing = NotebookIntake(TINY, intake.NOTEBOOK_MISSING,
                             notes=["notebook tiny.ipynb not submitted"])
    record = SubmissionIntake("ann", TINY, "x", notebooks=[missing])
    zero = _grades(test_auto=0.0, explain_auto=0.0, explain_needs=False)
    assert _rows(_sub(record, _result(state=NO_NOTEBOOK)), zero)[0] == \
        ("test_double", "0", "not_submitted", "notebook tiny.ipynb not submitted")
    assert _rows(_sub(_record(state=intake.NOTEBOOK_INVALID, notes=["bad"]),
                      _result(state=NO_NOTEBOOK)), zero)[1] == ("explain", "0", "invalid", "bad")
    crashed = _result(state="failed", failure="the kernel died", failure_kind="kernel_died")
    assert _rows(_sub(_record(), crashed), zero)[0][2:] == ("crashed", "the kernel died")
    broke = _result(state="failed", failure="nbgrader failed", failure_kind="nbgrader_error")
    assert _rows(_sub(_record(), broke), zero)[0][2] == "grading_error"
    assert _rows(_sub(None, None), {})[0] == ("test_double", "0", "not_submitted",
                                              "assignment tiny not submitted")


def test_rows_tampering_and_hand_grades():
    record = _record()
    record.findings.append(Finding(TINY, None, "np.allclose rebound"))
    rows = _rows(_sub(record, _result()), _grades(test_manual=0.0))
    assert rows[0] == ("test_double", "0", "tampering", "tampering: np.allclose rebound")
    assert rows[1][2] == "needs_manual_grade"
    hand = _grades(test_auto=2.0)
    hand[TINY, "explain"].update(manual=0.5, needs_manual=False)
    assert _rows(_sub(_record(), _result()), hand)[1] == ("explain", "0.5", "graded_by_hand", "ok")


def test_write_scores(tmp_path):
    rows = reports.build_rows(_sub(_record(), _result()), {TINY: tiny_released()}, _grades())
    reports.write_scores(tmp_path / "scores.csv", rows)
    with open(tmp_path / "scores.csv", newline="", encoding="utf-8") as fh:
        got = list(csv.reader(fh))
    assert got[0] == reports.COLUMNS
    assert got[1] == ["ann", TINY, TINY, "test_double", "2", "2", "ok", "ok"]
    assert got[2][4] == "" and got[2][6] == "needs_manual_grade"


def test_ascii_table_and_summary():
    table = reports.ascii_table(["a", "b"], [["x", "a long cell"]], [5, 6])
    assert table.splitlines()[3] == "| x | a l... |"
    sub = _sub(_record(notes=["renamed from 'x.ipynb'"]), _result())
    sub.rows = reports.build_rows(sub, {TINY: tiny_released()}, _grades())
    text = reports.summary([sub])
    assert "| ann " in text and "2 / 3" in text and "renamed from" in text


# --- merge ----------------------------------------------------------------------------------


@pytest.fixture
def gradebooks(tmp_path, monkeypatch):
    """A main gradebook knowing the tiny assignment, and a template copy without students."""
    from nbgrader.api import Gradebook

    from autograder.pipeline.workspace import make_template

    monkeypatch.setattr(nbgrader.api, "get_alembic_version", alembic_head)
    main = tmp_path / "gradebook.db"
    with Gradebook(f"sqlite:///{main}", "dlf") as gb:
        gb.add_assignment(TINY)
        gb.add_notebook(TINY, TINY)
        gb.add_grade_cell("test_double", TINY, TINY, max_score=2, cell_type="code")
        gb.add_grade_cell("explain", TINY, TINY, max_score=1, cell_type="markdown")
        gb.add_solution_cell("double", TINY, TINY)
        gb.add_solution_cell("explain", TINY, TINY)
    template = tmp_path / "template.db"
    make_template(main, template)
    return main, template


def _job_db(tmp_path, template, name, student, test_score):
    import shutil

    from nbgrader.api import Gradebook

    db = tmp_path / f"{name}.db"
    shutil.copyfile(template, db)
    with Gradebook(f"sqlite:///{db}", "dlf") as gb:
        gb.add_student(student)
        gb.add_submission(TINY, student)
        grade = gb.find_grade("test_double", TINY, TINY, student)
        grade.auto_score = test_score
        grade.needs_manual_grade = False
        gb.db.commit()
    return db


def _scores(db):
    return reports.read_grades(db, "ann", TINY)


def test_merge_copies_a_submission_and_replaces_it_on_regrade(tmp_path, gradebooks):
    main, template = gradebooks
    first = _job_db(tmp_path, template, "first", "ann", 1.0)
    assert merge.merge_submission(main, first, "ann", TINY)
    assert _scores(main)[TINY, "test_double"]["auto"] == 1.0
    assert not merge.merge_submission(main, first, "ann", TINY)  # same submission: left alone
    second = _job_db(tmp_path, template, "second", "ann", 2.0)
    assert merge.merge_submission(main, second, "ann", TINY)
    with sqlite3.connect(main) as con:
        assert con.execute("SELECT count(*) FROM submitted_assignment").fetchone() == (1,)
        assert con.execute("SELECT count(*) FROM grade").fetchone() == (2,)
        assert con.execute("SELECT count(*) FROM comment").fetchone() == (2,)
    assert _scores(main)[TINY, "test_double"]["auto"] == 2.0
    assert merge.remove_submission(main, "ann", TINY)
    assert _scores(main) == {}


def test_merge_maps_ids_by_name(tmp_path, gradebooks, monkeypatch):
    """A job gradebook from another template (other UUIDs) still merges."""
    from nbgrader.api import Gradebook

    from autograder.pipeline.workspace import make_template

    main, _ = gradebooks
    other = tmp_path / "other.db"
    with Gradebook(f"sqlite:///{other}", "dlf") as gb:
        gb.add_assignment(TINY)
        gb.add_notebook(TINY, TINY)
        gb.add_grade_cell("explain", TINY, TINY, max_score=1, cell_type="markdown")
        gb.add_grade_cell("test_double", TINY, TINY, max_score=2, cell_type="code")
        gb.add_solution_cell("explain", TINY, TINY)
        gb.add_solution_cell("double", TINY, TINY)
    make_template(other, tmp_path / "other_template.db")
    job = _job_db(tmp_path, tmp_path / "other_template.db", "job", "ann", 1.5)
    assert merge.merge_submission(main, job, "ann", TINY)
    assert _scores(main)[TINY, "test_double"]["auto"] == 1.5


def test_merge_refuses_a_gradebook_with_other_cells(tmp_path, gradebooks):
    from nbgrader.api import Gradebook

    from autograder.pipeline.workspace import make_template

    main, _ = gradebooks
    other = tmp_path / "other.db"
    with Gradebook(f"sqlite:///{other}", "dlf") as gb:
        gb.add_assignment(TINY)
        gb.add_notebook(TINY, TINY)
        gb.add_grade_cell("test_triple", TINY, TINY, max_score=2, cell_type="code")
    make_template(other, tmp_path / "t.db")
    job = _job_db_generic(tmp_path / "t.db", tmp_path / "job.db")
    with pytest.raises(merge.MergeError):
        merge.merge_submission(main, job, "ann", TINY)
    assert _scores(main) == {}  # nothing half-merged


def _job_db_generic(template, db):
    import shutil

    from nbgrader.api import Gradebook

    shutil.copyfile(template, db)
    with Gradebook(f"sqlite:///{db}", "dlf") as gb:
        gb.add_student("ann")
        gb.add_submission(TINY, "ann")
    return db


def test_sort_students(tmp_path, gradebooks):
    main, template = gradebooks
    for student in ("zoe", "ann", "mia"):
        merge.merge_submission(main, _job_db(tmp_path, template, student, student, 1.0),
                               student, TINY)
    merge.sort_students(main)
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{main}", "dlf") as gb:
        assert [s.id for s in gb.students] == ["ann", "mia", "zoe"]


# --- end to end on the tiny assignment ------------------------------------------------------

ENDLESS = "while True:\n    pass\n\ndef double(x):\n    return 2 * x"
DIES = "import os\nos._exit(1)\n\ndef double(x):\n    return 2 * x"
STDERR = ("import sys\n\ndef double(x):\n    print('debug', x, file=sys.stderr)\n"
          "    return 2 * x")


def tiny_class(folder: Path, released) -> Path:
    """Submissions of the tiny assignment, one per case the grader must survive."""
    correct = "def double(x):\n    return 2 * x"

    def put(student, name, nb_or_bytes):
        path = folder / student / TINY / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(nb_or_bytes, bytes):
            path.write_bytes(nb_or_bytes)
        else:
            write_nb(path, nb_or_bytes)

    put("correct", "tiny.ipynb", student_version(released, correct, "It adds x to itself."))
    put("wrong", "tiny.ipynb", student_version(released, "def double(x):\n    raise ValueError"
                                                         "('no idea')"))
    put("partial", "tiny.ipynb", student_version(released, "def double(x):\n    return 2 * x "
                                                           "if x < 4 else 0"))
    put("renamed", "Copy of tiny.ipynb", student_version(released, correct))
    put("invalid", "tiny.ipynb", b'{"cells": [ this is not json')
    (folder / "missing" / TINY).mkdir(parents=True)
    (folder / "missing" / TINY / "notes.txt").write_text("forgot the notebook")
    deleted = student_version(released, correct)
    deleted.cells = [c for c in deleted.cells if intake.nbgrader_id(c) != "test_double"]
    put("deleted", "tiny.ipynb", deleted)
    edited = student_version(released, "def double(x):\n    return 0")
    for cell in edited.cells:
        if intake.nbgrader_id(cell) == "test_double":
            cell.source = "pass"
    put("edited", "tiny.ipynb", edited)
    put("endless", "tiny.ipynb", student_version(released, ENDLESS))
    put("dies", "tiny.ipynb", student_version(released, DIES))
    put("stderr", "tiny.ipynb", student_version(released, STDERR))
    return folder


@pytest.mark.slow
def test_grade_tiny_class_end_to_end_twice(tmp_path, monkeypatch):
    """The real grade command (nbgrader subprocesses) on every case, twice: same results."""
    from autograder.pipeline import grade as grade_module
    from autograder.pipeline.grade import grade

    # Sources of autograder/ and course/ are part of each job's fingerprint; others may be
    # editing them while this runs, which would (rightly) void the results kept for reuse.
    monkeypatch.setattr(grade_module, "code_fingerprint", lambda root: "fixed")

    solutions = tmp_path / "solutions"
    write_nb(solutions / TINY / f"{TINY}.ipynb", tiny_source())
    submissions = tiny_class(tmp_path / "submissions", tiny_released())
    out = tmp_path / "out"
    kwargs = dict(jobs=4, assignments=[TINY], solutions_dir=solutions, cell_timeout=3,
                  submission_timeout=120, progress=False, echo=lambda m: None)
    run = grade(submissions, out, **kwargs)
    assert run.problems == [] and run.exit_code == 0
    real = nbformat.read(out / ".work" / "release" / TINY / f"{TINY}.ipynb", as_version=4)
    assert [(c.source, c.metadata) for c in real.cells] == \
        [(c.source, c.metadata) for c in tiny_released().cells]  # the fixture is faithful
    with open(out / "scores.csv", newline="", encoding="utf-8") as fh:
        rows = {(r["student_id"], r["grade_id"]): r for r in csv.DictReader(fh)}

    def check(student, score, status, *words, grade_id="test_double"):
        row = rows[student, grade_id]
        assert (row["score"], row["status"]) == (score, status), row
        for word in words:
            assert word in row["message"], row

    check("correct", "2", "ok")
    check("correct", "", "needs_manual_grade", grade_id="explain")
    check("wrong", "0", "failed", "ValueError: no idea")
    check("partial", "1", "partial", "double(5) returned 0, expected 10")
    check("renamed", "2", "ok", "renamed from 'Copy of tiny.ipynb'")
    check("invalid", "0", "invalid", "could not be read")
    check("missing", "0", "not_submitted", "notebook tiny.ipynb not submitted")
    check("deleted", "2", "ok", "test cell test_double was deleted; restored")
    check("edited", "0", "failed", "test cell test_double was edited; restored",
          "returned 0")
    check("endless", "0", "failed", "NameError", "answer cell double raised cell did not finish "
          "within 3 s")
    check("dies", "0", "failed", "KernelDied", "the kernel exited with status 1")
    # the answer's debug output goes to the scorer's capture, not to the test cell
    check("stderr", "2", "ok")
    check("wrong", "0", "not_answered", grade_id="explain")
    for student in ("correct", "wrong", "renamed", "deleted", "dies"):
        assert (out / "feedback" / student / TINY / "tiny.html").exists()
    assert (out / "autograded" / "correct" / TINY / "tiny.ipynb").exists()
    with open(out / "grades.csv", newline="", encoding="utf-8") as fh:
        exported = list(csv.DictReader(fh))
    assert [r["student_id"] for r in exported] == sorted(rows_students := {s for s, _ in rows})
    assert {r["student_id"]: float(r["score"]) for r in exported}["correct"] == 2.0
    assert len(rows_students) == 11

    first = {name: (out / name).read_bytes() for name in ("scores.csv", "grades.csv")}
    again = grade(submissions, out, **kwargs)
    assert again.reused == 11 and again.graded == 0
    assert {name: (out / name).read_bytes() for name in first} == first
    fresh = grade(submissions, out, **{**kwargs, "jobs": 2}, fresh=True)
    assert fresh.graded == 11
    assert {name: (out / name).read_bytes() for name in first} == first


def test_rows_hand_grade_after_a_tamper_finding_stands():
    record = _record()
    record.findings.append(Finding(TINY, "test_double", "false alarm"))
    rows = _rows(_sub(record, _result()), _grades(test_manual=2.0))
    assert rows[0] == ("test_double", "2", "graded_by_hand", "tampering: false alarm")


def test_apply_findings_zeroes_the_targets_as_manual_scores(tmp_path, gradebooks):
    from autograder.pipeline.tamper_hook import apply_findings

    main, template = gradebooks
    merge.merge_submission(main, _job_db(tmp_path, template, "job", "ann", 2.0), "ann", TINY)
    record = _record()
    record.findings.append(Finding(TINY, None, "np.allclose rebound"))
    assert apply_findings(main, [record], {TINY: {TINY: tiny_released()}}) == 1
    grades = _scores(main)
    assert grades[TINY, "test_double"]["manual"] == 0.0
    assert grades[TINY, "test_double"]["auto"] == 2.0
    assert grades[TINY, "explain"]["manual"] is None


@pytest.mark.slow
def test_release_writes_student_notebooks(tmp_path):
    from autograder import ASSIGNMENTS
    from autograder.pipeline.cli import release

    assert release(release_dir=tmp_path, echo=lambda m: None) == 0
    for assignment in ASSIGNMENTS:
        text = (tmp_path / assignment / f"{assignment}.ipynb").read_text(encoding="utf-8")
        assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text


# --- progress, the Dask target, the server gradebook's config --------------------------------


class _Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_progress_plain_lines_per_assignment_with_rate_and_time_left():
    import io

    from autograder.pipeline.progress import Progress

    clock, stream = _Clock(), io.StringIO()
    bar = Progress({"01_a": 4, "02_b": 1, "03_c": 0}, stream=stream, tty=False, every=10,
                   clock=clock)
    clock.now += 5
    bar.done("01_a")  # first line at once
    clock.now += 5
    bar.done("01_a")  # 5 s after the last line: held back
    clock.now += 10
    bar.done("01_a")
    bar.done("02_b")  # each assignment has its own counter and its own lines
    clock.now += 1
    bar.done("01_a")  # the last one is always shown
    bar.close()
    assert stream.getvalue().splitlines() == [
        "autograde 01_a: 1/4 done, 0.20 submission/s, about 15 s left",
        "autograde 01_a: 3/4 done, 0.15 submission/s, about 7 s left",
        "autograde 02_b: 1/1 done, 0.05 submission/s, done",
        "autograde 01_a: 4/4 done, 0.19 submission/s, done",
    ]


def test_progress_rate_is_over_the_last_submissions():
    from autograder.pipeline import progress

    counter = progress.Counter(total=100, start=0.0)
    for t in range(1, 51):  # one every 10 s, then ...
        counter.done += 1
        counter.finished.append(t * 10.0)
    for t in range(progress.RATE_WINDOW):  # ... one a second
        counter.done += 1
        counter.finished.append(500.0 + t + 1)
    # the current rate (one a second), not the average since the start (70 in 520 s)
    assert counter.rate(520.0) == pytest.approx(1.0)
    assert counter.eta(520.0) == pytest.approx(30.0)
    assert progress.fmt_seconds(3725) == "1 h 02 min" and progress.fmt_seconds(None) == "?"
    assert progress.Counter(total=3).rate(1.0) is None


def test_progress_disabled_prints_nothing():
    import io

    from autograder.pipeline.progress import Progress

    stream = io.StringIO()
    bar = Progress({"01_a": 1}, enabled=False, stream=stream, tty=False)
    bar.done("01_a")
    bar.done("not graded here")
    assert stream.getvalue() == "" and bar.counters["01_a"].done == 1


@pytest.mark.parametrize("value, kind, parsed", [
    ("local:2", "local", 2), ("tcp://10.0.0.5:8786", "address", "tcp://10.0.0.5:8786"),
    ("  host:8786 ", "address", "host:8786")])
def test_dask_target(value, kind, parsed):
    from autograder.pipeline.dask_engine import parse_target

    assert parse_target(value) == (kind, parsed)


def test_dask_target_scheduler_file_and_bad_values(tmp_path):
    from autograder.pipeline.dask_engine import parse_target

    scheduler_file = tmp_path / "scheduler.json"
    scheduler_file.write_text("{}")
    assert parse_target(str(scheduler_file)) == ("file", str(scheduler_file))
    for bad in ("local:0", "local:two", ""):
        with pytest.raises(ValueError, match="--dask"):
            parse_target(bad)


def test_dask_results_are_written_once_result_last_and_only_inside_the_submission(tmp_path):
    from autograder.pipeline.dask_engine import store_result
    from autograder.pipeline.workspace import Workspace

    ws = Workspace(tmp_path / "out")
    result = JobResult("ann", TINY, "fp", "graded", seconds=1.0).__dict__.copy()
    result.pop("reused")
    answer = {"result": result, "files": {
        f".work/runs/ann/{TINY}/gradebook.db": b"db",
        f"autograded/ann/{TINY}/tiny.ipynb": b"{}",
        f"logs/ann__{TINY}.log": b"log",
        f"logs/bob__{TINY}.log": b"not this task's"}}
    stored = store_result(ws, answer)
    assert stored.student == "ann" and not stored.reused
    assert (ws.run_dir("ann", TINY) / "gradebook.db").read_bytes() == b"db"
    assert (ws.run_dir("ann", TINY) / "result.json").exists()
    assert sorted(p.name for p in ws.logs.iterdir()) == [f"ann__{TINY}.log"]
    for bad in ("../escape", "nbgrader_config.py", f"autograded/bob/{TINY}/tiny.ipynb"):
        with pytest.raises(ValueError, match="outside its submission"):
            store_result(ws, {"result": result, "files": {bad: b"x"}})


def test_lost_worker_results_are_not_reused(tmp_path):
    from autograder.pipeline import autograde
    from autograder.pipeline.dask_engine import lost_result

    record = SubmissionIntake("ann", TINY, None)
    lost = lost_result(record, "fp", "KilledWorker: worker died")
    assert lost.failure_kind in autograde.STUDENT_FAILURES and not lost.broke_grading
    assert "died each time" in lost.failure
    run_dir = tmp_path / ".work" / "runs" / "ann" / TINY
    run_dir.mkdir(parents=True)
    (run_dir / "gradebook.db").write_bytes(b"")
    lost.save(run_dir / "result.json")
    from autograder.pipeline.workspace import Workspace

    assert autograde.cached_result(Workspace(tmp_path), "ann", TINY, "fp", record) is None


def test_config_names_the_server_only_when_asked(tmp_path):
    from autograder.pipeline.workspace import SQLITE_DB_LINE, Workspace

    ws = Workspace(tmp_path)
    url = "postgresql+psycopg://grader:pw@db.example/gradebook"
    assert SQLITE_DB_LINE in ws.config_text() and url not in ws.config_text()
    path = ws.write_config(db_url=url)
    text = path.read_text()
    assert f"c.CourseDirectory.db_url = {url!r}" in text and SQLITE_DB_LINE not in text
    assert path.stat().st_mode & 0o077 == 0  # the URL may hold a password
    assert SQLITE_DB_LINE in ws.write_config(tmp_path / "job").read_text()


def test_dask_workers_on_one_machine_share_its_cores():
    from autograder.pipeline.dask_engine import _host, slots_by_host

    class FakeClient:  # the shape of distributed.Client.scheduler_info()
        def scheduler_info(self):
            return {"workers": {"tcp://10.0.0.5:40315": {"nthreads": 1},
                                "tcp://10.0.0.5:40316": {"nthreads": 1},
                                "tls://node7:9000": {"nthreads": 4}}}

    assert slots_by_host(FakeClient()) == {"10.0.0.5": 2, "node7": 4}
    assert _host("tcp://[::1]:8786") == "[::1]"
