"""Hidden checks for notebook 05, backpropagation.

Inputs are fresh (not the public checks'), seeded by question name, and cover awkward shapes:
vectors, matrices, a column, a 3-D array and single entries for ``numerical_gradient``;
scalars, 0-d arrays, zeros, tiny and mixed magnitudes for ``relative_error``; 1 to 4 layers,
every hidden activation, softmax and sigmoid outputs, a batch of one and exact zeros in the
pre-activations for ``mlp_backward``; sizes with and without a partial last batch for
``minibatches``. ``train_mlp`` is checked by behaviour (the loss falls, a seeded accuracy
threshold on easy data, the params structure with k = y.max() + 1 outputs even when a class
has no example, reproducibility with the caller's generator).

Only numpy is imported at module level: grading kernels import this module before any cell.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator, Mapping

import numpy as np

from autograder.hidden.scoring import Question, rng_for
from autograder.reference import backpropagation as ref
from course.harness import call_safely, compare
from course.validation import describe

GRADIENT_RTOL, GRADIENT_ATOL = 1e-7, 1e-9  # numerical_gradient against the reference
ANALYTIC_RTOL, ANALYTIC_ATOL = 1e-6, 1e-7  # ... and against the exact derivative
BACKWARD_RTOL, BACKWARD_ATOL = 1e-7, 1e-12  # mlp_backward against the reference
CENTRED_TOLERANCE = 1e-6  # mlp_backward against centred differences (relative error)
TRAIN_TIME_LIMIT = 8.0  # seconds per call of train_mlp (small data sets)
TRAIN_ACCURACY = 0.95  # training accuracy expected on well-separated clouds
TRAIN_LOSS = 0.3  # cross-entropy expected after training on them


def _skip_if_stopped(question: Question, label: str) -> bool:
    if question.stopped is not None:
        question.record(label, f"skipped: {question.stopped}")
        return True
    return False


# --- numerical_gradient -----------------------------------------------------------------------

def gradient_cases() -> list:
    """(label, f, x, h or "default" (not passed), analytic gradient or None) cases."""
    rng = rng_for("numerical_gradient")
    cases = []

    a, c = rng.uniform(0.5, 2.0, 5), rng.normal(size=5)
    cases.append(("quadratic sum(a x²) + c·x, x of shape (5,)",
                  lambda x: np.sum(a * x ** 2) + c @ x, rng.normal(size=5), 1e-5,
                  lambda x: 2 * a * x + c))
    M = rng.normal(size=(4, 4))  # not symmetric: the gradient is (M + M.T) x
    cases.append(("quadratic form x·Mx, x of shape (4,)", lambda x: x @ M @ x,
                  rng.normal(size=4), 1e-5, lambda x: (M + M.T) @ x))
    B = rng.normal(size=(3, 4))
    cases.append(("sum(B * sin(x)), x a matrix (3, 4)", lambda x: np.sum(B * np.sin(x)),
                  rng.normal(size=(3, 4)), 1e-5, lambda x: B * np.cos(x)))
    cases.append(("sum(exp(x / 2)), x of shape (2, 3, 2)", lambda x: np.sum(np.exp(x / 2)),
                  rng.normal(size=(2, 3, 2)), 1e-5, lambda x: np.exp(x / 2) / 2))
    cases.append(("x³ with x of shape (1,)", lambda x: float(x[0] ** 3),
                  rng.normal(size=1), 1e-5, lambda x: 3 * x ** 2))
    cases.append(("log(1 + x²), x a 1×1 matrix", lambda x: np.log1p(x[0, 0] ** 2),
                  rng.normal(size=(1, 1)), 1e-5, lambda x: 2 * x / (1 + x ** 2)))
    C = rng.normal(size=(3, 4))
    cases.append(("sum((C x)²), x a column (4, 1)", lambda x: np.sum((C @ x) ** 2),
                  rng.normal(size=(4, 1)), 1e-5, lambda x: 2 * C.T @ C @ x))
    # the default h must be 1e-5: sin(20 x) has a large third derivative, so another h shows
    cases.append(("sum(sin(20 x)) with the default h, x of shape (6,)",
                  lambda x: np.sum(np.sin(20 * x)), rng.uniform(-1, 1, 6), "default", None))
    # a large h: the centred difference of sin is cos(x) sin(h) / h, not cos(x)
    cases.append(("sum(sin(x)) with h = 0.1, x of shape (3,)", lambda x: np.sum(np.sin(x)),
                  rng.normal(size=3), 0.1, lambda x: np.cos(x) * np.sin(0.1) / 0.1))
    # and for a cubic ((x + h)³ - (x - h)³) / 2h = 3x² + h²
    cases.append(("sum(x³) with h = 0.01, x a matrix (2, 3)", lambda x: np.sum(x ** 3),
                  rng.normal(size=(2, 3)), 0.01, lambda x: 3 * x ** 2 + 0.01 ** 2))
    return cases


def _default_h_problem(func) -> str | None:
    try:
        parameters = list(inspect.signature(func).parameters.values())
    except (TypeError, ValueError):
        return "cannot read numerical_gradient's signature"
    if len(parameters) < 3 or parameters[2].default is inspect.Parameter.empty:
        return "numerical_gradient should take a third parameter h with default 1e-5"
    if parameters[2].default != 1e-5:
        return f"h should default to 1e-5, got {describe(parameters[2].default)}"
    return None


def grade_numerical_gradient(numerical_gradient, points: float = 3) -> float:
    """Centred differences of known functions at fresh x, compared with their exact derivative
    (rtol 1e-6) and with the reference (rtol 1e-7); x must come back unchanged."""
    question = Question("numerical_gradient", points)
    if not question.require_callable(numerical_gradient):
        return question.score()
    for label, f, x, h, analytic in gradient_cases():
        if _skip_if_stopped(question, label):
            continue
        if h == "default":
            args, names, expected = (f, x), ["f", "x"], ref.numerical_gradient(f, x.copy())
            call = f"numerical_gradient(f, x of shape {x.shape})"
        else:
            args, names = (f, x, h), ["f", "x", "h"]
            expected = ref.numerical_gradient(f, x.copy(), h)
            call = f"numerical_gradient(f, x of shape {x.shape}, h={h:g})"
        result, failure = question.call(numerical_gradient, args, names=names, call=call)
        if failure is None and analytic is not None:
            # the exact derivative (for a large h: the exact value of the centred difference)
            failure = compare(result.value, analytic(x), what=f"{call}, against the exact value,",
                              rtol=ANALYTIC_RTOL, atol=ANALYTIC_ATOL, kinds="f")
        if failure is None:
            failure = compare(result.value, expected, what=call, rtol=GRADIENT_RTOL,
                              atol=GRADIENT_ATOL, kinds="f")
        question.record(label, failure)
    if any(failure is None for _, failure in question.outcomes):
        question.record("h defaults to 1e-5", _default_h_problem(numerical_gradient))
    else:  # a stub has the right signature too: no credit for it alone
        question.record("h defaults to 1e-5", "not checked: no call of numerical_gradient worked")
    return question.score()


# --- relative_error ---------------------------------------------------------------------------

def relative_error_cases() -> list:
    """(label, a, b) cases: arrays of several shapes, scalars, zeros, tiny and mixed values."""
    rng = rng_for("relative_error")
    x = rng.normal(size=(4, 3))
    v = rng.normal(size=5)
    t = rng.normal(size=(2, 2, 3))
    return [
        ("nearly equal matrices (4, 3)", x, x + 1e-6 * rng.normal(size=(4, 3))),
        ("equal vectors: 0", v, v.copy()),
        ("mixed magnitudes: the largest difference counts, over the largest scale",
         np.array([1e3, 1e-3, 2.0]), np.array([1e3 + 0.5, 2e-3, 2.0])),
        ("b larger than a everywhere (a - b < 0)", v, v + np.abs(rng.normal(size=5))),
        ("a larger than b everywhere", v + 0.3, v),
        ("opposite signs: 1", v, -v),
        ("Python floats", 2.5, 2.0),
        ("0-d arrays", np.array(-1.5), np.array(-1.2)),
        ("a zero, b not: 1", 0.0, 3.5),
        ("both zero: 0, not nan", np.zeros(3), np.zeros(3)),
        ("tiny values: the denominator is floored at 1e-8", np.array([1e-10, 0.0]),
         np.array([3e-10, 0.0])),
        ("integer arrays", np.array([1, 2, 3]), np.array([1, 2, 4])),
        ("3-D arrays (2, 2, 3), negative a", -np.abs(t), -np.abs(t) * (1 + 1e-3)),
        ("a single-entry list", [4.0], [4.4]),
    ]


def grade_relative_error(relative_error, points: float = 2) -> float:
    """relative_error(a, b) = max|a - b| / max(max(|a| + |b|), 1e-8), a number."""
    question = Question("relative_error", points)
    if question.require_callable(relative_error):
        for label, a, b in relative_error_cases():
            question.call_case(label, relative_error, (a, b), names=["a", "b"],
                               expected=np.array(ref.relative_error(a, b)),
                               call=f"relative_error({_short(a)}, {_short(b)})")
    return question.score()


def _short(value) -> str:
    array = np.asarray(value)
    if array.ndim == 0 or array.size <= 3:
        return np.array2string(array, precision=4, separator=", ") if array.ndim else \
            f"{float(array):g}"
    return f"array of shape {array.shape}"


# --- mlp_backward -----------------------------------------------------------------------------

def _network(rng, sizes, hidden, output, n, *, integer=False):
    """(X, Y, params, cache) for a network of layer sizes ``sizes``."""
    activations = [*hidden, output]
    params = []
    for n_in, n_out, act in zip(sizes[:-1], sizes[1:], activations):
        if integer:  # integer weights and inputs: many pre-activations are exactly 0
            W = rng.integers(-1, 2, size=(n_in, n_out)).astype(float)
            b = np.zeros(n_out)
        else:
            W = rng.normal(0.0, 1.0 / np.sqrt(n_in), size=(n_in, n_out))
            b = rng.normal(0.0, 0.5, size=n_out)
        params.append({"W": W, "b": b, "activation": act})
    X = (rng.integers(-2, 3, size=(n, sizes[0])) if integer
         else rng.normal(size=(n, sizes[0]))).astype(float)
    if output == "sigmoid":
        Y = rng.integers(0, 2, size=(n, 1)).astype(float)
    else:
        Y = ref.one_hot(rng.integers(0, sizes[-1], size=n), sizes[-1])
    _, cache = ref.mlp_forward(X, params)
    return X, Y, params, cache


def backward_cases() -> list:
    """(label, X, Y, params, cache) for 1 to 4 layers, all hidden activations, both outputs."""
    rng = rng_for("mlp_backward")
    specs = [
        ("1 layer: softmax regression, 3 inputs, 2 classes, n = 6", [3, 2], [], "softmax", 6),
        ("1 layer: logistic regression (sigmoid output), n = 5", [4, 1], [], "sigmoid", 5),
        ("2 layers, tanh hidden (3 -> 5 -> 4), n = 7", [3, 5, 4], ["tanh"], "softmax", 7),
        ("2 layers, sigmoid hidden, a batch of 1", [4, 3, 3], ["sigmoid"], "softmax", 1),
        ("3 layers, relu then tanh (2 -> 6 -> 5 -> 3), n = 8", [2, 6, 5, 3], ["relu", "tanh"],
         "softmax", 8),
        ("4 layers, tanh, sigmoid, relu (5 -> 4 -> 4 -> 4 -> 2), n = 9", [5, 4, 4, 4, 2],
         ["tanh", "sigmoid", "relu"], "softmax", 9),
        ("3 layers, relu hidden, sigmoid output, n = 6", [3, 4, 3, 1], ["relu", "relu"],
         "sigmoid", 6),
        ("2 layers, linear hidden, n = 4", [3, 3, 2], ["linear"], "softmax", 4),
        ("2 layers, tanh hidden, sigmoid output, a batch of 1", [2, 3, 1], ["tanh"],
         "sigmoid", 1),
        ("4 layers of width 4, all tanh, 4 classes, n = 5", [4, 4, 4, 4, 4],
         ["tanh", "tanh", "tanh"], "softmax", 5),
    ]
    cases = [(label, *_network(rng, sizes, hidden, output, n))
             for label, sizes, hidden, output, n in specs]
    cases.append(("relu hidden with pre-activations exactly 0 (ReLU'(0) = 0), n = 10",
                  *_network(rng, [4, 7, 3], ["relu"], "softmax", 10, integer=True)))
    return cases


def _grads_problem(value, params, call: str) -> str | None:
    """Structure of the returned gradients: a list of {"W", "b"} dicts, one per layer."""
    if not isinstance(value, (list, tuple)):
        return f"{call} should return a list of dicts, one per layer, got {describe(value)}"
    if len(value) != len(params):
        return (f"{call} should return one dict per layer ({len(params)}), "
                f"got {len(value)} item(s)")
    for i, grad in enumerate(value):
        if not isinstance(grad, Mapping) or "W" not in grad or "b" not in grad:
            return f"grads[{i}] should be a dict with keys 'W' and 'b', got {describe(grad)}"
    return None


def _compare_grads(value, expected, call: str, rtol=BACKWARD_RTOL, atol=BACKWARD_ATOL):
    for i, (grad, want) in enumerate(zip(value, expected)):
        for key in ("W", "b"):
            problem = compare(grad[key], want[key], what=f"grads[{i}]['{key}'] from {call}",
                              rtol=rtol, atol=atol, kinds="f")
            if problem is not None:
                return problem
    return None


def centred_cases() -> list:
    """(label, X, Y, params, cache): smooth networks checked against centred differences."""
    rng = rng_for("mlp_backward centred differences")
    return [
        ("tanh hidden (3 -> 4 -> 3), softmax output, n = 5",
         *_network(rng, [3, 4, 3], ["tanh"], "softmax", 5)),
        ("sigmoid then tanh hidden (2 -> 3 -> 3 -> 1), sigmoid output, n = 4",
         *_network(rng, [2, 3, 3, 1], ["sigmoid", "tanh"], "sigmoid", 4)),
    ]


def _centred_problem(value, X, Y, params) -> str | None:
    """Relative error of every returned gradient against centred differences of the loss."""
    for i, layer in enumerate(params):
        for key in ("W", "b"):
            def f(array, i=i, key=key):
                trial = [dict(p) for p in params]
                trial[i][key] = array
                return ref.loss(ref.mlp_forward(X, trial)[0], Y)

            numerical = ref.numerical_gradient(f, layer[key].copy())
            try:
                got = np.asarray(value[i][key], dtype=float)
                with np.errstate(all="ignore"):  # inf or nan from the answer: no warning
                    error = ref.relative_error(got, numerical) \
                        if got.shape == numerical.shape else np.inf
            except (TypeError, ValueError):
                error = np.inf
            if not error <= CENTRED_TOLERANCE:  # also catches nan
                return (f"grads[{i}]['{key}'] disagrees with centred differences of the loss: "
                        f"relative error {error:.2e} > {CENTRED_TOLERANCE:g}")
    return None


def grade_mlp_backward(mlp_backward, points: float = 4) -> float:
    """Gradients for 1-4 layers, every hidden activation, softmax and sigmoid outputs, against
    the reference (rtol 1e-7) and, for smooth networks, against centred differences."""
    question = Question("mlp_backward", points)
    if not question.require_callable(mlp_backward):
        return question.score()
    names = ["X", "Y", "params", "cache"]
    for kind, cases in (("reference", backward_cases()), ("centred", centred_cases())):
        for label, X, Y, params, cache in cases:
            if kind == "centred":
                label = f"agrees with centred differences of the loss: {label}"
            if _skip_if_stopped(question, label):
                continue
            call = (f"mlp_backward(X {X.shape}, Y {Y.shape}, params ({len(params)} "
                    f"layer{'s' if len(params) > 1 else ''}), cache)")
            result, failure = question.call(mlp_backward, (X, Y, params, cache), names=names,
                                            call=call)
            if failure is None:
                failure = _grads_problem(result.value, params, call)
            if failure is None and kind == "reference":
                failure = _compare_grads(result.value, ref.mlp_backward(X, Y, params, cache),
                                         call)
            elif failure is None:
                failure = _centred_problem(result.value, X, Y, params)
            question.record(label, failure)
    return question.score()


# --- minibatches ------------------------------------------------------------------------------

class _NotIterable:
    def __init__(self, value):
        self.value = value


def _collect(minibatches):
    """A function that calls ``minibatches`` and collects what it yields or returns, so that
    the time limit and the check on modified inputs cover the whole iteration."""
    def collect(X, y, *rest, **kwargs):
        value = minibatches(X, y, *rest, **kwargs)
        if isinstance(value, (list, tuple, Iterator)):
            return list(value)
        return _NotIterable(value)
    return collect


def _collect_twice(minibatches):
    """Two epochs from one generator: each call must draw a new permutation."""
    collect = _collect(minibatches)

    def twice(X, y, batch_size, rng):
        return collect(X, y, batch_size, rng), collect(X, y, batch_size, rng)
    return twice


def minibatch_cases() -> list:
    """(label, X, y, batch_size or None for the default, seed): column 0 of X and y (or its
    column 0) hold the example's index, so batches can be traced back."""
    rng = rng_for("minibatches")
    cases = []
    for n, d, batch_size, one_hot in [(100, 3, 32, False), (64, 2, 32, False),
                                      (5, 4, 32, False), (7, 2, 1, False), (10, 3, 3, True),
                                      (33, 1, 8, False), (70, 2, None, False)]:
        ids = np.arange(n)
        X = np.column_stack([ids.astype(float), rng.normal(size=(n, d - 1))])
        y = np.column_stack([ids, rng.integers(0, 2, size=n)]) if one_hot else ids.copy()
        size = "default (32)" if batch_size is None else str(batch_size)
        label = f"n = {n}, batch_size = {size}" + (", y of shape (n, 2)" if one_hot else "")
        cases.append((label, X, y, batch_size, int(rng.integers(1_000_000))))
    return cases


