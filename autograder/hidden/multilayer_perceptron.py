"""Hidden checks for notebook 04, the multilayer perceptron.

Inputs are fresh (not the public checks'), seeded by question name, and cover awkward shapes:
Python scalars, 0-d arrays, 1- to 3-D arrays, integer dtypes, exact zeros (ReLU's kink), a
single instance, a single neuron or class, square matrices (so that a transposed W or a softmax
over the wrong axis cannot fit by accident), and extreme values (+-1000) where a naive formula
overflows: any warning fails the case, as it would reach stderr in the notebook.

Derivatives are compared with the reference and with centred differences of the reference
activation (float64, h = 1e-5, relative error <= 1e-7, away from ReLU's kink). Networks of
1 to 4 layers are compared output and cache separately, so a wrong cache costs part of the
points only. ``XOR_PARAMS`` is checked by its structure and by the reference network's
predictions on the four inputs.

Each answer is graded on its own: while it runs, the notebook-04 functions it depends on
(``DEPENDENCIES``: ``tanh`` for ``tanh_derivative``; the activations, ``dense`` and
``ACTIVATIONS`` for ``mlp_forward``...) are the reference versions, as notebook 03's checks pass
the reference step. A wrong ``tanh`` costs points on ``tanh`` only.
"""

from __future__ import annotations

import contextlib

import numpy as np

from autograder.hidden.scoring import Question, rng_for
from autograder.reference import multilayer_perceptron as ref
from course.harness import compare, shape_of
from course.validation import describe

# Bound at import time (the grading kernel imports this module before any student cell), so
# that rebinding numpy functions in a submission cannot change how answers are checked.
_norm = np.linalg.norm
_isfinite = np.isfinite
_ndarray = np.ndarray
_asarray = np.asarray

GRADIENT_H = 1e-5  # centred-difference step
GRADIENT_TOLERANCE = 1e-7  # relative error allowed against the numerical derivative
ACTIVATION_NAMES = ("linear", "sigmoid", "tanh", "relu", "softmax")
XOR_INPUTS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_LABELS = np.array([0, 1, 1, 0])


# The notebook functions each answer may call, by answer: while it is graded these are the
# reference versions. Only real dependencies: substituting, say, ACTIVATIONS while grading
# softmax would let softmax = lambda Z: ACTIVATIONS["softmax"](Z) through.
DEPENDENCIES = {
    "tanh_derivative": ("tanh",),
    "relu_derivative": ("relu",),
    "mlp_forward": ("linear", "sigmoid", "tanh", "relu", "softmax", "dense", "ACTIVATIONS"),
    "collapse_linear": ("linear", "dense"),
}


def _reference(name: str):
    if name == "ACTIVATIONS":
        return dict(ref.ACTIVATIONS)  # a copy: the reference's own cannot be changed
    return getattr(ref, name)


@contextlib.contextmanager
def _graded_alone(func, name: str):
    """While grading ``func`` (the answer called ``name``), the notebook functions it depends
    on (``DEPENDENCIES``) that exist in its globals are the reference ones; they are put back
    afterwards."""
    replaced = getattr(func, "globals_replaced", None)
    if replaced is not None and not isinstance(func, type):  # the answer lives in a sandbox
        with replaced({key: _reference(key) for key in DEPENDENCIES.get(name, ())}):
            yield
        return
    namespace = getattr(func, "__globals__", None)
    if not isinstance(namespace, dict):
        yield
        return
    stand_ins = {key: _reference(key) for key in DEPENDENCIES.get(name, ()) if key in namespace}
    saved = {key: namespace[key] for key in stand_ins}
    namespace.update(stand_ins)
    try:
        yield
    finally:
        namespace.update(saved)


def _warned(result, call: str) -> str | None:
    """A failure message when a call raised a warning (a student's stderr in the notebook)."""
    if result.warnings:
        return f"{call} raised a warning ({result.warnings[0]}); it must not"
    return None


def _skip(question: Question, label: str) -> bool:
    if question.stopped is not None:
        question.record(label, f"skipped: {question.stopped}")
        return True
    return False


