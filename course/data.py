"""Small data sets for the notebooks, generated here: nothing is downloaded.

Notation: ``X`` has one row per instance and one column per feature, shape
(n_instances, n_features); labels ``y`` have shape (n_instances,).
"""

from __future__ import annotations

import numpy as np

from course.validation import as_real_array, check_int, describe

#: The four input rows of a two-input truth table, shape (4, 2), in the order
#: (0, 0), (0, 1), (1, 0), (1, 1).
LOGIC_INPUTS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
LOGIC_INPUTS.setflags(write=False)

_NOT_INPUTS = np.array([[0.0], [1.0]])
_NOT_INPUTS.setflags(write=False)

_TWO_INPUT_GATES = {
    "AND": [0, 0, 0, 1],
    "OR": [0, 1, 1, 1],
    "XOR": [0, 1, 1, 0],
    "NAND": [1, 1, 1, 0],
    "NOR": [1, 0, 0, 0],
}

#: Names accepted by :func:`truth_table`.
GATES = ("AND", "OR", "NOT", "XOR", "NAND", "NOR")


def truth_table(gate: str) -> tuple[np.ndarray, np.ndarray]:
    """Inputs and outputs of a logic gate.

    Parameters
    ----------
    gate : str
        One of "AND", "OR", "NOT", "XOR", "NAND", "NOR" (case-insensitive; a trailing
        "_GATE" is allowed, so "AND_GATE" works too).

    Returns
    -------
    X : np.ndarray of float, shape (4, 2) for two-input gates, (2, 1) for NOT
        One row per input combination (a fresh copy of ``LOGIC_INPUTS`` for two inputs).
    y : np.ndarray of int, shape (4,) or (2,)
        The gate's output (0 or 1) for each row of ``X``.

    Examples
    --------
    >>> X, y = truth_table("AND")
    >>> y
    array([0, 0, 0, 1])
    """
    if not isinstance(gate, str):
        raise TypeError(f"gate must be a string such as 'AND', got {describe(gate)}")
    key = gate.strip().upper()
    if key.endswith("_GATE"):
        key = key[: -len("_GATE")]
    if key == "NOT":
        return _NOT_INPUTS.copy(), np.array([1, 0])
    if key not in _TWO_INPUT_GATES:
        raise ValueError(f"gate must be one of {', '.join(GATES)}, got {gate!r}")
    return LOGIC_INPUTS.copy(), np.array(_TWO_INPUT_GATES[key])


def format_truth_table(X, y, outputs=None, *, output_name: str = "TLU") -> str:
    """A truth table as aligned text, optionally with a column of computed outputs.

    Parameters
    ----------
    X : array-like, shape (n_rows, n_inputs)
        Input combinations, one per row.
    y : array-like, shape (n_rows,)
        Expected outputs.
    outputs : array-like, shape (n_rows,), optional
        Outputs to compare with ``y`` (e.g. a TLU's); rows where they differ are marked.
    output_name : str
        Header of the ``outputs`` column.

    Returns
    -------
    str
        One header line and one line per row.
    """
    X = as_real_array(X, "X", ndim=2)
    y = as_real_array(y, "y", ndim=1)
    if len(y) != len(X):
        raise ValueError(f"y must have one entry per row of X ({len(X)}), got {len(y)}")
    if outputs is not None:
        outputs = as_real_array(outputs, "outputs").reshape(-1)
        if len(outputs) != len(X):
            raise ValueError(
                f"outputs must have one entry per row of X ({len(X)}), got {len(outputs)}"
            )
    header = [f"x{j + 1}" for j in range(X.shape[1])] + ["target"]
    if outputs is not None:
        header.append(output_name)
    lines = ["  ".join(f"{h:>6}" for h in header)]
    for i, row in enumerate(X):
        cells = [f"{v:6g}" for v in row] + [f"{y[i]:6g}"]
        if outputs is not None:
            cells.append(f"{outputs[i]:6g}")
            if outputs[i] != y[i]:
                cells.append("  <- wrong")
        lines.append("  ".join(cells))
    return "\n".join(lines)


