"""Data and figures for notebook 02, logistic regression.

- ``load_iris_binary``: two iris classes on two features, standardized (needs scikit-learn,
  imported only when called: the course package itself depends on numpy and matplotlib only).
- ``unpenalized_logistic_regression``: scikit-learn's LogisticRegression without a penalty,
  spelled the way the installed scikit-learn version wants it.
- Figures: ``plot_sigmoid``, ``plot_loss_curve``, ``plot_learning_rates`` and
  ``plot_probability_map`` (a 2-D data set, the predicted probability and the decision
  boundary). Each draws on ``ax`` (a new figure when ``ax`` is None), labels the axes, sets a
  title and returns the Axes.

Notation: ``X`` has shape (n_instances, n_features), ``y`` holds labels 0 and 1, ``w`` has
shape (n_features,) and ``b`` is a single number; the model is p = sigma(X @ w + b).
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes

from course.plots import new_axes
from course.validation import as_real_array, describe

CLASS_COLORS = ("tab:blue", "tab:orange")
CLASS_MARKERS = ("o", "^")
IRIS_FEATURES = ("sepal length (cm)", "sepal width (cm)", "petal length (cm)",
                 "petal width (cm)")
IRIS_CLASSES = ("setosa", "versicolor", "virginica")


# ---- data ---------------------------------------------------------------------------------

def _require_sklearn(purpose: str):
    """Import scikit-learn, or raise an ImportError that says how to get it."""
    try:
        import sklearn
    except ImportError:
        raise ImportError(
            f"scikit-learn is needed for {purpose}. Install it with `pip install scikit-learn` "
            f"(in a notebook: `%pip install scikit-learn`, then restart the kernel); Google "
            f"Colab has it already."
        ) from None
    return sklearn


@dataclass(frozen=True)
class BinaryDataset:
    """A two-class data set: ``X`` (n_instances, n_features) floats, ``y`` (n_instances,) 0/1.

    ``X_raw`` holds the features before standardizing; ``mean`` and ``scale`` (each of shape
    (n_features,)) undo it: ``X_raw = X * scale + mean``. ``class_names[k]`` is class k's name.
    """

    X: np.ndarray
    y: np.ndarray
    X_raw: np.ndarray
    mean: np.ndarray
    scale: np.ndarray
    feature_names: tuple
    class_names: tuple


def _pick(names, allowed, what: str) -> list:
    if isinstance(names, str) or not hasattr(names, "__iter__"):
        raise TypeError(f"{what} must be a sequence of names, got {describe(names)}")
    picked = []
    for name in names:
        if name not in allowed:
            raise ValueError(f"{what}: unknown name {name!r}; choose from {', '.join(allowed)}")
        picked.append(allowed.index(name))
    return picked


def standardize(X) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rescale each column of ``X`` (n_instances, n_features) to mean 0 and standard deviation 1.

    Returns (X_standardized, mean, scale), ``mean`` and ``scale`` of shape (n_features,). A
    constant column is only centred (its scale is taken as 1).
    """
    X = as_real_array(X, "X", ndim=2)
    mean = X.mean(axis=0)
    scale = X.std(axis=0)
    scale = np.where(scale > 0, scale, 1.0)
    return (X - mean) / scale, mean, scale


