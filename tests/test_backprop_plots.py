"""course.backprop_plots: the figures of notebook 05."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from course import backprop_plots as bp


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_gradient_check_bars_on_a_log_axis_with_the_thresholds():
    ax = bp.plot_gradient_check({"W1": 3e-10, "b1": 0.0, "W2": 2e-3})
    assert ax.get_xscale() == "log"
    labels = {round(tick): label.get_text()
              for tick, label in zip(ax.get_yticks(), ax.get_yticklabels())}
    assert labels == {2: "W1", 1: "b1", 0: "W2"}  # the first parameter on top
    widths = sorted(patch.get_width() for patch in ax.patches)
    assert widths[0] == pytest.approx(1e-18) and widths[-1] == pytest.approx(2e-3)
    assert sorted(line.get_xdata()[0] for line in ax.get_lines()) == [1e-7, 1e-4, 1e-2]
    by_width = sorted((patch.get_width(), patch.get_facecolor()[:3]) for patch in ax.patches)
    assert by_width[-1][1] != by_width[1][1]  # 2e-3 in red, 3e-10 in green
    assert ax.get_xlabel().startswith("relative error") and ax.get_ylabel() == "parameter"
    assert bp.plot_gradient_check([("W", 1e-9)]).get_title().startswith("Gradient check")


def test_gradient_check_refuses_bad_errors():
    with pytest.raises(TypeError, match="errors must be a non-empty dict"):
        bp.plot_gradient_check({})
    with pytest.raises(ValueError, match="finite and >= 0"):
        bp.plot_gradient_check({"W": -1.0})


def test_history_draws_loss_and_accuracy_per_epoch():
    history = {"loss": [1.0, 0.5, 0.25], "accuracy": [0.5, 0.75, 1.0]}
    loss_ax, accuracy_ax = bp.plot_history(history)
    assert np.array_equal(loss_ax.get_lines()[0].get_xdata(), [1, 2, 3])
    assert np.array_equal(loss_ax.get_lines()[0].get_ydata(), [1.0, 0.5, 0.25])
    assert np.array_equal(accuracy_ax.get_lines()[0].get_ydata(), [50, 75, 100])
    assert loss_ax.get_xlabel() == accuracy_ax.get_xlabel() == "epoch"
    assert "loss" in loss_ax.get_ylabel() and "accuracy" in accuracy_ax.get_ylabel()
    axes = bp.plot_history({"a": history, "b": {"loss": [2.0], "accuracy": [0.1]}},
                           title="two runs")
    assert [line.get_label() for line in axes[0].get_lines()] == ["a", "b"]
    assert axes[0].figure.get_suptitle() == "two runs"


def test_history_refuses_mismatched_lists():
    with pytest.raises(ValueError, match="one value per epoch"):
        bp.plot_history({"loss": [1.0, 0.5], "accuracy": [0.5]})
    with pytest.raises(TypeError, match="history dict"):
        bp.plot_history([1.0, 0.5])
    with pytest.raises(TypeError, match="two matplotlib Axes"):
        bp.plot_history({"loss": [1.0], "accuracy": [1.0]}, axes=[plt.gca()])


def test_decision_regions_from_labels_or_probabilities():
    X = np.array([[-1.0, 0.0], [1.0, 0.0], [2.0, 1.0], [-2.0, 1.0]])
    y = np.array([0, 1, 1, 0])

    def probabilities(points):  # class 1 right of x1 = 0
        p = (points[:, 0] > 0).astype(float)
        return np.column_stack([1 - p, p])

    ax = bp.plot_decision_regions(probabilities, X, y, resolution=20)
    assert "100.0%" in ax.get_title()
    assert ax.get_xlabel() == "$x_1$" and ax.get_ylabel() == "$x_2$"
    assert len(ax.collections) >= 3  # the regions and one scatter per class
    ax = bp.plot_decision_regions(lambda points: np.zeros(len(points), int), X, y,
                                  resolution=20)
    assert "50.0%" in ax.get_title()
    with pytest.raises(ValueError, match=r"X must have shape \(n, 2\)"):
        bp.plot_decision_regions(probabilities, np.zeros((4, 3)), y)
    with pytest.raises(TypeError, match="predict must be a function"):
        bp.plot_decision_regions(None, X, y)


def test_epochs_image_shows_the_batch_of_each_example():
    epochs = [[np.array([2, 0]), np.array([1, 3]), np.array([4])],
              [np.array([4, 3]), np.array([0, 2]), np.array([1])]]
    ax = bp.plot_epochs(epochs, n_examples=5)
    image = ax.get_images()[0].get_array()
    assert np.array_equal(image, [[0, 1, 0, 1, 2], [1, 2, 1, 0, 0]])
    assert ax.get_xlabel() == "example index" and ax.get_ylabel() == "epoch"
    ax = bp.plot_epochs([[np.array([0, 0]), np.array([1])]], n_examples=3)
    assert [t.get_text() for t in ax.texts] == ["2×"]  # example 0 twice
    assert np.ma.is_masked(ax.get_images()[0].get_array()[0, 2])  # example 2 never seen
    with pytest.raises(ValueError, match="example indices 0 .. 2"):
        bp.plot_epochs([[np.array([3])]], n_examples=3)


def test_step_sizes_on_log_log_axes():
    steps = np.logspace(-8, -1, 8)
    ax = bp.plot_step_sizes(steps, {"centred": steps ** 2, "forward": steps})
    assert ax.get_xscale() == ax.get_yscale() == "log"
    assert [line.get_label() for line in ax.get_lines()][:2] == ["centred", "forward"]
    assert ax.get_xlabel() == "step h"
    with pytest.raises(ValueError, match="one error per step"):
        bp.plot_step_sizes(steps, {"centred": steps[:3]})
    with pytest.raises(ValueError, match="positive"):
        bp.plot_step_sizes([0.0, 1.0], {"a": [1.0, 1.0]})


def test_computational_graph_shows_every_value_and_gradient():
    values = {"x": 2.0, "w": -0.5, "b": 0.3, "z": -0.7, "a": 0.3318, "L": 1.1032}
    gradients = {"x": 0.3341, "w": -1.3364, "b": -0.6682, "z": -0.6682, "a": -3.014, "L": 1.0}
    ax = bp.plot_computational_graph(values, gradients)
    texts = [t.get_text() for t in ax.texts]
    for node in values:
        assert any(f"{values[node]:.4g}" in t for t in texts), node
        assert any(f"\\partial {node}$ = {gradients[node]:.4g}" in t for t in texts), node
    assert "computational graph" in ax.get_title()
    with pytest.raises(ValueError, match=r"gradients is missing the node\(s\) \['L'\]"):
        bp.plot_computational_graph(values, {k: v for k, v in gradients.items() if k != "L"})
    with pytest.raises(ValueError, match=r"values\['a'\] must be one finite number"):
        bp.plot_computational_graph({**values, "a": float("nan")}, gradients)
