"""Hidden checks, run at grading time by the trusted scorer (autograder.scorer), outside the
sandbox that runs the student's kernel.

Each ``grade_<name>(answer, points)`` calls the student's code on fresh inputs, compares with
the reference implementation stage by stage, prints one line per failing case and returns the
score as a plain float (nbgrader reads a test cell's last value as its partial credit)."""

from autograder.hidden import (  # noqa: F401
    backpropagation,
    keras_dna_motifs,
    logistic_regression,
    multilayer_perceptron,
    perceptron,
    regularization,
    threshold_logic_unit,
)
