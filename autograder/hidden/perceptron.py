"""Hidden checks for notebook 03, the perceptron.

Inputs are fresh (not the public checks'), seeded by question name, and cover awkward shapes: a
single instance, a single neuron, many neurons, integer inputs, exact zero margins. The layer is
always given the reference step explicitly, so a wrong ``heaviside`` costs no points here.
Training is checked by behaviour: with an identically seeded generator, the result equals the
reference's; separable data end with an epoch without mistakes; XOR never does.
"""

from __future__ import annotations

import inspect

import numpy as np

from autograder.hidden.scoring import Question, rng_for
from autograder.reference import perceptron as ref
from course.data import make_blobs_2d
from course.harness import call_safely, compare
from course.validation import describe

FIT_TIME_LIMIT = 6.0  # seconds per call of fit_perceptron (data sets are small)


def _identity(z):
    return z


def _shifted_tanh(z):
    return np.tanh(z) + 0.5


def _sign(z):
    z = np.asarray(z)
    return np.where(z > 0, 1.0, np.where(z < 0, -1.0, 0.0))


# --- perceptron_layer -------------------------------------------------------------------------

def layer_cases() -> list:
    """(label, X, W, b, step) cases: several shapes, integer X, steps including the identity."""
    rng = rng_for("perceptron_layer")
    cases = []
    for n, n_inputs, n_neurons, step in [(6, 2, 3, ref.heaviside), (1, 4, 3, _identity),
                                         (7, 3, 1, _identity), (5, 2, 9, _identity),
                                         (8, 5, 4, _shifted_tanh), (4, 3, 3, _identity),
                                         (9, 1, 2, _sign)]:
        X = rng.normal(size=(n, n_inputs))
        W = rng.normal(size=(n_inputs, n_neurons))
        b = rng.normal(size=n_neurons)
        cases.append((f"X ({n}, {n_inputs}), W ({n_inputs}, {n_neurons}), "
                      f"step={step.__name__}", X, W, b, step))
    X = rng.integers(-3, 4, size=(5, 2))
    cases.append(("integer X (5, 2), W (2, 2)", X, np.array([[1.0, -0.5], [2.0, 0.25]]),
                  np.array([0.5, -1.0]), _identity))
    # weighted sums exactly zero: the step must see them as computed
    X = np.array([[1.0, 1.0], [2.0, 0.0], [0.0, 0.0]])
    cases.append(("weighted sums exactly 0, heaviside", X, np.array([[1.0, -1.0], [1.0, 1.0]]),
                  np.array([-2.0, 0.0]), ref.heaviside))
    return cases


def _default_step_problem(func) -> str | None:
    try:
        parameter = inspect.signature(func).parameters.get("step")
    except (TypeError, ValueError):
        return "cannot read perceptron_layer's signature"
    if parameter is None:
        return "perceptron_layer should take a parameter named step"
    if getattr(parameter.default, "__name__", None) != "heaviside":
        return f"step should default to heaviside, got {describe(parameter.default)}"
    return None


def grade_perceptron_layer(perceptron_layer, points: float = 3) -> float:
    """perceptron_layer(X, W, b, step) = step(X @ W + b), shape (n_instances, n_neurons)."""
    question = Question("perceptron_layer", points)
    if question.require_callable(perceptron_layer):
        for label, X, W, b, step in layer_cases():
            question.call_case(label, perceptron_layer, (X, W, b, step),
                               names=["X", "W", "b", "step"],
                               expected=ref.perceptron_layer(X, W, b, step),
                               call="perceptron_layer(X, W, b, step)")
        if any(failure is None for _, failure in question.outcomes):
            question.record("step defaults to heaviside", _default_step_problem(perceptron_layer))
        else:  # a stub has the right signature too: no credit for it alone
            question.record("step defaults to heaviside",
                            "not checked: no call of perceptron_layer worked")
    return question.score()


# --- perceptron_update ------------------------------------------------------------------------

def update_cases() -> list:
    """(label, w, b, x, y, lr) cases: right and wrong predictions, both classes, several lr."""
    rng = rng_for("perceptron_update")
    cases = []
    for n_inputs, lr in [(3, 0.1), (5, 1.0), (1, 0.37), (4, 2.5), (2, 0.01)]:
        w = rng.normal(size=n_inputs)
        b = float(rng.normal())
        for x in (rng.normal(size=n_inputs), rng.normal(size=n_inputs)):
            predicted = 1 if x @ w + b >= 0 else 0
            for y, what in ((predicted, "correct"), (1 - predicted, "mistake")):
                cases.append((f"{what}, y = {y}, {n_inputs} input(s), lr = {lr}", w, b, x, y,
                              lr))
    cases.append(("zero margin (w = 0, b = 0), y = 0: heaviside(0) = 1 is a mistake",
                  np.zeros(3), 0.0, rng.normal(size=3), 0, 0.5))
    cases.append(("zero margin (w = 0, b = 0), y = 1: no change", np.zeros(3), 0.0,
                  rng.normal(size=3), 1, 0.5))
    cases.append(("integer x and y as np.int64, mistake", np.array([0.5, -0.5, 0.25]), -1.0,
                  np.array([1, 0, 2]), np.int64(1), 0.3))
    return cases


