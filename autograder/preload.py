"""Imported in every grading kernel before the first cell runs (see grading_settings.py).

Importing the hidden checks here binds their numpy helpers while numpy is still pristine."""

import numpy  # noqa: F401

import course.harness  # noqa: F401
from autograder import hidden  # noqa: F401
