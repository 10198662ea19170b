"""Figures for notebook 07 (Keras and TensorFlow on DNA motifs).

- :func:`plot_motif_starts`: where the motif sits in the positive sequences;
- :func:`plot_accuracies`: test accuracy of several models, with chance level;
- :func:`plot_training_curves`: loss and accuracy per epoch, training and validation;
- :func:`plot_confusion_matrix`: true class in rows, predicted class in columns;
- :func:`plot_sequence_logo`: a (length, 4) matrix (a saliency map, a filter) as a sequence
  logo, with the planted motif marked;
- :func:`plot_filter_logos`: the first convolution's filters as logos;
- :func:`plot_filter_sliding`: one filter sliding over a one-hot matrix (weight sharing), and
  the score it gives at every start;
- :func:`plot_position_weights`: a (length, 4) weight matrix (e.g. logistic regression's
  coefficients) as a heat map, positions along the x axis.

Logos are drawn with logomaker (Tareen & Kinney, 2020), imported only when a logo is drawn, so
the rest works without it (``pip install logomaker``; Colab does not ship it). Nothing here
imports TensorFlow: a Keras ``History`` is read through its ``history`` dict.

Every function draws on ``ax`` (a new figure when ``ax`` is None), labels the axes, sets a
title and returns what it drew on. Nothing is shown.
"""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from course.genomics import BASES, MOTIF, confusion_matrix
from course.plots import new_axes
from course.validation import as_real_array, check_int, describe

CLASS_NAMES = ("no motif (0)", "motif (1)")
MOTIF_COLOR = "#fdd0a2"


def _import_logomaker():
    try:
        import logomaker
    except ImportError as exc:
        raise ImportError(
            "sequence logos need logomaker: install it with `pip install logomaker` "
            "(in Colab: `%pip install -q logomaker`)") from exc
    return logomaker


def plot_motif_starts(starts, length: int, motif_length: int = len(MOTIF), ax=None) -> Axes:
    """Histogram of the motif's start positions in the positive sequences.

    Parameters
    ----------
    starts : array-like of int, shape (n,)
        Start positions; negatives (-1) are left out.
    length : int
        Sequence length L (the x axis spans 0 … L - motif_length).
    motif_length : int
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
    """
    starts = np.asarray(starts)
    if starts.ndim != 1 or starts.dtype.kind not in "iu":
        raise ValueError(f"starts must be a 1-D array of integers, got {describe(starts)}")
    length = check_int(length, "length", minimum=1)
    motif_length = check_int(motif_length, "motif_length", minimum=1)
    starts = starts[starts >= 0]
    last = length - motif_length
    ax = new_axes(ax, figsize=(7, 3))
    counts = np.bincount(starts, minlength=last + 1)[: last + 1]
    ax.bar(np.arange(last + 1), counts, width=0.85, color="tab:blue")
    ax.set_xlim(-0.8, last + 0.8)
    ax.set_xlabel("start position of the motif (0-based)")
    ax.set_ylabel("number of positive sequences")
    ax.set_title(f"Where the motif starts in {len(starts)} positive sequences")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    return ax


def plot_accuracies(accuracies: Mapping, ax=None, *, chance: float | None = 0.5,
                    title: str = "Test accuracy") -> Axes:
    """Horizontal bars of accuracies, one per model, with the value written next to each.

    Parameters
    ----------
    accuracies : dict of {str: float}
        Model name -> accuracy in [0, 1].
    ax : matplotlib Axes, optional
    chance : float or None
        Where to draw the chance level (a dashed line); None for no line.
    title : str

    Returns
    -------
    matplotlib Axes
    """
    if not isinstance(accuracies, Mapping) or not accuracies:
        raise TypeError(f"accuracies must be a non-empty dict of name -> accuracy, got "
                        f"{describe(accuracies)}")
    names = [str(name) for name in accuracies]
    values = as_real_array(list(accuracies.values()), "accuracies' values", ndim=1)
    if np.any((values < 0) | (values > 1)):
        raise ValueError(f"accuracies must lie between 0 and 1, got {values.tolist()}")
    ax = new_axes(ax, figsize=(7, 0.5 + 0.55 * len(names)))
    rows = np.arange(len(names))[::-1]
    ax.barh(rows, values, color=[f"C{k}" for k in range(len(names))], height=0.6)
    for row, value in zip(rows, values):
        ax.text(min(value + 0.01, 0.9), row, f"{value:.1%}", va="center")
    if chance is not None:
        ax.axvline(chance, color="grey", linestyle="--", linewidth=1, label="chance")
        ax.legend(loc="lower right", fontsize="small")
    ax.set_yticks(rows, names)
    ax.set_xlim(0, 1.05)
    ax.set_xlabel("accuracy on the test set")
    ax.set_ylabel("model")
    ax.set_title(title)
    return ax


