"""Public checks for notebook 05, backpropagation.

Known values worked out in advance (quoted in full when something differs) and properties: the
input left unchanged, the step h used, the last partial batch kept, the loss falling.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import numpy as np

from course import network
from course.checks.report import CheckReport
from course.harness import call_safely, compare
from course.validation import describe

TRAIN_TIME_LIMIT = 10.0  # seconds for one small training run


def _callable(report: CheckReport, func, name: str) -> bool:
    return report.check(
        f"{name} is a function",
        None if callable(func) else f"expected a function, got {describe(func)}",
    )


def _call(report: CheckReport, description: str, func, args, *, call: str, names,
          time_limit: float = 2.0, kwargs=None):
    """Call ``func(*args)`` safely; return its CallResult, or None after recording a failure."""
    if report.timed_out:  # one endless loop is enough: do not wait for it again
        report.check(description, "skipped: an earlier call did not return in time")
        return None
    result = call_safely(func, *args, arg_names=names, time_limit=time_limit, **(kwargs or {}))
    report.timed_out = report.timed_out or result.timed_out
    problem = result.problem(call)
    # drawing from a generator is its job, not a modified input
    mutated = [name for name in result.mutated if name != "rng"]
    if problem is None and mutated:
        problem = f"{call} modified its input {', '.join(mutated)}; it must not"
    if problem is not None:
        report.check(description, problem)
        return None
    return result


def _expect(report, description, func, args, expected, *, call, names, hint="", **options):
    result = _call(report, description, func, args, call=call, names=names)
    if result is not None:
        problem = compare(result.value, expected, what=call, **options)
        report.check(description, problem if problem is None else problem + hint)


# --- numerical_gradient -----------------------------------------------------------------------

def _sum_of_squares(x):
    return float(np.sum(x ** 2))


def _sum_of_sines(x):
    return float(np.sum(np.sin(x)))


def _sum_of_cubes(x):
    return float(np.sum(x ** 3))


def check_numerical_gradient(numerical_gradient) -> None:
    """Centred differences of known functions; x unchanged; h used; the result shaped like x."""
    report = CheckReport("numerical_gradient")
    if _callable(report, numerical_gradient, "numerical_gradient"):
        names = ["f", "x", "h"]
        x = np.array([1.0, -2.0, 3.0])
        _expect(report, "f(x) = sum(x²) at x = [1, -2, 3]: gradient 2x = [2, -4, 6]",
                numerical_gradient, (_sum_of_squares, x, 1e-5), [2.0, -4.0, 6.0],
                call="numerical_gradient(sum of squares, x=[1, -2, 3], h=1e-5)", names=names,
                rtol=1e-6, atol=1e-8, kinds="f")
        X = np.array([[0.0, 1.0], [2.0, -3.0]])
        _expect(report, "f(X) = sum(sin(X)) for a 2×2 matrix X: gradient cos(X), same shape",
                numerical_gradient, (_sum_of_sines, X, 1e-5), np.cos(X),
                call="numerical_gradient(sum of sines, X (2, 2), h=1e-5)", names=names,
                rtol=1e-6, atol=1e-8, kinds="f",
                hint="; perturb one entry at a time, for every index of X (np.ndindex)")
        _expect(report, "centred, and h is used: for sum(x³) with h = 0.1 the centred "
                        "difference is 3x² + h²",
                numerical_gradient, (_sum_of_cubes, np.array([1.0, 2.0]), 0.1), [3.01, 12.01],
                call="numerical_gradient(sum of cubes, x=[1, 2], h=0.1)", names=names,
                rtol=1e-9, atol=1e-9, kinds="f",
                hint=" ((f(x + h) - f(x - h)) / (2h) with the h given; a one-sided "
                     "difference would give [3.31, 12.61])")
    report.finish()


# --- relative_error ---------------------------------------------------------------------------

def check_relative_error(relative_error) -> None:
    """max|a - b| / max(max(|a| + |b|), 1e-8) on a few pairs, zeros included."""
    report = CheckReport("relative_error")
    if _callable(report, relative_error, "relative_error"):
        names = ["a", "b"]
        cases = [
            ("equal numbers: 0", (1.0, 1.0), 0.0, "relative_error(1.0, 1.0)"),
            ("[1, 2] and [1, 2.02]: 0.02 / 4.02", (np.array([1.0, 2.0]), np.array([1.0, 2.02])),
             0.02 / 4.02, "relative_error([1, 2], [1, 2.02])"),
            ("0 and 1: 1", (0.0, 1.0), 1.0, "relative_error(0.0, 1.0)"),
            ("both zero: 0 (the floor 1e-8 avoids 0 / 0)", (np.zeros(3), np.zeros(3)), 0.0,
             "relative_error(zeros(3), zeros(3))"),
            ("[3, -0.001] and [3, 0.001]: the largest difference over the largest scale, "
             "0.002 / 6", (np.array([3.0, -1e-3]), np.array([3.0, 1e-3])), 2e-3 / 6,
             "relative_error([3, -0.001], [3, 0.001])"),
        ]
        for description, args, expected, call in cases:
            _expect(report, description, relative_error, args, np.array(expected), call=call,
                    names=names, rtol=1e-9, atol=1e-12)
    report.finish()


# --- mlp_backward -----------------------------------------------------------------------------

def _backward_examples():
    """(description, X, Y, params, expected grads): expected values worked out in advance."""
    examples = []
    X = np.array([[1.0, 2.0], [0.0, -1.0], [3.0, 1.0]])
    params = [{"W": np.array([[0.5], [-0.25]]), "b": np.array([0.1]), "activation": "sigmoid"}]
    Y = np.array([[1.0], [0.0], [1.0]])
    expected = [{"W": [[-0.36421064264130054], [-0.5808431919201325]],
                 "b": [-0.031424535134892365]}]
    examples.append(("1 layer, sigmoid output (logistic regression), n = 3", X, Y, params,
                     expected))

    X = np.array([[0.5, -1.0], [2.0, 0.25]])
    params = [{"W": np.array([[0.2, -0.4, 0.1], [0.3, 0.5, -0.6]]),
               "b": np.array([0.0, 0.1, -0.2]), "activation": "tanh"},
              {"W": np.array([[0.7, -0.3], [-0.5, 0.4], [0.2, 0.9]]),
               "b": np.array([0.05, -0.05]), "activation": "softmax"}]
    Y = np.array([[1.0, 0.0], [0.0, 1.0]])
    expected = [{"W": [[0.4908820149482286, -0.4185762220770394, -0.44660719723649456],
                       [0.3050760545290288, -0.214729405758643, -0.20174474518809413]],
                 "b": [0.07340632324317295, -0.09464760892156929, -0.12030206059457743]},
                {"W": [[0.21356327336720077, -0.21356327336720077],
                       [-0.067176473340802, 0.06717647334080197],
                       [-0.15673778498605345, 0.15673778498605348]],
                 "b": [0.13771923932000935, -0.13771923932000932]}]
    examples.append(("2 layers: tanh hidden (2 -> 3 -> 2), softmax output, n = 2", X, Y,
                     params, expected))

    X = np.array([[1.0, -2.0, 0.5]])
    params = [{"W": np.array([[0.4, -0.2], [0.1, 0.3], [-0.5, 0.8]]), "b": np.array([0.2, 0.9]),
               "activation": "relu"},
              {"W": np.array([[1.0, -1.0], [0.5, 0.25]]), "b": np.array([0.0, 0.1]),
               "activation": "sigmoid"},
              {"W": np.array([[0.3, -0.6, 0.9], [-0.2, 0.4, 0.1]]), "b": np.zeros(3),
               "activation": "softmax"}]
    Y = np.array([[0.0, 0.0, 1.0]])
    expected = [{"W": [[-0.11987661740958357, -0.06323324415842238],
                       [0.23975323481916713, 0.12646648831684476],
                       [-0.05993830870479178, -0.03161662207921119]],
                 "b": [-0.11987661740958357, -0.06323324415842238]},
                {"W": [[-0.018640479702163655, -0.0006589870907261193],
                       [-0.06213493234054551, -0.002196623635753731]],
                 "b": [-0.12426986468109102, -0.004393247271507462]},
                {"W": [[0.17254113578429378, 0.13742269100953666, -0.30996382679383044],
                       [0.1495006570688234, 0.11907179414754837, -0.2685724512163718]],
                 "b": [0.28819891786626306, 0.2295398755733907, -0.5177387934396538]}]
    examples.append(("3 layers: relu, sigmoid, softmax (3 -> 2 -> 2 -> 3), a batch of 1", X, Y,
                     params, expected))
    return examples


def _forward(X, params):
    """The cache mlp_forward would return for the check's inputs: {"A_prev", "Z"} per layer."""
    A, cache = X, []
    for layer in params:
        cache.append({"A_prev": A, "Z": A @ layer["W"] + layer["b"]})
        A = network.network_output([layer], A)
    return A, cache


