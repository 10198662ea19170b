"""The output of a network in the course's ``params`` structure, for the public checks.

A network is a list with one dict per layer, input to output,
``{"W": (n_in, n_out), "b": (n_out,), "activation": name}``, as in notebook 04. The public
checks of notebooks 04 and 05 need to know what a student's network outputs (XOR_PARAMS, the
network ``train_mlp`` returns); that is all this module does.

It deliberately answers no exercise: it gives the output only (no cache), takes the network
first, and has no backward pass, no training step and no activation function of its own to
call. The playground (:mod:`course.playground`) has its own network, and notebook 06 trains
with notebook 05's functions, provided there after 05's deadline.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from course.validation import as_real_array, describe

ACTIVATIONS = ("linear", "sigmoid", "tanh", "relu", "softmax")


def network_output(params, X) -> np.ndarray:
    """What the network ``params`` outputs for the instances ``X``.

    Parameters
    ----------
    params : list of dict
        One ``{"W": (n_in, n_out), "b": (n_out,), "activation": name}`` per layer, with a name
        from ``ACTIVATIONS`` (softmax acts on each row).
    X : array-like, shape (n, n_inputs)

    Returns
    -------
    np.ndarray of float64, shape (n, n_outputs): the last layer's activation.

    Raises
    ------
    TypeError or ValueError naming the layer and what is wrong with it.
    """
    A = as_real_array(X, "X", ndim=2)
    if not isinstance(params, (list, tuple)) or not params:
        raise TypeError(f"params must be a non-empty list of layer dicts, got {describe(params)}")
    for i, layer in enumerate(params):
        if not isinstance(layer, Mapping) or not {"W", "b", "activation"} <= set(layer):
            raise TypeError(f"params[{i}] must be a dict with 'W', 'b' and 'activation', got "
                            f"{describe(layer)}")
        name = layer["activation"]
        if name not in ACTIVATIONS:
            raise ValueError(f"params[{i}]['activation'] must be one of {ACTIVATIONS}, got "
                             f"{name!r}")
        Z = A @ np.asarray(layer["W"], dtype=float) + np.asarray(layer["b"], dtype=float)
        if name == "softmax":
            E = np.exp(Z - Z.max(axis=1, keepdims=True))
            A = E / E.sum(axis=1, keepdims=True)
        elif name == "sigmoid":
            A = 0.5 * (1.0 + np.tanh(0.5 * Z))  # the logistic function, without overflow
        elif name == "tanh":
            A = np.tanh(Z)
        elif name == "relu":
            A = np.where(Z > 0, Z, 0.0)
        else:
            A = Z
    return A


__all__ = ["ACTIVATIONS", "network_output"]
