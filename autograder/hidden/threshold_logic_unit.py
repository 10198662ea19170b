"""Hidden checks for notebook 01, the threshold logic unit.

Inputs are fresh (not the public checks'), seeded by question name, and cover awkward shapes:
Python scalars, 0-d arrays, single elements, 1-D to 3-D arrays, integer dtypes and exact zeros.
"""

from __future__ import annotations

import inspect

import numpy as np

from autograder.hidden.scoring import Question, rng_for
from autograder.reference import threshold_logic_unit as ref
from course.checks.threshold_logic_unit import gate_problem
from course.harness import shape_of
from course.validation import describe


def _with_zeros(rng, shape, scale=3.0):
    """Random values with exact zeros (and a negative zero) planted where possible."""
    values = rng.normal(scale=scale, size=shape)
    flat = values.reshape(-1)
    if flat.size >= 3:
        flat[rng.choice(flat.size, size=max(1, flat.size // 4), replace=False)] = 0.0
        flat[0] = -0.0
    return values


def step_inputs(name: str) -> list:
    """Inputs for a step function: (label, t) pairs."""
    rng = rng_for(name)
    return [
        ("Python float > 0", float(abs(rng.normal()) + 0.1)),
        ("Python float 0.0", 0.0),
        ("Python int < 0", -int(rng.integers(1, 100))),
        ("0-d array", np.array(-abs(rng.normal()) - 0.1)),
        ("1-element array [0.0]", np.array([0.0])),
        ("1-D array with zeros", _with_zeros(rng, (9,))),
        ("2-D array with zeros", _with_zeros(rng, (4, 3))),
        ("3-D integer array", rng.integers(-3, 4, size=(2, 3, 4))),
        ("extreme magnitudes", np.array([1e300, -1e300, 1e-310, -1e-310, 0.0, -0.0])),
        ("2-D single row", _with_zeros(rng, (1, 6), scale=1e-3)),
    ]


def _grade_step(func, name: str, reference, points: float) -> float:
    question = Question(name, points)
    if question.require_callable(func):
        for label, t in step_inputs(name):
            question.call_case(f"t = {label}", func, (t,), names=["t"],
                               expected=reference(t), call=f"{name}(t: {shape_of(t)})",
                               context=("t", t))
    return question.score()


def grade_heaviside(heaviside, points: float = 2) -> float:
    """heaviside(t) = 1 if t >= 0 else 0, elementwise, same shape as t."""
    return _grade_step(heaviside, "heaviside", ref.heaviside, points)


def grade_sign(sign, points: float = 2) -> float:
    """sign(t) = 1 if t > 0, 0 if t == 0, -1 if t < 0, elementwise, same shape as t."""
    return _grade_step(sign, "sign", ref.sign, points)


def _identity(z):
    return z


def _shifted_tanh(z):
    return np.tanh(z) + 0.5


def tlu_cases() -> list:
    """(label, X, w, b, step) cases: several sizes, a single instance, several steps."""
    rng = rng_for("tlu")
    cases = []
    for n, d, step in [(6, 2, ref.heaviside), (1, 3, ref.heaviside), (9, 1, ref.sign),
                       (5, 4, _identity), (7, 5, _shifted_tanh)]:
        X = rng.normal(size=(n, d))
        w = rng.normal(size=d)
        b = float(rng.normal())
        cases.append((f"X of shape ({n}, {d}), step={step.__name__}", X, w, b, step))
    x = rng.normal(size=3)
    cases.append(("a single instance X of shape (3,)", x, rng.normal(size=3), 0.7, _identity))
    X = rng.integers(-2, 3, size=(4, 2))
    cases.append(("integer X, b as np.float64", X, np.array([1.0, -2.0]), np.float64(0.5),
                  _identity))
    # weighted sums exactly zero: the step must see them as computed
    X = np.array([[1.0, 1.0], [2.0, 0.0], [0.0, 0.0]])
    cases.append(("weighted sums exactly 0", X, np.array([1.0, 1.0]), -2.0, ref.heaviside))
    return cases


def grade_tlu(tlu, points: float = 3) -> float:
    """tlu(X, w, b, step) = step(X @ w + b), for batches and single instances."""
    question = Question("tlu", points)
    if question.require_callable(tlu):
        for label, X, w, b, step in tlu_cases():
            question.call_case(label, tlu, (X, w, b, step), names=["X", "w", "b", "step"],
                               expected=ref.tlu(X, w, b, step), call="tlu(X, w, b, step)")
        if any(failure is None for _, failure in question.outcomes):
            question.record("step defaults to heaviside", _default_step_problem(tlu))
        else:  # a stub has the right signature too: no credit for it alone
            question.record("step defaults to heaviside", "not checked: no call of tlu worked")
    return question.score()


def _default_step_problem(tlu) -> str | None:
    try:
        parameter = inspect.signature(tlu).parameters.get("step")
    except (TypeError, ValueError):
        return "cannot read tlu's signature"
    if parameter is None:
        return "tlu should take a parameter named step"
    if getattr(parameter.default, "__name__", None) != "heaviside":
        return f"step should default to heaviside, got {describe(parameter.default)}"
    return None


def grade_logic_gates(AND_GATE, OR_GATE, NOT_GATE, points: float = 3) -> float:  # noqa: N803
    """Each (w, b) pair, used in a heaviside TLU, reproduces its gate's truth table."""
    question = Question("logic_gates", points)
    for name, gate in (("AND_GATE", AND_GATE), ("OR_GATE", OR_GATE), ("NOT_GATE", NOT_GATE)):
        question.record(f"{name} truth table", gate_problem(name, gate))
    return question.score()
