"""Instructor side of the course: nbgrader configuration, reference implementations, hidden
checks, the grading command (``python -m autograder grade``), the mutant catalog and the demo
class. Never shipped to students."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS_DIR = REPO_ROOT / "solutions"
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"

# Assignment ids, in course order. Each is a folder in solutions/ holding <id>.ipynb.
ASSIGNMENTS = (
    "01_threshold_logic_unit",
    "02_logistic_regression",
    "03_perceptron",
    "04_multilayer_perceptron",
    "05_backpropagation",
    "06_regularization",
    "07_keras_dna_motifs",
)
