"""nbgrader settings shared by the repository config and the grading command's own config."""

# A test cell that writes to stderr scores zero. Library warnings are not the student's fault:
# drop stderr chunks that are only warnings. Errors are separate outputs and still count.
WARNING_PATTERN = r"^(?:.*:\d+: )?\w*Warning: "

# Per-cell limit (seconds). Hidden checks also time-limit every call into student code, so
# a cell only reaches this when a student's own top-level code never ends. Notebooks that
# train models get more time per cell.
CELL_TIMEOUT = 30
CELL_TIMEOUTS = {
    "01_threshold_logic_unit": 10,
    "02_logistic_regression": 30,
    "03_perceptron": 30,
    # cells that import TensorFlow (13-19 s under load) or fit a small Keras model; 60 s
    # leaves room when several submissions are graded at once
    "05_backpropagation": 60,
    "06_regularization": 60,
    # TensorFlow's import, then a whole training run of the motif CNN in one cell
    "07_keras_dna_motifs": 120,
}


def cell_timeout(assignment_id: str) -> int:
    """Seconds a cell of ``assignment_id`` may run at grading time."""
    return CELL_TIMEOUTS.get(assignment_id, CELL_TIMEOUT)


def apply_grading_settings(c) -> None:
    """Fill nbgrader's config object ``c`` with the course's grading rules."""
    c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
    c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
    c.Execute.timeout = CELL_TIMEOUT
    c.Execute.interrupt_on_timeout = True
    # Import the checking code before any student cell runs, so that rebinding numpy
    # functions in a submission cannot change how answers are compared.
    c.Execute.extra_arguments = [
        "--HistoryManager.hist_file=:memory:",
        "--InteractiveShellApp.exec_lines=import autograder.preload",
    ]
    # Grade cells a student deleted come back (and score what the answer earns).
    c.OverwriteCells.add_missing_cells = True
    c.IgnorePattern.enabled = True
    c.IgnorePattern.pattern = WARNING_PATTERN
    c.LimitOutput.max_lines = 200
    c.LimitOutput.max_traceback = 40
