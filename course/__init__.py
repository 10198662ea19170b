"""Helpers for the deep learning fundamentals notebooks.

The package holds what students need next to the notebooks: small data sets, plotting
helpers, interactive widgets and the *public* checks that run after each exercise. It never
contains reference solutions or the hidden tests used at grading time.
"""

import sys

__version__ = "0.1.0"


def in_colab() -> bool:
    """Return True when running inside Google Colab."""
    return "google.colab" in sys.modules
