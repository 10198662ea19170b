"""course.network (the output of a params network, for the public checks) and the network
that notebook 06 trains with: its read-only "from notebook 05" cell."""

from pathlib import Path

import nbformat
import numpy as np
import pytest

from course import network

ROOT = Path(__file__).resolve().parents[1]


def provided_06() -> dict:
    """The namespace of notebook 06's read-only cell from_notebook_05, as the notebook runs it."""
    path = ROOT / "solutions/06_regularization/06_regularization.ipynb"
    cell = next(c for c in nbformat.read(path, as_version=4).cells
                if c.metadata.get("nbgrader", {}).get("grade_id") == "from_notebook_05")
    namespace = {"np": np}
    exec(cell.source, namespace)
    return namespace


# --- course.network ---------------------------------------------------------------------------

def test_network_output_computes_every_activation():
    X = np.array([[1.0, -2.0], [0.0, 3.0]])
    W, b = np.array([[1.0, -1.0], [0.5, 2.0]]), np.array([0.5, -0.5])
    Z = X @ W + b
    for name, expected in [("linear", Z), ("relu", np.maximum(Z, 0)), ("tanh", np.tanh(Z)),
                           ("sigmoid", 1 / (1 + np.exp(-Z))),
                           ("softmax", np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True))]:
        out = network.network_output([{"W": W, "b": b, "activation": name}], X)
        np.testing.assert_allclose(out, expected, rtol=1e-12, err_msg=name)
    two = [{"W": W, "b": b, "activation": "relu"}, {"W": W, "b": b, "activation": "softmax"}]
    hidden = np.maximum(Z, 0) @ W + b
    np.testing.assert_allclose(network.network_output(two, X).sum(axis=1), 1.0)
    assert np.array_equal(network.network_output(two, X).argmax(axis=1), hidden.argmax(axis=1))


def test_network_output_does_not_overflow_and_names_bad_layers():
    big = [{"W": np.array([[1000.0, -1000.0]]), "b": np.zeros(2), "activation": "sigmoid"}]
    with np.errstate(all="raise"):
        out = network.network_output(big, np.array([[1.0]]))
    assert out.tolist() == [[1.0, 0.0]]
    with pytest.raises(ValueError, match=r"params\[0\]\['activation'\] must be one of"):
        network.network_output([{"W": np.eye(2), "b": np.zeros(2), "activation": "swish"}],
                               np.ones((1, 2)))
    with pytest.raises(TypeError, match=r"params\[1\] must be a dict"):
        network.network_output([{"W": np.eye(2), "b": np.zeros(2), "activation": "relu"}, 3],
                               np.ones((1, 2)))
    with pytest.raises(TypeError, match="params must be a non-empty list"):
        network.network_output(np.ones((2, 2)), np.ones((1, 2)))  # the arguments swapped


# --- notebook 06's network (from notebook 05) -------------------------------------------------

def _numerical(loss, array, h=1e-6):
    grad = np.zeros_like(array)
    for index in np.ndindex(array.shape):
        old = array[index]
        array[index] = old + h
        up = loss()
        array[index] = old - h
        down = loss()
        array[index] = old
        grad[index] = (up - down) / (2 * h)
    return grad


def test_backward_matches_centred_differences():
    nb = provided_06()
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(7, 3)), rng.integers(0, 3, size=7)
    params = nb["init_params"]([3, 5, 4, 3], 1)
    for layer in params:
        layer["b"] = rng.normal(size=layer["b"].shape)  # pre-activations away from 0
    Y = nb["one_hot"](y, 3)
    grads = nb["mlp_backward"](X, Y, params, nb["mlp_forward"](X, params)[1])

    def loss():
        return nb["cross_entropy"](nb["mlp_forward"](X, params)[0], Y)

    for layer, grad in zip(params, grads):
        for key in ("W", "b"):
            assert nb["relative_error"](_numerical(loss, layer[key]), grad[key]) < 1e-6, key


def test_backward_goes_through_any_inverted_dropout():
    nb = provided_06()
    rng = np.random.default_rng(3)
    X, y = rng.normal(size=(6, 3)), rng.integers(0, 3, size=6)

    def fixed_dropout(A, rate, rng, training):  # a fixed mask, so the loss is a function
        mask = np.random.default_rng(5).random(A.shape) >= rate
        return A * mask / (1 - rate) if training else A

    params = nb["init_params"]([3, 6, 3], 2)
    Y = nb["one_hot"](y, 3)
    _, cache = nb["mlp_forward"](X, params, fixed_dropout, 0.5)
    grads = nb["mlp_backward"](X, Y, params, cache)

    def loss():
        return nb["cross_entropy"](nb["mlp_forward"](X, params, fixed_dropout, 0.5)[0], Y)

    numerical = _numerical(loss, params[0]["W"])
    np.testing.assert_allclose(grads[0]["W"], numerical, rtol=1e-5, atol=1e-9)


def test_training_learns_digits_and_is_deterministic():
    from sklearn.datasets import load_digits

    nb = provided_06()
    digits = load_digits()
    X, y = digits.data / 16, digits.target

    def run():
        params = nb["init_params"]([64, 32, 10], 0)
        rng = np.random.default_rng(1)
        losses = [nb["train_epoch"](X, y, params, 0.1, 32, rng) for _ in range(5)]
        return losses, nb["evaluate"](X, y, params)

    losses, (loss, accuracy) = run()
    assert losses[-1] < losses[0] and accuracy > 0.9
    assert run() == (losses, (loss, accuracy))


def test_penalty_gradient_hook_shrinks_weights():
    nb = provided_06()
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(40, 2)), rng.integers(0, 2, size=40)

    def l2_gradient(params, lam):
        return [{"W": 2 * lam * p["W"], "b": np.zeros_like(p["b"])} for p in params]

    plain, shrunk = nb["init_params"]([2, 16, 2], 0), nb["init_params"]([2, 16, 2], 0)
    for epoch in range(30):
        nb["train_epoch"](X, y, plain, 0.1, 8, np.random.default_rng(epoch))
        nb["train_epoch"](X, y, shrunk, 0.1, 8, np.random.default_rng(epoch),
                          penalty_gradient=l2_gradient, lam=0.05)
    norm = [sum(np.sum(p["W"] ** 2) for p in ps) for ps in (plain, shrunk)]
    assert norm[1] < norm[0]
