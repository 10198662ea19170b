"""Command line of the instructor side:
``python -m autograder {grade,release,publish,demo,mutants}``.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from autograder import ASSIGNMENTS, REPO_ROOT
from autograder.pipeline import autograde, runner
from autograder.pipeline.grade import EXIT_BROKEN, GradingError, grade
from autograder.pipeline.workspace import WorkspaceError
from autograder.publish import PublishError, sync_solutions, through

EXIT_USAGE = 2


def release(assignments=None, *, release_dir: Path | None = None, echo=print) -> int:
    """``nbgrader generate_assignment <id> --force`` with autograder/nbgrader_config.py for every
    assignment: solutions/<id>/ -> notebooks/<id>/. Returns an exit status.

    First the setup cell and "Open in Colab" badge of each source notebook are written from
    course_location.toml (``autograder.publish.sync_solutions``; a no-op when they already
    are), so students and the grader see the same cell. ``release_dir`` (for tests and
    ``publish``) writes the release and its gradebook there instead, from solutions/ as they
    are (never rewritten then: a stale setup cell must fail the checks, not be fixed by them).
    """
    if release_dir is None:
        try:
            for path in sync_solutions(assignments=assignments or ASSIGNMENTS):
                echo(f"setup cell and badge written from course_location.toml: {path}")
        except PublishError as exc:
            echo(f"course_location.toml: {exc}")
            return EXIT_BROKEN
    # nbgrader has no --config flag; the app's config_file takes the path without ".py" (with
    # it, nbgrader loads the file but also warns that it found no config file).
    config = REPO_ROOT / "autograder" / "nbgrader_config"
    env = runner.nbgrader_env(REPO_ROOT)
    target = Path(release_dir).resolve() if release_dir else REPO_ROOT / "notebooks"
    status = 0
    for assignment in assignments or ASSIGNMENTS:
        log = REPO_ROOT / "autograder" / ".nbgrader" / f"generate_assignment__{assignment}.log"
        cmd = runner.nbgrader_command("generate_assignment", assignment, "--force",
                                      f"--GenerateAssignmentApp.config_file={config}")
        if release_dir:
            target.mkdir(parents=True, exist_ok=True)
            log = target / f"generate_assignment__{assignment}.log"
            cmd += [f"--CourseDirectory.release_directory={target}",
                    f"--CourseDirectory.db_url=sqlite:///{target / 'gradebook.db'}"]
        result = runner.run_logged(cmd, cwd=REPO_ROOT, log_path=log, env=env)
        released = target / assignment / f"{assignment}.ipynb"
        if result.ok and released.exists():
            echo(f"released {released}")
        else:
            status = EXIT_BROKEN
            echo(f"nbgrader generate_assignment {assignment} failed (log: {log}):\n"
                 + result.log_tail(20))
    return status


def load_demo_class():
    """``autograder.demo_class.write_demo_class``, imported only when the demo runs."""
    try:
        from autograder.demo_class import write_demo_class
    except ImportError as exc:
        raise GradingError(
            "the demo class is not available yet: autograder.demo_class must provide "
            f"write_demo_class(dest_dir) -> SUBMISSIONS folder ({exc})") from exc
    return write_demo_class


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m autograder",
                                description="Instructor side of the course: release the "
                                            "student notebooks, grade submissions with nbgrader.")
    sub = p.add_subparsers(dest="command", required=True)

    def grading_options(q):
        q.add_argument("--jobs", "-j", type=_positive_int, default=1,
                       help="submissions graded in parallel (default 1)")
        q.add_argument("--timeout", type=float, default=autograde.DEFAULT_SUBMISSION_TIMEOUT,
                       help="wall-clock limit in seconds for one submission (default "
                            "%(default)g); past it the submission scores 0")
        q.add_argument("--cell-timeout", type=float, default=None,
                       help="per-cell limit in seconds (default: the course's, "
                            "autograder/grading_settings.py)")
        q.add_argument("--fresh", action="store_true",
                       help="grade everything again, ignoring results of earlier runs in OUT")
        q.add_argument("--no-progress", action="store_true", help="no progress bar")
        q.add_argument("--dask", metavar="ADDRESS",
                       help="grade on a Dask cluster: a scheduler address (tcp://host:8786), "
                            "a scheduler file, or local:N for N local workers (instead of "
                            "--jobs; see README)")
        q.add_argument("--db", metavar="URL",
                       help="also keep the gradebook on this database (an SQLAlchemy URL, "
                            "e.g. postgresql+psycopg://user@host/db), so several graders "
                            "use formgrader on one gradebook")
        q.add_argument("--unsafe-no-sandbox", action="store_true",
                       help="run student code without the sandbox (only where none can be "
                            "made, and only for submissions you trust)")

    g = sub.add_parser("grade", help="grade a folder of submissions",
                       description="Grade SUBMISSIONS/<student_id>/<assignment_id>/<notebook>"
                                   ".ipynb into OUT: grades.csv, scores.csv, feedback/, "
                                   "gradebook.db (formgrader), autograded/.")
    g.add_argument("submissions", type=Path)
    g.add_argument("out", type=Path)
    g.add_argument("--assignment", action="append", dest="assignments", metavar="ID",
                   help="grade only this assignment (repeatable; default: all)")
    grading_options(g)

    r = sub.add_parser("release", help="regenerate notebooks/ from solutions/ with nbgrader")
    r.add_argument("--through", metavar="NN",
                   help="only notebooks 01..NN (release notebook k+1 after notebook k's "
                        "deadline: its provided cells carry k's answers)")

    pub = sub.add_parser("publish", help="write the student distribution (notebooks, course "
                                         "package, README, licence) into DEST",
                         description="Write DEST, a folder to push as the public student "
                                     "repository: released notebooks 01..NN, the course "
                                     "package at VERSION, a README with Colab badges, the "
                                     "licence. Never solutions, autograder, hidden tests.")
    pub.add_argument("dest", type=Path)
    pub.add_argument("--version", required=True,
                     help="X.Y.Z, the version in course_location.toml")
    pub.add_argument("--through", metavar="NN", help="only notebooks 01..NN (default: all)")

    d = sub.add_parser("demo", help="release, write the demo class of submissions into "
                                    "OUT/demo_class and grade it into OUT")
    d.add_argument("out", type=Path)
    grading_options(d)

    m = sub.add_parser("mutants", help="grade the mutant catalog into OUT and print the "
                                       "kill rate (exit 1 unless 100 %% / 100 %%)")
    m.add_argument("out", type=Path)
    m.add_argument("--assignment", action="append", dest="assignments", metavar="ID",
                   help="only this assignment's variants (repeatable; default: all)")
    grading_options(m)
    return p


def _mutants(args) -> int:
    from autograder.mutants import catalog
    from autograder.mutants.evaluate import read_outcomes, summary, write_mutant_class

    variants = [v for v in catalog() if not args.assignments or v.assignment in args.assignments]
    if not variants:
        raise GradingError(f"no variants for {', '.join(args.assignments)}")
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    submissions = write_mutant_class(out / "mutant_class", variants)
    status = _grade(args, submissions, args.assignments)
    if status:
        return status
    outcomes = read_outcomes(out / "scores.csv", variants)
    print(summary(outcomes))
    return 0 if all(o.as_expected for o in outcomes) else 1


def _grade(args, submissions: Path, assignments=None) -> int:
    result = grade(submissions, args.out, jobs=args.jobs, assignments=assignments,
                   cell_timeout=args.cell_timeout, submission_timeout=args.timeout,
                   fresh=args.fresh, progress=not args.no_progress,
                   sandbox=not args.unsafe_no_sandbox, dask=args.dask, db_url=args.db,
                   echo=lambda m: print(m, file=sys.stderr, flush=True))
    print(result.render())
    return result.exit_code


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    os.environ.setdefault("MPLBACKEND", "Agg")
    try:
        if args.command == "release":
            return release(through(args.through))
        if args.command == "publish":
            from autograder.publish import publish, tree

            publish(args.dest, args.version, args.through)
            print(tree(args.dest))
            return 0
        if args.command == "grade":
            unknown = [a for a in args.assignments or () if a not in ASSIGNMENTS]
            if unknown:
                raise GradingError(f"unknown assignment(s): {', '.join(unknown)}; "
                                   f"the course has {', '.join(ASSIGNMENTS)}")
            return _grade(args, args.submissions, args.assignments)
        if args.command == "mutants":
            return _mutants(args)
        if args.command == "demo":
            write_demo_class = load_demo_class()
            status = release()
            if status:
                return status
            out = args.out.resolve()
            out.mkdir(parents=True, exist_ok=True)
            submissions = Path(write_demo_class(out / "demo_class"))
            print(f"demo class written to {submissions}", file=sys.stderr)
            return _grade(args, submissions)
    except GradingError as exc:  # nothing to grade, or bad arguments
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except WorkspaceError as exc:  # nbgrader could not set up the course root
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BROKEN
    except PublishError as exc:  # bad --version or --through, or a leak found
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("interrupted; run the same command again to resume", file=sys.stderr)
        return 130
    return EXIT_USAGE
