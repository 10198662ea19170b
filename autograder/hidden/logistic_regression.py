"""Hidden checks for notebook 02, logistic regression.

Inputs are fresh (not the public checks'), seeded by question name, and cover awkward shapes:
Python scalars, 0-d arrays, single instances and features, 1-D to 3-D arrays, integer dtypes,
weighted sums of exactly 0, probabilities of exactly 0 and 1, and weighted sums of +-1000.
Gradients are also checked against centred differences (float64, h = 1e-5, relative error
<= 1e-7); training is checked for behaviour and against the reference run on the same inputs
(batch gradient descent from zeros is deterministic).
"""

from __future__ import annotations

import numpy as np

from autograder.hidden.scoring import Question, rng_for
from autograder.reference import logistic_regression as ref
from course.harness import compare, shape_of
from course.validation import describe

# Bound at import time (the grading kernel imports this module before any student cell), so
# that rebinding numpy functions in a submission cannot change how answers are checked.
_norm = np.linalg.norm
_isfinite = np.isfinite
_ndarray = np.ndarray

FIT_TIME_LIMIT = 6.0  # seconds per call of fit_logistic_regression (the data are small)
GRADIENT_H = 1e-5  # centred-difference step
GRADIENT_TOLERANCE = 1e-7  # relative error allowed against the numerical gradient


def _warned(result, call: str) -> str | None:
    """A failure message when a call raised a warning (a student's stderr at grading time)."""
    if result.warnings:
        return f"{call} raised a warning ({result.warnings[0]}); it must not"
    return None


# ---- sigmoid -------------------------------------------------------------------------------

def sigmoid_inputs() -> list:
    """Inputs for sigmoid: (label, z) pairs."""
    rng = rng_for("sigmoid")
    return [
        ("Python float", float(rng.normal(scale=3))),
        ("Python int 0", 0),
        ("Python int < 0", -int(rng.integers(1, 10))),
        ("0-d array", np.array(rng.normal(scale=2))),
        ("1-element array [0.0]", np.array([0.0])),
        ("1-D array", rng.normal(scale=4, size=11)),
        ("2-D array", rng.normal(scale=4, size=(3, 5))),
        ("3-D integer array", rng.integers(-6, 7, size=(2, 3, 2))),
        ("large magnitudes", np.array([-40.0, -25.0, -12.0, 12.0, 25.0, 40.0])),
        ("2-D single row", rng.normal(scale=1e-3, size=(1, 4))),
    ]


def sigmoid_extreme_inputs() -> list:
    """Inputs where a naive 1 / (1 + exp(-z)) overflows: (label, z) pairs."""
    return [
        ("z = 1000.0", 1000.0),
        ("z = -1000.0", -1000.0),
        ("array of extremes", np.array([-1000.0, -745.0, -710.0, 0.0, 710.0, 1000.0])),
        ("2-D array of extremes", np.array([[-1e4, 1e4], [-800.0, 800.0]])),
    ]


def grade_sigmoid(sigmoid, points: float = 2) -> float:
    """sigmoid(z) = 1 / (1 + exp(-z)), elementwise, same shape; stable: no warning, exact
    limits 1.0 and 0.0 at z = +-1000."""
    question = Question("sigmoid", points)
    if question.require_callable(sigmoid):
        for label, z in sigmoid_inputs():
            question.call_case(f"z = {label}", sigmoid, (z,), names=["z"],
                               expected=ref.sigmoid(z), call=f"sigmoid(z: {shape_of(z)})",
                               context=("z", z))
        for label, z in sigmoid_extreme_inputs():
            call = f"sigmoid({label})"
            result, failure = question.call(sigmoid, (z,), names=["z"], call=call)
            failure = failure or _warned(result, call) or compare(
                result.value, ref.sigmoid(z), what=call, context=("z", z))
            if failure is None and np.ndim(z) == 0:
                exact = 1.0 if z > 0 else 0.0
                if float(np.asarray(result.value)) != exact:
                    failure = (f"{call} returned {float(np.asarray(result.value))!r}; "
                               f"expected exactly {exact}")
            question.record(f"stable at {label}", failure)
    return question.score()


