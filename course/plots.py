"""Figures for the notebooks: step functions, a TLU's decision boundary, the XOR problem.

Every function draws on ``ax`` (a new figure when ``ax`` is None), labels the axes, sets a
title and returns the Axes it drew on. Nothing is shown: in a notebook the figure appears at
the end of the cell (or call ``plt.show()``).

Notation: ``X`` has shape (n_instances, 2) here (two features, x1 and x2, so that the data
fit in the plane), ``w`` has shape (2,) and ``b`` is a single number. A TLU outputs
``step(X @ w + b)``; its decision boundary is the line ``x1 * w[0] + x2 * w[1] + b = 0``.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import Patch

from course.data import truth_table
from course.harness import call_exercise, needs_exercises
from course.validation import as_real_array, describe

CLASS_COLORS = ("tab:blue", "tab:orange")
CLASS_MARKERS = ("o", "^")
REGION_COLORS = ("#c6dbef", "#fdd0a2")  # light blue: x.w + b < 0, light orange: x.w + b >= 0


def _heaviside(z):
    """The course's convention: 1.0 where z >= 0, else 0.0 (used when no step is given)."""
    # numpy's own step, so the package holds no copy of notebook 01's answer
    return np.heaviside(np.asarray(z, dtype=float), 1.0)


def _check_step(step, name: str = "step") -> Callable:
    if step is None:
        return _heaviside
    if not callable(step):
        raise TypeError(f"{name} must be a function such as heaviside, got {describe(step)}")
    return step


def _check_problem(w, b, X, y) -> tuple[np.ndarray, float, np.ndarray, np.ndarray]:
    """Validate a 2-D TLU problem; return w (2,), b (float), X (n, 2), y (n,) as float64."""
    X = as_real_array(X, "X", ndim=2)
    if X.shape[1] != 2 or X.shape[0] == 0:
        raise ValueError(
            f"X must have shape (n_instances, 2), with two features x1 and x2 so that it can "
            f"be drawn in the plane, got shape {X.shape}"
        )
    y = as_real_array(y, "y", ndim=1)
    if y.shape[0] != X.shape[0]:
        raise ValueError(
            f"y must hold one label per row of X ({X.shape[0]}), got shape {y.shape}"
        )
    w = as_real_array(w, "w", ndim=1)
    if w.shape != (2,):
        raise ValueError(f"w must hold 2 weights (one per column of X), got shape {w.shape}")
    b = as_real_array(b, "b")
    if b.size != 1:
        raise ValueError(f"b must be a single number, got shape {b.shape}")
    b = float(b.reshape(()))
    if not (np.all(np.isfinite(w)) and np.isfinite(b)):
        raise ValueError(f"w and b must be finite numbers, got w={w.tolist()}, b={b}")
    return w, b, X, y


def tlu_predictions(w, b, X, step=None) -> np.ndarray:
    """Outputs ``step(X @ w + b)`` of a TLU, checked to hold one value per instance.

    Parameters
    ----------
    w : array-like, shape (n_features,)
    b : float
    X : array-like, shape (n_instances, n_features)
    step : callable, optional
        Step function applied to the weighted sums; heaviside (1 where z >= 0) by default.

    Returns
    -------
    np.ndarray of float, shape (n_instances,)
    """
    X = as_real_array(X, "X", ndim=2)
    w = as_real_array(w, "w", ndim=1)
    if w.shape != (X.shape[1],):
        raise ValueError(f"w must hold one weight per column of X ({X.shape[1]}), got {w.shape}")
    b = as_real_array(b, "b")
    if b.size != 1:
        raise ValueError(f"b must be a single number, got shape {b.shape}")
    step = _check_step(step)
    out = np.asarray(call_exercise(step, X @ w + b.reshape(())), dtype=float)
    if out.shape != (X.shape[0],):
        raise ValueError(
            f"step must return one value per instance, shape ({X.shape[0]},), got {out.shape}"
        )
    return out


def tlu_accuracy(w, b, X, y, step=None) -> float:
    """Fraction of instances whose TLU output ``step(X @ w + b)`` equals the label in ``y``.

    Shapes as in :func:`tlu_predictions`; ``y`` has shape (n_instances,). Returns a float in
    [0, 1].
    """
    y = as_real_array(y, "y", ndim=1)
    predictions = tlu_predictions(w, b, X, step)
    if y.shape != predictions.shape:
        raise ValueError(f"y must hold one label per row of X ({len(predictions)}), got {y.shape}")
    return float(np.mean(predictions == y))


def new_axes(ax, figsize=(5.5, 4.5)) -> Axes:
    """``ax``, or new axes of ``figsize`` when it is None; anything else is refused."""
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    elif not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None, got {describe(ax)}")
    return ax


def _fmt(value: float) -> str:
    return f"{value:.3g}"


