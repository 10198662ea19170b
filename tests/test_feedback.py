"""The feedback a student reads (autograder/feedback), and the same words in scores.csv and
the summary (autograder/pipeline/reports.py).

Fast tests: numbers in messages (course.harness._fmt), exercise names, the rule for "awaiting
the instructor's grade" and the report rows and totals built from it. The test marked ``slow``
grades one demo submission of notebook 01 (ben: some points lost, a written answer) through the
real pipeline, ``autograder.pipeline.grade.grade``, and reads the feedback HTML nbgrader wrote.
"""

from __future__ import annotations

import csv
import html
import inspect
import re
import shutil
import sqlite3

import nbformat
import numpy as np
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from autograder import REPO_ROOT, feedback
from autograder.feedback import AWAITING, awaiting_grade, exercise_name, fmt_points
from autograder.pipeline import reports
from autograder.pipeline.autograde import JobResult
from autograder.pipeline.intake import NOTEBOOK_OK, NotebookIntake, SubmissionIntake
from course.harness import _fmt, compare, shape_of

FIRST = "01_threshold_logic_unit"
# "-0" as a number of its own: not "-0.5", "-0e", "x-0" or "-01"
NEGATIVE_ZERO = re.compile(r"(?<![\w.])-0(?![\w.])")

# --- numbers in messages --------------------------------------------------------------------


@pytest.mark.parametrize("value", [-0.0, np.float64(-0.0), np.float32(-0.0), np.array(-0.0)])
def test_negative_zero_prints_as_zero(value):
    assert _fmt(value) == "0"


@pytest.mark.parametrize(("value", "text"), [
    (0.0, "0"), (-1.5, "-1.5"), (np.float64(-1e-9), "-1e-09"), (1 / 3, "0.333333"),
    (3, "3"), (np.int64(-2), "-2"), (True, "True"), (float("nan"), "nan"),
    (float("-inf"), "-inf"), (np.array(-1.46278344), "-1.46278"), (np.array(7), "7"),
])
def test_fmt_keeps_other_numbers(value, text):
    assert _fmt(value) == text


def test_messages_quote_a_negative_zero_input_as_0():
    t = np.array([-0.0, 1.0])
    message = compare(np.array([0.0, 1.0]), np.array([1.0, 1.0]), what="heaviside(t)",
                      context=("t", t))
    assert "(t = 0): expected 1, got 0" in message
    assert not NEGATIVE_ZERO.search(message), message
    scalar = compare(0.0, np.array(1.0), what="heaviside(t)", context=("t", -0.0))
    assert scalar == "heaviside(t) returned 0 for t = 0, expected 1"
    assert shape_of(np.array(-0.0)) == "0-d array 0"  # not "0-d array array(-0.)"


# --- names and the pending rule -------------------------------------------------------------


def test_exercise_names():
    assert exercise_name("test_heaviside") == "heaviside"
    assert exercise_name("test_logic_gates") == "logic_gates"
    assert exercise_name("explain_xor", test_cell=False) == "explain_xor"
    assert exercise_name("test_x", test_cell=False) == "test_x"  # a written answer keeps its id
    assert exercise_name("test_") == "test_"


def test_points_are_written_as_people_write_them():
    assert [fmt_points(v) for v in (2.0, 0.6, 1.25, None, -0.0, 0.123456)] == \
        ["2", "0.6", "1.25", "0", "0", "0.1235"]
    assert reports.fmt(-0.0) == "0" and reports.fmt(None) == ""


@pytest.mark.parametrize(("hand", "auto", "manual", "needs", "waiting"), [
    (True, None, None, True, True),     # a written answer: nbgrader leaves it to a human
    (True, None, None, False, True),    # no score at all yet
    (True, 0.0, None, False, False),    # left as released: nbgrader gave 0, "not answered"
    (True, None, 2.0, False, False),    # graded by hand
    (True, None, 0.0, True, False),     # graded by hand with 0: a grade, not pending
    (False, None, None, True, False),   # a test cell is never waiting for a human
])
def test_awaiting_grade(hand, auto, manual, needs, waiting):
    assert awaiting_grade(hand_graded=hand, auto_score=auto, manual_score=manual,
                          needs_manual_grade=needs) is waiting


