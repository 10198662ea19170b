"""Public checks for notebook 04, the multilayer perceptron.

Known values (worked out by hand or to 16 digits beforehand) and properties: shapes, ReLU's
derivative at exactly 0, no overflow warning at z = +-1000, softmax rows that sum to 1 over the
right axis, a cache with one entry per layer, two linear layers that equal one, and XOR.
"""

from __future__ import annotations

import numpy as np

from course import network
from course.checks.report import CheckReport
from course.harness import call_safely, compare
from course.validation import describe

ACTIVATION_NAMES = ("linear", "sigmoid", "tanh", "relu", "softmax")
XOR_INPUTS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_LABELS = np.array([0, 1, 1, 0])

# A 2-3-2 network (relu, then linear) and a 2-3-1 network (relu, then sigmoid) on 4 instances
X_NET = np.array([[1.0, -1.0], [0.5, 2.0], [-1.0, 0.0], [2.0, 1.0]])
HIDDEN = {"W": np.array([[1.0, -1.0, 0.5], [0.5, 1.0, -2.0]]), "b": np.array([0.0, 0.5, -0.5]),
          "activation": "relu"}
Z1 = [[0.5, -1.5, 2.0], [1.5, 2.0, -4.25], [-1.0, 1.5, -1.0], [2.5, -0.5, -1.5]]
A1 = [[0.5, 0.0, 2.0], [1.5, 2.0, 0.0], [0.0, 1.5, 0.0], [2.5, 0.0, 0.0]]
LINEAR_OUT = {"W": np.array([[1.0, -1.0], [2.0, 0.0], [-1.0, 1.0]]),
              "b": np.array([0.25, -0.25]), "activation": "linear"}
Z2_LINEAR = [[-1.25, 1.25], [5.75, -1.75], [3.25, -0.25], [2.75, -2.75]]
SIGMOID_OUT = {"W": np.array([[1.0], [-1.0], [0.5]]), "b": np.array([-0.5]),
               "activation": "sigmoid"}
Z2_SIGMOID = [[1.0], [-1.0], [-2.0], [2.0]]
SIGMOID_OUTPUT = [[0.7310585786300049], [0.2689414213699951], [0.11920292202211755],
                  [0.8807970779778823]]
SINGLE_LINEAR = {"W": np.array([[1.0, -1.0, 0.5], [0.5, 0.0, -1.0]]),
                 "b": np.array([0.0, 0.0, 0.25]), "activation": "linear"}
Z_SINGLE = [[0.5, -1.0, 1.75], [1.5, -0.5, -1.5], [-1.0, 1.0, -0.25], [2.5, -2.0, 0.25]]


def _callable(report: CheckReport, func, name: str) -> bool:
    return report.check(
        f"{name} is a function",
        None if callable(func) else f"expected a function, got {describe(func)}",
    )


def _call(report: CheckReport, func, args, names, call: str):
    """Call ``func(*args)`` safely: (value, None) or (None, failure message).

    A warning counts as a failure: in the notebook it would be printed on stderr."""
    if report.timed_out:  # one endless loop is enough: do not wait for it again
        return None, "skipped: an earlier call did not return in time"
    result = call_safely(func, *args, arg_names=names)
    report.timed_out = report.timed_out or result.timed_out
    problem = result.problem(call)
    if problem is None and result.mutated:
        problem = f"{call} modified its input {', '.join(result.mutated)}; return a new array"
    if problem is None and result.warnings:
        problem = f"{call} raised a warning ({result.warnings[0]})"
    return (None, problem) if problem else (result.value, None)


def _expect(report, description, func, args, expected, *, call, names, context=None,
            exact=False, hint=""):
    """Call ``func(*args)`` safely (no warning allowed) and compare with ``expected``."""
    value, problem = _call(report, func, args, names, call)
    if problem is None:
        problem = compare(value, expected, what=call, context=context)
    if problem is None and exact and not np.array_equal(np.asarray(value, dtype=float),
                                                        expected):
        problem = f"{call} returned {np.asarray(value, dtype=float).tolist()!r}, expected " \
                  f"exactly {np.asarray(expected).tolist()!r}"
    if problem is not None and hint:
        problem += hint
    return report.check(description, problem)


