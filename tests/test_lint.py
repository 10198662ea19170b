"""ruff over the Python sources (notebooks excluded, see pyproject.toml)."""

import subprocess
import sys

from autograder import REPO_ROOT


def test_ruff_is_clean():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=REPO_ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
