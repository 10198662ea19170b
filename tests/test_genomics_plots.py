"""Figures of notebook 07: course.genomics_plots."""

import sys
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402

from course import genomics_plots as gp  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures_and_fail_on_warnings():
    """Warnings would reach stderr in a notebook."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield
    plt.close("all")


def _labelled(ax: Axes) -> bool:
    return bool(ax.get_xlabel() and ax.get_ylabel() and ax.get_title())


def test_motif_starts_histogram_counts_the_positives():
    starts = np.array([-1, 0, 0, 5, 37, -1, 37, 37])
    ax = gp.plot_motif_starts(starts, length=50)
    assert _labelled(ax)
    heights = [patch.get_height() for patch in ax.patches]
    assert len(heights) == 39 and sum(heights) == 6
    assert heights[0] == 2 and heights[37] == 3
    with pytest.raises(ValueError, match="starts must be a 1-D array of integers"):
        gp.plot_motif_starts(np.array([0.5]), length=50)


def test_accuracy_bars_in_order_with_their_values():
    ax = gp.plot_accuracies({"logistic regression": 0.7, "CNN": 0.98})
    assert _labelled(ax)
    top_to_bottom = sorted(ax.get_yticklabels(), key=lambda t: -t.get_position()[1])
    assert [t.get_text() for t in top_to_bottom] == ["logistic regression", "CNN"]  # given order
    assert {t.get_text() for t in ax.texts} == {"70.0%", "98.0%"}
    with pytest.raises(ValueError, match="between 0 and 1"):
        gp.plot_accuracies({"a": 1.5})
    with pytest.raises(TypeError, match="non-empty dict"):
        gp.plot_accuracies({})


def test_training_curves_mark_the_best_epoch():
    history = {"loss": [0.7, 0.4, 0.2, 0.1], "val_loss": [0.6, 0.3, 0.35, 0.4],
               "accuracy": [0.5, 0.8, 0.9, 0.95], "val_accuracy": [0.55, 0.85, 0.84, 0.83]}
    axes = gp.plot_training_curves(history)
    assert len(axes) == 2 and all(_labelled(ax) for ax in axes)
    assert axes[0].get_xlabel() == "epoch" and "loss" in axes[0].get_ylabel()
    lines = axes[0].get_lines()
    assert [list(line.get_ydata()) for line in lines[:2]] == [history["loss"],
                                                              history["val_loss"]]
    assert list(lines[0].get_xdata()) == [1, 2, 3, 4]  # epochs count from 1
    best = [line for line in lines if "lowest validation loss" in line.get_label()]
    assert best and best[0].get_xdata()[0] == 2

    class History:  # what model.fit returns: the dict is its .history
        pass

    h = History()
    h.history = {"loss": [1.0, 0.5]}
    assert len(gp.plot_training_curves(h)[0].get_lines()) == 1
    with pytest.raises(TypeError, match="Keras History"):
        gp.plot_training_curves([0.1, 0.2])


def test_confusion_matrix_puts_the_truth_in_rows():
    y_true = np.array([0, 0, 0, 1, 1])
    y_pred = np.array([0, 1, 1, 1, 0])
    ax = gp.plot_confusion_matrix(y_true, y_pred)
    assert ax.get_ylabel() == "true class" and ax.get_xlabel() == "predicted class"
    cells = {(round(t.get_position()[1]), round(t.get_position()[0])): t.get_text()
             for t in ax.texts}
    # (row = true, column = predicted): two false positives at (0, 1), one miss at (1, 0)
    assert cells == {(0, 0): "1", (0, 1): "2", (1, 0): "1", (1, 1): "1"}
    assert "accuracy 40.0%" in ax.get_title()
    assert [t.get_text() for t in ax.get_xticklabels()] == list(gp.CLASS_NAMES)


def test_sequence_logo_marks_the_motif():
    matrix = np.zeros((20, 4))
    matrix[np.arange(20), np.arange(20) % 4] = np.linspace(-1, 1, 20)
    ax = gp.plot_sequence_logo(matrix, motif_start=3, motif_length=12, title="saliency")
    assert _labelled(ax) and ax.get_title() == "saliency"
    spans = [p for p in ax.patches if p.get_label().startswith("planted motif")]
    assert len(spans) == 1 and "positions 3–14" in spans[0].get_label()
    assert ax.get_xlim() == (-0.6, 19.6)
    with pytest.raises(ValueError, match=r"shape \(length, 4\)"):
        gp.plot_sequence_logo(np.zeros((20, 3)))
    with pytest.raises(ValueError, match="finite"):
        gp.plot_sequence_logo(np.full((5, 4), np.nan))


def test_logos_say_how_to_install_logomaker(monkeypatch):
    monkeypatch.setitem(sys.modules, "logomaker", None)  # import fails
    with pytest.raises(ImportError, match="pip install logomaker"):
        gp.plot_sequence_logo(np.zeros((5, 4)))


def test_filter_logos_follow_the_order_given():
    kernel = np.random.default_rng(0).normal(size=(12, 4, 32))
    axes = gp.plot_filter_logos(kernel, n_filters=3, order=[7, 2, 30])
    assert [ax.get_title() for ax in axes] == ["filter 7", "filter 2", "filter 30"]
    assert all(_labelled(ax) for ax in axes)
    with pytest.raises(ValueError, match="order must pick filters 0 … 31"):
        gp.plot_filter_logos(kernel, order=[32])
    with pytest.raises(ValueError, match=r"shape \(width, 4, n_filters\)"):
        gp.plot_filter_logos(np.zeros((12, 5, 2)))


def test_filter_sliding_draws_the_same_window_and_its_scores():
    x = np.eye(4)[[0, 1, 2, 3, 1, 2, 0, 0, 3, 1]]
    weights = x[4:7] - 0.25  # a filter that matches positions 4-6 exactly
    top, bottom = gp.plot_filter_sliding(x, weights, starts=(0, 4), motif_start=4)
    assert _labelled(bottom) and top.get_ylabel() == "base"
    assert len([p for p in top.patches if p.get_width() == 3]) >= 2  # the windows outlined
    scores = bottom.get_lines()[-1].get_ydata()
    assert len(scores) == 8 and int(np.argmax(scores)) == 4
    np.testing.assert_allclose(scores[4], 3 * 0.75)
    with pytest.raises(ValueError, match="starts must be 0 … 7"):
        gp.plot_filter_sliding(x, weights, starts=(8,))


def test_position_weights_heat_map_has_bases_in_rows():
    coefficients = np.arange(200, dtype=float) - 100  # feature 4 j + c
    ax = gp.plot_position_weights(coefficients, title="logistic regression")
    image = ax.get_images()[0].get_array()
    assert image.shape == (4, 50) and image[2, 3] == coefficients[4 * 3 + 2]
    assert [t.get_text() for t in ax.get_yticklabels()] == list("ACGT")
    assert _labelled(ax)
    with pytest.raises(ValueError, match="4 entries per position"):
        gp.plot_position_weights(np.ones(7))
