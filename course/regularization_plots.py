"""Data, tables and figures for notebook 06 (regularization).

- :func:`make_noisy_moons`: a small data set that a large network overfits: two interleaving
  half-moons in the first two columns, irrelevant Gaussian noise in the others;
- :func:`format_table`: rows of results as aligned text;
- figures: :func:`plot_data`, :func:`plot_history` (training and validation curves, with the
  best and the stopping epoch marked), :func:`plot_curves` (one quantity, several runs),
  :func:`plot_weight_histograms`, :func:`plot_input_weights` (the largest first-layer weight
  of each input feature: which inputs a network ignores) and
  :func:`plot_dropout_expectation` (inverted dropout keeps the expected activation).

Networks use notebook 04's ``params`` structure: a list with one dict per layer, input to output,
``{"W": (n_in, n_out), "b": (n_out,), "activation": name}``. A training *history* is a dict of
per-epoch lists, ``{"train_loss": [...], "val_loss": [...], "val_accuracy": [...]}``, with
optional ``"best_epoch"`` and ``"stopped_epoch"`` (0-based) from early stopping.

Every plotting function draws on ``ax`` (a new figure when ``ax`` is None), labels the axes, sets
a title and returns what it drew on. Nothing is shown.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes

from course.harness import call_exercise, needs_exercises
from course.plots import new_axes
from course.validation import as_real_array, check_int, describe

CLASS_COLORS = ("tab:blue", "tab:orange")
CLASS_MARKERS = ("o", "^")
N_INFORMATIVE = 2  # make_noisy_moons: the first two columns carry the signal

# --- data -------------------------------------------------------------------------------------


def make_noisy_moons(n: int, *, noise: float = 0.2, n_noise_features: int = 8,
                     seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half-moons plus irrelevant features: easy to overfit with few examples.

    Class 0 lies on the upper half-circle of radius 1 around (0, 0), class 1 on the lower one
    around (1, 0.5); Gaussian noise of standard deviation ``noise`` is added to both
    coordinates. Then ``n_noise_features`` columns of standard normal noise, unrelated to the
    class, are appended: a network can fit the training labels with them, and that does not
    carry over to new data.

    Parameters
    ----------
    n : int
        Number of instances (at least 2); the classes get n // 2 and n - n // 2 instances.
    noise : float
        Standard deviation of the noise on the two informative coordinates (>= 0).
    n_noise_features : int
        Number of irrelevant columns (>= 0).
    seed : int
        Seed of the generator: the same seed gives the same data.

    Returns
    -------
    X : np.ndarray of float64, shape (n, 2 + n_noise_features)
        Columns 0 and 1 are the moons' coordinates, the others are noise. Rows are shuffled.
    y : np.ndarray of int64, shape (n,)
        Class labels, 0 or 1.
    """
    n = check_int(n, "n", minimum=2)
    n_noise_features = check_int(n_noise_features, "n_noise_features", minimum=0)
    if not isinstance(noise, numbers.Real) or isinstance(noise, bool) or not noise >= 0:
        raise ValueError(f"noise must be a number >= 0, got {describe(noise)}")
    rng = np.random.default_rng(seed)
    n0 = n // 2
    angles = rng.uniform(0.0, np.pi, size=n)
    upper = np.column_stack([np.cos(angles), np.sin(angles)])
    lower = np.column_stack([1.0 - np.cos(angles), 0.5 - np.sin(angles)])
    y = np.r_[np.zeros(n0, dtype=np.int64), np.ones(n - n0, dtype=np.int64)]
    moons = np.where(y[:, None] == 0, upper, lower) + rng.normal(0.0, noise, size=(n, 2))
    X = np.column_stack([moons, rng.normal(size=(n, n_noise_features))])
    order = rng.permutation(n)
    return X[order], y[order]


# --- tables -----------------------------------------------------------------------------------


