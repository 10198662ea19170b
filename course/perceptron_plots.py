"""Figures and data for notebook 03 (the perceptron).

- :func:`load_iris_petals`: the iris flowers' petal length and width, from scikit-learn (imported
  only when called: the course package itself needs only numpy and matplotlib);
- :func:`plot_network`: a diagram of input neurons, the bias neuron and a dense layer of TLUs;
- :func:`plot_mistakes`: mistakes per epoch of one or several training runs;
- :func:`plot_decision_regions`: the plane split by one TLU, or by a layer of several TLUs.

Notation of the lecture: ``X`` has shape (n_instances, n_inputs), ``W`` has one row per input and
one column per neuron, shape (n_inputs, n_neurons), and ``b`` one entry per neuron, shape
(n_neurons,). A layer of TLUs outputs ``step(X @ W + b)``, shape (n_instances, n_neurons).

Every plotting function draws on ``ax`` (a new figure when ``ax`` is None), labels the axes,
sets a title and returns the Axes it drew on. Nothing is shown.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, Patch
from matplotlib.ticker import MaxNLocator

from course.plots import new_axes
from course.validation import as_real_array, check_int, describe

IRIS_CLASSES = ("setosa", "versicolor", "virginica")
IRIS_FEATURES = ("petal length (cm)", "petal width (cm)")

CLASS_COLORS = ("tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple", "tab:brown")
CLASS_MARKERS = ("o", "^", "s", "D", "v", "P")
LIGHT_COLORS = ("#c6dbef", "#fdd0a2", "#c7e9c0", "#fcbba1", "#dadaeb", "#e7cbb3")
NONE_COLOR = "#ffffff"  # no unit fires
SEVERAL_COLOR = "#bdbdbd"  # several units fire


def _heaviside(z):
    """The course's convention: 1.0 where z >= 0, else 0.0 (used when no step is given)."""
    # numpy's own step, so the package holds no copy of notebook 01's answer
    return np.heaviside(np.asarray(z, dtype=float), 1.0)


def _new_axes(ax, figsize=(5.5, 4.5)) -> Axes:
    return new_axes(ax, figsize)


# --- data ---------------------------------------------------------------------------------

def load_iris_petals() -> tuple[np.ndarray, np.ndarray]:
    """The iris data set's petal length and width (cm) and species, as in Géron's chapter 10.

    The data ship with scikit-learn (nothing is downloaded). scikit-learn is imported here, not
    when the course package is imported, so that the rest of the package works without it.

    Returns
    -------
    X : np.ndarray of float64, shape (150, 2)
        Petal length and petal width in cm (see ``IRIS_FEATURES``), one row per flower.
    y : np.ndarray of int64, shape (150,)
        Species: 0 setosa, 1 versicolor, 2 virginica (see ``IRIS_CLASSES``), 50 of each.

    Raises
    ------
    ImportError
        If scikit-learn is not installed, with the command that installs it.
    """
    try:
        from sklearn.datasets import load_iris
    except ImportError as exc:
        raise ImportError(
            "load_iris_petals needs scikit-learn, which holds the iris data set: install it "
            "with `pip install scikit-learn` (Colab has it already)"
        ) from exc
    iris = load_iris()
    X = np.array(iris.data[:, 2:4], dtype=np.float64)
    y = np.array(iris.target, dtype=np.int64)
    return X, y


# --- the network diagram --------------------------------------------------------------------

def _labels(labels, default: list[str], name: str) -> list[str]:
    if labels is None:
        return default
    if isinstance(labels, str) or not isinstance(labels, Sequence) or len(labels) != len(default):
        raise ValueError(f"{name} must be a list of {len(default)} strings, got {describe(labels)}")
    return [str(label) for label in labels]


