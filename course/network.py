"""The course's own small NumPy network, for experiments that are not exercises.

Notebook 05's playground and notebook 06's regularization experiments train with it, so that a
figure does not depend on whether a student's exercise is finished. It uses notebook 04's
``params`` structure: a list with one dict per layer, input to output,
``{"W": (n_in, n_out), "b": (n_out,), "activation": name}``.

Hooks take the student's own functions where an experiment is about them: ``dropout(A, rate,
rng, training)`` on hidden activations and ``penalty_gradient(params, lam)`` (a list of
``{"W", "b"}`` dicts) added to the loss gradient.
"""

from __future__ import annotations

import numpy as np

from course.validation import as_real_array, check_int

ACTIVATIONS = ("linear", "sigmoid", "tanh", "relu", "softmax")


def _sigmoid(z):
    # exp of a non-positive number only: no overflow at either end
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


_PHI = {
    "linear": lambda z: z,
    "sigmoid": _sigmoid,
    "tanh": np.tanh,
    "relu": lambda z: np.maximum(z, 0.0),
    "softmax": _softmax,
}
_DPHI = {  # derivatives as functions of z; ReLU'(0) = 0 by the course's convention
    "linear": np.ones_like,
    "sigmoid": lambda z: _sigmoid(z) * (1.0 - _sigmoid(z)),
    "tanh": lambda z: 1.0 - np.tanh(z) ** 2,
    "relu": lambda z: (z > 0).astype(float),
}


def init_params(layer_sizes, activation="relu", output="softmax", rng=None) -> list[dict]:
    """Random weights for layers of sizes ``(n_inputs, n_hidden..., n_outputs)``.

    Weights are drawn N(0, 2/n_in) for ReLU (He) and N(0, 1/n_in) otherwise (Glorot/LeCun);
    biases start at zero. Returns a params list (see the module docstring).
    """
    sizes = [check_int(n, "layer_sizes entry", minimum=1) for n in layer_sizes]
    if len(sizes) < 2:
        raise ValueError(f"layer_sizes: expected at least (n_inputs, n_outputs), got {sizes}")
    for name, value in (("activation", activation), ("output", output)):
        if value not in ACTIVATIONS:
            raise ValueError(f"{name}: expected one of {ACTIVATIONS}, got {value!r}")
    if activation == "softmax":
        raise ValueError("activation: softmax belongs on the output layer only")
    rng = np.random.default_rng(rng)
    params = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        last = i == len(sizes) - 2
        act = output if last else activation
        scale = np.sqrt((2.0 if act == "relu" else 1.0) / n_in)
        params.append({"W": rng.normal(0.0, scale, size=(n_in, n_out)),
                       "b": np.zeros(n_out), "activation": act})
    return params


def forward(X, params, *, dropout=None, rate=0.0, rng=None, training=False):
    """Feed ``X`` (n, n_inputs) through the network.

    Returns ``(output, cache)``: the last layer's activation (n, n_outputs), and one dict per
    layer ``{"A_prev", "Z"}`` plus, where dropout ran, ``"A_kept"``/``"A_full"`` for backward.
    ``dropout(A, rate, rng, training)`` is applied to every hidden layer's activation.
    """
    A = as_real_array(X, "X", ndim=2)
    cache = []
    for i, layer in enumerate(params):
        entry = {"A_prev": A}
        Z = A @ layer["W"] + layer["b"]
        entry["Z"] = Z
        A = _PHI[layer["activation"]](Z)
        hidden = i < len(params) - 1
        if hidden and dropout is not None and rate > 0:
            kept = np.asarray(dropout(A, rate, rng, training), dtype=float)
            entry["A_full"], entry["A_kept"] = A, kept
            A = kept
        cache.append(entry)
    return A, cache