def _value_case(question: Question, label: str, func, name: str, z, expected, *,
                exact: bool = False, hint: str = "", arg: str = "z",
                kinds: str = "iuf") -> object:
    """One call ``func(z)``: no warning, compared with ``expected``; returns the value or None.

    ``kinds``: the dtype kinds accepted ("f" where the contract says the result holds floats).
    """
    if _skip(question, label):
        return None
    call = f"{name}({arg}: {shape_of(z)})"
    result, failure = question.call(func, (z,), names=[arg], call=call)
    failure = failure or _warned(result, call) or compare(
        result.value, expected, what=call, context=(arg, z), kinds=kinds)
    if failure is None and exact and not np.array_equal(
            _asarray(result.value, dtype=float), expected):
        failure = (f"{call} returned {_asarray(result.value, dtype=float).tolist()!r}; "
                   f"expected exactly {_asarray(expected).tolist()!r}")
    if failure is not None and hint and "Warning" in failure:
        failure += hint
    question.record(label, failure)
    return result.value if failure is None else None


# ---- activations ---------------------------------------------------------------------------

def activation_inputs(name: str) -> list:
    """(label, z) inputs of every shape and dtype an activation must take, exact 0 included."""
    rng = rng_for(name)
    return [
        ("Python float", float(rng.normal(scale=2))),
        ("Python int 0", 0),
        ("Python int < 0", -int(rng.integers(1, 6))),
        ("0-d array", np.array(rng.normal(scale=2))),
        ("1-element array [0.0]", np.array([0.0])),
        ("1-D array", rng.normal(scale=3, size=13)),
        ("2-D array", rng.normal(scale=3, size=(4, 5))),
        ("3-D integer array", rng.integers(-4, 5, size=(2, 3, 2))),
        ("tiny values around 0", rng.normal(scale=1e-9, size=6)),
        ("moderately large values", np.array([-25.0, -12.0, -6.0, 6.0, 12.0, 25.0])),
        ("2-D single column", rng.normal(scale=2, size=(5, 1))),
    ]


EXTREME_INPUTS = [
    ("z = 1000.0", 1000.0),
    ("z = -1000.0", -1000.0),
    ("array of extremes", np.array([-1000.0, -745.0, -710.0, -400.0, 0.0, 400.0, 710.0,
                                    1000.0])),
    ("2-D array of extremes", np.array([[-1e4, 1e4], [-800.0, 800.0]])),
]


def _grade_elementwise(func, name: str, points: float, reference, *, extremes: bool,
                       exact_extremes: bool = False, hint: str = "") -> float:
    question = Question(name, points)
    if question.require_callable(func):
        with _graded_alone(func, name):
            for label, z in activation_inputs(name):
                _value_case(question, f"z = {label}", func, name, z, reference(z))
            if extremes:
                for label, z in EXTREME_INPUTS:
                    _value_case(question, f"stable at {label}, no warning", func, name, z,
                                reference(z), exact=exact_extremes and np.ndim(z) == 0,
                                hint=hint)
    return question.score()


_OVERFLOW_HINT = (": exp overflows above about 709; use exponentials of -|z| only "
                  "(for example tanh(z) = 2 sigmoid(2z) - 1)")


def grade_tanh(tanh, points: float = 2) -> float:
    """tanh(z) elementwise, same shape, floats; exactly +-1 at z = +-1000 with no warning."""
    return _grade_elementwise(tanh, "tanh", points, ref.tanh, extremes=True,
                              exact_extremes=True, hint=_OVERFLOW_HINT)


def grade_relu(relu, points: float = 1) -> float:
    """relu(z) = max(0, z) elementwise, same shape; the input is left alone."""
    return _grade_elementwise(relu, "relu", points, ref.relu, extremes=True)


# ---- derivatives ---------------------------------------------------------------------------