def test_apply_feedback_settings():
    from traitlets.config import Config

    from autograder.feedback.preprocessor import FeedbackGrades

    c = Config()
    feedback.apply_feedback_settings(c)
    assert c.HTMLExporter.template_name == feedback.TEMPLATE_NAME
    assert (feedback.TEMPLATES / feedback.TEMPLATE_NAME / "index.html.j2").is_file()
    assert FeedbackGrades in c.GenerateFeedback.preprocessors
    assert c.HTMLExporter.filters["points"] is fmt_points


# --- scores.csv and the summary -------------------------------------------------------------

NB = "nb"


def _released():
    nb = new_notebook()
    answer = new_code_cell("def f(x):\n    raise NotImplementedError()")
    answer.metadata["nbgrader"] = {"grade": False, "solution": True, "locked": False,
                                   "task": False, "grade_id": "f", "schema_version": 3}
    test = new_code_cell("assert f(1) == 2")
    test.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True,
                                 "task": False, "grade_id": "test_f", "points": 2,
                                 "schema_version": 3}
    written = new_markdown_cell("YOUR ANSWER HERE")
    written.metadata["nbgrader"] = {"grade": True, "solution": True, "locked": False,
                                    "task": False, "grade_id": "explain", "points": 3,
                                    "schema_version": 3}
    nb.cells = [answer, test, written]
    return nb


def _submission(student="ann", assignment="a1"):
    record = SubmissionIntake(student, assignment, "x",
                              notebooks=[NotebookIntake(NB, NOTEBOOK_OK, source="nb.ipynb")])
    result = JobResult(student, assignment, "fp", "graded",
                       messages={NB: {"cells": {}, "answers": {}}})
    return reports.Submission(student, assignment, record, result)


def _grades(explain_auto=None, explain_manual=None, explain_needs=True):
    return {(NB, "test_f"): {"auto": 1.5, "manual": None, "extra": 0.0, "needs_manual": False,
                             "max": 2.0},
            (NB, "explain"): {"auto": explain_auto, "manual": explain_manual, "extra": 0.0,
                              "needs_manual": explain_needs, "max": 3.0}}


def _rows(sub, grades):
    sub.rows = reports.build_rows(sub, {NB: _released()}, grades)
    return {r.grade_id: r for r in sub.rows}


def test_a_written_answer_awaits_the_instructor_in_scores_csv(tmp_path):
    sub = _submission()
    row = _rows(sub, _grades())["explain"]
    assert (row.score, row.status, row.message) == (None, "needs_manual_grade", AWAITING)
    assert sub.awaiting_points == 3 and sub.score == 1.5 and sub.max_score == 5
    reports.write_scores(tmp_path / "scores.csv", sub.rows)
    with open(tmp_path / "scores.csv", newline="", encoding="utf-8") as fh:
        got = {r["grade_id"]: r for r in csv.DictReader(fh)}
    assert (got["explain"]["score"], got["explain"]["status"], got["explain"]["message"]) == \
        ("", "needs_manual_grade", AWAITING)


def test_graded_or_unanswered_written_answers_are_not_pending():
    sub = _submission()
    row = _rows(sub, _grades(explain_manual=2.5, explain_needs=False))["explain"]
    assert (row.score, row.status) == (2.5, "graded_by_hand") and sub.awaiting_points == 0
    row = _rows(sub, _grades(explain_auto=0.0, explain_needs=False))["explain"]
    assert (row.score, row.status) == (0.0, "not_answered") and sub.awaiting_points == 0
    assert AWAITING not in " ".join(sub.issues())


