"""Grading on a real Dask cluster: a ``dask scheduler`` and two ``dask worker`` processes on
localhost, started here (autograder/pipeline/dask_engine.py).

The class is four submissions of the test suite's tiny assignment (tests/test_pipeline_units.py):
a correct one, a partial one, one whose kernel kills itself (``os._exit``: it kills its sandbox,
which must be its own low score, not a lost worker) and one without a notebook (no nbgrader
run at all). That covers every path a task's result takes (graded, failed in the sandbox,
nothing to grade) at a few seconds per submission; the course's notebooks would grade the
same way, only slower. The local run (``--jobs``) is the reference: the cluster's scores.csv
and grades.csv must be byte for byte the same when one worker is killed mid-run (the run
through the cluster is that run: a kill-free one would only repeat its work, and the suite has
a time budget).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from test_pipeline_units import DIES, TINY, student_version, tiny_released, tiny_source, write_nb

from autograder import REPO_ROOT
from autograder.pipeline import runner

pytest.importorskip("distributed")
pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:Object of type:Warning")]

DASK = Path(sys.executable).with_name("dask")
STARTUP = 60  # seconds for the scheduler and the workers to come up


def small_class(folder: Path) -> Path:
    released = tiny_released()
    correct = "def double(x):\n    return 2 * x"
    cases = {"correct": student_version(released, correct, "It adds x to itself."),
             "partial": student_version(released, "def double(x):\n    return 2 * x "
                                                  "if x < 4 else 0"),
             "dies": student_version(released, DIES)}
    for student, nb in cases.items():
        write_nb(folder / student / TINY / f"{TINY}.ipynb", nb)
    (folder / "missing" / TINY).mkdir(parents=True)
    return folder


def _env():
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH")) if p)
    env["DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES"] = "3"
    return env


def _start(args, log: Path) -> subprocess.Popen:
    with open(log, "w") as fh:
        return subprocess.Popen([str(DASK), *args], cwd=REPO_ROOT, env=_env(),
                                stdin=subprocess.DEVNULL, stdout=fh, stderr=subprocess.STDOUT,
                                start_new_session=True)


def _kill(proc: subprocess.Popen) -> None:
    """SIGKILL the process, its group and every descendant (nbgrader, kernels) at once, as
    when a machine is lost."""
    runner.kill_tree(proc)
    proc.wait(timeout=30)


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """The tiny course, its small class, and the local run's results (the reference)."""
    from autograder.pipeline import grade as grade_module

    root = tmp_path_factory.mktemp("dask")
    solutions = root / "solutions"
    write_nb(solutions / TINY / f"{TINY}.ipynb", tiny_source())
    submissions = small_class(root / "submissions")
    saved = grade_module.code_fingerprint
    # others may edit autograder/ while this runs; a changed fingerprint would not matter here
    grade_module.code_fingerprint = lambda repo: "fixed"
    kwargs = dict(assignments=[TINY], solutions_dir=solutions, cell_timeout=5,
                  submission_timeout=120, progress=False, echo=lambda m: None)
    try:
        local = grade_module.grade(submissions, root / "local", jobs=2, **kwargs)
        assert local.problems == [], local.problems
        yield root, submissions, kwargs, _results(root / "local")
    finally:
        grade_module.code_fingerprint = saved


def _results(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in ("scores.csv", "grades.csv")}


@pytest.fixture
def cluster(tmp_path):
    """``dask scheduler`` and two single-threaded ``dask worker`` processes (named w0, w1)."""
    from distributed import Client

    scheduler_file = tmp_path / "scheduler.json"
    procs = {"scheduler": _start(["scheduler", "--host", "127.0.0.1", "--port", "0",
                                  "--no-dashboard", "--scheduler-file", str(scheduler_file)],
                                 tmp_path / "scheduler.log")}
    try:
        deadline = time.monotonic() + STARTUP
        while not scheduler_file.exists():
            assert procs["scheduler"].poll() is None, (tmp_path / "scheduler.log").read_text()
            assert time.monotonic() < deadline, "the scheduler did not start"
            time.sleep(0.2)
        for name in ("w0", "w1"):
            procs[name] = _start(["worker", "--scheduler-file", str(scheduler_file),
                                  "--nthreads", "1", "--name", name, "--no-dashboard",
                                  "--no-nanny", "--local-directory", str(tmp_path / name)],
                                 tmp_path / f"{name}.log")
        client = Client(scheduler_file=str(scheduler_file), timeout=STARTUP)
        client.wait_for_workers(2, timeout=STARTUP)
        yield scheduler_file, client, procs
        client.close()
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                _kill(proc)


def test_a_worker_killed_mid_run_loses_nothing(course, cluster):
    from autograder.pipeline.grade import grade

    root, submissions, kwargs, local = course
    scheduler_file, client, procs = cluster
    out = root / "killed"
    outcome = {}

    def run():
        try:
            outcome["run"] = grade(submissions, out, dask=str(scheduler_file), **kwargs)
        except BaseException as exc:  # reported by the assertion below
            outcome["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    victim = None
    deadline = time.monotonic() + 300
    while victim is None and thread.is_alive() and time.monotonic() < deadline:
        busy = client.processing()
        names = {addr: info["name"] for addr, info in client.scheduler_info()["workers"].items()}
        # kill a worker while it is grading a submission (its task is lost with it)
        started = [names[a] for a, keys in busy.items() if keys and a in names]
        if len(started) == 2:
            victim = started[0]
        else:
            time.sleep(0.2)
    assert victim is not None, "the run ended before both workers were grading"
    _kill(procs[victim])
    print(f"killed worker {victim} (pid {procs[victim].pid}) while it was grading")
    thread.join(timeout=600)
    assert not thread.is_alive()
    assert "error" not in outcome, outcome.get("error")
    result = outcome["run"]
    assert result.problems == [] and result.graded == 4
    assert _results(out) == local
    print("scores.csv and grades.csv identical to the local run's; 4/4 submissions graded")
    # the survivor graded what the victim held; both took part before the kill
    ran = client.run(lambda dask_worker: sorted({str(e[0]) for e in dask_worker.state.log
                                                 if str(e[0]).startswith("grade-")
                                                 and e[2] == "memory"}))
    assert len(ran) == 1 and len(next(iter(ran.values()))) >= 2, ran
    # results were written once, on this machine: the next run resumes from them
    again = grade(submissions, out, dask=str(scheduler_file), **kwargs)
    assert again.reused == 4 and again.graded == 0
    assert _results(out) == local


def test_unreachable_scheduler_is_one_line_and_exit_2(tmp_path):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.run([sys.executable, "-m", "autograder", "grade", str(tmp_path / "in"),
                           str(tmp_path / "out"), "--dask", f"tcp://127.0.0.1:{port}",
                           "--no-progress"], cwd=REPO_ROOT, env=_env(), capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert lines == [f"error: cannot reach the Dask scheduler at tcp://127.0.0.1:{port} "
                     + lines[0].split(f"{port} ", 1)[1]], proc.stderr
    assert "within 10 s" in lines[0]
    assert not (tmp_path / "out").exists()  # nothing was started
