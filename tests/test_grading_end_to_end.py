"""The grading command on the demo class, through real nbgrader and real kernels."""

import csv
import subprocess
import sys
import time

import pytest

from autograder import REPO_ROOT
from autograder.demo_class import LOSES_POINTS, STUDENTS, expected_scores, write_demo_class

# One xdist worker runs this whole file (--dist loadfile), so the class is graded once.
pytestmark = pytest.mark.slow
FIRST = "01_threshold_logic_unit"


def _grade(submissions, out, jobs=2, *extra):
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "autograder", "grade", str(submissions), str(out),
         "--jobs", str(jobs), *extra],
        capture_output=True, text=True, cwd=REPO_ROOT,
    )
    return result, time.perf_counter() - start


def _scores(out):
    with open(out / "scores.csv", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo")
    submissions = write_demo_class(root)
    out = root / "out"
    result, seconds = _grade(submissions, out)
    print(f"demo class ({len(STUDENTS)} students) graded with --jobs 2 in {seconds:.1f} s")
    return submissions, out, result


def test_grading_the_demo_class_succeeds(graded):
    _, out, result = graded
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    for name in ("grades.csv", "scores.csv", "gradebook.db"):
        assert (out / name).is_file()


def test_every_student_gets_the_score_they_deserve(graded):
    _, out, _ = graded
    rows = {(r["student_id"], r["assignment_id"], r["grade_id"]): r for r in _scores(out)}
    wrong = []
    for (student, assignment, name), expected in expected_scores().items():
        row = rows.get((student, assignment, f"test_{name}"))
        got = float(row["score"]) if row and row["score"] != "" else None
        if expected == LOSES_POINTS:
            right = got is not None and got < float(row["max_score"])
        else:
            right = got is not None and abs(got - expected) <= 1e-6
        if not right:
            wrong.append(f"{student}/{name}: expected {expected}, got {got} "
                         f"({row['message'] if row else 'no row'})")
    assert not wrong, "\n".join(wrong)


def test_every_lost_point_comes_with_a_message(graded):
    _, out, _ = graded
    for row in _scores(out):
        if row["score"] not in ("", None) and float(row["score"]) < float(row["max_score"]):
            assert row["message"].strip() and row["message"] != "ok", row


@pytest.mark.parametrize(
    "student, fragment",
    [
        ("hugo", "Copy of"),
        ("iris", "JSON"),
        ("jack", "not submitted"),
        ("gia", "np.isclose"),
        ("eve", "did not return"),
        ("finn", "restored"),
    ],
)
def test_broken_submissions_are_explained(graded, student, fragment):
    _, out, _ = graded
    messages = " ".join(r["message"] for r in _scores(out) if r["student_id"] == student)
    assert fragment.lower() in messages.lower(), messages


def test_written_answers_wait_for_a_human(graded):
    _, out, _ = graded
    manual = [r for r in _scores(out) if r["grade_id"] == "explain_xor"]
    assert manual and all(r["status"] == "needs_manual_grade" for r in manual
                          if r["student_id"] == "ada")


def test_feedback_is_written_for_graded_students(graded):
    _, out, _ = graded
    html = out / "feedback" / "ada" / "01_threshold_logic_unit" / "01_threshold_logic_unit.html"
    assert html.is_file()
    text = html.read_text()
    assert "test_heaviside" in text and "Hidden tests for heaviside" in text


def test_grades_csv_is_nbgrader_export(graded):
    _, out, _ = graded
    with open(out / "grades.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {"assignment", "student_id", "score", "max_score"} <= set(rows[0])
    ada = [r for r in rows if r["student_id"] == "ada"]
    assert ada and float(ada[0]["score"]) == 10.0


def test_grading_again_gives_identical_results(graded):
    submissions, out, _ = graded
    before = (out / "scores.csv").read_text(), (out / "grades.csv").read_text()
    result, _ = _grade(submissions, out)
    assert result.returncode == 0, result.stderr[-3000:]
    assert ((out / "scores.csv").read_text(), (out / "grades.csv").read_text()) == before


def test_an_interrupted_run_loses_nothing(graded, tmp_path):
    """Kill the command after its first finished submission; a rerun completes the class,
    reuses the finished work and gives the same scores as one uninterrupted run. (Notebook 01
    only: the quickest to grade, and the same code path as every other.)"""
    import os
    import shutil
    import signal

    submissions, reference_out, _ = graded
    subset = tmp_path / "submitted"
    for student in ("ada", "ben", "cleo"):
        shutil.copytree(submissions / student, subset / student)
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "autograder", "grade", str(subset), str(out), "--jobs", "1",
         "--no-progress", "--assignment", FIRST],
        cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while not list(out.glob(".work/runs/*/*/result.json")) and time.monotonic() < deadline:
        time.sleep(0.2)
    os.killpg(process.pid, signal.SIGKILL)  # like a closed terminal or a lost machine
    process.wait()
    finished = list(out.glob(".work/runs/*/*/result.json"))
    assert len(finished) >= 1

    result, _ = _grade(subset, out, 2, "--assignment", FIRST)
    assert result.returncode == 0, result.stderr[-3000:]
    import re

    reused = re.search(r"(\d+) unchanged since the last run", result.stdout + result.stderr)
    assert reused and int(reused.group(1)) >= len(finished), result.stdout[-2000:]
    rows = {(r["student_id"], r["grade_id"]): r["score"] for r in _scores(out)}
    expected = {(r["student_id"], r["grade_id"]): r["score"] for r in _scores(reference_out)
                if r["student_id"] in ("ada", "ben", "cleo") and r["assignment_id"] == FIRST}
    assert rows == expected
