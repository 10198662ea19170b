"""What the sandbox and the outside scorer cost, as ratios measured in one run.

    python benchmarks/sandbox_cost.py [--assignment ID ...] [--n N] [--before COMMIT]

For each assignment (default 01, 05, 07), ``N`` perfect submissions (the demo student ada's)
are graded three ways, each with ``--jobs 1`` into a fresh folder:

- **before**: the pipeline at ``COMMIT`` (default: the last commit before the sandbox), where
  the hidden checks ran inside the student's own, unconfined kernel (a git worktree of that
  commit, run with this interpreter);
- **scorer only**: today's pipeline with ``--unsafe-no-sandbox`` (outside scorer, no bwrap);
- **sandbox + scorer**: today's pipeline as it grades by default.

It prints seconds per submission of autograding (the grading command's own
"intake+autograde" timing) and the ratios against "before". Not a test: no threshold is
asserted, timings depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
DEFAULT_BEFORE = "b44d14f"
STEP = re.compile(r"intake\+autograde (\d+) s")


def _submissions(root: Path, assignment: str, n: int, repo: Path) -> Path:
    """``n`` copies of ada's submission of ``assignment``, written by ``repo``'s demo class."""
    code = ("import sys, shutil, pathlib; sys.path.insert(0, sys.argv[1]);"
            "from autograder.demo_class import write_demo_class;"
            "sub = write_demo_class(sys.argv[2]);"
            "[shutil.rmtree(p) for p in sub.iterdir() if p.name != 'ada'];"
            "[shutil.rmtree(p) for p in (sub / 'ada').iterdir() if p.name != sys.argv[3]];"
            "[shutil.copytree(sub / 'ada', sub / f'ada{i}') for i in range(1, int(sys.argv[4]))]")
    subprocess.run([sys.executable, "-c", code, str(repo), str(root), assignment, str(n)],
                   check=True, env=_env(repo))
    return root / "submitted"


def _env(repo: Path) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(repo)
    return env


def _grade(repo: Path, submissions: Path, out: Path, assignment: str, *extra) -> float:
    proc = subprocess.run([sys.executable, "-m", "autograder", "grade", str(submissions),
                           str(out), "--jobs", "1", "--no-progress", "--assignment",
                           assignment, *extra], capture_output=True, text=True, cwd=repo,
                          env=_env(repo))
    match = STEP.search(proc.stdout)
    if proc.returncode != 0 or match is None:
        raise SystemExit(f"grading failed ({repo}):\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    return float(match.group(1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignment", action="append", dest="assignments")
    parser.add_argument("--n", type=int, default=2, help="submissions per assignment")
    parser.add_argument("--before", default=DEFAULT_BEFORE)
    args = parser.parse_args()
    assignments = args.assignments or ["01_threshold_logic_unit", "05_backpropagation",
                                       "07_keras_dna_motifs"]
    tmp = Path(tempfile.mkdtemp(prefix="sandbox-cost-"))
    before = tmp / "before"
    subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", str(before),
                    args.before], check=True, capture_output=True)
    rows = []
    try:
        for assignment in assignments:
            times = {}
            old = _submissions(tmp / f"old-{assignment}", assignment, args.n, before)
            new = _submissions(tmp / f"new-{assignment}", assignment, args.n, REPO)
            times["before"] = _grade(before, old, tmp / f"o1-{assignment}", assignment)
            times["scorer"] = _grade(REPO, new, tmp / f"o2-{assignment}", assignment,
                                     "--unsafe-no-sandbox")
            times["sandbox"] = _grade(REPO, new, tmp / f"o3-{assignment}", assignment)
            rows.append((assignment, {k: v / args.n for k, v in times.items()}))
    finally:
        subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(before)],
                       capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"seconds of autograde per submission ({args.n} perfect submissions each, --jobs 1)")
    print(f"{'assignment':26} {'before':>8} {'scorer':>8} {'sandbox':>8} "
          f"{'scorer/before':>14} {'sandbox/before':>15}")
    for assignment, t in rows:
        print(f"{assignment:26} {t['before']:8.1f} {t['scorer']:8.1f} {t['sandbox']:8.1f} "
              f"{t['scorer'] / t['before']:14.2f} {t['sandbox'] / t['before']:15.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