# ---- predict_proba and predict ------------------------------------------------------------

def predict_proba_cases() -> list:
    """(label, X, w, b) cases: several sizes, a single instance, a square X, integer X."""
    rng = rng_for("predict_proba")
    cases = []
    for n, d in [(7, 2), (1, 3), (9, 1), (4, 4), (6, 5)]:
        cases.append((f"X of shape ({n}, {d})", rng.normal(size=(n, d)), rng.normal(size=d),
                      float(rng.normal())))
    cases.append(("a single instance X of shape (3,)", rng.normal(size=3), rng.normal(size=3),
                  -0.4))
    cases.append(("integer X, b as np.float64", rng.integers(-3, 4, size=(5, 2)),
                  np.array([0.5, -1.5]), np.float64(0.25)))
    cases.append(("b = 0 (an int), w of zeros", rng.normal(size=(3, 2)), np.zeros(2), 0))
    return cases


def grade_predict_proba(predict_proba, points: float = 2) -> float:
    """predict_proba(X, w, b) = sigmoid(X @ w + b): (n,) for a batch, 0-d for one instance."""
    question = Question("predict_proba", points)
    if question.require_callable(predict_proba):
        for label, X, w, b in predict_proba_cases():
            question.call_case(label, predict_proba, (X, w, b), names=["X", "w", "b"],
                               expected=ref.predict_proba(X, w, b),
                               call="predict_proba(X, w, b)")
    return question.score()


def _away_from(X, w, b, threshold, gap=1e-6):
    """Keep the rows of X whose probability is not within ``gap`` of ``threshold``."""
    p = ref.predict_proba(X, w, b)
    return X[np.abs(p - threshold) > gap]


def predict_cases() -> list:
    """(label, X, w, b, threshold or None for the default) cases.

    Random cases keep away from the threshold (so that computing the weighted sum's
    threshold instead of the probability's is right too); the tie cases sit exactly on it.
    """
    rng = rng_for("predict")
    cases = []
    for n, d, threshold in [(8, 2, None), (10, 3, 0.5), (9, 2, 0.3), (7, 4, 0.85),
                            (1, 2, None)]:
        w, b = rng.normal(size=d), float(rng.normal())
        X = _away_from(rng.normal(size=(n + 4, d)), w, b, 0.5 if threshold is None else threshold)
        cases.append((f"X of shape {X[:n].shape}, threshold={threshold or 'default'}",
                      X[:n], w, b, threshold))
    x = rng.normal(size=3)
    cases.append(("a single instance X of shape (3,)", x, rng.normal(size=3), 0.1, None))
    # weighted sums of exactly 0: probability exactly 0.5, which counts as class 1
    ties = np.array([[1, 1], [2, 0], [0, 0], [1, -1], [3, 1], [0, 2]])
    cases.append(("weighted sums exactly 0 (p = 0.5), default threshold", ties,
                  np.array([1.0, 1.0]), -2.0, None))
    cases.append(("weighted sums exactly 0 (p = 0.5), threshold=0.5", ties.astype(float),
                  np.array([-0.5, 0.5]), 0.0, 0.5))
    return cases


def grade_predict(predict, points: float = 2) -> float:
    """predict(X, w, b, threshold=0.5): 1 where the probability is >= threshold, else 0."""
    question = Question("predict", points)
    if question.require_callable(predict):
        for label, X, w, b, threshold in predict_cases():
            if threshold is None:
                args, names, call = (X, w, b), ["X", "w", "b"], "predict(X, w, b)"
            else:
                args, names = (X, w, b, threshold), ["X", "w", "b", "threshold"]
                call = f"predict(X, w, b, threshold={threshold})"
            expected = ref.predict(X, w, b, 0.5 if threshold is None else threshold)
            question.call_case(label, predict, args, names=names, expected=expected, call=call,
                               context=("predict_proba", ref.predict_proba(X, w, b)))
    return question.score()


# ---- log_loss ------------------------------------------------------------------------------

def _probabilities(rng, shape):
    return rng.uniform(0.02, 0.98, size=shape)


