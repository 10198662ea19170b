# nbgrader reads this file from the current folder: running plain `nbgrader ...` commands from
# the repository root uses the course's configuration in autograder/nbgrader_config.py.
import os

c = get_config()  # noqa: F821 (provided by traitlets)
load_subconfig(os.path.join("autograder", "nbgrader_config.py"))  # noqa: F821