def plot_network(n_inputs: int = 2, n_neurons: int = 3, ax=None, *, input_labels=None,
                 output_labels=None, title: str | None = None) -> Axes:
    """Draw a perceptron: input neurons, the bias neuron and a dense layer of TLUs.

    Every input neuron and the bias neuron is connected to every TLU (a *dense*, or *fully
    connected*, layer). The connection from input i to neuron j carries the weight ``W[i, j]``;
    the bias neuron always outputs 1, and its connection to neuron j carries ``b[j]``.

    Parameters
    ----------
    n_inputs : int, 1 to 8
        Number of input neurons (features).
    n_neurons : int, 1 to 8
        Number of TLUs in the layer (outputs).
    ax : matplotlib Axes, optional
        Where to draw; a new figure when None.
    input_labels, output_labels : list of str, optional
        Names of the inputs (default x1, x2, ...) and of the outputs (default y1, y2, ...).
    title : str, optional
        Replaces the default title.

    Returns
    -------
    matplotlib Axes
    """
    n_inputs = check_int(n_inputs, "n_inputs", minimum=1)
    n_neurons = check_int(n_neurons, "n_neurons", minimum=1)
    if n_inputs > 8 or n_neurons > 8:
        raise ValueError(f"n_inputs and n_neurons must be at most 8 to fit in a diagram, got "
                         f"{n_inputs} and {n_neurons}")
    inputs = _labels(input_labels, [f"$x_{i + 1}$" for i in range(n_inputs)], "input_labels")
    outputs = _labels(output_labels, [f"$\\hat y_{j + 1}$" for j in range(n_neurons)],
                      "output_labels")
    ax = _new_axes(ax, figsize=(7.5, 1.2 + 0.95 * max(n_inputs + 1, n_neurons)))
    radius = 0.28
    height = max(n_inputs + 1, n_neurons)
    left = [(0.0, height - 1 - i - (height - n_inputs - 1) / 2) for i in range(n_inputs + 1)]
    right = [(3.0, height - 1 - j - (height - n_neurons) / 2) for j in range(n_neurons)]
    for k, (x0, y0) in enumerate(left):  # connections first, so circles cover their ends
        for j, (x1, y1) in enumerate(right):
            bias = k == n_inputs
            ax.plot([x0 + radius, x1 - radius], [y0, y1], color="grey" if bias else "black",
                    linestyle="--" if bias else "-", linewidth=0.9, zorder=1)
            if n_inputs + 1 <= 3 and n_neurons <= 3:  # label the weights when there is room
                label = f"$b_{j + 1}$" if bias else f"$w_{{{k + 1},{j + 1}}}$"
                t = 0.3 + 0.08 * j
                ax.annotate(label, xy=(x0 + t * (x1 - x0), y0 + t * (y1 - y0)),
                            fontsize="x-small", ha="center", va="bottom", color="dimgrey")
    for k, (x0, y0) in enumerate(left):
        bias = k == n_inputs
        ax.add_patch(Circle((x0, y0), radius, facecolor="#fff5cc" if bias else "#dbe9f6",
                            edgecolor="black", zorder=2))
        ax.text(x0, y0, "1" if bias else inputs[k], ha="center", va="center", zorder=3)
        ax.text(x0 - radius - 0.12, y0, "bias neuron\n(always 1)" if bias else "input",
                ha="right", va="center", fontsize="small")
    for j, (x1, y1) in enumerate(right):
        ax.add_patch(Circle((x1, y1), radius, facecolor="#fde0c5", edgecolor="black", zorder=2))
        ax.text(x1, y1, "Σ | φ", ha="center", va="center", fontsize="small", zorder=3)
        ax.annotate("", xy=(x1 + radius + 0.6, y1), xytext=(x1 + radius, y1),
                    arrowprops={"arrowstyle": "-|>", "color": "black"})
        ax.text(x1 + radius + 0.7, y1, outputs[j], ha="left", va="center")
    top = height - 0.3
    ax.text(0.0, top, "input layer", ha="center", va="bottom", fontweight="bold")
    ax.text(3.0, top, f"dense layer: {n_neurons} TLU{'s' if n_neurons > 1 else ''}",
            ha="center", va="bottom", fontweight="bold")
    ax.set_xlim(-2.2, 4.6)
    ax.set_ylim(-0.7, height + 0.2)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xlabel("information flows from left to right: "
                  r"$\hat{\mathbf{y}} = \phi(\mathbf{x}\mathbf{W} + \mathbf{b})$")
    ax.set_ylabel("neurons")
    ax.set_title(title or f"A perceptron with {n_inputs} input{'s' if n_inputs > 1 else ''} "
                          f"and {n_neurons} output{'s' if n_neurons > 1 else ''}")
    return ax