def log_loss_cases() -> list:
    """(label, y, p, must_be_quiet) cases: shapes, then probabilities of exactly 0 and 1."""
    rng = rng_for("log_loss")
    y1 = rng.integers(0, 2, size=12)
    y2 = rng.integers(0, 2, size=(3, 4)).astype(float)
    return [
        ("1-D, integer labels", y1, _probabilities(rng, 12), False),
        ("one instance, Python numbers", 1, 0.7, False),
        ("one instance, 0-d arrays", np.array(0.0), np.array(0.35), False),
        ("1-element arrays", np.array([1]), np.array([0.05]), False),
        ("2-D arrays", y2, _probabilities(rng, (3, 4)), False),
        ("all labels 1", np.ones(5, dtype=int), _probabilities(rng, 5), False),
        ("confident and right: p exactly 1 for y = 1 and 0 for y = 0",
         np.array([1, 0, 1, 0]), np.array([1.0, 0.0, 1.0, 0.0]), True),
        ("confident and wrong: p exactly 0 for y = 1 and 1 for y = 0",
         np.array([1, 0, 1]), np.array([0.0, 1.0, 0.8]), True),
        ("one instance, p = 0.0 for y = 1", 1, 0.0, True),
    ]


def grade_log_loss(log_loss, points: float = 2) -> float:
    """Mean log loss, with p clipped to [1e-15, 1 - 1e-15]: finite even at p = 0 or 1."""
    question = Question("log_loss", points)
    if question.require_callable(log_loss):
        for label, y, p, quiet in log_loss_cases():
            call = f"log_loss(y: {shape_of(y)}, p: {shape_of(p)})"
            result, failure = question.call(log_loss, (y, p), names=["y", "p"], call=call)
            if failure is None and quiet:
                failure = _warned(result, call)
                if failure is not None:
                    failure += " (clip p to [1e-15, 1 - 1e-15] before taking logarithms)"
            if failure is None:
                # At p = 0 or 1 the loss is about -log(1e-15) per wrong instance. Clipping p
                # to 1 - 1e-15 (not exact in float64) or 1 - p to 1e-15 differ by 2e-5
                # relative; both are right, another epsilon (1e-7, 2.2e-16) is not.
                failure = compare(result.value, ref.log_loss(y, p), what=call,
                                  rtol=1e-4 if quiet else 1e-5)
            question.record(label, failure)
    return question.score()


# ---- log_loss_gradient ---------------------------------------------------------------------

def gradient_cases() -> list:
    """(label, X, y, w, b) cases: several sizes, one instance, one feature, a square X."""
    rng = rng_for("log_loss_gradient")
    cases = []
    for n, d in [(8, 3), (1, 2), (6, 1), (4, 4), (15, 5)]:
        cases.append((f"X of shape ({n}, {d})", rng.normal(size=(n, d)),
                      rng.integers(0, 2, size=n), rng.normal(size=d), float(rng.normal())))
    cases.append(("integer X, float labels, b as np.float64", rng.integers(-2, 3, size=(7, 2)),
                  rng.integers(0, 2, size=7).astype(float), np.array([0.3, -0.8]),
                  np.float64(-0.2)))
    cases.append(("w = 0 and b = 0 (an int)", rng.normal(size=(5, 3)), np.array([1, 0, 0, 1, 1]),
                  np.zeros(3), 0))
    return cases


def numerical_gradient(X, y, w, b, h: float = GRADIENT_H) -> tuple[np.ndarray, float]:
    """Centred differences of the reference loss L(w, b) = log_loss(y, sigma(X w + b)).

    Returns (grad_w (d,), grad_b float), computed in float64.
    """
    X = np.asarray(X, dtype=np.float64)
    w = np.asarray(w, dtype=np.float64)

    def loss(w_, b_):
        return ref.log_loss(y, ref.predict_proba(X, w_, b_))

    grad_w = np.empty_like(w)
    for j in range(w.size):
        step = np.zeros_like(w)
        step[j] = h
        grad_w[j] = (loss(w + step, b) - loss(w - step, b)) / (2 * h)
    grad_b = (loss(w, b + h) - loss(w, b - h)) / (2 * h)
    return grad_w, float(grad_b)