def _batches_problem(batches, X, y, batch_size, call: str) -> str | None:
    """A valid epoch: (X_batch, y_batch) pairs of arrays, full batches then one partial one,
    every example exactly once, X and y rows together."""
    if isinstance(batches, _NotIterable):
        return (f"{call} should yield (X_batch, y_batch) pairs (or return a list of them), "
                f"got {describe(batches.value)}")
    n = len(X)
    expected_sizes = [min(batch_size, n - start) for start in range(0, n, batch_size)]
    seen = []
    for i, item in enumerate(batches):
        if not isinstance(item, (tuple, list)) or len(item) != 2:
            return f"batch {i} should be a pair (X_batch, y_batch), got {describe(item)}"
        X_batch, y_batch = item
        if type(X_batch) is not np.ndarray or type(y_batch) is not np.ndarray:
            return (f"batch {i}: X_batch and y_batch should be np.ndarrays, got "
                    f"{describe(X_batch)} and {describe(y_batch)}")
        if X_batch.ndim != 2 or X_batch.shape[1] != X.shape[1] or \
                y_batch.shape[1:] != y.shape[1:] or len(y_batch) != len(X_batch):
            return (f"batch {i}: X_batch should have shape (b, {X.shape[1]}) and y_batch "
                    f"(b,{' ' + str(y.shape[1]) if y.ndim > 1 else ''}), got {X_batch.shape} "
                    f"and {y_batch.shape}")
        ids = y_batch if y.ndim == 1 else y_batch[:, 0]
        if not np.array_equal(X_batch[:, 0], ids):
            return f"batch {i}: rows of X_batch and y_batch do not belong together " \
                   "(use one permutation for both)"
        seen.append(ids)
    sizes = [len(ids) for ids in seen]
    if sizes != expected_sizes:
        return (f"{call}: batch sizes should be {_sizes(expected_sizes)} (full batches of "
                f"{batch_size}, then what is left), got {_sizes(sizes)}")
    every = np.sort(np.concatenate(seen)) if seen else np.array([])
    if not np.array_equal(every, np.arange(n)):
        return f"{call}: every example should appear exactly once per epoch"
    return None


