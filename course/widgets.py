"""Interactive widgets for the notebooks (ipywidgets), with a static fallback.

ipywidgets is imported only when a widget is requested, so the rest of the package works
without it. The widgets use only what ipywidgets 7.7 (Google Colab) and 8.x both provide.
Where widgets cannot work (no ipywidgets, no Jupyter kernel, or the notebook is being graded
by nbgrader) the functions draw the static figure for the values given and say so.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np

from course.harness import NotWrittenYet
from course.plots import _check_problem, _check_step, plot_decision_boundary, tlu_predictions
from course.validation import describe


def _ipython():
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()


def widget_support():
    """Return ``(ipywidgets_module, None)`` if sliders can work here, else ``(None, reason)``."""
    if os.environ.get("NBGRADER_EXECUTION"):
        return None, "the notebook is being run by nbgrader"
    try:
        import ipywidgets
    except ImportError:
        return None, "ipywidgets is not installed (pip install ipywidgets)"
    shell = _ipython()
    if shell is None or getattr(shell, "kernel", None) is None:
        return None, "this is not running in a Jupyter kernel"
    return ipywidgets, None


def _show() -> None:
    """Show the current figure in a notebook; outside IPython leave it open for the caller."""
    if _ipython() is not None:
        plt.show()


def _check_range(value, name: str) -> tuple[float, float]:
    try:
        low, high = (float(v) for v in value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be two numbers (low, high), got {describe(value)}") from None
    if not (np.isfinite(low) and np.isfinite(high) and low < high):
        raise ValueError(f"{name} must be two finite numbers with low < high, got {value!r}")
    return low, high


@dataclass
class TLUInterface:
    """The parts of the interactive TLU: the whole ``box`` to display, and its pieces."""

    box: object  # ipywidgets.VBox
    sliders: dict  # {"w1": FloatSlider, "w2": FloatSlider, "b": FloatSlider}
    status: object  # ipywidgets.HTML with the accuracy
    output: object  # ipywidgets.Output holding the figure


def build_tlu_interface(ipywidgets, X, y, w, b, step=None, *, w_range=(-5.0, 5.0),
                        b_range=(-10.0, 10.0)) -> TLUInterface:
    """Build (without displaying) sliders for w1, w2, b and the figure they control.

    Arguments as in :func:`interactive_tlu`; ``ipywidgets`` is the imported module.
    """
    w, b, X, y = _check_problem(w, b, X, y)
    step = _check_step(step)
    w_low, w_high = _check_range(w_range, "w_range")
    b_low, b_high = _check_range(b_range, "b_range")

    def slider(value, low, high, description):
        return ipywidgets.FloatSlider(
            value=float(value), min=min(low, float(value)), max=max(high, float(value)),
            step=0.1, description=description, continuous_update=False,
            readout_format=".1f", style={"description_width": "2.5em"},
        )

    sliders = {"w1": slider(w[0], w_low, w_high, "w₁"),
               "w2": slider(w[1], w_low, w_high, "w₂"),
               "b": slider(b, b_low, b_high, "b")}
    status = ipywidgets.HTML(value="")

    def draw(w1, w2, b):
        weights = np.array([w1, w2])
        try:
            predictions = tlu_predictions(weights, b, X, step)
        except NotWrittenYet as exc:  # one line in the widget, not a traceback from ipywidgets
            status.value = ""
            print(exc)
            return
        correct = int(np.sum(predictions == y))
        status.value = (f"<b>accuracy {correct / len(y):.0%}</b> "
                        f"({correct} of {len(y)} points correct)")
        plot_decision_boundary(weights, b, X, y, step=step)
        _show()

    output = ipywidgets.interactive_output(draw, sliders)
    controls = ipywidgets.HBox(list(sliders.values()))
    box = ipywidgets.VBox([controls, status, output])
    return TLUInterface(box=box, sliders=sliders, status=status, output=output)


def interactive_tlu(X, y, w=(1.0, 1.0), b=0.0, step=None, *, w_range=(-5.0, 5.0),
                    b_range=(-10.0, 10.0)) -> None:
    """Sliders for a TLU's weights and bias, redrawing its decision boundary over (X, y).

    Move w1, w2 and b (release a slider to redraw): the line x . w + b = 0 moves, the two
    half-planes are shaded, misclassified points are circled and the accuracy is shown.
    Without widget support the static figure for ``w`` and ``b`` is drawn instead, with a
    note saying why.

    Parameters
    ----------
    X : array-like, shape (n_instances, 2)
        Inputs x1, x2.
    y : array-like, shape (n_instances,)
        Labels compared with the TLU's outputs (0/1 for the heaviside step).
    w : array-like, shape (2,)
        Starting weights.
    b : float
        Starting bias.
    step : callable, optional
        The TLU's step function; heaviside (1 where z >= 0, else 0) by default.
    w_range, b_range : (float, float)
        Slider limits (widened if the starting value lies outside).

    Returns
    -------
    None. The widget (or the static figure) is displayed.
    """
    w_checked, b_checked, X, y = _check_problem(w, b, X, y)
    step = _check_step(step)
    _check_range(w_range, "w_range")
    _check_range(b_range, "b_range")
    ipywidgets, reason = widget_support()
    if ipywidgets is None:
        values = f"w=({w_checked[0]:g}, {w_checked[1]:g}), b={b_checked:g}"
        print(f"Static figure for {values}: sliders are not available because {reason}. "
              f"To explore, run this cell in Jupyter or Colab, or call interactive_tlu again "
              f"with other values of w and b.")
        try:
            plot_decision_boundary(w_checked, b_checked, X, y, step=step)
        except NotWrittenYet as exc:  # one line naming the exercise, and the cell goes on
            print(exc)
            return None
        _show()
        return None
    interface = build_tlu_interface(ipywidgets, X, y, w_checked, b_checked, step,
                                    w_range=w_range, b_range=b_range)
    from IPython.display import display

    display(interface.box)
    return None