def numerical_derivative(f, z, h: float = GRADIENT_H) -> np.ndarray:
    """Centred differences (f(z + h) - f(z - h)) / 2h, elementwise, in float64."""
    z = _asarray(z, dtype=np.float64)
    return (f(z + h) - f(z - h)) / (2 * h)


def relative_error(a, b) -> float:
    """|a - b| / max(|a|, |b|) with Euclidean norms, the denominator floored at 1e-8."""
    a = _asarray(a, dtype=np.float64).ravel()
    b = _asarray(b, dtype=np.float64).ravel()
    return float(_norm(a - b) / max(_norm(a), _norm(b), 1e-8))


def derivative_points(name: str) -> list:
    """(label, z) points for the numerical check, away from ReLU's kink at 0."""
    rng = rng_for(f"{name} numerical")
    z1 = rng.uniform(-4, 4, size=15)
    z2 = rng.uniform(-3, 3, size=(3, 4))
    z1 = np.where(np.abs(z1) < 0.05, 0.5, z1)
    z2 = np.where(np.abs(z2) < 0.05, -0.5, z2)
    return [("15 points in [-4, 4]", z1), ("a (3, 4) array in [-3, 3]", z2)]


def _grade_derivative(func, name: str, points: float, reference, activation) -> float:
    question = Question(name, points)
    if not question.require_callable(func):
        return question.score()
    with _graded_alone(func, name):
        # the contract says "returns floats": an integer 0/1 array (or bools) loses these cases
        for label, z in activation_inputs(name):
            _value_case(question, f"z = {label}, floats returned", func, name, z,
                        reference(z), kinds="f")
        for label, z in EXTREME_INPUTS:
            _value_case(question, f"at {label}: 0, no warning", func, name, z, reference(z),
                        hint=": compute it from the activation's value, which never overflows")
        for label, z in derivative_points(name):
            label = f"matches centred differences of the activation ({label})"
            if _skip(question, label):
                continue
            call = f"{name}(z: {shape_of(z)})"
            result, failure = question.call(func, (z,), names=["z"], call=call)
            failure = failure or _warned(result, call)
            if failure is None:
                got = result.value
                if type(got) is not _ndarray or got.shape != z.shape:
                    failure = (f"{call} should return an np.ndarray of shape {z.shape}, "
                               f"got {describe(got)}")
                else:
                    try:
                        error = relative_error(got, numerical_derivative(activation, z))
                    except (TypeError, ValueError) as exc:
                        error, failure = None, f"{call} returned values that are not numbers: {exc}"
                    if error is not None and not error <= GRADIENT_TOLERANCE:
                        failure = (f"relative error {error:.2e} between {call} and the centred "
                                   f"difference (f(z + h) - f(z - h)) / 2h of the activation "
                                   f"(h = {GRADIENT_H:g}); it should be at most "
                                   f"{GRADIENT_TOLERANCE:g}")
            question.record(label, failure)
    return question.score()


def grade_sigmoid_derivative(sigmoid_derivative, points: float = 1) -> float:
    """sigma'(z) = sigma(z) (1 - sigma(z)) as a function of z; 0 at +-1000 with no warning."""
    return _grade_derivative(sigmoid_derivative, "sigmoid_derivative", points,
                             ref.sigmoid_derivative, ref.sigmoid)


def grade_tanh_derivative(tanh_derivative, points: float = 1) -> float:
    """tanh'(z) = 1 - tanh(z)**2; 0 at +-1000 with no warning."""
    return _grade_derivative(tanh_derivative, "tanh_derivative", points, ref.tanh_derivative,
                             ref.tanh)


def grade_relu_derivative(relu_derivative, points: float = 1) -> float:
    """ReLU'(z) = 1.0 where z > 0, else 0.0 (ReLU'(0) = 0); numbers, not booleans."""
    return _grade_derivative(relu_derivative, "relu_derivative", points, ref.relu_derivative,
                             ref.relu)


# ---- softmax -------------------------------------------------------------------------------

