"""Every solution notebook at two revisions: seconds top to bottom and markdown words.

    python benchmarks/notebook_revisions.py BASE [--assignment ID ...]

BASE (a commit, tag or branch) is checked out into a temporary ``git worktree``; each solution
notebook then runs in a fresh kernel at BASE and at the working tree, alternately (so both see
the same machine load), each with its own revision's ``course`` package first on PYTHONPATH
and the hidden checks run in-process (``DLF_LOCAL_GRADERS``, as in tests/test_notebooks.py).
Printed per notebook: seconds before and after and their ratio, and the words of markdown
before and after. Not a test: timings depend on the machine, so nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from autograder import ASSIGNMENTS  # noqa: E402


def markdown_words(path: Path) -> int:
    """Whitespace-separated words in the notebook's markdown cells."""
    nb = nbformat.read(path, as_version=4)
    return sum(len(re.findall(r"\S+", c.source)) for c in nb.cells if c.cell_type == "markdown")


def run_seconds(path: Path, root: Path) -> tuple[float, str]:
    """(seconds, "ok" or the exception's name) for running ``path`` top to bottom with the
    ``course`` package of ``root``."""
    env = {"PYTHONPATH": str(root), "MPLBACKEND": "Agg", "DLF_LOCAL_GRADERS": "autograder.hidden"}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    nb = nbformat.read(path, as_version=4)
    try:
        with tempfile.TemporaryDirectory() as work:
            start = time.perf_counter()
            try:
                NotebookClient(nb, timeout=300, kernel_name="python3",
                               resources={"metadata": {"path": work}}).execute()
                outcome = "ok"
            except Exception as exc:  # a notebook that fails is reported, not fatal
                outcome = type(exc).__name__
            return time.perf_counter() - start, outcome
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", help="the revision to compare with (commit, tag, branch)")
    parser.add_argument("--assignment", action="append", dest="assignments",
                        choices=ASSIGNMENTS, help="only these notebooks (default: all)")
    args = parser.parse_args(argv)
    names = args.assignments or list(ASSIGNMENTS)
    with tempfile.TemporaryDirectory(prefix="dlf-base-") as tmp:
        base = Path(tmp) / "base"
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", "-q", str(base),
                        args.base], check=True)
        try:
            print(f"{'notebook':28s} {'before s':>9s} {'after s':>9s} {'ratio':>6s} "
                  f"{'words before':>13s} {'words after':>12s}")
            for name in names:
                paths = {label: root / "solutions" / name / f"{name}.ipynb"
                         for label, root in (("before", base), ("after", REPO))}
                before = run_seconds(paths["before"], base)
                after = run_seconds(paths["after"], REPO)
                notes = "" if before[1] == after[1] == "ok" else f"  ({before[1]} / {after[1]})"
                print(f"{name:28s} {before[0]:9.1f} {after[0]:9.1f} {after[0] / before[0]:6.2f} "
                      f"{markdown_words(paths['before']):13d} "
                      f"{markdown_words(paths['after']):12d}{notes}", flush=True)
        finally:
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(base)],
                           check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
