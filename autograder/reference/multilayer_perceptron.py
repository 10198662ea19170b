"""Reference answers for notebook 04 (multilayer perceptron).

Activations and their derivatives work elementwise on any shape (0-d for a scalar) and return
floats. ``softmax`` works on (n, k) arrays, over axis 1. Networks use the ``params`` structure:
a list with one dict per layer, ``{"W": (n_in, n_out), "b": (n_out,), "activation": name}``.
"""

import numpy as np


def linear(z):
    """The identity, as float64: the "linear" activation."""
    return np.asarray(z, dtype=float)


def sigmoid(z):
    """1 / (1 + exp(-z)) elementwise, computed with exp(-|z|) so that it never overflows."""
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def tanh(z):
    """The hyperbolic tangent elementwise; exactly +-1 at z = +-1000, no warning."""
    return np.tanh(np.asarray(z, dtype=float))


def relu(z):
    """max(0, z) elementwise, as float64."""
    return np.maximum(np.asarray(z, dtype=float), 0.0)


def sigmoid_derivative(z):
    """sigma'(z) = sigma(z) (1 - sigma(z)), a function of the pre-activation z."""
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh_derivative(z):
    """tanh'(z) = 1 - tanh(z)**2."""
    return 1.0 - tanh(z) ** 2


def relu_derivative(z):
    """1.0 where z > 0, else 0.0 (ReLU'(0) = 0 by the course's convention)."""
    return np.where(np.asarray(z) > 0, 1.0, 0.0)


def linear_derivative(z):
    """The identity's derivative: 1.0 everywhere, same shape as z."""
    return np.ones_like(np.asarray(z, dtype=float))


def softmax(Z):
    """Row-wise softmax of Z (n, k): exp(Z - row max) / row sum; rows sum to 1."""
    Z = np.asarray(Z, dtype=float)
    e = np.exp(Z - Z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


ACTIVATIONS = {"linear": linear, "sigmoid": sigmoid, "tanh": tanh, "relu": relu,
               "softmax": softmax}
DERIVATIVES = {"linear": linear_derivative, "sigmoid": sigmoid_derivative,
               "tanh": tanh_derivative, "relu": relu_derivative}


def dense(X, W, b, activation):
    """activation(X @ W + b): X (n, n_in), W (n_in, n_out), b (n_out,) -> (n, n_out)."""
    return activation(np.asarray(X, dtype=float) @ np.asarray(W, dtype=float)
                      + np.asarray(b, dtype=float))


def mlp_forward(X, params):
    """Feed X (n, n_inputs) through the layers of ``params``.

    Returns (output (n, n_outputs), cache), cache[i] = {"A_prev": input of layer i,
    "Z": its pre-activation}.
    """
    A = np.asarray(X, dtype=float)
    cache = []
    for layer in params:
        Z = A @ np.asarray(layer["W"], dtype=float) + np.asarray(layer["b"], dtype=float)
        cache.append({"A_prev": A, "Z": Z})
        A = ACTIVATIONS[layer["activation"]](Z)
    return A, cache


def collapse_linear(W1, b1, W2, b2):
    """The single layer equal to two linear layers: (W1 @ W2, b1 @ W2 + b2)."""
    W1, b1, W2, b2 = (np.asarray(a, dtype=float) for a in (W1, b1, W2, b2))
    return W1 @ W2, b1 @ W2 + b2


XOR_PARAMS = [
    # hidden unit 1 counts the inputs that are on, unit 2 fires only when both are
    {"W": np.array([[1.0, 1.0], [1.0, 1.0]]), "b": np.array([0.0, -1.0]), "activation": "relu"},
    # h1 - 2 h2 is 0, 1, 1, 0: shifted by 0.5 and scaled by 10 before the sigmoid
    {"W": np.array([[10.0], [-20.0]]), "b": np.array([-5.0]), "activation": "sigmoid"},
]
