"""Reference answers for notebook 03 (perceptron)."""

import numpy as np


def heaviside(t):
    """1.0 where t >= 0, else 0.0; same shape as t (0-d for a scalar)."""
    return np.where(np.asarray(t) >= 0, 1.0, 0.0)


def perceptron_layer(X, W, b, step=heaviside):
    """step(X @ W + b): X (n, n_inputs), W (n_inputs, n_neurons), b (n_neurons,);
    returns shape (n, n_neurons)."""
    return step(np.asarray(X, dtype=float) @ np.asarray(W, dtype=float)
                + np.asarray(b, dtype=float))


def perceptron_update(w, b, x, y, lr):
    """One Rosenblatt step on one example: new (w (n_inputs,), b float); inputs unchanged."""
    w = np.asarray(w, dtype=float)
    x = np.asarray(x, dtype=float)
    y_hat = float(heaviside(x @ w + b))
    delta = lr * (y - y_hat)
    return w + delta * x, float(b + delta)


def fit_perceptron(X, y, lr, n_epochs, rng):
    """Rosenblatt's rule from w = 0, b = 0 for n_epochs epochs, in order rng.permutation(n).

    Returns (w (n_inputs,), b float, mistakes int array (n_epochs,)).
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y)
    n, n_inputs = X.shape
    w, b = np.zeros(n_inputs), 0.0
    mistakes = np.zeros(n_epochs, dtype=int)
    for epoch in range(n_epochs):
        for i in rng.permutation(n):
            if heaviside(X[i] @ w + b) != y[i]:
                mistakes[epoch] += 1
                w, b = perceptron_update(w, b, X[i], y[i], lr)
    return w, b, mistakes