def load_iris_binary(classes=("versicolor", "virginica"),
                     features=("petal length (cm)", "petal width (cm)"),
                     standardized: bool = True) -> BinaryDataset:
    """Two of the three iris species, on the chosen features, with labels 0 and 1.

    The iris data (Fisher, 1936) ship with scikit-learn: 50 flowers per species, four
    measurements each. ``classes[0]`` gets label 0 and ``classes[1]`` label 1. With
    ``standardized`` (the default) every feature is rescaled to mean 0 and standard deviation 1,
    which lets one learning rate suit all weights.

    Returns a BinaryDataset with X of shape (100, len(features)) and y of shape (100,).
    """
    classes = tuple(classes) if not isinstance(classes, str) else classes
    picked_classes = _pick(classes, IRIS_CLASSES, "classes")
    if len(picked_classes) != 2 or picked_classes[0] == picked_classes[1]:
        raise ValueError(f"classes must name two different species, got {classes!r}")
    picked_features = _pick(features, IRIS_FEATURES, "features")
    if not picked_features:
        raise ValueError("features must name at least one feature")
    _require_sklearn("the iris data set")
    from sklearn.datasets import load_iris

    iris = load_iris()
    keep = np.isin(iris.target, picked_classes)
    X_raw = iris.data[keep][:, picked_features].astype(np.float64)
    y = (iris.target[keep] == picked_classes[1]).astype(int)
    if standardized:
        X, mean, scale = standardize(X_raw)
    else:
        X, mean, scale = X_raw.copy(), np.zeros(X_raw.shape[1]), np.ones(X_raw.shape[1])
    return BinaryDataset(X=X, y=y, X_raw=X_raw, mean=mean, scale=scale,
                         feature_names=tuple(IRIS_FEATURES[i] for i in picked_features),
                         class_names=tuple(IRIS_CLASSES[i] for i in picked_classes))


def unpenalized_logistic_regression(**kwargs):
    """scikit-learn's ``LogisticRegression`` with no penalty (plain maximum likelihood).

    Before scikit-learn 1.8 this is ``LogisticRegression(penalty=None)``; 1.8 deprecated
    ``penalty`` and spells the same model ``LogisticRegression(C=np.inf)`` (C is the inverse
    of the penalty's strength). Other keyword arguments are passed on (``tol``, ``max_iter``...).
    """
    sklearn = _require_sklearn("the comparison with scikit-learn")
    from sklearn.linear_model import LogisticRegression

    if "penalty" in kwargs or "C" in kwargs:
        raise TypeError("unpenalized_logistic_regression sets penalty/C itself; do not pass them")
    version = re.match(r"(\d+)\.(\d+)", sklearn.__version__)
    if version is None or (int(version[1]), int(version[2])) >= (1, 8):
        return LogisticRegression(C=np.inf, **kwargs)
    return LogisticRegression(penalty=None, **kwargs)


# ---- figures ------------------------------------------------------------------------------

def _new_axes(ax, figsize=(6.0, 4.0)) -> Axes:
    return new_axes(ax, figsize)


def _check_function(func, name: str) -> Callable:
    if not callable(func):
        raise TypeError(f"{name} must be a function, got {describe(func)}")
    return func


def plot_sigmoid(sigmoid, ax=None, *, z_max: float = 8.0) -> Axes:
    """Draw ``sigmoid`` (your function) on [-z_max, z_max], with its asymptotes and sigma(0).

    Parameters
    ----------
    sigmoid : callable, np.ndarray (n,) -> np.ndarray (n,)
    ax : matplotlib Axes, optional
    z_max : float, half-width of the range of weighted sums shown
    """
    sigmoid = _check_function(sigmoid, "sigmoid")
    if not isinstance(z_max, numbers.Real) or not z_max > 0:
        raise ValueError(f"z_max must be a positive number, got {describe(z_max)}")
    z = np.linspace(-z_max, z_max, 401)
    values = as_real_array(sigmoid(z), "sigmoid(z)")
    if values.shape != z.shape:
        raise ValueError(f"sigmoid(z) must have the shape of z, {z.shape}, got {values.shape}")
    ax = _new_axes(ax)
    for level in (0.0, 1.0):
        ax.axhline(level, color="grey", linestyle="--", linewidth=1)
    ax.axhline(0.5, color="grey", linestyle=":", linewidth=1)
    ax.axvline(0.0, color="grey", linestyle=":", linewidth=1)
    ax.plot(z, values, color="tab:purple", linewidth=2.5,
            label=r"$\sigma(z) = 1 / (1 + e^{-z})$")
    ax.plot([0.0], [float(np.asarray(sigmoid(0.0)))], "o", color="black", zorder=3,
            label=r"$\sigma(0)$")
    ax.set_xlim(-z_max, z_max)
    ax.set_ylim(-0.08, 1.08)
    ax.set_xlabel(r"$z = \theta_0 + \theta_1 x_1 + \dots + \theta_D x_D$ (any real number)")
    ax.set_ylabel(r"$\sigma(z)$, a probability in $(0, 1)$")
    ax.set_title("The logistic function squashes every real number into (0, 1)")
    ax.legend(loc="upper left")
    return ax


