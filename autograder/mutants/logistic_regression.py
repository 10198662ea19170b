"""Mutants and correct alternatives for notebook 02 (logistic regression)."""

from autograder.mutants import Variant

A = "02_logistic_regression"


def _sigmoid(body: str) -> str:
    return f"def sigmoid(z):\n{body}\n"


def _proba(body: str) -> str:
    return f"def predict_proba(X, w, b):\n{body}\n"


def _predict(body: str, default: str = "0.5") -> str:
    return f"def predict(X, w, b, threshold={default}):\n{body}\n"


def _loss(body: str) -> str:
    return f"def log_loss(y, p):\n{body}\n"


def _gradient(body: str) -> str:
    return f"def log_loss_gradient(X, y, w, b):\n{body}\n"


def _fit(body: str) -> str:
    return f"def fit_logistic_regression(X, y, lr, n_epochs):\n{body}\n"


_CLIP = "    p = np.clip(np.asarray(p, dtype=float), 1e-15, 1 - 1e-15)\n"


def _fit_loop(update: str, record: str = "    losses.append(log_loss(y, predict_proba(X, w, b)))",
              start: str = "    w, b = np.zeros(X.shape[1]), 0.0",
              epochs: str = "range(n_epochs)") -> str:
    """A batch gradient descent loop with one part replaced."""
    return _fit(
        "    X = np.asarray(X, dtype=float)\n"
        f"{start}\n"
        "    losses = []\n"
        f"    for epoch in tqdm({epochs}, desc='epochs', leave=False):\n"
        "        grad_w, grad_b = log_loss_gradient(X, y, w, b)\n"
        f"{update}\n"
        f"        {record.strip()}\n"
        "    return w, b, np.array(losses)"
    )


_GOOD_UPDATE = "        w = w - lr * grad_w\n        b = b - lr * grad_b"