def _clip_rectangle(w, b, xlim, ylim, side: float) -> np.ndarray:
    """Corners of the part of the rectangle where side * (x . w + b) >= 0 (may be empty)."""
    corners = np.array([[xlim[0], ylim[0]], [xlim[1], ylim[0]],
                        [xlim[1], ylim[1]], [xlim[0], ylim[1]]])
    values = side * (corners @ w + b)
    kept = []
    for i in range(4):
        p, q = corners[i], corners[(i + 1) % 4]
        vp, vq = values[i], values[(i + 1) % 4]
        if vp >= 0:
            kept.append(p)
        if vp * vq < 0:
            kept.append(p + (q - p) * vp / (vp - vq))
    return np.array(kept).reshape(-1, 2)


def _limits(X: np.ndarray, padding: float) -> tuple[tuple, tuple]:
    low, high = X.min(axis=0), X.max(axis=0)
    span = np.maximum(high - low, 1.0)
    pad = padding * span if padding < 1 else np.full(2, padding)
    return (low[0] - pad[0], high[0] + pad[0]), (low[1] - pad[1], high[1] + pad[1])


def _visible_segment(w, b, xlim, ylim) -> np.ndarray:
    """End points, shape (k, 2), of the line x . w + b = 0 inside the rectangle (k = 0 or 2)."""
    corners = np.array([[xlim[0], ylim[0]], [xlim[1], ylim[0]],
                        [xlim[1], ylim[1]], [xlim[0], ylim[1]]])
    values = corners @ w + b
    points = []
    for i in range(4):
        p, q = corners[i], corners[(i + 1) % 4]
        vp, vq = values[i], values[(i + 1) % 4]
        if vp == 0:
            points.append(p)
        elif vp * vq < 0:
            points.append(p + (q - p) * vp / (vp - vq))
    if len(points) < 2:
        return np.empty((0, 2))
    points = np.array(points)
    distances = np.linalg.norm(points[:, None] - points[None], axis=-1)
    i, j = np.unravel_index(np.argmax(distances), distances.shape)
    return points[[i, j]]


def _draw_boundary(ax: Axes, w: np.ndarray, b: float, xlim, ylim, X: np.ndarray) -> None:
    """Shade both half-planes, draw the line x . w + b = 0 and an arrow along w."""
    for side, color in ((-1.0, REGION_COLORS[0]), (1.0, REGION_COLORS[1])):
        polygon = _clip_rectangle(w, b, xlim, ylim, side)
        if len(polygon) >= 3:
            ax.fill(polygon[:, 0], polygon[:, 1], color=color, zorder=0, linewidth=0)
    norm2 = float(w @ w)
    if norm2 == 0.0:
        return  # w = 0: every input gets the same output, there is no line
    centre = np.array([np.mean(xlim), np.mean(ylim)])
    foot = centre - (centre @ w + b) / norm2 * w  # the line's point nearest the centre
    direction = np.array([-w[1], w[0]])
    ax.axline(tuple(foot), tuple(foot + direction), color="black", linewidth=2, zorder=2)
    segment = _visible_segment(w, b, xlim, ylim)
    if len(segment) < 2 or np.allclose(segment[0], segment[1]):
        return
    # The arrow along w starts on the visible part of the line, where it covers no data point.
    length = 0.15 * min(xlim[1] - xlim[0], ylim[1] - ylim[0])
    unit = w / np.sqrt(norm2)
    fractions = np.linspace(0.2, 0.8, 13)
    starts = segment[0] + fractions[:, None] * (segment[1] - segment[0])
    tips = starts + 1.3 * length * unit  # leave room for the label
    clearance = np.min(np.linalg.norm(tips[:, None] - X[None], axis=-1), axis=1)
    clearance -= 1e-3 * np.abs(fractions - 0.5)  # on near-ties, prefer the middle
    start = starts[np.argmax(clearance)]
    tip = start + length * unit
    ax.annotate("", xy=tuple(tip), xytext=tuple(start), zorder=3,
                arrowprops={"arrowstyle": "-|>", "color": "black", "linewidth": 1.5})
    ax.annotate("w", xy=tuple(tip), xytext=(4, 4), textcoords="offset points",
                fontweight="bold", zorder=3)


def _class_label(value: float) -> str:
    return f"class {int(value)}" if float(value).is_integer() else f"class {value:g}"