def _check_losses(losses, name: str = "losses") -> np.ndarray:
    losses = as_real_array(losses, name, ndim=1)
    if losses.size == 0:
        raise ValueError(f"{name} must hold at least one loss, got an empty array")
    return losses


def plot_loss_curve(losses, ax=None, *, label: str | None = None, title: str | None = None,
                    initial_loss: float | None = None) -> Axes:
    """Draw a training curve: ``losses[k]`` (the loss after epoch k + 1) against the epoch.

    Parameters
    ----------
    losses : array-like, shape (n_epochs,)
    ax : matplotlib Axes, optional
    label : str, optional, legend entry for the curve
    title : str, optional, replaces the default title
    initial_loss : float, optional, the loss before training, drawn at epoch 0
    """
    losses = _check_losses(losses)
    ax = _new_axes(ax)
    epochs = np.arange(1, losses.size + 1)
    if initial_loss is not None:
        epochs = np.r_[0, epochs]
        losses = np.r_[float(initial_loss), losses]
    ax.plot(epochs, losses, linewidth=2, label=label)
    ax.set_xlabel("epoch (one gradient step on the whole training set)")
    ax.set_ylabel("log loss on the training set")
    ax.set_title(title or f"Training curve: the loss after {epochs[-1]} epochs is "
                          f"{losses[-1]:.4f}")
    ax.grid(alpha=0.3)
    if label is not None:
        ax.legend()
    return ax


def plot_learning_rates(histories: Mapping, ax=None, *, initial_loss: float | None = None,
                        title: str | None = None) -> Axes:
    """Training curves for several learning rates on one plot.

    Parameters
    ----------
    histories : mapping from a label (e.g. "lr = 0.05, too small") to losses (n_epochs,)
    ax : matplotlib Axes, optional
    initial_loss : float, optional, the loss before training, drawn as a dotted line
    title : str, optional
    """
    if not isinstance(histories, Mapping) or not histories:
        raise TypeError(f"histories must be a non-empty dict {{label: losses}}, "
                        f"got {describe(histories)}")
    ax = _new_axes(ax, figsize=(7.0, 4.2))
    for label, losses in histories.items():
        losses = _check_losses(losses, f"histories[{label!r}]")
        ax.plot(np.arange(1, losses.size + 1), losses, linewidth=1.8, label=str(label))
    if initial_loss is not None:
        ax.axhline(float(initial_loss), color="grey", linestyle=":", linewidth=1.2,
                   label=f"loss before training ({float(initial_loss):.3f})")
    ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("log loss on the training set (log scale)")
    ax.set_title(title or "Learning rates: too small, about right, too large")
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize="small")
    return ax


def _check_model(w, b, X, y) -> tuple[np.ndarray, float, np.ndarray, np.ndarray]:
    X = as_real_array(X, "X", ndim=2)
    if X.shape[1] != 2 or X.shape[0] == 0:
        raise ValueError(f"X must have shape (n_instances, 2), two features that can be drawn "
                         f"in the plane, got shape {X.shape}")
    y = as_real_array(y, "y", ndim=1)
    if y.shape[0] != X.shape[0]:
        raise ValueError(f"y must hold one label per row of X ({X.shape[0]}), got {y.shape}")
    w = as_real_array(w, "w", ndim=1)
    if w.shape != (2,):
        raise ValueError(f"w must hold 2 weights (one per column of X), got shape {w.shape}")
    b = as_real_array(b, "b")
    if b.size != 1:
        raise ValueError(f"b must be a single number, got shape {b.shape}")
    return w, float(b.reshape(())), X, y