def check_mlp_backward(mlp_backward) -> None:
    """Gradients of three small networks, worked out in advance; one {"W", "b"} per layer."""
    report = CheckReport("mlp_backward")
    if _callable(report, mlp_backward, "mlp_backward"):
        for description, X, Y, params, expected in _backward_examples():
            _, cache = _forward(X, params)
            call = f"mlp_backward(X {X.shape}, Y {Y.shape}, params, cache)"
            result = _call(report, description, mlp_backward, (X, Y, params, cache), call=call,
                           names=["X", "Y", "params", "cache"])
            if result is None:
                continue
            grads = result.value
            problem = None
            if not isinstance(grads, (list, tuple)) or len(grads) != len(params):
                problem = (f"{call} should return a list with one dict per layer "
                           f"({len(params)}), got {describe(grads)}")
            for i, (grad, want) in enumerate(zip(grads if problem is None else (), expected)):
                if not isinstance(grad, Mapping) or "W" not in grad or "b" not in grad:
                    problem = f"grads[{i}] should be a dict with 'W' and 'b', got " \
                              f"{describe(grad)}"
                    break
                for key in ("W", "b"):
                    problem = compare(grad[key], np.array(want[key]),
                                      what=f"grads[{i}]['{key}']", rtol=1e-7, atol=1e-12,
                                      kinds="f")
                    if problem is not None:
                        break
                if problem is not None:
                    break
            report.check(description, problem)
    report.finish()


