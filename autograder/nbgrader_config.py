"""nbgrader configuration: maps nbgrader's steps onto this repository's layout.

The repository root's nbgrader_config.py loads this file, so plain nbgrader commands run
from the root use it, e.g.

    nbgrader generate_assignment 01_threshold_logic_unit --force

source/  -> solutions/   (hand-edited instructor notebooks)
release/ -> notebooks/   (student notebooks, generated, committed)
The grading command (python -m autograder grade) reuses these settings and points the
submitted/autograded/feedback steps and the gradebook at its output folder.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
# nbgrader and the kernels it starts must import autograder (hidden checks) from this checkout.
if REPO not in sys.path:
    sys.path.insert(0, REPO)
os.environ["PYTHONPATH"] = os.pathsep.join(
    p for p in (REPO, os.environ.get("PYTHONPATH", "")) if p
)

# `nbgrader validate` grades hidden tests in its own kernel (course.handin, no scorer there)
os.environ.setdefault("DLF_LOCAL_GRADERS", "autograder.hidden")

from autograder.grading_settings import apply_grading_settings  # noqa: E402

c = get_config()  # noqa: F821 (provided by traitlets when nbgrader loads this file)

c.CourseDirectory.course_id = "dlf"
c.CourseDirectory.root = REPO
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "notebooks"
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(HERE, "gradebook.db")
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "*.egg-info", ".DS_Store"]

apply_grading_settings(c)