def check_tanh(tanh) -> None:
    """Known values of tanh; the shape kept; exactly +-1 at z = +-1000 without a warning."""
    report = CheckReport("tanh")
    if _callable(report, tanh, "tanh"):
        z = np.array([-2.0, -1.0, 0.0, 0.5, 3.0])
        _expect(report, "values around zero", tanh, (z,),
                [-0.9640275800758169, -0.7615941559557649, 0.0, 0.46211715726000974,
                 0.9950547536867305], call="tanh([-2, -1, 0, 0.5, 3])", names=["z"],
                context=("z", z))
        _expect(report, "tanh(0) is 0", tanh, (0.0,), 0.0, call="tanh(0.0)", names=["z"])
        grid = np.array([[-30.0, 0.1], [1.5, 30.0]])
        _expect(report, "a 2-D array keeps its shape", tanh, (grid,),
                [[-1.0, 0.09966799462495582], [0.9051482536448665, 1.0]],
                call="tanh(2x2 array)", names=["z"], context=("z", grid))
        _expect(report, "an integer array gives floats", tanh, (np.array([-1, 0, 2]),),
                [-0.7615941559557649, 0.0, 0.9640275800758169], call="tanh([-1, 0, 2])",
                names=["z"])
        hint = ("; exp(z) overflows above z = 709: use only exp(-2|z|), or the identity "
                "tanh(z) = 2 sigmoid(2z) - 1")
        for z, exact in ((1000.0, 1.0), (-1000.0, -1.0)):
            _expect(report, f"tanh({z:g}) is exactly {exact:g}, without a warning", tanh, (z,),
                    exact, call=f"tanh({z:g})", names=["z"], exact=True, hint=hint)
    report.finish()


def check_relu(relu) -> None:
    """relu(z) = max(0, z): values around zero, any shape, the input left alone."""
    report = CheckReport("relu")
    if _callable(report, relu, "relu"):
        z = np.array([-2.0, -0.5, 0.0, 0.5, 3.0])
        _expect(report, "values around zero", relu, (z,), [0.0, 0.0, 0.0, 0.5, 3.0],
                call="relu([-2, -0.5, 0, 0.5, 3])", names=["z"], context=("z", z))
        _expect(report, "a scalar gives a single number", relu, (-3.0,), 0.0,
                call="relu(-3.0)", names=["z"])
        grid = np.array([[-1.0, 4.0], [2.5, -0.25]])
        _expect(report, "a 2-D array keeps its shape (and is not modified)", relu, (grid,),
                [[0.0, 4.0], [2.5, 0.0]], call="relu(2x2 array)", names=["z"],
                context=("z", grid))
        _expect(report, "an integer array works", relu, (np.array([-3, 0, 7]),), [0, 0, 7],
                call="relu([-3, 0, 7])", names=["z"])
    report.finish()


def check_sigmoid_derivative(sigmoid_derivative) -> None:
    """sigma'(z) = sigma(z) (1 - sigma(z)): known values, 1/4 at 0, 0 at +-1000 quietly."""
    report = CheckReport("sigmoid_derivative")
    if _callable(report, sigmoid_derivative, "sigmoid_derivative"):
        hint = ("; sigmoid_derivative is a function of the pre-activation z: compute "
                "s = sigmoid(z) first, then s * (1 - s)")
        z = np.array([-2.0, -1.0, 0.0, 1.0, 2.0])
        _expect(report, "values around zero", sigmoid_derivative, (z,),
                [0.1049935854035065, 0.19661193324148185, 0.25, 0.19661193324148185,
                 0.10499358540350662], call="sigmoid_derivative([-2, -1, 0, 1, 2])",
                names=["z"], context=("z", z), hint=hint)
        _expect(report, "sigmoid_derivative(0) is 1/4, its maximum", sigmoid_derivative,
                (0.0,), 0.25, call="sigmoid_derivative(0.0)", names=["z"], hint=hint)
        grid = np.array([[-30.0, 0.5], [4.0, 30.0]])
        _expect(report, "a 2-D array keeps its shape", sigmoid_derivative, (grid,),
                [[9.357622968838424e-14, 0.2350037122015945],
                 [0.017662706213291107, 9.348077867342945e-14]],
                call="sigmoid_derivative(2x2 array)", names=["z"], context=("z", grid))
        _expect(report, "0 at z = +-1000, without a warning", sigmoid_derivative,
                (np.array([-1000.0, 1000.0]),), [0.0, 0.0],
                call="sigmoid_derivative([-1000, 1000])", names=["z"],
                hint="; use your stable sigmoid rather than exp(-z)")
    report.finish()


