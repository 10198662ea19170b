"""Hidden checks for notebook 06, regularization.

Inputs are fresh (not the public checks'), seeded by question name. Networks have 1 to 4 layers
with awkward sizes (single units, single inputs), large biases (a penalty that includes them is
far off), exact zero weights (sign(0) = 0 for L1) and several strengths lam (0, an int, small and
large floats). Penalties must be floats equal to the reference's; gradients must have the params
structure (one {"W", "b"} per layer, same shapes), equal the reference's and match centred
differences of the penalty (float64, h = 1e-5, relative error <= 1e-7; away from 0 for L1).
Dropout is checked against the reference's draw under the same seed, by its statistics (fraction
dropped, mean preserved, kept values exactly A / (1 - rate)), at inference, at rate 0 and for bad
rates. EarlyStopping runs on scripted validation losses while the caller changes its params in
three ways (new objects, entries replaced, arrays modified in place), and must stop at the same
epoch as the reference and hand back a deep copy of the best epoch's params.
"""

from __future__ import annotations

import numpy as np

from autograder.hidden.scoring import Question, rng_for
from autograder.reference import regularization as ref
from course.harness import call_safely, compare
from course.validation import describe

# Bound at import time (the grading kernel imports this module before any student cell), so
# that rebinding numpy functions in a submission cannot change how answers are checked.
_norm = np.linalg.norm
_ndarray = np.ndarray
_array_equal = np.array_equal
_isclose = np.isclose

GRADIENT_H = 1e-5  # centred-difference step
GRADIENT_TOLERANCE = 1e-7  # relative error allowed against the numerical gradient
ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear")


# ---- networks ----------------------------------------------------------------------------------

def random_params(rng, sizes, *, zeros: bool = False, away_from_zero: float = 0.0) -> list:
    """A params list for layer sizes (n_inputs, ..., n_outputs), float64.

    Biases are large (|b| around 3) so that penalising them changes the result a lot. ``zeros``
    sets about a quarter of the weights to exactly 0; ``away_from_zero`` pushes every weight to
    at least that magnitude (for centred differences of |w|).
    """
    params = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        W = rng.normal(size=(n_in, n_out))
        if zeros:
            W[rng.random(W.shape) < 0.25] = 0.0
        if away_from_zero:
            W = np.where(W >= 0, 1.0, -1.0) * np.maximum(np.abs(W), away_from_zero)
        last = i == len(sizes) - 2
        params.append({"W": W, "b": rng.normal(3.0, 1.0, size=n_out) * rng.choice([-1, 1]),
                       "activation": "softmax" if last else str(rng.choice(ACTIVATIONS))})
    return params


def _describe_net(params) -> str:
    sizes = [params[0]["W"].shape[0]] + [layer["W"].shape[1] for layer in params]
    depth = len(params)
    return f"{depth} layer{'s' if depth > 1 else ''}, sizes {tuple(sizes)}"


def penalty_cases(name: str) -> list:
    """(label, params, lam) cases: depths 1 to 4, single units, exact zeros, several lam."""
    rng = rng_for(name)
    cases = []
    for sizes, lam in [((3, 4), 0.1), ((5, 7, 2), 0.01), ((1, 1), 2.5), ((4, 1, 3, 2), 0.3),
                       ((2, 6, 5, 4, 3), 1e-3), ((6, 3, 1), 1), ((3, 2, 2), 0.0)]:
        params = random_params(rng, sizes, zeros=True)
        cases.append((f"{_describe_net(params)}, lam = {lam!r}", params, lam))
    return cases


def bias_only_case(name: str):
    """All weights 0, large biases: the penalty (and its gradient) must be exactly 0."""
    params = random_params(rng_for(name + " biases"), (3, 4, 2))
    for layer in params:
        layer["W"] = np.zeros_like(layer["W"])
    return "all weights 0 and large biases (biases are not penalised)", params, 0.5


# ---- penalties -----------------------------------------------------------------------------------