def _history_dict(history) -> dict:
    data = getattr(history, "history", history)
    if not isinstance(data, Mapping) or "loss" not in data:
        raise TypeError("history must be a Keras History (what model.fit returns) or its "
                        f"history dict with a 'loss' entry, got {describe(history)}")
    return {key: np.asarray(value, dtype=float) for key, value in data.items()}


def plot_training_curves(history, axes=None) -> np.ndarray:
    """Loss and accuracy per epoch, for the training and the validation data.

    The epoch with the lowest validation loss (the weights early stopping keeps) is marked by
    a dotted line.

    Parameters
    ----------
    history : keras.callbacks.History or dict
        What ``model.fit`` returns, or its ``history`` dict: lists per epoch under "loss",
        "val_loss", "accuracy", "val_accuracy" (the validation entries are optional).
    axes : two matplotlib Axes, optional
        Where to draw loss and accuracy; a new figure when None.

    Returns
    -------
    np.ndarray of 2 matplotlib Axes (loss, accuracy)
    """
    data = _history_dict(history)
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(12, 3.8))
    axes = np.asarray(axes, dtype=object).reshape(-1)
    if len(axes) != 2 or not all(isinstance(a, Axes) for a in axes):
        raise TypeError(f"axes must be two matplotlib Axes, got {describe(axes)}")
    epochs = np.arange(1, len(data["loss"]) + 1)
    best = int(np.argmin(data["val_loss"])) + 1 if "val_loss" in data else None
    for ax, metric, label in ((axes[0], "loss", "loss (cross-entropy)"),
                              (axes[1], "accuracy", "accuracy")):
        for prefix, name, style in (("", "training", "-"), ("val_", "validation", "--")):
            if prefix + metric in data:
                ax.plot(epochs, data[prefix + metric], style, marker=".", label=name)
        if best is not None:
            ax.axvline(best, color="grey", linestyle=":",
                       label=f"lowest validation loss (epoch {best})")
        ax.set_xlabel("epoch")
        ax.set_ylabel(label)
        ax.set_title(f"{label.split(' ')[0].capitalize()} per epoch")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(alpha=0.3)
        if ax.get_legend_handles_labels()[0]:  # empty without an accuracy metric
            ax.legend(fontsize="small")
    return axes


def plot_confusion_matrix(y_true, y_pred, ax=None, *, class_names=CLASS_NAMES) -> Axes:
    """Confusion matrix: the true class in rows (y axis), the predicted class in columns.

    Parameters
    ----------
    y_true, y_pred : array-like of int, shape (n,)
        True and predicted classes, 0 … len(class_names) - 1.
    ax : matplotlib Axes, optional
    class_names : sequence of str

    Returns
    -------
    matplotlib Axes
        Each cell shows its count; the title gives the accuracy.
    """
    names = [str(name) for name in class_names]
    counts = confusion_matrix(y_true, y_pred, n_classes=len(names))
    ax = new_axes(ax, figsize=(4.8, 4.2))
    ax.imshow(counts, cmap="Blues", vmin=0)
    threshold = counts.max() / 2 if counts.size else 0
    for i in range(len(names)):
        for j in range(len(names)):
            ax.text(j, i, str(counts[i, j]), ha="center", va="center", fontsize="large",
                    color="white" if counts[i, j] > threshold else "black")
    ticks = np.arange(len(names))
    ax.set_xticks(ticks, names)
    ax.set_yticks(ticks, names, rotation=90, va="center")
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    total = counts.sum()
    accuracy = np.trace(counts) / total if total else float("nan")
    ax.set_title(f"Confusion matrix: accuracy {accuracy:.1%} ({np.trace(counts)} of {total})")
    return ax


def _matrix(values, name: str) -> np.ndarray:
    values = as_real_array(values, name, ndim=2)
    if values.shape[1] != len(BASES) or values.shape[0] == 0:
        raise ValueError(f"{name} must have shape (length, 4), one column per base "
                         f"{', '.join(BASES)}, got shape {values.shape}")
    if not np.all(np.isfinite(values)):
        raise ValueError(f"{name} must hold finite numbers")
    return values