def plot_probability_map(predict_proba, w, b, X, y, ax=None, *, feature_names=None,
                         class_names=None, title: str | None = None,
                         padding: float = 0.5, legend: str = "best") -> Axes:
    """Shade the plane by ``predict_proba(points, w, b)`` and draw the decision boundary.

    The colour shows the predicted probability of class 1, thin lines mark p = 0.1, 0.25,
    0.75 and 0.9, and the thick black line is the decision boundary p = 0.5, that is
    x . w + b = 0. Points are marked by class; points predicted wrongly (p >= 0.5 for class
    0, p < 0.5 for class 1) are circled in red.

    Parameters
    ----------
    predict_proba : callable (X (n, 2), w (2,), b) -> probabilities (n,); yours
    w : array-like, shape (2,)
    b : float
    X : array-like, shape (n_instances, 2)
    y : array-like, shape (n_instances,), labels 0 and 1
    ax : matplotlib Axes, optional
    feature_names : two strings for the axes, optional
    class_names : two strings for the legend, optional
    title : str, optional, replaces the default title (w, b and the accuracy)
    padding : float, margin around the data, in the units of X
    legend : str, where matplotlib puts the legend ("best", "lower right", ...)
    """
    predict_proba = _check_function(predict_proba, "predict_proba")
    w, b, X, y = _check_model(w, b, X, y)
    names = tuple(feature_names or ("$x_1$", "$x_2$"))
    classes = tuple(class_names or ("class 0", "class 1"))
    if len(names) != 2 or len(classes) != 2:
        raise ValueError("feature_names and class_names must hold two names each")
    ax = _new_axes(ax, figsize=(6.5, 5.0))
    low, high = X.min(axis=0) - padding, X.max(axis=0) + padding
    g1, g2 = np.meshgrid(np.linspace(low[0], high[0], 200), np.linspace(low[1], high[1], 200))
    grid = np.column_stack([g1.ravel(), g2.ravel()])
    p_grid = as_real_array(predict_proba(grid, w, b), "predict_proba(grid, w, b)")
    if p_grid.shape != (grid.shape[0],):
        raise ValueError(f"predict_proba must return one probability per row, shape "
                         f"({grid.shape[0]},), got {p_grid.shape}")
    p_grid = p_grid.reshape(g1.shape)
    filled = ax.contourf(g1, g2, p_grid, levels=np.linspace(0, 1, 21), cmap="RdBu_r",
                         alpha=0.55, vmin=0, vmax=1)
    ax.figure.colorbar(filled, ax=ax, label="predicted probability of class 1",
                       ticks=[0, 0.25, 0.5, 0.75, 1])
    if np.ptp(p_grid) > 0:
        thin = ax.contour(g1, g2, p_grid, levels=[0.1, 0.25, 0.75, 0.9], colors="dimgrey",
                          linewidths=0.8, linestyles="--")
        ax.clabel(thin, fontsize="x-small", fmt="p=%.2g")
        if p_grid.min() < 0.5 <= p_grid.max():
            ax.contour(g1, g2, p_grid, levels=[0.5], colors="black", linewidths=2.2)
    p = as_real_array(predict_proba(X, w, b), "predict_proba(X, w, b)")
    wrong = (p >= 0.5).astype(int) != y
    for k in (0, 1):
        mask = y == k
        ax.scatter(X[mask, 0], X[mask, 1], s=40, zorder=4, edgecolors="black", linewidths=0.5,
                   color=CLASS_COLORS[k], marker=CLASS_MARKERS[k], label=classes[k])
    if wrong.any():
        ax.scatter(X[wrong, 0], X[wrong, 1], s=170, facecolors="none", edgecolors="red",
                   linewidths=1.6, zorder=5, label="misclassified")
    ax.plot([], [], color="black", linewidth=2.2, label="decision boundary, p = 0.5")
    ax.set_xlim(low[0], high[0])
    ax.set_ylim(low[1], high[1])
    ax.set_xlabel(names[0])
    ax.set_ylabel(names[1])
    accuracy = float(np.mean(~wrong))
    ax.set_title(title or f"w = ({w[0]:.3g}, {w[1]:.3g}), b = {b:.3g}: "
                          f"accuracy {accuracy:.0%} ({int((~wrong).sum())} of {len(y)})")
    ax.legend(loc=legend, fontsize="small", framealpha=0.9)
    return ax