def _sizes(sizes) -> str:
    return str(sizes) if len(sizes) <= 6 else f"[{sizes[0]}, {sizes[1]}, ..., {sizes[-1]}] " \
                                               f"({len(sizes)} batches)"


def _order_problem(batches, expected, call: str) -> str | None:
    got = np.concatenate([np.asarray(item[0])[:, 0] for item in batches])
    want = np.concatenate([item[0][:, 0] for item in expected])
    if not np.array_equal(got, want):
        return (f"{call}: the examples should come in the order rng.permutation(n), one "
                f"permutation drawn from the given generator; expected the first ids "
                f"{want[:6].astype(int).tolist()}, got {got[:6].astype(int).tolist()}")
    return None


def grade_minibatches(minibatches, points: float = 3) -> float:
    """Each example once per epoch, full batches then the partial last one, X and y rows
    together, in the order rng.permutation(n); a generator or a list; inputs untouched."""
    question = Question("minibatches", points)
    if not question.require_callable(minibatches):
        return question.score()
    collect = _collect(minibatches)
    for label, X, y, batch_size, seed in minibatch_cases():
        if _skip_if_stopped(question, label):
            continue
        size = 32 if batch_size is None else batch_size
        if batch_size is None:  # the default batch size: pass the generator by keyword
            call = f"minibatches(X {X.shape}, y, rng=rng)"
            result = call_safely(collect, X, y, rng=np.random.default_rng(seed),
                                 arg_names=["X", "y"])
        else:
            call = f"minibatches(X {X.shape}, y, batch_size={batch_size}, rng)"
            result = call_safely(collect, X, y, batch_size, np.random.default_rng(seed),
                                 arg_names=["X", "y", "batch_size", "rng"])
        failure = _call_problem(question, result, call)
        if failure is None:
            failure = _batches_problem(result.value, X, y, size, call)
        question.record(f"a valid epoch: {label}", failure)
        if failure is None:
            expected = list(ref.minibatches(X, y, size, np.random.default_rng(seed)))
            failure = _order_problem(result.value, expected, call)
        elif "skipped" not in failure:
            failure = "not checked: the batches above are not a valid epoch"
        question.record(f"order from rng.permutation(n): {label}", failure)

    label = "two epochs from one generator: a new permutation each"
    if not _skip_if_stopped(question, label):
        X, y, batch_size, seed = minibatch_cases()[0][1:]
        call = "minibatches(X, y, 32, rng) twice with the same rng"
        result = call_safely(_collect_twice(minibatches), X, y, batch_size,
                             np.random.default_rng(seed),
                             arg_names=["X", "y", "batch_size", "rng"])
        failure = _call_problem(question, result, call)
        if failure is None:
            first, second = result.value
            rng = np.random.default_rng(seed)
            want_first = list(ref.minibatches(X, y, batch_size, rng))
            want_second = list(ref.minibatches(X, y, batch_size, rng))
            for got, want in ((first, want_first), (second, want_second)):
                failure = _batches_problem(got, X, y, batch_size, call) or \
                    _order_problem(got, want, call)
                if failure is not None:
                    break
        question.record(label, failure)
    return question.score()


