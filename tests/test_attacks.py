"""The red team's attacks (autograder/demo_class/attacks.py) through the real grading command.

One run of ``python -m autograder grade`` grades every attack (each built on the EMPTY notebook
01, so it deserves 0 everywhere) and an honest control student (the reference answers, 10/10
autograded). The run uses a copy of the checkout (autograder/, course/, solutions/,
notebooks/) and a HOME of its own, so an attack that gets out harms only throw-away copies;
the tests then check what every attack must not achieve. A failing test is a finding.

Environment: DLF_ATTACKS=name,name grades only those attacks; DLF_ATTACKS_REPO grades with
another checkout (e.g. an older commit); DLF_ATTACKS_GRADE_ARGS adds arguments to the
command; DLF_ATTACKS_DANGEROUS=1/0 forces the attacks that kill every process in reach (by
default they run only when a probe submission shows that the kernel is sandboxed).
"""

from __future__ import annotations

import ast
import csv
import glob
import hashlib
import json
import os
import secrets
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import psutil
import pytest

from autograder import REPO_ROOT
from autograder.demo_class import attacks as A
from autograder.submissions import fill_answers, read_release, reference_answers

# One xdist worker runs this whole file (--dist loadfile): the class is graded once.
pytestmark = pytest.mark.slow

CONTROL = "zz_control"
SOURCE = Path(os.environ.get("DLF_ATTACKS_REPO", str(REPO_ROOT))).resolve()
ONLY = [n for n in os.environ.get("DLF_ATTACKS", "").split(",") if n]
EXTRA_ARGS = os.environ.get("DLF_ATTACKS_GRADE_ARGS", "").split()
COPIED = ("autograder", "course", "solutions", "notebooks")
# DLF_ATTACKS_COPY=1 grades with a copy of the checkout. Off by default: the sandbox binds the
# folder `course` is found in, but the kernel imports `course` through the installed package
# (an editable install points at the real checkout), so with a copy no kernel finds `course`.
COPY = os.environ.get("DLF_ATTACKS_COPY") == "1"
BIG = 50 * 2**20
SELECTED = [a for a in A.ATTACKS if not ONLY or a.name in ONLY]


def _docstring_lines(path: Path) -> list[str]:
    tree = ast.parse(path.read_text())
    docs = [ast.get_docstring(n) or "" for n in ast.walk(tree)
            if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef))]
    return [line.strip() for d in docs for line in d.splitlines()]


def _distinctive(lines, *, not_in: str) -> str:
    """The longest line (no quotes or HTML specials, which files escape) absent from not_in."""
    ok = [ln for ln in lines if len(ln) >= 30 and not set(ln) & set("\"'\\<>&")
          and ln not in not_in]
    return max(ok, key=len)


def _secrets(victim_marker: str, env_marker: str) -> dict[str, str]:
    released = json.dumps(read_release(A.ASSIGNMENT), ensure_ascii=False)
    solution_nb = nbformat.read(SOURCE / "solutions" / A.ASSIGNMENT / f"{A.ASSIGNMENT}.ipynb",
                                as_version=4)
    xor = next(c for c in solution_nb.cells
               if c.metadata.get("nbgrader", {}).get("grade_id") == "explain_xor")
    return {
        "reference source": _distinctive(
            _docstring_lines(SOURCE / "autograder/reference/threshold_logic_unit.py"),
            not_in=released),
        "hidden source": _distinctive(
            _docstring_lines(SOURCE / "autograder/hidden/threshold_logic_unit.py"),
            not_in=released),
        "solutions notebook": _distinctive(
            [ln.strip() for ln in xor.source.splitlines()], not_in=released),
        "grader environment (DLF_SECRET_MARKER)": env_marker,
        "another student's answer": victim_marker,
    }