def _cell(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        return f"{float(value):.3f}"
    return str(value)


def format_table(rows: Mapping[str, Mapping[str, object]], *, first: str = "") -> str:
    """Rows of results as an aligned text table.

    ``rows`` maps a row name to ``{column: value}``; the columns are those of the first row, in
    its order. Floats get 3 decimals, integers are printed as they are, None as "-".
    ``first`` is the heading of the column of row names.
    """
    if not isinstance(rows, Mapping) or not rows:
        raise TypeError(f"rows must be a non-empty dict of name -> {{column: value}}, "
                        f"got {describe(rows)}")
    columns = list(next(iter(rows.values())))
    table = [[first, *columns]]
    for name, row in rows.items():
        if not isinstance(row, Mapping):
            raise TypeError(f"rows[{name!r}] must be a dict of column -> value, "
                            f"got {describe(row)}")
        table.append([str(name), *(_cell(row.get(c)) for c in columns)])
    widths = [max(len(line[i]) for line in table) for i in range(len(table[0]))]
    lines = []
    for k, line in enumerate(table):
        cells = [line[0].ljust(widths[0])] + [v.rjust(w) for v, w in zip(line[1:], widths[1:])]
        lines.append("  ".join(cells).rstrip())
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


# --- checks shared by the figures -------------------------------------------------------------


def _check_history(history, name: str = "history") -> dict:
    if not isinstance(history, Mapping):
        raise TypeError(f"{name} must be a dict of per-epoch lists, got {describe(history)}")
    curves = {}
    for key in ("train_loss", "val_loss", "val_accuracy"):
        if key in history:
            curves[key] = as_real_array(history[key], f"{name}[{key!r}]", ndim=1)
    if "val_loss" not in curves and "train_loss" not in curves:
        raise ValueError(f"{name} must hold 'train_loss' or 'val_loss' (per-epoch lists), "
                         f"got keys {sorted(history)}")
    return curves


def _epoch_mark(history, key: str, n_epochs: int, name: str):
    value = history.get(key)
    if value is None:
        return None
    value = check_int(value, f"{name}[{key!r}]", minimum=0)
    if value >= n_epochs:
        raise ValueError(f"{name}[{key!r}] = {value} is past the last recorded epoch "
                         f"({n_epochs - 1})")
    return value


def _check_params(params, name: str) -> list[np.ndarray]:
    """The weight matrices of a params list (biases are not drawn)."""
    if not isinstance(params, Sequence) or isinstance(params, str) or not params:
        raise TypeError(f"{name} must be a non-empty list of layer dicts, got {describe(params)}")
    weights = []
    for i, layer in enumerate(params):
        if not isinstance(layer, Mapping) or "W" not in layer:
            raise TypeError(f"{name}[{i}] must be a dict with a weight matrix 'W', "
                            f"got {describe(layer)}")
        weights.append(as_real_array(layer["W"], f"{name}[{i}]['W']", ndim=2))
    return weights


# --- figures ----------------------------------------------------------------------------------


def plot_data(X, y, ax=None, *, title: str | None = None, label: str = "") -> Axes:
    """The two informative features of :func:`make_noisy_moons` data, one marker per class.

    ``X`` (n, n_features) with n_features >= 2 (only columns 0 and 1 are drawn), ``y`` (n,) in
    {0, 1}. ``label`` is added to the legend entries (e.g. "train").
    """
    X = as_real_array(X, "X", ndim=2)
    y = as_real_array(y, "y", ndim=1)
    if X.shape[1] < 2 or len(y) != len(X):
        raise ValueError(f"X must have at least 2 columns and one row per label in y; got X "
                         f"{X.shape}, y {y.shape}")
    ax = new_axes(ax, figsize=(5.5, 4.0))
    suffix = f" ({label})" if label else ""
    for k in (0, 1):
        mask = y == k
        ax.scatter(X[mask, 0], X[mask, 1], s=40 if label == "train" else 14,
                   color=CLASS_COLORS[k], marker=CLASS_MARKERS[k], edgecolors="black",
                   linewidths=0.5 if label == "train" else 0.0,
                   alpha=1.0 if label == "train" else 0.45, label=f"class {k}{suffix}")
    ax.set_xlabel("$x_1$ (informative)")
    ax.set_ylabel("$x_2$ (informative)")
    ax.set_title(title or "The two informative features")
    ax.legend(fontsize="small", loc="best")
    return ax


def plot_history(history, ax=None, *, title: str | None = None) -> Axes:
    """Training and validation loss per epoch of one run; early stopping's epochs marked.

    ``history``: ``{"train_loss": [...], "val_loss": [...]}`` (per-epoch lists, either may be
    missing), optionally ``"best_epoch"`` (a dot on the validation curve and a dotted line)
    and ``"stopped_epoch"`` (a dashed line). Epochs are counted from 0, as in the histories.
    """
    curves = _check_history(history)
    ax = new_axes(ax, figsize=(6.0, 4.0))
    n_epochs = max(len(c) for c in curves.values())
    if "train_loss" in curves:
        t = curves["train_loss"]
        ax.plot(np.arange(len(t)), t, color="tab:blue", label="training loss")
    if "val_loss" in curves:
        v = curves["val_loss"]
        ax.plot(np.arange(len(v)), v, color="tab:red", label="validation loss")
        best = _epoch_mark(history, "best_epoch", len(v), "history")
        if best is not None:
            ax.axvline(best, color="tab:green", linestyle=":", linewidth=1.5)
            ax.plot(best, v[best], "o", color="tab:green", markersize=8, zorder=5,
                    label=f"best epoch {best}: validation loss {v[best]:.3f}")
    stopped = _epoch_mark(history, "stopped_epoch", n_epochs, "history")
    if stopped is not None:
        ax.axvline(stopped, color="black", linestyle="--", linewidth=1.2,
                   label=f"stopped at epoch {stopped}")
    ax.set_xlabel("epoch (counted from 0)")
    ax.set_ylabel("mean cross-entropy")
    ax.set_title(title or "Training and validation loss")
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small")
    return ax


_CURVE_LABELS = {"train_loss": "training loss", "val_loss": "validation loss",
                 "val_accuracy": "validation accuracy", "sum_sq": "sum of squared weights",
                 "sum_abs": "sum of |weights|"}


def plot_curves(histories: Mapping[str, Mapping], key: str = "val_loss", ax=None, *,
                title: str | None = None) -> Axes:
    """One per-epoch quantity (``key``, e.g. "val_loss") for several runs, one line each.

    ``histories`` maps a run's name to its history dict; a run with a ``"best_epoch"`` gets a
    dot there (the epoch whose weights early stopping restores).
    """
    if not isinstance(histories, Mapping) or not histories:
        raise TypeError(f"histories must be a non-empty dict of name -> history, "
                        f"got {describe(histories)}")
    ax = new_axes(ax, figsize=(6.5, 4.0))
    for k, (name, history) in enumerate(histories.items()):
        if not isinstance(history, Mapping) or key not in history:
            raise ValueError(f"histories[{name!r}] must be a dict with a per-epoch list "
                             f"{key!r}")
        values = as_real_array(history[key], f"histories[{name!r}][{key!r}]", ndim=1)
        ax.plot(np.arange(len(values)), values, color=f"C{k}", label=name, linewidth=1.4)
        best = _epoch_mark(history, "best_epoch", len(values), f"histories[{name!r}]")
        if best is not None:
            ax.plot(best, values[best], "o", color=f"C{k}", markersize=7,
                    markeredgecolor="black", zorder=5)
    ax.set_xlabel("epoch (counted from 0)")
    ax.set_ylabel(_CURVE_LABELS.get(key, key))
    ax.set_title(title or f"{_CURVE_LABELS.get(key, key).capitalize()} per epoch")
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small")
    return ax


def plot_weight_histograms(params_by_name: Mapping[str, Sequence], axes=None, *,
                           bins: int = 61, limit: float | None = None, small: float = 0.01,
                           log: bool = True) -> list[Axes]:
    """Histograms of all the weights (every layer's W; biases excluded) of several networks.

    One panel per network, same bins everywhere (weights beyond ``limit`` are counted in the
    outermost bins). The title of each panel gives the fraction of weights with
    ``|w| < small`` and the sum of squared weights. ``limit`` bounds the x-axis (default: the
    largest |w| of all networks); ``log`` draws the counts on a log scale, so that a few large
    weights next to a spike at 0 stay visible. Returns the list of Axes.
    """
    if not isinstance(params_by_name, Mapping) or not params_by_name:
        raise TypeError(f"params_by_name must be a non-empty dict of name -> params, "
                        f"got {describe(params_by_name)}")
    bins = check_int(bins, "bins", minimum=1)
    weights = {name: np.concatenate([W.ravel() for W in _check_params(p, f"params[{name!r}]")])
               for name, p in params_by_name.items()}
    n = len(weights)
    if axes is None:
        _, grid = plt.subplots(1, n, figsize=(3.6 * n, 3.3), sharey=True, squeeze=False)
        axes = list(grid[0])
    elif isinstance(axes, Axes) and n == 1:
        axes = [axes]
    elif not (isinstance(axes, Sequence | np.ndarray) and len(axes) == n
              and all(isinstance(a, Axes) for a in axes)):
        raise TypeError(f"axes must be None or {n} Axes (one per network), got {describe(axes)}")
    largest = max(float(np.abs(w).max()) for w in weights.values())
    limit = largest if limit is None else float(limit)
    edges = np.linspace(-limit, limit, bins + 1)
    for k, (ax, (name, w)) in enumerate(zip(axes, weights.items())):
        ax.hist(np.clip(w, -limit, limit), bins=edges, color=f"C{k}", alpha=0.85, log=log)
        near_zero = float(np.mean(np.abs(w) < small))
        ax.set_title(f"{name}\n|w| < {small:g}: {near_zero:.0%}, "
                     f"$\\sum w^2$ = {float(np.sum(w ** 2)):.1f}", fontsize="medium")
        ax.set_xlabel("weight value")
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("number of weights" + (" (log scale)" if log else ""))
    return list(axes)


def plot_input_weights(params_by_name: Mapping[str, Sequence], ax=None, *,
                       n_informative: int = N_INFORMATIVE, title: str | None = None) -> Axes:
    """The largest |weight| leaving each input feature (a row of the first layer's W).

    One group of bars per input feature, one bar per network. An input whose largest weight is
    about 0 is ignored by the network. The first ``n_informative`` inputs (shaded) are the ones
    that carry the signal in :func:`make_noisy_moons` data, the others are noise.
    """
    if not isinstance(params_by_name, Mapping) or not params_by_name:
        raise TypeError(f"params_by_name must be a non-empty dict of name -> params, "
                        f"got {describe(params_by_name)}")
    firsts = {name: _check_params(p, f"params[{name!r}]")[0] for name, p in params_by_name.items()}
    n_inputs = {W.shape[0] for W in firsts.values()}
    if len(n_inputs) != 1:
        raise ValueError(f"all networks must have the same number of inputs, got {n_inputs}")
    n_inputs = n_inputs.pop()
    n_informative = check_int(n_informative, "n_informative", minimum=0)
    ax = new_axes(ax, figsize=(7.5, 3.8))
    width = 0.8 / len(firsts)
    positions = np.arange(n_inputs)
    for k, (name, W) in enumerate(firsts.items()):
        ax.bar(positions + (k - (len(firsts) - 1) / 2) * width, np.abs(W).max(axis=1),
               width=width, color=f"C{k}", label=name)
    if 0 < n_informative < n_inputs:
        ax.axvspan(-0.5, n_informative - 0.5, color="tab:green", alpha=0.12, zorder=0,
                   label="informative inputs")
    ax.set_xticks(positions, [f"$x_{{{i + 1}}}$" for i in positions])
    ax.set_xlim(-0.5, n_inputs - 0.5)
    ax.set_xlabel("input feature")
    ax.set_ylabel("largest |w| of its first-layer weights")
    ax.set_title(title or "How much the first layer uses each input")
    ax.legend(fontsize="small")
    return ax


def _call_dropout(dropout, A, rate, rng, training) -> np.ndarray:
    out = np.asarray(call_exercise(dropout, A, rate, rng, training), dtype=float)
    if out.shape != A.shape:
        raise ValueError(f"dropout returned shape {out.shape} for A of shape {A.shape}; "
                         "it must return an array of the same shape as A")
    return out


@needs_exercises
def plot_dropout_expectation(dropout: Callable, axes=None, *, rate: float = 0.5,
                             rates: Sequence[float] = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6,
                                                       0.7, 0.8, 0.9),
                             n_units: int = 40, n_draws: int = 2000,
                             seed: int = 0) -> list[Axes]:
    """What ``dropout(A, rate, rng, training)`` does on average, in two panels.

    Left: for one ``rate``, each unit's activation a_j against its average over ``n_draws``
    dropout masks (points on the diagonal: the expected activation is preserved), and one
    single draw (each unit either 0 or a_j / (1 - rate)). Right: for each of ``rates``, the
    fraction of units dropped and the mean output divided by the mean input, in training
    (the inverted dropout keeps it at 1) and at inference (identity: 1). The line 1 - rate is
    what dropout without the rescaling would give.

    The activations are ``n_units`` positive numbers; they are stacked ``n_draws`` times into
    one array of shape (n_draws, n_units), so each call draws one mask per row.
    """
    if not callable(dropout):
        raise TypeError(f"dropout must be a function dropout(A, rate, rng, training), "
                        f"got {describe(dropout)}")
    n_units = check_int(n_units, "n_units", minimum=1)
    n_draws = check_int(n_draws, "n_draws", minimum=1)
    rates = as_real_array(rates, "rates", ndim=1)
    if axes is None:
        _, grid = plt.subplots(1, 2, figsize=(12, 4.2))
        axes = list(grid)
    elif not (isinstance(axes, Sequence | np.ndarray) and len(axes) == 2
              and all(isinstance(a, Axes) for a in axes)):
        raise TypeError(f"axes must be None or two Axes, got {describe(axes)}")
    rng = np.random.default_rng(seed)
    a = np.sort(rng.uniform(0.1, 2.0, size=n_units))  # positive, like ReLU outputs
    A = np.tile(a, (n_draws, 1))

    left, right = axes
    out = _call_dropout(dropout, A, rate, rng, True)
    one = out[0]
    kept = one != 0
    left.plot([0, a.max() * 1.05], [0, a.max() * 1.05], color="grey", linewidth=1,
              label="preserved: mean = $a_j$")
    left.scatter(a[kept], one[kept], marker="^", color="tab:orange", s=28,
                 label=f"one draw, kept: $a_j / (1 - {rate:g})$")
    left.scatter(a[~kept], one[~kept], marker="v", color="tab:grey", s=28,
                 label="one draw, dropped: 0")
    left.scatter(a, out.mean(axis=0), color="tab:blue", s=22, zorder=4,
                 label=f"mean over {n_draws} draws")
    left.set_xlabel("activation $a_j$ before dropout")
    left.set_ylabel("activation after dropout (training)")
    left.set_title(f"Inverted dropout with rate = {rate:g}, unit by unit")
    left.grid(alpha=0.3)
    left.legend(fontsize="small")

    dropped, ratio_train, ratio_test = [], [], []
    for r in rates:
        out = _call_dropout(dropout, A, float(r), rng, True)
        dropped.append(float(np.mean(out == 0)))
        ratio_train.append(float(out.mean() / A.mean()))
        ratio_test.append(float(_call_dropout(dropout, A, float(r), rng, False).mean()
                                / A.mean()))
    right.plot(rates, 1 - rates, color="grey", linestyle="--",
               label="without rescaling: $1 - $rate")
    right.plot(rates, ratio_train, "o-", color="tab:blue", label="mean out / mean in, training")
    right.plot(rates, ratio_test, "s:", color="tab:green", markersize=5,
               label="mean out / mean in, inference")
    right.plot(rates, dropped, "^-", color="tab:orange", label="fraction of units dropped")
    right.set_xlabel("rate (probability of dropping a unit)")
    right.set_ylabel("fraction / ratio")
    right.set_title("Dropped fraction and mean activation, by rate")
    right.set_ylim(-0.05, 1.15)
    right.grid(alpha=0.3)
    # below the axes: inside, it would cover the lines (they span the whole panel)
    right.legend(fontsize="small", loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=2)
    return [left, right]
