"""Public checks for notebook 06, regularization.

``params`` is notebook 04's structure: a list with one dict per layer,
``{"W": (n_in, n_out), "b": (n_out,), "activation": name}``. The checks use one small network
whose penalties are easy to work out by hand, a few seeded dropout draws, and scripted
validation losses for early stopping.
"""

from __future__ import annotations

import numpy as np

from course.checks.report import CheckReport
from course.harness import call_safely, compare
from course.validation import describe


def example_params() -> list:
    """Two layers, 2 -> 2 -> 1, with large biases (which must not be penalised).

    sum of W ** 2 = 1 + 4 + 0 + 9 + 1 + 1 = 16 and sum of |W| = 1 + 2 + 0 + 3 + 1 + 1 = 8.
    """
    return [{"W": np.array([[1.0, -2.0], [0.0, 3.0]]), "b": np.array([5.0, -5.0]),
             "activation": "relu"},
            {"W": np.array([[1.0], [-1.0]]), "b": np.array([2.0]), "activation": "sigmoid"}]


def _zero_weights() -> list:
    params = example_params()
    for layer in params:
        layer["W"] = np.zeros_like(layer["W"])
    return params


def _callable(report: CheckReport, func, name: str) -> bool:
    return report.check(f"{name} is a function" if name != "EarlyStopping"
                        else "EarlyStopping is a class",
                        None if callable(func) else f"expected it, got {describe(func)}")


def _call(report: CheckReport, description: str, func, args, *, call: str, names):
    """Call ``func(*args)`` safely; return its CallResult, or None after recording a failure."""
    if report.timed_out:  # one endless loop is enough: do not wait for it again
        report.check(description, "skipped: an earlier call did not return in time")
        return None
    result = call_safely(func, *args, arg_names=names)
    report.timed_out = report.timed_out or result.timed_out
    problem = result.problem(call)
    mutated = [name for name in result.mutated if name != "rng"]  # drawing from rng is its job
    if problem is None and mutated:
        problem = f"{call} modified its input {', '.join(mutated)}; build new arrays instead"
    if problem is not None:
        report.check(description, problem)
        return None
    return result


# ---- penalties -----------------------------------------------------------------------------------

def _check_penalty(func, name: str, kind: str) -> None:
    report = CheckReport(name)
    if _callable(report, func, name):
        names = ["params", "lam"]
        weights = 16.0 if kind == "l2" else 8.0
        formula = "lam * sum(W ** 2)" if kind == "l2" else "lam * sum(|W|)"
        if kind == "l2":
            hints = [(0.1 * (16.0 + 54.0), "the biases are penalised too; only the weights are"),
                     (0.8, "lam/2 * sum(W ** 2): this course uses Keras's convention, no 1/2")]
        else:
            hints = [(0.1 * (8.0 + 12.0), "the biases are penalised too; only the weights are"),
                     (0.2, "sum(W) without the absolute value")]
        call = f"{name}(example_params(), lam=0.1)"
        description = (f"lam = 0.1 on a 2-layer network: {formula} = 0.1 * {weights:g} = "
                       f"{0.1 * weights:g}, a float")
        result = _call(report, description, func, (example_params(), 0.1), call=call,
                       names=names)
        if result is not None:
            value = result.value
            if not isinstance(value, (float, np.floating)):
                problem = f"{call} should return a float (e.g. float(...)), got {describe(value)}"
            else:
                problem = compare(value, 0.1 * weights, what=call)
                hint = next((why for wrong, why in hints if abs(float(value) - wrong) < 1e-9),
                            None)
                if problem is not None:
                    problem += (f" (it looks like {hint})" if hint else
                                f"; expected {formula} over both layers, biases excluded")
            report.check(description, problem)
        for description, params, lam, expected in [
                ("biases are not penalised: all weights 0, biases 5, -5, 2 -> 0.0",
                 _zero_weights(), 0.5, 0.0),
                ("lam = 0 -> 0.0", example_params(), 0.0, 0.0),
                ("one layer, the first of the example, lam = 2",
                 example_params()[:1], 2.0, 2.0 * (14.0 if kind == "l2" else 6.0))]:
            call = f"{name}(params, lam={lam:g})"
            result = _call(report, description, func, (params, lam), call=call, names=names)
            if result is not None:
                report.check(description, compare(result.value, expected, what=call))
    report.finish()