@needs_exercises
def plot_decision_boundary(w, b, X, y, ax=None, step=None, *, title: str | None = None,
                           padding: float = 0.5, legend: bool | str = True) -> Axes:
    """Draw a TLU's decision boundary over a 2-D data set.

    The half-plane where ``x . w + b >= 0`` is shaded orange, the other one blue; the line
    ``x . w + b = 0`` is drawn in black with an arrow along ``w`` (w points to the side where
    the weighted sum is positive). Points are marked by class; points the TLU gets wrong
    are circled in red. The title reports the accuracy.

    Parameters
    ----------
    w : array-like, shape (2,)
        Weights.
    b : float
        Bias.
    X : array-like, shape (n_instances, 2)
        Inputs, columns x1 and x2.
    y : array-like, shape (n_instances,)
        Labels (e.g. 0/1), compared with the TLU's outputs ``step(X @ w + b)``.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when None.
    step : callable, optional
        Step function for the TLU's outputs; heaviside (1 where z >= 0, else 0) by default.
    title : str, optional
        Replaces the default title (which gives w, b and the accuracy).
    padding : float
        Margin around the data: a fraction of the data's extent when below 1, else absolute.
    legend : bool or str
        Whether to draw a legend; True or "outside" puts it to the right of the axes (where
        it covers no point), another string is passed to matplotlib as the legend's ``loc``.

    Returns
    -------
    matplotlib Axes
    """
    w, b, X, y = _check_problem(w, b, X, y)
    step = _check_step(step)
    ax = new_axes(ax)
    xlim, ylim = _limits(X, padding)
    _draw_boundary(ax, w, b, xlim, ylim, X)

    predictions = tlu_predictions(w, b, X, step)
    classes = np.unique(y)
    for k, value in enumerate(classes):
        mask = y == value
        ax.scatter(X[mask, 0], X[mask, 1], s=45, zorder=4, edgecolors="black", linewidths=0.5,
                   color=CLASS_COLORS[k % 2] if len(classes) <= 2 else f"C{k}",
                   marker=CLASS_MARKERS[k % 2], label=_class_label(value))
    wrong = predictions != y
    if wrong.any():
        ax.scatter(X[wrong, 0], X[wrong, 1], s=190, facecolors="none", edgecolors="red",
                   linewidths=1.8, zorder=5, label="misclassified")

    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    if title is None:
        accuracy = float(np.mean(~wrong))
        title = (f"TLU with w = ({_fmt(w[0])}, {_fmt(w[1])}), b = {_fmt(b)}\n"
                 f"accuracy {accuracy:.0%} ({int((~wrong).sum())} of {len(y)})")
    ax.set_title(title)
    if legend:
        handles, _ = ax.get_legend_handles_labels()
        handles += [Patch(color=REGION_COLORS[1], label=r"$\mathbf{x}\cdot\mathbf{w} + b \geq 0$"),
                    Patch(color=REGION_COLORS[0], label=r"$\mathbf{x}\cdot\mathbf{w} + b < 0$")]
        if legend is True or legend == "outside":  # beside the axes: never over the points
            placement = {"loc": "upper left", "bbox_to_anchor": (1.02, 1.0)}
        else:
            placement = {"loc": legend if isinstance(legend, str) else "best"}
        ax.legend(handles=handles, fontsize="small", framealpha=0.85, **placement)
    return ax


def plot_xor_problem(ax=None, w=None, b=None) -> Axes:
    """The four XOR inputs, marked by output, with an optional attempt at a separating line.

    Parameters
    ----------
    ax : matplotlib Axes, optional
        Where to draw; a new figure when None.
    w : array-like, shape (2,), optional
        Weights of a TLU to try (give ``b`` too).
    b : float, optional
        Its bias.

    Returns
    -------
    matplotlib Axes
        The title says how many of the four points the line gets wrong (at least one, always).
    """
    if (w is None) != (b is None):
        raise ValueError("give both w and b (a line to try), or neither (only the points)")
    X, y = truth_table("XOR")
    ax = new_axes(ax, figsize=(5, 4.5))
    if w is None:
        for k, value in enumerate((0, 1)):
            mask = y == value
            ax.scatter(X[mask, 0], X[mask, 1], s=90, zorder=4, edgecolors="black",
                       color=CLASS_COLORS[k], marker=CLASS_MARKERS[k], label=f"XOR = {value}")
        ax.set_xlim(-0.5, 1.5)
        ax.set_ylim(-0.5, 1.5)
        ax.set_aspect("equal", adjustable="box")
        ax.set_xlabel("$x_1$")
        ax.set_ylabel("$x_2$")
        ax.set_title("XOR: no single straight line separates the two classes")
        ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize="small")
    else:
        w, b, X, y = _check_problem(w, b, X, y)
        n_wrong = int(np.sum(tlu_predictions(w, b, X) != y))
        plot_decision_boundary(w, b, X, y, ax=ax, padding=0.5, legend="outside",
                               title=f"XOR with w = ({_fmt(w[0])}, {_fmt(w[1])}), "
                                     f"b = {_fmt(b)}:\n{n_wrong} of 4 points misclassified")
    for (x1, x2), value in zip(X, y, strict=True):
        ax.annotate(f"({x1:g}, {x2:g}) → {value:g}", xy=(x1, x2), xytext=(0, -17),
                    textcoords="offset points", ha="center", fontsize="small", zorder=6)
    return ax


