"""``python -m autograder grade SUBMISSIONS OUT``: the grading run, step by step.

1. prepare   OUT becomes an nbgrader course root (workspace.py): config, gradebook with the
             assignments (``nbgrader generate_assignment``), template gradebook for the jobs;
2. intake    each student's notebooks into OUT/submitted/ (intake.py), with the tamper scan;
3. autograde one job per submission, ``--jobs`` in parallel, resumable (autograde.py);
4. merge     the jobs' gradebooks into OUT/gradebook.db (merge.py), tamper findings applied;
5. export    ``nbgrader export`` -> grades.csv, ``nbgrader generate_feedback`` -> feedback/;
6. report    scores.csv and a summary (reports.py).

A broken submission is a low score with a message; the run's exit status is non-zero only when
grading itself broke (a step of the pipeline, or nbgrader on some submission, failed).
"""

from __future__ import annotations

import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from autograder import ASSIGNMENTS, SOLUTIONS_DIR
from autograder.pipeline import autograde, ids, intake, merge, reports, runner, tamper_hook
from autograder.pipeline.workspace import Workspace, code_fingerprint, prepare

EXIT_OK = 0
EXIT_BROKEN = 1


class GradingError(RuntimeError):
    """Grading cannot start or cannot finish (bad arguments, a pipeline step failed)."""


@dataclass
class GradeRun:
    out: Path
    submissions: list[reports.Submission] = field(default_factory=list)
    rows: list[reports.ScoreRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # worth knowing, not failures
    problems: list[str] = field(default_factory=list)  # grading itself broke
    graded: int = 0
    reused: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)  # step -> seconds

    @property
    def exit_code(self) -> int:
        return EXIT_BROKEN if self.problems else EXIT_OK

    def render(self) -> str:
        lines = [reports.summary(self.submissions), ""]
        lines += [f"note: {n}" for n in self.notes]
        lines += [f"PROBLEM: {p}" for p in self.problems]
        steps = ", ".join(f"{k} {v:.0f} s" for k, v in self.timings.items())
        lines.append(
            f"{len(self.submissions)} submission(s): {self.graded} autograded now, "
            f"{self.reused} unchanged since the last run in this folder; {self.seconds:.0f} s "
            f"({steps}).")
        lines.append(f"Results in {self.out}: grades.csv, scores.csv, feedback/, gradebook.db "
                     f"(hand-grade with `nbgrader formgrader` run in that folder), logs/.")
        if self.problems:
            lines.append("Grading did not complete cleanly (exit status 1).")
        return "\n".join(lines)


def grade(submissions_dir, out, *, jobs: int = 1, assignments=None, solutions_dir=None,
          cell_timeout: float | None = None,
          submission_timeout: float = autograde.DEFAULT_SUBMISSION_TIMEOUT,
          fresh: bool = False, progress: bool = True, sandbox: bool = True,
          dask: str | None = None, db_url: str | None = None, echo=print) -> GradeRun:
    """Grade ``submissions_dir`` (``<student>/<assignment>/<notebook>.ipynb``) into ``out``.

    ``assignments`` and ``solutions_dir`` default to the course's (``autograder.ASSIGNMENTS``,
    ``solutions/``). ``cell_timeout`` overrides the course's per-cell limit (nbgrader's
    ``Execute.timeout``, grading_settings.cell_timeout); ``submission_timeout`` limits each
    submission's whole run. ``sandbox`` False runs student code without the sandbox
    (``--unsafe-no-sandbox``); otherwise grading refuses to start where no sandbox can be
    made. ``fresh`` ignores results of earlier runs in ``out``. ``dask`` (a scheduler
    address, a scheduler file or ``local:N``) grades on a Dask cluster instead of ``jobs``
    local processes (dask_engine.py); ``db_url`` (an SQLAlchemy URL) also keeps the gradebook
    on that database, where formgrader and nbgrader export read it (server_gradebook.py).
    ``echo`` receives progress notes.
    """
    if db_url is not None:
        from autograder.pipeline import server_gradebook

        try:
            server_gradebook.check_url(db_url)
            server_gradebook.reachable(db_url)
        except (ValueError, server_gradebook.ServerGradebookError) as exc:
            raise GradingError(str(exc)) from None
    cluster = None
    if dask is not None:
        from autograder.pipeline.dask_engine import Cluster, DaskUnavailable

        try:
            cluster = Cluster(dask)
        except (DaskUnavailable, ValueError) as exc:
            raise GradingError(str(exc)) from None
        where = cluster.dashboard
        echo(f"Dask cluster {dask}: {cluster.workers()} worker(s); "
             + (f"dashboard {where}" if where else "no dashboard (bokeh is not installed "
                                                   "where the scheduler runs)"))
    try:
        return _grade(submissions_dir, out, jobs=jobs, assignments=assignments,
                      solutions_dir=solutions_dir, cell_timeout=cell_timeout,
                      submission_timeout=submission_timeout, fresh=fresh, progress=progress,
                      sandbox=sandbox, cluster=cluster, db_url=db_url, echo=echo)
    finally:
        if cluster is not None:
            cluster.close()