def _call_problem(question: Question, result, call: str) -> str | None:
    if result.timed_out:
        question.stopped = "an earlier call did not return in time"
    failure = result.problem(call)
    # drawing a permutation advances the generator: that is its job, not a modified input
    mutated = [name for name in result.mutated if name != "rng"]
    if failure is None and mutated:
        failure = f"{call} modified its argument {', '.join(mutated)}; it must not"
    return failure


# --- train_mlp --------------------------------------------------------------------------------

def clouds(seed: int, n_per_class: int = 80, n_classes: int = 3, n_features: int = 2,
           spread: float = 0.6):
    """Well-separated Gaussian clouds around the corners of a regular polygon (radius 3)
    centred at (2, 2, ...): easy data, but not centred at the origin, so biases matter."""
    rng = np.random.default_rng(seed)
    angles = 2 * np.pi * np.arange(n_classes) / n_classes
    centres = np.zeros((n_classes, n_features))
    centres[:, 0], centres[:, 1] = 3 * np.cos(angles), 3 * np.sin(angles)
    centres += 2.0
    X = np.vstack([c + spread * rng.normal(size=(n_per_class, n_features)) for c in centres])
    y = np.repeat(np.arange(n_classes), n_per_class)
    order = rng.permutation(len(y))
    return X[order], y[order]


