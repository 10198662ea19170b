"""Public checks for notebook 02, logistic regression.

Known values (worked out by hand or to 16 digits beforehand) and properties: shapes, the
value at a weighted sum of exactly 0, no overflow warning at z = +-1000, a finite log loss at
p = 0 and 1, a loss that goes down during training.
"""

from __future__ import annotations

import inspect

import numpy as np

from course.checks.report import CheckReport
from course.harness import call_safely, compare
from course.validation import describe

# A small batch used by several checks: X (4, 2), w (2,), b
X_SMALL = np.array([[1.0, 2.0], [3.0, -1.0], [0.0, 1.0], [-2.0, 0.5]])
W_SMALL = np.array([0.5, -1.0])
B_SMALL = 0.25

# Eight points in the plane, nearly separated by the line x1 + x2 = 0; 20 epochs, lr = 0.5
X_TRAIN = np.array([[-1.0, -0.5], [-0.5, -1.5], [-2.0, 0.0], [1.0, 0.5], [0.5, 2.0],
                    [2.0, 1.0], [0.2, -0.3], [-0.3, 0.4]])
Y_TRAIN = np.array([0, 0, 0, 1, 1, 1, 1, 0])
TRAINED_W = np.array([1.7002613870860523, 0.8217607343374814])
TRAINED_B = -0.039378010680995196
TRAINED_FIRST_LOSS = 0.5550767092708169
TRAINED_LAST_LOSS = 0.21579037838629136


def _callable(report: CheckReport, func, name: str) -> bool:
    return report.check(
        f"{name} is a function",
        None if callable(func) else f"expected a function, got {describe(func)}",
    )


def _call(report: CheckReport, func, args, names, call: str):
    """Call ``func(*args)`` safely: (value, None) or (None, failure message)."""
    if report.timed_out:  # one endless loop is enough: do not wait for it again
        return None, "skipped: an earlier call did not return in time"
    result = call_safely(func, *args, arg_names=names)
    report.timed_out = report.timed_out or result.timed_out
    problem = result.problem(call)
    if problem is None and result.mutated:
        problem = f"{call} modified its input {', '.join(result.mutated)}; return a new array"
    if problem is None and result.warnings:
        problem = f"{call} raised a warning ({result.warnings[0]})"
    return (None, problem) if problem else (result.value, None)


def _expect(report, description, func, args, expected, *, call, names, context=None,
            rtol=1e-5):
    """Call ``func(*args)`` safely (no warning allowed) and compare with ``expected``."""
    value, problem = _call(report, func, args, names, call)
    if problem is None:
        problem = compare(value, expected, what=call, context=context, rtol=rtol)
    return report.check(description, problem)


def check_sigmoid(sigmoid) -> None:
    """Known values of sigma(z) = 1 / (1 + exp(-z)); exact limits, without warnings, at +-1000."""
    report = CheckReport("sigmoid")
    if _callable(report, sigmoid, "sigmoid"):
        z = np.array([-2.0, -1.0, 0.0, 1.0, 2.0])
        _expect(report, "values around zero", sigmoid, (z,),
                [0.11920292202211755, 0.2689414213699951, 0.5, 0.7310585786300049,
                 0.8807970779778823], call="sigmoid([-2, -1, 0, 1, 2])", names=["z"],
                context=("z", z))
        _expect(report, "sigmoid(0) is 0.5", sigmoid, (0.0,), 0.5, call="sigmoid(0.0)",
                names=["z"])
        grid = np.array([[-30.0, 5.0], [0.5, 30.0]])
        _expect(report, "a 2-D array keeps its shape", sigmoid, (grid,),
                [[9.3576229688393e-14, 0.9933071490757153],
                 [0.6224593312018546, 0.9999999999999065]],
                call="sigmoid(2x2 array)", names=["z"], context=("z", grid))
        for z, exact in ((1000.0, 1.0), (-1000.0, 0.0)):
            call = f"sigmoid({z:g})"
            value, problem = _call(report, sigmoid, (z,), ["z"], call)
            if problem is None:
                problem = compare(value, exact, what=call)
            if problem is None and float(np.asarray(value)) != exact:
                problem = f"{call} returned {float(np.asarray(value))!r}, expected exactly {exact}"
            if problem is not None and "Warning" in problem:
                problem += ": exp(-z) overflows for z below about -709; see the hint"
            report.check(f"sigmoid({z:g}) is exactly {exact}, without a warning", problem)
    report.finish()