def _penalty_hint(value, params, lam, kind: str) -> str:
    """Name the usual mistake when the returned penalty equals a wrong formula."""
    try:
        got = float(value)
    except (TypeError, ValueError):
        return ""
    W = [np.asarray(layer["W"], dtype=float) for layer in params]
    b = [np.asarray(layer["b"], dtype=float) for layer in params]
    term = np.square if kind == "l2" else np.abs
    weights = sum(float(np.sum(term(w))) for w in W)
    biases = sum(float(np.sum(term(v))) for v in b)
    wrong = {
        "half of lam * sum(W ** 2): this course uses Keras's convention, no factor 1/2":
            0.5 * lam * weights if kind == "l2" else None,
        "the biases are penalised too; only the weights W are": lam * (weights + biases),
        "sum(W) without the absolute value": lam * sum(float(np.sum(w)) for w in W)
        if kind == "l1" else None,
        "lam * sum(|W|) (that is the L1 penalty)": lam * sum(float(np.sum(np.abs(w))) for w in W)
        if kind == "l2" else None,
        "lam * sum(W ** 2) (that is the L2 penalty)": lam * sum(float(np.sum(w ** 2)) for w in W)
        if kind == "l1" else None,
    }
    for why, expected in wrong.items():
        if expected is not None and lam != 0 and bool(_isclose(got, expected, rtol=1e-9)):
            return f" (it looks like {why})"
    return ""


def _grade_penalty(func, name: str, reference, kind: str, points: float) -> float:
    question = Question(name, points)
    if not question.require_callable(func):
        return question.score()
    formula = "lam * sum(W ** 2)" if kind == "l2" else "lam * sum(|W|)"
    for label, params, lam in [*penalty_cases(name), bias_only_case(name)]:
        call = f"{name}(params with {_describe_net(params)}, lam={lam!r})"
        if question.stopped is not None:
            question.record(label, f"skipped: {question.stopped}")
            continue
        result, failure = question.call(func, (params, lam), names=["params", "lam"], call=call)
        if failure is None:
            value = result.value
            if not isinstance(value, (float, np.floating)):
                failure = (f"{call} should return a float (e.g. float(...)), "
                           f"got {describe(value)}")
            else:
                failure = compare(value, reference(params, lam), what=call)
                if failure is not None:
                    failure += _penalty_hint(value, params, lam, kind)
                    failure += f"; expected {formula} over all layers, biases excluded"
        question.record(label, failure)
    return question.score()


def grade_l2_penalty(l2_penalty, points: float = 2) -> float:
    """lam * sum of squared weights over all layers, biases excluded, as a float."""
    return _grade_penalty(l2_penalty, "l2_penalty", ref.l2_penalty, "l2", points)


def grade_l1_penalty(l1_penalty, points: float = 2) -> float:
    """lam * sum of absolute weights over all layers, biases excluded, as a float."""
    return _grade_penalty(l1_penalty, "l1_penalty", ref.l1_penalty, "l1", points)


# ---- gradients -----------------------------------------------------------------------------------

def _structure_problem(value, params, call: str) -> str | None:
    """The params structure: a list with one dict per layer holding arrays "W" and "b"."""
    if not isinstance(value, (list, tuple)) or len(value) != len(params):
        return (f"{call} should return a list with one dict per layer ({len(params)}), "
                f"got {describe(value)}")
    for i, (grad, layer) in enumerate(zip(value, params)):
        if not isinstance(grad, dict) or "W" not in grad or "b" not in grad:
            return (f"{call}[{i}] should be a dict with keys 'W' and 'b', "
                    f"got {describe(grad)}" + (f" with keys {sorted(map(str, grad))}"
                                               if isinstance(grad, dict) else ""))
        for key in ("W", "b"):
            got = grad[key]
            if type(got) is not _ndarray or got.shape != np.shape(layer[key]):
                return (f"{call}[{i}]['{key}'] should be an np.ndarray of the same shape as "
                        f"params[{i}]['{key}'], {np.shape(layer[key])}, got {describe(got)}")
    return None


def relative_error(a, b) -> float:
    """|a - b| / max(|a|, |b|) with Euclidean norms, the denominator floored at 1e-8."""
    a = np.asarray(a, dtype=np.float64).ravel()
    b = np.asarray(b, dtype=np.float64).ravel()
    return float(_norm(a - b) / max(_norm(a), _norm(b), 1e-8))