def plot_sequence_logo(matrix, ax=None, *, motif_start: int | None = None,
                       motif_length: int = len(MOTIF), title: str | None = None,
                       ylabel: str = "saliency (gradient × input)") -> Axes:
    """Draw a (length, 4) matrix as a sequence logo: at each position, the letters A, C, G, T
    scaled by their values (positive ones stacked above the axis, negative ones below).

    A saliency map of one-hot input has one non-zero entry per position, so its logo spells
    the sequence, each base as tall as its importance.

    Parameters
    ----------
    matrix : array-like, shape (length, 4)
        Columns in the order A, C, G, T.
    ax : matplotlib Axes, optional
    motif_start : int, optional
        First position of the planted motif, shaded in orange.
    motif_length : int
    title : str, optional
    ylabel : str

    Returns
    -------
    matplotlib Axes
    """
    values = _matrix(matrix, "matrix")
    logomaker = _import_logomaker()
    import pandas as pd  # a dependency of logomaker

    length = values.shape[0]
    ax = new_axes(ax, figsize=(max(6.0, 0.24 * length), 2.8))
    frame = pd.DataFrame(values, columns=list(BASES), index=np.arange(length))
    logomaker.Logo(frame, ax=ax, color_scheme="classic", flip_below=False)
    ax.axhline(0, color="black", linewidth=0.6)
    if motif_start is not None and motif_start >= 0:
        motif_start = check_int(motif_start, "motif_start", minimum=0)
        ax.axvspan(motif_start - 0.5, motif_start + motif_length - 0.5, color=MOTIF_COLOR,
                   zorder=-1, label=f"planted motif (positions {motif_start}–"
                                    f"{motif_start + motif_length - 1})")
        ax.legend(loc="upper right", fontsize="small")
    ax.set_xlim(-0.6, length - 0.4)
    ax.set_xlabel("position in the sequence (0-based)")
    ax.set_ylabel(ylabel)
    ax.set_title(title or "Sequence logo")
    return ax


def plot_filter_logos(kernel, n_filters: int = 8, *, order=None, axes=None) -> np.ndarray:
    """Convolution filters as sequence logos, one panel per filter.

    Parameters
    ----------
    kernel : array-like, shape (width, 4, n_all_filters)
        A Conv1D layer's kernel (``layer.get_weights()[0]``), input channels A, C, G, T.
    n_filters : int
        How many filters to draw.
    order : sequence of int, optional
        Which filters to draw, in that order (e.g. sorted by importance); the first
        ``n_filters`` by default.
    axes : sequence of matplotlib Axes, optional
        One per filter; a new figure (two columns) when None.

    Returns
    -------
    np.ndarray of matplotlib Axes
    """
    kernel = as_real_array(kernel, "kernel", ndim=3)
    if kernel.shape[1] != len(BASES):
        raise ValueError(f"kernel must have shape (width, 4, n_filters), got {kernel.shape}")
    n_filters = check_int(n_filters, "n_filters", minimum=1)
    order = list(range(kernel.shape[2])) if order is None else [int(k) for k in order]
    order = order[:n_filters]
    if not order or max(order) >= kernel.shape[2] or min(order) < 0:
        raise ValueError(f"order must pick filters 0 … {kernel.shape[2] - 1}, got {order}")
    if axes is None:
        rows = (len(order) + 1) // 2
        _, grid = plt.subplots(rows, 2, figsize=(12, 1.9 * rows), squeeze=False)
        axes = grid.reshape(-1)
        for extra in axes[len(order):]:
            extra.set_visible(False)
    axes = np.asarray(axes, dtype=object).reshape(-1)
    if len(axes) < len(order):
        raise ValueError(f"axes must hold at least {len(order)} Axes, got {len(axes)}")
    for ax, k in zip(axes, order):
        plot_sequence_logo(kernel[:, :, k], ax=ax, title=f"filter {k}", ylabel="weight")
        ax.set_xlabel("position in the filter")
    return axes[: len(order)]


def _one_hot_image(ax: Axes, x: np.ndarray) -> None:
    """A (length, 4) one-hot matrix drawn as 4 rows (A, C, G, T) by length columns."""
    ax.imshow(x.T, cmap="Greys", vmin=0, vmax=1.6, aspect="auto", interpolation="nearest")
    ax.set_yticks(range(len(BASES)), list(BASES))
    ax.set_ylabel("base")


