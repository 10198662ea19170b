"""autograder.tamper: the static scan that runs outside the student's kernel."""

import nbformat
import pytest

from autograder.tamper import scan_notebook, scan_source


@pytest.mark.parametrize(
    "source, fragment",
    [
        ("np.allclose = lambda *a, **k: True", "assigns to np.allclose"),
        ("import numpy.testing as npt\nnpt.assert_allclose = print", "assigns to npt.assert"),
        ("setattr(np, 'isclose', None)", "calls setattr on the module np"),
        ("import autograder.hidden as h", "imports autograder.hidden"),
        ("from course.harness import compare", "imports course.harness.compare"),
        ("import sys\nsys.modules['autograder'] = None", "uses sys.modules"),
        ("exec('x = 1')", "uses exec"),
        ("float = __builtins__.float", "uses __builtins__"),
        ("import gc", "imports gc"),
        ("import signal\nsignal.alarm(0)", "imports signal"),
        ("def f():\n    return f.__globals__", "reaches into __globals__"),
    ],
)
def test_tampering_is_flagged(source, fragment):
    problems = scan_source(source)
    assert any(fragment in message for _, message in problems), problems


@pytest.mark.parametrize(
    "source",
    [
        "def heaviside(t):\n    return np.where(np.asarray(t) >= 0, 1.0, 0.0)",
        "x = np.zeros(3)\nx[0] = 1\nresult = x.sum()",
        "%timeit np.zeros(3)\n!echo hello",
        "import math\nvalue = math.sqrt(2)",
        "class Gate:\n    def __init__(self):\n        self.w = np.ones(2)",
        "def broken(:\n    pass",  # a syntax error is the cell's own problem, not tampering
    ],
)
def test_honest_code_is_not_flagged(source):
    assert scan_source(source) == []


def test_only_student_editable_cells_are_scanned():
    nb = nbformat.v4.new_notebook()
    locked = nbformat.v4.new_code_cell("import autograder.hidden")
    locked.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True,
                                   "grade_id": "test_x", "points": 1}
    answer = nbformat.v4.new_code_cell("np.isclose = None")
    answer.metadata["nbgrader"] = {"grade": False, "solution": True, "locked": False,
                                   "grade_id": "heaviside"}
    added = nbformat.v4.new_code_cell("import gc")
    nb.cells = [locked, answer, added]
    findings = scan_notebook(nb)
    assert [f.grade_id for f in findings] == ["heaviside", None]
    assert findings[0].message.startswith("answer cell heaviside, line 1:")
    assert "a cell the student added" in findings[1].message


def test_answer_cells_may_not_borrow_the_course_network():
    source = "from course.network import backward\ndef mlp_backward(X, Y, p, c):\n    return 1"
    assert any("imports course.network" in m for _, m in scan_source(source, answer=True))
    # cells a student adds to experiment may use it
    assert scan_source(source) == []
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("import course.network as net", metadata={"nbgrader": {
            "solution": True, "grade": False, "locked": False, "grade_id": "mlp_backward"}}),
        nbformat.v4.new_code_cell("import course.network as net"),
    ])
    findings = scan_notebook(nb)
    assert [f.grade_id for f in findings] == ["mlp_backward"]
