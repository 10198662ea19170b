"""Public checks (course.checks) and hidden checks (autograder.hidden) for notebook 05."""

import sys

import numpy as np
import pytest

from autograder.hidden import backpropagation as hidden
from autograder.mutants.backpropagation import VARIANTS
from autograder.reference import backpropagation as ref
from course.checks import backpropagation as public
from course.checks.report import PublicCheckError

POINTS = {"numerical_gradient": 3, "relative_error": 2, "mlp_backward": 4, "minibatches": 3,
          "train_mlp": 4}
GRADERS = {name: getattr(hidden, f"grade_{name}") for name in POINTS}
CHECKS = {name: getattr(public, f"check_{name}") for name in POINTS}
PROVIDED = ("sigmoid", "tanh", "relu", "softmax", "sigmoid_derivative", "tanh_derivative",
            "relu_derivative", "ACTIVATIONS", "DERIVATIVES", "mlp_forward", "cross_entropy",
            "one_hot", "init_params")


def _namespace() -> dict:
    """What the notebook gives an answer cell: numpy, tqdm, the provided cells, the answers."""
    from tqdm.auto import tqdm

    names = {name: getattr(ref, name) for name in PROVIDED}
    return {"np": np, "tqdm": tqdm, **names, **{name: getattr(ref, name) for name in POINTS}}


def _compile(variant) -> object:
    namespace = _namespace()
    exec(variant.source, namespace)
    return namespace[variant.question]


# --- public checks ----------------------------------------------------------------------------

def test_public_checks_pass_on_reference_and_say_hidden_tests_follow(capsys):
    for name, check in CHECKS.items():
        check(getattr(ref, name))
    out = capsys.readouterr().out
    assert out.count("Hidden tests with other inputs run at grading time.") == len(CHECKS)
    assert "✗" not in out


@pytest.mark.parametrize("variant", [v for v in VARIANTS if v.correct],
                         ids=lambda v: f"{v.question}-{v.name}")
def test_public_checks_pass_on_every_correct_alternative(variant, capsys):
    CHECKS[variant.question](_compile(variant))
    assert "✗" not in capsys.readouterr().out


def test_public_checks_do_not_raise_at_grading_time(monkeypatch, capsys):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    public.check_relative_error(lambda a, b: 0.5)
    assert "✗" in capsys.readouterr().out


def test_public_check_reports_a_stub_without_crashing(capsys):
    def stub(*args):
        raise NotImplementedError()

    for check in CHECKS.values():
        with pytest.raises(PublicCheckError):
            check(stub)
    out = capsys.readouterr().out
    assert all(f"Public checks for {name}:" in out for name in CHECKS)
    stub_hint = "not written yet: replace `raise NotImplementedError()` with your code"
    assert out.count(stub_hint) >= len(CHECKS)
    assert "✓" not in out and "passed" not in out  # "is a function" is no pass for a stub


# --- hidden checks ----------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(POINTS))
def test_hidden_checks_give_full_marks_to_the_reference(name, capsys):
    score = GRADERS[name](getattr(ref, name), points=POINTS[name])
    assert type(score) is float and score == POINTS[name], capsys.readouterr().out
    assert repr(score) == str(score)  # nbgrader parses the cell's repr
    assert "cases passed" in capsys.readouterr().out


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: f"{v.question}-{v.name}")
def test_mutants_lose_points_and_alternatives_keep_them_in_process(variant, capsys):
    score = GRADERS[variant.question](_compile(variant), points=POINTS[variant.question])
    full = POINTS[variant.question]
    out = capsys.readouterr().out
    if variant.correct:
        assert score == full, out
    else:
        assert score < full, out


def test_the_catalog_has_enough_mutants_and_alternatives_per_question():
    for question in POINTS:
        mutants = [v for v in VARIANTS if v.question == question and not v.correct]
        alternatives = [v for v in VARIANTS if v.question == question and v.correct]
        assert len(mutants) >= 5 and len(alternatives) >= 2, question
    assert len({v.student_id for v in VARIANTS}) == len(VARIANTS)
    assert {v.assignment for v in VARIANTS} == {"05_backpropagation"}


def _variant(question, name):
    return _compile(next(v for v in VARIANTS if v.question == question and v.name == name))


@pytest.mark.parametrize("question, name, message", [
    ("numerical_gradient", "forward-difference", "a one-sided difference would give"),
    ("numerical_gradient", "never-restores-x", "modified its input x"),
    ("relative_error", "no-floor", "non-finite"),
    ("mlp_backward", "transposed-W", "should have shape (2, 3)"),
    ("minibatches", "drops-last", "the last shorter one kept"),
    ("minibatches", "separate-shuffles", "do not belong together"),
    ("train_mlp", "wrong-sign", "history['loss'] went from"),
])
def test_public_checks_explain_typical_mistakes(question, name, message, capsys):
    with pytest.raises(PublicCheckError):
        CHECKS[question](_variant(question, name))
    assert message in capsys.readouterr().out


