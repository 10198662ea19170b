"""Autograding jobs: one per (student, assignment), each in its own scratch course root.

SQLite is not safe for concurrent writers, so every job gets ``.work/runs/S/A/``: a copy of
the config, of the template gradebook (no submissions) and of the intake'd submission, and
runs ``nbgrader autograde A --student S --force`` there. Jobs run in a thread pool (``--jobs``
workers, one nbgrader process each), or on a Dask cluster (dask_engine.py), with progress per
assignment (progress.py); their gradebooks are merged into OUT's gradebook afterwards, one at
a time (see merge.py).

A job that breaks (kernel died, wall-clock limit, nbgrader error) does not stop the run: its
submission scores 0 everywhere, with the reason as message. A job whose inputs did not change
since an earlier run in the same OUT (fingerprint: submitted notebooks, the assignment's
solution folder, the Python sources of autograder/ and course/, the cell time limit) is not
run again, so an interrupted run resumes where it stopped.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import shutil
import threading
import time
import traceback
import warnings
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path

import nbformat

from autograder.pipeline import runner
from autograder.pipeline.intake import SubmissionIntake
from autograder.pipeline.messages import notebook_messages
from autograder.pipeline.workspace import COURSE_ID, Workspace, sha256_of_files, source_files

# Failure kinds. STUDENT_FAILURES are the submission's doing; the others mean grading broke.
TIMEOUT = "timeout"
KERNEL_DIED = "kernel_died"
UNRESPONSIVE = "unresponsive"
NBGRADER_ERROR = "nbgrader_error"
PIPELINE_ERROR = "pipeline_error"
# The Dask worker grading it died each time (dask_engine.py): zeros, and graded again by the
# next run rather than reused.
WORKER_LOST = "worker_lost"
STUDENT_FAILURES = (TIMEOUT, KERNEL_DIED, UNRESPONSIVE, WORKER_LOST)

GRADED = "graded"  # nbgrader autograded it
NO_NOTEBOOK = "no_notebook"  # nothing gradable was handed in: zeros, nbgrader not run
FAILED = "failed"  # nbgrader did not finish: zeros

DEFAULT_SUBMISSION_TIMEOUT = 600.0

_interrupted = threading.Event()


@dataclass
class JobResult:
    student: str
    assignment: str
    fingerprint: str
    state: str
    seconds: float = 0.0
    failure: str | None = None  # message shown for every cell when the job failed
    failure_kind: str | None = None
    submission_id: str | None = None  # submitted_assignment.id in the job's gradebook
    messages: dict = field(default_factory=dict)  # notebook id -> notebook_messages(...)
    reused: bool = False

    @property
    def broke_grading(self) -> bool:
        return self.failure_kind in (NBGRADER_ERROR, PIPELINE_ERROR)

    def save(self, path: Path) -> None:
        data = asdict(self)
        data.pop("reused")
        path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> JobResult:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(**data, reused=True)


def fingerprint(ws: Workspace, student: str, assignment: str, code_hash: str,
                cell_timeout: float | None) -> str:
    """What a job's outcome depends on."""
    h = hashlib.sha256()
    submitted = ws.submitted / student / assignment
    files = [p for p in submitted.rglob("*") if p.is_file()]
    h.update(sha256_of_files(files, submitted).encode())
    solution = ws.solutions_dir / assignment
    h.update(sha256_of_files(source_files(solution), ws.solutions_dir).encode())
    h.update(code_hash.encode())
    h.update(ws.config_text().encode())
    h.update(repr(cell_timeout).encode())
    return h.hexdigest()


def cached_result(ws: Workspace, student: str, assignment: str, fp: str,
                  intake: SubmissionIntake) -> JobResult | None:
    """An earlier run's result for this job, if its inputs are unchanged and it is complete."""
    run_dir = ws.run_dir(student, assignment)
    path = run_dir / "result.json"
    if not path.exists() or not (run_dir / "gradebook.db").exists():
        return None
    try:
        result = JobResult.load(path)
    except (ValueError, TypeError, OSError):
        return None
    if result.fingerprint != fp or result.broke_grading or result.failure_kind == WORKER_LOST:
        return None
    autograded = ws.autograded / student / assignment
    if result.state != NO_NOTEBOOK and not all(
            (autograded / f"{nb}.ipynb").exists() for nb in intake.graded_notebooks):
        return None
    return result