def check_tanh_derivative(tanh_derivative) -> None:
    """tanh'(z) = 1 - tanh(z)**2: known values, 1 at 0, centred differences, quiet at +-1000."""
    report = CheckReport("tanh_derivative")
    if _callable(report, tanh_derivative, "tanh_derivative"):
        z = np.array([-2.0, -1.0, 0.0, 0.5, 3.0])
        _expect(report, "values around zero", tanh_derivative, (z,),
                [0.07065082485316443, 0.41997434161402614, 1.0, 0.7864477329659274,
                 0.009866037165440211], call="tanh_derivative([-2, -1, 0, 0.5, 3])",
                names=["z"], context=("z", z),
                hint="; tanh_derivative is 1 - tanh(z)**2, a function of z")
        _expect(report, "tanh_derivative(0) is 1", tanh_derivative, (0.0,), 1.0,
                call="tanh_derivative(0.0)", names=["z"])
        points = np.array([-2.5, -0.7, 0.3, 1.1, 1.9])
        h = 1e-5
        numerical = (np.tanh(points + h) - np.tanh(points - h)) / (2 * h)
        _expect(report, "matches centred differences (tanh(z + h) - tanh(z - h)) / 2h",
                tanh_derivative, (points,), numerical,
                call="tanh_derivative([-2.5, -0.7, 0.3, 1.1, 1.9])", names=["z"],
                context=("z", points))
        _expect(report, "0 at z = +-1000, without a warning", tanh_derivative,
                (np.array([-1000.0, 1000.0]),), [0.0, 0.0],
                call="tanh_derivative([-1000, 1000])", names=["z"])
    report.finish()


def check_relu_derivative(relu_derivative) -> None:
    """ReLU'(z): 0 for z < 0, 1 for z > 0, and 0 at z = 0 (the course's convention)."""
    report = CheckReport("relu_derivative")
    if _callable(report, relu_derivative, "relu_derivative"):
        z = np.array([-2.0, -1e-9, 1e-9, 3.0])
        _expect(report, "0 left of zero, 1 right of zero", relu_derivative, (z,),
                [0.0, 0.0, 1.0, 1.0], call="relu_derivative([-2, -1e-9, 1e-9, 3])",
                names=["z"], context=("z", z))
        _expect(report, "relu_derivative(0) is 0 (the course's convention)", relu_derivative,
                (0.0,), 0.0, call="relu_derivative(0.0)", names=["z"])
        grid = np.array([[-1.0, 0.0], [2.0, 0.5]])
        _expect(report, "a 2-D array keeps its shape; numbers, not True/False",
                relu_derivative, (grid,), [[0.0, 0.0], [1.0, 1.0]],
                call="relu_derivative(2x2 array)", names=["z"], context=("z", grid))
    report.finish()


def check_softmax(softmax) -> None:
    """Row-wise softmax of Z (n, k): known values, rows sum to 1, quiet at +-1000."""
    report = CheckReport("softmax")
    if _callable(report, softmax, "softmax"):
        _expect(report, "one instance, three classes", softmax, (np.array([[1.0, 2.0, 3.0]]),),
                [[0.09003057317038046, 0.24472847105479764, 0.6652409557748218]],
                call="softmax([[1, 2, 3]])", names=["Z"])
        Z = np.array([[1.0, 2.0, 3.0], [0.5, -1.0, 0.0]])
        _expect(report, "two instances: each row is one instance's distribution (axis 1)",
                softmax, (Z,),
                [[0.09003057317038046, 0.24472847105479764, 0.6652409557748218],
                 [0.5465493872661796, 0.12195165230972885, 0.3314989604240915]],
                call="softmax([[1, 2, 3], [0.5, -1, 0]])", names=["Z"],
                hint="; normalize each row: sum over axis=1 with keepdims=True")
        scores = np.log(np.array([[1.0, 2.0, 3.0, 4.0]]))
        _expect(report, "softmax(log p) gives back p when p sums to 1 (here 0.1 .. 0.4)",
                softmax, (scores,), [[0.1, 0.2, 0.3, 0.4]],
                call="softmax(log([[1, 2, 3, 4]]))", names=["Z"])
        extreme = np.array([[1000.0, 1000.0, -1000.0], [-1000.0, 0.0, 1000.0]])
        _expect(report, "no overflow at +-1000 (subtract each row's maximum first)", softmax,
                (extreme,), [[0.5, 0.5, 0.0], [0.0, 0.0, 1.0]],
                call="softmax([[1000, 1000, -1000], [-1000, 0, 1000]])", names=["Z"],
                hint="; subtract each row's maximum before exp: the result does not change")
    report.finish()


def _identity(z):
    return z