def _tree_hash(*roots: Path) -> dict[str, str]:
    out = {}
    for root in roots:
        for path in sorted(Path(root).rglob("*")) if Path(root).exists() else ():
            if path.is_file() and "__pycache__" not in path.parts:
                out[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


class Listener:
    """A TCP server on the grader's loopback: whoever connects got out of the sandbox."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.seen: list[bytes] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            conn.settimeout(2)
            try:
                self.seen.append(conn.recv(200) or b"(connected)")
            except OSError:
                self.seen.append(b"(connected)")
            conn.close()


@dataclass(repr=False)
class Run:
    root: Path
    out: Path
    submissions: Path
    repo: Path
    home: Path
    mark: str
    result: subprocess.CompletedProcess
    seconds: float
    attacks: list
    secrets: dict
    before: dict
    after: dict
    survivors: list = field(default_factory=list)
    tmp_leftovers: list = field(default_factory=list)
    listener_seen: list = field(default_factory=list)
    skipped: dict = field(default_factory=dict)  # attack name -> why it was not run

    def __repr__(self) -> str:
        return f"Run({self.out})"

    def rows(self) -> list[dict]:
        with open(self.out / "scores.csv", newline="") as handle:
            return list(csv.DictReader(handle))

    def rows_of(self, student: str) -> dict[str, dict]:
        return {r["grade_id"]: r for r in self.rows() if r["student_id"] == student}


def _grade(repo, submissions, out, env, *extra):
    cmd = [sys.executable, "-m", "autograder", "grade", str(submissions), str(out), "--jobs",
           "2", "--assignment", A.ASSIGNMENT, "--no-progress", *EXTRA_ARGS, *extra]
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=repo, env=env, capture_output=True, text=True,
                            timeout=3600)
    return result, time.perf_counter() - start


def _write(nb, submissions: Path, student: str) -> None:
    folder = submissions / student / A.ASSIGNMENT
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / f"{A.ASSIGNMENT}.ipynb")


def _probe_is_sandboxed(repo, root, env, mark, port) -> tuple[bool, str]:
    """Grade the probe alone: is the kernel another user that sees only its own processes?"""
    subs, out = root / "probe_submissions", root / "probe_out"
    _write(A.PROBE.build(mark, port), subs, "probe")
    result, _ = _grade(repo, subs, out, env)
    for path in out.glob("autograded/*/*/*.ipynb"):
        for cell in nbformat.read(path, as_version=4).cells:
            for output in cell.get("outputs", []):
                text = output.get("text", "")
                if isinstance(text, str) and text.startswith("PROBE"):
                    uid, pids = text.split()[1:3]
                    seen = text.split(" ", 3)[3]
                    isolated = (int(uid) != 0 and int(pids) < 30 and "autograder" not in seen
                                and "pytest" not in seen)
                    return isolated, text[:300]
    return False, "the probe's output was not found: " + result.stdout[-300:]


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Run:
    root = tmp_path_factory.mktemp("attacks")
    mark = "dlfmark" + secrets.token_hex(4)
    home, subs, out = root / "home", root / "submissions", root / "out"
    repo = SOURCE
    if COPY:  # grade with a throw-away copy of the checkout
        repo = root / "repo"
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints", "*.db",
                                        ".nbgrader")
        for name in COPIED:
            shutil.copytree(SOURCE / name, repo / name, ignore=ignore)
        for name in ("nbgrader_config.py", "pyproject.toml"):
            if (SOURCE / name).exists():
                shutil.copy2(SOURCE / name, repo / name)
    (home / ".ipython").mkdir(parents=True)
    listener = Listener()
    env_marker = "secret-env-" + secrets.token_hex(6)
    victim_marker = "victim-answer-" + secrets.token_hex(6)
    env = dict(os.environ, PYTHONPATH=str(repo), HOME=str(home),
               DLF_SECRET_MARKER=env_marker, MPLBACKEND="Agg")
    env.pop("NBGRADER_EXECUTION", None)

    attacks, skipped = list(SELECTED), {}
    forced = os.environ.get("DLF_ATTACKS_DANGEROUS")
    if any(a.dangerous for a in attacks) and forced != "1":
        safe, why = (False, "DLF_ATTACKS_DANGEROUS=0") if forced == "0" else \
            _probe_is_sandboxed(repo, root, env, mark, listener.port)
        print(f"probe: sandboxed={safe}: {why}")
        if not safe:
            skipped = {a.name: f"not run: the kernel is not sandboxed ({why[:200]})"
                       for a in attacks if a.dangerous}
            attacks = [a for a in attacks if not a.dangerous]

    for attack in attacks:
        _write(attack.build(mark, listener.port), subs, A.student_id(attack))
    answers = reference_answers(A.ASSIGNMENT)
    answers["explain_xor"] = f"One line cannot separate XOR's classes. ({victim_marker})"
    _write(fill_answers(read_release(A.ASSIGNMENT), answers), subs, CONTROL)
    found = _secrets(victim_marker, env_marker)
    for attack in attacks:  # the secrets are not in what the attacks hand in
        assert not any(s in attack.source(mark, listener.port) for s in found.values())

    watched = [repo / "autograder", repo / "course", repo / "solutions", repo / "notebooks",
               subs, home / ".ipython"]
    before = _tree_hash(*watched)
    result, seconds = _grade(repo, subs, out, env)
    time.sleep(3)  # a daemon that outlives the run has had time to act
    survivors = []
    for proc in psutil.process_iter(["pid", "cmdline"]):
        cmdline = " ".join(proc.info["cmdline"] or [])
        if mark in cmdline:
            survivors.append(f"pid {proc.info['pid']}: {cmdline[:120]}")
            try:
                proc.kill()
            except psutil.Error:
                pass
    after = _tree_hash(*watched)
    extra_files = [str(p) for p in (repo / "sitecustomize.py", repo / "course/sitecustomize.py")
                   if p.exists()]
    after.update({p: "created" for p in extra_files})
    leftovers = glob.glob(f"/tmp/*{mark}*") + glob.glob(f"/tmp/**/*{mark}*", recursive=False)
    for path in set(leftovers):
        try:
            os.remove(path)
        except OSError:
            pass
    listener.sock.close()
    run = Run(root, out, subs, repo, home, mark, result, seconds, attacks, found, before,
              after, survivors, sorted(set(leftovers)), list(listener.seen), skipped)
    print(f"\n{len(attacks)} attacks + control graded with --jobs 2 in {seconds:.1f} s "
          f"(exit {result.returncode})")
    table = _table(run)
    (root / "table.txt").write_text(table + "\n")
    print(table)
    return run


def _table(run: Run) -> str:
    try:
        rows = run.rows()
    except OSError:
        return "no scores.csv"
    lines = [f"{'attack':28} {'family':13} {'score':>5}  message"]
    for attack in [*run.attacks, None]:
        sid = A.student_id(attack) if attack else CONTROL
        mine = [r for r in rows if r["student_id"] == sid and r["grade_id"] in A.GRADED]
        score = sum(float(r["score"] or 0) for r in mine)
        messages = " | ".join(dict.fromkeys(r["message"] for r in mine))
        lines.append(f"{attack.name if attack else CONTROL:28} "
                     f"{attack.family if attack else 'control':13} "
                     f"{score:5g}  {messages[:160]}")
    for name, why in run.skipped.items():
        lines.append(f"{name:28} {'':13} {'-':>5}  {why}")
    return "\n".join(lines)


def _attack(run: Run, name: str):
    if name in run.skipped:
        pytest.fail(run.skipped[name])
    if name not in [a.name for a in run.attacks]:
        pytest.skip("not selected (DLF_ATTACKS)")
    return A.BY_NAME[name]


def test_grading_exits_0_and_scores_everyone(run):
    assert run.result.returncode == 0, run.result.stdout[-3000:] + run.result.stderr[-3000:]
    students = {r["student_id"] for r in run.rows()}
    expected = {A.student_id(a) for a in run.attacks} | {CONTROL}
    assert expected <= students, sorted(expected - students)


def test_the_control_student_gets_full_marks(run):
    rows = run.rows_of(CONTROL)
    scores = {gid: float(rows[gid]["score"]) for gid in A.GRADED if gid in rows}
    assert scores == {"test_heaviside": 2.0, "test_sign": 2.0, "test_tlu": 3.0,
                      "test_logic_gates": 3.0}, {g: rows[g]["message"] for g in rows}


@pytest.mark.parametrize("name", [a.name for a in A.ATTACKS])
def test_the_attack_scores_nothing(run, name):
    attack = _attack(run, name)
    rows = run.rows_of(A.student_id(attack))
    assert set(A.GRADED) <= set(rows), f"no scores.csv rows for {A.student_id(attack)}"
    forged = {g: (rows[g]["score"], rows[g]["message"]) for g in A.GRADED
              if float(rows[g]["score"] or 0) != 0.0}
    assert not forged, f"{attack.what}: {forged}"


def _out_files(run: Run):
    for path in run.out.rglob("*"):
        if path.is_file() and not path.is_symlink():
            yield path


def test_no_secret_reaches_out(run):
    leaks = []
    for path in _out_files(run):
        data = path.read_bytes() if path.stat().st_size < 4 * BIG else path.read_bytes()[:BIG]
        for what, secret in run.secrets.items():
            if secret.encode() not in data:
                continue
            legit = what == "another student's answer" and (
                CONTROL in str(path.relative_to(run.out)) or path.name == "gradebook.db")
            if not legit:
                leaks.append(f"{what} in {path.relative_to(run.out)}")
    assert not leaks, "\n".join(leaks)


def test_nothing_outside_out_changes(run):
    def by_attack(path):  # the checkout itself may be edited by people meanwhile
        if COPY or not path.startswith(str(run.repo) + "/"):
            return True
        return not Path(path).exists() or run.mark.encode() in Path(path).read_bytes()

    changed = sorted(p for p in set(run.before) | set(run.after)
                     if run.before.get(p) != run.after.get(p) and by_attack(p))
    assert not changed, "\n".join(changed)
    assert not run.tmp_leftovers, run.tmp_leftovers


def test_no_process_started_by_a_submission_survives(run):
    assert not run.survivors, "\n".join(run.survivors)


def test_no_big_file_in_out(run):
    big = [f"{p.relative_to(run.out)}: {p.stat().st_size / 2**20:.0f} MiB"
           for p in _out_files(run) if p.stat().st_size > BIG]
    assert not big, big


def test_no_connection_reaches_the_graders_loopback(run):
    assert not run.listener_seen, run.listener_seen


def test_out_config_and_gradebook_are_the_graders(run):
    config = (run.out / "nbgrader_config.py").read_text()
    assert run.mark not in config
    with sqlite3.connect(run.out / "gradebook.db") as con:
        triggers = con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall()
    assert not triggers
    assert run.mark not in (run.out / "scores.csv").read_text()


@pytest.mark.parametrize("name", [a.name for a in A.ATTACKS if a.limit])
def test_the_limit_hit_is_named(run, name):
    attack = _attack(run, name)
    messages = " ".join(r["message"] for r in run.rows_of(A.student_id(attack)).values())
    words = attack.limit.split("|")
    assert any(w.lower() in messages.lower() for w in words), (words, messages[:600])


@pytest.mark.parametrize("name", ["slow_cells", "busy_loops"])
def test_a_slow_notebook_stops_at_its_limit(run, name):
    attack = _attack(run, name)
    sys.path.insert(0, str(run.repo))
    try:
        limit = _notebook_seconds(run.repo)
    finally:
        sys.path.remove(str(run.repo))
    results = list(run.out.glob(f".work/runs/*{attack.name}*/*/result.json"))
    assert results, "no result.json"
    seconds = json.loads(results[0].read_text())["seconds"]
    print(f"{name}: {seconds} s (notebook limit {limit} s)")
    assert seconds <= limit + 60, f"{seconds} s, limit {limit} s"


def _notebook_seconds(repo: Path) -> float:
    text = (repo / "autograder" / "grading_settings.py").read_text()
    namespace: dict = {}
    exec(compile(text, "grading_settings.py", "exec"), namespace)
    if "sandbox_limits" in namespace:
        return float(namespace["sandbox_limits"](A.ASSIGNMENT).notebook_seconds)
    return float("inf")  # before the sandbox: no notebook limit