def classify_failure(log_text: str) -> tuple[str, str]:
    """(kind, message) for an nbgrader autograde run that did not succeed."""
    if "DeadKernelError" in log_text or "Kernel died" in log_text:
        return KERNEL_DIED, ("the kernel died while running the notebook (os._exit, a crash or "
                             "running out of memory)")
    if ("UnresponsiveKernelError" in log_text or "kernel became unresponsive" in log_text
            or "CellTimeoutError" in log_text):
        return UNRESPONSIVE, ("a cell ran past the time limit and the kernel could not be "
                              "interrupted")
    lines = [ln.strip() for ln in log_text.splitlines() if ln.strip()]
    errors = [ln for ln in lines if re.match(r"^[\w.]+(Error|Exception)\b", ln)]
    detail = errors[-1] if errors else (lines[-1] if lines else "no output")
    return NBGRADER_ERROR, f"nbgrader autograde failed: {detail[:200]}"


def zero_submission(db: Path, student: str, assignment: str, timestamp: str | None) -> str:
    """Create (or reset) the submission in the gradebook ``db`` with every grade at 0.

    Mirrors what nbgrader does for a notebook that was not submitted. Returns its id.
    """
    from nbgrader.api import Gradebook

    kwargs = {}
    if timestamp:
        kwargs["timestamp"] = timestamp
    with Gradebook(f"sqlite:///{db}", COURSE_ID) as gb, warnings.catch_warnings():
        # nbgrader's add_submission makes SQLAlchemy warn (harmless; nbgrader itself does too)
        warnings.simplefilter("ignore")
        gb.update_or_create_student(student)
        try:
            submission = gb.update_or_create_submission(assignment, student, **kwargs)
        except Exception:  # an unparsable timestamp: keep the submission without it
            submission = gb.update_or_create_submission(assignment, student)
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                grade.auto_score = 0.0
                grade.manual_score = None
                grade.needs_manual_grade = False
        gb.db.commit()
        return submission.id


def submission_id(db: Path, student: str, assignment: str) -> str | None:
    import sqlite3

    with sqlite3.connect(db) as con:
        row = con.execute(
            "SELECT sa.id FROM submitted_assignment sa JOIN assignment a"
            " ON a.id = sa.assignment_id WHERE sa.student_id = ? AND a.name = ?",
            (student, assignment)).fetchone()
    return row[0] if row else None


def _replace_folder(src: Path, dest: Path) -> None:
    if dest.exists():
        shutil.rmtree(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(src), str(dest))


def fresh_run_dir(ws: Workspace, student: str, assignment: str) -> Path:
    """Empty the submission's run folder (a previous, interrupted try is discarded) and put a
    copy of the template gradebook in it; returns that gradebook's path."""
    run_dir = ws.run_dir(student, assignment)
    if run_dir.exists():
        shutil.rmtree(run_dir)
    run_dir.mkdir(parents=True)
    db = run_dir / "gradebook.db"
    shutil.copyfile(ws.template, db)
    return db