def test_hidden_checks_keep_stderr_clean(capfd):
    from tqdm import tqdm as text_tqdm

    def chatty_gradient(f, x, h=1e-5):
        print("debug", file=sys.stderr)
        np.log(np.zeros(1))  # RuntimeWarning
        return ref.numerical_gradient(f, x, h)

    def train_with_text_bar(X, y, hidden_units, lr, n_epochs, batch_size=32, rng=None):
        for _ in text_tqdm(range(3)):  # tqdm outside a notebook writes to stderr
            pass
        return ref.train_mlp(X, y, hidden_units, lr, n_epochs, batch_size, rng)

    def diverging(X, y, hidden_units, lr, n_epochs, batch_size=32, rng=None):
        return ref.train_mlp(X, y, hidden_units, 1e6, n_epochs, batch_size, rng)

    assert hidden.grade_numerical_gradient(chatty_gradient, points=3) == 3.0
    assert hidden.grade_train_mlp(train_with_text_bar, points=4) == 4.0
    assert hidden.grade_train_mlp(diverging, points=4) < 4.0
    assert capfd.readouterr().err == ""


def test_hidden_check_of_a_non_function(capsys):
    for name, grader in GRADERS.items():
        assert grader(None, points=POINTS[name]) == 0.0
    assert "mlp_backward should be a function, got NoneType" in capsys.readouterr().out


def test_hidden_minibatches_accept_a_generator_and_a_list_alike():
    def as_list(X, y, batch_size=32, rng=None):
        return list(ref.minibatches(X, y, batch_size, rng))

    def as_tuple(X, y, batch_size=32, rng=None):
        return tuple(ref.minibatches(X, y, batch_size, rng))

    assert hidden.grade_minibatches(as_list, points=3) == 3.0
    assert hidden.grade_minibatches(as_tuple, points=3) == 3.0
    assert hidden.grade_minibatches(lambda X, y, batch_size=32, rng=None: None, points=3) == 0.0


def test_hidden_gradient_cases_match_their_analytic_gradients():
    for label, f, x, h, analytic in hidden.gradient_cases():
        if analytic is None:
            continue
        step = 1e-5 if h == "default" else h
        before = x.copy()
        numerical = ref.numerical_gradient(f, x, step)
        assert np.array_equal(x, before), label
        assert np.allclose(numerical, analytic(x), rtol=1e-6, atol=1e-8), label
    shapes = {x.shape for _, _, x, _, _ in hidden.gradient_cases()}
    assert {(1,), (1, 1), (4, 1), (2, 3, 2)} <= shapes


def test_hidden_backward_cases_cover_depths_activations_outputs_and_zeros():
    cases = hidden.backward_cases() + hidden.centred_cases()
    depths = {len(params) for _, _, _, params, _ in cases}
    assert depths == {1, 2, 3, 4}
    hidden_acts = {p["activation"] for _, _, _, params, _ in cases for p in params[:-1]}
    assert hidden_acts == {"tanh", "sigmoid", "relu", "linear"}
    assert {params[-1]["activation"] for _, _, _, params, _ in cases} == {"softmax", "sigmoid"}
    assert any(X.shape[0] == 1 for _, X, _, _, _ in cases)
    zeros = [cache[0]["Z"] for label, _, _, _, cache in cases if "exactly 0" in label]
    assert zeros and np.sum(zeros[0] == 0) >= 5  # where ReLU'(0) = 0 matters
    again = hidden.backward_cases()
    assert all(np.array_equal(a[1], b[1]) for a, b in zip(hidden.backward_cases(), again))


def test_reference_backward_agrees_with_centred_differences():
    for label, X, Y, params, cache in hidden.centred_cases():
        assert hidden._centred_problem(ref.mlp_backward(X, Y, params, cache), X, Y,
                                       params) is None, label


def test_relative_error_cases_include_zeros_scalars_and_tiny_values():
    values = {label: ref.relative_error(a, b) for label, a, b in hidden.relative_error_cases()}
    assert values["both zero: 0, not nan"] == 0.0
    assert values["a zero, b not: 1"] == 1.0 and values["opposite signs: 1"] == 1.0
    assert values["tiny values: the denominator is floored at 1e-8"] == pytest.approx(0.02)


def test_train_cases_are_learnt_by_the_reference_with_a_margin():
    for label, X, y, hidden_units, lr, n_epochs, batch_size, seed in hidden.train_cases():
        params, history = ref.train_mlp(X, y, hidden_units, lr, n_epochs, batch_size,
                                        np.random.default_rng(seed))
        P, _ = ref.mlp_forward(X, params)
        accuracy = np.mean(P.argmax(axis=1) == y)
        assert accuracy >= hidden.TRAIN_ACCURACY + 0.02, label
        assert history["loss"][-1] <= hidden.TRAIN_LOSS - 0.1, label


def test_checks_of_answers_that_return_inf_or_nan_stay_quiet(capfd, monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")  # public checks report, not raise

    def infinite_backward(X, Y, params, cache):
        return [{"W": np.full(p["W"].shape, np.inf), "b": np.full(p["b"].shape, np.nan)}
                for p in params]

    def exploding_training(X, y, hidden_units, lr, n_epochs, batch_size=32, rng=None):
        params, history = ref.train_mlp(X, y, hidden_units, lr, n_epochs, batch_size, rng)
        params[-1]["W"] = params[-1]["W"] * 1e308 * 10  # inf
        return params, history

    assert hidden.grade_mlp_backward(infinite_backward, points=4) == 0.0
    assert hidden.grade_train_mlp(exploding_training, points=4) < 4.0
    public.check_train_mlp(exploding_training)
    public.check_mlp_backward(infinite_backward)
    assert capfd.readouterr().err == ""