def check_predict_proba(predict_proba) -> None:
    """predict_proba(X, w, b) = sigma(X @ w + b) on a batch and on a single instance."""
    report = CheckReport("predict_proba")
    if _callable(report, predict_proba, "predict_proba"):
        _expect(report, "a batch of 4 instances", predict_proba, (X_SMALL, W_SMALL, B_SMALL),
                [0.22270013882530884, 0.9399133498259924, 0.32082130082460697,
                 0.22270013882530884],
                call="predict_proba(X, w=[0.5, -1], b=0.25)", names=["X", "w", "b"])
        _expect(report, "a single instance (1-D X) gives a single number", predict_proba,
                (np.array([2.0, 1.0]), W_SMALL, B_SMALL), 0.5621765008857981,
                call="predict_proba(x=[2, 1], w=[0.5, -1], b=0.25)", names=["X", "w", "b"])
        _expect(report, "w = 0 and b = 0 give probability 0.5 everywhere", predict_proba,
                (X_SMALL, np.zeros(2), 0.0), [0.5, 0.5, 0.5, 0.5],
                call="predict_proba(X, w=[0, 0], b=0)", names=["X", "w", "b"])
    report.finish()


def check_predict(predict) -> None:
    """predict(X, w, b, threshold=0.5): 1 where the probability is >= threshold, else 0."""
    report = CheckReport("predict")
    if _callable(report, predict, "predict"):
        # probabilities 0.2227, 0.9399, 0.3208, 0.2227
        _expect(report, "default threshold 0.5", predict, (X_SMALL, W_SMALL, B_SMALL),
                [0, 1, 0, 0], call="predict(X, w=[0.5, -1], b=0.25)", names=["X", "w", "b"])
        _expect(report, "threshold=0.3 turns the third instance (p = 0.32) into class 1",
                predict, (X_SMALL, W_SMALL, B_SMALL, 0.3), [0, 1, 1, 0],
                call="predict(X, w=[0.5, -1], b=0.25, threshold=0.3)",
                names=["X", "w", "b", "threshold"])
        ties = np.array([[1.0, 1.0], [2.0, 0.0], [0.0, 0.0]])
        _expect(report, "a probability of exactly 0.5 gives class 1 (>=, not >)", predict,
                (ties, np.array([1.0, 1.0]), -2.0), [1, 1, 0],
                call="predict(X=[[1, 1], [2, 0], [0, 0]], w=[1, 1], b=-2)",
                names=["X", "w", "b"])
        try:
            default = inspect.signature(predict).parameters["threshold"].default
            problem = None if default == 0.5 else (
                f"the default threshold should be 0.5, got {describe(default)}")
        except (KeyError, TypeError, ValueError):
            problem = "predict should take a parameter named threshold (default 0.5)"
        report.check("threshold defaults to 0.5", problem)
    report.finish()


def check_log_loss(log_loss) -> None:
    """Mean log loss: known values, a single instance, finite at p = 0 and p = 1."""
    report = CheckReport("log_loss")
    if _callable(report, log_loss, "log_loss"):
        y, p = np.array([1, 0, 1, 0]), np.array([0.9, 0.2, 0.6, 0.4])
        _expect(report, "the mean over 4 instances", log_loss, (y, p), 0.3375388286260044,
                call="log_loss(y=[1, 0, 1, 0], p=[0.9, 0.2, 0.6, 0.4])", names=["y", "p"])
        _expect(report, "a single instance: log_loss(1, 0.5) = log 2", log_loss, (1, 0.5),
                0.6931471805599453, call="log_loss(1, 0.5)", names=["y", "p"])
        _expect(report, "p exactly 1 and 0 on the right labels: finite, about 0", log_loss,
                (np.array([1, 0]), np.array([1.0, 0.0])), 0.0,
                call="log_loss(y=[1, 0], p=[1.0, 0.0])", names=["y", "p"])
        _expect(report, "p exactly 0 for a positive: finite, -log(1e-15) = 34.54", log_loss,
                (np.array([1]), np.array([0.0])), 34.538776394910684,
                call="log_loss(y=[1], p=[0.0])", names=["y", "p"], rtol=1e-4)
    report.finish()