def clouds_on_a_ray(seed: int, n_per_class: int = 80):
    """Two clouds on the diagonal, centred 1.5 and 5 from the origin. A ReLU network without
    biases scales with its input (f(cx) = c f(x) for c > 0), so it sees only the direction of
    a point: it cannot tell these clouds apart unless its biases learn."""
    rng = np.random.default_rng(seed)
    direction = np.array([1.0, 1.0]) / np.sqrt(2)
    X = np.vstack([t * direction + 0.5 * rng.normal(size=(n_per_class, 2)) for t in (1.5, 5.0)])
    y = np.repeat(np.arange(2), n_per_class)
    order = rng.permutation(len(y))
    return X[order], y[order]


def train_cases() -> list:
    """(label, X, y, hidden_units, lr, n_epochs, batch_size, seed)."""
    rng = rng_for("train_mlp")
    X3, y3 = clouds(int(rng.integers(1000)))
    X4, y4 = clouds(int(rng.integers(1000)), n_per_class=50, n_classes=4, n_features=3)
    Xr, yr = clouds_on_a_ray(int(rng.integers(1000)))
    cases = [
        ("3 clouds in the plane, hidden_units=(16,)", X3, y3, (16,), 0.1, 8, 16,
         int(rng.integers(1_000_000))),
        ("4 clouds in 3-D, hidden_units=(8, 8)", X4, y4, (8, 8), 0.1, 10, 16,
         int(rng.integers(1_000_000))),
        ("3 clouds in the plane, hidden_units=() (softmax regression)", X3, y3, (), 0.1, 8, 16,
         int(rng.integers(1_000_000))),
        ("2 clouds on a ray from the origin (the biases must learn), hidden_units=(8,)", Xr, yr,
         (8,), 0.1, 10, 16, int(rng.integers(1_000_000))),
    ]
    # the contract's class count: k = y.max() + 1 output units, also when a class in between
    # has no example (labels 0, 1 and 3: 4 outputs, not the 3 classes present)
    Xa, ya = clouds(int(rng.integers(1000)))
    cases.append(("3 clouds labelled 0, 1 and 3 (no class 2: k = y.max() + 1 = 4 outputs), "
                  "hidden_units=(8,)", Xa, np.where(ya == 2, 3, ya), (8,), 0.1, 8, 16,
                  int(rng.integers(1_000_000))))
    return cases