def softmax_cases() -> list:
    """(label, Z) cases: several (n, k), one instance, one class, square, integer."""
    rng = rng_for("softmax")
    cases = []
    for n, k in [(5, 3), (1, 4), (6, 1), (4, 4), (3, 10), (8, 2)]:
        cases.append((f"Z of shape ({n}, {k})", rng.normal(scale=3, size=(n, k))))
    cases.append(("integer Z of shape (4, 3)", rng.integers(-5, 6, size=(4, 3))))
    cases.append(("equal scores in a row give equal probabilities",
                  np.array([[2.0, 2.0, 2.0, 2.0], [0.0, 1.0, 2.0, 3.0]])))
    return cases


SOFTMAX_EXTREMES = [
    ("Z = [[1000, 1000, -1000]]", np.array([[1000.0, 1000.0, -1000.0]])),
    ("rows far apart: [[1000, 999, 998], [-1000, -1001, -1002]]",
     np.array([[1000.0, 999.0, 998.0], [-1000.0, -1001.0, -1002.0]])),
    ("Z = [[-1000, -1000], [0, -1000]]", np.array([[-1000.0, -1000.0], [0.0, -1000.0]])),
    ("Z = [[1e4, 0, -1e4], [0, 0, 0]]", np.array([[1e4, 0.0, -1e4], [0.0, 0.0, 0.0]])),
]


def grade_softmax(softmax, points: float = 2) -> float:
    """Row-wise softmax of Z (n, k), over axis 1; stable: no warning at +-1000."""
    question = Question("softmax", points)
    if question.require_callable(softmax):
        hint = (": subtract each row's maximum before exp (softmax does not change when a "
                "constant is subtracted from a row)")
        with _graded_alone(softmax, "softmax"):
            for label, Z in softmax_cases():
                _value_case(question, label, softmax, "softmax", Z, ref.softmax(Z), arg="Z")
            for label, Z in SOFTMAX_EXTREMES:
                _value_case(question, f"stable at {label}, no warning", softmax, "softmax", Z,
                            ref.softmax(Z), hint=hint, arg="Z")
    return question.score()


# ---- dense ---------------------------------------------------------------------------------

def _identity(z):
    return z


def _square(z):
    return z ** 2


def dense_cases() -> list:
    """(label, X, W, b, activation) cases; shapes never let a transposed W fit by accident
    except in the square case, whose values differ."""
    rng = rng_for("dense")
    cases = []
    for n, n_in, n_out, activation in [(6, 3, 4, ref.relu), (1, 5, 2, ref.tanh),
                                       (7, 2, 1, ref.sigmoid), (4, 1, 3, _identity),
                                       (5, 4, 4, ref.softmax), (9, 3, 6, _square)]:
        cases.append((f"X ({n}, {n_in}), W ({n_in}, {n_out}), activation={activation.__name__}",
                      rng.normal(size=(n, n_in)), rng.normal(size=(n_in, n_out)),
                      rng.normal(size=n_out), activation))
    cases.append(("integer X (5, 2), W (2, 3), activation=identity",
                  rng.integers(-3, 4, size=(5, 2)), rng.normal(size=(2, 3)),
                  rng.normal(size=3), _identity))
    cases.append(("without bias: b = 0, activation=tanh", rng.normal(size=(6, 3)),
                  rng.normal(size=(3, 2)), np.zeros(2), ref.tanh))
    cases.append(("bias alone: X = 0 gives activation(b) in every row, activation=sigmoid",
                  np.zeros((3, 4)), rng.normal(size=(4, 5)), rng.normal(scale=2, size=5),
                  ref.sigmoid))
    return cases


def grade_dense(dense, points: float = 2) -> float:
    """dense(X, W, b, activation) = activation(X @ W + b), shape (n, n_out)."""
    question = Question("dense", points)
    if question.require_callable(dense):
        with _graded_alone(dense, "dense"):
            for label, X, W, b, activation in dense_cases():
                question.call_case(label, dense, (X, W, b, activation),
                                   names=["X", "W", "b", "activation"],
                                   expected=ref.dense(X, W, b, activation),
                                   call=f"dense(X {X.shape}, W {W.shape}, b {b.shape}, "
                                        f"activation={activation.__name__})")
    return question.score()