VARIANTS = [
    # ---- sigmoid ---------------------------------------------------------------------------
    Variant(A, "sigmoid", "wrong-sign",
            _sigmoid("    return 1 / (1 + np.exp(np.asarray(z, dtype=float)))"), False,
            "1 / (1 + e^z) is sigma(-z): the curve is mirrored"),
    Variant(A, "sigmoid", "naive-overflows",
            _sigmoid("    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))"), False,
            "right values, but exp(-z) overflows (RuntimeWarning) for z below about -709"),
    Variant(A, "sigmoid", "exp-ratio-nan",
            _sigmoid("    e = np.exp(np.asarray(z, dtype=float))\n    return e / (1 + e)"), False,
            "e^z / (1 + e^z) gives inf / inf = nan for large z"),
    Variant(A, "sigmoid", "where-evaluates-both",
            _sigmoid("    z = np.asarray(z, dtype=float)\n"
                     "    return np.where(z >= 0, 1 / (1 + np.exp(-z)),\n"
                     "                    np.exp(z) / (1 + np.exp(z)))"),
            False, "np.where evaluates both branches, so the overflow (and its warning) happens"),
    Variant(A, "sigmoid", "clip-at-10",
            _sigmoid("    z = np.clip(z, -10, 10)\n    return 1 / (1 + np.exp(-z))"), False,
            "clipping z to [-10, 10] changes sigma(z) beyond |z| = 10 (sigma(20) is not 0.99995)"),
    Variant(A, "sigmoid", "clips-input-in-place",
            _sigmoid("    z = np.asarray(z, dtype=float)\n    np.clip(z, -500, 500, out=z)\n"
                     "    return 1 / (1 + np.exp(-z))"), False,
            "clips the caller's array in place"),
    Variant(A, "sigmoid", "scalar-only",
            _sigmoid("    import math\n    if z >= 0:\n        return 1 / (1 + math.exp(-z))\n"
                     "    return math.exp(z) / (1 + math.exp(z))"), False,
            "stable for one number, fails on arrays"),
    Variant(A, "sigmoid", "tanh-form",
            _sigmoid("    return 0.5 * (1 + np.tanh(0.5 * np.asarray(z, dtype=float)))"), True,
            "sigma(z) = (1 + tanh(z / 2)) / 2, and tanh never overflows"),
    Variant(A, "sigmoid", "logaddexp",
            _sigmoid("    return np.exp(-np.logaddexp(0, -np.asarray(z, dtype=float)))"), True,
            "sigma(z) = exp(-log(1 + e^-z)), with np.logaddexp computing the log stably"),
    Variant(A, "sigmoid", "clip-at-500",
            _sigmoid("    z = np.clip(np.asarray(z, dtype=float), -500, 500)\n"
                     "    return 1 / (1 + np.exp(-z))"), False,
            "no warning, but sigma(-1000) comes out as 7e-218 instead of exactly 0.0"),
    Variant(A, "sigmoid", "shared-denominator",
            _sigmoid("    z = np.asarray(z, dtype=float)\n    e = np.exp(-np.abs(z))\n"
                     "    return np.where(z >= 0, 1.0, e) / (1 + e)"), True,
            "1 / (1 + e^-z) for z >= 0 and e^z / (1 + e^z) below, with e = e^-|z| <= 1"),
    Variant(A, "sigmoid", "masks",
            _sigmoid("    z = np.asarray(z, dtype=float)\n    out = np.empty_like(z)\n"
                     "    pos = z >= 0\n    out[pos] = 1 / (1 + np.exp(-z[pos]))\n"
                     "    e = np.exp(z[~pos])\n    out[~pos] = e / (1 + e)\n    return out"), True,
            "each formula applied only where it cannot overflow"),
    # ---- predict_proba ---------------------------------------------------------------------
    Variant(A, "predict_proba", "no-bias", _proba("    return sigmoid(X @ w)"), False,
            "ignores the bias"),
    Variant(A, "predict_proba", "minus-bias", _proba("    return sigmoid(X @ w - b)"), False,
            "subtracts the bias"),
    Variant(A, "predict_proba", "bias-after-sigmoid", _proba("    return sigmoid(X @ w) + b"),
            False, "adds the bias to the probability"),
    Variant(A, "predict_proba", "no-sigmoid", _proba("    return X @ w + b"), False,
            "returns the weighted sum (the logit), not a probability"),
    Variant(A, "predict_proba", "hard-decision",
            _proba("    return np.where(X @ w + b >= 0, 1.0, 0.0)"), False,
            "a TLU's output, 0 or 1, instead of a probability"),
    Variant(A, "predict_proba", "transposed",
            _proba("    return sigmoid(np.asarray(X).T @ w + b)"), False,
            "X transposed: fails unless X is square, and is wrong when it is"),
    Variant(A, "predict_proba", "sums-everything",
            _proba("    return sigmoid(np.sum(X * w) + b)"), False,
            "one number for the whole batch"),
    Variant(A, "predict_proba", "einsum",
            _proba("    return sigmoid(np.einsum('...j,j->...', X, w) + b)"), True,
            "einsum over the feature axis"),
    Variant(A, "predict_proba", "np-dot", _proba("    return sigmoid(np.dot(X, w) + b)"), True,
            "np.dot"),
    Variant(A, "predict_proba", "inline-tanh",
            _proba("    z = (np.asarray(X) * w).sum(axis=-1) + b\n"
                   "    return 0.5 * (1 + np.tanh(z / 2))"), True,
            "weighted sum by broadcasting, sigma in its tanh form"),
    # ---- predict ---------------------------------------------------------------------------
    Variant(A, "predict", "strict-inequality",
            _predict("    return (predict_proba(X, w, b) > threshold).astype(int)"), False,
            "p = 0.5 must give class 1 (>=, not >)"),
    Variant(A, "predict", "ignores-threshold",
            _predict("    return (predict_proba(X, w, b) >= 0.5).astype(int)"), False,
            "always uses 0.5"),
    Variant(A, "predict", "threshold-on-logit",
            _predict("    return (X @ w + b >= threshold).astype(int)"), False,
            "compares the weighted sum, not the probability, with the threshold"),
    Variant(A, "predict", "round",
            _predict("    return np.round(predict_proba(X, w, b)).astype(int)"), False,
            "rounding ignores the threshold, and rounds 0.5 down to 0 (half to even)"),
    Variant(A, "predict", "booleans",
            _predict("    return predict_proba(X, w, b) >= threshold"), False,
            "returns True/False instead of the labels 1 and 0"),
    Variant(A, "predict", "returns-probabilities",
            _predict("    return predict_proba(X, w, b)"), False,
            "returns probabilities, not classes"),
    Variant(A, "predict", "default-zero",
            _predict("    return (predict_proba(X, w, b) >= threshold).astype(int)", "0.0"), False,
            "the default threshold must be 0.5"),
    Variant(A, "predict", "np-where",
            _predict("    return np.where(predict_proba(X, w, b) >= threshold, 1, 0)"), True,
            "np.where with integer labels"),
    Variant(A, "predict", "logit-threshold",
            _predict("    z = np.asarray(X) @ w + b\n"
                     "    return (z >= np.log(threshold / (1 - threshold))).astype(int)"), True,
            "p >= t exactly when z >= log(t / (1 - t)), the logit of t (0 for t = 0.5)"),
    Variant(A, "predict", "float-labels",
            _predict("    return (predict_proba(X, w, b) >= threshold) * 1.0"), True,
            "labels 1.0 and 0.0 as floats are numbers too"),
    # ---- log_loss --------------------------------------------------------------------------
    Variant(A, "log_loss", "no-clipping",
            _loss("    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))"), False,
            "log(0) = -inf: the loss is inf or nan when p is exactly 0 or 1"),
    Variant(A, "log_loss", "sum",
            _loss(_CLIP + "    return -np.sum(y * np.log(p) + (1 - y) * np.log(1 - p))"), False,
            "summed over instances instead of averaged"),
    Variant(A, "log_loss", "wrong-sign",
            _loss(_CLIP + "    return np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))"), False,
            "the log-likelihood, not its negative: always <= 0"),
    Variant(A, "log_loss", "terms-swapped",
            _loss(_CLIP + "    return -np.mean(y * np.log(1 - p) + (1 - y) * np.log(p))"), False,
            "y paired with log(1 - p): rewards wrong predictions"),
    Variant(A, "log_loss", "keras-epsilon",
            _loss("    p = np.clip(p, 1e-7, 1 - 1e-7)\n"
                  "    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))"), False,
            "clips at 1e-7 (Keras' epsilon), not the 1e-15 the exercise asks for"),
    Variant(A, "log_loss", "positive-term-only",
            _loss(_CLIP + "    return -np.mean(y * np.log(p))"), False,
            "forgets the (1 - y) log(1 - p) term of the negative class"),
    Variant(A, "log_loss", "log10",
            _loss(_CLIP + "    return -np.mean(y * np.log10(p) + (1 - y) * np.log10(1 - p))"),
            False, "base-10 logarithms"),
    Variant(A, "log_loss", "add-epsilon",
            _loss("    eps = 1e-15\n"
                  "    return -np.mean(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps))"),
            True, "adding eps inside the logarithms instead of clipping"),
    Variant(A, "log_loss", "where-label",
            _loss(_CLIP + "    return float(-np.mean(np.log(np.where(y == 1, p, 1 - p))))"),
            True, "labels are 0 or 1: take log p for the positives and log(1 - p) otherwise"),
    Variant(A, "log_loss", "maximum-minimum",
            _loss("    p = np.asarray(p, dtype=float)\n"
                  "    first = np.log(np.maximum(p, 1e-15))\n"
                  "    second = np.log(np.maximum(1 - p, 1e-15))\n"
                  "    return -np.average(y * first + (1 - y) * second)"), True,
            "np.maximum on p and on 1 - p, and np.average"),
    # ---- log_loss_gradient -----------------------------------------------------------------
    Variant(A, "log_loss_gradient", "no-mean",
            _gradient("    error = predict_proba(X, w, b) - y\n"
                      "    return X.T @ error, np.sum(error)"),
            False, "sums over instances: n times too large"),
    Variant(A, "log_loss_gradient", "X-not-transposed",
            _gradient("    error = predict_proba(X, w, b) - y\n"
                      "    return X @ error / len(y), np.mean(error)"), False,
            "X @ error instead of X.T @ error: a shape error, or wrong when X is square"),
    Variant(A, "log_loss_gradient", "missing-grad-b",
            _gradient("    error = predict_proba(X, w, b) - y\n    return X.T @ error / len(y)"),
            False, "returns grad_w alone"),
    Variant(A, "log_loss_gradient", "sign-flipped",
            _gradient("    error = y - predict_proba(X, w, b)\n"
                      "    return X.T @ error / len(y), np.mean(error)"), False,
            "y - p: the direction of steepest ascent"),
    Variant(A, "log_loss_gradient", "no-sigmoid",
            _gradient("    error = X @ w + b - y\n    return X.T @ error / len(y), np.mean(error)"),
            False, "uses the weighted sum instead of the probability (the squared-error gradient)"),
    Variant(A, "log_loss_gradient", "mean-over-all-entries",
            _gradient("    error = predict_proba(X, w, b) - y\n"
                      "    return np.mean(X * error[:, None]) * np.ones(len(w)), np.mean(error)"),
            False, "averages over features too: one number repeated"),
    Variant(A, "log_loss_gradient", "extra-sigmoid-derivative",
            _gradient("    p = predict_proba(X, w, b)\n    error = (p - y) * p * (1 - p)\n"
                      "    return X.T @ error / len(y), np.mean(error)"), False,
            "an extra factor sigma'(z): the derivative of the squared error, not of the log loss"),
    Variant(A, "log_loss_gradient", "einsum",
            _gradient("    error = predict_proba(X, w, b) - y\n"
                      "    return np.einsum('ij,i->j', X, error) / len(error), error.mean()"), True,
            "einsum over the instances"),
    Variant(A, "log_loss_gradient", "broadcast-mean",
            _gradient("    X = np.asarray(X, dtype=float)\n"
                      "    error = sigmoid(X @ w + b) - y\n"
                      "    return np.mean(X * error[:, None], axis=0), float(np.mean(error))"),
            True,
            "mean over axis 0 of each instance's contribution x_i (p_i - y_i)"),
    Variant(A, "log_loss_gradient", "row-vector",
            _gradient("    error = predict_proba(X, w, b) - y\n    m = X.shape[0]\n"
                      "    return np.dot(error, X) / m, np.sum(error) / m"), True,
            "error @ X is the same as X.T @ error"),
    # ---- fit_logistic_regression -----------------------------------------------------------
    Variant(A, "fit_logistic_regression", "bias-never-updated",
            _fit_loop("        w = w - lr * grad_w"), False, "b stays 0"),
    Variant(A, "fit_logistic_regression", "gradient-ascent",
            _fit_loop("        w = w + lr * grad_w\n        b = b + lr * grad_b"), False,
            "adds the gradient: the loss goes up"),
    Variant(A, "fit_logistic_regression", "loss-before-update",
            _fit_loop("        losses.append(log_loss(y, predict_proba(X, w, b)))\n"
                      "        w = w - lr * grad_w\n        b = b - lr * grad_b",
                      record="    pass"), False,
            "records the loss before each update: one epoch late"),
    Variant(A, "fit_logistic_regression", "initial-loss-included",
            _fit(
                "    X = np.asarray(X, dtype=float)\n    w, b = np.zeros(X.shape[1]), 0.0\n"
                "    losses = [log_loss(y, predict_proba(X, w, b))]\n"
                "    for epoch in tqdm(range(n_epochs)):\n"
                "        grad_w, grad_b = log_loss_gradient(X, y, w, b)\n"
                "        w = w - lr * grad_w\n        b = b - lr * grad_b\n"
                "        losses.append(log_loss(y, predict_proba(X, w, b)))\n"
                "    return w, b, np.array(losses)"), False,
            "n_epochs + 1 losses: the initial one too"),
    Variant(A, "fit_logistic_regression", "ignores-lr",
            _fit_loop("        w = w - grad_w\n        b = b - grad_b"), False,
            "a step of 1 whatever lr says"),
    Variant(A, "fit_logistic_regression", "random-start",
            _fit_loop(_GOOD_UPDATE,
                      start="    rng = np.random.default_rng(0)\n"
                            "    w, b = rng.normal(size=X.shape[1]), 0.0"), False,
            "starts from random weights, not from zeros"),
    Variant(A, "fit_logistic_regression", "one-epoch-short",
            _fit_loop(_GOOD_UPDATE, epochs="range(n_epochs - 1)"), False,
            "n_epochs - 1 updates"),
    Variant(A, "fit_logistic_regression", "lr-divided-by-n",
            _fit_loop("        w = w - lr * grad_w / len(y)\n        b = b - lr * grad_b / len(y)"),
            False, "divides the (already averaged) gradient by n again"),
    Variant(A, "fit_logistic_regression", "list-append", _fit_loop(_GOOD_UPDATE), True,
            "the loop of the solution, losses collected in a list"),
    Variant(A, "fit_logistic_regression", "preallocated-inline",
            _fit(
                "    from tqdm.auto import trange\n\n"
                "    X = np.asarray(X, dtype=float)\n    n, d = X.shape\n"
                "    w = np.zeros(d)\n    b = 0.0\n    losses = np.zeros(n_epochs)\n"
                "    for k in trange(n_epochs, leave=False):\n"
                "        p = 0.5 * (1 + np.tanh((X @ w + b) / 2))\n"
                "        w -= lr * X.T @ (p - y) / n\n        b -= lr * np.mean(p - y)\n"
                "        losses[k] = log_loss(y, predict_proba(X, w, b))\n"
                "    return w, b, losses"), True,
            "gradient written inline, in-place updates of its own arrays, tqdm's trange"),
    Variant(A, "fit_logistic_regression", "no-progress-bar",
            _fit(
                "    w = np.zeros(np.shape(X)[1])\n    b = 0.0\n    losses = []\n"
                "    for _ in range(n_epochs):\n"
                "        gw, gb = log_loss_gradient(X, y, w, b)\n"
                "        w, b = w - lr * gw, b - lr * gb\n"
                "        losses.append(log_loss(y, predict_proba(X, w, b)))\n"
                "    return w, b, np.asarray(losses)"), True,
            "no progress bar: training is graded on what it returns"),
]