def relative_error(a, b) -> float:
    """|a - b| / max(|a|, |b|) with Euclidean norms, the denominator floored at 1e-8."""
    a = np.asarray(a, dtype=np.float64).ravel()
    b = np.asarray(b, dtype=np.float64).ravel()
    return float(_norm(a - b) / max(_norm(a), _norm(b), 1e-8))


def _gradient_pair(value, call: str, d: int):
    """Unpack (grad_w, grad_b); return (grad_w, grad_b, None) or (None, None, failure)."""
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        return None, None, f"{call} should return a pair (grad_w, grad_b), got {describe(value)}"
    grad_w, grad_b = value
    if type(grad_w) is not _ndarray or grad_w.shape != (d,):
        return None, None, (f"{call}: grad_w should be an np.ndarray of shape ({d},), "
                            f"got {describe(grad_w)}")
    return grad_w, grad_b, None


def grade_log_loss_gradient(log_loss_gradient, points: float = 3) -> float:
    """(grad_w, grad_b) = (X.T @ (p - y) / n, mean(p - y)), against the reference and
    against centred differences."""
    question = Question("log_loss_gradient", points)
    if question.require_callable(log_loss_gradient):
        for k, (label, X, y, w, b) in enumerate(gradient_cases()):
            call = f"log_loss_gradient(X: {shape_of(X)}, y, w, b)"
            if question.stopped is not None:
                question.record(label, f"skipped: {question.stopped}")
                continue
            result, failure = question.call(log_loss_gradient, (X, y, w, b),
                                            names=["X", "y", "w", "b"], call=call)
            grad_w = grad_b = None
            if failure is None:
                grad_w, grad_b, failure = _gradient_pair(result.value, call, len(w))
            if failure is None:
                expected_w, expected_b = ref.log_loss_gradient(X, y, w, b)
                failure = (compare(grad_w, expected_w, what=f"{call}: grad_w")
                           or compare(grad_b, expected_b, what=f"{call}: grad_b"))
            question.record(label, failure)
            if k in (0, 3):  # also against the numerical gradient (CS231n-style)
                if grad_w is not None:
                    failure = _numerical_problem(X, y, w, b, grad_w, grad_b)
                question.record(f"{label}: matches centred differences", failure)
    return question.score()


def _numerical_problem(X, y, w, b, grad_w, grad_b) -> str | None:
    try:
        got = np.append(np.asarray(grad_w, dtype=np.float64), np.float64(grad_b))
    except (TypeError, ValueError):
        return f"grad_b should be a single number, got {describe(grad_b)}"
    numerical_w, numerical_b = numerical_gradient(X, y, w, b)
    error = relative_error(got, np.append(numerical_w, numerical_b))
    if not error <= GRADIENT_TOLERANCE:
        return (f"relative error {error:.2e} between (grad_w, grad_b) and the centred-difference "
                f"gradient (h = {GRADIENT_H:g}); it should be at most {GRADIENT_TOLERANCE:g}")
    return None


# ---- fit_logistic_regression ---------------------------------------------------------------

def blobs(name: str, n: int, d: int, separation: float, positive_fraction: float = 0.5):
    """Two Gaussian clouds in d dimensions, seeded by name: X (n, d) floats, y (n,) ints."""
    rng = rng_for(name)
    y = (rng.uniform(size=n) < positive_fraction).astype(int)
    y[:2] = [0, 1]  # both classes present
    direction = rng.normal(size=d)
    direction /= _norm(direction)
    X = rng.normal(size=(n, d)) + np.outer(y - 0.5, direction) * separation + 0.5
    return X, y


def fit_cases() -> list:
    """(label, X, y, lr, n_epochs) cases; the first one is also checked for behaviour."""
    X_a, y_a = blobs("fit-a", 60, 2, 4.0, positive_fraction=0.3)
    X_b, y_b = blobs("fit-b", 30, 4, 2.0)
    X_c, y_c = blobs("fit-c", 12, 3, 3.0)
    rng = rng_for("fit-d")
    X_d = rng.integers(-3, 4, size=(14, 1))
    y_d = (X_d[:, 0] + rng.normal(size=14) > 0.5).astype(int)
    return [
        ("2 features, imbalanced classes (lr=0.5, 150 epochs)", X_a, y_a, 0.5, 150),
        ("4 features (lr=0.05, 40 epochs)", X_b, y_b, 0.05, 40),
        ("one epoch", X_c, y_c, 1.0, 1),
        ("one integer feature, float lr as np.float64", X_d, y_d, np.float64(0.3), 25),
    ]


