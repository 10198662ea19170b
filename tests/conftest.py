import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
# Subprocesses (nbgrader, kernels) import autograder and course from this checkout.
os.environ["PYTHONPATH"] = os.pathsep.join(
    p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p
)
os.environ.setdefault("MPLBACKEND", "Agg")
# Solutions executed in a test kernel grade their hidden tests in that kernel (course.handin).
os.environ.setdefault("DLF_LOCAL_GRADERS", "autograder.hidden")
# nbgrader runs `alembic` by name to create gradebooks: the venv's bin must be on PATH.
os.environ["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]])


@pytest.fixture(autouse=True)
def _not_autograding(monkeypatch):
    """Tests run as a student would, unless a test sets NBGRADER_EXECUTION itself."""
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
