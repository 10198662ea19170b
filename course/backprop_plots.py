"""Figures for notebook 05 (backpropagation): gradient checks, mini-batches, training curves
and decision regions.

Every function draws on the Axes it is given (new ones when None), labels the axes, sets a
title and returns what it drew on, so that tests and notebooks can inspect the figure. Nothing
is shown: in a notebook the figure appears at the end of the cell (or call ``plt.show()``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap

from course.plots import new_axes
from course.validation import as_real_array, describe

#: CS231n's rules of thumb for the relative error of a gradient check (float64).
THRESHOLDS = ((1e-7, "1e-7: good for smooth functions", "tab:green"),
              (1e-4, "1e-4: acceptable only with kinks (ReLU)", "tab:orange"),
              (1e-2, "1e-2: above, the gradient is wrong", "tab:red"))


def plot_gradient_check(errors, ax=None, *, title: str | None = None) -> Axes:
    """Relative errors of a gradient check as horizontal bars on a logarithmic axis.

    Parameters
    ----------
    errors : dict {name: float} or sequence of (name, float)
        One relative error per parameter array, e.g. ``{"W1": 3e-10, "b1": 1e-11}``.
        Errors of exactly 0 are drawn at 1e-18 (the left edge), so that they stay visible.
    ax : matplotlib Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib Axes
        With dashed lines at CS231n's thresholds 1e-7, 1e-4 and 1e-2.
    """
    items = list(errors.items()) if isinstance(errors, Mapping) else list(errors)
    if not items or not all(isinstance(item, (tuple, list)) and len(item) == 2 for item in items):
        raise TypeError(f"errors must be a non-empty dict or list of (name, relative error), "
                        f"got {describe(errors)}")
    names = [str(name) for name, _ in items]
    values = as_real_array([value for _, value in items], "errors' values", ndim=1)
    if not np.all(np.isfinite(values)) or np.any(values < 0):
        raise ValueError(f"relative errors must be finite and >= 0, got {values.tolist()}")
    ax = new_axes(ax, figsize=(10, 0.45 * len(items) + 1.8))
    shown = np.maximum(values, 1e-18)
    positions = np.arange(len(items))[::-1]  # first parameter on top
    colors = ["tab:green" if v <= 1e-7 else "tab:orange" if v <= 1e-4 else "tab:red"
              for v in values]
    ax.barh(positions, shown, color=colors, left=1e-18 * np.ones(len(items)))
    for value, position in zip(values, positions):
        ax.annotate(f"{value:.1e}", xy=(max(value, 1e-18), position),
                    xytext=(4, 0), textcoords="offset points", va="center", fontsize="small")
    for threshold, label, color in THRESHOLDS:
        ax.axvline(threshold, color=color, linestyle="--", linewidth=1, label=label)
    ax.set_xscale("log")
    ax.set_xlim(1e-18, 1.0)
    ax.set_yticks(positions, names)
    ax.set_xlabel("relative error (log scale)")
    ax.set_ylabel("parameter")
    ax.set_title(title or "Gradient check: backpropagation against centred differences")
    ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return ax


def _as_histories(histories) -> dict:
    if isinstance(histories, Mapping) and {"loss", "accuracy"} <= set(histories):
        histories = {"": histories}
    if not isinstance(histories, Mapping) or not histories:
        raise TypeError("histories must be a history dict {'loss': [...], 'accuracy': [...]} or "
                        f"a dict of them by label, got {describe(histories)}")
    checked = {}
    for label, history in histories.items():
        if not isinstance(history, Mapping) or not {"loss", "accuracy"} <= set(history):
            raise TypeError(f"histories[{label!r}] must be a dict with 'loss' and 'accuracy', "
                            f"got {describe(history)}")
        loss = as_real_array(history["loss"], f"histories[{label!r}]['loss']", ndim=1)
        accuracy = as_real_array(history["accuracy"], f"histories[{label!r}]['accuracy']",
                                 ndim=1)
        if len(loss) != len(accuracy) or len(loss) == 0:
            raise ValueError(f"histories[{label!r}]: 'loss' and 'accuracy' must hold one value "
                             f"per epoch each, got {len(loss)} and {len(accuracy)}")
        checked[label] = (loss, accuracy)
    return checked


def plot_history(histories, axes=None, *, title: str | None = None) -> np.ndarray:
    """Loss and accuracy per epoch, as returned by ``train_mlp``.

    Parameters
    ----------
    histories : dict
        One history ``{"loss": [...], "accuracy": [...]}`` (one value per epoch), or several
        by label, ``{"MLP": history, "linear": history}``.
    axes : two matplotlib Axes, optional
        Where to draw the loss and the accuracy; a new figure of two panels when None.
    title : str, optional
        Title of the figure (a suptitle).

    Returns
    -------
    np.ndarray of two Axes: (loss, accuracy)
    """
    checked = _as_histories(histories)
    if axes is None:
        fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
    else:
        axes = np.asarray(axes, dtype=object).reshape(-1)
        if len(axes) != 2 or not all(isinstance(a, Axes) for a in axes):
            raise TypeError(f"axes must be two matplotlib Axes, got {describe(axes)}")
        fig = axes[0].figure
    axes = np.asarray(axes, dtype=object).reshape(-1)
    for label, (loss, accuracy) in checked.items():
        epochs = np.arange(1, len(loss) + 1)
        axes[0].plot(epochs, loss, marker="o" if len(loss) <= 30 else None, markersize=3,
                     label=label or None)
        axes[1].plot(epochs, 100 * accuracy, marker="o" if len(loss) <= 30 else None,
                     markersize=3, label=label or None)
    axes[0].set_ylabel("cross-entropy loss")
    axes[0].set_title("Training loss after each epoch")
    axes[1].set_ylabel("accuracy (%)")
    axes[1].set_title("Training accuracy after each epoch")
    for ax in axes:
        ax.set_xlabel("epoch")
        ax.grid(alpha=0.3)
        if any(checked):
            ax.legend(fontsize="small")
    if title:
        fig.suptitle(title)
    return axes


def plot_decision_regions(predict: Callable, X, y, ax=None, *, title: str | None = None,
                          resolution: int = 200, padding: float = 0.5,
                          class_names: Sequence[str] | None = None) -> Axes:
    """Colour the plane by the class a model predicts, with the data on top.

    Parameters
    ----------
    predict : callable
        Maps points of shape (m, 2) to class labels (m,), or to class probabilities (m, k),
        whose argmax is taken.
    X : array-like, shape (n, 2)
    y : array-like of int, shape (n,)
    ax : matplotlib Axes, optional
    title : str, optional
        Replaces the default title, which gives the training accuracy.
    resolution : int
        Grid points per axis.
    padding : float
        Margin around the data, in data units.
    class_names : sequence of str, optional

    Returns
    -------
    matplotlib Axes
    """
    if not callable(predict):
        raise TypeError(f"predict must be a function of points (m, 2), got {describe(predict)}")
    X = as_real_array(X, "X", ndim=2)
    if X.shape[1] != 2:
        raise ValueError(f"X must have shape (n, 2) to be drawn in the plane, got {X.shape}")
    y = np.asarray(y)
    if y.shape != (len(X),) or y.dtype.kind not in "iu":
        raise ValueError(f"y must hold one integer label per row of X, got {describe(y)}")
    ax = new_axes(ax, figsize=(5.5, 5))
    low, high = X.min(axis=0) - padding, X.max(axis=0) + padding
    g1, g2 = np.linspace(low[0], high[0], resolution), np.linspace(low[1], high[1], resolution)
    G1, G2 = np.meshgrid(g1, g2)

    def labels(points):
        out = np.asarray(predict(points))
        return out.argmax(axis=1) if out.ndim == 2 else out.astype(int)

    grid = labels(np.column_stack([G1.ravel(), G2.ravel()])).reshape(G1.shape)
    k = int(max(grid.max(), y.max())) + 1
    colors = [f"C{i}" for i in range(k)]
    ax.contourf(G1, G2, grid, levels=np.arange(-0.5, k), cmap=ListedColormap(colors),
                alpha=0.25)
    names = class_names or [f"class {i}" for i in range(k)]
    for i in range(k):
        mask = y == i
        if mask.any():
            ax.scatter(X[mask, 0], X[mask, 1], s=14, color=colors[i], edgecolors="white",
                       linewidths=0.4, label=names[i])
    accuracy = float(np.mean(labels(X) == y))
    ax.set_xlim(low[0], high[0])
    ax.set_ylim(low[1], high[1])
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_title(title or f"Decision regions: training accuracy {accuracy:.1%}")
    ax.legend(fontsize="small", loc="upper right")
    return ax


def plot_epochs(epochs, n_examples: int, ax=None, *, title: str | None = None) -> Axes:
    """Which mini-batch visits each example, epoch by epoch.

    Parameters
    ----------
    epochs : sequence of sequences of index arrays
        ``epochs[e][j]`` holds the indices (0 .. n_examples - 1) of the examples in batch ``j``
        of epoch ``e``, e.g. the ids that ``minibatches`` yields.
    n_examples : int
    ax : matplotlib Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib Axes
        Row e, column i: the number of the batch in which example i is seen in epoch e (white
        if it is never seen, hatched digits if it is seen twice).
    """
    if not isinstance(epochs, Sequence) or not epochs:
        raise TypeError(f"epochs must be a non-empty list of epochs (lists of index arrays), "
                        f"got {describe(epochs)}")
    grid = np.full((len(epochs), n_examples), np.nan)
    seen_twice = []
    for e, batches in enumerate(epochs):
        counts = np.zeros(n_examples, dtype=int)
        for j, ids in enumerate(batches):
            ids = np.asarray(ids)
            if ids.dtype.kind not in "iu" or np.any((ids < 0) | (ids >= n_examples)):
                raise ValueError(f"epochs[{e}][{j}] must hold example indices 0 .. "
                                 f"{n_examples - 1}, got {describe(ids)}")
            grid[e, ids] = j
            np.add.at(counts, ids, 1)
        seen_twice += [(e, i) for i in np.flatnonzero(counts > 1)]
    ax = new_axes(ax, figsize=(min(14, 3 + 0.12 * n_examples), 1 + 0.45 * len(epochs)))
    n_batches = int(np.nanmax(grid)) + 1 if np.isfinite(grid).any() else 1
    cmap = matplotlib.colormaps["tab20"].resampled(max(n_batches, 2)).with_extremes(bad="white")
    image = ax.imshow(np.ma.masked_invalid(grid), aspect="auto", cmap=cmap,
                      vmin=-0.5, vmax=max(n_batches, 2) - 0.5, interpolation="nearest")
    for e, i in seen_twice:
        ax.text(i, e, "2×", ha="center", va="center", fontsize="x-small")
    colorbar = ax.figure.colorbar(image, ax=ax, ticks=range(n_batches), pad=0.01)
    colorbar.set_label("mini-batch")
    ax.set_xlabel("example index")
    ax.set_ylabel("epoch")
    ax.set_yticks(range(len(epochs)), [str(e + 1) for e in range(len(epochs))])
    ax.set_title(title or "Each epoch visits every example once, in a new random order")
    return ax


def plot_step_sizes(steps, errors: Mapping, ax=None, *, title: str | None = None) -> Axes:
    """Error of finite-difference derivatives against the step h, on log-log axes.

    Parameters
    ----------
    steps : array-like, shape (m,)
        Step sizes h > 0.
    errors : dict {label: array-like of shape (m,)}
        For each method, the largest absolute error at each step (0 is drawn at 1e-17).
    ax : matplotlib Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib Axes
        With a marker at h = 1e-5, the step the course uses.
    """
    steps = as_real_array(steps, "steps", ndim=1)
    if len(steps) == 0 or np.any(steps <= 0):
        raise ValueError(f"steps must be positive numbers, got {steps.tolist()}")
    if not isinstance(errors, Mapping) or not errors:
        raise TypeError(f"errors must be a non-empty dict of label -> errors, "
                        f"got {describe(errors)}")
    ax = new_axes(ax, figsize=(6.5, 4.2))
    for label, values in errors.items():
        values = as_real_array(values, f"errors[{label!r}]", ndim=1)
        if values.shape != steps.shape:
            raise ValueError(f"errors[{label!r}] must hold one error per step "
                             f"({len(steps)}), got {len(values)}")
        ax.loglog(steps, np.maximum(np.abs(values), 1e-17), marker="o", markersize=3,
                  label=label)
    ax.axvline(1e-5, color="grey", linestyle=":", label="h = 1e-5")
    ax.set_xlabel("step h")
    ax.set_ylabel("largest absolute error")
    ax.set_title(title or "Finite differences: truncation error against rounding error")
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize="small")
    return ax


# --- the computational graph of one neuron ----------------------------------------------------

#: Nodes of the worked example L = -log σ(w x + b): name -> (position, label).
_GRAPH_NODES = {
    "w": ((0.0, 2.0), "$w$"), "x": ((0.0, 1.0), "$x$"), "b": ((0.0, 0.0), "$b$"),
    "z": ((1.6, 1.0), "$z = wx + b$"), "a": ((3.2, 1.0), r"$a = \sigma(z)$"),
    "L": ((4.8, 1.0), r"$L = -\log a$"),
}
_GRAPH_EDGES = (("w", "z"), ("x", "z"), ("b", "z"), ("z", "a"), ("a", "L"))


def plot_computational_graph(values: Mapping, gradients: Mapping, ax=None, *,
                             title: str | None = None) -> Axes:
    """The worked example's computational graph, ``L = -log σ(w x + b)``, one box per node.

    Each box shows the node's value from the forward pass (black, above) and the derivative of
    the loss with respect to it from the backward pass (red, below); arrows run forward, the
    gradients flow back along them. The figure only draws: the numbers come from the caller.

    Parameters
    ----------
    values : mapping
        Forward values of the nodes "x", "w", "b", "z", "a" and "L" (numbers).
    gradients : mapping
        dL/d(node) for the same six nodes ("L" is 1).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
    """
    for name, mapping in (("values", values), ("gradients", gradients)):
        if not isinstance(mapping, Mapping):
            raise TypeError(f"{name} must be a dict of node name -> number, got "
                            f"{describe(mapping)}")
        missing = [node for node in _GRAPH_NODES if node not in mapping]
        if missing:
            raise ValueError(f"{name} is missing the node(s) {missing}; the nodes are "
                             f"{list(_GRAPH_NODES)}")
        for node in _GRAPH_NODES:
            value = mapping[node]
            if isinstance(value, bool) or not np.isfinite(np.asarray(value, dtype=float)) \
                    .all() or np.ndim(value) != 0:
                raise ValueError(f"{name}[{node!r}] must be one finite number, got "
                                 f"{describe(value)}")
    ax = new_axes(ax, figsize=(10, 3.6))
    box = {"boxstyle": "round,pad=0.45", "facecolor": "#f4f4f4", "edgecolor": "0.3"}
    for source, target in _GRAPH_EDGES:
        (x0, y0), (x1, y1) = _GRAPH_NODES[source][0], _GRAPH_NODES[target][0]
        ax.annotate("", xy=(x1 - 0.45, y1), xytext=(x0 + 0.45, y0),
                    arrowprops={"arrowstyle": "->", "color": "0.35", "lw": 1.3})
    for node, ((x, y), label) in _GRAPH_NODES.items():
        ax.text(x, y + 0.08, f"{label}\n{float(values[node]):.4g}", ha="center", va="center",
                fontsize="small", bbox=box, zorder=3)
        ax.text(x, y - 0.42, f"$\\partial L/\\partial {node}$ = {float(gradients[node]):.4g}",
                ha="center", va="center", fontsize="small", color="tab:red", zorder=3)
    ax.text(2.4, -0.75, "forward: values, left to right      backward: the red derivatives, "
            "right to left (each one the next one times a local derivative)", ha="center",
            fontsize="x-small", color="0.3")
    ax.set_xlim(-0.7, 5.6)
    ax.set_ylim(-1.0, 2.6)
    ax.axis("off")
    ax.set_title(title or "The worked example as a computational graph")
    return ax