def test_summary_says_how_many_points_are_pending():
    first, second = _submission(), _submission(assignment="a2")
    _rows(first, _grades())
    _rows(second, _grades(explain_manual=1.0, explain_needs=False))
    text = reports.summary([first, second])
    lines = {ln.split("|")[2].strip(): ln for ln in text.splitlines() if ln.startswith("| ann")}
    assert "1.5 / 5 (+3 awaiting)" in lines["a1"]
    assert f"{AWAITING}: explain (3 points)" in lines["a1"]
    assert "2.5 / 5 " in lines["a2"] and "awaiting" not in lines["a2"]
    assert "4 / 10 (+3 awaiting)" in lines["(total)"]
    assert f"3 points {AWAITING}" in lines["(total)"]
    assert reports.score_text(1, 2) == "1 / 2"


# --- the feedback HTML, through the real pipeline -------------------------------------------

WIRING = ("\nfrom autograder.feedback import apply_feedback_settings  # noqa: E402\n"
          "apply_feedback_settings(c)\n")


def _wired() -> bool:
    from autograder import grading_settings

    return "apply_feedback_settings" in inspect.getsource(grading_settings)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    from autograder.demo_class import STUDENTS
    from autograder.pipeline import workspace
    from autograder.pipeline.grade import grade

    root = tmp_path_factory.mktemp("feedback")
    ben = next(s for s in STUDENTS if s.student_id == "ben")
    ben.submissions[FIRST].write(root / "submitted", "ben", FIRST)
    patch = pytest.MonkeyPatch()
    if not _wired():  # until grading_settings.apply_grading_settings calls it
        patch.setattr(workspace, "CONFIG_TEMPLATE", workspace.CONFIG_TEMPLATE + WIRING)
    try:
        run = grade(root / "submitted", root / "out", jobs=1, assignments=[FIRST],
                    progress=False, echo=lambda *_: None)
    finally:
        patch.undo()
    assert not run.problems, run.problems
    page = run.out / "feedback" / "ben" / FIRST / f"{FIRST}.html"
    return run, page.read_text(encoding="utf-8")


def _toc(page: str) -> list[str]:
    toc = page[page.index('<div id="toc">'):]
    toc = toc[:toc.index("</ol>")]
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", li)).split())
            for li in re.findall(r"<li>(.*?)</li>", toc, re.S)]


def _cells(page: str) -> list[str]:
    return re.split(r'<div[^>]*class="cell border-box-sizing', page)[1:]


def _test_cells(page: str) -> dict[str, str]:
    found = {}
    for cell in _cells(page):
        m = re.search(r'<a name="(test_\w+)"', cell)
        if m:
            found[m.group(1)] = cell
    return found