def plot_filter_sliding(x, weights, *, starts=(0, 12, 26), motif_start: int | None = None,
                        axes=None) -> np.ndarray:
    """One convolution filter sliding over a one-hot sequence: the same weights at every
    window (weight sharing), and the window score z_i = sum_k,c x[i + k, c] w[k, c].

    Parameters
    ----------
    x : array-like, shape (length, 4)
        A one-hot sequence, columns A, C, G, T.
    weights : array-like, shape (width, 4)
        One filter (no bias drawn: it shifts every score alike).
    starts : sequence of int
        Windows to outline on the one-hot matrix (each 0 … length - width).
    motif_start : int, optional
        First position of the planted motif, shaded in both panels.
    axes : two matplotlib Axes, optional
        Where to draw the matrix and the scores; a new figure when None.

    Returns
    -------
    np.ndarray of 2 matplotlib Axes (one-hot matrix, window scores)
    """
    x = _matrix(x, "x")
    weights = _matrix(weights, "weights")
    length, width = x.shape[0], weights.shape[0]
    if width > length:
        raise ValueError(f"the filter (width {width}) must fit in the sequence (length "
                         f"{length})")
    starts = [check_int(s, "starts", minimum=0) for s in starts]
    if any(s > length - width for s in starts):
        raise ValueError(f"starts must be 0 … {length - width} so that the window fits, got "
                         f"{starts}")
    windows = np.lib.stride_tricks.sliding_window_view(x, width, axis=0)  # (n, 4, width)
    scores = np.einsum("nck,kc->n", windows, weights)
    if axes is None:
        _, axes = plt.subplots(2, 1, figsize=(12, 4.6), sharex=True,
                               gridspec_kw={"height_ratios": [1, 1.1]})
    axes = np.asarray(axes, dtype=object).reshape(-1)
    if len(axes) != 2 or not all(isinstance(a, Axes) for a in axes):
        raise TypeError(f"axes must be two matplotlib Axes, got {describe(axes)}")
    top, bottom = axes
    _one_hot_image(top, x)
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for k, start in enumerate(starts):
        color = colors[k % len(colors)]
        top.add_patch(plt.Rectangle((start - 0.5, -0.5), width, len(BASES), fill=False,
                                    edgecolor=color, linewidth=2.2))
        top.annotate(f"window at {start}: the same {width} × 4 weights",
                     (start + width / 2 - 0.5, -0.6), ha="center", va="bottom",
                     fontsize="small", color=color, annotation_clip=False)
        bottom.plot([start], [scores[start]], "o", color=color, markersize=9, zorder=3)
    bottom.plot(np.arange(len(scores)), scores, ".-", color="black", label="window score")
    if motif_start is not None and motif_start >= 0:
        for ax in axes:
            ax.axvspan(motif_start - 0.5, motif_start + width - 0.5, color=MOTIF_COLOR,
                       zorder=-1 if ax is bottom else 2, alpha=1 if ax is bottom else 0.35)
        bottom.annotate("motif", (motif_start, scores[motif_start]), xytext=(8, -4),
                        textcoords="offset points", fontsize="small")
    top.set_title("One filter slides along the one-hot sequence (4 rows × "
                  f"{length} positions)", pad=18)
    bottom.set_xlabel("window start i (0-based)")
    bottom.set_ylabel("score $z_i$")
    bottom.set_title("The filter's score at every start: it peaks where the motif is")
    bottom.grid(alpha=0.3)
    bottom.set_xlim(-0.6, length - 0.4)
    return axes


def plot_position_weights(weights, ax=None, *, title: str | None = None,
                          label: str = "coefficient", motif_start: int | None = None,
                          motif_length: int = len(MOTIF)) -> Axes:
    """A weight per position and base as a heat map: bases A, C, G, T in rows, positions in
    columns, a diverging colour scale centred on 0.

    Parameters
    ----------
    weights : array-like, shape (length, 4) or (4 * length,)
        E.g. logistic regression's coefficients on the flattened one-hot input (feature
        4 j + c is position j, base c).
    ax : matplotlib Axes, optional
    title : str, optional
    label : str
        What the colour bar shows.
    motif_start : int, optional
        Outline a motif window starting there.
    motif_length : int

    Returns
    -------
    matplotlib Axes
    """
    values = as_real_array(weights, "weights")
    if values.ndim == 1:
        if values.size % len(BASES) or values.size == 0:
            raise ValueError(f"weights of shape ({values.size},) must have 4 entries per "
                             f"position")
        values = values.reshape(-1, len(BASES))
    values = _matrix(values, "weights")
    length = values.shape[0]
    ax = new_axes(ax, figsize=(max(8.0, 0.22 * length), 2.6))
    limit = float(np.max(np.abs(values))) or 1.0
    image = ax.imshow(values.T, cmap="RdBu_r", vmin=-limit, vmax=limit, aspect="auto",
                      interpolation="nearest")
    ax.figure.colorbar(image, ax=ax, label=label, fraction=0.04, pad=0.01)
    ax.set_yticks(range(len(BASES)), list(BASES))
    ax.set_ylabel("base")
    ax.set_xlabel("position in the sequence (0-based)")
    if motif_start is not None and motif_start >= 0:
        ax.add_patch(plt.Rectangle((motif_start - 0.5, -0.5), motif_length, len(BASES),
                                   fill=False, edgecolor="black", linewidth=1.5))
    ax.set_title(title or f"Weights per position and base ({length} × 4)")
    return ax
