"""Grading on a Dask cluster (``--dask ADDRESS`` or ``--dask local:N``).

A task is one submission. It carries everything the job needs as data (the intake record,
the submitted files, the template gradebook, the limits) and returns everything the job made
as data (the result, the job's gradebook, the executed notebooks, the logs), so workers need
the course environment (this repository and its Python packages, bubblewrap) but no
filesystem shared with the machine that runs the command. The client writes what comes back
into OUT/.work/runs/S/A/ exactly as a local job would have, ``result.json`` last, so the merge
into OUT's gradebook stays on this machine and an interrupted run resumes as with ``--jobs``.

Tasks are idempotent: a worker grades in a temporary folder of its own and writes nothing
else, so the scheduler may run a task again when its worker is lost; the client keeps the
first answer and writes it once. A submission that kills its sandbox is a low score returned
by the task like any other (the kernel is a separate process; the worker lives on). One that
takes its worker down again and again is stopped by the scheduler
(``distributed.scheduler.allowed-failures``, 3 by default) and scores 0 with the reason: it is
never retried forever.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
import zlib
from dataclasses import asdict
from pathlib import Path

from autograder.pipeline import autograde, runner
from autograder.pipeline.intake import SubmissionIntake
from autograder.pipeline.workspace import Workspace

WORKER_LOST = autograde.WORKER_LOST
LOCAL_PREFIX = "local:"
CONNECT_TIMEOUT = 10.0  # seconds to reach a scheduler before giving up
WORKER_HINT = ("start each worker from this repository's root with PYTHONPATH set to it, in "
               "the course environment (README, 'Grading a large class')")


class DaskUnavailable(RuntimeError):
    """The cluster cannot be used: ``distributed`` is missing or the scheduler is unreachable."""


def parse_target(target: str) -> tuple[str, object]:
    """``--dask`` value -> ("local", n_workers) | ("file", path) | ("address", address).

    ``local:N`` starts a LocalCluster of N single-threaded workers; an existing file is a
    scheduler file (``dask scheduler --scheduler-file``); anything else is an address
    (``tcp://host:8786``, ``host:8786``).
    """
    if not isinstance(target, str) or not target.strip():
        raise ValueError(f"--dask: expected a scheduler address, a scheduler file or local:N, "
                         f"got {target!r}")
    target = target.strip()
    if target.startswith(LOCAL_PREFIX):
        count = target[len(LOCAL_PREFIX):]
        if not count.isdigit() or int(count) < 1:
            raise ValueError(f"--dask local:N: expected N a whole number of workers >= 1, "
                             f"got {count!r}")
        return "local", int(count)
    if os.path.isfile(target):
        return "file", target
    return "address", target


class Cluster:
    """A connected ``distributed.Client`` (and the LocalCluster it owns, for ``local:N``)."""

    def __init__(self, target: str, *, connect_timeout: float = CONNECT_TIMEOUT):
        try:
            import dask
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise DaskUnavailable(f"--dask needs the 'distributed' package ({exc}); "
                                  "pip install distributed") from exc
        kind, value = parse_target(target)
        self.target = target
        self.local = None
        # distributed logs every failed connection attempt: the caller prints one line instead.
        quiet = logging.getLogger("distributed")
        level = quiet.level
        quiet.setLevel(logging.CRITICAL)
        try:
            if kind == "local":
                with dask.config.set({"distributed.worker.daemon": False}):
                    # daemon=False: a worker's nbgrader subprocesses must be allowed
                    self.local = LocalCluster(n_workers=value, threads_per_worker=1,
                                              processes=True, dashboard_address=":0")
                self.client = Client(self.local)
            elif kind == "file":
                self.client = Client(scheduler_file=value, timeout=connect_timeout)
            else:
                self.client = Client(value, timeout=connect_timeout)
        except (OSError, TimeoutError) as exc:
            self.close()
            detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise DaskUnavailable(f"cannot reach the Dask scheduler at {target} within "
                                  f"{connect_timeout:g} s ({detail[:160]})") from None
        finally:
            quiet.setLevel(level)
        # the pipeline's modules imported once per worker now, not in the first task's time;
        # and a worker that cannot import them is said now, not once per submission
        try:
            self.client.run(_warm_up)
        except Exception as exc:
            self.close()
            raise DaskUnavailable(f"the Dask workers of {target} cannot import the grader "
                                  f"({type(exc).__name__}: {str(exc)[:120]}); {WORKER_HINT}"
                                  ) from None

    @property
    def dashboard(self) -> str | None:
        """The scheduler's dashboard address; None when it serves none (no bokeh there, or
        started with --no-dashboard): Client.dashboard_link would name one anyway."""
        try:
            if "dashboard" not in self.client.scheduler_info().get("services", {}):
                return None
            return self.client.dashboard_link
        except Exception:  # an old scheduler without services in its info
            return None

    def workers(self) -> int:
        return len(self.client.scheduler_info().get("workers", {}))

    def close(self) -> None:
        client, self.client = getattr(self, "client", None), None
        if client is not None:
            client.close()
        if self.local is not None:
            # workers still sending a heartbeat to the scheduler that is stopping log a
            # traceback each: noise, not news
            quiet = logging.getLogger("distributed")
            level = quiet.level
            quiet.setLevel(logging.CRITICAL)
            try:
                self.local.close()
            finally:
                quiet.setLevel(level)
            self.local = None


def _warm_up() -> None:
    import autograder.pipeline.autograde  # noqa: F401


# --- the task, run on a worker --------------------------------------------------------------


def pack_job(ws: Workspace, intake: SubmissionIntake, fp: str, cell_timeout: float | None, *,
             submission_timeout: float, sandbox: bool) -> dict:
    """Everything one grading job needs, as plain data (bytes and strings)."""
    submitted = ws.submitted / intake.student_id / intake.assignment_id
    return {
        "intake": intake.to_dict(),
        "fingerprint": fp,
        "cell_timeout": cell_timeout,
        "submission_timeout": submission_timeout,
        "sandbox": sandbox,
        "solutions": str(ws.solutions_dir),
        # mostly empty pages: compresses ~10x, and a class holds thousands of tasks
        "template": zlib.compress(ws.template.read_bytes()),
        "submitted": {str(p.relative_to(submitted)): p.read_bytes()
                      for p in sorted(submitted.rglob("*")) if p.is_file()},
    }


def grade_task(job: dict) -> dict:
    """Run on a Dask worker: grade one submission from ``pack_job``'s data in a temporary
    course root; return ``{"result": JobResult fields, "files": {path under OUT: bytes}}``.

    Writes nothing outside its temporary folder, so running it twice is harmless.
    """
    intake = SubmissionIntake.from_dict(job["intake"])
    student, assignment = intake.student_id, intake.assignment_id
    with tempfile.TemporaryDirectory(prefix="dlf-grade-") as tmp:
        solutions = Path(job["solutions"])
        ws = Workspace(Path(tmp) / "out", solutions if solutions.is_dir() else
                       Workspace(tmp).solutions_dir)
        ws.template.parent.mkdir(parents=True, exist_ok=True)
        ws.template.write_bytes(zlib.decompress(job["template"]))
        submitted = ws.submitted / student / assignment
        submitted.mkdir(parents=True)  # even empty: nothing gradable was handed in
        for rel, data in job["submitted"].items():
            path = submitted / rel
            if Path(rel).is_absolute() or ".." in Path(rel).parts:
                raise ValueError(f"submitted file outside the submission: {rel!r}")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        ws.logs.mkdir(parents=True, exist_ok=True)
        env = runner.nbgrader_env(ws.repo_root,
                                  threads=_threads_per_task(job.get("slots_by_host", {})))
        result = autograde._safe_run_job(ws, intake, job["fingerprint"], job["cell_timeout"],
                                         env=env, submission_timeout=job["submission_timeout"],
                                         sandbox=job["sandbox"])
        if result is None:  # the worker is shutting down: the scheduler runs it elsewhere
            raise RuntimeError("grading interrupted on this worker")
        files = {}
        run_dir = ws.run_dir(student, assignment)
        if (run_dir / "gradebook.db").exists():
            files[str(run_dir.relative_to(ws.out) / "gradebook.db")] = \
                (run_dir / "gradebook.db").read_bytes()
        for folder in (ws.autograded / student / assignment, ws.logs):
            for path in sorted(folder.rglob("*")) if folder.exists() else ():
                if path.is_file() and not path.is_symlink():
                    files[str(path.relative_to(ws.out))] = path.read_bytes()
        data = asdict(result)
        data.pop("reused")
        return {"result": data, "files": files}


def _threads_per_task(slots_by_host: dict[str, int]) -> int:
    """The CPU share of one task: this machine's cores divided by the task slots of every
    worker on it (``slots_by_host``, from the scheduler when the run started; this worker's
    own slots when it joined later), so that several workers on one machine do not each
    size their math libraries' thread pools to the whole machine."""
    try:
        from distributed import get_worker

        worker = get_worker()
        slots = slots_by_host.get(_host(worker.address), worker.state.nthreads)
    except (ImportError, ValueError, AttributeError):
        slots = 1
    return max(1, (os.cpu_count() or 1) // max(1, slots))


def _host(address: str) -> str:
    """``tcp://10.0.0.5:40315`` -> ``10.0.0.5``."""
    return address.split("://", 1)[-1].rsplit(":", 1)[0]


def slots_by_host(client) -> dict[str, int]:
    """{host: task slots of all its workers} from the scheduler."""
    slots: dict[str, int] = {}
    for address, info in client.scheduler_info().get("workers", {}).items():
        host = _host(address)
        slots[host] = slots.get(host, 0) + int(info.get("nthreads", 1))
    return slots


# --- the client side ------------------------------------------------------------------------


def store_result(ws: Workspace, answer: dict) -> autograde.JobResult:
    """Write a task's answer into OUT as a local job would have (``result.json`` last, so a
    run interrupted while writing grades the submission again). Returns the result."""
    result = autograde.JobResult(**answer["result"])
    student, assignment = result.student, result.assignment
    run_dir = ws.run_dir(student, assignment)
    autograded = ws.autograded / student / assignment
    for stale in (run_dir, autograded):
        if stale.exists():
            import shutil

            shutil.rmtree(stale)
    run_dir.mkdir(parents=True)
    allowed = (Path(".work") / "runs" / student / assignment / "gradebook.db",
               Path("autograded") / student / assignment, Path("logs"))
    for rel, data in answer["files"].items():
        rel_path = Path(rel)
        if rel_path.is_absolute() or ".." in rel_path.parts or not any(
                rel_path == a or rel_path.is_relative_to(a) for a in allowed):
            raise ValueError(f"a grading task returned a file outside its submission: {rel!r}")
        if rel_path.parts[0] == "logs" and not rel_path.name.startswith(f"{student}__{assignment}"):
            continue  # another job's log cannot come from this task
        dest = ws.out / rel_path
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)
    tmp = run_dir / "result.json.tmp"
    result.save(tmp)
    os.replace(tmp, run_dir / "result.json")
    return result