# --- mistakes per epoch ---------------------------------------------------------------------

def _as_counts(values, name: str) -> np.ndarray:
    counts = as_real_array(values, name, ndim=1)
    if counts.size == 0:
        raise ValueError(f"{name} must hold one count per epoch, got an empty array")
    if not np.all(np.isfinite(counts)) or np.any(counts < 0):
        raise ValueError(f"{name} must hold non-negative counts, got {counts.tolist()}")
    return counts


def plot_mistakes(mistakes, ax=None, *, title: str | None = None,
                  log: bool = False) -> Axes:
    """Plot the number of mistakes in each epoch of perceptron training.

    Parameters
    ----------
    mistakes : array-like of shape (n_epochs,), or dict of {label: array-like}
        Mistakes per epoch (as returned by ``fit_perceptron``); a dict draws several runs, one
        line each, labelled by its key.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when None.
    title : str, optional
        Replaces the default title.
    log : bool
        Use a symmetric-log y axis (counts of very different sizes).

    Returns
    -------
    matplotlib Axes
    """
    runs = dict(mistakes) if isinstance(mistakes, Mapping) else {None: mistakes}
    if not runs:
        raise ValueError("mistakes must hold at least one run, got an empty dict")
    runs = {label: _as_counts(values, "mistakes" if label is None else f"mistakes[{label!r}]")
            for label, values in runs.items()}
    ax = _new_axes(ax, figsize=(6.5, 3.8))
    longest = 0
    for k, (label, counts) in enumerate(runs.items()):
        epochs = np.arange(1, counts.size + 1)
        longest = max(longest, counts.size)
        ax.plot(epochs, counts, marker=CLASS_MARKERS[k % len(CLASS_MARKERS)], markersize=5,
                color=CLASS_COLORS[k % len(CLASS_COLORS)], label=label, linewidth=1.6)
    ax.axhline(0, color="grey", linewidth=0.8, zorder=0)
    if log:
        ax.set_yscale("symlog", linthresh=1)
    else:
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("epoch")
    ax.set_ylabel("mistakes in the epoch")
    ax.set_xlim(0.5, longest + 0.5)
    if longest <= 25:
        ax.set_xticks(np.arange(1, longest + 1, 1 if longest <= 12 else 2))
    ax.grid(alpha=0.3)
    ax.set_title(title or "Perceptron training: mistakes per epoch")
    if any(label is not None for label in runs):
        ax.legend(fontsize="small")
    return ax


# --- decision regions -----------------------------------------------------------------------

def _check_layer(W, b, X, y) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """W (2, k), b (k,), X (n, 2), y (n,) as float64; a single TLU's w (2,) and b become k = 1."""
    X = as_real_array(X, "X", ndim=2)
    if X.shape[1] != 2 or X.shape[0] == 0:
        raise ValueError(f"X must have shape (n_instances, 2), two features that can be drawn "
                         f"in the plane, got shape {X.shape}")
    y = as_real_array(y, "y", ndim=1)
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must hold one label per row of X ({X.shape[0]}), got shape {y.shape}")
    W = as_real_array(W, "W", ndim=(1, 2))
    if W.ndim == 1:
        W = W[:, None]
    if W.shape[0] != 2:
        raise ValueError(f"W must have shape (2, n_neurons), one row per input, got {W.shape}")
    b = as_real_array(b, "b", ndim=(0, 1)).reshape(-1)
    if b.shape != (W.shape[1],):
        raise ValueError(f"b must hold one bias per neuron (column of W, {W.shape[1]}), "
                         f"got {b.size}")
    if not (np.all(np.isfinite(W)) and np.all(np.isfinite(b))):
        raise ValueError("W and b must be finite numbers")
    return W, b, X, y


