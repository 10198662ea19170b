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


# The sandbox's limits (autograder/sandbox/limits.py), per assignment. Notebooks that import
# TensorFlow need more address space (it maps ~2.5 GB at import) and more threads.
SANDBOX_LIMITS = {
    "default": dict(memory_bytes=3 * 2**30, cpu_seconds=300, processes=128,
                    notebook_seconds=240),
    # 01 grades in 10-20 s: a notebook of many slow cells is cut off after 60 s
    "01_threshold_logic_unit": dict(memory_bytes=3 * 2**30, cpu_seconds=300, processes=128,
                                    notebook_seconds=60),
    "05_backpropagation": dict(memory_bytes=6 * 2**30, cpu_seconds=600, processes=256,
                               notebook_seconds=420),
    "06_regularization": dict(memory_bytes=6 * 2**30, cpu_seconds=600, processes=256,
                              notebook_seconds=420),
    "07_keras_dna_motifs": dict(memory_bytes=6 * 2**30, cpu_seconds=900, processes=256,
                                notebook_seconds=600),
}


def sandbox_limits(assignment_id: str):
    """The sandbox's Limits for ``assignment_id``."""
    from autograder.sandbox.limits import Limits

    return Limits(**SANDBOX_LIMITS.get(assignment_id, SANDBOX_LIMITS["default"]))


def cell_timeout(assignment_id: str) -> int:
    """Seconds a cell of ``assignment_id`` may run at grading time."""
    return CELL_TIMEOUTS.get(assignment_id, CELL_TIMEOUT)


def apply_grading_settings(c) -> None:
    """Fill nbgrader's config object ``c`` with the course's grading rules."""
    c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
    c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
    c.Execute.timeout = CELL_TIMEOUT
    c.Execute.interrupt_on_timeout = True
    c.Execute.extra_arguments = ["--HistoryManager.hist_file=:memory:"]
    # The kernel runs in a sandbox; the hidden checks run in the scorer outside it, and the
    # test cells' points are the scorer's (autograder/sandbox/execute.py).
    from nbconvert.preprocessors import ClearMetadataPreprocessor
    from nbgrader.preprocessors import (
        AssignLatePenalties,
        CheckCellMetadata,
        IgnorePattern,
        LimitOutput,
        SaveAutoGrades,
    )

    c.Autograde.autograde_preprocessors = [
        # by name: nbconvert imports it (the sandbox's module reads these settings)
        "autograder.sandbox.execute.SandboxedExecute", IgnorePattern,
        ClearMetadataPreprocessor, LimitOutput, SaveAutoGrades, AssignLatePenalties,
        CheckCellMetadata]
    # Grade cells a student deleted come back (and score what the answer earns).
    c.OverwriteCells.add_missing_cells = True
    c.IgnorePattern.enabled = True
    c.IgnorePattern.pattern = WARNING_PATTERN
    c.LimitOutput.max_lines = 200
    c.LimitOutput.max_traceback = 40

    from autograder.feedback import apply_feedback_settings

    apply_feedback_settings(c)
