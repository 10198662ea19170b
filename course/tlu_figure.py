"""A drawing of the threshold logic unit (notebook 01): inputs, weights, sum, step, output."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Circle, FancyBboxPatch


def draw_tlu(ax=None, n_inputs: int = 3):
    """Draw one TLU: inputs x_1..x_n and the bias input 1, each arrow with its weight, the
    weighted sum z = x·w + b, the step function and the output.

    Parameters
    ----------
    ax : matplotlib Axes, optional
        Where to draw; a new figure of size (7.5, 3.6) when None.
    n_inputs : int, default 3
        How many input neurons to draw (2 to 6); the last one is labelled x_n, and a
        vertical ellipsis stands for the ones between x_{n-1} and x_n.

    Returns
    -------
    matplotlib Axes
        The axes, with the axis frame switched off.
    """
    if not isinstance(n_inputs, (int, np.integer)) or not 2 <= n_inputs <= 6:
        raise ValueError(f"n_inputs should be an integer from 2 to 6, got {n_inputs!r}")
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 3.6))
    # one row per input, plus a row for the ellipsis before x_n
    ys = np.linspace(2.7, 0.3, n_inputs + 1)
    labels = [f"$x_{i + 1}$" for i in range(n_inputs - 1)] + ["", "$x_n$"]
    weights = [f"$w_{i + 1}$" for i in range(n_inputs - 1)] + ["", "$w_n$"]
    sum_xy = (3.2, 1.5)
    for i, (y, label, weight) in enumerate(zip(ys, labels, weights)):
        if i == n_inputs - 1:  # the inputs between x_{n-1} and x_n
            ax.text(0.35, y + 0.05, r"$\vdots$", ha="center", va="center", fontsize=14)
            continue
        ax.add_patch(Circle((0.35, y), 0.22, facecolor="#dbe9f6", edgecolor="black"))
        ax.text(0.35, y, label, ha="center", va="center", fontsize=12)
        end = (sum_xy[0] - 0.5, sum_xy[1] + 0.25 * (y - 1.5))
        ax.annotate("", xy=end, xytext=(0.6, y),
                    arrowprops={"arrowstyle": "->", "color": "black"})
        # the weight sits just above its arrow, at 45 % of the way (never on the line)
        along = 0.45
        ax.text(0.6 + along * (end[0] - 0.6), y + along * (end[1] - y) + 0.06, weight,
                ha="center", va="bottom", fontsize=11)
    # the bias input: always 1, its weight is b
    ax.add_patch(Circle((1.9, -0.35), 0.22, facecolor="#fde2c8", edgecolor="black"))
    ax.text(1.9, -0.35, "1", ha="center", va="center", fontsize=12)
    ax.annotate("", xy=(sum_xy[0] - 0.3, sum_xy[1] - 0.42), xytext=(2.08, -0.2),
                arrowprops={"arrowstyle": "->", "color": "black", "linestyle": "--"})
    ax.text(2.2, 0.25, "$b$", fontsize=11, ha="right")
    # the weighted sum
    ax.add_patch(Circle(sum_xy, 0.5, facecolor="white", edgecolor="black", linewidth=1.5))
    ax.text(*sum_xy, r"$\Sigma$", ha="center", va="center", fontsize=18)
    ax.text(sum_xy[0], sum_xy[1] + 0.65, r"$z = \mathbf{x}\cdot\mathbf{w} + b$", ha="center",
            fontsize=11)
    # the step function, drawn as a small graph inside a box
    box_x, box_y = 4.3, 1.05
    ax.add_patch(FancyBboxPatch((box_x, box_y), 1.2, 0.9, boxstyle="round,pad=0.05",
                                facecolor="white", edgecolor="black", linewidth=1.5))
    ax.plot([box_x + 0.1, box_x + 0.6, box_x + 0.6, box_x + 1.1],
            [box_y + 0.2, box_y + 0.2, box_y + 0.7, box_y + 0.7], color="tab:orange",
            linewidth=2)
    ax.text(box_x + 0.6, box_y - 0.3, r"$\operatorname{step}(z)$", ha="center", fontsize=11)
    ax.annotate("", xy=(box_x - 0.05, sum_xy[1]), xytext=(sum_xy[0] + 0.5, sum_xy[1]),
                arrowprops={"arrowstyle": "->", "color": "black"})
    ax.annotate("", xy=(box_x + 2.0, sum_xy[1]), xytext=(box_x + 1.25, sum_xy[1]),
                arrowprops={"arrowstyle": "->", "color": "black"})
    ax.text(box_x + 2.1, sum_xy[1], r"$h_{\mathbf{w},b}(\mathbf{x})$", va="center",
            fontsize=12)
    ax.set_xlim(0, 7.4)
    ax.set_ylim(-0.75, 3.1)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title("A threshold logic unit: a weighted sum, then a step")
    return ax