def _pair_problem(value, call: str, d: int) -> str | None:
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        return f"{call} should return a pair (grad_w, grad_b), got {describe(value)}"
    if type(value[0]) is not np.ndarray or value[0].shape != (d,):
        return f"{call}: grad_w should be an np.ndarray of shape ({d},), got {describe(value[0])}"
    return None


def check_log_loss_gradient(log_loss_gradient) -> None:
    """(grad_w, grad_b) = (X.T @ (p - y) / n, mean(p - y)) on two small examples."""
    report = CheckReport("log_loss_gradient")
    if _callable(report, log_loss_gradient, "log_loss_gradient"):
        cases = [
            # at w = 0, b = 0 every p is 0.5, so p - y = [-0.5, 0.5, -0.5]: easy by hand
            ("at w = 0, b = 0 (worked out by hand)", X_SMALL[:3], np.array([1, 0, 1]),
             np.zeros(2), 0.0, [1 / 3, -2 / 3], -1 / 6,
             "log_loss_gradient(X (3, 2), y=[1, 0, 1], w=[0, 0], b=0)"),
            ("at w = [0.5, -1], b = 0.25", X_SMALL, np.array([1, 0, 1, 1]), W_SMALL, B_SMALL,
             [0.8992599776631671, -0.8905854254845282], -0.32346626792469574,
             "log_loss_gradient(X (4, 2), y=[1, 0, 1, 1], w=[0.5, -1], b=0.25)"),
        ]
        for description, X, y, w, b, grad_w, grad_b, call in cases:
            value, problem = _call(report, log_loss_gradient, (X, y, w, b),
                                   ["X", "y", "w", "b"], call)
            if problem is None:
                problem = (_pair_problem(value, call, 2)
                           or compare(value[0], grad_w, what=f"{call}: grad_w")
                           or compare(value[1], grad_b, what=f"{call}: grad_b"))
            report.check(description, problem)
    report.finish()


def check_fit_logistic_regression(fit_logistic_regression) -> None:
    """20 epochs on 8 points: what comes back, a falling loss, and the expected weights."""
    report = CheckReport("fit_logistic_regression")
    if _callable(report, fit_logistic_regression, "fit_logistic_regression"):
        call = "fit_logistic_regression(X (8, 2), y, lr=0.5, n_epochs=20)"
        value, problem = _call(report, fit_logistic_regression, (X_TRAIN, Y_TRAIN, 0.5, 20),
                               ["X", "y", "lr", "n_epochs"], call)
        if problem is None and (not isinstance(value, (tuple, list)) or len(value) != 3):
            problem = f"{call} should return (w, b, losses), got {describe(value)}"
        report.check("returns (w, b, losses)", problem)
        if problem is None:
            w, b, losses = value
            shape_problem = None
            if type(losses) is not np.ndarray or losses.shape != (20,):
                shape_problem = (f"losses should be an np.ndarray of shape (20,), one loss per "
                                 f"epoch, got {describe(losses)}")
            report.check("losses holds one loss per epoch", shape_problem)
            if shape_problem is None:
                falling = bool(np.all(np.diff(losses) < 0))
                report.check("the loss goes down every epoch", None if falling else (
                    f"losses went from {losses[0]:.4g} to {losses[-1]:.4g}, not always down "
                    f"(subtract lr * gradient; start from w = 0, b = 0)"))
                report.check("losses[0] and losses[-1]: the loss after the first and the last "
                             "update",
                             compare(losses[[0, -1]], [TRAINED_FIRST_LOSS, TRAINED_LAST_LOSS],
                                     what="losses[[0, -1]]"))
            report.check("the learnt weights and bias",
                         compare(w, TRAINED_W, what=f"{call}: w")
                         or compare(b, TRAINED_B, what=f"{call}: b"))
    report.finish()