# ---- mlp_forward ---------------------------------------------------------------------------

def random_params(rng, sizes, activations) -> list:
    """A params list with layers of ``sizes`` (n_inputs, ..., n_outputs), float64 weights."""
    return [{"W": rng.normal(size=(n_in, n_out)), "b": rng.normal(size=n_out),
             "activation": act}
            for n_in, n_out, act in zip(sizes[:-1], sizes[1:], activations, strict=True)]


def forward_cases() -> list:
    """(label, X, params) cases: 1 to 4 layers, every activation, a batch of 1, integer X."""
    rng = rng_for("mlp_forward")
    specs = [
        ("1 layer (3 -> 2), softmax", 5, (3, 2), ("softmax",)),
        ("1 layer (4 -> 1), linear", 8, (4, 1), ("linear",)),
        ("2 layers (4 -> 5 -> 3), relu, softmax", 6, (4, 5, 3), ("relu", "softmax")),
        ("2 layers (6 -> 1 -> 3), tanh, linear", 4, (6, 1, 3), ("tanh", "linear")),
        ("3 layers (2 -> 6 -> 4 -> 1), tanh, relu, sigmoid", 7, (2, 6, 4, 1),
         ("tanh", "relu", "sigmoid")),
        ("4 layers (5 -> 3 -> 7 -> 4 -> 2), sigmoid, tanh, relu, softmax", 4, (5, 3, 7, 4, 2),
         ("sigmoid", "tanh", "relu", "softmax")),
        ("a batch of 1: 2 layers (3 -> 4 -> 2), relu, softmax", 1, (3, 4, 2),
         ("relu", "softmax")),
        ("4 layers of width 3, relu, linear, tanh, sigmoid", 5, (3, 3, 3, 3, 3),
         ("relu", "linear", "tanh", "sigmoid")),
    ]
    cases = []
    for label, n, sizes, activations in specs:
        cases.append((label, rng.normal(size=(n, sizes[0])),
                      random_params(rng, sizes, activations)))
    cases.append(("integer X (6, 3), 2 layers (3 -> 3 -> 2), relu, sigmoid",
                  rng.integers(-3, 4, size=(6, 3)),
                  random_params(rng, (3, 3, 2), ("relu", "sigmoid"))))
    return cases


def _cache_problem(cache, expected, call: str) -> str | None:
    if not isinstance(cache, (list, tuple)):
        return f"the cache returned by {call} should be a list, got {describe(cache)}"
    if len(cache) != len(expected):
        return (f"the cache returned by {call} should hold one dict per layer "
                f"({len(expected)}), got {len(cache)} entries")
    for i, (entry, want) in enumerate(zip(cache, expected)):
        if not isinstance(entry, dict) or not {"A_prev", "Z"} <= set(entry):
            return (f"cache[{i}] returned by {call} should be a dict with keys 'A_prev' and "
                    f"'Z', got {describe(entry) if not isinstance(entry, dict) else sorted(entry)}")
        for key, hint in (("A_prev", "the layer's input"), ("Z", "X @ W + b, before the "
                                                                 "activation")):
            problem = compare(entry[key], want[key], what=f"cache[{i}][{key!r}] ({hint})")
            if problem is not None:
                return problem
    return None


def grade_mlp_forward(mlp_forward, points: float = 3) -> float:
    """(output, cache) of networks of 1 to 4 layers: the output and the cache are compared
    separately with the reference."""
    question = Question("mlp_forward", points)
    if not question.require_callable(mlp_forward):
        return question.score()
    with _graded_alone(mlp_forward, "mlp_forward"):
        for label, X, params in forward_cases():
            call = f"mlp_forward(X {X.shape}, params of {len(params)} layer(s))"
            if question.stopped is not None:
                for part in ("output", "cache"):
                    question.record(f"{label}: {part}", f"skipped: {question.stopped}")
                continue
            result, failure = question.call(mlp_forward, (X, params), names=["X", "params"],
                                            call=call)
            expected_output, expected_cache = ref.mlp_forward(X, params)
            if failure is None:
                value = result.value
                if not isinstance(value, tuple) or len(value) != 2:
                    failure = f"{call} should return a tuple (output, cache), got {describe(value)}"
            if failure is not None:
                question.record(f"{label}: output", failure)
                question.record(f"{label}: cache", failure)
                continue
            output, cache = result.value
            question.record(f"{label}: output",
                            compare(output, expected_output, what=f"the output of {call}"))
            question.record(f"{label}: cache", _cache_problem(cache, expected_cache, call))
    return question.score()


