"""Mutants and correct alternatives for notebook 01 (threshold logic unit)."""

from autograder.mutants import Variant

A = "01_threshold_logic_unit"


def _heaviside(body: str) -> str:
    return f"def heaviside(t):\n{body}\n"


def _sign(body: str) -> str:
    return f"def sign(t):\n{body}\n"


def _tlu(body: str) -> str:
    return f"def tlu(X, w, b, step=heaviside):\n{body}\n"


def _gates(and_gate: str, or_gate: str, not_gate: str) -> str:
    return f"AND_GATE = {and_gate}\nOR_GATE = {or_gate}\nNOT_GATE = {not_gate}\n"


VARIANTS = [
    # ---- heaviside -------------------------------------------------------------------------
    Variant(A, "heaviside", "strict-inequality",
            _heaviside("    return np.where(np.asarray(t) > 0, 1.0, 0.0)"), False,
            "heaviside(0) = 0: the step must include zero"),
    Variant(A, "heaviside", "np-heaviside-h0-zero",
            _heaviside("    return np.heaviside(t, 0)"), False,
            "np.heaviside's second argument is the value at 0; it must be 1"),
    Variant(A, "heaviside", "scalar-only",
            _heaviside("    return 1.0 if t >= 0 else 0.0"), False,
            "works on one number, fails on arrays"),
    Variant(A, "heaviside", "returns-sign",
            _heaviside("    return np.sign(t)"), False,
            "sign, not heaviside: -1 for negative inputs"),
    Variant(A, "heaviside", "booleans",
            _heaviside("    return np.asarray(t) >= 0"), False,
            "returns True/False instead of the numbers 1 and 0"),
    Variant(A, "heaviside", "modifies-input",
            _heaviside("    t = np.asarray(t, dtype=float)\n    t[t >= 0] = 1.0\n"
                       "    t[t < 0] = 0.0\n    return t"), False,
            "overwrites the caller's array in place"),
    Variant(A, "heaviside", "np-heaviside-h0-one",
            _heaviside("    return np.heaviside(t, 1.0)"), True,
            "np.heaviside with the value 1 at zero"),
    Variant(A, "heaviside", "astype",
            _heaviside("    return (np.asarray(t) >= 0).astype(float)"), True,
            "boolean mask converted to floats"),
    Variant(A, "heaviside", "integer-where",
            _heaviside("    return np.where(np.asarray(t) >= 0, 1, 0)"), True,
            "integer 0/1 values are numbers too"),
    # ---- sign ------------------------------------------------------------------------------
    Variant(A, "sign", "no-zero-case",
            _sign("    return np.where(np.asarray(t) > 0, 1.0, -1.0)"), False,
            "sign(0) must be 0"),
    Variant(A, "sign", "zero-positive",
            _sign("    return np.where(np.asarray(t) >= 0, 1.0, -1.0)"), False,
            "sign(0) must be 0, not 1"),
    Variant(A, "sign", "slide-typo",
            _sign("    t = np.asarray(t)\n"
                  "    return np.where(t > 0, 1.0, np.where(t == 0, -1.0, -1.0))"), False,
            "the slide's typo: -1 at zero"),
    Variant(A, "sign", "scalar-only",
            _sign("    if t > 0:\n        return 1.0\n    if t < 0:\n        return -1.0\n"
                  "    return 0.0"), False,
            "works on one number, fails on arrays"),
    Variant(A, "sign", "divide-by-abs",
            _sign("    t = np.asarray(t, dtype=float)\n    return t / np.abs(t)"), False,
            "0 / 0 is NaN"),
    Variant(A, "sign", "clip",
            _sign("    return np.clip(t, -1, 1)"), False,
            "clipping keeps values between -1 and 1"),
    Variant(A, "sign", "np-sign",
            _sign("    return np.sign(t)"), True,
            "numpy's own sign"),
    Variant(A, "sign", "two-heavisides",
            _sign("    return np.heaviside(t, 0.5) * 2 - 1"), True,
            "2·H(t) − 1 with H(0) = 1/2"),
    Variant(A, "sign", "difference-of-masks",
            _sign("    t = np.asarray(t)\n    return (t > 0).astype(float) - (t < 0)"), True,
            "[t > 0] − [t < 0]"),
    # ---- tlu -------------------------------------------------------------------------------
    Variant(A, "tlu", "no-bias", _tlu("    return step(X @ w)"), False, "ignores the bias"),
    Variant(A, "tlu", "minus-bias", _tlu("    return step(X @ w - b)"), False,
            "subtracts the bias"),
    Variant(A, "tlu", "ignores-step", _tlu("    return heaviside(X @ w + b)"), False,
            "always uses heaviside, whatever step is given"),
    Variant(A, "tlu", "bias-after-step", _tlu("    return step(X @ w) + b"), False,
            "adds the bias after the step"),
    Variant(A, "tlu", "sums-everything", _tlu("    return step(np.sum(X * w) + b)"), False,
            "sums over all instances: one number for the whole batch"),
    Variant(A, "tlu", "hard-coded-threshold",
            _tlu("    return np.where(X @ w + b >= 0, 1.0, 0.0)"), False,
            "a heaviside written inline instead of calling step"),
    Variant(A, "tlu", "einsum",
            _tlu("    return step(np.einsum('...j,j->...', X, w) + b)"), True,
            "einsum over the feature axis"),
    Variant(A, "tlu", "np-dot", _tlu("    return step(np.dot(X, w) + b)"), True, "np.dot"),
    Variant(A, "tlu", "broadcast-sum",
            _tlu("    return step((np.asarray(X) * w).sum(axis=-1) + b)"), True,
            "elementwise product summed over the last axis"),
    # ---- logic gates -----------------------------------------------------------------------
    Variant(A, "logic_gates", "and-fires-on-10",
            _gates("(np.array([1.0, 1.0]), -0.5)", "(np.array([1.0, 1.0]), -0.5)",
                   "(np.array([-1.0]), 0.5)"), False,
            "AND fires on (1, 0): its threshold is too low"),
    Variant(A, "logic_gates", "and-threshold-on-boundary",
            _gates("(np.array([1.0, 1.0]), -1.0)", "(np.array([1.0, 1.0]), -0.5)",
                   "(np.array([-1.0]), 0.5)"), False,
            "AND with b = -1: heaviside(0) = 1 makes (1, 0) fire"),
    Variant(A, "logic_gates", "or-fires-on-00",
            _gates("(np.array([1.0, 1.0]), -1.5)", "(np.array([1.0, 1.0]), 0.0)",
                   "(np.array([-1.0]), 0.5)"), False,
            "OR with b = 0 fires on (0, 0)"),
    Variant(A, "logic_gates", "not-is-identity",
            _gates("(np.array([1.0, 1.0]), -1.5)", "(np.array([1.0, 1.0]), -0.5)",
                   "(np.array([1.0]), -0.5)"), False,
            "NOT with a positive weight copies its input"),
    Variant(A, "logic_gates", "not-two-weights",
            _gates("(np.array([1.0, 1.0]), -1.5)", "(np.array([1.0, 1.0]), -0.5)",
                   "(np.array([-1.0, 0.0]), 0.5)"), False,
            "NOT takes one input, not two"),
    Variant(A, "logic_gates", "and-or-swapped",
            _gates("(np.array([1.0, 1.0]), -0.5)", "(np.array([1.0, 1.0]), -1.5)",
                   "(np.array([-1.0]), 0.5)"), False,
            "AND and OR swapped"),
    Variant(A, "logic_gates", "scaled-weights",
            _gates("(np.array([2.0, 2.0]), -3.0)", "(np.array([5.0, 5.0]), -2.5)",
                   "(np.array([-3.0]), 1.0)"), True,
            "any positive scaling of (w, b) gives the same TLU"),
    Variant(A, "logic_gates", "on-the-boundary",
            _gates("(np.array([1.0, 1.0]), -2.0)", "(np.array([1.0, 1.0]), -1.0)",
                   "(np.array([-1.0]), 0.0)"), True,
            "weighted sums of exactly 0 fire, because heaviside(0) = 1"),
    Variant(A, "logic_gates", "plain-lists",
            _gates("([1, 1], -1.5)", "([1, 1], -0.5)", "([-1], 0.5)"), True,
            "lists and ints instead of arrays and floats"),
]