def numerical_gradient(penalty, params, lam, h: float = GRADIENT_H) -> list:
    """Centred differences of ``penalty(params, lam)`` for every entry of every W and b."""
    work = [{"W": np.array(layer["W"], dtype=np.float64), "b": np.array(layer["b"], dtype=float),
             "activation": layer["activation"]} for layer in params]
    grads = []
    for layer in work:
        grad = {}
        for key in ("W", "b"):
            array = layer[key]
            g = np.empty_like(array)
            for index in np.ndindex(array.shape):
                old = array[index]
                array[index] = old + h
                up = penalty(work, lam)
                array[index] = old - h
                down = penalty(work, lam)
                array[index] = old
                g[index] = (up - down) / (2 * h)
            grad[key] = g
        grads.append(grad)
    return grads


def _numerical_problem(grads, params, lam, penalty, formula: str) -> str | None:
    numerical = numerical_gradient(penalty, params, lam)
    got = np.concatenate([np.ravel(g[k]) for g in grads for k in ("W", "b")])
    want = np.concatenate([np.ravel(g[k]) for g in numerical for k in ("W", "b")])
    error = relative_error(got, want)
    if not error <= GRADIENT_TOLERANCE:
        return (f"relative error {error:.2e} between the returned gradients (all W and b) and "
                f"centred differences of {formula} (h = {GRADIENT_H:g}); it should be at most "
                f"{GRADIENT_TOLERANCE:g}")
    return None


def _grade_gradient(func, name: str, reference, penalty, kind: str, points: float) -> float:
    question = Question(name, points)
    if not question.require_callable(func):
        return question.score()
    expected_formula = ("{'W': 2 * lam * W, 'b': zeros like b}" if kind == "l2"
                        else "{'W': lam * sign(W) (0 where W == 0), 'b': zeros like b}")
    penalty_formula = "lam * sum(W ** 2)" if kind == "l2" else "lam * sum(|W|)"
    cases = [*penalty_cases(name), bias_only_case(name)]
    rng = rng_for(name + " numerical")
    for sizes, lam in [((3, 5, 2), 0.7), ((2, 3, 4, 3, 2), 0.05)]:
        params = random_params(rng, sizes, away_from_zero=0.05 if kind == "l1" else 0.0)
        cases.append((f"{_describe_net(params)}, lam = {lam!r}: matches centred differences",
                      params, lam))
    for label, params, lam in cases:
        call = f"{name}(params with {_describe_net(params)}, lam={lam!r})"
        if question.stopped is not None:
            question.record(label, f"skipped: {question.stopped}")
            continue
        result, failure = question.call(func, (params, lam), names=["params", "lam"], call=call)
        if failure is None:
            failure = _structure_problem(result.value, params, call)
        if failure is None:
            if "centred differences" in label:
                failure = _numerical_problem(result.value, params, lam, penalty, penalty_formula)
            else:
                for i, (got, want) in enumerate(zip(result.value, reference(params, lam))):
                    for key in ("W", "b"):
                        failure = compare(got[key], want[key], what=f"{call}[{i}]['{key}']",
                                          context=(f"params[{i}]['{key}']", params[i][key]))
                        if failure is not None:
                            failure += f"; each layer's gradient is {expected_formula}"
                            break
                    if failure is not None:
                        break
        question.record(label, failure)
    return question.score()


def grade_l2_gradient(l2_gradient, points: float = 2) -> float:
    """One {"W": 2 lam W, "b": zeros like b} per layer."""
    return _grade_gradient(l2_gradient, "l2_gradient", ref.l2_gradient, ref.l2_penalty, "l2",
                           points)


def grade_l1_gradient(l1_gradient, points: float = 2) -> float:
    """One {"W": lam sign(W), "b": zeros like b} per layer."""
    return _grade_gradient(l1_gradient, "l1_gradient", ref.l1_gradient, ref.l1_penalty, "l1",
                           points)


# ---- dropout -------------------------------------------------------------------------------------

