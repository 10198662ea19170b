"""Reference answers for notebook 05 (backpropagation), and the helpers they build on.

The helpers (activations, their derivatives, ``mlp_forward``, ``cross_entropy``,
``init_params``) are what notebook 05's provided cell "From notebook 04" gives students, in the
``params`` structure: a list with one dict per layer, input to output,
``{"W": (n_in, n_out), "b": (n_out,), "activation": name}``.
"""

from __future__ import annotations

import numpy as np

# --- provided in the notebook (notebook 04's functions) ---------------------------------------


def sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def tanh(z):
    return np.tanh(z)


def relu(z):
    return np.maximum(z, 0.0)


def linear(z):
    return z


def softmax(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def sigmoid_derivative(z):
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh_derivative(z):
    return 1.0 - np.tanh(z) ** 2


def relu_derivative(z):
    return (z > 0).astype(float)  # ReLU'(0) = 0 by the course's convention


def linear_derivative(z):
    return np.ones_like(z)


ACTIVATIONS = {"linear": linear, "sigmoid": sigmoid, "tanh": tanh, "relu": relu,
               "softmax": softmax}
DERIVATIVES = {"linear": linear_derivative, "sigmoid": sigmoid_derivative,
               "tanh": tanh_derivative, "relu": relu_derivative}


def mlp_forward(X, params):
    """(output (n, n_outputs), cache: one {"A_prev", "Z"} per layer)."""
    A = np.asarray(X, dtype=float)
    cache = []
    for layer in params:
        Z = A @ layer["W"] + layer["b"]
        cache.append({"A_prev": A, "Z": Z})
        A = ACTIVATIONS[layer["activation"]](Z)
    return A, cache


def cross_entropy(P, Y):
    """Mean categorical cross-entropy, P clipped to [1e-15, 1]."""
    return float(-np.mean(np.sum(Y * np.log(np.clip(P, 1e-15, 1.0)), axis=1)))


def binary_cross_entropy(P, Y):
    """Mean binary cross-entropy of P (n, 1) for 0/1 labels Y (n, 1)."""
    P = np.clip(P, 1e-15, 1 - 1e-15)
    return float(-np.mean(Y * np.log(P) + (1 - Y) * np.log(1 - P)))


def loss(P, Y):
    """The loss matched to the output layer: binary for one output column, else categorical."""
    return binary_cross_entropy(P, Y) if np.shape(Y)[1] == 1 else cross_entropy(P, Y)


def one_hot(y, k):
    return np.eye(k)[np.asarray(y)]


def init_params(layer_sizes, rng, hidden_activation="relu", output_activation="softmax"):
    """He-normal weights N(0, 2 / n_in) drawn from rng layer by layer, zero biases."""
    params = []
    for i, (n_in, n_out) in enumerate(zip(layer_sizes[:-1], layer_sizes[1:])):
        last = i == len(layer_sizes) - 2
        params.append({"W": rng.normal(0.0, np.sqrt(2.0 / n_in), size=(n_in, n_out)),
                       "b": np.zeros(n_out),
                       "activation": output_activation if last else hidden_activation})
    return params


# --- graded answers ---------------------------------------------------------------------------


def numerical_gradient(f, x, h=1e-5):
    """Centred differences (f(x + h e_i) - f(x - h e_i)) / 2h for every entry i of x.

    x (any shape, float) is perturbed in place one entry at a time and restored exactly.
    Returns an array of x's shape.
    """
    grad = np.zeros(x.shape, dtype=float)
    for index in np.ndindex(x.shape):
        old = x[index]
        x[index] = old + h
        f_plus = f(x)
        x[index] = old - h
        f_minus = f(x)
        x[index] = old
        grad[index] = (f_plus - f_minus) / (2 * h)
    return grad


def relative_error(a, b):
    """max |a - b| / max(max(|a| + |b|), 1e-8), over all entries; a float."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b)) / max(float(np.max(np.abs(a) + np.abs(b))), 1e-8))


def mlp_backward(X, Y, params, cache):
    """Gradients of the mean loss, one {"W", "b"} per layer (softmax/sigmoid + cross-entropy)."""
    n = np.shape(X)[0]
    P = ACTIVATIONS[params[-1]["activation"]](cache[-1]["Z"])
    dZ = (P - Y) / n
    grads = [None] * len(params)
    for i in range(len(params) - 1, -1, -1):
        grads[i] = {"W": cache[i]["A_prev"].T @ dZ, "b": dZ.sum(axis=0)}
        if i > 0:
            dA = dZ @ params[i]["W"].T
            dZ = dA * DERIVATIVES[params[i - 1]["activation"]](cache[i - 1]["Z"])
    return grads


def minibatches(X, y, batch_size=32, rng=None):
    """Yield (X_batch, y_batch) in the order rng.permutation(n), the last partial batch kept."""
    rng = np.random.default_rng(rng)
    order = rng.permutation(len(X))
    for start in range(0, len(X), batch_size):
        batch = order[start:start + batch_size]
        yield X[batch], y[batch]


def train_mlp(X, y, hidden_units, lr, n_epochs, batch_size=32, rng=None):
    """Mini-batch gradient descent on an MLP with ReLU hidden layers and a softmax output.

    Returns (params, history): history = {"loss": [...], "accuracy": [...]}, one entry per
    epoch, the cross-entropy and accuracy on the whole of (X, y) after that epoch.
    """
    from tqdm.auto import tqdm  # imported here: grading kernels import this module early

    rng = np.random.default_rng(rng)
    X = np.asarray(X, dtype=float)
    y = np.asarray(y)
    k = int(y.max()) + 1
    params = init_params([X.shape[1], *hidden_units, k], rng)
    Y = one_hot(y, k)
    history = {"loss": [], "accuracy": []}
    for _ in tqdm(range(n_epochs), desc="epochs", leave=False):
        for X_batch, Y_batch in minibatches(X, Y, batch_size, rng):
            _, cache = mlp_forward(X_batch, params)
            grads = mlp_backward(X_batch, Y_batch, params, cache)
            for layer, grad in zip(params, grads):
                layer["W"] = layer["W"] - lr * grad["W"]
                layer["b"] = layer["b"] - lr * grad["b"]
        P, _ = mlp_forward(X, params)
        history["loss"].append(cross_entropy(P, Y))
        history["accuracy"].append(float(np.mean(P.argmax(axis=1) == y)))
    return params, history