def check_l2_penalty(l2_penalty) -> None:
    """l2_penalty(params, lam) = lam * (sum of W ** 2 over all layers), a float; no biases."""
    _check_penalty(l2_penalty, "l2_penalty", "l2")


def check_l1_penalty(l1_penalty) -> None:
    """l1_penalty(params, lam) = lam * (sum of |W| over all layers), a float; no biases."""
    _check_penalty(l1_penalty, "l1_penalty", "l1")


# ---- gradients -----------------------------------------------------------------------------------

def _structure_problem(value, params, call: str) -> str | None:
    if not isinstance(value, (list, tuple)) or len(value) != len(params):
        return (f"{call} should return a list with one dict per layer ({len(params)}), "
                f"got {describe(value)}")
    for i, (grad, layer) in enumerate(zip(value, params)):
        if not isinstance(grad, dict) or "W" not in grad or "b" not in grad:
            return f"{call}[{i}] should be a dict with keys 'W' and 'b', got {describe(grad)}"
        for key in ("W", "b"):
            if not isinstance(grad[key], np.ndarray) or grad[key].shape != layer[key].shape:
                return (f"{call}[{i}]['{key}'] should be an np.ndarray of the same shape as "
                        f"params[{i}]['{key}'], {layer[key].shape}, got {describe(grad[key])}")
    return None


def _check_gradient(func, name: str, expected_W: list, formula: str) -> None:
    report = CheckReport(name)
    if _callable(report, func, name):
        params = example_params()
        call = f"{name}(example_params(), lam=0.1)"
        description = "structure: one {'W', 'b'} per layer, shapes like params"
        result = _call(report, description, func, (params, 0.1), call=call,
                       names=["params", "lam"])
        if result is not None:
            problem = _structure_problem(result.value, params, call)
            report.check(description, problem)
            if problem is None:
                for i, (grad, want) in enumerate(zip(result.value, expected_W)):
                    report.check(f"layer {i}: W gradient = {formula}",
                                 compare(grad["W"], want, what=f"{call}[{i}]['W']",
                                         context=(f"params[{i}]['W']", params[i]["W"])))
                    report.check(f"layer {i}: b gradient = zeros (biases are not penalised)",
                                 compare(grad["b"], np.zeros_like(params[i]["b"]),
                                         what=f"{call}[{i}]['b']"))
    report.finish()


def check_l2_gradient(l2_gradient) -> None:
    """l2_gradient(params, lam): one {"W": 2 lam W, "b": zeros like b} per layer."""
    params = example_params()
    _check_gradient(l2_gradient, "l2_gradient", [0.2 * layer["W"] for layer in params],
                    "2 * lam * W")


def check_l1_gradient(l1_gradient) -> None:
    """l1_gradient(params, lam): one {"W": lam sign(W) (0 at 0), "b": zeros like b} per layer."""
    expected = [np.array([[0.1, -0.1], [0.0, 0.1]]), np.array([[0.1], [-0.1]])]
    _check_gradient(l1_gradient, "l1_gradient", expected, "lam * sign(W), 0 where W == 0")


# ---- dropout -------------------------------------------------------------------------------------

