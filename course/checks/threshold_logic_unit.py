"""Public checks for notebook 01, the threshold logic unit."""

from __future__ import annotations

import inspect

import numpy as np

from course.checks.report import CheckReport
from course.harness import call_safely, compare
from course.validation import describe

GATE_INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
TRUTH_TABLES = {
    "AND_GATE": (GATE_INPUTS, np.array([0, 0, 0, 1])),
    "OR_GATE": (GATE_INPUTS, np.array([0, 1, 1, 1])),
    "NOT_GATE": (np.array([[0.0], [1.0]]), np.array([1, 0])),
}


def _callable(report: CheckReport, func, name: str) -> bool:
    return report.check(
        f"{name} is a function",
        None if callable(func) else f"expected a function, got {describe(func)}",
    )


def _expect(report, description, func, args, expected, *, call, names, context=None):
    """Call ``func(*args)`` safely and compare the result with ``expected``."""
    if report.timed_out:  # one endless loop is enough: do not wait for it again
        return report.check(description, "skipped: an earlier call did not return in time")
    result = call_safely(func, *args, arg_names=names)
    report.timed_out = report.timed_out or result.timed_out
    problem = result.problem(call)
    if problem is None and result.mutated:
        problem = f"{call} modified its input {', '.join(result.mutated)}; return a new array"
    if problem is None:
        problem = compare(result.value, expected, what=f"{call}", context=context)
    return report.check(description, problem)


def check_heaviside(heaviside) -> None:
    """Known values of heaviside(t) = 1 if t >= 0 else 0, at and around zero, any shape."""
    report = CheckReport("heaviside")
    if _callable(report, heaviside, "heaviside"):
        t = np.array([-2.0, -0.5, 0.0, 0.5, 3.0])
        _expect(report, "values around zero", heaviside, (t,), [0.0, 0.0, 1.0, 1.0, 1.0],
                call="heaviside([-2, -0.5, 0, 0.5, 3])", names=["t"], context=("t", t))
        _expect(report, "heaviside(0) is 1 (the step includes zero)", heaviside, (0.0,), 1.0,
                call="heaviside(0.0)", names=["t"])
        _expect(report, "a scalar gives a single number", heaviside, (-1.5,), 0.0,
                call="heaviside(-1.5)", names=["t"])
        grid = np.array([[-1.0, 0.0, 2.0], [4.0, -3.0, 0.0]])
        _expect(report, "a 2-D array keeps its shape", heaviside, (grid,),
                [[0.0, 1.0, 1.0], [1.0, 0.0, 1.0]], call="heaviside(2x3 array)", names=["t"],
                context=("t", grid))
    report.finish()


def check_sign(sign) -> None:
    """Known values of sign(t): 1 if t > 0, 0 if t = 0, -1 if t < 0."""
    report = CheckReport("sign")
    if _callable(report, sign, "sign"):
        t = np.array([-2.0, -0.5, 0.0, 0.5, 3.0])
        _expect(report, "values around zero", sign, (t,), [-1.0, -1.0, 0.0, 1.0, 1.0],
                call="sign([-2, -0.5, 0, 0.5, 3])", names=["t"], context=("t", t))
        _expect(report, "sign(0) is 0", sign, (0.0,), 0.0, call="sign(0.0)", names=["t"])
        _expect(report, "a scalar gives a single number", sign, (-7.0,), -1.0,
                call="sign(-7.0)", names=["t"])
        grid = np.array([[-1.0, 0.0], [2.5, -0.0]])
        _expect(report, "a 2-D array keeps its shape", sign, (grid,), [[-1.0, 0.0], [1.0, 0.0]],
                call="sign(2x2 array)", names=["t"], context=("t", grid))
    report.finish()


def _reference_step(t):
    # numpy's own step (value 1 at 0), so the package holds no copy of the exercise's answer
    return np.heaviside(np.asarray(t, dtype=float), 1.0)


