"""course.network: the course's own NumPy network (playground, regularization experiments)."""

import numpy as np
import pytest

from course import network


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


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "linear"])
@pytest.mark.parametrize("output, k", [("softmax", 3), ("sigmoid", 1)])
def test_backward_matches_centred_differences(activation, output, k):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(7, 3))
    y = rng.integers(0, max(k, 2), size=7)
    params = network.init_params([3, 5, 4, k], activation=activation, output=output, rng=1)
    Y = network._targets(y, params)
    grads = network.backward(Y, params, network.forward(X, params)[1])

    def loss():
        return network._loss(network.forward(X, params)[0], Y)

    for layer, grad in zip(params, grads):
        for key in ("W", "b"):
            numerical = _numerical(loss, layer[key])
            error = np.abs(numerical - grad[key]).max() / max(np.abs(numerical).max(), 1e-12)
            assert error < 1e-6, (activation, output, key, error)


def test_backward_goes_through_any_inverted_dropout():
    rng = np.random.default_rng(3)
    X, y = rng.normal(size=(6, 3)), rng.integers(0, 3, size=6)

    def fixed_dropout(A, rate, rng, training):  # a fixed mask, so the loss is a function
        mask = np.random.default_rng(5).random(A.shape) >= rate
        return A * mask / (1 - rate) if training else A

    params = network.init_params([3, 6, 3], activation="tanh", rng=2)
    Y = network.one_hot(y, 3)
    _, cache = network.forward(X, params, dropout=fixed_dropout, rate=0.5, training=True)
    grads = network.backward(Y, params, cache)

    def loss():
        P = network.forward(X, params, dropout=fixed_dropout, rate=0.5, training=True)[0]
        return network.cross_entropy(P, Y)

    numerical = _numerical(loss, params[0]["W"])
    np.testing.assert_allclose(grads[0]["W"], numerical, rtol=1e-5, atol=1e-9)


def test_training_learns_digits_and_is_deterministic():
    from sklearn.datasets import load_digits

    digits = load_digits()
    X, y = digits.data / 16, digits.target

    def run():
        params = network.init_params([64, 32, 10], rng=0)
        rng = np.random.default_rng(1)
        losses = [network.train_epoch(X, y, params, 0.1, 32, rng) for _ in range(5)]
        return losses, network.evaluate(X, y, params)

    losses, (loss, accuracy) = run()
    assert losses[-1] < losses[0] and accuracy > 0.9
    assert run() == (losses, (loss, accuracy))


def test_penalty_gradient_hook_shrinks_weights():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(40, 2)), rng.integers(0, 2, size=40)

    def l2_gradient(params, lam):
        return [{"W": 2 * lam * p["W"], "b": np.zeros_like(p["b"])} for p in params]

    plain = network.init_params([2, 16, 2], rng=0)
    shrunk = network.copy_params(plain)
    for epoch in range(30):
        network.train_epoch(X, y, plain, 0.1, 8, epoch)
        network.train_epoch(X, y, shrunk, 0.1, 8, epoch, penalty_gradient=l2_gradient, lam=0.05)
    norm = [sum(np.sum(p["W"] ** 2) for p in ps) for ps in (plain, shrunk)]
    assert norm[1] < norm[0]


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="activation"):
        network.init_params([2, 3, 2], activation="swish")
    with pytest.raises(ValueError, match="softmax"):
        network.init_params([2, 3, 2], activation="softmax")
    with pytest.raises(ValueError, match="layer_sizes"):
        network.init_params([2])
    with pytest.raises(ValueError, match="y"):
        network.one_hot(np.array([0.5, 1.0]))


def test_sigmoid_output_predicts_binary_labels():
    params = network.init_params([2, 4, 1], output="sigmoid", rng=0)
    X = np.random.default_rng(0).normal(size=(5, 2))
    assert set(network.predict(X, params)) <= {0, 1}
    assert network.predict_proba(X, params).shape == (5, 1)