def check_dropout(dropout) -> None:
    """Inverted dropout: a seeded draw, statistics, identity at inference, bad rates."""
    report = CheckReport("dropout")
    if _callable(report, dropout, "dropout"):
        names = ["A", "rate", "rng", "training"]
        A = np.arange(1.0, 9.0).reshape(2, 4)
        # rng = np.random.default_rng(7) draws rng.random((2, 4)) < 0.25 at (0, 3) and (1, 2)
        expected = np.array([[1.0, 2.0, 3.0, 0.0], [5.0, 6.0, 0.0, 8.0]]) / 0.75
        description = ("A = [[1, 2, 3, 4], [5, 6, 7, 8]], rate = 0.25, "
                       "rng = np.random.default_rng(7): units (0, 3) and (1, 2) dropped, "
                       "the others divided by 0.75")
        call = "dropout(A, 0.25, np.random.default_rng(7), training=True)"
        result = _call(report, description, dropout, (A, 0.25, np.random.default_rng(7), True),
                       call=call, names=names)
        if result is not None:
            problem = compare(result.value, expected, what=call, context=("A", A))
            if problem is not None:
                problem += ("; keep a unit where rng.random(A.shape) >= rate (one call on the "
                            "rng given), divide the kept units by 1 - rate")
            report.check(description, problem)

        big = np.ones((200, 500))
        description = "rate = 0.3 on 100,000 units: about 30 % dropped, the rest 1 / 0.7, mean 1"
        call = "dropout(np.ones((200, 500)), 0.3, rng, training=True)"
        result = _call(report, description, dropout, (big, 0.3, np.random.default_rng(1), True),
                       call=call, names=names)
        if result is not None:
            out = result.value
            if not isinstance(out, np.ndarray) or out.shape != big.shape:
                problem = f"{call} should return an array of shape (200, 500), got {describe(out)}"
            else:
                out = np.asarray(out, dtype=float)
                fraction = float(np.mean(out == 0))
                kept = out[out != 0]
                problem = None
                if abs(fraction - 0.3) > 0.01:
                    problem = (f"{fraction:.3f} of the units were dropped; about 0.3 expected "
                               "(rate is the probability of dropping)")
                elif not np.allclose(kept, 1 / 0.7, rtol=1e-9, atol=0.0):
                    problem = (f"kept units should be 1 / (1 - 0.3) = {1 / 0.7:.6g}, got values "
                               f"such as {kept[0]:.6g}")
                elif abs(out.mean() - 1.0) > 0.02:
                    problem = f"mean activation {out.mean():.4f}, about 1 expected"
            report.check(description, problem)

        description = "the same seed gives the same output"
        outputs = []
        for _ in range(2):
            result = _call(report, description, dropout,
                           (np.ones((5, 6)), 0.5, np.random.default_rng(3), True),
                           call="dropout(np.ones((5, 6)), 0.5, rng, training=True)", names=names)
            if result is None:
                break
            outputs.append(result.value)
        if len(outputs) == 2:
            same = (isinstance(outputs[0], np.ndarray) and isinstance(outputs[1], np.ndarray)
                    and np.array_equal(outputs[0], outputs[1]))
            report.check(description, None if same else
                         "two calls with np.random.default_rng(3) gave different outputs: draw "
                         "only from the rng given")

        A = np.array([[0.5, -1.0, 2.0], [3.0, 0.0, -4.5]])
        for description, rate, training in [
                ("inference (training=False) returns A unchanged", 0.5, False),
                ("rate = 0 in training returns A unchanged", 0.0, True)]:
            call = f"dropout(A, {rate}, rng, training={training})"
            result = _call(report, description, dropout,
                           (A, rate, np.random.default_rng(0), training), call=call, names=names)
            if result is not None:
                report.check(description, compare(result.value, A, what=call, context=("A", A)))

        description = "rate = 1 raises ValueError (rate must be in [0, 1))"
        result = call_safely(dropout, A, 1.0, np.random.default_rng(0), True, arg_names=names)
        if result.timed_out:
            problem = result.problem("dropout(A, 1.0, rng, training=True)")
        elif isinstance(result.error, ValueError):
            problem = None
        elif result.error is not None:
            problem = (f"raised {type(result.error).__name__}: {result.error}; "
                       "expected a ValueError")
        else:
            problem = "returned without raising; expected a ValueError"
        report.check(description, problem)
    report.finish()


# ---- EarlyStopping -------------------------------------------------------------------------------

def _scripted(EarlyStopping, patience, losses, min_delta=None):
    """Feed ``losses`` to a new EarlyStopping while changing params in place after each epoch.

    Returns (stopper, epoch at which update returned True or None, snapshots of params,
    problem or None).
    """
    stopper = (EarlyStopping(patience) if min_delta is None
               else EarlyStopping(patience, min_delta=min_delta))
    params = [{"W": np.zeros((2, 3)), "b": np.zeros(3), "activation": "relu"},
              {"W": np.zeros((3, 1)), "b": np.zeros(1), "activation": "sigmoid"}]
    snapshots = []
    for epoch, loss in enumerate(losses):
        for layer in params:  # "training": the caller changes its arrays in place
            layer["W"] += 1.0
            layer["b"] -= 1.0
        snapshots.append([{"W": layer["W"].copy(), "b": layer["b"].copy()} for layer in params])
        answer = stopper.update(loss, params)
        if not isinstance(answer, (bool, np.bool_)):
            return stopper, None, snapshots, (f"update should return True or False, got "
                                              f"{describe(answer)} at epoch {epoch}")
        if answer:
            return stopper, epoch, snapshots, None
    return stopper, None, snapshots, None