def run_job(ws: Workspace, intake: SubmissionIntake, fp: str, cell_timeout: float | None, *,
            env: dict[str, str], submission_timeout: float,
            sandbox: bool = True) -> JobResult | None:
    """Grade one submission in its scratch course root. None when the run was interrupted."""
    student, assignment = intake.student_id, intake.assignment_id
    start = time.monotonic()
    db = fresh_run_dir(ws, student, assignment)
    run_dir = db.parent
    ws.write_config(run_dir)
    submitted = ws.submitted / student / assignment
    shutil.copytree(submitted, run_dir / "submitted" / student / assignment)
    autograded = ws.autograded / student / assignment
    if autograded.exists():
        shutil.rmtree(autograded)
    result = JobResult(student, assignment, fp, GRADED)

    if not intake.graded_notebooks:
        result.state = NO_NOTEBOOK
        result.submission_id = zero_submission(db, student, assignment, intake.timestamp)
    else:
        cmd = runner.nbgrader_command("autograde", assignment, "--student", student, "--force")
        if cell_timeout is not None:
            cmd.append(f"--Execute.timeout={max(1, math.ceil(cell_timeout))}")
        if not sandbox:
            cmd.append("--SandboxedExecute.unsafe_no_sandbox=True")
        # the notebook's own wall-time limit is enforced inside the job; this one is the
        # backstop for nbgrader itself
        from autograder.grading_settings import sandbox_limits

        submission_timeout = min(submission_timeout,
                                 sandbox_limits(assignment).notebook_seconds + 120)
        log = ws.log_path(student, assignment)
        run = runner.run_logged(cmd, cwd=run_dir, log_path=log, env=env,
                                timeout=submission_timeout)
        if _interrupted.is_set():
            return None
        out_dir = run_dir / "autograded" / student / assignment
        done = run.ok and all((out_dir / f"{nb}.ipynb").exists()
                              for nb in intake.graded_notebooks)
        if done:
            for nb_id in intake.graded_notebooks:
                nb = nbformat.read(out_dir / f"{nb_id}.ipynb", as_version=4)
                result.messages[nb_id] = notebook_messages(nb, cell_timeout)
            _replace_folder(out_dir, autograded)
            result.submission_id = submission_id(db, student, assignment)
        else:
            result.state = FAILED
            if run.timed_out:
                result.failure_kind = TIMEOUT
                result.failure = (f"grading stopped: the notebook ran longer than "
                                  f"{submission_timeout:g} s")
            else:
                text = log.read_text(encoding="utf-8", errors="replace")
                result.failure_kind, result.failure = classify_failure(text)
            result.failure += f" (see logs/{log.name})"
            result.submission_id = zero_submission(db, student, assignment, intake.timestamp)
            # Formgrader and feedback still get the notebook as handed in (not executed).
            autograded.mkdir(parents=True, exist_ok=True)
            for nb_id in intake.graded_notebooks:
                shutil.copyfile(submitted / f"{nb_id}.ipynb", autograded / f"{nb_id}.ipynb")
    result.seconds = round(time.monotonic() - start, 1)
    result.save(run_dir / "result.json")
    return result


def _safe_run_job(ws, intake, fp, cell_timeout, **kwargs) -> JobResult | None:
    """run_job, with an exception in the pipeline itself turned into a failed result."""
    try:
        return run_job(ws, intake, fp, cell_timeout, **kwargs)
    except Exception:
        if _interrupted.is_set():
            return None
        trace = traceback.format_exc()
        log = ws.logs / f"{intake.student_id}__{intake.assignment_id}__pipeline.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(trace, encoding="utf-8")
        last = trace.strip().splitlines()[-1]
        return JobResult(intake.student_id, intake.assignment_id, fp, FAILED,
                         failure=f"grading pipeline error: {last[:200]} (see logs/{log.name})",
                         failure_kind=PIPELINE_ERROR)


def run_jobs(ws: Workspace, todo: list[tuple[SubmissionIntake, str, float | None]], *,
             workers: int, submission_timeout: float, progress: bool = True,
             sandbox: bool = True) -> list[JobResult]:
    """Run the jobs ``todo`` ([(intake, fingerprint, cell time limit)]), ``workers`` at a time,
    with progress per assignment (progress.py) unless ``progress`` is False."""
    from autograder.pipeline.progress import Progress

    if not todo:
        return []
    workers = max(1, min(workers, len(todo)))
    threads = max(1, (os.cpu_count() or 1) // workers)
    env = runner.nbgrader_env(ws.repo_root, threads=threads)
    kwargs = dict(env=env, submission_timeout=submission_timeout, sandbox=sandbox)
    results = []
    _interrupted.clear()
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="autograde")
    bar = Progress(job_totals(todo), enabled=progress)
    try:
        futures = {pool.submit(_safe_run_job, ws, intake, fp, timeout, **kwargs): intake
                   for intake, fp, timeout in todo}
        for future in as_completed(futures):
            result = future.result()
            intake = futures[future]
            if result is not None:
                results.append(result)
            bar.done(intake.assignment_id, intake.student_id)
    except BaseException:
        _interrupted.set()
        runner.kill_all_running()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    finally:
        bar.close()
    pool.shutdown(wait=True)
    return results


def job_totals(todo) -> dict[str, int]:
    """assignment -> how many of the jobs ``todo`` grade it, in the order first met."""
    totals: dict[str, int] = {}
    for intake, _fp, _timeout in todo:
        totals[intake.assignment_id] = totals.get(intake.assignment_id, 0) + 1
    return totals
