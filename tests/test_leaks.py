"""No answer in what students get: the student package and the released read-only cells.

Every public callable of ``course.*`` (the package is walked, so a new module is covered
without editing this file), and every function or class that a released read-only cell
defines, is graded by the hidden checks of every graded name whose signature it fits (its
required arguments bind), in process, as tests/test_checks_*.py grade the mutants. None may
earn a point. The one
exception is the release schedule (README, "Releasing in steps"): notebook k+1 is released
after notebook k's deadline, so a read-only cell of notebook N may answer the questions of
notebooks before N, never those of N or later.

Run with ``-s`` to see the list of candidates tried and what each scored.
"""

from __future__ import annotations

import ast
import functools
import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import matplotlib
import nbformat
import numpy as np
import pytest

import course

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
# hidden-check module -> its notebook's number
NOTEBOOKS = {"threshold_logic_unit": 1, "logistic_regression": 2, "perceptron": 3,
             "multilayer_perceptron": 4, "backpropagation": 5, "regularization": 6,
             "keras_dna_motifs": 7}
# Candidates that would start a browser, a widget or a long job when called: none fits an
# exercise's signature anyway (checked below), and calling them proves nothing.
NOT_CALLED = {"course.widgets.interactive_tlu"}
# "Earning a point" is what an answer does: at least one point (all of a question worth less).
# Smaller partial credit is listed but is no answer: the hidden checks give a function that is
# not the answer the cases where it happens to agree (the identity is right for relu(x > 0)
# and sign(0), a sigmoid for relu_derivative's type and shape cases).


def _graded():
    """(notebook, module, name, grade function, number of the exercise's required arguments,
    is a class) for every graded function or class."""
    graded = []
    for module_name, number in NOTEBOOKS.items():
        hidden = importlib.import_module(f"autograder.hidden.{module_name}")
        reference = importlib.import_module(f"autograder.reference.{module_name}")
        for attribute, grade in vars(hidden).items():
            if not attribute.startswith("grade_") or not callable(grade):
                continue
            name = attribute[len("grade_"):]
            answer = getattr(reference, name, None)
            if not callable(answer):  # values such as XOR_PARAMS or the logic gates
                continue
            target = answer.__init__ if inspect.isclass(answer) else answer
            required = [p for p in inspect.signature(target).parameters.values()
                        if p.default is inspect.Parameter.empty
                        and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
                        and p.name != "self"]
            points = inspect.signature(grade).parameters["points"].default
            graded.append((number, module_name, name, grade, len(required),
                           inspect.isclass(answer), points))
    return graded


def _fits(candidate, n_args: int) -> bool:
    try:
        inspect.signature(candidate).bind(*range(n_args))
    except (TypeError, ValueError):
        return False
    return True


def _package_candidates():
    """(label, object) for every public function and class defined in a course module."""
    found = {}
    for info in pkgutil.walk_packages(course.__path__, prefix="course."):
        module = importlib.import_module(info.name)
        for attribute, value in vars(module).items():
            if attribute.startswith("_") or not callable(value):
                continue
            if getattr(value, "__module__", None) != module.__name__:
                continue  # imported from elsewhere: tried where it is defined
            found[f"{module.__name__}.{attribute}"] = value
    return sorted(found.items())


_MAGIC = re.compile(r"^(\s*)[%!].*$", re.MULTILINE)


