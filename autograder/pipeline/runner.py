"""Running nbgrader as a subprocess: environment, log capture, wall-clock limit.

Every nbgrader step of the grading command runs in its own process (``python -m nbgrader``
of this interpreter), with its output captured in a log file rather than printed, and with
the environment that the grading kernels need:

- ``PYTHONPATH`` starts with the repository root, so kernels can ``import autograder`` (hidden
  checks) and ``import course``;
- ``MPLBACKEND=Agg``, so plots never try to open a window;
- ``PATH`` starts with this interpreter's bin folder (nbgrader calls the ``alembic`` script of
  its own environment to create a gradebook);
- thread pools of numpy/BLAS/TensorFlow sized to the share of the CPU of one job, and
  TensorFlow's GPU memory allocated as needed, so that parallel jobs can share the machine.

On overrun the whole process tree is killed: nbgrader's process group and the kernels, which
jupyter_client starts in sessions of their own.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

from autograder import REPO_ROOT

# Popen objects of nbgrader processes still running, so an interrupted run can stop them.
_RUNNING: set[subprocess.Popen] = set()
_LOCK = threading.Lock()


def nbgrader_env(repo_root: Path = REPO_ROOT, threads: int | None = None) -> dict[str, str]:
    """The environment of an nbgrader subprocess (and of the kernels it starts).

    ``threads`` caps the math libraries' thread pools, so that parallel grading jobs do not
    oversubscribe the CPU (and numerics do not depend on how many jobs ran).
    """
    env = dict(os.environ)
    paths = [str(repo_root)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
    env["MPLBACKEND"] = "Agg"
    env["PATH"] = os.pathsep.join([os.path.dirname(sys.executable), env.get("PATH", "")])
    env["PYTHONIOENCODING"] = "utf-8"
    env.setdefault("JUPYTER_PLATFORM_DIRS", "1")  # silences a jupyter_core deprecation warning
    env.pop("NBGRADER_EXECUTION", None)
    # Parallel kernels that use TensorFlow must not each reserve the whole GPU.
    env.setdefault("TF_FORCE_GPU_ALLOW_GROWTH", "true")
    if threads is not None:
        for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                     "TF_NUM_INTRAOP_THREADS"):
            env.setdefault(name, str(threads))
    return env


# ``python -m nbgrader`` that skips importing rfc3987_syntax: jsonschema (through nbformat)
# imports it when installed, only for its optional "iri" format check, which notebook schemas
# never use, and building its grammar takes 1.5 s: a quarter of grading a small notebook.
LAUNCHER = ("import sys; sys.modules.setdefault('rfc3987_syntax', None); "
            "from nbgrader.apps.nbgraderapp import main; sys.exit(main())")


def nbgrader_command(*args: str) -> list[str]:
    """``nbgrader ARGS`` run by the interpreter that runs the grading command."""
    return [sys.executable, "-c", LAUNCHER, *args]


def describe(cmd: list[str]) -> str:
    if cmd[1:3] == ["-c", LAUNCHER]:
        return " ".join(["nbgrader", *cmd[3:]])
    return " ".join(cmd)


@dataclass
class RunResult:
    returncode: int
    timed_out: bool
    seconds: float
    log_path: Path

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


def kill_tree(proc: subprocess.Popen) -> None:
    """Kill ``proc``, its process group and every descendant (kernels run in own sessions)."""
    try:
        descendants = psutil.Process(proc.pid).children(recursive=True)
    except psutil.Error:
        descendants = []
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    for child in descendants:
        try:
            child.kill()
        except psutil.Error:
            pass
    psutil.wait_procs(descendants, timeout=5)


def kill_all_running() -> None:
    """Kill every nbgrader process started by this module that is still running."""
    with _LOCK:
        running = list(_RUNNING)
    for proc in running:
        kill_tree(proc)


def run_logged(cmd: list[str], *, cwd: Path, log_path: Path, env: dict[str, str] | None = None,
               timeout: float | None = None) -> RunResult:
    """Run ``cmd`` in ``cwd`` with stdout and stderr going to ``log_path``.

    Returns when the process ends or ``timeout`` seconds have passed (then the whole process
    tree is killed and ``timed_out`` is set). Never raises for a failing command.
    """
    log_path.parent.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    timed_out = False
    with open(log_path, "w", encoding="utf-8") as log:
        log.write("$ " + describe(cmd) + "\n")
        log.write(f"# cwd: {cwd}\n")
        log.flush()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env if env is not None else nbgrader_env(),
                                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        with _LOCK:
            _RUNNING.add(proc)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            kill_tree(proc)
            proc.wait()
        finally:
            with _LOCK:
                _RUNNING.discard(proc)
        seconds = time.monotonic() - start
        if timed_out:
            log.write(f"\n# killed after {seconds:.0f} s (limit {timeout:.0f} s)\n")
    return RunResult(proc.returncode, timed_out, seconds, log_path)
