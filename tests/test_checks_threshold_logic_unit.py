"""Public checks (course.checks) and hidden checks (autograder.hidden) for notebook 01."""

import sys

import numpy as np
import pytest

from autograder.hidden import threshold_logic_unit as hidden
from autograder.reference import threshold_logic_unit as ref
from course.checks import threshold_logic_unit as public
from course.checks.report import PublicCheckError

GATES = ((np.array([1.0, 1.0]), -1.5), (np.array([1.0, 1.0]), -0.5), (np.array([-1.0]), 0.5))


def test_public_checks_pass_on_reference_and_say_hidden_tests_follow(capsys):
    public.check_heaviside(ref.heaviside)
    public.check_sign(ref.sign)
    public.check_tlu(ref.tlu)
    public.check_logic_gates(*GATES)
    out = capsys.readouterr().out
    assert out.count("Hidden tests with other inputs run at grading time.") == 4
    assert "✗" not in out


def test_public_check_failure_names_input_expected_and_got(capsys):
    with pytest.raises(PublicCheckError, match="public check"):
        public.check_heaviside(lambda t: np.where(np.asarray(t) > 0, 1.0, 0.0))
    out = capsys.readouterr().out
    assert "heaviside(0.0) returned 0, expected 1" in out
    assert "(t = 0): expected 1, got 0" in out


def test_public_check_reports_a_stub_without_crashing(capsys):
    def stub(t):
        raise NotImplementedError()

    with pytest.raises(PublicCheckError):
        public.check_sign(stub)
    out = capsys.readouterr().out
    assert "not written yet: replace `raise NotImplementedError()` with your code" in out
    assert "✓" not in out and "passed" not in out  # an untouched stub passes nothing


def test_public_checks_do_not_raise_at_grading_time(monkeypatch, capsys):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    public.check_sign(lambda t: np.asarray(t))  # wrong, but the hidden tests decide
    assert "✗" in capsys.readouterr().out


def test_public_gate_check_explains_the_wrong_row(capsys):
    with pytest.raises(PublicCheckError):
        public.check_logic_gates((np.array([1.0, 1.0]), -0.5), GATES[1], GATES[2])
    assert "AND_GATE gives 1 for input (0, 1); the truth table says 0" in capsys.readouterr().out


def test_public_gate_check_reads_the_notebook_and_names_a_gate_not_written_yet(capsys):
    names = dict(zip(("AND_GATE", "OR_GATE", "NOT_GATE"), GATES))
    public.check_gates_in(names)
    assert "all 3 passed" in capsys.readouterr().out
    del names["OR_GATE"]  # the answer cell still raises NotImplementedError: no OR_GATE
    with pytest.raises(PublicCheckError):
        public.check_gates_in(names)
    out = capsys.readouterr().out
    assert "OR_GATE is not defined yet: write it in the exercise cell above" in out
    assert "NameError" not in out and "2 of 3 passed" in out


def test_the_tlu_figure_draws_inputs_weights_sum_and_step():
    import matplotlib.pyplot as plt

    from course.tlu_figure import draw_tlu

    ax = draw_tlu(n_inputs=4)
    texts = {t.get_text() for t in ax.texts}
    assert {"$x_1$", "$x_2$", "$x_3$", "$x_n$", "$w_n$", "$b$", "1", r"$\Sigma$"} <= texts
    assert not ax.axison
    plt.close(ax.figure)
    with pytest.raises(ValueError, match="n_inputs should be an integer from 2 to 6, got 9"):
        draw_tlu(n_inputs=9)


@pytest.mark.parametrize(
    "grade, answer, points",
    [(hidden.grade_heaviside, ref.heaviside, 2), (hidden.grade_sign, ref.sign, 2),
     (hidden.grade_tlu, ref.tlu, 3)],
)
def test_hidden_checks_give_full_marks_to_the_reference(grade, answer, points, capsys):
    score = grade(answer, points=points)
    assert type(score) is float and score == points
    assert "cases passed" in capsys.readouterr().out


def test_hidden_score_is_partial_and_a_plain_float(capsys):
    score = hidden.grade_heaviside(lambda t: np.heaviside(t, 0.0), points=2)
    assert type(score) is float and 0 < score < 2
    # nbgrader parses the cell's repr: np.float64(...) would not parse and mean full marks
    assert repr(score) == str(score)


def test_hidden_checks_keep_stderr_clean(capfd):
    def chatty(t):
        print("debug", file=sys.stderr)
        return np.where(np.asarray(t, dtype=float) / 0.0 > 0, 1.0, 0.0)  # warns

    hidden.grade_heaviside(chatty, points=2)
    captured = capfd.readouterr()
    assert captured.err == ""


def test_hidden_check_of_a_non_function(capsys):
    assert hidden.grade_sign("not a function", points=2) == 0.0
    assert "sign should be a function, got str" in capsys.readouterr().out


def test_hidden_tlu_checks_the_default_step(capsys):
    def tlu(X, w, b, step=ref.sign):
        return step(np.asarray(X) @ w + b)

    assert hidden.grade_tlu(tlu, points=3) < 3
    assert "step should default to heaviside" in capsys.readouterr().out


def test_hidden_inputs_are_deterministic_and_cover_awkward_shapes():
    first = hidden.step_inputs("heaviside")
    again = hidden.step_inputs("heaviside")
    assert all(np.array_equal(a[1], b[1]) for a, b in zip(first, again))
    shapes = {np.shape(t) for _, t in first}
    assert {(), (1,), (1, 6)} <= shapes and any(len(s) == 3 for s in shapes)
    assert any(isinstance(t, float) for _, t in first) and any(type(t) is int for _, t in first)


def test_public_checks_wait_for_an_endless_loop_only_once(capsys):
    import time

    def endless(t):
        while True:
            pass

    start = time.perf_counter()
    with pytest.raises(PublicCheckError):
        public.check_sign(endless)
    assert time.perf_counter() - start < 4
    assert "skipped: an earlier call did not return in time" in capsys.readouterr().out