def check_dense(dense) -> None:
    """dense(X, W, b, activation) = activation(X @ W + b), shape (n, n_out)."""
    report = CheckReport("dense")
    if _callable(report, dense, "dense"):
        X = np.array([[1.0, 2.0], [0.0, -1.0], [3.0, 0.5]])
        W = np.array([[0.5, -1.0, 2.0], [1.0, 0.25, -0.5]])  # (n_inputs, n_neurons) = (2, 3)
        b = np.array([0.1, 0.0, -1.0])
        names = ["X", "W", "b", "activation"]
        _expect(report, "weighted sums: 3 instances, 2 inputs, 3 neurons (identity)", dense,
                (X, W, b, _identity),
                [[2.6, -0.5, 0.0], [-0.9, -0.25, -0.5], [2.1, -2.875, 4.75]],
                call="dense(X (3, 2), W (2, 3), b (3,), activation=identity)", names=names)
        _expect(report, "the activation is applied after adding the bias (np.tanh)", dense,
                (X, W, b, np.tanh),
                [[0.9890274022010992, -0.46211715726000974, 0.0],
                 [-0.7162978701990245, -0.24491866240370913, -0.46211715726000974],
                 [0.970451936613454, -0.9936546343150297, 0.9998503075449787]],
                call="dense(X (3, 2), W (2, 3), b (3,), activation=np.tanh)", names=names)
        _expect(report, "a single instance, X of shape (1, 2), gives shape (1, 3)", dense,
                (X[:1], W, b, _identity), [[2.6, -0.5, 0.0]],
                call="dense(X (1, 2), W (2, 3), b (3,), activation=identity)", names=names)
    report.finish()


def _forward_problem(value, call, expected_output, expected_cache) -> str | None:
    if not isinstance(value, tuple) or len(value) != 2:
        return f"{call} should return a tuple (output, cache), got {describe(value)}"
    output, cache = value
    problem = compare(output, expected_output, what=f"the output of {call}")
    if problem is not None:
        return problem
    if not isinstance(cache, list) or len(cache) != len(expected_cache):
        return (f"the cache of {call} should be a list with one dict per layer "
                f"({len(expected_cache)}), got {describe(cache)}")
    for i, (entry, (A_prev, Z)) in enumerate(zip(cache, expected_cache)):
        if not isinstance(entry, dict) or not {"A_prev", "Z"} <= set(entry):
            return f"cache[{i}] should be a dict with keys 'A_prev' and 'Z', got {describe(entry)}"
        problem = (compare(entry["A_prev"], A_prev, what=f"cache[{i}]['A_prev'] (the layer's "
                                                         f"input)")
                   or compare(entry["Z"], Z, what=f"cache[{i}]['Z'] (X @ W + b, before the "
                                                  f"activation)"))
        if problem is not None:
            return problem
    return None


def check_mlp_forward(mlp_forward) -> None:
    """(output, cache) of two small networks; uses your activations through ACTIVATIONS."""
    report = CheckReport("mlp_forward")
    if _callable(report, mlp_forward, "mlp_forward"):
        cases = [
            ("2 layers, relu then linear: output and cache", [HIDDEN, LINEAR_OUT], Z2_LINEAR,
             [(X_NET.tolist(), Z1), (A1, Z2_LINEAR)]),
            ("2 layers, relu then sigmoid: the output layer's activation is applied once",
             [HIDDEN, SIGMOID_OUT], SIGMOID_OUTPUT, [(X_NET.tolist(), Z1), (A1, Z2_SIGMOID)]),
            ("1 linear layer: output X @ W + b, a cache of one entry", [SINGLE_LINEAR],
             Z_SINGLE, [(X_NET.tolist(), Z_SINGLE)]),
        ]
        for description, params, output, cache in cases:
            call = f"mlp_forward(X (4, 2), params of {len(params)} layer(s))"
            value, problem = _call(report, mlp_forward, (X_NET, params), ["X", "params"], call)
            if problem is None:
                problem = _forward_problem(value, call, output, cache)
            if problem is not None and "raised" not in problem:
                problem += " (the network uses your activations through ACTIVATIONS)"
            report.check(description, problem)
    report.finish()


