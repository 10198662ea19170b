"""Figures for notebook 04 (the multilayer perceptron), drawn from the student's own functions.

- :func:`check_params`: validate a network in the ``params`` structure, with clear messages;
- :func:`plot_activations`: activation functions next to their derivatives;
- :func:`plot_network`: a diagram of a network drawn from its ``params``: neurons, bias units,
  and connections whose width and colour show the weights;
- :func:`plot_decision_regions`: what a network with two inputs outputs over the plane, with
  its 0.5 boundary and, optionally, the lines of its first hidden layer's units;
- :func:`plot_hidden_space`: instances seen through a hidden layer of two units.

The ``params`` structure (notebook 04 documents it): a list with one dict per layer, input to
output, ``{"W": (n_in, n_out), "b": (n_out,), "activation": name}``, with ``name`` one of
``ACTIVATION_NAMES``; a layer computes ``phi(A @ W + b)``.

Every plotting function draws on ``ax`` (a new figure when ``ax`` is None), labels the axes,
sets a title and returns what it drew on. Nothing is shown.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.lines import Line2D
from matplotlib.patches import Circle
from matplotlib.ticker import MaxNLocator

from course.plots import new_axes
from course.validation import as_real_array, describe

ACTIVATION_NAMES = ("linear", "sigmoid", "tanh", "relu", "softmax")
CLASS_COLORS = ("tab:blue", "tab:orange")
CLASS_MARKERS = ("o", "^")
WEIGHT_CMAP = "coolwarm_r"  # blue for positive weights, red for negative ones


# --- the params structure -------------------------------------------------------------------

def check_params(params, name: str = "params") -> list[dict]:
    """Check a network in the params structure; return its layers with float64 arrays.

    Parameters
    ----------
    params : list of dict
        One dict per layer, input to output: ``{"W": (n_in, n_out), "b": (n_out,),
        "activation": one of ACTIVATION_NAMES}``; each layer's n_in is the previous n_out,
        and softmax is allowed on the last layer only.
    name : str
        How to call ``params`` in error messages.

    Returns
    -------
    list of dict
        The same layers, ``W`` and ``b`` converted to float64 arrays (the input is not changed).

    Raises
    ------
    TypeError, ValueError
        Naming the layer and key that is wrong, what was expected and what came.
    """
    if (isinstance(params, (dict, str)) or not isinstance(params, Sequence)
            or len(params) == 0):
        raise TypeError(f"{name} must be a non-empty list of layers (dicts with 'W', 'b' and "
                        f"'activation'), got {describe(params)}")
    layers = []
    for i, layer in enumerate(params):
        where = f"{name}[{i}]"
        if not isinstance(layer, Mapping) or not {"W", "b", "activation"} <= set(layer):
            raise TypeError(f"{where} must be a dict with keys 'W', 'b' and 'activation', "
                            f"got {describe(layer)}")
        W = as_real_array(layer["W"], f"{where}['W']", ndim=2)
        b = as_real_array(layer["b"], f"{where}['b']", ndim=1)
        if b.shape != (W.shape[1],):
            raise ValueError(f"{where}['b'] must hold one bias per neuron (column of W, "
                             f"{W.shape[1]}), got shape {b.shape}")
        if i > 0 and W.shape[0] != layers[-1]["W"].shape[1]:
            raise ValueError(f"{where}['W'] must have one row per neuron of the layer below "
                             f"({layers[-1]['W'].shape[1]}), got shape {W.shape}")
        activation = layer["activation"]
        if not isinstance(activation, str) or activation not in ACTIVATION_NAMES:
            raise ValueError(f"{where}['activation'] must be one of "
                             f"{', '.join(ACTIVATION_NAMES)}, got {activation!r}")
        if activation == "softmax" and i < len(params) - 1:
            raise ValueError(f"{where}['activation']: softmax belongs on the output layer only")
        layers.append({"W": W, "b": b, "activation": activation})
    return layers


def count_parameters(params) -> int:
    """Number of weights and biases of a network: the sum of n_in * n_out + n_out."""
    return int(sum(layer["W"].size + layer["b"].size for layer in check_params(params)))


# --- activation functions -------------------------------------------------------------------

def _check_function_pair(name, pair) -> tuple[Callable, Callable | None]:
    if callable(pair):
        return pair, None
    if (isinstance(pair, Sequence) and len(pair) == 2 and callable(pair[0])
            and (pair[1] is None or callable(pair[1]))):
        return pair[0], pair[1]
    raise TypeError(f"functions[{name!r}] must be a function or a pair (function, derivative), "
                    f"got {describe(pair)}")


def _evaluate(func, z: np.ndarray, what: str) -> np.ndarray:
    values = as_real_array(func(z), what)
    if values.shape != z.shape:
        raise ValueError(f"{what} must return one value per z, shape {z.shape}, "
                         f"got {values.shape}")
    return values


def plot_activations(functions: Mapping, axes=None, *,
                     z_range: tuple[float, float] = (-4.5, 4.5)) -> list[Axes]:
    """Draw activation functions and their derivatives, one panel per function.

    Parameters
    ----------
    functions : dict of {str: (callable, callable or None)}
        Name -> (activation, derivative). Each takes an array z of shape (n,) and returns an
        array of shape (n,). A bare function (no derivative) is allowed too.
    axes : sequence of matplotlib Axes, optional
        One per function; a new figure with a row of panels when None.
    z_range : (float, float)
        The interval of z (the pre-activation) to draw.

    Returns
    -------
    list of matplotlib Axes, one per function
    """
    if not isinstance(functions, Mapping) or len(functions) == 0:
        raise TypeError(f"functions must be a non-empty dict of name -> (function, derivative), "
                        f"got {describe(functions)}")
    pairs = {name: _check_function_pair(name, pair) for name, pair in functions.items()}
    if (not isinstance(z_range, Sequence) or len(z_range) != 2
            or not all(isinstance(v, numbers.Real) for v in z_range)
            or not z_range[0] < z_range[1]):
        raise ValueError(f"z_range must be two numbers (low, high) with low < high, "
                         f"got {z_range!r}")
    n = len(pairs)
    if axes is None:
        _, grid = plt.subplots(1, n, figsize=(4.2 * n, 3.5), squeeze=False)
        axes = list(grid[0])
    elif (isinstance(axes, Sequence | np.ndarray) and len(axes) == n
          and all(isinstance(a, Axes) for a in axes)):
        axes = list(axes)
    else:
        raise TypeError(f"axes must be None or {n} Axes (one per function), got {describe(axes)}")
    z = np.linspace(float(z_range[0]), float(z_range[1]), 801)
    for ax, (name, (func, derivative)) in zip(axes, pairs.items(), strict=True):
        ax.axhline(0, color="grey", linewidth=0.6, zorder=0)
        ax.axvline(0, color="grey", linewidth=0.6, zorder=0)
        ax.plot(z, _evaluate(func, z, f"{name}(z)"), color="tab:blue", linewidth=2.2,
                label=f"{name}($z$)")
        if derivative is not None:
            ax.plot(z, _evaluate(derivative, z, f"the derivative of {name}"), color="tab:red",
                    linewidth=2, linestyle="--", label=f"{name}$'(z)$")
        ax.set_xlim(z[0], z[-1])
        ax.margins(y=0.1)
        ax.grid(alpha=0.3)
        ax.set_xlabel("$z$ (pre-activation)")
        ax.set_ylabel("value")
        ax.set_title(name)
        ax.legend(loc="upper left", fontsize="small")
    return axes


# --- network diagram ------------------------------------------------------------------------

def _layer_positions(sizes: list[int], with_bias: list[bool]) -> list[list[tuple]]:
    """Centres of the neurons of each layer (bias unit last), columns 2.6 apart."""
    height = max(n + b for n, b in zip(sizes, with_bias))
    columns = []
    for k, (n, bias) in enumerate(zip(sizes, with_bias)):
        total = n + bias
        top = (height - 1) / 2 + (total - 1) / 2
        columns.append([(2.6 * k, top - i) for i in range(total)])
    return columns


def plot_network(params, ax=None, *, input_labels=None, output_labels=None,
                 title: str | None = None, max_neurons: int = 12) -> Axes:
    """Draw a network from its ``params``: neurons, bias units and weighted connections.

    Each layer is a column of circles, input layer on the left. Every layer but the output
    has a bias unit (a square holding 1) connected to each neuron of the next layer. A
    connection's width grows with |weight| and its colour gives the sign (blue positive, red
    negative, on the scale of the colour bar); bias connections are dashed. Under each layer
    of neurons its activation is written.

    Parameters
    ----------
    params : list of dict
        A network in the params structure (see :func:`check_params`).
    ax : matplotlib Axes, optional
        Where to draw; a new figure when None.
    input_labels, output_labels : list of str, optional
        Names of the inputs (default x1, x2, ...) and of the outputs (default y1, y2, ...).
    title : str, optional
        Replaces the default title (the layer sizes and the number of parameters).
    max_neurons : int
        Layers wider than this are refused (they would not fit).

    Returns
    -------
    matplotlib Axes
        One line per connection (``ax.lines``): sum over layers of (n_in + 1) * n_out.
    """
    layers = check_params(params)
    sizes = [layers[0]["W"].shape[0]] + [layer["W"].shape[1] for layer in layers]
    if max(sizes) > max_neurons:
        raise ValueError(f"layers of at most {max_neurons} neurons fit in a diagram, got sizes "
                         f"{sizes}")
    inputs = _labels(input_labels, [f"$x_{i + 1}$" for i in range(sizes[0])], "input_labels")
    outputs = _labels(output_labels, [f"$\\hat y_{j + 1}$" for j in range(sizes[-1])],
                      "output_labels")
    with_bias = [True] * (len(sizes) - 1) + [False]
    columns = _layer_positions(sizes, with_bias)
    height = max(n + b for n, b in zip(sizes, with_bias))
    ax = new_axes(ax, figsize=(2.4 + 2.3 * len(sizes), 1.4 + 0.75 * height))
    largest = max(max(np.abs(layer["W"]).max(), np.abs(layer["b"]).max()) for layer in layers)
    largest = largest if largest > 0 else 1.0
    norm = Normalize(vmin=-largest, vmax=largest)
    cmap = plt.get_cmap(WEIGHT_CMAP)
    radius = 0.3
    for k, layer in enumerate(layers):  # connections first, so the circles cover their ends
        sources, targets = columns[k], columns[k + 1]
        for i, (x0, y0) in enumerate(sources):
            bias = i == sizes[k]
            weights = layer["b"] if bias else layer["W"][i]
            for j in range(sizes[k + 1]):
                x1, y1 = targets[j]
                weight = float(weights[j])
                ax.plot([x0 + radius, x1 - radius], [y0, y1], color=cmap(norm(weight)),
                        linewidth=0.4 + 3.6 * abs(weight) / largest,
                        linestyle="--" if bias else "-", zorder=1, solid_capstyle="round")
    for k, column in enumerate(columns):
        for i, (x, y) in enumerate(column):
            if with_bias[k] and i == sizes[k]:
                ax.add_patch(plt.Rectangle((x - radius, y - radius), 2 * radius, 2 * radius,
                                           facecolor="#fff5cc", edgecolor="black", zorder=2))
                ax.text(x, y, "1", ha="center", va="center", zorder=3)
                continue
            color = "#dbe9f6" if k == 0 else ("#fde0c5" if k == len(columns) - 1 else
                                              "#d9f0d3")
            ax.add_patch(Circle((x, y), radius, facecolor=color, edgecolor="black", zorder=2))
            if k == 0:
                ax.text(x, y, inputs[i], ha="center", va="center", zorder=3)
            elif k == len(columns) - 1:
                ax.annotate("", xy=(x + radius + 0.5, y), xytext=(x + radius, y),
                            arrowprops={"arrowstyle": "-|>", "color": "black"})
                ax.text(x + radius + 0.6, y, outputs[i], ha="left", va="center")
    top = height - 0.35
    for k, column in enumerate(columns):
        x = column[0][0]
        if k == 0:
            name = "input layer"
        elif k == len(columns) - 1:
            name = "output layer"
        else:
            name = f"hidden layer {k}"
        ax.text(x, top, name, ha="center", va="bottom", fontweight="bold", fontsize="small")
        if k > 0:
            ax.text(x, -1.0, f"{sizes[k]} × {layers[k - 1]['activation']}", ha="center",
                    va="top", fontsize="small", color="dimgrey")
    ax.set_xlim(-1.2, 2.6 * (len(sizes) - 1) + 1.6)
    ax.set_ylim(-1.6, height + 0.3)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xlabel("feed-forward: each layer computes $\\phi(\\mathbf{A}\\mathbf{W} + "
                  "\\mathbf{b})$ from the layer on its left (dashed: bias connections)")
    ax.set_ylabel("neurons")
    n_parameters = sum(layer["W"].size + layer["b"].size for layer in layers)
    ax.set_title(title or f"A {'-'.join(map(str, sizes))} network: "
                          f"{n_parameters} parameters (weights and biases)")
    colorbar = ax.figure.colorbar(ScalarMappable(norm=norm, cmap=cmap), ax=ax, shrink=0.6,
                                  pad=0.02)
    colorbar.set_label("weight")
    return ax


def _labels(labels, default: list[str], name: str) -> list[str]:
    if labels is None:
        return default
    if isinstance(labels, str) or not isinstance(labels, Sequence) or len(labels) != len(default):
        raise ValueError(f"{name} must be a list of {len(default)} strings, got {describe(labels)}")
    return [str(label) for label in labels]


# --- decision regions and hidden space ------------------------------------------------------

def _check_points(X, y) -> tuple[np.ndarray | None, np.ndarray | None]:
    if X is None and y is None:
        return None, None
    if X is None or y is None:
        raise ValueError("give both X and y (points to draw), or neither")
    X = as_real_array(X, "X", ndim=2)
    if X.shape[1] != 2 or X.shape[0] == 0:
        raise ValueError(f"X must have shape (n_instances, 2), two inputs that can be drawn in "
                         f"the plane, got shape {X.shape}")
    y = as_real_array(y, "y", ndim=1)
    if y.shape != (X.shape[0],) or not np.all((y == 0) | (y == 1)):
        raise ValueError(f"y must hold one label 0 or 1 per row of X ({X.shape[0]}), "
                         f"got {describe(y)}")
    return X, y.astype(int)


def _check_limits(limits, X) -> tuple[float, float, float, float]:
    if limits is None:
        if X is None:
            raise ValueError("give limits=(low, high) when no points X are given")
        low, high = X.min(axis=0), X.max(axis=0)
        pad = 0.25 * np.maximum(high - low, 1.0)
        return low[0] - pad[0], high[0] + pad[0], low[1] - pad[1], high[1] + pad[1]
    if (not isinstance(limits, Sequence) or len(limits) != 2
            or not all(isinstance(v, numbers.Real) for v in limits) or not limits[0] < limits[1]):
        raise ValueError(f"limits must be two numbers (low, high) with low < high, got {limits!r}")
    return float(limits[0]), float(limits[1]), float(limits[0]), float(limits[1])


def _scatter_classes(ax: Axes, X: np.ndarray, y: np.ndarray, names) -> None:
    for k in (0, 1):
        mask = y == k
        if mask.any():
            ax.scatter(X[mask, 0], X[mask, 1], s=80, zorder=4, edgecolors="black",
                       linewidths=0.7, color=CLASS_COLORS[k], marker=CLASS_MARKERS[k],
                       label=names[k])


def plot_decision_regions(predict: Callable, X=None, y=None, ax=None, *, hidden=None,
                          limits=None, class_names=("class 0", "class 1"),
                          title: str | None = None, resolution: int = 200,
                          colorbar: bool = True, legend: bool = True) -> Axes:
    """Colour the plane by a two-input network's output, with its 0.5 decision boundary.

    Parameters
    ----------
    predict : callable
        Takes points of shape (m, 2) and returns the network's output for class 1, shape (m,)
        or (m, 1), e.g. ``lambda P: mlp_forward(P, params)[0]``.
    X : array-like, shape (n_instances, 2), optional
        Points to draw (with ``y``); points on the wrong side are circled in red.
    y : array-like, shape (n_instances,), optional
        Their labels, 0 or 1.
    ax : matplotlib Axes, optional
    hidden : (W, b), optional
        The first hidden layer's weights (2, k) and biases (k,): each unit's line
        ``x @ W[:, j] + b[j] = 0`` is drawn dashed.
    limits : (float, float), optional
        The square to draw, (low, high) on both axes; by default the points' extent, padded.
    class_names : (str, str)
    title : str, optional
        Replaces the default title (the accuracy on the points).
    resolution : int
        Grid points per axis.
    colorbar : bool
        Whether to draw a colour bar of the output next to the axes.
    legend : bool
        Whether to draw a legend (below the axes).

    Returns
    -------
    matplotlib Axes
    """
    if not callable(predict):
        raise TypeError(f"predict must be a function of points (m, 2), got {describe(predict)}")
    X, y = _check_points(X, y)
    x_low, x_high, y_low, y_high = _check_limits(limits, X)
    g1, g2 = np.meshgrid(np.linspace(x_low, x_high, resolution),
                         np.linspace(y_low, y_high, resolution))
    grid = np.column_stack([g1.ravel(), g2.ravel()])

    def outputs(points):
        out = as_real_array(predict(points), "predict(points)")
        if out.shape not in ((len(points),), (len(points), 1)):
            raise ValueError(f"predict must return one output per point, shape "
                             f"({len(points)},) or ({len(points)}, 1), got {out.shape}")
        return out.reshape(-1)

    values = outputs(grid).reshape(g1.shape)
    ax = new_axes(ax, figsize=(6.2, 4.8))
    mesh = ax.pcolormesh(g1, g2, values, cmap="PuOr_r", vmin=0.0, vmax=1.0, shading="auto",
                         zorder=0, alpha=0.75)
    if colorbar:
        ax.figure.colorbar(mesh, ax=ax, shrink=0.8, pad=0.03).set_label("network output")
    handles = []
    if values.min() < 0.5 <= values.max():
        ax.contour(g1, g2, values, levels=[0.5], colors="black", linewidths=2.2, zorder=2)
        handles.append(Line2D([], [], color="black", linewidth=2.2,
                              label="decision boundary (output 0.5)"))
    if hidden is not None:
        W = as_real_array(hidden[0], "hidden W", ndim=2)
        b = as_real_array(hidden[1], "hidden b", ndim=1)
        if W.shape[0] != 2 or b.shape != (W.shape[1],):
            raise ValueError(f"hidden must be (W (2, k), b (k,)), got W {W.shape}, b {b.shape}")
        for j in range(W.shape[1]):
            line = (grid @ W[:, j] + b[j]).reshape(g1.shape)
            if line.min() < 0 < line.max():
                ax.contour(g1, g2, line, levels=[0.0], colors=[f"C{j + 2}"], linewidths=1.6,
                           linestyles="--", zorder=3)
                handles.append(Line2D([], [], color=f"C{j + 2}", linestyle="--",
                                      label=f"hidden unit {j + 1}: $z_{j + 1} = 0$"))
    accuracy = None
    if X is not None:
        _scatter_classes(ax, X, y, class_names)
        wrong = (outputs(X) >= 0.5).astype(int) != y
        accuracy = float(np.mean(~wrong))
        if wrong.any():
            ax.scatter(X[wrong, 0], X[wrong, 1], s=260, facecolors="none", edgecolors="red",
                       linewidths=1.8, zorder=5, label="misclassified")
    point_handles, _ = ax.get_legend_handles_labels()
    if legend and (point_handles or handles):
        ax.legend(handles=point_handles + handles, fontsize="small", framealpha=0.85,
                  loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=2)
    ax.set_xlim(x_low, x_high)
    ax.set_ylim(y_low, y_high)
    ax.set_aspect("equal", adjustable="box")
    ax.xaxis.set_major_locator(MaxNLocator(6))
    ax.yaxis.set_major_locator(MaxNLocator(6))
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    if title is None:
        title = "Network output over the plane"
        if accuracy is not None:
            title += f"\naccuracy {accuracy:.0%} ({int(round(accuracy * len(y)))} of {len(y)})"
    ax.set_title(title)
    return ax


def plot_hidden_space(H, y, ax=None, *, w=None, b=None, point_labels=None,
                      class_names=("class 0", "class 1"), title: str | None = None) -> Axes:
    """Instances as a hidden layer of two units sees them: one point per row of ``H``.

    Parameters
    ----------
    H : array-like, shape (n_instances, 2)
        The hidden layer's activations, e.g. ``cache[1]["A_prev"]`` from ``mlp_forward``.
    y : array-like, shape (n_instances,)
        Labels, 0 or 1.
    ax : matplotlib Axes, optional
    w, b : array-like (2,) or (2, 1), and a number or (1,), optional
        The output unit's weights and bias: its line ``h @ w + b = 0`` is drawn.
    point_labels : list of str, optional
        A label per instance (e.g. its input "(0, 1)"), written next to it.
    class_names : (str, str)
    title : str, optional

    Returns
    -------
    matplotlib Axes
    """
    H, y = _check_points(H, y)
    if point_labels is not None:
        point_labels = _labels(point_labels, [""] * len(H), "point_labels")
    ax = new_axes(ax, figsize=(5.2, 4.6))
    low, high = H.min(axis=0), H.max(axis=0)
    pad = 0.3 * np.maximum(high - low, 0.5)
    x_low, x_high, y_low, y_high = low[0] - pad[0], high[0] + pad[0], low[1] - pad[1], \
        high[1] + pad[1]
    if (w is None) != (b is None):
        raise ValueError("give both w and b (the output unit), or neither")
    if w is not None:
        w = as_real_array(w, "w", ndim=(1, 2)).reshape(-1)
        b = as_real_array(b, "b", ndim=(0, 1)).reshape(-1)
        if w.shape != (2,) or b.shape != (1,):
            raise ValueError(f"w must hold 2 weights and b one bias, got {w.shape} and {b.shape}")
        if np.any(w != 0):
            foot = -b[0] * w / float(w @ w)  # the line's point nearest the origin
            ax.axline(tuple(foot), tuple(foot + np.array([-w[1], w[0]])), color="black",
                      linewidth=2, zorder=2, label="output unit: $\\mathbf{h}\\cdot\\mathbf{w}"
                                                   " + b = 0$")
    _scatter_classes(ax, H, y, class_names)
    if point_labels is not None:
        seen: dict[tuple, int] = {}
        for (h1, h2), text in zip(H, point_labels, strict=True):
            key = (round(float(h1), 6), round(float(h2), 6))
            offset = seen.get(key, 0)  # several inputs on the same hidden point: stack labels
            seen[key] = offset + 1
            ax.annotate(text, xy=(h1, h2), xytext=(8, -4 - 12 * offset),
                        textcoords="offset points", fontsize="small", zorder=6)
    ax.set_xlim(x_low, x_high)
    ax.set_ylim(y_low, y_high)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlabel("$h_1$ (hidden unit 1)")
    ax.set_ylabel("$h_2$ (hidden unit 2)")
    ax.set_title(title or "The instances as the hidden layer sees them")
    ax.legend(fontsize="x-small", loc="upper left", bbox_to_anchor=(1.02, 1.0))
    ax.grid(alpha=0.3)
    return ax
