"""Figures of notebook 04: course.mlp_plots."""

import subprocess
import sys
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402

from course import mlp_plots as mp  # noqa: E402

XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_Y = np.array([0, 1, 1, 0])
# Goodfellow et al.'s XOR network (section 6.1), output through a steep sigmoid
XOR_PARAMS = [
    {"W": np.array([[1.0, 1.0], [1.0, 1.0]]), "b": np.array([0.0, -1.0]), "activation": "relu"},
    {"W": np.array([[10.0], [-20.0]]), "b": np.array([-5.0]), "activation": "sigmoid"},
]


def _forward(X, params):
    """A tiny forward pass for the tests (relu hidden layer, sigmoid output)."""
    H = np.maximum(X @ params[0]["W"] + params[0]["b"], 0.0)
    return 1.0 / (1.0 + np.exp(-(H @ params[1]["W"] + params[1]["b"])))


@pytest.fixture(autouse=True)
def _close_figures_and_fail_on_warnings():
    """Warnings would reach stderr in a notebook (and zero a test cell at grading time)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield
    plt.close("all")


def _labelled(ax: Axes) -> bool:
    return bool(ax.get_xlabel() and ax.get_ylabel() and ax.get_title())


def _network(sizes, activations, seed=0):
    rng = np.random.default_rng(seed)
    return [{"W": rng.normal(size=(a, b)), "b": rng.normal(size=b), "activation": name}
            for a, b, name in zip(sizes[:-1], sizes[1:], activations)]


# --- the params structure -------------------------------------------------------------------

def test_check_params_converts_and_leaves_the_input_alone():
    params = [{"W": [[1, 2], [3, 4]], "b": [0, 1], "activation": "relu"},
              {"W": np.ones((2, 1)), "b": np.zeros(1), "activation": "sigmoid"}]
    layers = mp.check_params(params)
    assert layers[0]["W"].dtype == np.float64 and layers[0]["b"].shape == (2,)
    assert params[0]["W"] == [[1, 2], [3, 4]]  # not modified
    assert mp.count_parameters(_network([3, 4, 4, 2], ["relu", "relu", "softmax"])) == 46


@pytest.mark.parametrize("params, error, message", [
    ({"W": np.eye(2)}, TypeError, "must be a non-empty list of layers"),
    ([], TypeError, "must be a non-empty list of layers"),
    ([{"W": np.eye(2), "b": np.zeros(2)}], TypeError, r"params\[0\] must be a dict with keys"),
    ([{"W": np.eye(2), "b": np.zeros(3), "activation": "relu"}], ValueError,
     r"params\[0\]\['b'\] must hold one bias per neuron \(column of W, 2\), got shape \(3,\)"),
    ([{"W": np.eye(2), "b": np.zeros(2), "activation": "relu"},
      {"W": np.ones((3, 1)), "b": np.zeros(1), "activation": "sigmoid"}], ValueError,
     r"params\[1\]\['W'\] must have one row per neuron of the layer below \(2\)"),
    ([{"W": np.eye(2), "b": np.zeros(2), "activation": "step"}], ValueError,
     "must be one of linear, sigmoid, tanh, relu, softmax, got 'step'"),
    ([{"W": np.eye(2), "b": np.zeros(2), "activation": "softmax"},
      {"W": np.ones((2, 1)), "b": np.zeros(1), "activation": "sigmoid"}], ValueError,
     "softmax belongs on the output layer only"),
    ([{"W": np.zeros(2), "b": np.zeros(2), "activation": "relu"}], ValueError,
     r"params\[0\]\['W'\] must be 2-D"),
])
def test_check_params_names_what_is_wrong(params, error, message):
    with pytest.raises(error, match=message):
        mp.check_params(params)


# --- activation functions -------------------------------------------------------------------

def test_activations_are_drawn_from_the_given_functions():
    axes = mp.plot_activations({"tanh": (np.tanh, lambda z: 1 - np.tanh(z) ** 2),
                                "relu": (lambda z: np.maximum(z, 0), None)})
    assert len(axes) == 2 and all(_labelled(ax) for ax in axes)
    curves = [line for line in axes[0].lines if len(line.get_xdata()) > 2]
    assert len(curves) == 2  # the function and its derivative
    z, values = curves[0].get_xdata(), curves[0].get_ydata()
    assert z[0] == -4.5 and z[-1] == 4.5
    np.testing.assert_allclose(values, np.tanh(z))
    np.testing.assert_allclose(curves[1].get_ydata(), 1 - np.tanh(z) ** 2)
    assert len([line for line in axes[1].lines if len(line.get_xdata()) > 2]) == 1
    assert [t.get_text() for t in axes[0].get_legend().get_texts()] == ["tanh($z$)",
                                                                        "tanh$'(z)$"]


def test_activations_figure_rejects_bad_input():
    with pytest.raises(TypeError, match="must be a non-empty dict"):
        mp.plot_activations({})
    with pytest.raises(TypeError, match=r"functions\['f'\] must be a function or a pair"):
        mp.plot_activations({"f": 3})
    with pytest.raises(ValueError, match="must return one value per z"):
        mp.plot_activations({"sum": np.sum})
    with pytest.raises(ValueError, match="z_range must be two numbers"):
        mp.plot_activations({"tanh": np.tanh}, z_range=(1, -1))
    _, axes = plt.subplots(1, 2)
    with pytest.raises(TypeError, match="axes must be None or 1 Axes"):
        mp.plot_activations({"tanh": np.tanh}, axes=axes)


# --- the network diagram --------------------------------------------------------------------

@pytest.mark.parametrize("sizes, activations", [
    ([3, 4, 4, 2], ["relu", "relu", "softmax"]),
    ([2, 2, 1], ["sigmoid", "sigmoid"]),
    ([5, 1], ["linear"]),
    ([12, 12, 12], ["tanh", "softmax"]),
])
def test_network_diagram_draws_every_connection_and_bias_unit(sizes, activations):
    ax = mp.plot_network(_network(sizes, activations))
    assert isinstance(ax, Axes) and _labelled(ax)
    connections = sum((n_in + 1) * n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))
    assert len(ax.lines) == connections
    dashed = [line for line in ax.lines if line.get_linestyle() == "--"]
    assert len(dashed) == sum(sizes[1:])  # one bias connection per neuron
    texts = [t.get_text() for t in ax.texts]
    assert texts.count("1") == len(sizes) - 1  # a bias unit in every layer but the output
    assert "input layer" in texts and "output layer" in texts
    assert sum(t.startswith("hidden layer") for t in texts) == len(sizes) - 2
    assert f"{sizes[-1]} × {activations[-1]}" in texts
    n_parameters = sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))
    assert f"{n_parameters} parameters" in ax.get_title()


def test_network_diagram_shows_weights_by_width_and_colour():
    params = [{"W": np.array([[3.0, -3.0], [0.1, 0.0]]), "b": np.array([0.5, -0.5]),
               "activation": "relu"},
              {"W": np.array([[1.0], [-1.0]]), "b": np.array([0.0]), "activation": "linear"}]
    ax = mp.plot_network(params)
    widths = [line.get_linewidth() for line in ax.lines]
    first = ax.lines[:6]  # input 1 -> both, input 2 -> both, bias -> both
    assert first[0].get_linewidth() == max(widths) == first[1].get_linewidth()
    assert first[3].get_linewidth() == min(widths)  # a weight of 0: the thinnest
    positive, negative = first[0].get_color(), first[1].get_color()
    assert positive[2] > positive[0] and negative[0] > negative[2]  # blue vs red


def test_network_diagram_rejects_what_does_not_fit():
    with pytest.raises(ValueError, match="layers of at most 12 neurons"):
        mp.plot_network(_network([13, 2], ["softmax"]))
    with pytest.raises(ValueError, match="output_labels must be a list of 2 strings"):
        mp.plot_network(_network([3, 2], ["softmax"]), output_labels=["a"])
    with pytest.raises(TypeError, match="must be a non-empty list of layers"):
        mp.plot_network("not a network")


# --- decision regions and hidden space ------------------------------------------------------

def test_decision_regions_of_a_xor_network():
    ax = mp.plot_decision_regions(lambda P: _forward(P, XOR_PARAMS), XOR_X, XOR_Y,
                                  hidden=(XOR_PARAMS[0]["W"], XOR_PARAMS[0]["b"]),
                                  limits=(-0.5, 1.5), resolution=60)
    assert _labelled(ax) and "accuracy 100% (4 of 4)" in ax.get_title()
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "decision boundary (output 0.5)" in labels
    assert sum(label.startswith("hidden unit") for label in labels) == 2
    assert ax.get_xlim() == (-0.5, 1.5)


def test_decision_regions_circle_mistakes_and_work_without_points():
    def always_one(P):
        return np.ones(len(P))

    ax = mp.plot_decision_regions(always_one, XOR_X, XOR_Y, resolution=20)
    assert "accuracy 50% (2 of 4)" in ax.get_title()
    assert "misclassified" in [t.get_text() for t in ax.get_legend().get_texts()]
    ax = mp.plot_decision_regions(lambda P: _forward(P, XOR_PARAMS), limits=(-3, 3),
                                  resolution=20, colorbar=False, legend=False, title="none")
    assert ax.get_title() == "none" and ax.get_legend() is None


def test_decision_regions_reject_bad_input():
    with pytest.raises(TypeError, match="predict must be a function"):
        mp.plot_decision_regions(np.ones(3), XOR_X, XOR_Y)
    with pytest.raises(ValueError, match="predict must return one output per point"):
        mp.plot_decision_regions(lambda P: np.ones((len(P), 2)), XOR_X, XOR_Y, resolution=10)
    with pytest.raises(ValueError, match="give limits"):
        mp.plot_decision_regions(lambda P: P[:, 0])
    with pytest.raises(ValueError, match="X must have shape"):
        mp.plot_decision_regions(lambda P: P[:, 0], np.ones((4, 3)), XOR_Y)
    with pytest.raises(ValueError, match="y must hold one label 0 or 1"):
        mp.plot_decision_regions(lambda P: P[:, 0], XOR_X, np.array([0, 1, 2, 0]))


def test_hidden_space_shows_xor_made_separable():
    H = np.maximum(XOR_X @ XOR_PARAMS[0]["W"] + XOR_PARAMS[0]["b"], 0.0)
    ax = mp.plot_hidden_space(H, XOR_Y, w=XOR_PARAMS[1]["W"], b=XOR_PARAMS[1]["b"],
                              point_labels=["00", "01", "10", "11"])
    assert _labelled(ax)
    assert {"00", "01", "10", "11"} <= {t.get_text() for t in ax.texts}
    assert any("output unit" in t.get_text() for t in ax.get_legend().get_texts())
    # (0, 1) and (1, 0) map to the same hidden point: their labels are stacked, not overlaid
    offsets = {t.get_text(): t.xyann for t in ax.texts}
    assert offsets["01"] != offsets["10"]
    with pytest.raises(ValueError, match="give both w and b"):
        mp.plot_hidden_space(H, XOR_Y, w=np.ones(2))
    with pytest.raises(ValueError, match="point_labels must be a list of 4 strings"):
        mp.plot_hidden_space(H, XOR_Y, point_labels=["a"])


def test_importing_the_module_does_not_import_scikit_learn():
    code = "import sys, course.mlp_plots; print('sklearn' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "False"