def _fit_parts(value, call: str, d: int, n_epochs: int):
    """Unpack (w, b, losses); return (w, b, losses, None) or (None, None, None, failure)."""
    if not isinstance(value, (tuple, list)) or len(value) != 3:
        return None, None, None, (f"{call} should return (w, b, losses), "
                                  f"got {describe(value)}")
    w, b, losses = value
    if type(w) is not _ndarray or w.shape != (d,):
        return None, None, None, f"{call}: w should be an np.ndarray of shape ({d},), " \
                                 f"got {describe(w)}"
    if type(losses) is not _ndarray or losses.shape != (n_epochs,):
        return None, None, None, (f"{call}: losses should be an np.ndarray of shape "
                                  f"({n_epochs},), one loss per epoch, got {describe(losses)}")
    return w, b, losses, None


def _fit_mismatch(call, w, b, losses, expected) -> str | None:
    expected_w, expected_b, expected_losses = expected
    problem = (compare(w, expected_w, what=f"{call}: w")
               or compare(b, expected_b, what=f"{call}: b")
               or compare(losses, expected_losses, what=f"{call}: losses"))
    if problem is not None and losses.size > 1 and compare(
            losses[1:], expected_losses[:-1], what="") is None:
        problem += (" (your losses are one epoch late: record the loss after each update, so "
                    "that losses[-1] is the loss of the returned w and b)")
    return problem


def grade_fit_logistic_regression(fit_logistic_regression, points: float = 3) -> float:
    """Batch gradient descent from zeros: the loss decreases, the data get separated, and
    (w, b, losses) match the reference trained on the same inputs."""
    question = Question("fit_logistic_regression", points)
    if not question.require_callable(fit_logistic_regression):
        return question.score()
    first = None
    for label, X, y, lr, n_epochs in fit_cases():
        call = f"fit_logistic_regression(X: {shape_of(X)}, y, lr={lr}, n_epochs={n_epochs})"
        if question.stopped is not None:
            question.record(label, f"skipped: {question.stopped}")
            continue
        result, failure = question.call(fit_logistic_regression, (X, y, lr, n_epochs),
                                        names=["X", "y", "lr", "n_epochs"], call=call,
                                        time_limit=FIT_TIME_LIMIT)
        w = b = losses = None
        if failure is None:
            w, b, losses, failure = _fit_parts(result.value, call, X.shape[1], n_epochs)
        if failure is None:
            failure = _fit_mismatch(call, w, b, losses,
                                    ref.fit_logistic_regression(X, y, lr, n_epochs))
        question.record(label, failure)
        if first is None:
            first = (X, y, w, b, losses)
    X, y, w, b, losses = first
    question.record("the loss decreases from epoch to epoch", _decrease_problem(losses))
    question.record("the learnt w and b classify the (nearly separable) data well",
                    _accuracy_problem(X, y, w, b))
    return question.score()


def _decrease_problem(losses) -> str | None:
    if losses is None:
        return "not checked: the first training run failed"
    losses = np.asarray(losses, dtype=np.float64)
    if not _isfinite(losses).all():
        return "the losses should all be finite numbers"
    if not losses[-1] < losses[0] or (np.diff(losses) > 1e-12).any():
        return (f"with a small learning rate the loss should go down every epoch; it went from "
                f"{losses[0]:.4g} to {losses[-1]:.4g} (subtract the gradient: w - lr * grad_w)")
    return None


def _accuracy_problem(X, y, w, b, minimum: float = 0.9) -> str | None:
    if w is None:
        return "not checked: the first training run failed"
    try:
        accuracy = float(np.mean(ref.predict(X, w, float(np.asarray(b))) == y))
    except (TypeError, ValueError) as exc:
        return f"cannot use the learnt w and b: {exc}"
    if not accuracy >= minimum:
        return f"training accuracy {accuracy:.0%}, expected at least {minimum:.0%}"
    return None