def _train_call(question: Question, train_mlp, X, y, hidden, lr, n_epochs, batch_size, seed):
    call = (f"train_mlp(X {X.shape}, y, hidden_units={hidden}, lr={lr:g}, "
            f"n_epochs={n_epochs}, batch_size={batch_size}, rng)")
    result = call_safely(train_mlp, X, y, hidden, lr, n_epochs, batch_size,
                         np.random.default_rng(seed),
                         arg_names=["X", "y", "hidden_units", "lr", "n_epochs", "batch_size",
                                    "rng"], time_limit=TRAIN_TIME_LIMIT)
    failure = _call_problem(question, result, call)
    if failure is None:
        failure = _trained_problem(result.value, X, y, hidden, n_epochs, call)
    return result, failure, call


def _trained_problem(value, X, y, hidden, n_epochs, call) -> str | None:
    """(params, history) with the params structure and one history entry per epoch."""
    if not isinstance(value, tuple) or len(value) != 2:
        return f"{call} should return a tuple (params, history), got {describe(value)}"
    params, history = value
    sizes = [X.shape[1], *hidden, int(y.max()) + 1]
    if not isinstance(params, list) or len(params) != len(sizes) - 1:
        return (f"params should be a list of {len(sizes) - 1} layer dicts (hidden_units="
                f"{hidden} and the output layer), got {describe(params)}")
    for i, (layer, n_in, n_out) in enumerate(zip(params, sizes[:-1], sizes[1:])):
        if not isinstance(layer, Mapping) or not {"W", "b", "activation"} <= set(layer):
            return f"params[{i}] should be a dict with W, b and activation, got " \
                   f"{describe(layer)}"
        want = "softmax" if i == len(params) - 1 else "relu"
        for key, shape in (("W", (n_in, n_out)), ("b", (n_out,))):
            array = layer[key]
            if type(array) is not np.ndarray or array.shape != shape or \
                    array.dtype.kind != "f":
                return (f"params[{i}]['{key}'] should be a float np.ndarray of shape {shape}, "
                        f"got {describe(array)}")
            if not np.all(np.isfinite(array)):
                return f"params[{i}]['{key}'] holds non-finite values (a diverging training?)"
        if layer["activation"] != want:
            return f"params[{i}]['activation'] should be {want!r}, got {layer['activation']!r}"
    if not isinstance(history, Mapping) or not {"loss", "accuracy"} <= set(history):
        return f"history should be a dict with 'loss' and 'accuracy', got {describe(history)}"
    for key in ("loss", "accuracy"):
        values = history[key]
        if not isinstance(values, (list, tuple, np.ndarray)) or len(values) != n_epochs:
            return (f"history['{key}'] should hold one number per epoch ({n_epochs}), got "
                    f"{describe(values)}")
        try:
            numbers = np.asarray(values, dtype=float)
        except (TypeError, ValueError):
            return f"history['{key}'] should hold numbers, got {describe(values)}"
        if numbers.shape != (n_epochs,) or not np.all(np.isfinite(numbers)):
            return f"history['{key}'] should hold {n_epochs} finite numbers"
    return None


