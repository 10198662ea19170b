"""Public checks for notebook 03, the perceptron."""

from __future__ import annotations

import inspect

import numpy as np

from course.checks.report import CheckReport
from course.harness import call_safely, compare
from course.validation import describe

LOGIC_INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
AND_LABELS = np.array([0, 0, 0, 1])
XOR_LABELS = np.array([0, 1, 1, 0])
FIT_TIME_LIMIT = 3.0  # seconds for one call of fit_perceptron on a tiny data set


def _heaviside(t):
    # numpy's own step (value 1 at 0), so the package holds no copy of notebook 01's answer
    return np.heaviside(np.asarray(t, dtype=float), 1.0)


def _identity(z):
    return z


def _callable(report: CheckReport, func, name: str) -> bool:
    return report.check(
        f"{name} is a function",
        None if callable(func) else f"expected a function, got {describe(func)}",
    )


def _call(report: CheckReport, description: str, func, args, *, call: str, names,
          time_limit: float = 2.0):
    """Call ``func(*args)`` safely; return its value, or None after recording the failure."""
    if report.timed_out:  # one endless loop is enough: do not wait for it again
        report.check(description, "skipped: an earlier call did not return in time")
        return None
    result = call_safely(func, *args, arg_names=names, time_limit=time_limit)
    report.timed_out = report.timed_out or result.timed_out
    problem = result.problem(call)
    # drawing permutations advances a generator: that is its job, not a modified input
    mutated = [name for name in result.mutated if name != "rng"]
    if problem is None and mutated:
        problem = f"{call} modified its input {', '.join(mutated)}; return new arrays"
    if problem is not None:
        report.check(description, problem)
        return None
    return result


def _expect(report, description, func, args, expected, *, call, names):
    result = _call(report, description, func, args, call=call, names=names)
    if result is not None:
        report.check(description, compare(result.value, expected, what=call))


def _tuple_problem(value, length: int, call: str, what: str) -> str | None:
    if not isinstance(value, tuple) or len(value) != length:
        return f"{call} should return a tuple {what}, got {describe(value)}"
    return None


def _expect_tuple(report, description, func, args, expected, *, call, names, parts,
                  kinds=None, time_limit=2.0, hint=""):
    """Call ``func(*args)``, which returns a tuple, and compare each part with ``expected``."""
    result = _call(report, description, func, args, call=call, names=names,
                   time_limit=time_limit)
    if result is None:
        return
    problem = _tuple_problem(result.value, len(parts), call, f"({', '.join(parts)})")
    kinds = kinds or ["iuf"] * len(parts)
    for got, want, part, kind in zip(result.value if problem is None else (), expected, parts,
                                     kinds):
        problem = compare(got, want, what=f"{part} returned by {call}", kinds=kind)
        if problem is not None:
            break
    report.check(description, problem if problem is None else problem + hint)


def _default_step_problem(func) -> str | None:
    try:
        default = inspect.signature(func).parameters["step"].default
    except (KeyError, TypeError, ValueError):
        return "perceptron_layer should take a parameter named step (default heaviside)"
    if getattr(default, "__name__", None) != "heaviside":
        return f"the default step should be heaviside, got {describe(default)}"
    return None


