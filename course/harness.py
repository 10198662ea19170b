"""Calling student code safely and comparing what it returns, stage by stage.

Shared by the public checks (in this package) and the hidden checks (instructor side). A call
is time-limited, its prints and warnings are captured (nbgrader gives zero points to a test cell
that writes to stderr), exceptions become messages, and inputs are checked for modification.
Comparison goes through stages, each with its own message: type, shape, dtype, finite, close.
"""

from __future__ import annotations

import contextlib
import contextvars
import copy
import functools
import io
import math
import os
import signal
import site
import sys
import sysconfig
import threading
import time
import warnings
from dataclasses import dataclass, field

import numpy as np

# Bound at import time so that rebinding np.allclose & co. later in a notebook cannot change
# how answers are compared.
_isclose = np.isclose
_isfinite = np.isfinite
_array_equal = np.array_equal
_ndarray = np.ndarray
_generic = np.generic
_asarray = np.asarray
_deepcopy = copy.deepcopy

NUMERIC_KINDS = "iuf"
#: What a check says about a function that still raises NotImplementedError (an untouched stub).
STUB_HINT = "not written yet: replace `raise NotImplementedError()` with your code"


def _library_folders() -> tuple:
    """Folders whose code is not the student's: the standard library, every site-packages
    folder (Colab's dist-packages included) and this package."""
    folders = {os.path.dirname(os.path.abspath(__file__))}
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        path = sysconfig.get_paths().get(key)
        if path:
            folders.add(os.path.abspath(path))
    try:
        folders.update(os.path.abspath(p) for p in site.getsitepackages())
        folders.add(os.path.abspath(site.getusersitepackages()))
    except AttributeError:  # virtual environments of old virtualenv lack these
        pass
    folders.add(os.path.abspath(os.path.join(sys.base_prefix, "lib")))
    return tuple(sorted(folders))


_LIBRARY_FOLDERS = _library_folders()


def warned_by_library(filename: str) -> bool:
    """Whether a warning attributed to ``filename`` comes from a library, not from the student.

    A warning is attributed to the frame that warns (``warnings.warn``'s ``stacklevel``; for
    warnings raised in C, such as NumPy's overflow, the Python line that called it). Student
    code lives in a notebook cell (``/tmp/ipykernel_.../....py``, ``<ipython-input-...>``) or
    wherever its file is; a display inside a checked call (tqdm's widget bar, Colab's
    jupyter_client 7.4.9 calling ``datetime.utcnow()``) warns from a library file.
    """
    if not filename:
        return False
    if filename.startswith("<frozen"):
        return True
    path = os.path.abspath(filename)
    parts = path.split(os.sep)
    if "site-packages" in parts or "dist-packages" in parts:
        return True
    return any(path == folder or path.startswith(folder + os.sep) for folder in _LIBRARY_FOLDERS)


class CallTimeout(BaseException):
    """Raised inside a student call that ran past its time limit.

    A BaseException so that ``except Exception`` in student code does not swallow it.
    """


@dataclass
class CallResult:
    """What happened when a function was called: value, error, output, timing."""

    value: object = None
    error: BaseException | None = None
    timed_out: bool = False
    stdout: str = ""
    stderr: str = ""
    warnings: list = field(default_factory=list)  # raised by the student's code: they count
    library_warnings: list = field(default_factory=list)  # raised by libraries: ignored
    seconds: float = 0.0
    mutated: list = field(default_factory=list)  # names of arguments the call modified

    @property
    def ok(self) -> bool:
        return self.error is None and not self.timed_out

    def problem(self, call: str) -> str | None:
        """A one-line explanation of why the call failed, or None when it returned."""
        if self.timed_out:
            return f"{call} did not return within {self.seconds:.1f} s (an endless loop?)"
        if isinstance(self.error, NotImplementedError):
            return f"{call}: {STUB_HINT}"
        if self.error is not None:
            message = str(self.error)
            return f"{call} raised {type(self.error).__name__}" + (f": {message}" if message
                                                                    else "")
        return None


def _can_use_alarm() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


# When the current time-limited call must end (time.monotonic()); read by the grader's
# stand-ins for objects that live in a sandbox, which enforce it from outside.
_DEADLINE: contextvars.ContextVar = contextvars.ContextVar("deadline", default=None)


def current_deadline() -> float | None:
    """The deadline of the innermost time-limited call running now, or None."""
    return _DEADLINE.get()