# --- minibatches ------------------------------------------------------------------------------

def _collect(minibatches):
    """Call ``minibatches`` and collect what it yields (or returns) within the time limit."""
    def collect(*args, **kwargs):
        value = minibatches(*args, **kwargs)
        return list(value) if isinstance(value, (list, tuple, Iterator)) else value
    return collect


def _batch_ids(batches, call: str):
    """([ids of each batch], None) when batches are (X_batch, y_batch) pairs whose rows belong
    together, else (None, message). Column 0 of X and y hold the example's index."""
    if not isinstance(batches, list):
        return None, (f"{call} should yield (X_batch, y_batch) pairs or return a list of them, "
                      f"got {describe(batches)}")
    ids = []
    for i, item in enumerate(batches):
        if not isinstance(item, (tuple, list)) or len(item) != 2:
            return None, f"batch {i} should be a pair (X_batch, y_batch), got {describe(item)}"
        X_batch, y_batch = (np.asarray(part) for part in item)
        if X_batch.ndim != 2 or y_batch.ndim != 1 or len(X_batch) != len(y_batch):
            return None, (f"batch {i}: expected X_batch of shape (b, 2) and y_batch of shape "
                          f"(b,), got {X_batch.shape} and {y_batch.shape}")
        if not np.array_equal(X_batch[:, 0], y_batch):
            return None, (f"batch {i}: rows of X_batch and y_batch do not belong together; "
                          "index both with the same permutation")
        ids.append(y_batch.astype(int).tolist())
    return ids, None


def check_minibatches(minibatches) -> None:
    """Ten examples in batches of 4 in the order of rng.permutation(10); the last partial
    batch kept; the default batch size 32; a new order each epoch."""
    report = CheckReport("minibatches")
    if _callable(report, minibatches, "minibatches"):
        collect = _collect(minibatches)
        X = np.column_stack([np.arange(10.0), np.arange(10.0) ** 2])  # column 0: the index
        y = np.arange(10)
        names = ["X", "y", "batch_size", "rng"]
        call = "minibatches(X (10, 2), y, batch_size=4, rng=np.random.default_rng(0))"
        description = ("10 examples, batch_size = 4: batches [4, 6, 2, 7], [3, 5, 9, 0], "
                       "[8, 1], the order of np.random.default_rng(0).permutation(10)")
        result = _call(report, description, collect, (X, y, 4, np.random.default_rng(0)),
                       call=call, names=names)
        if result is not None:
            ids, problem = _batch_ids(result.value, call)
            expected = [[4, 6, 2, 7], [3, 5, 9, 0], [8, 1]]
            if problem is None and ids != expected:
                problem = (f"{call} gave batches of ids {ids}, expected {expected} (one "
                           f"permutation rng.permutation(n), cut into batch_size pieces, the "
                           f"last shorter one kept)")
            report.check(description, problem)

        X70 = np.column_stack([np.arange(70.0), np.zeros(70)])
        call = "minibatches(X (70, 2), y, rng=np.random.default_rng(1))"
        description = "batch_size defaults to 32: 70 examples give batches of 32, 32 and 6"
        result = _call(report, description, collect, (X70, np.arange(70)), call=call,
                       names=["X", "y"], kwargs={"rng": np.random.default_rng(1)})
        if result is not None:
            ids, problem = _batch_ids(result.value, call)
            if problem is None and [len(batch) for batch in ids] != [32, 32, 6]:
                problem = f"{call} gave batch sizes {[len(batch) for batch in ids]}"
            if problem is None and sorted(sum(ids, [])) != list(range(70)):
                problem = f"{call}: every example should appear exactly once"
            report.check(description, problem)

        def two_epochs(X, y, batch_size, rng):
            return collect(X, y, batch_size, rng), collect(X, y, batch_size, rng)

        call = "minibatches(X (10, 2), y, 4, rng) twice with the same rng"
        description = ("two epochs from one generator: the second draws a new permutation, "
                       "[2, 9, 3, 6], [0, 4, 8, 7], [5, 1]")
        result = _call(report, description, two_epochs, (X, y, 4, np.random.default_rng(0)),
                       call=call, names=names)
        if result is not None:
            ids, problem = _batch_ids(result.value[1], call)
            expected = [[2, 9, 3, 6], [0, 4, 8, 7], [5, 1]]
            if problem is None and ids != expected:
                problem = (f"the second epoch gave {ids}, expected {expected} (draw the "
                           f"permutation from the rng you are given, once per call)")
            report.check(description, problem)
    report.finish()