def _read_only_candidates():
    """(label, notebook number, object) for every function and class defined in a released
    read-only code cell. The notebook's cells run in order as a student who has answered
    nothing runs them: answer cells as released (their stubs defined), read-only cells as
    they are (magics left out), other cells not at all."""
    found = []
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*/*.ipynb")):
        number = int(path.name[:2])
        notebook = nbformat.read(path, as_version=4)
        namespace = {"np": np, "plt": plt}
        for cell in notebook.cells:
            meta = cell.metadata.get("nbgrader", {})
            if cell.cell_type != "code" or meta.get("grade"):
                continue
            source = _MAGIC.sub(r"\1pass", cell.source)  # %pip and the like: not run
            defined = [node.name for node in ast.parse(source).body
                       if isinstance(node, (ast.FunctionDef, ast.ClassDef))]
            if not defined or not (meta.get("locked") or meta.get("solution")):
                continue
            code = compile(source, f"{path.name}:{meta.get('grade_id')}", "exec")
            if meta.get("solution"):
                try:  # an unanswered stub: defines the name, or raises (an assignment, or a
                    exec(code, namespace)  # default that names an earlier answer)
                except Exception:  # noqa: BLE001 - whatever a stub raises, it defines nothing
                    pass
                continue
            exec(code, namespace)
            for name in defined:
                found.append((f"{path.name[:2]} {meta.get('grade_id')}: {name}", number,
                              namespace[name]))
    return found


def _score(grade, candidate, capsys) -> float:
    try:
        score = float(grade(candidate))
    except Exception as exc:  # a grader must not crash on a strange answer; say so plainly
        pytest.fail(f"{grade.__module__}.{grade.__name__} raised {exc!r}")
    finally:
        plt.close("all")
        capsys.readouterr()  # the graders' messages: not needed here
    return score


@pytest.fixture
def _models_once(monkeypatch):
    """Build the saliency check's untrained Keras models once, not once per candidate (each
    build is about 0.3 s, and nearly every candidate fits saliency_map's two arguments)."""
    from autograder.hidden import keras_dna_motifs

    monkeypatch.setattr(keras_dna_motifs, "_untrained_model",
                        functools.cache(keras_dna_motifs._untrained_model))


def _try_all(candidates, allowed_before, capsys, only=None):
    """Grade each candidate by every fitting graded name (of the hidden modules ``only``, or
    all); return (rows, leaks)."""
    graded = [g for g in _graded() if only is None or g[1] in only]
    rows, leaks = [], []
    for label, before, candidate in candidates:
        if label.split(" ")[-1] in NOT_CALLED:
            rows.append((label, "not called"))
            continue
        is_class = inspect.isclass(candidate)
        tried = []
        for number, module, name, grade, n_args, wants_class, points in graded:
            if wants_class != is_class or not _fits(candidate, n_args):
                continue
            if allowed_before is not None and number < before:
                continue  # released after that notebook's deadline: its answers are public
            score = _score(grade, candidate, capsys)
            tried.append(f"{name} ({number:02d}): {score:g}")
            if score >= min(1.0, points):
                leaks.append(f"{label} earns {score:g} point(s) for {module}.{name}")
        rows.append((label, ", ".join(tried) or "fits no graded signature"))
    return rows, leaks


def _print(title, rows):
    print(f"\n{title}")
    for label, result in rows:
        print(f"  {label:58s} {result}")


@pytest.mark.slow  # about 25 s: some 150 callables, each against every fitting name
def test_no_public_callable_of_the_student_package_earns_a_point(capsys, _models_once):
    candidates = [(label, None, value) for label, value in _package_candidates()]
    assert len(candidates) > 50  # the walk found the package (a broken walk would pass)
    with np.errstate(all="ignore"):
        rows, leaks = _try_all(candidates, None, capsys)
    with capsys.disabled():
        _print(f"course.*: {len(rows)} public callables, graded by every fitting name", rows)
    assert any("course.network.network_output" == label for label, _ in rows)
    assert not leaks, "\n".join(leaks)


@pytest.mark.slow  # 10-60 s: the saliency check trains a Keras model once
def test_no_read_only_cell_answers_its_own_or_a_later_notebook(capsys, _models_once):
    candidates = _read_only_candidates()
    assert any(label.startswith("05 from_notebook_04") for label, _, _ in candidates)
    with np.errstate(all="ignore"):
        rows, leaks = _try_all(candidates, True, capsys)
    with capsys.disabled():
        _print(f"read-only cells: {len(rows)} definitions, graded by the names of their own "
               f"and later notebooks", rows)
    assert not leaks, "\n".join(leaks)


def test_the_leak_test_catches_an_answer():
    """The machinery itself: a reference answer placed among the candidates is caught."""
    from autograder.reference import regularization

    class Capture:  # capsys stand-in for a plain call
        @staticmethod
        def readouterr():
            return None

    rows, leaks = _try_all([("planted l1_gradient", None, regularization.l1_gradient)], None,
                           Capture, only={"regularization"})
    assert any("regularization.l1_gradient" in leak for leak in leaks), rows