def check_tlu(tlu) -> None:
    """tlu(X, w, b, step) = step(X @ w + b) on a batch and on a single instance."""
    report = CheckReport("tlu")
    if _callable(report, tlu, "tlu"):
        X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [2.0, -1.0]])
        w = np.array([1.0, 1.0])
        _expect(report, "a batch of 5 instances with a heaviside step", tlu,
                (X, w, -1.5, _reference_step), [0.0, 0.0, 0.0, 1.0, 0.0],
                call="tlu(X, w=[1, 1], b=-1.5, step=heaviside)", names=["X", "w", "b", "step"])
        _expect(report, "step is applied to the weighted sum X @ w + b", tlu,
                (X, np.array([2.0, -3.0]), 0.5, lambda z: z), [0.5, -2.5, 2.5, -0.5, 7.5],
                call="tlu(X, w=[2, -3], b=0.5, step=identity)", names=["X", "w", "b", "step"])
        _expect(report, "a single instance (1-D X) gives a single number", tlu,
                (np.array([3.0, -1.0]), np.array([0.5, 2.0]), 0.25, _reference_step), 0.0,
                call="tlu(x=[3, -1], w=[0.5, 2], b=0.25, step=heaviside)",
                names=["X", "w", "b", "step"])
        try:
            default = inspect.signature(tlu).parameters["step"].default
            problem = None if getattr(default, "__name__", None) == "heaviside" else (
                f"the default step should be heaviside, got {describe(default)}")
        except (KeyError, TypeError, ValueError):
            problem = "tlu should take a parameter named step (default heaviside)"
        report.check("step defaults to heaviside", problem)
    report.finish()


def gate_problem(name: str, gate) -> str | None:
    """Why ``gate`` = (w, b) does not implement the gate ``name``, or None if it does."""
    inputs, expected = TRUTH_TABLES[name]
    n_inputs = inputs.shape[1]
    if not isinstance(gate, (tuple, list)) or len(gate) != 2:
        return f"{name} should be a pair (w, b), got {describe(gate)}"
    w, b = gate
    try:
        w = np.asarray(w, dtype=float).reshape(-1)
        b = np.asarray(b, dtype=float)
    except (TypeError, ValueError):
        return (f"{name}: w and b should be numbers, "
                f"got w={describe(gate[0])}, b={describe(gate[1])}")
    if w.shape != (n_inputs,):
        return f"{name}: w should hold {n_inputs} weight(s), got {w.size}"
    if b.size != 1:
        return f"{name}: b should be a single number, got {b.size} values"
    if not (np.isfinite(w).all() and np.isfinite(b).all()):
        return f"{name}: weights and bias should be finite numbers"
    outputs = _reference_step(inputs @ w + b.reshape(()))
    wrong = np.flatnonzero(outputs != expected)
    if wrong.size:
        i = wrong[0]
        x = ", ".join(str(int(v)) for v in inputs[i])
        return (f"{name} gives {int(outputs[i])} for input ({x}); the truth table says "
                f"{int(expected[i])} ({wrong.size} of {len(expected)} rows wrong)")
    return None


def check_logic_gates(AND_GATE, OR_GATE, NOT_GATE) -> None:  # noqa: N803 (notebook names)
    """Each gate (w, b), fed to a TLU with a heaviside step, reproduces its truth table."""
    report = CheckReport("logic gates")
    for name, gate in (("AND_GATE", AND_GATE), ("OR_GATE", OR_GATE), ("NOT_GATE", NOT_GATE)):
        report.check(f"{name} reproduces its truth table", gate_problem(name, gate))
    report.finish()


NOT_DEFINED = ("{name} is not defined yet: write it in the exercise cell above (in place of "
               "`raise NotImplementedError()`) and run that cell")


def check_gates_in(namespace) -> None:
    """The public checks of exercise 4, reading AND_GATE, OR_GATE and NOT_GATE from the
    notebook's namespace (``globals()``), so that a gate not written yet is named plainly
    instead of stopping the cell with a NameError."""
    report = CheckReport("logic gates")
    for name in ("AND_GATE", "OR_GATE", "NOT_GATE"):
        problem = (NOT_DEFINED.format(name=name) if name not in namespace
                   else gate_problem(name, namespace[name]))
        report.check(f"{name} reproduces its truth table", problem)
    report.finish()