DRAW_HINT = ("; in training, keep a unit where rng.random(A.shape) >= rate (one call, on the rng "
             "given) and divide the kept ones by 1 - rate")


def dropout_draw_cases() -> list:
    """(label, A, rate, seed) cases compared with the reference's draw under the same seed."""
    rng = rng_for("dropout")
    cases = []
    for shape, rate in [((6, 9), 0.5), ((13,), 0.2), ((2, 3, 4), 0.75), ((1, 1), 0.3),
                        ((40, 25), 0.1), ((7, 1), 0.6), ((3, 16), 0.95)]:
        cases.append((f"A of shape {shape}, rate = {rate}", rng.normal(size=shape), rate,
                      int(rng.integers(1, 1_000_000))))
    A = rng.integers(-4, 5, size=(5, 6)).astype(float)
    A[0, :] = 0.0  # units already at 0 stay 0 whether kept or not
    cases.append(("A with exact zeros (like ReLU outputs), rate = 0.4", A, 0.4,
                  int(rng.integers(1, 1_000_000))))
    return cases


def _dropout_call(question: Question, dropout, A, rate, seed, training: bool):
    """Call dropout with a fresh generator seeded by ``seed``; return (result, failure, call)."""
    call = f"dropout(A {np.shape(A)}, rate={rate!r}, rng, training={training})"
    result, failure = question.call(dropout, (A, rate, np.random.default_rng(seed), training),
                                    names=["A", "rate", "rng", "training"], call=call)
    return result, failure, call


def _statistics_problem(A, out, rate, call: str) -> str | None:
    """Fraction dropped close to rate, mean kept, kept units exactly A / (1 - rate)."""
    if type(out) is not _ndarray or out.shape != A.shape or out.dtype.kind not in "iuf":
        return (f"{call} should return an np.ndarray of numbers of shape {A.shape}, "
                f"got {describe(out)}")
    out = out.astype(np.float64)
    dropped = out == 0
    fraction = float(np.mean(dropped))
    if abs(fraction - rate) > 0.01:
        return (f"{call} dropped {fraction:.3f} of the units; about rate = {rate} expected "
                "(rate is the probability of dropping a unit)")
    kept = ~dropped
    close = _isclose(out[kept], A[kept] / (1.0 - rate), rtol=1e-9, atol=0.0)
    if not close.all():
        index = int(np.argmax(~close))
        return (f"{call}: a kept unit should be a / (1 - rate) = {A[kept][index] / (1 - rate):.6g}"
                f" for a = {A[kept][index]:.6g}, got {out[kept][index]:.6g} (inverted dropout "
                "rescales the units it keeps)")
    ratio = float(out.mean() / A.mean())
    if abs(ratio - 1.0) > 0.02:
        return (f"{call}: the mean activation changed by a factor {ratio:.3f}; inverted dropout "
                "keeps it (1 expected)")
    return None