def backward(Y, params, cache) -> list[dict]:
    """Gradients of the mean loss for a softmax (or sigmoid) output with cross-entropy.

    ``Y``: one-hot (n, k) for softmax, (n, 1) for sigmoid. Returns one ``{"W", "b"}`` per layer.
    """
    n = Y.shape[0]
    output = cache[-1]
    P = _PHI[params[-1]["activation"]](output["Z"])
    dZ = (P - Y) / n  # softmax + cross-entropy (and sigmoid + binary cross-entropy)
    grads = [None] * len(params)
    for i in range(len(params) - 1, -1, -1):
        entry = cache[i]
        grads[i] = {"W": entry["A_prev"].T @ dZ, "b": dZ.sum(axis=0)}
        if i == 0:
            break
        dA = dZ @ params[i]["W"].T
        below = cache[i - 1]
        if "A_kept" in below:
            # inverted dropout multiplies each unit by 0 or 1/(1 - rate): recover that factor
            full = below["A_full"]
            factor = np.divide(below["A_kept"], full, out=np.zeros_like(full),
                               where=full != 0)
            dA = dA * factor
        dZ = dA * _DPHI[params[i - 1]["activation"]](below["Z"])
    return grads


def one_hot(y, k=None) -> np.ndarray:
    """Integer labels (n,) -> one-hot rows (n, k)."""
    y = np.asarray(y)
    if y.ndim != 1 or not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"y: expected integer labels of shape (n,), got {y.dtype} {y.shape}")
    k = int(y.max()) + 1 if k is None else k
    return np.eye(k)[y]


def cross_entropy(P, Y) -> float:
    """Mean categorical cross-entropy of probabilities P against one-hot Y, both (n, k)."""
    return float(-np.mean(np.sum(Y * np.log(np.clip(P, 1e-15, 1.0)), axis=1)))


def _targets(y, params):
    k = params[-1]["W"].shape[1]
    y = np.asarray(y)
    if k == 1:  # sigmoid output: binary labels as a column
        return y.reshape(-1, 1).astype(float)
    return one_hot(y, k)


def _loss(P, Y):
    if Y.shape[1] == 1:
        P = np.clip(P, 1e-15, 1 - 1e-15)
        return float(-np.mean(Y * np.log(P) + (1 - Y) * np.log(1 - P)))
    return cross_entropy(P, Y)


def train_epoch(X, y, params, lr, batch_size=32, rng=None, *, penalty_gradient=None,
                lam=0.0, dropout=None, rate=0.0) -> float:
    """One epoch of mini-batch gradient descent on ``params`` (updated in place).

    ``X`` (n, n_inputs), ``y`` integer labels (n,). Mini-batches of ``batch_size`` in the order
    of ``rng.permutation(n)``, the last partial batch kept. Returns the mean training loss of
    the batches (without the penalty).
    """
    X = as_real_array(X, "X", ndim=2)
    rng = np.random.default_rng(rng)
    Y = _targets(y, params)
    order = rng.permutation(len(X))
    losses = []
    for start in range(0, len(X), batch_size):
        batch = order[start:start + batch_size]
        P, cache = forward(X[batch], params, dropout=dropout, rate=rate, rng=rng,
                           training=True)
        losses.append(_loss(P, Y[batch]) * len(batch))
        grads = backward(Y[batch], params, cache)
        extra = penalty_gradient(params, lam) if penalty_gradient is not None else None
        for i, (layer, grad) in enumerate(zip(params, grads)):
            for key in ("W", "b"):
                step = grad[key]
                if extra is not None:
                    step = step + extra[i][key]
                layer[key] = layer[key] - lr * step
    return float(np.sum(losses) / len(X))


def predict_proba(X, params) -> np.ndarray:
    """Output of the network at inference (no dropout): (n, n_outputs)."""
    return forward(X, params)[0]


def predict(X, params) -> np.ndarray:
    """Predicted class per instance (n,)."""
    P = predict_proba(X, params)
    return (P[:, 0] >= 0.5).astype(int) if P.shape[1] == 1 else P.argmax(axis=1)


def evaluate(X, y, params, penalty=None, lam=0.0) -> tuple[float, float]:
    """(loss, accuracy) on ``X``, ``y``; ``penalty(params, lam)`` is added to the loss."""
    P = predict_proba(X, params)
    loss = _loss(P, _targets(y, params))
    if penalty is not None:
        loss += float(penalty(params, lam))
    predicted = (P[:, 0] >= 0.5).astype(int) if P.shape[1] == 1 else P.argmax(axis=1)
    accuracy = float(np.mean(predicted == np.asarray(y)))
    return loss, accuracy


def copy_params(params) -> list[dict]:
    """A deep copy of ``params`` (arrays copied, activations kept)."""
    return [{k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in layer.items()}
            for layer in params]