def check_perceptron_layer(perceptron_layer) -> None:
    """perceptron_layer(X, W, b, step) = step(X @ W + b), shape (n_instances, n_neurons)."""
    report = CheckReport("perceptron_layer")
    if _callable(report, perceptron_layer, "perceptron_layer"):
        X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [2.0, -1.0]])
        W = np.array([[1.0, -1.0, 0.5],
                      [1.0, 2.0, -0.5]])  # (n_inputs, n_neurons) = (2, 3)
        b = np.array([-1.5, 0.5, 0.0])
        names = ["X", "W", "b", "step"]
        _expect(report, "weighted sums: 5 instances, 2 inputs, 3 neurons (step = identity)",
                perceptron_layer, (X, W, b, _identity),
                [[-1.5, 0.5, 0.0], [-0.5, 2.5, -0.5], [-0.5, -0.5, 0.5], [0.5, 1.5, 0.0],
                 [-0.5, -3.5, 1.5]],
                call="perceptron_layer(X (5, 2), W (2, 3), b (3,), step=identity)", names=names)
        _expect(report, "outputs with a heaviside step (one column per neuron)",
                perceptron_layer, (X, W, b, _heaviside),
                [[0.0, 1.0, 1.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [1.0, 1.0, 1.0],
                 [0.0, 0.0, 1.0]],
                call="perceptron_layer(X (5, 2), W (2, 3), b (3,), step=heaviside)",
                names=names)
        _expect(report, "a single instance, X of shape (1, 2), gives shape (1, 3)",
                perceptron_layer, (X[3:4], W, b, _identity), [[0.5, 1.5, 0.0]],
                call="perceptron_layer(X (1, 2), W (2, 3), b (3,), step=identity)", names=names)
        _expect(report, "a single neuron, W of shape (3, 1), gives shape (n_instances, 1)",
                perceptron_layer,
                (np.array([[1.0, 2.0, 3.0], [0.0, -1.0, 1.0]]), np.array([[1.0], [-1.0], [0.5]]),
                 np.array([0.25]), _identity),
                [[0.75], [1.75]],
                call="perceptron_layer(X (2, 3), W (3, 1), b (1,), step=identity)", names=names)
        report.check("step defaults to heaviside", _default_step_problem(perceptron_layer))
    report.finish()


def check_perceptron_update(perceptron_update) -> None:
    """One Rosenblatt step: unchanged when right; w + lr (y - ŷ) x, b + lr (y - ŷ) when wrong."""
    report = CheckReport("perceptron_update")
    if _callable(report, perceptron_update, "perceptron_update"):
        w, b = np.array([0.5, -1.0]), 0.25
        names = ["w", "b", "x", "y", "lr"]
        parts = ["w", "b"]
        _expect_tuple(report, "a correctly classified example changes nothing",
                      perceptron_update, (w, b, np.array([2.0, 1.0]), 1, 0.5), (w, b),
                      call="perceptron_update(w=[0.5, -1], b=0.25, x=[2, 1], y=1, lr=0.5)",
                      names=names, parts=parts)
        _expect_tuple(report, "a missed positive (y = 1, ŷ = 0) moves w towards x",
                      perceptron_update, (w, b, np.array([0.0, 1.0]), 1, 0.5),
                      (np.array([0.5, -0.5]), 0.75),
                      call="perceptron_update(w=[0.5, -1], b=0.25, x=[0, 1], y=1, lr=0.5)",
                      names=names, parts=parts)
        _expect_tuple(report, "a false alarm (y = 0, ŷ = 1) moves w away from x",
                      perceptron_update, (w, b, np.array([2.0, 0.0]), 0, 0.1),
                      (np.array([0.3, -1.0]), 0.15),
                      call="perceptron_update(w=[0.5, -1], b=0.25, x=[2, 0], y=0, lr=0.1)",
                      names=names, parts=parts)
        _expect_tuple(report, "a weighted sum of exactly 0 predicts 1 (heaviside(0) = 1)",
                      perceptron_update, (np.zeros(2), 0.0, np.array([1.0, 2.0]), 0, 1.0),
                      (np.array([-1.0, -2.0]), -1.0),
                      call="perceptron_update(w=[0, 0], b=0, x=[1, 2], y=0, lr=1)",
                      names=names, parts=parts)
    report.finish()


def check_fit_perceptron(fit_perceptron) -> None:
    """Training on AND (separable) converges; on XOR it never does; the epoch order follows rng."""
    report = CheckReport("fit_perceptron")
    if _callable(report, fit_perceptron, "fit_perceptron"):
        names = ["X", "y", "lr", "n_epochs", "rng"]
        parts = ["w", "b", "mistakes"]
        hint = ("; start from w = 0 and b = 0, visit the examples in the order "
                "rng.permutation(n) (a new permutation each epoch), run all n_epochs and count "
                "the examples each epoch gets wrong")
        _expect_tuple(report, "AND gate, lr = 1, 10 epochs, rng = np.random.default_rng(0)",
                      fit_perceptron, (LOGIC_INPUTS, AND_LABELS, 1.0, 10,
                                       np.random.default_rng(0)),
                      (np.array([1.0, 1.0]), -2.0, np.array([2, 2, 1, 1, 1, 3, 0, 0, 0, 0])),
                      call="fit_perceptron(AND inputs, AND labels, lr=1, n_epochs=10, rng)",
                      names=names, parts=parts, kinds=["iuf", "iuf", "iu"],
                      time_limit=FIT_TIME_LIMIT, hint=hint)
        description = "XOR: every epoch has at least one mistake (it is not linearly separable)"
        result = _call(report, description, fit_perceptron,
                       (LOGIC_INPUTS, XOR_LABELS, 1.0, 8, np.random.default_rng(1)),
                       call="fit_perceptron(XOR inputs, XOR labels, lr=1, n_epochs=8, rng)",
                       names=names, time_limit=FIT_TIME_LIMIT)
        if result is not None:
            value = result.value
            problem = _tuple_problem(value, 3, "fit_perceptron", "(w, b, mistakes)")
            if problem is None:
                mistakes = np.asarray(value[2])
                if mistakes.shape != (8,):
                    problem = (f"mistakes should have shape (n_epochs,) = (8,), "
                               f"got {mistakes.shape}")
                elif not np.all(mistakes >= 1):
                    problem = f"mistakes per epoch on XOR should all be >= 1, got {mistakes}"
            report.check(description, problem)
    report.finish()