def grade_dropout(dropout, points: float = 3) -> float:
    """Inverted dropout: reference draw under a seed, statistics, inference, rate 0, bad rates."""
    question = Question("dropout", points)
    if not question.require_callable(dropout):
        return question.score()

    def skip(label) -> bool:
        if question.stopped is not None:
            question.record(label, f"skipped: {question.stopped}")
            return True
        return False

    # 1. the same draw as the reference, under the same seed
    for label, A, rate, seed in dropout_draw_cases():
        if skip(label):
            continue
        result, failure, call = _dropout_call(question, dropout, A, rate, seed, True)
        if failure is None:
            expected = ref.dropout(A, rate, np.random.default_rng(seed), True)
            failure = compare(result.value, expected, what=call, context=("A", A))
            if failure is not None:
                failure += DRAW_HINT
        question.record(f"same as the reference under the same seed: {label}", failure)

    # 2. determinism: the same seed gives the same output, another seed another mask
    rng = rng_for("dropout statistics")
    A = rng.uniform(0.5, 2.0, size=(30, 40))
    label = "same seed, same output; another seed, another mask"
    if not skip(label):
        outputs = []
        for seed in (11, 11, 12):
            result, failure, call = _dropout_call(question, dropout, A, 0.5, seed, True)
            if failure is not None:
                break
            outputs.append(np.asarray(result.value, dtype=float)
                           if isinstance(result.value, _ndarray) else result.value)
        if failure is None:
            if not all(isinstance(o, _ndarray) and o.shape == A.shape for o in outputs):
                failure = f"{call} should return an np.ndarray of shape {A.shape}"
            elif not _array_equal(outputs[0], outputs[1]):
                failure = ("two calls with generators seeded alike gave different outputs: use "
                           "only the rng given (no np.random.* functions, no new generator)")
            elif _array_equal(outputs[0], outputs[2]):
                failure = ("generators seeded differently gave the same mask: draw the mask "
                           "from the rng given")
        question.record(label, failure)

    # 3. statistics on a large positive A (every zero in the output is a dropped unit)
    A = rng.uniform(0.2, 3.0, size=(400, 250))
    for rate in (0.2, 0.5, 0.7):
        label = f"statistics on A (400, 250), rate = {rate}"
        if skip(label):
            continue
        result, failure, call = _dropout_call(question, dropout, A, rate, 100 + int(rate * 10),
                                              True)
        if failure is None:
            failure = _statistics_problem(A, result.value, rate, call)
        question.record(label, failure)

    # 4. inference is the identity; rate 0 is the identity in training too
    for label, A, rate, training in [
            ("inference (training=False), rate = 0.5", rng.normal(size=(4, 7)), 0.5, False),
            ("inference (training=False), rate = 0.9, 3-D A", rng.normal(size=(2, 3, 5)), 0.9,
             False),
            ("inference (training=False), integer A", rng.integers(-5, 6, size=(3, 4)), 0.3,
             False),
            ("rate = 0 in training: nothing dropped", rng.normal(size=(6, 5)), 0.0, True)]:
        if skip(label):
            continue
        result, failure, call = _dropout_call(question, dropout, A, rate, 7, training)
        if failure is None:
            failure = compare(result.value, A.astype(float), what=call, context=("A", A))
            if failure is not None:
                failure += ("; dropout is the identity at inference (inverted dropout rescales "
                            "during training only) and when rate = 0")
        question.record(label, failure)

    # 5. bad rates
    for rate, training in [(1.0, True), (-0.1, True), (1.5, False)]:
        label = f"rate = {rate} (training={training}) raises ValueError"
        if skip(label):
            continue
        if not question.works():
            question.record(label, question.NOT_WORKING)
            continue
        call = f"dropout(A, rate={rate}, rng, training={training})"
        result = call_safely(dropout, rng.normal(size=(3, 4)), rate, np.random.default_rng(0),
                             training, arg_names=["A", "rate", "rng", "training"])
        if result.timed_out:
            question.stopped = "an earlier call did not return in time"
            failure = result.problem(call)
        elif isinstance(result.error, ValueError):
            failure = None
        elif result.error is not None:
            failure = (f"{call} raised {type(result.error).__name__}: {result.error}; "
                       "a ValueError is expected")
        else:
            failure = f"{call} returned {describe(result.value)}; rate must be in [0, 1) " \
                      "(a ValueError is expected)"
        question.record(label, failure)
    return question.score()


# ---- EarlyStopping -------------------------------------------------------------------------------

MODES = {
    "fresh": "a new params list every epoch",
    "replace": "the caller replaces params[i]['W'] and ['b'] by new arrays each epoch "
               "(as notebook 06's train_epoch does)",
    "in place": "the caller changes the arrays in place each epoch (W -= ...)",
}


