"""Public checks (course.checks) and hidden checks (autograder.hidden) for notebook 02."""

import sys

import numpy as np
import pytest
from tqdm import tqdm as text_tqdm

from autograder.hidden import logistic_regression as hidden
from autograder.mutants.logistic_regression import VARIANTS
from autograder.reference import logistic_regression as ref
from course.checks import logistic_regression as public
from course.checks.report import PublicCheckError

POINTS = {"sigmoid": 2, "predict_proba": 2, "predict": 2, "log_loss": 2,
          "log_loss_gradient": 3, "fit_logistic_regression": 3}


def _naive_sigmoid(z):
    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))


def test_public_checks_pass_on_reference_and_say_hidden_tests_follow(capsys):
    for name in POINTS:
        getattr(public, f"check_{name}")(getattr(ref, name))
    out = capsys.readouterr().out
    assert out.count("Hidden tests with other inputs run at grading time.") == len(POINTS)
    assert "✗" not in out


def test_public_sigmoid_check_reports_the_overflow_warning(capsys):
    with pytest.raises(PublicCheckError, match="sigmoid"):
        public.check_sigmoid(_naive_sigmoid)
    out = capsys.readouterr().out
    assert "sigmoid(-1000) raised a warning (RuntimeWarning: overflow encountered in exp)" in out
    assert "✓ values around zero" in out  # the values themselves are right


def test_public_predict_check_explains_the_tie(capsys):
    def strict(X, w, b, threshold=0.5):
        return (ref.predict_proba(X, w, b) > threshold).astype(int)

    with pytest.raises(PublicCheckError):
        public.check_predict(strict)
    out = capsys.readouterr().out
    assert "✗ a probability of exactly 0.5 gives class 1 (>=, not >)" in out
    assert "expected 1, got 0" in out


def test_public_log_loss_check_reports_an_infinite_loss(capsys):
    def unclipped(y, p):
        return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))

    with pytest.raises(PublicCheckError):
        public.check_log_loss(unclipped)
    assert "RuntimeWarning: divide by zero encountered in log" in capsys.readouterr().out


def test_public_fit_check_reports_a_rising_loss(capsys):
    def ascent(X, y, lr, n_epochs):
        w, b, losses = np.zeros(X.shape[1]), 0.0, []
        for _ in range(n_epochs):
            grad_w, grad_b = ref.log_loss_gradient(X, y, w, b)
            w, b = w + lr * grad_w, b + lr * grad_b
            losses.append(ref.log_loss(y, ref.predict_proba(X, w, b)))
        return w, b, np.array(losses)

    with pytest.raises(PublicCheckError):
        public.check_fit_logistic_regression(ascent)
    assert "✗ the loss goes down every epoch" in capsys.readouterr().out


def test_public_check_reports_a_stub_without_crashing(capsys):
    def stub(X, y, w, b):
        raise NotImplementedError()

    with pytest.raises(PublicCheckError):
        public.check_log_loss_gradient(stub)
    out = capsys.readouterr().out
    assert "not written yet: replace `raise NotImplementedError()` with your code" in out
    assert "✓" not in out and "passed" not in out  # an untouched stub passes nothing


def test_public_checks_do_not_raise_at_grading_time(monkeypatch, capsys):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    public.check_sigmoid(_naive_sigmoid)  # wrong, but the hidden tests decide
    assert "✗" in capsys.readouterr().out


@pytest.mark.parametrize("name", list(POINTS))
def test_hidden_checks_give_full_marks_to_the_reference(name, capsys):
    score = getattr(hidden, f"grade_{name}")(getattr(ref, name), points=POINTS[name])
    assert type(score) is float and score == POINTS[name]
    assert "cases passed" in capsys.readouterr().out


def test_hidden_score_is_partial_and_a_plain_float(capsys):
    score = hidden.grade_sigmoid(_naive_sigmoid, points=2)
    assert type(score) is float and 0 < score < 2
    # nbgrader parses the cell's repr: np.float64(...) would not parse and mean full marks
    assert repr(score) == str(score)
    assert "raised a warning (RuntimeWarning: overflow encountered in exp)" in \
        capsys.readouterr().out


def test_hidden_sigmoid_wants_exact_limits(capsys):
    def clipped(z):
        return 1 / (1 + np.exp(-np.clip(z, -500, 500)))

    assert hidden.grade_sigmoid(clipped, points=2) < 2
    assert "expected exactly 0.0" in capsys.readouterr().out


def test_hidden_checks_keep_stderr_clean(capfd):
    def chatty(z):
        print("debug", file=sys.stderr)
        return _naive_sigmoid(z)  # warns at -1000

    def fit_with_text_bar(X, y, lr, n_epochs):  # tqdm outside a notebook writes to stderr
        w, b, losses = np.zeros(X.shape[1]), 0.0, []
        for _ in text_tqdm(range(n_epochs)):
            grad_w, grad_b = ref.log_loss_gradient(X, y, w, b)
            w, b = w - lr * grad_w, b - lr * grad_b
            losses.append(ref.log_loss(y, ref.predict_proba(X, w, b)))
        return w, b, np.array(losses)

    hidden.grade_sigmoid(chatty, points=2)
    assert hidden.grade_fit_logistic_regression(fit_with_text_bar, points=3) == 3.0
    hidden.grade_log_loss(lambda y, p: np.log(np.asarray(p) * 0), points=2)
    assert capfd.readouterr().err == ""


