"""Grading at class scale, as ratios against baselines measured in the same run.

    python benchmarks/class_scale.py [--n N] [--assignment ID ...] [--workers K ...] [--out DIR]

For each notebook, N perfect submissions (the released notebook with the instructor's answers)
are graded through the real pipeline (sandbox and trusted scorer included) three ways:
``--jobs 1``, ``--jobs 2`` and a LocalCluster of two Dask workers (``--dask local:2``); the
perfect notebook is also executed alone with nbclient. Printed per notebook, all from the
autograde step (intake + sandboxed execution + scoring; the once-per-class steps, release
and export, are reported apart):

    grade/exec   seconds per submission with --jobs 1 / executing the notebook alone (goal <= 1.3)
    jobs 2/1     speed-up of --jobs 2 over --jobs 1                             (goal >= 1.8)
    dask/jobs 2  seconds with two Dask workers / with --jobs 2 (engine cost)    (goal <= 1.10)

then the wall time projected for 1,000 students x the notebooks measured on K one-core workers
(the --jobs 1 cost per submission x 1,000 / K x the measured Dask overhead), and what importing
TensorFlow costs one fresh interpreter (notebooks 05-07 pay it once per submission: each kernel
is a fresh process in its own sandbox). Not a test: timings depend on the machine and on what
else runs on it, so no thresholds are asserted.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
# the kernel that executes the notebook imports course, like grading kernels
os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH"))
                                           if p)
os.environ["PATH"] = os.pathsep.join([os.path.dirname(sys.executable), os.environ["PATH"]])
os.environ.setdefault("MPLBACKEND", "Agg")

from autograder import ASSIGNMENTS  # noqa: E402
from autograder.submissions import fill_answers, reference_answers  # noqa: E402

STUDENTS = 1000


def perfect_notebook(assignment: str, out: Path):
    """The released notebook of ``assignment`` with the instructor's answers, from the release
    that grading into ``out`` makes (never the repository's notebooks/, which may be
    regenerating)."""
    from autograder.pipeline.workspace import Workspace, prepare

    ws = Workspace(out)
    prepare(ws, [assignment], on_note=lambda m: None)
    (released,) = ws.released_notebooks(assignment).values()
    return fill_answers(released, reference_answers(assignment))


def perfect_class(folder: Path, nb, assignment: str, n: int) -> Path:
    """``folder/s000/<assignment>/<assignment>.ipynb`` ... n copies of ``nb``."""
    for i in range(n):
        path = folder / f"s{i:03d}" / assignment / f"{assignment}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, path)
    return folder


def execute_alone(nb, cwd: Path) -> float:
    """Seconds to execute ``nb`` once with nbclient (no sandbox, no scorer)."""
    start = time.perf_counter()
    NotebookClient(nbformat.from_dict(nb), timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(cwd)}}).execute()
    return time.perf_counter() - start


def autograde_seconds(submissions: Path, out: Path, assignment: str, **engine) -> tuple:
    """(seconds of the autograde step, seconds of the rest) of one fresh grading run."""
    from autograder.pipeline.grade import grade

    run = grade(submissions, out, assignments=[assignment], fresh=True, progress=False,
                echo=lambda m: None, **engine)
    if run.problems:
        raise SystemExit(f"{assignment}: grading broke: {run.problems[:3]}")
    scores = [s for s in run.submissions]
    if len(scores) != len(list(submissions.iterdir())):
        raise SystemExit(f"{assignment}: {len(scores)} submissions graded")
    auto = run.timings["intake+autograde"]
    return auto, sum(run.timings.values()) - auto


def tensorflow_import_seconds() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import tensorflow"], check=True,
                   capture_output=True)
    return time.perf_counter() - start


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got {text!r}")
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=_positive, default=4,
                        help="perfect submissions per notebook (default 4)")
    parser.add_argument("--assignment", action="append", dest="assignments",
                        choices=ASSIGNMENTS, help="only this notebook (repeatable)")
    parser.add_argument("--workers", type=_positive, nargs="+", default=[10, 50, 200],
                        help="worker counts K of the projection (default 10 50 200)")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    root = args.out or Path(tempfile.mkdtemp(prefix="class-scale-"))
    root.mkdir(parents=True, exist_ok=True)
    assignments = args.assignments or list(ASSIGNMENTS)
    print(f"{args.n} perfect submission(s) per notebook, {os.cpu_count()} CPU core(s); "
          f"work in {root}", flush=True)

    header = (f"{'notebook':<28} {'exec s':>7} {'jobs1 s/sub':>11} {'grade/exec':>10} "
              f"{'jobs 2/1':>8} {'dask/jobs 2':>11} {'per class s':>11}")
    rows, costs, dask_ratios = [], {}, []
    for assignment in assignments:
        out = root / assignment / "out"
        nb = perfect_notebook(assignment, out)
        submissions = perfect_class(root / assignment / "class", nb, assignment, args.n)
        alone = execute_alone(nb, root / assignment)
        jobs1, rest = autograde_seconds(submissions, out, assignment, jobs=1)
        jobs2, _ = autograde_seconds(submissions, out, assignment, jobs=2)
        dask2, _ = autograde_seconds(submissions, out, assignment, dask="local:2")
        per_sub = jobs1 / args.n
        costs[assignment] = per_sub
        dask_ratios.append(dask2 / jobs2)
        rows.append(f"{assignment:<28} {alone:7.1f} {per_sub:11.1f} {per_sub / alone:10.2f} "
                    f"{jobs1 / jobs2:8.2f} {dask2 / jobs2:11.2f} {rest:11.1f}")
        print(rows[-1], flush=True)

    print()
    print(header)
    print("\n".join(rows))
    overhead = max(1.0, sum(dask_ratios) / len(dask_ratios))
    per_student = sum(costs.values())
    print(f"\none student, {len(costs)} notebook(s): {per_student:.0f} s of one core; "
          f"Dask overhead factor used: {overhead:.2f}")
    for k in args.workers:
        hours = STUDENTS * per_student * overhead / k / 3600
        print(f"projected: {STUDENTS} students x {len(costs)} notebook(s) on {k:>4} one-core "
              f"workers: {hours:6.2f} h")
    tf = tensorflow_import_seconds()
    print(f"\nimport tensorflow in a fresh interpreter: {tf:.1f} s (paid once per submission "
          "of 05-07: every kernel is a fresh sandboxed process)")


if __name__ == "__main__":
    main()