def early_stopping_cases() -> list:
    """(label, patience, min_delta or None, losses, mode) scripted scenarios."""
    rng = rng_for("EarlyStopping")
    noisy = [round(float(v), 4) for v in 1.0 / np.arange(1, 41) + rng.normal(0, 0.03, size=40)]
    valley = [round(float(v), 4) for v in 0.4 + 0.002 * (np.arange(30) - 9) ** 2]
    return [
        ("patience 3, a valley", 3, None, valley, "in place"),
        ("patience 3, a valley", 3, None, valley, "fresh"),
        ("patience 0: stop at the first epoch without improvement", 0, None,
         [0.9, 0.7, 0.6, 0.65, 0.5, 0.4], "replace"),
        ("patience 1", 1, None, [1.2, 1.0, 1.1, 0.9, 0.95, 0.97, 0.8], "in place"),
        ("patience 1", 1, None, [1.2, 1.0, 1.1, 0.9, 0.95, 0.97, 0.8], "fresh"),
        ("a plateau equal to the best is no improvement, patience 3", 3, None,
         [0.8, 0.5, 0.5, 0.5, 0.5, 0.4, 0.3], "replace"),
        ("the wait restarts after an improvement, patience 3", 3, None,
         [1.0, 0.9, 0.95, 0.93, 0.85, 0.9, 0.88, 0.87, 0.86, 0.7], "in place"),
        ("the wait restarts after an improvement, patience 3", 3, None,
         [1.0, 0.9, 0.95, 0.93, 0.85, 0.9, 0.88, 0.87, 0.86, 0.7], "fresh"),
        ("min_delta = 0.05: smaller gains are no improvement, patience 2", 2, 0.05,
         [1.0, 0.97, 0.9, 0.88, 0.86, 0.84, 0.6], "fresh"),
        ("min_delta = 0.01, patience 4, noisy losses", 4, 0.01, noisy, "replace"),
        ("patience 5, noisy decreasing losses", 5, None, noisy, "in place"),
        ("never stops while the loss keeps falling, patience 2", 2, None,
         [round(1.0 / k, 4) for k in range(1, 13)], "replace"),
    ]


def _snapshot(params) -> list:
    return [{"W": layer["W"].copy(), "b": layer["b"].copy(), "activation": layer["activation"]}
            for layer in params]


def _same_params(got, want, what: str) -> str | None:
    """``got`` must be params equal to ``want`` (arrays exactly equal, activations kept)."""
    if not isinstance(got, (list, tuple)) or len(got) != len(want):
        return f"{what} should be a list of {len(want)} layer dicts, got {describe(got)}"
    for i, (layer, expected) in enumerate(zip(got, want)):
        if not isinstance(layer, dict):
            return f"{what}[{i}] should be a dict, got {describe(layer)}"
        if set(layer) != set(expected):
            return (f"{what}[{i}] should have the keys of params[{i}], "
                    f"{sorted(expected)}, got {sorted(map(str, layer))}")
        for key in ("W", "b"):
            value = layer[key]
            if type(value) is not _ndarray or not _array_equal(value, expected[key]):
                return (f"{what}[{i}]['{key}'] is not params[{i}]['{key}'] as it was given at "
                        "the best epoch")
        if not layer["activation"] == expected["activation"]:
            return f"{what}[{i}]['activation'] should be {expected['activation']!r}"
    return None


def _run_scenario(EarlyStopping, patience, min_delta, losses, mode, seed):
    """Drive an EarlyStopping through ``losses``; return what happened (or a failure)."""
    rng = np.random.default_rng(seed)
    sizes = [int(s) for s in rng.integers(1, 5, size=int(rng.integers(2, 4)))]
    params = random_params(rng, sizes)
    stopper = (EarlyStopping(patience) if min_delta is None
               else EarlyStopping(patience, min_delta=min_delta))
    snapshots, stop_epoch = [], None
    for epoch, loss in enumerate(losses):
        if mode == "fresh":
            params = [{**layer, "W": layer["W"] + rng.normal(0, 0.1, size=layer["W"].shape),
                       "b": layer["b"] + 0.01} for layer in params]
        elif mode == "replace":
            for layer in params:
                layer["W"] = layer["W"] - rng.normal(0, 0.1, size=layer["W"].shape)
                layer["b"] = layer["b"] - 0.01
        else:
            for layer in params:
                layer["W"] -= rng.normal(0, 0.1, size=layer["W"].shape)
                layer["b"] -= 0.01
        snapshots.append(_snapshot(params))
        answer = stopper.update(loss, params)
        if _same_params(params, snapshots[-1], "params") is not None:
            return {"failure": f"update(loss, params) changed params at epoch {epoch}; it must "
                               "not (copy them instead)"}
        if not isinstance(answer, (bool, np.bool_)):
            return {"failure": f"update(loss, params) should return True or False, got "
                               f"{describe(answer)} at epoch {epoch}"}
        if answer:
            stop_epoch = epoch
            break
    return {"stopper": stopper, "stop_epoch": stop_epoch, "snapshots": snapshots,
            "failure": None}