def make_blobs_2d(n_per_class: int = 20, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two Gaussian clouds in the plane that a straight line separates.

    Class 0 is centred near (1, 1) and class 1 near (3, 2.5). Points are drawn with
    ``np.random.default_rng(seed)`` and redrawn if they fall within 0.3 of the line halfway
    between the centres (or on its wrong side), so the set is always linearly separable.

    Parameters
    ----------
    n_per_class : int, at least 1
        Number of points in each class.
    seed : int, at least 0
        Seed of the random generator: the same seed gives the same data.

    Returns
    -------
    X : np.ndarray of float64, shape (2 * n_per_class, 2)
        Features x1, x2; the first ``n_per_class`` rows are class 0.
    y : np.ndarray of int64, shape (2 * n_per_class,)
        Labels, 0 or 1.
    """
    n_per_class = check_int(n_per_class, "n_per_class", minimum=1)
    seed = check_int(seed, "seed", minimum=0)
    rng = np.random.default_rng(seed)
    centres = np.array([[1.0, 1.0], [3.0, 2.5]])
    normal = (centres[1] - centres[0]) / np.linalg.norm(centres[1] - centres[0])
    midpoint = centres.mean(axis=0)
    margin, spread = 0.3, 0.6
    parts = []
    for label, centre in enumerate(centres):
        side = 1.0 if label == 1 else -1.0
        kept = np.empty((0, 2))
        while len(kept) < n_per_class:
            draw = centre + spread * rng.standard_normal((2 * n_per_class, 2))
            ok = side * ((draw - midpoint) @ normal) >= margin
            kept = np.vstack([kept, draw[ok]])
        parts.append(kept[:n_per_class])
    X = np.vstack(parts)
    y = np.repeat(np.arange(2, dtype=np.int64), n_per_class)
    return X, y


# --- TensorFlow Playground's classification data sets (notebook 05) --------------------------

#: Names accepted by :func:`playground_dataset`, as TensorFlow Playground calls them.
PLAYGROUND_DATASETS = ("circle", "xor", "gauss", "spiral")


def _check_noise(noise) -> float:
    if isinstance(noise, bool) or not isinstance(noise, (int, float, np.integer, np.floating)):
        raise TypeError(f"noise must be a number between 0 and 0.5, got {describe(noise)}")
    noise = float(noise)
    if not 0.0 <= noise <= 0.5:
        raise ValueError(f"noise must be between 0 and 0.5 (TensorFlow Playground's 0-50 %), "
                         f"got {noise}")
    return noise


def _circle(rng, n_pos, n_neg, noise):
    radius = 5.0
    parts = []
    for n, (low, high) in ((n_pos, (0.0, 0.5 * radius)), (n_neg, (0.7 * radius, radius))):
        r = rng.uniform(low, high, n)
        angle = rng.uniform(0.0, 2 * np.pi, n)
        parts.append(np.column_stack([r * np.sin(angle), r * np.cos(angle)]))
    X = np.vstack(parts)
    # the label is decided on a noisy copy of the point, which is then drawn without the noise
    jitter = rng.uniform(-radius, radius, X.shape) * noise
    y = (np.linalg.norm(X + jitter, axis=1) < 0.5 * radius).astype(np.int64)
    return X, y


def _xor(rng, n_pos, n_neg, noise):
    n = n_pos + n_neg
    X = rng.uniform(-5.0, 5.0, (n, 2))
    X += np.where(X > 0, 0.3, -0.3)  # padding: keeps points off the axes
    jitter = rng.uniform(-5.0, 5.0, X.shape) * noise
    noisy = X + jitter
    y = (noisy[:, 0] * noisy[:, 1] >= 0).astype(np.int64)
    return X, y


def _gauss(rng, n_pos, n_neg, noise):
    variance = 0.5 + 7.0 * noise  # 0.5 at no noise, 4 at 50 %
    scale = np.sqrt(variance)
    X = np.vstack([rng.normal(2.0, scale, (n_pos, 2)), rng.normal(-2.0, scale, (n_neg, 2))])
    y = np.concatenate([np.ones(n_pos, np.int64), np.zeros(n_neg, np.int64)])
    return X, y


def _spiral(rng, n_pos, n_neg, noise):
    parts = []
    for n, delta in ((n_pos, 0.0), (n_neg, np.pi)):
        i = np.arange(n)
        r = i / n * 5.0
        t = 1.75 * i / n * 2 * np.pi + delta  # 1.75 turns
        arm = np.column_stack([r * np.sin(t), r * np.cos(t)])
        parts.append(arm + rng.uniform(-1.0, 1.0, (n, 2)) * noise)
    X = np.vstack(parts)
    y = np.concatenate([np.ones(n_pos, np.int64), np.zeros(n_neg, np.int64)])
    return X, y


_PLAYGROUND_GENERATORS = {"circle": _circle, "xor": _xor, "gauss": _gauss, "spiral": _spiral}


def playground_dataset(name: str, n_samples: int = 500, noise: float = 0.0,
                       seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """One of TensorFlow Playground's four classification data sets, generated here.

    The generators follow the Playground's ``dataset.ts`` (Smilkov & Carter, 2016):

    - ``"circle"``: class 1 uniform in radius [0, 2.5], class 0 in the ring [3.5, 5]; noise
      relabels points by where a jittered copy (uniform ±5 × noise per axis) falls;
    - ``"xor"``: uniform on [-5, 5]², pushed 0.3 away from the axes, label 1 where
      x1 · x2 >= 0 for a jittered copy;
    - ``"gauss"``: two Gaussian clouds centred at (2, 2) (class 1) and (-2, -2) (class 0),
      variance 0.5 growing to 4 at 50 % noise;
    - ``"spiral"``: two arms of 1.75 turns, radius growing to 5, the second arm rotated by π;
      noise adds uniform ±noise to each coordinate.

    The Playground labels its classes +1 and -1; here they are 1 and 0.

    Parameters
    ----------
    name : str
        One of ``PLAYGROUND_DATASETS``: "circle", "xor", "gauss", "spiral".
    n_samples : int, at least 2
        Number of points (the Playground uses 500); half of them per class for circle, gauss
        and spiral (class 1 gets the extra point when it is odd).
    noise : float in [0, 0.5]
        The Playground's noise slider, 0-50 %, as a fraction.
    seed : int, at least 0
        Seed of ``np.random.default_rng``: the same seed gives the same data.

    Returns
    -------
    X : np.ndarray of float64, shape (n_samples, 2)
        Coordinates x1, x2 (within [-6, 6]² up to noise).
    y : np.ndarray of int64, shape (n_samples,)
        Labels 0 and 1.
    """
    if not isinstance(name, str) or name.strip().lower() not in _PLAYGROUND_GENERATORS:
        raise ValueError(f"name must be one of {', '.join(PLAYGROUND_DATASETS)}, got {name!r}")
    n_samples = check_int(n_samples, "n_samples", minimum=2)
    noise = _check_noise(noise)
    seed = check_int(seed, "seed", minimum=0)
    rng = np.random.default_rng(seed)
    n_neg = n_samples // 2
    n_pos = n_samples - n_neg
    return _PLAYGROUND_GENERATORS[name.strip().lower()](rng, n_pos, n_neg, noise)
