"""Reference answers for notebook 02 (logistic regression).

Conventions: sigma(t) = 1 / (1 + exp(-t)); predict 1 when the probability is >= threshold;
log_loss clips probabilities to [EPS, 1 - EPS] with EPS = 1e-15; gradients are means over the
instances; fit_logistic_regression runs batch gradient descent from w = 0, b = 0 and records
the loss after each update.
"""

import numpy as np

EPS = 1e-15  # log_loss clips probabilities to [EPS, 1 - EPS]


def sigmoid(z):
    """sigma(z) = 1 / (1 + exp(-z)), elementwise, without overflow: same shape as z, floats."""
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def predict_proba(X, w, b):
    """sigma(X @ w + b): X (n, d) -> (n,), or X (d,) -> 0-d."""
    return sigmoid(np.asarray(X, dtype=float) @ np.asarray(w, dtype=float) + b)


def predict(X, w, b, threshold=0.5):
    """1 where predict_proba(X, w, b) >= threshold, else 0, as integers: (n,) or 0-d."""
    return (predict_proba(X, w, b) >= threshold).astype(int)


def log_loss(y, p):
    """Mean of -(y log p + (1 - y) log(1 - p)) over all entries, p clipped to [EPS, 1 - EPS].

    y and p have the same shape (any shape, a single number included); returns a float.
    """
    y = np.asarray(y, dtype=float)
    p = np.clip(np.asarray(p, dtype=float), EPS, 1 - EPS)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def log_loss_gradient(X, y, w, b):
    """Gradient of log_loss(y, predict_proba(X, w, b)) with respect to w and b.

    X (n, d), y (n,), w (d,), b float -> (grad_w (d,), grad_b float), means over instances.
    """
    X = np.asarray(X, dtype=float)
    error = predict_proba(X, w, b) - np.asarray(y, dtype=float)  # (n,)
    return X.T @ error / len(error), float(np.mean(error))


def fit_logistic_regression(X, y, lr, n_epochs):
    """Batch gradient descent from w = 0, b = 0 for n_epochs updates.

    Returns (w (d,), b float, losses (n_epochs,)) where losses[k] is the log loss on (X, y)
    after the (k + 1)-th update, so losses[-1] is the loss of the returned w and b.
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    w, b = np.zeros(X.shape[1]), 0.0
    losses = np.empty(n_epochs)
    for epoch in range(n_epochs):
        grad_w, grad_b = log_loss_gradient(X, y, w, b)
        w = w - lr * grad_w
        b = b - lr * grad_b
        losses[epoch] = log_loss(y, predict_proba(X, w, b))
    return w, b, losses