def _compare_pair(question: Question, label: str, result, failure, expected, call: str,
                  parts=("w", "b"), kinds=("iuf", "iuf")) -> bool:
    """Record one case whose answer is a tuple of arrays, compared part by part."""
    if question.stopped is not None and failure is None:
        return question.record(label, f"skipped: {question.stopped}")
    if failure is None:
        value = result.value
        if not isinstance(value, tuple) or len(value) != len(parts):
            failure = f"{call} should return a tuple ({', '.join(parts)}), got {describe(value)}"
        else:
            for got, want, part, kind in zip(value, expected, parts, kinds):
                failure = compare(got, want, what=f"{part} returned by {call}", kinds=kind)
                if failure is not None:
                    break
    return question.record(label, failure)


def grade_perceptron_update(perceptron_update, points: float = 3) -> float:
    """One Rosenblatt step on one example, returning new (w, b) and leaving the inputs alone."""
    question = Question("perceptron_update", points)
    if question.require_callable(perceptron_update):
        call = "perceptron_update(w, b, x, y, lr)"
        for label, w, b, x, y, lr in update_cases():
            if question.stopped is not None:
                question.record(label, f"skipped: {question.stopped}")
                continue
            result, failure = question.call(perceptron_update, (w, b, x, y, lr),
                                            names=["w", "b", "x", "y", "lr"], call=call)
            _compare_pair(question, label, result, failure,
                          ref.perceptron_update(w, b, x, y, lr), call)
    return question.score()


# --- fit_perceptron ---------------------------------------------------------------------------

def separable_data(seed: int, n_per_class: int = 12) -> tuple[np.ndarray, np.ndarray]:
    """Two linearly separable clouds in the plane (course.data.make_blobs_2d), shuffled."""
    X, y = make_blobs_2d(n_per_class=n_per_class, seed=seed)
    order = np.random.default_rng(seed + 1000).permutation(len(y))
    return X[order], y[order]


def fit_cases() -> list:
    """(label, X, y, lr, n_epochs, seed) cases compared with the reference, same seed."""
    rng = rng_for("fit_perceptron")
    cases = []
    for n, d, lr, n_epochs in [(15, 3, 1.0, 6), (9, 1, 0.25, 4), (20, 5, 0.1, 7), (6, 2, 2.0, 1)]:
        X = rng.normal(size=(n, d))
        y = (X @ rng.normal(size=d) + 0.3 * rng.normal(size=n) > 0).astype(int)
        cases.append((f"random data ({n}, {d}), lr = {lr}, {n_epochs} epochs", X, y, lr,
                      n_epochs, int(rng.integers(1_000_000))))
    X = rng.integers(-2, 3, size=(10, 2))
    y = (X[:, 0] - X[:, 1] >= 0).astype(np.int64)
    cases.append(("integer X (10, 2), lr = 0.5, 5 epochs", X, y, 0.5, 5,
                  int(rng.integers(1_000_000))))
    X, y = separable_data(3)
    cases.append(("separable clouds (24, 2), lr = 0.7, 8 epochs", X, y, 0.7, 8,
                  int(rng.integers(1_000_000))))
    return cases


def _fit_call(question: Question, fit_perceptron, X, y, lr, n_epochs, seed):
    """Call the student's fit with a freshly seeded generator; return (result, failure)."""
    call = f"fit_perceptron(X {X.shape}, y, lr={lr:g}, n_epochs={n_epochs}, rng)"
    result = call_safely(fit_perceptron, X, y, lr, n_epochs, np.random.default_rng(seed),
                         arg_names=["X", "y", "lr", "n_epochs", "rng"],
                         time_limit=FIT_TIME_LIMIT)
    if result.timed_out:
        question.stopped = "an earlier call did not return in time"
    failure = result.problem(call)
    # drawing permutations advances the generator: that is its job, not a modified input
    mutated = [name for name in result.mutated if name != "rng"]
    if failure is None and mutated:
        failure = f"{call} modified its argument {', '.join(mutated)}; it must not"
    if failure is None:
        failure = _result_problem(result.value, n_epochs, call)
    return result, failure, call


def _result_problem(value, n_epochs: int, call: str) -> str | None:
    """Why ``value`` is not a (w, b, mistakes) tuple with mistakes of shape (n_epochs,)."""
    if not isinstance(value, tuple) or len(value) != 3:
        return f"{call} should return a tuple (w, b, mistakes), got {describe(value)}"
    mistakes = value[2]
    if type(mistakes) is not np.ndarray or mistakes.shape != (n_epochs,):
        return (f"mistakes returned by {call} should be an np.ndarray of shape "
                f"(n_epochs,) = ({n_epochs},), got {describe(mistakes)}")
    return None


