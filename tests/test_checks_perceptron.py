"""Public checks (course.checks) and hidden checks (autograder.hidden) for notebook 03."""

import sys

import numpy as np
import pytest

from autograder.hidden import perceptron as hidden
from autograder.mutants.perceptron import VARIANTS
from autograder.reference import perceptron as ref
from course.checks import perceptron as public
from course.checks.report import PublicCheckError

POINTS = {"perceptron_layer": 3, "perceptron_update": 3, "fit_perceptron": 4}
GRADERS = {"perceptron_layer": hidden.grade_perceptron_layer,
           "perceptron_update": hidden.grade_perceptron_update,
           "fit_perceptron": hidden.grade_fit_perceptron}


def test_public_checks_pass_on_reference_and_say_hidden_tests_follow(capsys):
    public.check_perceptron_layer(ref.perceptron_layer)
    public.check_perceptron_update(ref.perceptron_update)
    public.check_fit_perceptron(ref.fit_perceptron)
    out = capsys.readouterr().out
    assert out.count("Hidden tests with other inputs run at grading time.") == 3
    assert "✗" not in out


def test_public_layer_check_catches_a_transposed_w(capsys):
    def layer(X, W, b, step=ref.heaviside):
        return step(X @ W.T + b)

    with pytest.raises(PublicCheckError, match="public check"):
        public.check_perceptron_layer(layer)
    assert "perceptron_layer(X (5, 2), W (2, 3)" in capsys.readouterr().out


def test_public_update_check_catches_an_in_place_update(capsys):
    def update(w, b, x, y, lr):
        error = y - ref.heaviside(x @ w + b)
        w += lr * error * x
        return w, b + lr * error

    with pytest.raises(PublicCheckError):
        public.check_perceptron_update(update)
    assert "modified its input w" in capsys.readouterr().out


def test_public_fit_check_explains_the_expected_order_and_accepts_rng_use(capsys):
    def no_shuffle(X, y, lr, n_epochs, rng):
        w, b = np.zeros(X.shape[1]), 0.0
        mistakes = np.zeros(n_epochs, dtype=int)
        for epoch in range(n_epochs):
            for i in range(len(X)):
                if ref.heaviside(X[i] @ w + b) != y[i]:
                    mistakes[epoch] += 1
                    w, b = ref.perceptron_update(w, b, X[i], y[i], lr)
        return w, b, mistakes

    with pytest.raises(PublicCheckError):
        public.check_fit_perceptron(no_shuffle)
    out = capsys.readouterr().out
    assert "rng.permutation(n)" in out
    assert "modified its input rng" not in out  # drawing from rng is its job


def test_public_check_reports_a_stub_without_crashing(capsys):
    def stub(X, y, lr, n_epochs, rng):
        raise NotImplementedError()

    with pytest.raises(PublicCheckError):
        public.check_fit_perceptron(stub)
    out = capsys.readouterr().out
    assert "not written yet: replace `raise NotImplementedError()` with your code" in out
    assert "✓" not in out and "passed" not in out  # an untouched stub passes nothing


def test_public_checks_do_not_raise_at_grading_time(monkeypatch, capsys):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    public.check_perceptron_update(lambda w, b, x, y, lr: (w, b))  # wrong, hidden tests decide
    assert "✗" in capsys.readouterr().out


@pytest.mark.parametrize("name", sorted(POINTS))
def test_hidden_checks_give_full_marks_to_the_reference(name, capsys):
    score = GRADERS[name](getattr(ref, name), points=POINTS[name])
    assert type(score) is float and score == POINTS[name]
    # nbgrader parses the cell's repr: np.float64(...) would not parse and mean full marks
    assert repr(score) == str(score)
    assert "cases passed" in capsys.readouterr().out


def _compile(variant) -> object:
    """The variant's function, defined next to the reference versions of the other answers."""
    namespace = {"np": np, "heaviside": ref.heaviside, "perceptron_layer": ref.perceptron_layer,
                 "perceptron_update": ref.perceptron_update,
                 "fit_perceptron": ref.fit_perceptron}
    exec(variant.source, namespace)
    return namespace[variant.question]


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
    assert {v.assignment for v in VARIANTS} == {"03_perceptron"}


def test_hidden_checks_keep_stderr_clean(capfd):
    def chatty(X, W, b, step=ref.heaviside):
        print("debug", file=sys.stderr)
        np.log(np.zeros(1))  # RuntimeWarning
        return step(X @ W + b)

    score = hidden.grade_perceptron_layer(chatty, points=3)
    captured = capfd.readouterr()
    assert captured.err == ""
    assert score == 3.0


def test_hidden_check_of_a_non_function(capsys):
    assert hidden.grade_fit_perceptron("not a function", points=4) == 0.0
    assert "fit_perceptron should be a function, got str" in capsys.readouterr().out


def test_hidden_layer_checks_the_default_step(capsys):
    def perceptron_layer(X, W, b, step=np.sign):
        return step(np.asarray(X) @ W + b)

    assert hidden.grade_perceptron_layer(perceptron_layer, points=3) < 3
    assert "step should default to heaviside" in capsys.readouterr().out


def test_a_wrong_heaviside_costs_no_layer_points():
    def heaviside(t):  # notebook 01's classic mistake: 0 at t = 0
        return np.where(np.asarray(t) > 0, 1.0, 0.0)

    def perceptron_layer(X, W, b, step=heaviside):
        return step(np.asarray(X) @ W + b)

    assert hidden.grade_perceptron_layer(perceptron_layer, points=3) == 3.0


def test_hidden_fit_accepts_rng_use_and_reports_wrong_types(capsys):
    def fit_list(X, y, lr, n_epochs, rng):
        w, b, mistakes = ref.fit_perceptron(X, y, lr, n_epochs, rng)
        return w, b, mistakes.tolist()

    assert hidden.grade_fit_perceptron(fit_list, points=4) == 0.0
    out = capsys.readouterr().out
    assert "mistakes returned by fit_perceptron" in out and "np.ndarray of shape" in out
    assert "modified its argument rng" not in out


def test_hidden_inputs_are_deterministic_and_cover_awkward_shapes():
    first, again = hidden.layer_cases(), hidden.layer_cases()
    assert all(np.array_equal(a[1], b[1]) and np.array_equal(a[2], b[2])
               for a, b in zip(first, again))
    shapes = [(X.shape, W.shape) for _, X, W, _, _ in first]
    assert any(x[0] == 1 for x, _ in shapes)  # a single instance
    assert any(w[1] == 1 for _, w in shapes)  # a single neuron
    assert any(w[1] >= 9 for _, w in shapes)  # many neurons
    assert any(x[1] != w[1] for x, w in shapes)  # a transposed W cannot fit by accident
    assert any(X.dtype.kind == "i" for _, X, _, _, _ in first)
    updates = hidden.update_cases()
    kinds = {(int(y), int(ref.heaviside(x @ w + b))) for _, w, b, x, y, _ in updates}
    assert kinds == {(0, 0), (0, 1), (1, 0), (1, 1)}  # both classes, right and wrong
    assert len({lr for *_, lr in updates}) >= 4


def test_separable_hidden_data_converge_with_the_reference():
    for seed in (5, 11):
        X, y = hidden.separable_data(seed, n_per_class=15)
        _, _, mistakes = ref.fit_perceptron(X, y, 1.0, 25, np.random.default_rng(seed))
        assert mistakes[-1] == 0