def test_hidden_check_of_a_non_function(capsys):
    assert hidden.grade_log_loss_gradient(None, points=3) == 0.0
    assert "log_loss_gradient should be a function, got NoneType" in capsys.readouterr().out


def test_numerical_gradient_agrees_with_the_reference():
    for _, X, y, w, b in hidden.gradient_cases():
        numerical_w, numerical_b = hidden.numerical_gradient(X, y, w, b)
        grad_w, grad_b = ref.log_loss_gradient(X, y, w, b)
        error = hidden.relative_error(np.append(grad_w, grad_b),
                                      np.append(numerical_w, numerical_b))
        assert error <= hidden.GRADIENT_TOLERANCE


def test_relative_error_is_scale_free_and_floored():
    assert hidden.relative_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert hidden.relative_error([1e6, 0.0], [1.1e6, 0.0]) == pytest.approx(0.1 / 1.1)
    assert hidden.relative_error([0.0], [1e-12]) == pytest.approx(1e-4)  # floor 1e-8


def test_hidden_gradient_check_uses_centred_differences(capsys):
    def off_by_a_little(X, y, w, b):  # within rtol 1e-5 of the reference, not within 1e-7
        grad_w, grad_b = ref.log_loss_gradient(X, y, w, b)
        return grad_w * (1 + 5e-6), grad_b * (1 + 5e-6)

    assert hidden.grade_log_loss_gradient(off_by_a_little, points=3) < 3
    assert "centred-difference gradient" in capsys.readouterr().out


def test_hidden_fit_explains_losses_one_epoch_late(capsys):
    def late(X, y, lr, n_epochs):
        w, b, losses = np.zeros(X.shape[1]), 0.0, []
        for _ in range(n_epochs):
            losses.append(ref.log_loss(y, ref.predict_proba(X, w, b)))
            grad_w, grad_b = ref.log_loss_gradient(X, y, w, b)
            w, b = w - lr * grad_w, b - lr * grad_b
        return w, b, np.array(losses)

    assert hidden.grade_fit_logistic_regression(late, points=3) < 3
    assert "your losses are one epoch late" in capsys.readouterr().out


def test_hidden_fit_catches_a_modified_input(capsys):
    def scales_X(X, y, lr, n_epochs):
        X[0, 0] = 0.0  # in place: the caller's array changes
        return ref.fit_logistic_regression(X, y, lr, n_epochs)

    assert hidden.grade_fit_logistic_regression(scales_X, points=3) < 3
    assert "modified its argument X" in capsys.readouterr().out


def test_hidden_inputs_are_deterministic_and_cover_awkward_shapes():
    first, again = hidden.sigmoid_inputs(), hidden.sigmoid_inputs()
    assert all(np.array_equal(a[1], b[1]) for a, b in zip(first, again))
    shapes = {np.shape(z) for _, z in first}
    assert {(), (1,), (1, 4)} <= shapes and any(len(s) == 3 for s in shapes)
    assert any(type(z) is float for _, z in first) and any(type(z) is int for _, z in first)
    assert any(np.ndim(X) == 1 for _, X, *_ in hidden.predict_proba_cases())
    ties = [X @ w + b for label, X, w, b, _ in hidden.predict_cases() if "exactly 0" in label]
    assert ties and all((t == 0).any() for t in ties)
    log_loss_shapes = {np.shape(p) for _, _, p, _ in hidden.log_loss_cases()}
    assert {(), (1,), (3, 4)} <= log_loss_shapes
    assert any((np.asarray(p) == 0).any() for _, _, p, _ in hidden.log_loss_cases())
    assert [case[1].shape for case in hidden.fit_cases()] == \
        [case[1].shape for case in hidden.fit_cases()]


def test_fit_cases_are_small_and_mostly_separable():
    X, y, lr, n_epochs = hidden.fit_cases()[0][1:]
    w, b, losses = ref.fit_logistic_regression(X, y, lr, n_epochs)
    assert np.mean(ref.predict(X, w, b) == y) >= 0.95
    assert abs(b) > 0.1  # imbalanced classes: a fit that never updates b is wrong
    assert sum(len(case[1]) * case[4] for case in hidden.fit_cases()) < 20_000


def _namespace():
    """What the notebook provides to an answer cell: numpy, tqdm, the other answers."""
    from tqdm.auto import tqdm

    return {"np": np, "tqdm": tqdm, **{name: getattr(ref, name) for name in POINTS}}


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: v.student_id)
def test_variant_scores_as_expected_in_process(variant, capsys):
    namespace = _namespace()
    exec(variant.source, namespace)
    score = getattr(hidden, f"grade_{variant.question}")(namespace[variant.question],
                                                         points=POINTS[variant.question])
    out = capsys.readouterr().out
    if variant.correct:
        assert score == POINTS[variant.question], out
    else:
        assert score < POINTS[variant.question], f"{variant.name}: {variant.why}"


def test_catalog_has_enough_variants_per_question():
    for question in POINTS:
        mutants = [v for v in VARIANTS if v.question == question and not v.correct]
        alternatives = [v for v in VARIANTS if v.question == question and v.correct]
        assert len(mutants) >= 5 and len(alternatives) >= 2, question
    assert len({v.student_id for v in VARIANTS}) == len(VARIANTS)
