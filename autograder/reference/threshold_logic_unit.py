"""Reference answers for notebook 01 (threshold logic unit)."""

import numpy as np


def heaviside(t):
    """1.0 where t >= 0, else 0.0; same shape as t (0-d for a scalar)."""
    return np.where(np.asarray(t) >= 0, 1.0, 0.0)


def sign(t):
    """1.0 where t > 0, 0.0 where t == 0, -1.0 where t < 0; same shape as t."""
    t = np.asarray(t)
    return np.where(t > 0, 1.0, np.where(t < 0, -1.0, 0.0))


def tlu(X, w, b, step=heaviside):
    """step(X @ w + b): X (n, d) -> (n,), or X (d,) -> 0-d."""
    return step(np.asarray(X, dtype=float) @ np.asarray(w, dtype=float) + b)