def _behaviour_problem(params, history, X, y) -> str | None:
    """The loss falls, the data are learnt, and the last history entries describe the
    returned params."""
    k = int(y.max()) + 1
    with np.errstate(all="ignore"):  # huge weights must cost points, not print warnings
        P, _ = ref.mlp_forward(np.asarray(X, dtype=float), params)
        loss = ref.cross_entropy(P, ref.one_hot(y, k))
    accuracy = float(np.mean(P.argmax(axis=1) == y))
    losses = np.asarray(history["loss"], dtype=float)
    if not losses[-1] < losses[0]:
        return (f"the training loss should fall; history['loss'] went from {losses[0]:.4g} to "
                f"{losses[-1]:.4g} (subtract lr times the gradient from every W and b)")
    if not (accuracy >= TRAIN_ACCURACY and loss <= TRAIN_LOSS):
        return (f"after training, the returned params reach accuracy {accuracy:.1%} and loss "
                f"{loss:.3f} on these easy data; expected at least {TRAIN_ACCURACY:.0%} and at "
                f"most {TRAIN_LOSS} (one update per mini-batch, every epoch)")
    if not np.isclose(losses[-1], loss, rtol=1e-6, atol=1e-9):
        return (f"history['loss'][-1] should be the cross-entropy on all of X, y after the last "
                f"epoch: {loss:.6g} for the returned params, got {losses[-1]:.6g}")
    if not np.isclose(float(history["accuracy"][-1]), accuracy, atol=1e-9):
        return (f"history['accuracy'][-1] should be the accuracy on all of X, y after the last "
                f"epoch: {accuracy:.4g} for the returned params, got "
                f"{float(history['accuracy'][-1]):.4g}")
    return None