def _evaluate(func, t, name: str) -> np.ndarray:
    out = np.asarray(call_exercise(func, t), dtype=float)
    if out.shape != np.shape(t):
        raise ValueError(
            f"funcs[{name!r}] returned shape {out.shape} for t of shape {np.shape(t)}; "
            "a step function must return an array of the same shape as t"
        )
    return out


@needs_exercises
def plot_step_functions(funcs: Mapping[str, Callable], ax=None, *,
                        t_range: tuple[float, float] = (-3.0, 3.0)) -> list[Axes]:
    """Plot step functions such as heaviside and sign, showing their value at t = 0.

    Each function is drawn as two pieces (t < 0 and t > 0); at t = 0 a filled dot marks the
    value the function returns there, and an open circle the end of a piece that does not
    reach it, the usual way of drawing a jump.

    Parameters
    ----------
    funcs : dict of {str: callable}
        Label -> function. Each function takes an array t of shape (n,) and returns an
        array of shape (n,).
    ax : matplotlib Axes or sequence of Axes, optional
        None: a new figure with one panel per function. One Axes: all functions on it.
        A sequence: one Axes per function.
    t_range : (float, float)
        The interval of t to draw.

    Returns
    -------
    list of matplotlib Axes, one per function (the same Axes repeated if one was given)
    """
    if not isinstance(funcs, Mapping) or len(funcs) == 0:
        raise TypeError(
            f"funcs must be a non-empty dict of name -> function, got {describe(funcs)}"
        )
    for name, func in funcs.items():
        if not callable(func):
            raise TypeError(f"funcs[{name!r}] must be a function, got {describe(func)}")
    if (not isinstance(t_range, Sequence) or len(t_range) != 2
            or not all(isinstance(v, numbers.Real) for v in t_range)
            or not t_range[0] < t_range[1]):
        raise ValueError(
            f"t_range must be two numbers (low, high) with low < high, got {t_range!r}"
        )
    n = len(funcs)
    if ax is None:
        _, grid = plt.subplots(1, n, figsize=(4.3 * n, 3.4), squeeze=False)
        axes = list(grid[0])
    elif isinstance(ax, Axes):
        axes = [ax] * n
    elif isinstance(ax, Sequence | np.ndarray) and len(ax) == n and all(
            isinstance(a, Axes) for a in ax):
        axes = list(ax)
    else:
        raise TypeError(f"ax must be None, an Axes or {n} Axes (one per function), "
                        f"got {describe(ax)}")
    shared = len(set(map(id, axes))) < n

    low, high = float(t_range[0]), float(t_range[1])
    values = []
    for k, ((name, func), axis) in enumerate(zip(funcs.items(), axes, strict=True)):
        color = f"C{k}"
        label = name if shared else None
        if low < 0 < high:
            left = np.linspace(low, -1e-9, 300)
            right = np.linspace(1e-9, high, 300)
            left_values = _evaluate(func, left, name)
            right_values = _evaluate(func, right, name)
            values += [left_values, right_values]
            axis.plot(left, left_values, color=color, linewidth=2, label=label)
            axis.plot(right, right_values, color=color, linewidth=2)
            at_zero = _evaluate(func, np.zeros(1), name)[0]
            ends = _evaluate(func, np.array([-1e-9, 1e-9]), name)
            for end in ends:
                if abs(end - at_zero) > 1e-6:
                    axis.plot(0, end, "o", markersize=7, markerfacecolor="white",
                              markeredgecolor=color, markeredgewidth=1.8, zorder=4)
            axis.plot(0, at_zero, "o", markersize=7, color=color, zorder=5)
        else:
            t = np.linspace(low, high, 600)
            values.append(_evaluate(func, t, name))
            axis.plot(t, values[-1], color=color, linewidth=2, label=label)
        axis.axhline(0, color="grey", linewidth=0.6, zorder=0)
        axis.axvline(0, color="grey", linewidth=0.6, zorder=0)
        axis.set_xlabel("$t$")
        axis.set_ylabel("output" if shared else f"{name}($t$)")
        axis.set_title("Step functions" if shared else f"{name}($t$)")
        axis.grid(alpha=0.3)
        axis.margins(y=0.12)
        seen = np.concatenate(values[-2:] if low < 0 < high else values[-1:])
        if seen.size and np.all(np.isfinite(seen)) and np.all(seen == np.round(seen)):
            axis.set_yticks(np.arange(seen.min(), seen.max() + 1))
    if shared:
        axes[0].legend(fontsize="small")
    return axes
