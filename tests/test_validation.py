"""course.validation: errors name the argument, what was expected and what came."""

import numpy as np
import pytest

from course.validation import as_real_array, check_int


def test_real_array_conversion():
    out = as_real_array([1, 2, 3], "X")
    assert out.dtype == np.float64 and out.shape == (3,)


@pytest.mark.parametrize(
    "value, kwargs, error, fragments",
    [
        ("abc", {}, TypeError, ["X must be", "str"]),
        (None, {}, TypeError, ["X must be", "NoneType"]),
        (np.array(["a", "b"]), {}, TypeError, ["X must hold real numbers", "<U1"]),
        (np.array([1 + 2j]), {}, TypeError, ["complex"]),
        (np.zeros((2, 2)), {"ndim": 1}, ValueError, ["X must be 1-D", "(2, 2)"]),
        (np.zeros(3), {"ndim": (0, 2)}, ValueError, ["0-D or 2-D", "(3,)"]),
    ],
)
def test_bad_arrays_are_rejected_with_a_clear_message(value, kwargs, error, fragments):
    with pytest.raises(error) as info:
        as_real_array(value, "X", **kwargs)
    for fragment in fragments:
        assert fragment in str(info.value)


def test_check_int():
    assert check_int(3, "n", minimum=1) == 3
    with pytest.raises(TypeError, match="n must be an integer, got bool"):
        check_int(True, "n")
    with pytest.raises(ValueError, match="n must be at least 1, got 0"):
        check_int(0, "n", minimum=1)