def _check_generator_state(question: Question, fit_perceptron) -> None:
    """The contract's "one permutation per epoch, all n_epochs run": after a perfect epoch
    nothing changes, so only the generator's final state tells an early ``break`` apart."""
    label = ("every epoch draws its permutation, even after a perfect one: "
             "the generator ends where the reference's does")
    if question.stopped is not None:
        question.record(label, f"skipped: {question.stopped}")
        return
    X, y = separable_data(21, n_per_class=10)
    n_epochs, seed = 30, 2024
    used = {}

    def fit_with_seeded_rng(X, y, lr, n_epochs, seed):
        # the generator is created here, not copied by call_safely, so its state after the
        # call is the one the student's code left (a sandboxed call updates it in place too)
        used["rng"] = np.random.default_rng(seed)
        return fit_perceptron(X, y, lr, n_epochs, used["rng"])

    call = f"fit_perceptron(X {X.shape}, y, lr=1, n_epochs={n_epochs}, rng)"
    result = call_safely(fit_with_seeded_rng, X, y, 1.0, n_epochs, seed,
                         arg_names=["X", "y", "lr", "n_epochs", "seed"],
                         time_limit=FIT_TIME_LIMIT)
    if result.timed_out:
        question.stopped = "an earlier call did not return in time"
    failure = result.problem(call) or _result_problem(result.value, n_epochs, call)
    if failure is None and "rng" in used:
        reference_rng = np.random.default_rng(seed)
        ref.fit_perceptron(X, y, 1.0, n_epochs, reference_rng)
        if used["rng"].bit_generator.state != reference_rng.bit_generator.state:
            failure = (f"after {call} the generator is not where {n_epochs} calls of "
                       f"rng.permutation({len(y)}) leave it: draw one permutation in every "
                       "epoch and run all n_epochs, even after an epoch without mistakes "
                       "(no early break, no other use of rng)")
    question.record(label, failure)


def grade_fit_perceptron(fit_perceptron, points: float = 4) -> float:
    """Same result as the reference with the same seeded rng; separable data get separated;
    XOR never does."""
    question = Question("fit_perceptron", points)
    if not question.require_callable(fit_perceptron):
        return question.score()
    hint = (" (start from zeros, visit examples in the order rng.permutation(n), one new "
            "permutation per epoch, run all n_epochs)")
    for label, X, y, lr, n_epochs, seed in fit_cases():
        if question.stopped is not None:
            question.record(label, f"skipped: {question.stopped}")
            continue
        result, failure, call = _fit_call(question, fit_perceptron, X, y, lr, n_epochs, seed)
        expected = ref.fit_perceptron(X, y, lr, n_epochs, np.random.default_rng(seed))
        before = len(question.outcomes)
        _compare_pair(question, f"same as the reference with the same seed: {label}", result,
                      failure, expected, call, parts=("w", "b", "mistakes"),
                      kinds=("iuf", "iuf", "iu"))
        outcome = question.outcomes[before]
        if outcome[1] is not None and failure is None and "skipped" not in outcome[1]:
            question.outcomes[before] = (outcome[0], outcome[1] + hint)

    # behaviour: separable data end with an epoch without mistakes and are all classified right
    for seed in (5, 11):
        label = f"separable clouds (seed {seed}): last epoch without mistakes, all right"
        if question.stopped is not None:
            question.record(label, f"skipped: {question.stopped}")
            continue
        X, y = separable_data(seed, n_per_class=15)
        result, failure, call = _fit_call(question, fit_perceptron, X, y, 1.0, 25, seed)
        if failure is None:
            w, b, mistakes = result.value
            if mistakes[-1] != 0:
                failure = f"{call}: the last epoch still made {mistakes[-1]} mistakes"
            else:
                try:
                    outputs = ref.heaviside(X @ np.asarray(w, dtype=float).reshape(-1)
                                            + np.asarray(b, dtype=float).reshape(()))
                    wrong = int(np.sum(outputs != y))
                    failure = None if wrong == 0 else (
                        f"{call}: the returned (w, b) misclassify {wrong} training examples")
                except (TypeError, ValueError) as exc:
                    failure = f"{call}: cannot use the returned (w, b): {exc}"
        question.record(label, failure)

    _check_generator_state(question, fit_perceptron)

    label = "XOR: no epoch without mistakes"
    if question.stopped is not None:
        question.record(label, f"skipped: {question.stopped}")
    else:
        X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
        y = np.array([0, 1, 1, 0])
        result, failure, call = _fit_call(question, fit_perceptron, X, y, 0.5, 12, 7)
        if failure is None and not np.all(result.value[2] >= 1):
            failure = f"{call}: mistakes per epoch on XOR should all be >= 1, got {result.value[2]}"
        question.record(label, failure)
    return question.score()
