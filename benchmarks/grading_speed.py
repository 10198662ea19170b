"""Grading speed, as ratios against baselines measured in the same run.

    python benchmarks/grading_speed.py [--out DIR] [--assignment ID] [--no-jobs]

Prints: seconds to execute a notebook (default 01) on its own (baseline) against seconds to
grade one submission of it through the full pipeline; and the demo class's submissions of
that notebook graded with --jobs 1 against --jobs 2. Not a test: timings depend on the
machine, so no thresholds are asserted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
# the kernel that executes the notebook imports autograder (hidden tests), like grading kernels
os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH"))
                                           if p)
os.environ["PATH"] = os.pathsep.join([os.path.dirname(sys.executable), os.environ["PATH"]])

from autograder.demo_class import STUDENTS, write_demo_class  # noqa: E402
from autograder.submissions import notebook_path  # noqa: E402


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _grade(submissions: Path, out: Path, jobs: int, assignment: str) -> float:
    if out.exists():
        shutil.rmtree(out)
    cmd = [sys.executable, "-m", "autograder", "grade", str(submissions), str(out),
           "--jobs", str(jobs), "--assignment", assignment]
    return _timed(lambda: subprocess.run(cmd, check=True, capture_output=True, cwd=REPO))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--assignment", default="01_threshold_logic_unit")
    parser.add_argument("--no-jobs", action="store_true", help="skip --jobs 1 against 2")
    args = parser.parse_args()
    assignment = args.assignment
    root = args.out or Path(tempfile.mkdtemp(prefix="grading-speed-"))
    root.mkdir(parents=True, exist_ok=True)

    solution = nbformat.read(notebook_path(assignment, REPO / "solutions"), as_version=4)
    execute = _timed(lambda: NotebookClient(solution, timeout=120, kernel_name="python3",
                                            resources={"metadata": {"path": str(root)}}
                                            ).execute())

    submitted = write_demo_class(root / "class")
    one = root / "one"
    shutil.copytree(submitted / "ada", one / "ada")
    grade_one = _grade(one, root / "out-one", jobs=1, assignment=assignment)
    print(f"notebook {assignment}, executed alone:  {execute:6.1f} s  (baseline)")
    print(f"one submission through the full pipeline:  {grade_one:6.1f} s  "
          f"= {grade_one / execute:.1f} x the baseline", flush=True)
    if args.no_jobs:
        return
    jobs1 = _grade(submitted, root / "out-jobs1", jobs=1, assignment=assignment)
    jobs2 = _grade(submitted, root / "out-jobs2", jobs=2, assignment=assignment)
    print(f"demo class, {len(STUDENTS)} students, --jobs 1:     {jobs1:6.1f} s  (baseline)")
    print(f"demo class, {len(STUDENTS)} students, --jobs 2:     {jobs2:6.1f} s  "
          f"= {jobs1 / jobs2:.2f} x faster")


if __name__ == "__main__":
    main()