def _early_stopping_case(report, EarlyStopping, description, patience, losses, *, stop,
                         best, min_delta=None):
    made = (f"EarlyStopping({patience})" if min_delta is None
            else f"EarlyStopping({patience}, min_delta={min_delta})")
    if report.timed_out:
        report.check(description, "skipped: an earlier call did not return in time")
        return
    result = call_safely(_scripted, EarlyStopping, patience, losses, min_delta,
                         arg_names=["EarlyStopping", "patience", "losses", "min_delta"])
    report.timed_out = report.timed_out or result.timed_out
    problem = result.problem(f"{made} with update(loss, params)")
    if problem is None:
        stopper, stopped, snapshots, problem = result.value
    if problem is None and stopped != stop:
        def when(epoch):
            return "never" if epoch is None else f"at epoch {epoch}"
        problem = (f"with losses {losses} (epochs 0, 1, ...), {made}.update should return True "
                   f"{when(stop)}, it did {when(stopped)}")
    if problem is None:
        for attribute, want in (("best_epoch", best), ("best_loss", losses[best]),
                                ("stopped_epoch", stop)):
            got = getattr(stopper, attribute, "(missing)")
            if attribute == "stopped_epoch" and stop is None:
                continue
            if isinstance(got, bool) or not isinstance(got, (int, float, np.number)) or \
                    abs(float(got) - want) > 1e-12:
                problem = f"{attribute} should be {want}, got {describe(got)}"
                break
    if problem is None:
        saved = getattr(stopper, "best_params", None)
        ok = (isinstance(saved, list) and len(saved) == 2
              and all(isinstance(layer, dict) and key in layer
                      and isinstance(layer[key], np.ndarray)
                      and np.array_equal(layer[key], want[key])
                      for layer, want in zip(saved, snapshots[best]) for key in ("W", "b"))
              and all(layer.get("activation") == name
                      for layer, name in zip(saved, ("relu", "sigmoid"))))
        if not ok:
            problem = (f"best_params should be a deep copy of the params given at epoch {best} "
                       f"(W full of {best + 1:g}, b full of {-(best + 1):g}, the activations "
                       "kept): the caller changes its arrays in place afterwards")
    report.check(description, problem)


def check_EarlyStopping(EarlyStopping) -> None:
    """Scripted validation losses: when update returns True, best epoch, loss and params."""
    report = CheckReport("EarlyStopping")
    if _callable(report, EarlyStopping, "EarlyStopping"):
        _early_stopping_case(
            report, EarlyStopping,
            "patience 2, losses [0.9, 0.7, 0.75, 0.7, 0.72, 0.6]: stop at epoch 3 (0.7 equals "
            "the best: no improvement), best epoch 1", 2, [0.9, 0.7, 0.75, 0.7, 0.72, 0.6],
            stop=3, best=1)
        _early_stopping_case(
            report, EarlyStopping,
            "patience 0, losses [1.0, 0.8, 0.9, 0.5]: stop at the first epoch without "
            "improvement, 2", 0, [1.0, 0.8, 0.9, 0.5], stop=2, best=1)
        _early_stopping_case(
            report, EarlyStopping,
            "patience 1, losses [3.0, 2.0, 1.0]: never stops, best epoch 2", 1, [3.0, 2.0, 1.0],
            stop=None, best=2)
        _early_stopping_case(
            report, EarlyStopping,
            "patience 1, min_delta 0.1, losses [1.0, 0.95, 0.5]: 0.95 is no improvement "
            "(not below 1.0 - 0.1), stop at epoch 1", 1, [1.0, 0.95, 0.5], stop=1, best=0,
            min_delta=0.1)
    report.finish()