def _same_params(a, b) -> bool:
    return all(np.allclose(p["W"], q["W"], rtol=1e-12, atol=0) and
               np.allclose(p["b"], q["b"], rtol=1e-12, atol=0) for p, q in zip(a, b))


def grade_train_mlp(train_mlp, points: float = 4) -> float:
    """By behaviour: the params structure, one history entry per epoch, the loss falls, easy
    data are learnt, and the result depends on the caller's generator only."""
    question = Question("train_mlp", points)
    if not question.require_callable(train_mlp):
        return question.score()
    first = None
    for label, X, y, hidden, lr, n_epochs, batch_size, seed in train_cases():
        if _skip_if_stopped(question, f"structure: {label}"):
            question.record(f"learns: {label}", f"skipped: {question.stopped}")
            continue
        result, failure, _ = _train_call(question, train_mlp, X, y, hidden, lr, n_epochs,
                                         batch_size, seed)
        question.record(f"params and history: {label}", failure)
        if failure is None:
            failure = _behaviour_problem(*result.value, X, y)
            if first is None:
                first = (X, y, hidden, lr, n_epochs, batch_size, seed, result.value[0])
        elif "skipped" not in failure:
            failure = "not checked: see the structure above"
        question.record(f"learns: {label}", failure)

    label = "reproducible: the same seed gives the same params, another seed other params"
    if _skip_if_stopped(question, label):
        return question.score()
    if first is None:
        question.record(label, "not checked: no training run worked")
        return question.score()
    X, y, hidden, lr, n_epochs, batch_size, seed, params = first
    failure = None
    for other_seed, same in ((seed, True), (seed + 1, False)):
        result, failure, call = _train_call(question, train_mlp, X, y, hidden, lr, n_epochs,
                                            batch_size, other_seed)
        if failure is not None:
            break
        if _same_params(result.value[0], params) != same:
            failure = (f"{call}: the same seed should give the same params" if same else
                       f"{call}: another seed should give other params (draw the initial "
                       f"weights and every permutation from rng, and nothing else)")
            break
    question.record(label, failure)
    return question.score()