# ---- collapse_linear -----------------------------------------------------------------------

def collapse_cases() -> list:
    """(label, W1, b1, W2, b2) cases: several shapes, a square and a bottleneck, integers."""
    rng = rng_for("collapse_linear")
    cases = []
    for n_in, n_hidden, n_out in [(3, 4, 2), (1, 5, 1), (4, 4, 4), (2, 1, 3), (6, 3, 5)]:
        cases.append((f"W1 ({n_in}, {n_hidden}), W2 ({n_hidden}, {n_out})",
                      rng.normal(size=(n_in, n_hidden)), rng.normal(size=n_hidden),
                      rng.normal(size=(n_hidden, n_out)), rng.normal(size=n_out)))
    cases.append(("integer weights, W1 (2, 3), W2 (3, 2)", rng.integers(-3, 4, size=(2, 3)),
                  rng.integers(-3, 4, size=3), rng.integers(-3, 4, size=(3, 2)),
                  rng.integers(-3, 4, size=2)))
    return cases


def grade_collapse_linear(collapse_linear, points: float = 2) -> float:
    """(W, b) = (W1 @ W2, b1 @ W2 + b2): against the reference, and on data, where
    X @ W + b must equal (X @ W1 + b1) @ W2 + b2."""
    question = Question("collapse_linear", points)
    if not question.require_callable(collapse_linear):
        return question.score()
    rng = rng_for("collapse_linear data")
    with _graded_alone(collapse_linear, "collapse_linear"):
        for label, W1, b1, W2, b2 in collapse_cases():
            labels = (f"{label}: equals the reference", f"{label}: same outputs on data")
            if question.stopped is not None:
                for case in labels:
                    question.record(case, f"skipped: {question.stopped}")
                continue
            call = f"collapse_linear(W1 {W1.shape}, b1, W2 {W2.shape}, b2)"
            result, failure = question.call(collapse_linear, (W1, b1, W2, b2),
                                            names=["W1", "b1", "W2", "b2"], call=call)
            if failure is None and (not isinstance(result.value, (tuple, list))
                                    or len(result.value) != 2):
                failure = f"{call} should return a pair (W, b), got {describe(result.value)}"
            if failure is not None:
                question.record(labels[0], failure)
                question.record(labels[1], failure)
                continue
            W, b = result.value
            W_ref, b_ref = ref.collapse_linear(W1, b1, W2, b2)
            question.record(labels[0], compare(W, W_ref, what=f"W returned by {call}")
                            or compare(b, b_ref, what=f"b returned by {call}"))
            X = rng.normal(size=(7, W1.shape[0]))
            two_layers = (X @ W1 + b1) @ W2 + b2
            try:
                with np.errstate(all="ignore"):
                    one_layer = X @ _asarray(W, dtype=float) + _asarray(b, dtype=float)
            except (TypeError, ValueError) as exc:
                failure = f"X @ W + b with the (W, b) returned by {call} fails: {exc}"
            else:
                failure = compare(one_layer, two_layers,
                                  what=f"X @ W + b on 7 instances, with the W and b returned "
                                       f"by {call}, against (X @ W1 + b1) @ W2 + b2,")
            question.record(labels[1], failure)
    return question.score()


# ---- XOR_PARAMS ----------------------------------------------------------------------------