def _scenario_problem(got, expected, losses, patience, call) -> str | None:
    stopper = got["stopper"]
    if got["stop_epoch"] != expected["stop_epoch"]:
        def when(epoch):
            return "never" if epoch is None else f"at epoch {epoch}"
        why = ""
        if expected["stop_epoch"] is not None:
            why = (f" ({patience} epoch(s) without improvement after the best epoch "
                   f"{expected['stopper'].best_epoch}; improvement means loss < best - "
                   "min_delta, and an equal loss is no improvement)")
        return (f"{call} should return True {when(expected['stop_epoch'])}{why}, it did "
                f"{when(got['stop_epoch'])}; losses (epochs 0, 1, ...): "
                f"{losses[:len(got['snapshots'])]}")
    want = expected["stopper"]
    for attribute in ("best_epoch", "best_loss", "stopped_epoch", "best_params"):
        if not hasattr(stopper, attribute):
            return f"the EarlyStopping object has no attribute {attribute}"
    best_epoch = stopper.best_epoch
    if not (isinstance(best_epoch, (int, np.integer)) and best_epoch == want.best_epoch):
        return (f"best_epoch should be {want.best_epoch} (0-based: the first update is epoch "
                f"0), got {describe(best_epoch)}")
    problem = compare(stopper.best_loss, np.float64(want.best_loss), what="best_loss")
    if problem is not None:
        return problem
    if expected["stop_epoch"] is not None and not (
            isinstance(stopper.stopped_epoch, (int, np.integer))
            and stopper.stopped_epoch == expected["stop_epoch"]):
        return (f"stopped_epoch should be {expected['stop_epoch']} (the epoch at which update "
                f"returned True), got {describe(stopper.stopped_epoch)}")
    problem = _same_params(stopper.best_params, got["snapshots"][want.best_epoch],
                           "best_params")
    if problem is not None:
        return (problem + f" (epoch {want.best_epoch}); keep a deep copy: the caller goes on "
                "changing its params after you saw them")
    return None


def grade_EarlyStopping(EarlyStopping, points: float = 3) -> float:
    """Scripted validation losses: stopping epoch, best epoch and loss, a deep copy of the best
    params, with patience 0, 1, 3, 4, 5, plateaus, min_delta and three ways of updating params."""
    question = Question("EarlyStopping", points)
    if not question.require_callable(EarlyStopping):
        return question.score()
    for k, (label, patience, min_delta, losses, mode) in enumerate(early_stopping_cases()):
        label = f"{label}; {MODES[mode]}"
        if question.stopped is not None:
            question.record(label, f"skipped: {question.stopped}")
            continue
        made = (f"EarlyStopping({patience})" if min_delta is None
                else f"EarlyStopping({patience}, min_delta={min_delta})")
        call = f"{made}.update(loss, params)"
        seed = 1000 + k
        result = call_safely(_run_scenario, EarlyStopping, patience, min_delta, losses, mode,
                             seed, arg_names=["EarlyStopping", "patience", "min_delta",
                                              "losses", "mode", "seed"])
        if result.timed_out:
            question.stopped = "an earlier call did not return in time"
        failure = result.problem(f"{made} and its update(loss, params)")
        if failure is None:
            failure = result.value["failure"]
        if failure is None:
            expected = _run_scenario(ref.EarlyStopping, patience, min_delta, losses, mode, seed)
            try:
                failure = _scenario_problem(result.value, expected, losses, patience, call)
            except Exception as exc:  # e.g. an attribute that is a property which raises
                failure = (f"reading the EarlyStopping object's attributes raised "
                           f"{type(exc).__name__}: {exc}")
        question.record(label, failure)
    return question.score()
