"""Public checks (course.checks) and hidden checks (autograder.hidden) for notebook 06."""

import sys

import numpy as np
import pytest

from autograder.hidden import regularization as hidden
from autograder.mutants.regularization import VARIANTS
from autograder.reference import regularization as ref
from course.checks import regularization as public
from course.checks.report import PublicCheckError

POINTS = {"l2_penalty": 2, "l2_gradient": 2, "l1_penalty": 2, "l1_gradient": 2, "dropout": 3,
          "EarlyStopping": 3}
GRADERS = {name: getattr(hidden, f"grade_{name}") for name in POINTS}
PUBLIC = {name: getattr(public, f"check_{name}") for name in POINTS}


# ---- public checks -----------------------------------------------------------------------------

def test_public_checks_pass_on_reference_and_say_hidden_tests_follow(capsys):
    for name, check in PUBLIC.items():
        check(getattr(ref, name))
    out = capsys.readouterr().out
    assert out.count("Hidden tests with other inputs run at grading time.") == len(PUBLIC)
    assert "✗" not in out


def test_public_penalty_check_names_the_factor_and_bias_mistakes(capsys):
    def half(params, lam):
        return 0.5 * ref.l2_penalty(params, lam)

    def with_biases(params, lam):
        return float(lam * sum(np.sum(p["W"] ** 2) + np.sum(p["b"] ** 2) for p in params))

    with pytest.raises(PublicCheckError):
        public.check_l2_penalty(half)
    assert "Keras's convention, no 1/2" in capsys.readouterr().out
    with pytest.raises(PublicCheckError):
        public.check_l2_penalty(with_biases)
    assert "biases are penalised too" in capsys.readouterr().out


def test_public_penalty_check_wants_a_float(capsys):
    with pytest.raises(PublicCheckError):
        public.check_l1_penalty(lambda params, lam: np.array(ref.l1_penalty(params, lam)))
    assert "should return a float" in capsys.readouterr().out


def test_public_gradient_check_reports_structure(capsys):
    with pytest.raises(PublicCheckError):
        public.check_l2_gradient(lambda params, lam: [2 * lam * p["W"] for p in params])
    assert "should be a dict with keys 'W' and 'b'" in capsys.readouterr().out


def test_public_dropout_check_explains_the_draw_and_accepts_rng_use(capsys):
    def keep_probability(A, rate, rng, training):
        if not training:
            return A
        return A * (rng.random(A.shape) < rate) / rate

    with pytest.raises(PublicCheckError):
        public.check_dropout(keep_probability)
    out = capsys.readouterr().out
    assert "rng.random(A.shape) >= rate" in out
    assert "modified its input rng" not in out  # drawing from rng is its job


def test_public_dropout_check_catches_in_place_changes(capsys):
    def in_place(A, rate, rng, training):
        if training:
            A *= rng.random(A.shape) >= rate
            A /= 1 - rate
        return A

    with pytest.raises(PublicCheckError):
        public.check_dropout(in_place)
    assert "modified its input A" in capsys.readouterr().out


def test_public_early_stopping_check_catches_a_stored_reference(capsys):
    class Stores(ref.EarlyStopping):
        def update(self, loss, params):
            stop = super().update(loss, params)
            if self.best_epoch == self.epoch:
                self.best_params = params  # a reference: changes with the caller's arrays
            return stop

    with pytest.raises(PublicCheckError):
        public.check_EarlyStopping(Stores)
    assert "deep copy" in capsys.readouterr().out


def test_public_check_reports_a_stub_without_crashing(capsys):
    class Stub:
        def __init__(self, patience, min_delta=0.0):
            raise NotImplementedError()

    with pytest.raises(PublicCheckError):
        public.check_EarlyStopping(Stub)
    out = capsys.readouterr().out
    assert "not written yet: replace `raise NotImplementedError()` with your code" in out
    assert "✓" not in out and "passed" not in out  # an untouched stub passes nothing


def test_public_checks_do_not_raise_at_grading_time(monkeypatch, capsys):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    public.check_dropout(lambda A, rate, rng, training: A)  # wrong: hidden tests decide
    assert "✗" in capsys.readouterr().out


# ---- hidden checks -----------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(POINTS))
def test_hidden_checks_give_full_marks_to_the_reference(name, capsys):
    score = GRADERS[name](getattr(ref, name), points=POINTS[name])
    assert type(score) is float and score == POINTS[name]
    # nbgrader parses the cell's repr: np.float64(...) would not parse and mean full marks
    assert repr(score) == str(score)
    assert "cases passed" in capsys.readouterr().out


