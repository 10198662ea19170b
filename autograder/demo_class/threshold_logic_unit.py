"""Demo students for notebook 01: one per grading path worth showing an instructor."""

from __future__ import annotations

from autograder.demo_class.submission import Submission
from autograder.mutants.threshold_logic_unit import VARIANTS
from autograder.submissions import fill_answers, reference_answers

ASSIGNMENT = "01_threshold_logic_unit"
FULL = {"heaviside": 2.0, "sign": 2.0, "tlu": 3.0, "logic_gates": 3.0}
ZERO = {name: 0.0 for name in FULL}
EXPLANATION = (
    "A single TLU draws one straight line through the input plane and fires on one side of it. "
    "XOR needs (0, 1) and (1, 0) on one side and (0, 0) and (1, 1) on the other, which no line "
    "can do: the four inequalities contradict each other. Two layers can: one TLU computes OR, "
    "one computes NAND, and a third ANDs them."
)


def _variant(question: str, name: str) -> str:
    for variant in VARIANTS:
        if variant.question == question and variant.name == name:
            return variant.source
    raise KeyError(f"no variant {question}/{name}")


def _answers(**overrides) -> dict[str, str]:
    answers = reference_answers(ASSIGNMENT)
    answers["explain_xor"] = EXPLANATION
    answers.update(overrides)
    return answers


def _cells_by_id(nb) -> dict:
    return {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells}


def _perfect(nb):
    return fill_answers(nb, _answers())


def _partly_right(nb):
    return fill_answers(nb, _answers(
        heaviside=_variant("heaviside", "strict-inequality"),
        tlu=_variant("tlu", "no-bias"),
        logic_gates=_variant("logic_gates", "and-fires-on-10"),
    ))


def _raises(nb):
    return fill_answers(nb, _answers(
        heaviside="def heaviside(t):\n    return np.where(t >= 0, 1.0, 0.0) / 0 + 1 / 0\n",
        tlu="weights = compute_weights()  # never defined: NameError before tlu exists\n"
            "def tlu(X, w, b, step=heaviside):\n    return step(X @ w + b)\n",
    ))


def _endless(nb):
    return fill_answers(nb, _answers(
        sign="def sign(t):\n    while True:  # waits for a convergence that never comes\n"
             "        t = np.asarray(t)\n",
        tlu="n_tries = 0\nwhile n_tries < 10:  # forgot n_tries += 1: the cell never finishes\n"
            "    pass\n\ndef tlu(X, w, b, step=heaviside):\n    return step(X @ w + b)\n",
    ))


def _edits_tests(nb):
    nb = fill_answers(nb, _answers(
        heaviside=_variant("heaviside", "np-heaviside-h0-zero"),
        sign=_variant("sign", "no-zero-case"),
    ))
    cells = _cells_by_id(nb)
    cells["test_heaviside"].source = "# checked by hand, it's fine\n2.0\n"
    nb.cells.remove(cells["test_sign"])
    return nb


def _tampers(nb):
    return fill_answers(nb, _answers(
        heaviside=_variant("heaviside", "strict-inequality")
        + "\nnp.isclose = lambda a, b, **kw: np.ones(np.broadcast(a, b).shape, dtype=bool)\n",
        sign="import autograder.hidden.threshold_logic_unit as grader\n"
             "grader.grade_sign = lambda sign, points=2: float(points)\n"
             "def sign(t):\n    return np.asarray(t)\n",
    ))


def _kernel_dies(nb):
    return fill_answers(nb, _answers(
        tlu="import os\nos._exit(1)  # the kernel process ends here\n",
    ))


SUBMISSIONS = {
    "ada": Submission("perfect: every answer right", _perfect, dict(FULL)),
    "ben": Submission("partly right: heaviside(0) = 0, a TLU without bias, AND fires on (1, 0)",
                      _partly_right,
                      {"heaviside": 0.6, "sign": 2.0, "tlu": 1.0, "logic_gates": 2.0}),
    "cleo": Submission("handed in the notebook untouched", lambda nb: nb, dict(ZERO)),
    "dan": Submission("code that raises: heaviside divides by zero, the tlu cell fails",
                      _raises, {"heaviside": 0.0, "sign": 2.0, "tlu": 0.0, "logic_gates": 3.0}),
    "eve": Submission("endless loops: inside sign, and at the top level of the tlu cell",
                      _endless, {"heaviside": 2.0, "sign": 0.0, "tlu": 0.0, "logic_gates": 3.0}),
    "finn": Submission("deleted test_sign, edited test_heaviside to claim the points",
                       _edits_tests,
                       {"heaviside": 0.6, "sign": 0.6, "tlu": 3.0, "logic_gates": 3.0}),
    "gia": Submission("tampers: rebinds np.isclose and replaces a hidden grading function",
                      _tampers, {"heaviside": 0.0, "sign": 0.0, "tlu": 3.0, "logic_gates": 3.0}),
    "hugo": Submission("perfect, uploaded from Colab as 'Copy of ...'", _perfect, dict(FULL),
                       filename=f"Copy of {ASSIGNMENT}.ipynb"),
    "iris": Submission("a notebook file cut short (not valid JSON)", None, dict(ZERO),
                       raw=b'{"cells": [{"cell_type": "code", "source": "def heaviside(t):'),
    "jack": Submission("submitted nothing for this assignment", None, dict(ZERO)),
    "kim": Submission("kills the kernel with os._exit in the tlu cell: the cells before it "
                      "keep their points", _kernel_dies,
                      {"heaviside": 2.0, "sign": 2.0, "tlu": 0.0, "logic_gates": 0.0}),
}
