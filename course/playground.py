"""A neural-network playground in the notebook, after TensorFlow Playground.

TensorFlow Playground (Smilkov & Carter, 2016, playground.tensorflow.org) trains a small
network in the browser on four two-dimensional data sets and shows, as it learns, the network's
output over the plane and the training and test loss. This module does the same in NumPy:

- pure functions hold the logic, testable without a browser: :func:`validate_config`,
  :func:`feature_matrix`, :func:`make_data`, :func:`start` and :func:`train` (the training
  steps), :func:`grid_predictions` and :func:`plot_playground`;
- :func:`build_playground` puts ipywidgets controls on top (only what ipywidgets 7.7, Colab's,
  and 8 both provide), and :func:`show_playground` displays them, or draws the static figure
  where widgets cannot work (no ipywidgets, no kernel, or nbgrader running the notebook).

The network is the Playground's, not the course's exercises: a tanh output unit trained on
labels ±1 with the squared error ½(output − label)², the training points visited in the same
(once shuffled) order every epoch, one step per mini-batch with the batch's mean gradient.
Regularization is the Playground's too, applied as a separate step after each data step, on
weights only: L2 moves each weight by −lr·λ·w (the penalty (λ/2) Σ w²), L1 by −lr·λ·sign(w)
and sets a weight that crosses 0 to exactly 0. Differences from the Playground: weights start
from a normal initialization with variance 1/n_in (2/n_in for ReLU) and biases at 0, and the
last partial batch of an epoch is a step of its own. The output P(class 1) = (output + 1) / 2.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import asdict, dataclass, field

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.lines import Line2D

from course.data import PLAYGROUND_DATASETS, playground_dataset
from course.validation import as_real_array, describe

#: Input features offered, name -> function of X (n, 2) giving one column (n,).
FEATURES = {
    "x1": lambda X: X[:, 0],
    "x2": lambda X: X[:, 1],
    "x1^2": lambda X: X[:, 0] ** 2,
    "x2^2": lambda X: X[:, 1] ** 2,
    "x1*x2": lambda X: X[:, 0] * X[:, 1],
    "sin(x1)": lambda X: np.sin(X[:, 0]),
    "sin(x2)": lambda X: np.sin(X[:, 1]),
}
FEATURE_LABELS = {"x1": "x₁", "x2": "x₂", "x1^2": "x₁²", "x2^2": "x₂²", "x1*x2": "x₁x₂",
                  "sin(x1)": "sin(x₁)", "sin(x2)": "sin(x₂)"}
ACTIVATIONS = ("tanh", "relu", "sigmoid", "linear")
REGULARIZATIONS = ("none", "L1", "L2")
#: The Playground's menus.
LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REGULARIZATION_RATES = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
MAX_LAYERS, MAX_NEURONS = 6, 8
N_SAMPLES = 500
EXTENT = 6.0  # the heat map covers [-6, 6]², as in the Playground
# the Playground's colours: orange for class 0 (its -1), blue for class 1 (its +1)
COLORS = ("#f59322", "#0877bd")
CMAP = LinearSegmentedColormap.from_list("playground", [COLORS[0], "#e8eaeb", COLORS[1]])


@dataclass(frozen=True)
class PlaygroundConfig:
    """Everything the Playground's controls set. Defaults are the Playground's."""

    dataset: str = "circle"  # one of course.data.PLAYGROUND_DATASETS
    noise: float = 0.0  # 0 to 0.5 (the Playground's 0-50 %)
    train_ratio: float = 0.5  # share of the 500 points used for training, 0.1 to 0.9
    features: tuple = ("x1", "x2")  # names from FEATURES
    hidden_layers: tuple = (4, 2)  # neurons per hidden layer: up to 6 layers of 1 to 8
    activation: str = "tanh"  # of the hidden layers: tanh, relu, sigmoid or linear
    learning_rate: float = 0.03  # 1e-5 to 10
    regularization: str = "none"  # none, L1 or L2
    regularization_rate: float = 0.0  # lambda, 0 to 10
    batch_size: int = 10  # 1 to 30
    seed: int = 0  # data, split, initial weights and mini-batch order


def _number(value, name: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number between {low:g} and {high:g}, "
                        f"got {describe(value)}")
    value = float(value)
    if not (math.isfinite(value) and low <= value <= high):
        raise ValueError(f"{name} must be between {low:g} and {high:g}, got {value:g}")
    return value


def _integer(value, name: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer between {low} and {high}, "
                        f"got {describe(value)}")
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low} and {high}, got {value}")
    return int(value)


def _choice(value, name: str, options) -> str:
    if not isinstance(value, str) or value not in options:
        raise ValueError(f"{name} must be one of {', '.join(map(str, options))}, got {value!r}")
    return value


def parse_hidden_layers(text: str) -> tuple:
    """Neurons per hidden layer from text such as ``"4, 2"`` (empty: no hidden layer).

    Returns a tuple of ints; raises ValueError naming what is wrong.
    """
    if not isinstance(text, str):
        raise TypeError(f"hidden layers must be text such as '4, 2', got {describe(text)}")
    parts = [part.strip() for part in text.replace(";", ",").split(",")]
    if parts == [""]:
        return ()
    if not all(part.isdigit() for part in parts):
        raise ValueError(f"hidden layers must be whole numbers separated by commas, such as "
                         f"'4, 2', got {text!r}")
    return tuple(int(part) for part in parts)


def validate_config(config=None, **changes) -> PlaygroundConfig:
    """A checked, normalized configuration.

    Parameters
    ----------
    config : PlaygroundConfig, dict or None
        Starting values (the Playground's defaults when None).
    **changes
        Fields to change, e.g. ``dataset="spiral"``. ``hidden_layers`` may be text ("4, 2").

    Returns
    -------
    PlaygroundConfig
        With floats and ints converted, features in the order of ``FEATURES``.

    Raises
    ------
    TypeError or ValueError naming the field, what was expected and what came.
    """
    if config is None:
        values = asdict(PlaygroundConfig())
    elif isinstance(config, PlaygroundConfig):
        values = asdict(config)
    elif isinstance(config, dict):
        values = {**asdict(PlaygroundConfig()), **config}
    else:
        raise TypeError(f"config must be a PlaygroundConfig, a dict or None, "
                        f"got {describe(config)}")
    values.update(changes)
    unknown = set(values) - set(PlaygroundConfig.__dataclass_fields__)
    if unknown:
        raise TypeError(f"unknown setting(s) {sorted(unknown)}; the settings are "
                        f"{', '.join(PlaygroundConfig.__dataclass_fields__)}")

    features = values["features"]
    if isinstance(features, str) or not isinstance(features, (tuple, list, set, frozenset)):
        raise TypeError(f"features must be a list of names from {list(FEATURES)}, "
                        f"got {describe(features)}")
    unknown = [f for f in features if f not in FEATURES]
    if unknown:
        raise ValueError(f"features: unknown name(s) {unknown}; choose from {list(FEATURES)}")
    if not features:
        raise ValueError("features: choose at least one input feature, e.g. ('x1', 'x2')")

    layers = values["hidden_layers"]
    if isinstance(layers, str):
        layers = parse_hidden_layers(layers)
    if not isinstance(layers, (tuple, list)):
        raise TypeError(f"hidden_layers must be a tuple of neuron counts such as (4, 2), "
                        f"got {describe(layers)}")
    if len(layers) > MAX_LAYERS:
        raise ValueError(f"hidden_layers: at most {MAX_LAYERS} hidden layers, got {len(layers)}")
    layers = tuple(_integer(n, f"hidden_layers[{i}]", 1, MAX_NEURONS)
                   for i, n in enumerate(layers))

    return PlaygroundConfig(
        dataset=_choice(values["dataset"], "dataset", PLAYGROUND_DATASETS),
        noise=_number(values["noise"], "noise", 0.0, 0.5),
        train_ratio=_number(values["train_ratio"], "train_ratio", 0.1, 0.9),
        features=tuple(f for f in FEATURES if f in set(features)),
        hidden_layers=layers,
        activation=_choice(values["activation"], "activation", ACTIVATIONS),
        learning_rate=_number(values["learning_rate"], "learning_rate", 1e-5, 10.0),
        regularization=_choice(values["regularization"], "regularization", REGULARIZATIONS),
        regularization_rate=_number(values["regularization_rate"], "regularization_rate",
                                    0.0, 10.0),
        batch_size=_integer(values["batch_size"], "batch_size", 1, 30),
        seed=_integer(values["seed"], "seed", 0, 2**32 - 1),
    )


def feature_matrix(X, features) -> np.ndarray:
    """The network's inputs: one column per feature name, computed from x1, x2.

    Parameters
    ----------
    X : array-like, shape (n, 2)
        Points (x1, x2).
    features : sequence of str
        Names from ``FEATURES``, e.g. ``("x1", "x2", "x1*x2")``.

    Returns
    -------
    np.ndarray of float64, shape (n, len(features))
    """
    X = as_real_array(X, "X", ndim=2)
    if X.shape[1] != 2:
        raise ValueError(f"X must have shape (n, 2): the coordinates x1, x2, got {X.shape}")
    if isinstance(features, str) or not features:
        raise TypeError(f"features must be a non-empty list of names from {list(FEATURES)}, "
                        f"got {describe(features)}")
    unknown = [f for f in features if f not in FEATURES]
    if unknown:
        raise ValueError(f"features: unknown name(s) {unknown}; choose from {list(FEATURES)}")
    return np.column_stack([FEATURES[f](X) for f in features])


@dataclass
class PlaygroundData:
    """The 500 points of a data set, shuffled and split: X are coordinates (n, 2)."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray


def make_data(config) -> PlaygroundData:
    """Generate ``config.dataset`` with its noise, shuffle it and split it by ``train_ratio``
    (the first ``floor(500 * train_ratio)`` shuffled points train), all from ``config.seed``."""
    config = validate_config(config)
    X, y = playground_dataset(config.dataset, N_SAMPLES, config.noise, config.seed)
    order = np.random.default_rng([config.seed, 1]).permutation(N_SAMPLES)  # its own stream
    X, y = X[order], y[order]
    n_train = int(np.floor(N_SAMPLES * config.train_ratio))
    return PlaygroundData(X[:n_train], y[:n_train], X[n_train:], y[n_train:])


# --- the Playground's network ------------------------------------------------------------------
# Private, and on purpose not the course's exercises: a tanh output with the squared error,
# labels ±1, a fixed visiting order and the Playground's separate regularization step.

def _activate(name: str, Z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(value, derivative with respect to Z) of an activation, elementwise."""
    if name == "tanh":
        value = np.tanh(Z)
        return value, 1.0 - value ** 2
    if name == "relu":
        return np.maximum(Z, 0.0), (Z > 0).astype(float)
    if name == "sigmoid":
        value = 0.5 * (1.0 + np.tanh(0.5 * Z))  # the logistic function, without overflow
        return value, value * (1.0 - value)
    return Z, np.ones_like(Z)  # linear


def _init_network(sizes, activation: str, rng: np.random.Generator) -> list:
    layers = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        act = "tanh" if i == len(sizes) - 2 else activation  # the output unit is tanh
        scale = np.sqrt((2.0 if act == "relu" else 1.0) / n_in)
        layers.append({"W": rng.normal(0.0, scale, size=(n_in, n_out)), "b": np.zeros(n_out),
                       "activation": act})
    return layers


def _network_output(layers, inputs) -> np.ndarray:
    """The tanh output unit's value for each row of ``inputs``: shape (n,), in [-1, 1]."""
    values = inputs
    for layer in layers:
        values = _activate(layer["activation"], values @ layer["W"] + layer["b"])[0]
    return values[:, 0]


def _squared_error(layers, inputs, labels) -> float:
    """The Playground's loss: the mean of ½(output − t)² with t = ±1 for labels 1/0."""
    targets = 2.0 * np.asarray(labels, dtype=float) - 1.0
    return float(np.mean(0.5 * (_network_output(layers, inputs) - targets) ** 2))


def _playground_epoch(layers, inputs, labels, config) -> None:
    """One pass over the points in their order, one step per batch (layers updated in place)."""
    targets = 2.0 * np.asarray(labels, dtype=float) - 1.0
    lr, lam, kind = config.learning_rate, config.regularization_rate, config.regularization
    for first in range(0, len(inputs), config.batch_size):
        batch = slice(first, first + config.batch_size)
        seen, slopes = [inputs[batch]], []
        for layer in layers:
            value, slope = _activate(layer["activation"], seen[-1] @ layer["W"] + layer["b"])
            seen.append(value)
            slopes.append(slope)
        # d(mean ½(out − t)²)/d(pre-activation of the output), then back layer by layer
        error = (seen[-1] - targets[batch, None]) * slopes[-1] / len(seen[0])
        steps = []
        for i in range(len(layers) - 1, -1, -1):
            steps.append((seen[i].T @ error, error.sum(axis=0)))
            if i:
                error = (error @ layers[i]["W"].T) * slopes[i - 1]
        for layer, (dW, db) in zip(layers, reversed(steps)):
            W = layer["W"] - lr * dW
            if kind == "L2" and lam > 0:
                W = W - lr * lam * W
            elif kind == "L1" and lam > 0:
                shrunk = W - lr * lam * np.sign(W)
                W = np.where(shrunk * W < 0, 0.0, shrunk)  # crossing 0: the weight is 0
            layer["W"], layer["b"] = W, layer["b"] - lr * db


@dataclass
class PlaygroundRun:
    """A network being trained on a data set: the state the Playground shows."""

    config: PlaygroundConfig
    data: PlaygroundData
    params: list
    rng: np.random.Generator
    epoch: int = 0
    train_loss: list = field(default_factory=list)  # one per epoch, epoch 0 included
    test_loss: list = field(default_factory=list)
    diverged: bool = False  # the loss became inf or nan (learning rate too large?)

    def _record(self) -> None:
        features = self.config.features
        with np.errstate(all="ignore"):
            train = _squared_error(self.params, feature_matrix(self.data.X_train, features),
                                   self.data.y_train)
            test = _squared_error(self.params, feature_matrix(self.data.X_test, features),
                                  self.data.y_test)
        self.train_loss.append(train)
        self.test_loss.append(test)
        if not (np.isfinite(train) and all(np.all(np.isfinite(layer["W"]))
                                           for layer in self.params)):
            self.diverged = True


def start(config=None, **changes) -> PlaygroundRun:
    """A fresh run: the data, and a network with random weights at epoch 0 (losses recorded).

    Layers: ``len(features)`` inputs, the hidden layers with ``config.activation``, one tanh
    output unit (P(class 1) = (output + 1) / 2). Everything random comes from ``config.seed``.
    """
    config = validate_config(config, **changes)
    rng = np.random.default_rng([config.seed, 2])  # the initial weights
    sizes = [len(config.features), *config.hidden_layers, 1]
    params = _init_network(sizes, config.activation, rng)
    run = PlaygroundRun(config, make_data(config), params, rng)
    run._record()
    return run


def train(run: PlaygroundRun, n_epochs: int) -> PlaygroundRun:
    """Train ``run`` for ``n_epochs`` more epochs of mini-batch gradient descent (in place).

    Each epoch visits the training points in their order, one gradient step per mini-batch,
    followed by the Playground's regularization step when it is on; train and test losses
    (the squared error, without the penalty) are recorded after each epoch. Training stops
    early if the loss or a weight is no longer finite.
    Returns ``run``.
    """
    if not isinstance(run, PlaygroundRun):
        raise TypeError(f"run must be a PlaygroundRun (from start()), got {describe(run)}")
    if isinstance(n_epochs, bool) or not isinstance(n_epochs, numbers.Integral) or n_epochs < 0:
        raise ValueError(f"n_epochs must be a whole number >= 0, got {n_epochs!r}")
    config = run.config
    X = feature_matrix(run.data.X_train, config.features)
    for _ in range(int(n_epochs)):
        if run.diverged:
            break
        with np.errstate(all="ignore"):  # a divergent run is reported, not warned about
            _playground_epoch(run.params, X, run.data.y_train, config)
        run.epoch += 1
        run._record()
    return run


def grid_predictions(params, features, *, resolution: int = 100,
                     extent: float = EXTENT) -> tuple[np.ndarray, np.ndarray]:
    """The network's P(class 1) = (output + 1) / 2 on a square grid over [-extent, extent]².

    ``params``: the run's layers (``run.params``), ending in one tanh output unit.

    Returns
    -------
    grid : np.ndarray, shape (resolution,)
        Coordinates along each axis.
    P : np.ndarray, shape (resolution, resolution)
        ``P[i, j]`` at x1 = grid[j], x2 = grid[i] (rows go up x2, as an image's).
    """
    if isinstance(resolution, bool) or not isinstance(resolution, numbers.Integral) \
            or resolution < 2:
        raise ValueError(f"resolution must be an integer >= 2, got {resolution!r}")
    extent = _number(extent, "extent", 1e-9, 1e9)
    grid = np.linspace(-extent, extent, int(resolution))
    G1, G2 = np.meshgrid(grid, grid)
    points = np.column_stack([G1.ravel(), G2.ravel()])
    if np.shape(params[-1]["W"])[1:] != (1,):
        raise ValueError(f"params must end in one output unit, got a last W of shape "
                         f"{np.shape(params[-1]['W'])}")
    with np.errstate(all="ignore"):
        P = 0.5 * (_network_output(params, feature_matrix(points, features)) + 1.0)
    return grid, P.reshape(G1.shape)


def accuracy(run: PlaygroundRun, part: str = "test") -> float:
    """Share of the ``part`` ("train" or "test") points on the right side of P = 0.5."""
    if not isinstance(run, PlaygroundRun):
        raise TypeError(f"run must be a PlaygroundRun (from start()), got {describe(run)}")
    X, y = {"train": (run.data.X_train, run.data.y_train),
            "test": (run.data.X_test, run.data.y_test)}[_choice(part, "part", ("train", "test"))]
    with np.errstate(all="ignore"):
        output = _network_output(run.params, feature_matrix(X, run.config.features))
    return float(np.mean((output >= 0).astype(int) == y))


def describe_config(config: PlaygroundConfig) -> str:
    """One line: data set, features, layers and training settings."""
    features = ", ".join(FEATURE_LABELS[f] for f in config.features)
    layers = (f"hidden {' → '.join(map(str, config.hidden_layers))} {config.activation}"
              if config.hidden_layers else "no hidden layer")
    reg = (f"{config.regularization} λ={config.regularization_rate:g}"
           if config.regularization != "none" and config.regularization_rate > 0 else "no reg.")
    return (f"{config.dataset} (noise {config.noise:.0%}) · {features} · {layers} · "
            f"lr {config.learning_rate:g} · batch {config.batch_size} · {reg}")


def plot_playground(run: PlaygroundRun, axes=None, *, resolution: int = 100):
    """The Playground's two views: the output over the plane, and the loss curves.

    Left: P(class 1) over [-6, 6]² (orange: class 0, blue: class 1), the boundary P = 0.5,
    training points (white edges) and test points (black edges). Right: training and test loss
    per epoch.

    Returns
    -------
    (Axes, Axes): the heat map and the loss curves.
    """
    if not isinstance(run, PlaygroundRun):
        raise TypeError(f"run must be a PlaygroundRun (from start()), got {describe(run)}")
    if axes is None:
        fig, axes = plt.subplots(1, 2, figsize=(12, 4.8), layout="constrained",
                                 gridspec_kw={"width_ratios": [1.15, 1]})
    ax_map, ax_loss = axes
    grid, P = grid_predictions(run.params, run.config.features, resolution=resolution)
    finite = np.isfinite(P)  # a diverged network gives nan: drawn as undecided grey
    image = ax_map.imshow(np.where(finite, P, 0.5), origin="lower", cmap=CMAP, vmin=0, vmax=1,
                          extent=(-EXTENT, EXTENT, -EXTENT, EXTENT), interpolation="bilinear")
    if finite.all() and P.min() < 0.5 < P.max():
        ax_map.contour(grid, grid, P, levels=[0.5], colors="black", linewidths=1)
    data = run.data
    handles = []
    for X, y, edge, label in ((data.X_train, data.y_train, "white", "training"),
                              (data.X_test, data.y_test, "black", "test")):
        ax_map.scatter(X[:, 0], X[:, 1], c=[COLORS[int(v)] for v in y], s=16,
                       edgecolors=edge, linewidths=0.6)
        handles.append(Line2D([], [], linestyle="", marker="o", markersize=5,
                              markerfacecolor="tab:gray", markeredgecolor=edge,
                              label=f"{label} points"))
    handles += [Line2D([], [], linestyle="", marker="o", markersize=5, markerfacecolor=color,
                       markeredgecolor="none", label=f"class {k}")
                for k, color in enumerate(COLORS)]
    ax_map.set_xlim(-EXTENT, EXTENT)
    ax_map.set_ylim(-EXTENT, EXTENT)
    ax_map.set_aspect("equal")
    ax_map.set_xlabel("$x_1$")
    ax_map.set_ylabel("$x_2$")
    ax_map.set_title(f"Output P(class 1) after {run.epoch} epoch{'s' if run.epoch != 1 else ''}")
    # below the map, not on it: the points reach every corner of the square (the spiral's do)
    ax_map.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=4,
                  fontsize="x-small", frameon=False)
    colorbar = ax_map.figure.colorbar(image, ax=ax_map, fraction=0.046, pad=0.03)
    colorbar.set_label("P(class 1)")

    epochs = np.arange(len(run.train_loss))
    ax_loss.plot(epochs, run.train_loss, color="tab:gray", label="training loss")
    ax_loss.plot(epochs, run.test_loss, color="black", linestyle="--", label="test loss")
    ax_loss.set_xlabel("epoch")
    ax_loss.set_ylabel("squared error ½(output − label)²")
    finite = [v for v in run.train_loss + run.test_loss if np.isfinite(v)]
    if finite:
        ax_loss.set_ylim(0, max(0.5, 1.05 * max(finite)))
    note = " (diverged: lower the learning rate)" if run.diverged else ""
    ax_loss.set_title(f"Loss: training {run.train_loss[-1]:.3f}, test "
                      f"{run.test_loss[-1]:.3f}{note}")
    ax_loss.grid(alpha=0.3)
    ax_loss.legend(fontsize="small")
    ax_map.figure.suptitle(describe_config(run.config), fontsize="medium")
    return ax_map, ax_loss


# --- the interactive version ------------------------------------------------------------------

def _in_ipython() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    return get_ipython() is not None


def _show() -> None:
    """Show the current figure in a notebook; elsewhere leave it open for the caller."""
    if _in_ipython():
        plt.show()


@dataclass
class PlaygroundInterface:
    """The widgets of the playground and the run they control."""

    box: object  # ipywidgets.VBox to display
    controls: dict  # setting name -> widget
    train_button: object
    reset_button: object
    epochs: object  # widget: epochs per click of "Train"
    status: object  # ipywidgets.HTML
    output: object  # ipywidgets.Output holding the figure
    run: PlaygroundRun

    def config(self) -> PlaygroundConfig:
        """The configuration the controls show (raises if it is invalid)."""
        values = {name: widget.value for name, widget in self.controls.items()
                  if not name.startswith("feature:")}
        values["features"] = tuple(name.split(":", 1)[1] for name, widget in
                                   self.controls.items()
                                   if name.startswith("feature:") and widget.value)
        return validate_config(values)


def build_playground(ipywidgets, config=None, *, epochs: int = 0,
                     epochs_per_click: int = 50) -> PlaygroundInterface:
    """Build (without displaying) the playground's controls, buttons and figure.

    Changing a control starts a new run (fresh weights, epoch 0), as in the Playground;
    "Train" trains ``epochs_per_click`` more epochs (or the number chosen next to it) and
    redraws; "Reset" starts over. ``ipywidgets`` is the imported module.
    """
    run = train(start(config), epochs)
    config = run.config
    wide = {"description_width": "9em"}
    layout = ipywidgets.Layout(width="20em")
    controls = {
        "dataset": ipywidgets.Dropdown(options=list(PLAYGROUND_DATASETS), value=config.dataset,
                                       description="data set", style=wide, layout=layout),
        "noise": ipywidgets.FloatSlider(value=config.noise, min=0.0, max=0.5, step=0.05,
                                        description="noise", readout_format=".0%",
                                        continuous_update=False, style=wide, layout=layout),
        "train_ratio": ipywidgets.FloatSlider(value=config.train_ratio, min=0.1, max=0.9,
                                              step=0.1, description="training share",
                                              readout_format=".0%", continuous_update=False,
                                              style=wide, layout=layout),
        "hidden_layers": ipywidgets.Text(value=", ".join(map(str, config.hidden_layers)),
                                         description="hidden layers", placeholder="e.g. 4, 2",
                                         continuous_update=False, style=wide, layout=layout),
        "activation": ipywidgets.Dropdown(options=list(ACTIVATIONS), value=config.activation,
                                          description="activation", style=wide, layout=layout),
        "learning_rate": ipywidgets.Dropdown(options=_with(LEARNING_RATES, config.learning_rate),
                                             value=config.learning_rate,
                                             description="learning rate", style=wide,
                                             layout=layout),
        "regularization": ipywidgets.Dropdown(options=list(REGULARIZATIONS),
                                              value=config.regularization,
                                              description="regularization", style=wide,
                                              layout=layout),
        "regularization_rate": ipywidgets.Dropdown(
            options=_with(REGULARIZATION_RATES, config.regularization_rate),
            value=config.regularization_rate, description="reg. rate λ", style=wide,
            layout=layout),
        "batch_size": ipywidgets.IntSlider(value=config.batch_size, min=1, max=30,
                                           description="batch size", continuous_update=False,
                                           style=wide, layout=layout),
        "seed": ipywidgets.BoundedIntText(value=config.seed, min=0, max=2**31 - 1,
                                          description="seed", style=wide, layout=layout),
    }
    for name, label in FEATURE_LABELS.items():
        controls[f"feature:{name}"] = ipywidgets.Checkbox(value=name in config.features,
                                                          description=label, indent=False,
                                                          layout=ipywidgets.Layout(width="7em"))
    epochs_box = ipywidgets.Dropdown(options=[10, 50, 100, 200, 500],
                                     value=epochs_per_click if epochs_per_click in
                                     (10, 50, 100, 200, 500) else 50,
                                     description="epochs per click", style=wide, layout=layout)
    train_button = ipywidgets.Button(description="Train", button_style="primary",
                                     icon="play")
    reset_button = ipywidgets.Button(description="Reset", icon="refresh")
    status = ipywidgets.HTML(value="")
    output = ipywidgets.Output()

    feature_boxes = [controls[f"feature:{name}"] for name in FEATURES]
    settings = [controls[name] for name in controls if not name.startswith("feature:")]
    left = ipywidgets.VBox([ipywidgets.HTML("<b>Data</b>"), *settings[:3],
                            ipywidgets.HTML("<b>Features</b>"),
                            ipywidgets.HBox(feature_boxes[:4]), ipywidgets.HBox(feature_boxes[4:])])
    right = ipywidgets.VBox([ipywidgets.HTML("<b>Network and training</b>"), *settings[3:],
                             epochs_box, ipywidgets.HBox([train_button, reset_button])])
    box = ipywidgets.VBox([ipywidgets.HBox([left, right]), status, output])
    interface = PlaygroundInterface(box, controls, train_button, reset_button, epochs_box,
                                    status, output, run)

    def redraw():
        current = interface.run
        state = ("<span style='color:#b00'>diverged: lower the learning rate</span>"
                 if current.diverged else "")
        status.value = (f"epoch {current.epoch} · training loss {current.train_loss[-1]:.3f} · "
                        f"test loss {current.test_loss[-1]:.3f} {state}")
        with output:
            output.clear_output(wait=True)
            plot_playground(current)
            _show()

    def restart(_change=None):
        try:
            new_config = interface.config()
        except (TypeError, ValueError) as exc:  # e.g. "4, x" typed as hidden layers
            status.value = f"<span style='color:#b00'>{exc}</span>"
            return
        interface.run = start(new_config)
        redraw()

    def on_train(_button):
        train(interface.run, int(epochs_box.value))
        redraw()

    for widget in controls.values():
        widget.observe(restart, names="value")
    train_button.on_click(on_train)
    reset_button.on_click(restart)
    redraw()
    return interface


def _with(options, value) -> list:
    """A menu's options, with ``value`` added (in order) if it is not one of them."""
    return sorted({*options, value})


def show_playground(config=None, *, epochs: int = 100, **changes) -> None:
    """Display the interactive playground, or its static figure where widgets cannot work.

    Parameters
    ----------
    config : PlaygroundConfig, dict or None
        Starting settings (the Playground's defaults when None); ``**changes`` override them,
        e.g. ``show_playground(dataset="spiral", hidden_layers=(8, 8))``.
    epochs : int
        Epochs trained before the first figure.

    Returns None; the widgets (or the figure, with a note saying why it is static) appear in
    the notebook.
    """
    from course.widgets import widget_support

    config = validate_config(config, **changes)
    ipywidgets, reason = widget_support()
    if ipywidgets is None:
        run = train(start(config), epochs)
        print(f"Static figure after {run.epoch} epochs: the interactive playground is not "
              f"available because {reason}. Call show_playground again with other settings, "
              f"or run this cell in Jupyter or Colab.")
        plot_playground(run)
        _show()
        return None
    interface = build_playground(ipywidgets, config, epochs=epochs)
    from IPython.display import display

    display(interface.box)
    return None


__all__ = ["ACTIVATIONS", "FEATURES", "LEARNING_RATES", "PlaygroundConfig", "PlaygroundRun",
           "REGULARIZATIONS", "REGULARIZATION_RATES", "accuracy", "build_playground",
           "feature_matrix", "grid_predictions", "make_data", "parse_hidden_layers",
           "plot_playground", "show_playground", "start", "train", "validate_config"]