def check_collapse_linear(collapse_linear) -> None:
    """(W, b) of the one layer equal to two linear layers: known values and a check on data."""
    report = CheckReport("collapse_linear")
    if _callable(report, collapse_linear, "collapse_linear"):
        W1 = np.array([[1.0, 0.0, -1.0], [2.0, 1.0, 0.5]])  # (2, 3)
        b1 = np.array([0.5, -1.0, 0.0])
        W2 = np.array([[1.0, -1.0], [0.5, 2.0], [-2.0, 0.0]])  # (3, 2)
        b2 = np.array([0.0, 1.0])
        call = "collapse_linear(W1 (2, 3), b1 (3,), W2 (3, 2), b2 (2,))"
        value, problem = _call(report, collapse_linear, (W1, b1, W2, b2),
                               ["W1", "b1", "W2", "b2"], call)
        if problem is None and (not isinstance(value, (tuple, list)) or len(value) != 2):
            problem = f"{call} should return a pair (W, b), got {describe(value)}"
        report.check("returns a pair (W, b)", problem)
        if problem is None:
            W, b = value
            report.check("W and b of a small example, worked out by hand",
                         compare(W, [[3.0, -1.0], [1.5, 0.0]], what=f"W returned by {call}")
                         or compare(b, [0.0, -1.5], what=f"b returned by {call}"))
            X = np.array([[1.0, 1.0], [-2.0, 0.5], [0.0, 3.0]])
            try:
                one = X @ np.asarray(W, dtype=float) + np.asarray(b, dtype=float)
                problem = compare(one, (X @ W1 + b1) @ W2 + b2,
                                  what="X @ W + b against (X @ W1 + b1) @ W2 + b2 on 3 points")
            except (TypeError, ValueError) as exc:
                problem = f"X @ W + b fails with the returned W and b: {exc}"
            report.check("one layer (W, b) gives the same outputs as the two layers", problem)
    report.finish()


def _xor_structure_problem(params) -> str | None:
    if not isinstance(params, (list, tuple)) or len(params) != 2:
        return f"XOR_PARAMS should be a list of 2 layers (dicts), got {describe(params)}"
    for i, (layer, w_shape, b_shape) in enumerate(zip(params, ((2, 2), (2, 1)), ((2,), (1,)))):
        if not isinstance(layer, dict) or not {"W", "b", "activation"} <= set(layer):
            return (f"XOR_PARAMS[{i}] should be a dict with keys 'W', 'b' and 'activation', "
                    f"got {describe(layer)}")
        for key, shape in (("W", w_shape), ("b", b_shape)):
            try:
                array = np.asarray(layer[key], dtype=float)
            except (TypeError, ValueError):
                return f"XOR_PARAMS[{i}][{key!r}] should be an array of numbers"
            if array.shape != shape:
                return (f"XOR_PARAMS[{i}][{key!r}] should have shape {shape} (a 2-2-1 "
                        f"network), got shape {array.shape}")
        if layer["activation"] not in ACTIVATION_NAMES:
            return (f"XOR_PARAMS[{i}]['activation'] should be one of "
                    f"{', '.join(ACTIVATION_NAMES)}, got {layer['activation']!r}")
    return None


def check_xor_params(XOR_PARAMS) -> None:  # noqa: N803
    """XOR_PARAMS is a 2-2-1 network whose output is >= 0.5 exactly for XOR's 1-inputs.

    The outputs are computed with the course's own forward pass (course.network), so this
    check does not depend on your mlp_forward."""
    report = CheckReport("XOR_PARAMS")
    problem = _xor_structure_problem(XOR_PARAMS)
    report.check("a 2-2-1 network in the params structure, valid activation names", problem)
    if problem is None:
        params = [{"W": np.asarray(layer["W"], dtype=float),
                   "b": np.asarray(layer["b"], dtype=float),
                   "activation": layer["activation"]} for layer in XOR_PARAMS]
        with np.errstate(all="ignore"):
            outputs = network.network_output(params, XOR_INPUTS)[:, 0]
        for (x1, x2), label, output in zip(XOR_INPUTS, XOR_LABELS, outputs):
            predicted = int(output >= 0.5)
            report.check(f"XOR({x1:g}, {x2:g}) = {label}",
                         None if predicted == label else
                         f"the network outputs {output:.4g} for ({x1:g}, {x2:g}), which predicts "
                         f"{predicted} (output >= 0.5 means 1)")
    report.finish()


def check_xor_params_in(namespace) -> None:
    """The public checks of exercise 11, reading XOR_PARAMS from the notebook's namespace
    (``globals()``), so that a network not written yet is named plainly instead of stopping
    the cell with a NameError."""
    if "XOR_PARAMS" in namespace:
        check_xor_params(namespace["XOR_PARAMS"])
        return
    report = CheckReport("XOR_PARAMS")
    report.check("a 2-2-1 network in the params structure, valid activation names",
                 "XOR_PARAMS is not defined yet: write it in the exercise cell above (in place "
                 "of `raise NotImplementedError()`) and run that cell")
    report.finish()