# --- train_mlp --------------------------------------------------------------------------------

def _three_clouds():
    rng = np.random.default_rng(7)
    centres = np.array([[0.0, 3.0], [3.0, -1.0], [-3.0, -1.0]])
    X = np.vstack([c + 0.7 * rng.normal(size=(60, 2)) for c in centres])
    y = np.repeat(np.arange(3), 60)
    order = rng.permutation(180)
    return X[order], y[order]


def check_train_mlp(train_mlp) -> None:
    """Three clouds in the plane, hidden_units=(8,): the params structure, one history entry
    per epoch, the loss falls, the training data are learnt."""
    report = CheckReport("train_mlp")
    if _callable(report, train_mlp, "train_mlp"):
        X, y = _three_clouds()
        call = ("train_mlp(X (180, 2), y, hidden_units=(8,), lr=0.1, n_epochs=6, batch_size=16, "
                "rng=np.random.default_rng(0))")
        description = "returns (params, history): 2 layers, relu then softmax"
        result = _call(report, description, train_mlp,
                       (X, y, (8,), 0.1, 6, 16, np.random.default_rng(0)), call=call,
                       names=["X", "y", "hidden_units", "lr", "n_epochs", "batch_size", "rng"],
                       time_limit=TRAIN_TIME_LIMIT)
        if result is None:
            report.finish()
            return
        value = result.value
        problem = None
        if not isinstance(value, tuple) or len(value) != 2:
            problem = f"{call} should return a tuple (params, history), got {describe(value)}"
        else:
            params, history = value
            shapes = [((2, 8), (8,), "relu"), ((8, 3), (3,), "softmax")]
            if not isinstance(params, list) or len(params) != 2:
                problem = f"params should be a list of 2 layer dicts, got {describe(params)}"
            for i, (layer, (w, b, act)) in enumerate(zip(params if problem is None else (),
                                                         shapes)):
                got = (np.shape(layer.get("W")), np.shape(layer.get("b")),
                       layer.get("activation")) if isinstance(layer, Mapping) else None
                if got != (w, b, act):
                    problem = (f"params[{i}] should have W of shape {w}, b of shape {b} and "
                               f"activation {act!r}, got {got if got else describe(layer)}")
                    break
        report.check(description, problem)
        if problem is not None:
            report.finish()
            return
        description = "history = {'loss': [...], 'accuracy': [...]}, one number per epoch (6)"
        problem = None
        if not isinstance(history, Mapping) or not {"loss", "accuracy"} <= set(history):
            problem = f"history should be a dict with 'loss' and 'accuracy', got " \
                      f"{describe(history)}"
        elif any(np.shape(history[key]) != (6,) for key in ("loss", "accuracy")):
            problem = (f"history['loss'] and history['accuracy'] should hold 6 numbers, got "
                       f"{describe(history['loss'])} and {describe(history['accuracy'])}")
        report.check(description, problem)
        if problem is None:
            losses = np.asarray(history["loss"], dtype=float)
            report.check("the training loss falls from the first epoch to the last",
                         None if losses[-1] < losses[0] else
                         f"history['loss'] went from {losses[0]:.4g} to {losses[-1]:.4g}")
        with np.errstate(all="ignore"):  # diverged weights cost the check, not a warning
            predicted = network.network_output(params, X).argmax(axis=1)
            accuracy = float(np.mean(predicted == y))
        report.check("the trained network classifies at least 90 % of the training data",
                     None if accuracy >= 0.9 else
                     f"training accuracy of the returned params: {accuracy:.1%}")
    report.finish()
