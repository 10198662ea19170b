"""Reference answers for notebook 06 (regularization).

``params`` is notebook 04's structure: a list with one dict per layer, input to output,
``{"W": (n_in, n_out), "b": (n_out,), "activation": name}``. Penalties follow Keras's
``regularizers.L2(l2)`` / ``L1(l1)`` convention: ``l2 * sum(square(W))`` (no factor 1/2) and
``l1 * sum(abs(W))``; biases are not penalised.
"""

import copy

import numpy as np


def l2_penalty(params, lam):
    """lam * sum over layers of sum(W ** 2), biases excluded -> Python float."""
    return float(lam * sum(np.sum(np.square(layer["W"])) for layer in params))


def l2_gradient(params, lam):
    """One {"W": 2 lam W (n_in, n_out), "b": zeros (n_out,)} per layer."""
    return [{"W": 2.0 * lam * np.asarray(layer["W"], dtype=float),
             "b": np.zeros(np.shape(layer["b"]))} for layer in params]


def l1_penalty(params, lam):
    """lam * sum over layers of sum(|W|), biases excluded -> Python float."""
    return float(lam * sum(np.sum(np.abs(layer["W"])) for layer in params))


def l1_gradient(params, lam):
    """One {"W": lam sign(W) (0 where W == 0), "b": zeros (n_out,)} per layer."""
    return [{"W": lam * np.sign(np.asarray(layer["W"], dtype=float)),
             "b": np.zeros(np.shape(layer["b"]))} for layer in params]


def dropout(A, rate, rng, training):
    """Inverted dropout: rate = probability of dropping a unit (Keras's convention).

    Training: keep where rng.random(A.shape) >= rate, divide kept units by 1 - rate.
    Inference: A unchanged. A is never modified; rate must lie in [0, 1).
    """
    if not 0 <= rate < 1:
        raise ValueError(f"rate must be in [0, 1), got {rate!r}")
    if not training:
        return A
    A = np.asarray(A)
    mask = rng.random(A.shape) >= rate
    return A * mask / (1.0 - rate)


class EarlyStopping:
    """Stop after ``patience`` epochs without improvement; remember the best params.

    ``update(loss, params)`` is called once per epoch with the validation loss and returns True
    when training should stop. An improvement is ``loss < best_loss - min_delta`` (Keras's
    semantics); stopping happens when the epochs since the last improvement reach
    ``patience``. ``best_params`` is a deep copy of the params of the best epoch (0-based
    ``best_epoch``); ``stopped_epoch`` is the epoch at which update returned True (None before).
    """

    def __init__(self, patience, min_delta=0.0):
        self.patience = patience
        self.min_delta = min_delta
        self.best_loss = np.inf
        self.best_epoch = None
        self.best_params = None
        self.stopped_epoch = None
        self.wait = 0
        self.epoch = -1

    def update(self, loss, params):
        self.epoch += 1
        if loss < self.best_loss - self.min_delta:
            self.best_loss = float(loss)
            self.best_epoch = self.epoch
            self.best_params = copy.deepcopy(params)
            self.wait = 0
            return False
        self.wait += 1
        if self.wait >= self.patience:
            self.stopped_epoch = self.epoch
            return True
        return False