@contextlib.contextmanager
def _deadline(seconds):
    if seconds is None:
        yield
        return
    deadline = time.monotonic() + seconds
    outer = _DEADLINE.get()
    token = _DEADLINE.set(deadline if outer is None else min(outer, deadline))
    try:
        yield
    finally:
        _DEADLINE.reset(token)


@contextlib.contextmanager
def _time_limit(seconds: float):
    with _deadline(seconds), _alarm(seconds):
        yield


@contextlib.contextmanager
def _alarm(seconds: float):
    if not _can_use_alarm() or seconds is None:
        yield
        return

    def on_alarm(signum, frame):
        raise CallTimeout()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    # Re-fire every 0.1 s, so a bare ``except:`` that swallows one alarm meets the next at the
    # loop's backward jump, outside the ``try``. (Code that catches BaseException everywhere can
    # still outlast it; the grading cell's time-out and the pipeline's kill are the backstop.)
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.1)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _same(a, b) -> bool:
    """Structural equality of inputs before and after a call (arrays compared bitwise).

    A random generator is meant to be consumed by the call, so it always counts as unchanged.
    """
    if isinstance(a, np.random.Generator) and isinstance(b, np.random.Generator):
        return True
    if isinstance(a, _ndarray) or isinstance(b, _ndarray):
        return (
            type(a) is type(b)
            and a.shape == b.shape
            and a.dtype == b.dtype
            and bool(_array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
        )
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(map(_same, a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    try:
        return bool(a == b) or (a != a and b != b)
    except Exception:
        return a is b


def call_safely(func, *args, time_limit: float = 2.0, arg_names=None, **kwargs) -> CallResult:
    """Call ``func(*args, **kwargs)`` with a time limit, capturing output and errors.

    Arguments are deep-copied first; afterwards the copies given to ``func`` are compared with
    pristine ones, and the names of modified arguments are listed in ``CallResult.mutated``.
    """
    names = list(arg_names or [f"argument {i + 1}" for i in range(len(args))])
    pristine_args = _deepcopy(args)
    pristine_kwargs = _deepcopy(kwargs)
    given_args = _deepcopy(args)
    given_kwargs = _deepcopy(kwargs)
    result = CallResult()
    out, err = io.StringIO(), io.StringIO()
    start = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                with _time_limit(time_limit):
                    result.value = func(*given_args, **given_kwargs)
            except CallTimeout:
                result.timed_out = True
            except Exception as exc:  # student code may raise anything
                result.error = exc
            except SystemExit as exc:  # sys.exit() in student code
                result.error = exc
            # KeyboardInterrupt is not caught: it is the grader's (or the student's) own
            # interrupt of a cell that ran too long, and must stop the whole cell.
    result.seconds = time.perf_counter() - start
    result.stdout, result.stderr = out.getvalue(), err.getvalue()
    for w in caught:  # by origin, not by category: a library's warning is not the student's
        text = f"{w.category.__name__}: {w.message}"
        (result.library_warnings if warned_by_library(w.filename) else result.warnings).append(
            text)
    for name, before, after in zip(names, pristine_args, given_args):
        if not _same(before, after):
            result.mutated.append(name)
    for name in pristine_kwargs:
        if not _same(pristine_kwargs[name], given_kwargs[name]):
            result.mutated.append(name)
    return result


def _fmt(value) -> str:
    """A number for a message: 6 significant digits, and never "-0" (a negative zero, or a
    tiny negative number rounded, reads as a different input than 0 to a student). A 0-d
    array prints as its number ("-1.46278", not "array(-1.46278344)")."""
    if type(value) is _ndarray and value.ndim == 0:
        value = value[()]
    if isinstance(value, (float, np.floating)):
        return _no_negative_zero(f"{float(value):.6g}")
    return repr(value.item() if isinstance(value, np.generic) else value)


def _no_negative_zero(text: str) -> str:
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def _is_scalar_like(value) -> bool:
    return (
        type(value) in (int, float)
        or (isinstance(value, _generic) and type(value).__module__ == "numpy")
        or (type(value) is _ndarray and value.ndim == 0)
    )


def compare(
    got,
    expected,
    *,
    what: str = "the result",
    rtol: float = 1e-5,
    atol: float = 1e-8,
    kinds: str = NUMERIC_KINDS,
    context=None,
) -> str | None:
    """Compare a student's result with the expected array, stage by stage.

    Stages: type -> shape -> dtype kind -> finite -> close. Returns None when everything
    matches, otherwise a message for the first stage that fails.

    Parameters
    ----------
    got : the student's value
    expected : np.ndarray, the reference value (0-d for a scalar result)
    what : how to name the value in messages
    kinds : accepted dtype kinds (``np.dtype.kind`` letters)
    context : optional (name, array) of the input, to quote the input at the first mismatch
    """
    expected = _asarray(expected)
    # type: exactly an ndarray (a subclass could redefine comparisons); a numpy or Python
    # scalar is accepted where a single number is expected
    if expected.ndim == 0:
        if not _is_scalar_like(got):
            return f"{what} should be a number or a 0-d array, got {_type_name(got)}"
        got_array = _asarray(got)
    else:
        if type(got) is not _ndarray:
            return f"{what} should be an np.ndarray, got {_type_name(got)}"
        got_array = got
    if got_array.shape != expected.shape:
        return f"{what} should have shape {expected.shape}, got shape {got_array.shape}"
    if got_array.dtype.kind not in kinds:
        return (
            f"{what} should hold numbers (dtype kinds {', '.join(kinds)}), "
            f"got dtype {got_array.dtype}"
        )
    got_float = got_array.astype(np.float64)
    finite_expected = _isfinite(expected)
    bad = _isfinite(got_float) != finite_expected
    if bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        return f"{what} has non-finite values where finite ones are expected, e.g. at {index}: " \
            f"got {_fmt(got_float[index])}, expected {_fmt(expected[index])}"
    close = _isclose(got_float, expected, rtol=rtol, atol=atol, equal_nan=True)
    if close.all():
        return None
    if expected.ndim == 0:
        given = ""
        if context is not None and _asarray(context[1]).ndim == 0:
            given = f" for {context[0]} = {_fmt(_asarray(context[1])[()])}"
        return f"{what} returned {_fmt(got_float[()])}{given}, expected {_fmt(expected[()])}"
    index = tuple(int(i) for i in np.argwhere(~close)[0])
    given = ""
    if context is not None:
        name, array = context
        array = _asarray(array)
        if array.shape == expected.shape:
            given = f" ({name} = {_fmt(array[index])})"
    return (
        f"{what} is wrong at {int((~close).sum())} of {close.size} positions; "
        f"first at index {index}{given}: expected {_fmt(expected[index])}, "
        f"got {_fmt(got_float[index])}"
    )
    return None


def _type_name(value) -> str:
    if isinstance(value, np.ndarray):
        return f"{type(value).__name__} of shape {value.shape}"
    return type(value).__name__


def shape_of(value) -> str:
    """Describe an input for a message: 'scalar 0.5', 'array of shape (3, 4)'."""
    if isinstance(value, np.ndarray):
        return f"array of shape {value.shape}" if value.ndim else f"0-d array {_fmt(value)}"
    if isinstance(value, (int, float, np.generic)):
        return f"scalar {_fmt(value)}"
    return type(value).__name__


def finite_float(value) -> float:
    """Return a plain Python float, never NaN: nbgrader reads the repr of a cell's last value,
    and ``np.float64(1.0)`` does not parse as a number (which would mean full marks)."""
    value = float(value)
    return 0.0 if math.isnan(value) else value


class NotWrittenYet(NotImplementedError):
    """A figure or widget called an exercise that still raises NotImplementedError."""

    def __init__(self, name: str):
        self.name = name
        super().__init__(f"Finish the exercise `{name}` first: this figure calls it, and it is "
                         f"{STUB_HINT}.")

    def _render_traceback_(self):  # IPython shows this one line instead of a traceback
        return [str(self)]


def call_exercise(func, *args, **kwargs):
    """Call a student's function for a figure; an untouched stub raises NotWrittenYet."""
    try:
        return func(*args, **kwargs)
    except NotImplementedError:
        raise NotWrittenYet(getattr(func, "__name__", "the exercise")) from None


def needs_exercises(figure):
    """Decorator for figures that call exercises: when one is not written yet, the half-drawn
    figure is closed and NotWrittenYet propagates, which IPython shows as its one line naming
    the exercise (no traceback). Widgets catch it and print that line in their output."""
    @functools.wraps(figure)
    def wrapper(*args, **kwargs):
        import matplotlib.pyplot as plt

        before = set(plt.get_fignums())
        try:
            return figure(*args, **kwargs)
        except NotWrittenYet:
            for number in set(plt.get_fignums()) - before:
                plt.close(number)
            raise
    return wrapper
