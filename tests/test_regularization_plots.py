"""Data, tables and figures of notebook 06: course.regularization_plots."""

import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402

from autograder.reference import regularization as ref  # noqa: E402
from course import regularization_plots as rp  # noqa: E402


def provided_06() -> dict:
    """Notebook 06's read-only cell from_notebook_05 (its network), run as the notebook runs it."""
    import nbformat

    path = (Path(__file__).resolve().parents[1]
            / "solutions/06_regularization/06_regularization.ipynb")
    cell = next(c for c in nbformat.read(path, as_version=4).cells
                if c.metadata.get("nbgrader", {}).get("grade_id") == "from_notebook_05")
    namespace = {"np": np}
    exec(cell.source, namespace)
    return namespace


@pytest.fixture(autouse=True)
def _close_figures_and_fail_on_warnings():
    """Warnings would reach stderr in a notebook (and zero a test cell at grading time)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield
    plt.close("all")


def _labelled(ax: Axes) -> bool:
    return bool(ax.get_xlabel() and ax.get_ylabel() and ax.get_title())


def _history(n=12, best=None, stopped=None):
    epochs = np.arange(n)
    history = {"train_loss": list(1.0 / (epochs + 1)), "val_loss": list(0.5 + (epochs - 4) ** 2
                                                                         / 50),
               "val_accuracy": list(np.linspace(0.5, 0.8, n))}
    if best is not None:
        history["best_epoch"] = best
    if stopped is not None:
        history["stopped_epoch"] = stopped
    return history


# --- data ---------------------------------------------------------------------------------------

def test_noisy_moons_shapes_classes_and_determinism():
    X, y = rp.make_noisy_moons(241, noise=0.2, n_noise_features=8, seed=3)
    assert X.shape == (241, 10) and X.dtype == np.float64
    assert y.shape == (241,) and y.dtype == np.int64
    assert np.bincount(y).tolist() == [120, 121]
    X2, y2 = rp.make_noisy_moons(241, noise=0.2, n_noise_features=8, seed=3)
    assert np.array_equal(X, X2) and np.array_equal(y, y2)
    assert not np.array_equal(X, rp.make_noisy_moons(241, seed=4)[0])


def test_noisy_moons_without_noise_lie_on_the_two_half_circles():
    X, y = rp.make_noisy_moons(200, noise=0.0, n_noise_features=0, seed=0)
    assert X.shape == (200, 2)
    upper = X[y == 0]
    lower = X[y == 1] - np.array([1.0, 0.5])
    np.testing.assert_allclose(np.hypot(upper[:, 0], upper[:, 1]), 1.0)
    np.testing.assert_allclose(np.hypot(lower[:, 0], lower[:, 1]), 1.0)
    assert np.all(upper[:, 1] >= 0) and np.all(lower[:, 1] <= 1e-12)


def test_noise_features_carry_no_signal_and_moons_do():
    X, y = rp.make_noisy_moons(4000, seed=1)
    noise_corr = [abs(np.corrcoef(X[:, j], y)[0, 1]) for j in range(2, 10)]
    assert max(noise_corr) < 0.06
    assert abs(np.corrcoef(X[:, 1], y)[0, 1]) > 0.5


@pytest.mark.parametrize("kwargs, error, message", [
    ({"n": 1}, ValueError, "n must be at least 2"),
    ({"n": 10.0}, TypeError, "n must be an integer"),
    ({"n": 10, "noise": -0.1}, ValueError, "noise must be a number >= 0"),
    ({"n": 10, "n_noise_features": -1}, ValueError, "n_noise_features must be at least 0"),
])
def test_noisy_moons_reject_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        rp.make_noisy_moons(**kwargs)


def test_a_large_network_overfits_the_notebook_data_and_l2_helps():
    """The notebook's story in miniature: the validation loss rises, the L2 run's does not."""
    X, y = rp.make_noisy_moons(240, seed=0)
    X_train, y_train, X_val, y_val = X[:40], y[:40], X[40:], y[40:]

    nb = provided_06()  # notebook 06 trains with its read-only cell from notebook 05

    def run(**hooks):
        params = nb["init_params"]([10, 32, 32, 2], 0)
        rng = np.random.default_rng(1)
        losses = []
        for _ in range(120):
            nb["train_epoch"](X_train, y_train, params, 0.1, 32, rng, **hooks)
            losses.append(nb["evaluate"](X_val, y_val, params)[0])
        return np.array(losses)

    plain = run()
    assert plain[-1] > 1.4 * plain.min()  # overfitting: far above its minimum
    l2 = run(penalty_gradient=ref.l2_gradient, lam=0.03)
    assert l2[-1] < 0.8 * plain[-1]


# --- tables -------------------------------------------------------------------------------------

def test_format_table_aligns_columns_and_formats_values():
    text = rp.format_table({"none": {"epochs": 300, "val acc": 0.74, "note": None},
                            "L2": {"epochs": 31, "val acc": 0.8123, "note": "ok"}},
                           first="run")
    lines = text.splitlines()
    assert lines[0].split() == ["run", "epochs", "val", "acc", "note"]
    assert set(lines[1]) <= {"-", " "}
    assert lines[2].split() == ["none", "300", "0.740", "-"]
    assert lines[3].split() == ["L2", "31", "0.812", "ok"]
    assert len({len(line) for line in lines[:2]}) == 1


def test_format_table_rejects_bad_rows():
    with pytest.raises(TypeError, match="rows must be a non-empty dict"):
        rp.format_table({})
    with pytest.raises(TypeError, match=r"rows\['b'\] must be a dict"):
        rp.format_table({"a": {"x": 1}, "b": [1]})


# --- curves -------------------------------------------------------------------------------------

def test_history_plot_marks_best_and_stopped_epochs():
    ax = rp.plot_history(_history(12, best=4, stopped=10), title="ES")
    assert _labelled(ax) and ax.get_title() == "ES"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[:2] == ["training loss", "validation loss"]
    assert "best epoch 4: validation loss 0.500" in labels
    assert "stopped at epoch 10" in labels
    train_line = ax.get_lines()[0]
    assert train_line.get_xdata().tolist() == list(range(12))  # epochs counted from 0


def test_history_plot_without_marks_and_with_bad_marks():
    ax = rp.plot_history({"val_loss": [1.0, 0.5]})
    assert len(ax.get_legend().get_texts()) == 1
    with pytest.raises(ValueError, match="past the last recorded epoch"):
        rp.plot_history(_history(5, best=7))
    with pytest.raises(ValueError, match="must hold 'train_loss' or 'val_loss'"):
        rp.plot_history({"val_accuracy": [0.5]})
    with pytest.raises(TypeError, match="history must be a dict"):
        rp.plot_history([1.0, 0.5])


def test_curves_of_several_runs_share_axes_and_mark_best_epochs():
    fig, ax = plt.subplots()
    out = rp.plot_curves({"none": _history(10), "early stopping": _history(6, best=2)},
                         key="val_accuracy", ax=ax)
    assert out is ax and _labelled(ax) and ax.get_ylabel() == "validation accuracy"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["none", "early stopping"]
    assert len(ax.get_lines()) == 3  # two curves and one best-epoch dot
    ax = rp.plot_curves({"a": {"sum_sq": [3.0, 2.0]}}, key="sum_sq")
    assert ax.get_ylabel() == "sum of squared weights"
    with pytest.raises(ValueError, match="per-epoch list 'val_loss'"):
        rp.plot_curves({"a": {"train_loss": [1.0]}})


# --- weights ------------------------------------------------------------------------------------

def _params(scale, seed=0):
    return [{k: (v * scale if k == "W" else v) for k, v in layer.items()}
            for layer in provided_06()["init_params"]([10, 6, 2], seed)]


def test_weight_histograms_one_panel_per_network_with_sparsity_in_titles():
    sparse = _params(1.0)
    sparse[0]["W"][:, :4] = 0.0
    axes = rp.plot_weight_histograms({"dense": _params(1.0), "sparse": sparse})
    assert len(axes) == 2 and all(ax.get_xlabel() == "weight value" for ax in axes)
    assert axes[0].get_ylabel().startswith("number of weights")
    n_weights = 10 * 6 + 6 * 2
    weights = np.concatenate([layer["W"].ravel() for layer in sparse])
    assert np.mean(np.abs(weights) < 0.01) >= 40 / n_weights  # the 40 zeros, maybe one more
    assert f"|w| < 0.01: {np.mean(np.abs(weights) < 0.01):.0%}" in axes[1].get_title()
    counts = sum(patch.get_height() for patch in axes[1].patches)
    assert counts == n_weights  # every weight counted once (clipped ones in the end bins)


def test_weight_histograms_check_their_arguments():
    with pytest.raises(TypeError, match="params_by_name must be a non-empty dict"):
        rp.plot_weight_histograms({})
    with pytest.raises(TypeError, match=r"params\['x'\]\[0\] must be a dict"):
        rp.plot_weight_histograms({"x": [np.zeros((2, 2))]})
    fig, ax = plt.subplots()
    with pytest.raises(TypeError, match="axes must be None or 2 Axes"):
        rp.plot_weight_histograms({"a": _params(1.0), "b": _params(2.0)}, axes=ax)


def test_input_weights_show_the_largest_weight_of_each_input():
    params = _params(1.0)
    params[0]["W"][5] = 0.0  # input x6 ignored
    ax = rp.plot_input_weights({"net": params, "half": _params(0.5)})
    assert _labelled(ax)
    bars = ax.patches[:10]
    np.testing.assert_allclose([b.get_height() for b in bars],
                               np.abs(params[0]["W"]).max(axis=1))
    assert bars[5].get_height() == 0.0
    assert [t.get_text() for t in ax.get_xticklabels()][0] == "$x_{1}$"
    with pytest.raises(ValueError, match="same number of inputs"):
        rp.plot_input_weights({"a": _params(1.0),
                               "b": provided_06()["init_params"]([3, 2], 0)})


# --- dropout ------------------------------------------------------------------------------------

def test_dropout_expectation_figure_with_the_reference():
    left, right = rp.plot_dropout_expectation(ref.dropout, rates=(0.0, 0.5, 0.8))
    assert _labelled(left) and _labelled(right)
    mean_points = left.collections[-1].get_offsets()
    np.testing.assert_allclose(mean_points[:, 1], mean_points[:, 0], rtol=0.15)
    lines = {line.get_label(): line for line in right.get_lines()}
    np.testing.assert_allclose(lines["fraction of units dropped"].get_ydata(), [0.0, 0.5, 0.8],
                               atol=0.02)
    np.testing.assert_allclose(lines["mean out / mean in, training"].get_ydata(), 1.0,
                               atol=0.04)  # 80,000 units: standard error < 0.01
    np.testing.assert_array_equal(lines["mean out / mean in, inference"].get_ydata(), 1.0)


def test_dropout_expectation_shows_a_missing_rescaling():
    def unscaled(A, rate, rng, training):
        return A * (rng.random(A.shape) >= rate) if training else A

    _, right = rp.plot_dropout_expectation(unscaled, n_draws=300, rates=(0.2, 0.6))
    lines = {line.get_label(): line for line in right.get_lines()}
    np.testing.assert_allclose(lines["mean out / mean in, training"].get_ydata(), [0.8, 0.4],
                               atol=0.03)


def test_dropout_expectation_checks_the_function():
    with pytest.raises(TypeError, match="dropout must be a function"):
        rp.plot_dropout_expectation("dropout")
    with pytest.raises(ValueError, match="same shape as A"):
        rp.plot_dropout_expectation(lambda A, rate, rng, training: A[0], n_draws=5)
