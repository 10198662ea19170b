"""course.harness: safe calls and staged comparison."""

import sys
import warnings

import numpy as np
import pytest

from course import harness
from course.harness import call_safely, compare, finite_float


def test_call_returns_value_and_captures_output():
    def noisy(x):
        print("hello")
        print("oops", file=sys.stderr)
        warnings.warn("careful", RuntimeWarning)
        return x + 1

    result = call_safely(noisy, 1)
    assert result.ok and result.value == 2
    assert result.stdout == "hello\n" and result.stderr == "oops\n"
    assert result.warnings == ["RuntimeWarning: careful"]


def test_call_turns_exceptions_into_messages():
    result = call_safely(lambda t: 1 / 0, 3)
    assert not result.ok and isinstance(result.error, ZeroDivisionError)
    assert result.problem("f(3)") == "f(3) raised ZeroDivisionError: division by zero"


def _endless(t):
    while True:
        t = t + 1


def _swallows_errors(t):
    while True:
        try:
            t = t + 1
        except Exception:  # noqa: BLE001 - a student's catch-all; the time-out is not an Exception
            pass


def _bare_except(t):
    while True:
        try:
            t = t + 1
        except:  # noqa: E722 - the signal lands at the loop's jump, outside the try
            pass


@pytest.mark.parametrize("func", [_endless, _swallows_errors, _bare_except])
def test_endless_loops_are_stopped(func):
    result = call_safely(func, 0, time_limit=0.3)
    assert result.timed_out
    assert 0.3 <= result.seconds < 5
    assert "did not return" in result.problem("f(0)")


def test_modified_arguments_are_reported_and_caller_is_untouched():
    def clobber(a, b):
        a[0] = 99.0
        return a

    original = np.array([1.0, 2.0])
    result = call_safely(clobber, original, np.zeros(2), arg_names=["a", "b"])
    assert result.mutated == ["a"]
    assert original[0] == 1.0  # the function got a copy


class AlwaysEqual(np.ndarray):
    def __eq__(self, other):
        return True


@pytest.mark.parametrize(
    "got, expected, fragment",
    [
        ([1.0, 2.0], np.array([1.0, 2.0]), "should be an np.ndarray, got list"),
        (np.array([1.0, 2.0]).view(AlwaysEqual), np.array([5.0, 6.0]), "should be an np.ndarray"),
        (np.zeros((2, 1)), np.zeros(2), "should have shape (2,), got shape (2, 1)"),
        (np.array([True, False]), np.array([1.0, 0.0]), "got dtype bool"),
        (np.array([np.nan, 1.0]), np.array([0.0, 1.0]), "non-finite"),
        (np.array([1.0, 3.0]), np.array([1.0, 2.0]), "wrong at 1 of 2 positions"),
        ("1.0", np.array(1.0), "should be a number or a 0-d array, got str"),
        (np.float64(2.0), np.array(1.0), "returned 2, expected 1"),
    ],
)
def test_compare_stops_at_the_first_failing_stage(got, expected, fragment):
    message = compare(got, expected)
    assert message is not None and fragment in message


@pytest.mark.parametrize("got", [1.0, 1, np.float32(1.0), np.array(1.0), np.int64(1)])
def test_compare_accepts_any_numeric_scalar_for_a_scalar(got):
    assert compare(got, np.array(1.0)) is None


def test_compare_uses_tolerances():
    assert compare(np.array([1.0 + 1e-7]), np.array([1.0])) is None
    assert compare(np.array([1.0 + 1e-3]), np.array([1.0])) is not None


def test_compare_is_not_fooled_by_rebinding_numpy(monkeypatch):
    monkeypatch.setattr(np, "isclose", lambda *a, **k: np.ones(np.shape(a[0]), bool))
    monkeypatch.setattr(np, "allclose", lambda *a, **k: True)
    assert compare(np.array([5.0]), np.array([1.0])) is not None


def test_finite_float_is_a_plain_float():
    value = finite_float(np.float64(1.5))
    assert type(value) is float and repr(value) == "1.5"
    assert finite_float(float("nan")) == 0.0


def test_a_consumed_random_generator_is_not_a_modified_input():
    result = call_safely(lambda x, rng: x + rng.normal(), 1.0, np.random.default_rng(0),
                         arg_names=["x", "rng"])
    assert result.ok and result.mutated == []


def test_an_interrupt_is_not_mistaken_for_the_students_error():
    def interrupted(t):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        call_safely(interrupted, 0)


# --- whose warnings count, and stubs ----------------------------------------------------------

def test_only_warnings_raised_by_the_students_code_count():
    import warnings as _warnings

    def own_overflow(z):
        return np.exp(z)  # NumPy warns on this line: the student's

    def own_warning(z):
        _warnings.warn("my own", UserWarning)
        return z

    def library_warning(z):
        return np.mean(np.array([])) if z else z  # NumPy warns from its own files

    assert harness.call_safely(own_overflow, np.array([1000.0])).warnings == [
        "RuntimeWarning: overflow encountered in exp"]
    assert harness.call_safely(own_warning, 1.0).warnings == ["UserWarning: my own"]
    result = harness.call_safely(library_warning, 1.0)
    assert result.warnings == [] and result.library_warnings  # recorded, not counted


def test_warned_by_library_knows_the_standard_library_site_packages_and_notebook_cells():
    import json

    assert harness.warned_by_library(json.__file__)
    assert harness.warned_by_library(np.__file__)
    assert harness.warned_by_library("/usr/local/lib/python3.13/dist-packages/jupyter_client/"
                                     "session.py")  # Colab's layout
    assert harness.warned_by_library("<frozen importlib._bootstrap>")
    assert not harness.warned_by_library("/tmp/ipykernel_42/1234.py")  # a notebook cell
    assert not harness.warned_by_library("<ipython-input-3-abc>")
    assert not harness.warned_by_library("<string>")


def test_a_stub_says_not_written_yet():
    def stub(t):
        raise NotImplementedError()

    def unhelpful(t):
        raise ValueError()

    assert harness.call_safely(stub, 1.0).problem("heaviside(1.0)") == (
        "heaviside(1.0): not written yet: replace `raise NotImplementedError()` with your code")
    assert harness.call_safely(unhelpful, 1.0).problem("f(1.0)") == "f(1.0) raised ValueError"