def _xor_structure(params) -> tuple[list, str | None]:
    """[(label, failure)] for the structure of a 2-2-1 network, and a reason that stops
    the predictions from being checked (None when they can be)."""
    label = "a list of 2 layers, each a dict with 'W', 'b' and 'activation'"
    if not isinstance(params, (list, tuple)) or len(params) != 2:
        problem = f"XOR_PARAMS should be a list of 2 layers (dicts), got {describe(params)}"
        return [(label, problem)], problem
    for i, layer in enumerate(params):
        if not isinstance(layer, dict) or not {"W", "b", "activation"} <= set(layer):
            problem = (f"XOR_PARAMS[{i}] should be a dict with keys 'W', 'b' and "
                       f"'activation', got {describe(layer)}")
            return [(label, problem)], problem
    records = [(label, None)]
    shape_problem = None
    for i, (layer, w_shape, b_shape) in enumerate(zip(params, ((2, 2), (2, 1)),
                                                      ((2,), (1,)))):
        for key, shape in (("W", w_shape), ("b", b_shape)):
            try:
                array = _asarray(layer[key], dtype=float)
            except (TypeError, ValueError):
                shape_problem = (f"XOR_PARAMS[{i}][{key!r}] should be an array of numbers, "
                                 f"got {describe(layer[key])}")
                break
            if array.shape != shape:
                shape_problem = (f"XOR_PARAMS[{i}][{key!r}] should have shape {shape} "
                                 f"(a 2-2-1 network), got shape {array.shape}")
                break
            if not _isfinite(array).all():
                shape_problem = f"XOR_PARAMS[{i}][{key!r}] should hold finite numbers"
                break
        if shape_problem is not None:
            break
    records.append(("shapes of a 2-2-1 network: W (2, 2), b (2,), then W (2, 1), b (1,)",
                    shape_problem))
    names_problem = None
    for i, layer in enumerate(params):
        name = layer["activation"]
        if not isinstance(name, str) or name not in ACTIVATION_NAMES:
            names_problem = (f"XOR_PARAMS[{i}]['activation'] should be one of "
                             f"{', '.join(ACTIVATION_NAMES)}, got {name!r}")
        elif name == "softmax" and i == 0:
            names_problem = "softmax belongs on the output layer only"
        if names_problem is not None:
            break
    records.append(("activation names are valid", names_problem))
    return records, shape_problem or names_problem


def grade_xor_params(XOR_PARAMS, points: float = 2) -> float:  # noqa: N803
    """XOR_PARAMS is a 2-2-1 network in the params structure whose output, computed by the
    reference forward pass, is >= 0.5 exactly on the inputs (0, 1) and (1, 0)."""
    question = Question("xor_params", points)
    records, stop = _xor_structure(XOR_PARAMS)
    for label, failure in records:
        question.record(label, failure)
    outputs = None
    if stop is None:
        try:
            params = [{"W": _asarray(layer["W"], dtype=float),
                       "b": _asarray(layer["b"], dtype=float),
                       "activation": layer["activation"]} for layer in XOR_PARAMS]
            with np.errstate(all="ignore"):
                outputs = ref.mlp_forward(XOR_INPUTS, params)[0][:, 0]
        except Exception as exc:  # anything the structure checks did not foresee
            stop = f"the network cannot be evaluated: {type(exc).__name__}: {exc}"
    for k, ((x1, x2), label) in enumerate(zip(XOR_INPUTS, XOR_LABELS, strict=True)):
        case = f"XOR({x1:g}, {x2:g}) = {label}"
        if outputs is None:
            question.record(case, f"not checked: {stop}")
            continue
        output = float(outputs[k])
        predicted = int(output >= 0.5)
        failure = None
        if not np.isfinite(output):
            failure = f"the network's output for ({x1:g}, {x2:g}) is {output}, not a number"
        elif predicted != label:
            failure = (f"the network's output for ({x1:g}, {x2:g}) is {output:.4g}, which "
                       f"predicts {predicted} (output >= 0.5 means 1); XOR is {label}")
        question.record(case, failure)
    return question.score()