def lost_result(intake: SubmissionIntake, fp: str, detail: str) -> autograde.JobResult:
    """The result of a submission whose worker died every time it was tried (zeros)."""
    return autograde.JobResult(
        intake.student_id, intake.assignment_id, fp, autograde.FAILED,
        failure=("grading stopped: the Dask worker grading this submission died each time it "
                 f"was tried ({detail[:160]}); it scores 0. Run the command again to retry it"),
        failure_kind=WORKER_LOST)


def run_jobs(cluster: Cluster, ws: Workspace, todo, *, submission_timeout: float,
             sandbox: bool = True, on_done=None) -> list[autograde.JobResult]:
    """Grade ``todo`` ([(intake, fingerprint, cell time limit)]) on ``cluster``.

    ``on_done(result)`` is called as each one comes back. A task whose worker died every time
    (the scheduler's KilledWorker) gives ``lost_result``; any other failure of the task itself
    gives a pipeline error, as a local job would.
    """
    from distributed import as_completed
    from distributed.scheduler import KilledWorker

    client = cluster.client
    # Tasks go out a window at a time, so the client holds a few hundred, not a class of
    # thousands; the window is wide enough to keep every worker (and a few more) busy.
    window = max(64, 4 * cluster.workers())
    slots = slots_by_host(client)
    waiting = iter(todo)
    by_key, in_flight = {}, as_completed()

    def submit_next() -> None:
        item = next(waiting, None)
        if item is None:
            return
        intake, fp, cell_timeout = item
        job = pack_job(ws, intake, fp, cell_timeout, submission_timeout=submission_timeout,
                       sandbox=sandbox)
        job["slots_by_host"] = slots
        # a fresh key: the same submission graded twice in one session is two tasks
        future = client.submit(grade_task, job, pure=False,
                               key=f"grade-{intake.student_id}-{intake.assignment_id}-"
                                   f"{fp[:12]}-{time.time_ns()}")
        by_key[future.key] = (intake, fp, future)
        in_flight.add(future)

    for _ in range(window):
        submit_next()
    results = []
    try:
        for future in in_flight:
            intake, fp, _ = by_key.pop(future.key)
            try:
                result = store_result(ws, future.result())
            except KilledWorker as exc:
                result = lost_result(intake, fp, str(exc).splitlines()[0])
                _save_failure(ws, intake, result)
            except Exception as exc:  # the task broke outside _safe_run_job (serialization)
                result = autograde.JobResult(
                    intake.student_id, intake.assignment_id, fp, autograde.FAILED,
                    failure=f"grading pipeline error on the Dask worker: "
                            f"{type(exc).__name__}: {str(exc)[:200]}"
                            + (f" ({WORKER_HINT})" if isinstance(exc, ImportError) else ""),
                    failure_kind=autograde.PIPELINE_ERROR)
            future.release()
            results.append(result)
            if on_done is not None:
                on_done(result)
            submit_next()
    except BaseException:
        client.cancel([f for _i, _fp, f in by_key.values()])
        raise
    return results


def _save_failure(ws: Workspace, intake: SubmissionIntake,
                  result: autograde.JobResult) -> None:
    """A zero gradebook for a lost submission, so it is merged (with its message) like any
    failed job; its result is not reused by the next run (see autograde.cached_result)."""
    import shutil

    student, assignment = result.student, result.assignment
    db = autograde.fresh_run_dir(ws, student, assignment)
    result.submission_id = autograde.zero_submission(db, student, assignment, intake.timestamp)
    # formgrader and feedback get the notebook as handed in, as for any failed job
    autograded = ws.autograded / student / assignment
    autograded.mkdir(parents=True, exist_ok=True)
    for nb_id in intake.graded_notebooks:
        shutil.copyfile(ws.submitted / student / assignment / f"{nb_id}.ipynb",
                        autograded / f"{nb_id}.ipynb")
    result.save(db.parent / "result.json")