def _compile(variant) -> object:
    """The variant's answer, defined in a namespace like the notebook's."""
    namespace = {"np": np}
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
    assert {v.assignment for v in VARIANTS} == {"06_regularization"}


def test_hidden_checks_keep_stderr_clean(capfd):
    def chatty(A, rate, rng, training):
        print("debug", file=sys.stderr)
        np.log(np.zeros(1))  # RuntimeWarning
        return ref.dropout(A, rate, rng, training)

    score = hidden.grade_dropout(chatty, points=3)
    captured = capfd.readouterr()
    assert captured.err == ""
    assert score == 3.0


def test_hidden_check_of_a_non_function(capsys):
    assert hidden.grade_EarlyStopping("not a class", points=3) == 0.0
    assert "EarlyStopping should be a function, got str" in capsys.readouterr().out


def test_an_endless_loop_costs_one_question_only(capsys):
    def loops(params, lam):
        while True:
            pass

    assert hidden.grade_l2_penalty(loops, points=2) == 0.0
    out = capsys.readouterr().out
    assert "did not return within" in out and "skipped: an earlier call" in out


def test_hidden_penalty_messages_name_the_usual_mistakes(capsys):
    def half(params, lam):
        return 0.5 * ref.l2_penalty(params, lam)

    assert hidden.grade_l2_penalty(half, points=2) < 2
    assert "no factor 1/2" in capsys.readouterr().out


def test_hidden_gradient_cases_cover_depths_zeros_and_numerical_checks():
    cases = hidden.penalty_cases("l1_gradient")
    depths = {len(params) for _, params, _ in cases}
    assert depths >= {1, 2, 3, 4}
    assert any(np.any(layer["W"] == 0) for _, params, _ in cases for layer in params)
    assert any(layer["W"].shape[1] == 1 for _, params, _ in cases for layer in params)
    assert {lam for *_, lam in cases} >= {0.0, 1}
    assert all(np.all(np.abs(layer["b"]) > 0) for _, params, _ in cases for layer in params)
    # centred differences of the reference penalty agree with the reference gradient
    params = hidden.random_params(np.random.default_rng(0), (3, 4, 2), away_from_zero=0.05)
    for kind in ("l2", "l1"):
        analytic = getattr(ref, f"{kind}_gradient")(params, 0.3)
        numerical = hidden.numerical_gradient(getattr(ref, f"{kind}_penalty"), params, 0.3)
        for a, n in zip(analytic, numerical):
            assert hidden.relative_error(a["W"], n["W"]) < 1e-7
            assert np.all(n["b"] == 0)


def test_hidden_dropout_statistics_reject_unscaled_and_accept_the_reference():
    rng = np.random.default_rng(0)
    A = rng.uniform(0.2, 3.0, size=(400, 250))
    out = ref.dropout(A, 0.5, np.random.default_rng(1), True)
    assert hidden._statistics_problem(A, out, 0.5, "dropout") is None
    unscaled = out * 0.5
    assert "rescales" in hidden._statistics_problem(A, unscaled, 0.5, "dropout")
    assert "dropped" in hidden._statistics_problem(A, out, 0.3, "dropout")


def test_hidden_early_stopping_scenarios_agree_with_keras_semantics():
    # hand-checked stopping epochs of the scripted scenarios (Keras's EarlyStopping gives the
    # same ones: improvement is loss < best - min_delta, stop when wait >= patience)
    expected = {"patience 0": 3, "patience 1": 2, "a plateau": 4, "min_delta = 0.05": 4,
                "never stops": None}
    for label, patience, min_delta, losses, _ in hidden.early_stopping_cases():
        stopper = ref.EarlyStopping(patience, 0.0 if min_delta is None else min_delta)
        stop = next((e for e, loss in enumerate(losses) if stopper.update(loss, [])), None)
        for prefix, epoch in expected.items():
            if label.startswith(prefix):
                assert stop == epoch, label
    modes = {mode for *_, mode in hidden.early_stopping_cases()}
    assert modes == set(hidden.MODES)


def test_hidden_inputs_are_deterministic():
    first, again = hidden.dropout_draw_cases(), hidden.dropout_draw_cases()
    assert all(np.array_equal(a[1], b[1]) and a[3] == b[3] for a, b in zip(first, again))
    assert {np.ndim(A) for _, A, _, _ in first} == {1, 2, 3}


def test_no_variant_is_flagged_by_the_tamper_scan():
    from autograder.tamper import scan_source

    for variant in VARIANTS:
        assert scan_source(variant.source, answer=True) == [], variant.name