def _grid(X: np.ndarray, padding: float, resolution: int):
    low, high = X.min(axis=0), X.max(axis=0)
    pad = padding * np.maximum(high - low, 1.0)
    x1 = np.linspace(low[0] - pad[0], high[0] + pad[0], resolution)
    x2 = np.linspace(low[1] - pad[1], high[1] + pad[1], resolution)
    g1, g2 = np.meshgrid(x1, x2)
    return g1, g2, np.column_stack([g1.ravel(), g2.ravel()])


def plot_decision_regions(W, b, X, y, ax=None, step: Callable | None = None, *,
                          class_names: Sequence[str] | None = None,
                          feature_names: Sequence[str] = ("$x_1$", "$x_2$"),
                          rule: str = "fire", title: str | None = None,
                          padding: float = 0.15, resolution: int = 300) -> Axes:
    """Colour the plane by what a layer of TLUs outputs there, and draw the data on top.

    With one TLU (``W`` of shape (2,) or (2, 1)) the region where it outputs 1 is shaded in the
    colour of class 1, the rest in the colour of class 0. With several TLUs, unit j standing for
    class j (one-vs-rest), ``rule`` decides:

    - ``"fire"``: a point takes class j's colour where unit j is the only one that fires, white
      where none fires and grey where several do (both: no clear answer);
    - ``"argmax"``: a point takes the class whose weighted sum ``(x @ W + b)[j]`` is largest
      (every point gets a class).

    Each unit's boundary ``x @ W[:, j] + b[j] = 0`` is drawn as a dashed line in its colour.

    Parameters
    ----------
    W : array-like, shape (2, n_neurons), or (2,) for a single TLU
    b : array-like, shape (n_neurons,), or a number for a single TLU
    X : array-like, shape (n_instances, 2)
    y : array-like, shape (n_instances,)
        Class labels 0, 1, ..., marked by colour and shape.
    ax : matplotlib Axes, optional
    step : callable, optional
        The units' step function; heaviside (1 where z >= 0) by default.
    class_names : list of str, optional
        Names of classes 0, 1, ... (default "class 0", ...).
    feature_names : (str, str)
        Axis labels.
    rule : "fire" or "argmax"
    title : str, optional
        Replaces the default title (which gives the training accuracy).
    padding : float
        Margin around the data, as a fraction of its extent.
    resolution : int
        Grid points per axis.

    Returns
    -------
    matplotlib Axes
    """
    W, b, X, y = _check_layer(W, b, X, y)
    if step is None:
        step = _heaviside
    elif not callable(step):
        raise TypeError(f"step must be a function such as heaviside, got {describe(step)}")
    if rule not in ("fire", "argmax"):
        raise ValueError(f"rule must be 'fire' or 'argmax', got {rule!r}")
    resolution = check_int(resolution, "resolution", minimum=10)
    n_neurons = W.shape[1]
    labels = y.astype(int)
    if not np.array_equal(labels, y) or labels.min() < 0:
        raise ValueError("y must hold class labels 0, 1, 2, ...")
    n_classes = max(int(labels.max()) + 1, 2 if n_neurons == 1 else n_neurons)
    if n_classes > len(CLASS_COLORS):
        raise ValueError(f"at most {len(CLASS_COLORS)} classes can be drawn, got {n_classes}")
    names = list(class_names) if class_names is not None else [
        f"class {k}" for k in range(n_classes)]
    if len(names) < n_classes:
        raise ValueError(f"class_names must name {n_classes} classes, got {len(names)}")
    if n_neurons > 1 and n_neurons != n_classes:
        raise ValueError(f"with several TLUs, one per class: W has {n_neurons} columns but y "
                         f"has {n_classes} classes")

    ax = _new_axes(ax, figsize=(6.2, 4.6))
    g1, g2, grid = _grid(X, padding, resolution)

    def outputs(points):
        out = np.asarray(step(points @ W + b), dtype=float)
        if out.shape != (len(points), n_neurons):
            raise ValueError(f"step must return one value per unit, shape "
                             f"({len(points)}, {n_neurons}), got {out.shape}")
        return out

    def classify(points):
        """Region codes: a class 0..n_classes-1, n_classes = none fires, +1 = several."""
        if n_neurons == 1:
            return (outputs(points)[:, 0] >= 0.5).astype(int)
        if rule == "argmax":
            return np.argmax(points @ W + b, axis=1)
        fired = outputs(points) >= 0.5
        count = fired.sum(axis=1)
        return np.where(count == 1, np.argmax(fired, axis=1),
                        np.where(count == 0, n_classes, n_classes + 1))

    regions = classify(grid).reshape(g1.shape)
    colors = ListedColormap(list(LIGHT_COLORS[:n_classes]) + [NONE_COLOR, SEVERAL_COLOR])
    ax.pcolormesh(g1, g2, regions, cmap=colors, vmin=-0.5, vmax=n_classes + 1.5,
                  shading="auto", zorder=0)
    handles = []
    for j in range(n_neurons):
        color = CLASS_COLORS[1] if n_neurons == 1 else CLASS_COLORS[j]
        ax.contour(g1, g2, (grid @ W[:, j] + b[j]).reshape(g1.shape), levels=[0.0],
                   colors=[color if n_neurons > 1 else "black"], linewidths=1.8,
                   linestyles="--" if n_neurons > 1 else "-", zorder=2)
        if n_neurons > 1:
            handles.append(Line2D([], [], color=color, linestyle="--",
                                  label=f"boundary of unit {j + 1} ({names[j]})"))
    for k in range(n_classes):
        mask = labels == k
        if mask.any():
            ax.scatter(X[mask, 0], X[mask, 1], s=28, zorder=4, edgecolors="black",
                       linewidths=0.5, color=CLASS_COLORS[k], marker=CLASS_MARKERS[k],
                       label=names[k])
    predicted = classify(X)
    wrong = predicted != labels
    if wrong.any():
        ax.scatter(X[wrong, 0], X[wrong, 1], s=110, facecolors="none", edgecolors="red",
                   linewidths=1.4, zorder=5, label="misclassified")
    point_handles, _ = ax.get_legend_handles_labels()
    if n_neurons == 1:
        handles += [Patch(facecolor=LIGHT_COLORS[1], label="the TLU outputs 1"),
                    Patch(facecolor=LIGHT_COLORS[0], label="the TLU outputs 0")]
    if n_neurons > 1 and rule == "fire":
        handles += [Patch(facecolor=NONE_COLOR, edgecolor="grey", label="no unit fires"),
                    Patch(facecolor=SEVERAL_COLOR, label="several units fire")]
    ax.legend(handles=point_handles + handles, fontsize="x-small", framealpha=0.85,
              loc="upper left", bbox_to_anchor=(1.02, 1.0))
    ax.set_xlim(g1.min(), g1.max())
    ax.set_ylim(g2.min(), g2.max())
    ax.set_xlabel(feature_names[0])
    ax.set_ylabel(feature_names[1])
    if title is None:
        what = ("one TLU" if n_neurons == 1 else
                f"{n_neurons} TLUs, " + ("only one fires" if rule == "fire" else "largest sum"))
        title = (f"Decision regions of {what}\ntraining accuracy {np.mean(~wrong):.0%} "
                 f"({int((~wrong).sum())} of {len(labels)})")
    ax.set_title(title)
    return ax
