"""Figures and data of notebook 03: course.perceptron_plots."""

import subprocess
import sys
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402

from course import perceptron_plots as pp  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures_and_fail_on_warnings():
    """Warnings would reach stderr in a notebook (and zero a test cell at grading time)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield
    plt.close("all")


def _labelled(ax: Axes) -> bool:
    return bool(ax.get_xlabel() and ax.get_ylabel() and ax.get_title())


# --- data -------------------------------------------------------------------------------------

def test_iris_petals_are_the_150_flowers_of_three_species():
    X, y = pp.load_iris_petals()
    assert X.shape == (150, 2) and X.dtype == np.float64
    assert y.shape == (150,) and y.dtype == np.int64
    assert np.bincount(y).tolist() == [50, 50, 50]
    assert X[0].tolist() == [1.4, 0.2]  # the first setosa's petal length and width (cm)
    assert X[y == 0, 0].max() < X[y != 0, 0].min()  # setosa: shorter petals, separable


def test_iris_loader_says_how_to_install_scikit_learn(monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn.datasets", None)  # import fails
    with pytest.raises(ImportError, match="pip install scikit-learn"):
        pp.load_iris_petals()


def test_importing_the_module_does_not_import_scikit_learn():
    code = "import sys, course.perceptron_plots; print('sklearn' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "False"


# --- the network diagram --------------------------------------------------------------------

@pytest.mark.parametrize("n_inputs, n_neurons", [(2, 3), (1, 1), (5, 2), (8, 8)])
def test_network_diagram_draws_every_connection(n_inputs, n_neurons):
    ax = pp.plot_network(n_inputs, n_neurons)
    assert isinstance(ax, Axes) and _labelled(ax)
    assert len(ax.lines) == (n_inputs + 1) * n_neurons  # inputs and bias to every TLU
    texts = [t.get_text() for t in ax.texts]
    assert "1" in texts and any("bias neuron" in t for t in texts)
    assert any("dense layer" in t for t in texts)


def test_network_diagram_uses_given_labels_and_checks_arguments():
    ax = pp.plot_network(2, 3, output_labels=["setosa", "versicolor", "virginica"])
    assert "versicolor" in [t.get_text() for t in ax.texts]
    with pytest.raises(ValueError, match="output_labels must be a list of 3"):
        pp.plot_network(2, 3, output_labels=["a", "b"])
    with pytest.raises(ValueError, match="n_neurons"):
        pp.plot_network(2, 0)
    with pytest.raises(TypeError, match="n_inputs must be an integer"):
        pp.plot_network(2.5, 3)


# --- mistakes per epoch ---------------------------------------------------------------------

def test_mistakes_plot_of_one_run():
    ax = pp.plot_mistakes(np.array([4, 1, 0, 0]))
    assert _labelled(ax) and ax.get_xlabel() == "epoch"
    (line,) = ax.get_lines()[:1]
    assert line.get_xdata().tolist() == [1, 2, 3, 4]
    assert line.get_ydata().tolist() == [4, 1, 0, 0]
    assert ax.get_legend() is None


def test_mistakes_plot_of_several_runs_has_a_legend():
    ax = pp.plot_mistakes({"AND": [2, 1, 0], "XOR": [3, 3, 2, 4]}, title="gates", log=True)
    assert ax.get_title() == "gates"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["AND", "XOR"]


@pytest.mark.parametrize("bad, message", [
    ([], "empty"), ([1, -1], "non-negative"), ([[1, 2]], "1-D"), ({}, "at least one run"),
    ({"a": [1, np.nan]}, "mistakes\\['a'\\]"),
])
def test_mistakes_plot_rejects_bad_counts(bad, message):
    with pytest.raises((ValueError, TypeError), match=message):
        pp.plot_mistakes(bad)


# --- decision regions -----------------------------------------------------------------------

def test_regions_of_a_single_tlu_report_its_accuracy():
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    ax = pp.plot_decision_regions(np.array([1.0, 1.0]), -1.5, X, [0, 0, 0, 1])
    assert _labelled(ax) and "100%" in ax.get_title()
    ax = pp.plot_decision_regions(np.array([[1.0], [1.0]]), np.array([-0.5]), X, [0, 0, 0, 1])
    assert "50%" in ax.get_title()  # OR's line on AND's labels: (0, 1) and (1, 0) wrong


@pytest.mark.parametrize("rule", ["fire", "argmax"])
def test_regions_of_a_layer_with_one_tlu_per_class(rule):
    X, y = pp.load_iris_petals()
    W = np.array([[-1.0, 0.0, 1.0], [0.0, 0.0, 2.0]])
    b = np.array([2.5, 0.0, -8.0])
    ax = pp.plot_decision_regions(W, b, X, y, rule=rule, class_names=pp.IRIS_CLASSES,
                                  feature_names=pp.IRIS_FEATURES)
    assert ax.get_xlabel() == "petal length (cm)" and "training accuracy" in ax.get_title()
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "setosa" in legend and any("boundary of unit 3" in t for t in legend)
    assert ("several units fire" in legend) == (rule == "fire")


def test_regions_use_the_given_step():
    X = np.array([[0.0, 0.0], [1.0, 1.0]])

    def never_fires(z):
        return np.zeros_like(z)

    ax = pp.plot_decision_regions([1.0, 1.0], -1.0, X, [0, 1], step=never_fires)
    assert "50%" in ax.get_title()


@pytest.mark.parametrize("W, b, X, y, message", [
    (np.ones((3, 2)), np.zeros(2), np.ones((4, 2)), np.zeros(4), "W must have shape"),
    (np.ones((2, 3)), np.zeros(2), np.ones((4, 2)), np.zeros(4), "b must hold one bias"),
    (np.ones(2), 0.0, np.ones((4, 3)), np.zeros(4), "X must have shape"),
    (np.ones(2), 0.0, np.ones((4, 2)), np.zeros(3), "y must hold one label"),
    (np.ones((2, 3)), np.zeros(3), np.ones((4, 2)), np.array([0, 1, 2, 3]), "one per class"),
    (np.ones(2), 0.0, np.ones((2, 2)), np.array([0.5, 1]), "class labels"),
])
def test_regions_reject_bad_shapes_naming_the_argument(W, b, X, y, message):
    with pytest.raises(ValueError, match=message):
        pp.plot_decision_regions(W, b, X, y)


def test_regions_check_step_and_rule():
    X = np.ones((2, 2))
    with pytest.raises(ValueError, match="rule must be"):
        pp.plot_decision_regions([1.0, 1.0], 0.0, X, [0, 1], rule="vote")
    with pytest.raises(TypeError, match="step must be a function"):
        pp.plot_decision_regions([1.0, 1.0], 0.0, X, [0, 1], step="heaviside")
    with pytest.raises(ValueError, match="step must return one value per unit"):
        pp.plot_decision_regions([1.0, 1.0], 0.0, X, [0, 1], step=lambda z: z.sum())