def _outputs_text(cell: str) -> str:
    pres = re.findall(r'<div class="output_subarea[^"]*output_text[^"]*">\s*<pre>(.*?)</pre>',
                      cell, re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", "\n".join(pres)))


@pytest.mark.slow
def test_feedback_wraps_output(graded):
    _, page = graded
    css = "\n".join(re.findall(r"<style[^>]*>(.*?)</style>", page, re.S))
    rules = re.findall(r"([^{}]*)\{([^{}]*)\}", css)
    wrapping = [sel for sel, body in rules
                if "white-space: pre-wrap" in body and "overflow-wrap: anywhere" in body]
    assert any("output_area pre" in sel for sel in wrapping), wrapping
    assert page.count("<body") == 1 and page.count('id="notebook"') == 1


@pytest.mark.slow
def test_test_cells_show_the_score_in_the_header_not_as_out(graded):
    run, page = graded
    cells = _test_cells(page)
    rows = {r.grade_id: r for r in run.rows}
    assert set(cells) == {gid for gid in rows if gid.startswith("test_")}
    for gid, cell in cells.items():
        assert "Out[" not in cell, gid
        assert "output_execute_result" not in cell, gid
        head = cell[cell.index('<div class="panel-heading">'):]
        head = head[:head.index("</div>")]
        row = rows[gid]
        assert f"Score: {reports.fmt(row.score)} / {reports.fmt(row.max_score)}" in head, head
        assert f"Tests of <code>{gid[len('test_'):]}</code>" in head
    # the verdict lines are still there, and partial credit is what scores.csv says
    assert "Hidden tests for heaviside:" in _outputs_text(cells["test_heaviside"])
    assert 0 < rows["test_heaviside"].score < rows["test_heaviside"].max_score


@pytest.mark.slow
def test_table_of_contents_names_the_exercises(graded):
    run, page = graded
    toc = _toc(page)
    expected = []
    for row in run.rows:
        if row.grade_id.startswith("test_"):
            expected.append(f"{row.grade_id[5:]} — Score: {reports.fmt(row.score)} / "
                            f"{reports.fmt(row.max_score)}")
        else:
            expected.append(f"{row.grade_id} — {AWAITING} ({reports.fmt(row.max_score)} points)")
    assert toc == expected
    assert not any("Test cell" in item or "Written response" in item for item in toc)


@pytest.mark.slow
def test_the_written_answer_awaits_the_instructor_everywhere(graded):
    run, page = graded
    xor = next(c for c in _cells(page) if '<a name="explain_xor"' in c)
    assert AWAITING in html.unescape(xor) and "Score:" not in xor
    sub = run.submissions[0]
    total = html.unescape(re.sub(r"<[^>]+>", "", re.search(
        r'<h4 class="feedback-total">(.*?)</h4>', page, re.S).group(1)))
    assert " ".join(total.split()) == (
        f"{FIRST} (Score: {reports.fmt(sub.score)} / {reports.fmt(sub.max_score)}, "
        f"plus 6 points {AWAITING})")
    row = next(r for r in run.rows if r.grade_id == "explain_xor")
    assert (row.score, row.status, row.message) == (None, "needs_manual_grade", AWAITING)
    with open(run.out / "scores.csv", newline="", encoding="utf-8") as fh:
        csv_row = next(r for r in csv.DictReader(fh) if r["grade_id"] == "explain_xor")
    assert (csv_row["score"], csv_row["message"]) == ("", AWAITING)
    text = run.render()
    assert f"{reports.fmt(sub.score)} / 16 (+6 awaiting)" in text
    assert f"{AWAITING}: explain_xor (3 points)" in text


@pytest.mark.slow
def test_messages_never_print_negative_zero(graded):
    run, page = graded
    out = ""
    for cell in _test_cells(page).values():
        out += _outputs_text(cell)
    assert "✗ " in out and "(t = 0)" in out
    assert not NEGATIVE_ZERO.search(out), NEGATIVE_ZERO.search(out)
    messages = " ".join(r.message for r in run.rows)
    assert not NEGATIVE_ZERO.search(messages)
    autograded = nbformat.read(run.out / "autograded" / "ben" / FIRST / f"{FIRST}.ipynb", 4)
    assert any(o.get("output_type") == "execute_result"  # the score nbgrader reads stays
               for c in autograded.cells for o in c.get("outputs", []))


@pytest.mark.slow
def test_a_hand_grade_replaces_awaiting(graded, tmp_path):
    from autograder.pipeline import runner

    run, _ = graded
    out = tmp_path / "out"
    shutil.copytree(run.out, out)
    with sqlite3.connect(out / "gradebook.db") as con:
        con.execute("UPDATE grade SET manual_score = 2, needs_manual_grade = 0 WHERE cell_id IN"
                    " (SELECT id FROM base_cell WHERE name IN ('explain_xor', 'explain_tlu'))")
    result = runner.run_logged(runner.nbgrader_command("generate_feedback", FIRST, "--force"),
                               cwd=out, log_path=tmp_path / "feedback.log",
                               env=runner.nbgrader_env(REPO_ROOT))
    assert result.ok, result.log_tail(20)
    page = (out / "feedback" / "ben" / FIRST / f"{FIRST}.html").read_text(encoding="utf-8")
    assert AWAITING not in html.unescape(page)
    assert "explain_xor — Score: 2 / 3 (graded by the instructor)" in _toc(page)
    sub = run.submissions[0]
    grades = reports.read_grades(out / "gradebook.db", "ben", FIRST)
    rows = {r.grade_id: r for r in reports.build_rows(sub, _released_of(run), grades)}
    assert (rows["explain_xor"].score, rows["explain_xor"].status) == (2.0, "graded_by_hand")


def _released_of(run):
    from autograder.pipeline.workspace import Workspace

    return Workspace(run.out).released_notebooks(FIRST)