def _grade(submissions_dir, out, *, jobs, assignments, solutions_dir, cell_timeout,
           submission_timeout, fresh, progress, sandbox, cluster, db_url, echo) -> GradeRun:
    start = time.monotonic()
    if sandbox:
        from autograder.sandbox.bwrap import probe

        why = probe()
        if why is not None:
            raise GradingError(f"refusing to grade: no sandbox can be made here: {why}. "
                               "Student code would run with the grader's rights; install "
                               "bubblewrap (make installs it) or, for trusted submissions "
                               "only, pass --unsafe-no-sandbox")
    submissions_dir = Path(submissions_dir).resolve()
    ws = Workspace(out, solutions_dir or SOLUTIONS_DIR)
    run = GradeRun(ws.out)
    if not submissions_dir.is_dir():
        raise GradingError(f"no such folder: {submissions_dir}")
    if ws.out == submissions_dir:
        raise GradingError("OUT must be another folder than SUBMISSIONS")
    for managed in (ws.submitted, ws.autograded, ws.feedback, ws.intake_dir, ws.logs, ws.work):
        if submissions_dir.is_relative_to(managed):
            raise GradingError(f"SUBMISSIONS cannot be inside {managed}: the grader rewrites it")
    assignments = list(assignments if assignments is not None else ASSIGNMENTS)

    students = [s for s in intake.list_students(submissions_dir)
                if (submissions_dir / s).resolve() != ws.out]
    if not students:
        raise GradingError(f"no student folders in {submissions_dir}")
    considered = [a for a in assignments
                  if any((submissions_dir / s / a).is_dir() for s in students)]
    for a in assignments:
        if a not in considered:
            run.notes.append(f"nobody handed in {a}: not graded")
    if not considered:
        raise GradingError(f"no folder of {submissions_dir} holds an assignment of the course "
                           f"({', '.join(assignments)}) as <student>/<assignment>/")

    # 1. prepare
    echo(f"Preparing {ws.out} for {', '.join(considered)} ...")
    prepare(ws, considered, on_note=run.notes.append)
    released = {a: ws.released_notebooks(a) for a in considered}
    tick = _clock(run, start)
    tick("prepare")

    # 2. intake
    # From here on a student is known by the id graded under (ids.py: the folder name when
    # nbgrader can use it, else a slug and a hash); records are keyed by it.

    student_ids = ids.assign_internal_ids(students)  # folder name -> internal id
    ids.write_mapping(ws.out / ids.MAPPING_FILE, student_ids)
    scanner = tamper_hook.load_scanner()
    if scanner is None:
        run.notes.append("autograder.tamper is not available: tamper scan skipped")
    records: dict[tuple[str, str], intake.SubmissionIntake | None] = {}
    for student in students:
        sid, shown = student_ids[student], ids.display_id(student)
        if sid != student:
            run.notes.append(f"{shown}: graded as {sid} (nbgrader cannot use the folder name "
                             f"as a student id; see {ids.MAPPING_FILE})")
        for name in intake.unknown_folders(submissions_dir, student,
                                           {*assignments, *ASSIGNMENTS}):
            run.notes.append(f"{shown}: '{ids.display_id(name)}' is not an assignment folder; "
                             "ignored")
        for a in considered:
            folder = intake.submission_folder(submissions_dir, student, a)
            dest = ws.submitted / sid / a
            if folder is None:
                records[sid, a] = None
                for stale in (dest, ws.autograded / sid / a, ws.feedback / sid / a,
                              ws.intake_dir / sid / f"{a}.json"):
                    _remove(stale)
                continue
            record = intake.intake_submission(folder, sid, a, released[a], dest,
                                              scanner=scanner, submissions_root=submissions_dir,
                                              student_folder=student)
            record.save(ws.intake_dir / sid / f"{a}.json")
            records[sid, a] = record
            run.notes += [f"{shown}/{a}: {note}" for note in record.notes]
            py = [f for f in record.ignored_files if f.endswith(".py") or "/" in f]
            if py:
                run.notes.append(f"{shown}/{a}: files besides the notebook were ignored: "
                                 + ", ".join(py[:5]))

    # 3. autograde
    code_hash = code_fingerprint(ws.repo_root)
    results: dict[tuple[str, str], autograde.JobResult] = {}
    todo = []
    timeouts = {a: cell_timeout if cell_timeout is not None else course_cell_timeout(a)
                for a in considered}
    for (student, a), record in sorted(records.items()):
        if record is None:
            continue
        fp = autograde.fingerprint(ws, student, a, code_hash + ("" if sandbox else "unsafe"),
                                   timeouts[a])
        cached = None if fresh else autograde.cached_result(ws, student, a, fp, record)
        if cached is not None:
            results[student, a] = cached
        else:
            todo.append((record, fp, timeouts[a]))
    run.reused = len(results)
    engine = f"{jobs} job(s)" if cluster is None else f"Dask ({cluster.target})"
    echo(f"Autograding {len(todo)} submission(s) with {engine}"
         + (f" ({run.reused} unchanged since the last run)" if run.reused else "") + " ...")
    if cluster is None:
        finished = autograde.run_jobs(ws, todo, workers=jobs, progress=progress,
                                  submission_timeout=submission_timeout, sandbox=sandbox)
    else:
        from autograder.pipeline.dask_engine import run_jobs as run_on_dask
        from autograder.pipeline.progress import Progress

        bar = Progress(autograde.job_totals(todo), enabled=progress)
        try:
            finished = run_on_dask(cluster, ws, todo, submission_timeout=submission_timeout,
                               sandbox=sandbox,
                               on_done=lambda r: bar.done(r.assignment, r.student))
        finally:
            bar.close()
    for result in finished:
        results[result.student, result.assignment] = result
    run.graded = len(results) - run.reused
    tick("intake+autograde")

    # 4. merge
    # The jobs ran student code: OUT's config is written again before nbgrader runs in OUT,
    # and OUT's gradebook must still be sound (merge.py refuses one with triggers or views).
    from autograder.pipeline.workspace import gradebook_problem

    ws.write_config()
    damaged = gradebook_problem(ws.gradebook)
    if damaged:
        raise GradingError(f"OUT/gradebook.db {damaged} after the grading jobs ran: nothing "
                           "merged; run the command again (it moves the gradebook aside and "
                           "rebuilds it)")
    merged = []  # submissions whose rows were (re)written: hand grading elsewhere is kept
    for (student, a), record in sorted(records.items()):
        if record is None:
            merge.remove_submission(ws.gradebook, student, a)
            continue
        result = results.get((student, a))
        if result is None:
            run.problems.append(f"{student}/{a}: no grading result")
            merge.remove_submission(ws.gradebook, student, a)
            continue
        if result.broke_grading:
            run.problems.append(f"{student}/{a}: {result.failure}")
        try:
            if merge.merge_submission(ws.gradebook, ws.run_dir(student, a) / "gradebook.db",
                                      student, a):
                merged.append(record)
        except merge.MergeError as exc:
            merge.remove_submission(ws.gradebook, student, a)
            if not result.broke_grading:
                run.problems.append(f"{student}/{a}: merging its gradebook failed: {exc}")
                result.failure = f"grading pipeline error: {exc}"
                result.failure_kind = autograde.PIPELINE_ERROR
    merge.sort_students(ws.gradebook)
    if any(r.findings for r in merged):
        tamper_hook.apply_findings(ws.gradebook, merged, released)
    if db_url is not None:
        from autograder.pipeline import server_gradebook

        try:
            server_gradebook.sync(ws.gradebook, db_url)
            ws.write_config(db_url=db_url)  # export, feedback and formgrader read the server
        except server_gradebook.ServerGradebookError as exc:
            run.problems.append(f"{exc}; grades.csv and feedback come from OUT/gradebook.db")

    tick("merge")

    # 5. export and feedback
    echo("Exporting grades and writing feedback ...")
    env = runner.nbgrader_env(ws.repo_root)
    grades_csv = ws.out / "grades.csv"
    for (student, a), record in records.items():
        if record is not None:
            _remove(ws.feedback / student / a)
    # Both only read the gradebook: run them side by side.
    steps = {("export", None): (runner.nbgrader_command("export", f"--to={grades_csv}"),
                                ws.logs / "_export.log")}
    for a in considered:
        command = runner.nbgrader_command("generate_feedback", a, "--force")
        steps["feedback", a] = (command, ws.logs / f"_generate_feedback__{a}.log")
    with ThreadPoolExecutor(max_workers=max(1, min(jobs, len(steps)))) as pool:
        done = dict(zip(steps, pool.map(
            lambda step: runner.run_logged(step[0], cwd=ws.out, log_path=step[1], env=env),
            steps.values()), strict=True))
    exported = done["export", None]
    if not exported.ok or not grades_csv.exists():
        run.problems.append(f"nbgrader export failed (see logs/_export.log): "
                            f"{exported.log_tail(1)}")
    for (student, a), record in sorted(records.items()):
        if record is None:
            continue
        for nb_id in record.graded_notebooks:
            if not (ws.feedback / student / a / f"{nb_id}.html").exists():
                run.problems.append(f"{student}/{a}: no feedback for {nb_id} "
                                    f"(see logs/{done['feedback', a].log_path.name})")
    tick("export+feedback")

    # 6. report: under the folder name the student handed in with (the gradebook and
    # grades.csv keep the id graded under; student_ids.csv maps one to the other)
    shown = {sid: ids.display_id(real) for real, sid in student_ids.items()}
    for (student, a), record in sorted(records.items()):
        sub = reports.Submission(shown.get(student, student), a, record,
                                 results.get((student, a)))
        grades = reports.read_grades(ws.gradebook, student, a)
        sub.rows = reports.build_rows(sub, released[a], grades)
        run.submissions.append(sub)
        run.rows += sub.rows
    reports.write_scores(ws.out / "scores.csv", run.rows)
    _note_other_students(run, ws, list(student_ids.values()))
    run.seconds = time.monotonic() - start
    return run


def _clock(run: GradeRun, start: float):
    last = [start]

    def tick(step: str) -> None:
        now = time.monotonic()
        run.timings[step] = now - last[0]
        last[0] = now

    return tick


def course_cell_timeout(assignment: str) -> float:
    """The course's per-cell limit for ``assignment`` (autograder/grading_settings.py)."""
    from autograder import grading_settings

    per_assignment = getattr(grading_settings, "cell_timeout", None)
    if per_assignment is not None:
        return float(per_assignment(assignment))
    return float(grading_settings.CELL_TIMEOUT)


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


def _note_other_students(run: GradeRun, ws: Workspace, students: list[str]) -> None:
    import sqlite3

    with sqlite3.connect(ws.gradebook) as con:
        known = [r[0] for r in con.execute("SELECT id FROM student ORDER BY id")]
    others = [s for s in known if s not in set(students)]
    if others:
        run.notes.append(f"the gradebook also holds {len(others)} student(s) not in this "
                         f"SUBMISSIONS folder (from earlier runs; in grades.csv): "
                         + ", ".join(others[:10]) + ("..." if len(others) > 10 else ""))
