"""What each test cell grades, read from the instructor's notebook (trusted).

A test cell's hidden part is one call ``hand_in("module.grade_name", answer, ..., points=N)``.
The scorer reads it here, from the source notebook in solutions/, with ``ast`` (nothing is
executed): the grading function of ``autograder.hidden.<module>``, how many answers the cell
hands in, and the points. What the kernel says it hands in is never trusted for any of this.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.S)


class SpecError(ValueError):
    """A test cell's hidden part is not one hand_in call of the expected form."""


@dataclass(frozen=True)
class Spec:
    grade_id: str
    module: str  # autograder.hidden.<module>
    function: str  # grade_<name>
    answers: int  # how many positional answers the cell hands in
    points: float

    def grading_function(self):
        import importlib

        module = importlib.import_module(f"autograder.hidden.{self.module}")
        return getattr(module, self.function)


def spec_of(grade_id: str, source: str) -> Spec | None:
    """The Spec of a test cell's source, or None when it has no hidden part."""
    match = HIDDEN.search(source)
    if match is None:
        return None
    calls = [node for node in ast.walk(ast.parse(match.group(1)))
             if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "hand_in"]
    if len(calls) != 1:
        raise SpecError(f"{grade_id}: the hidden part must call hand_in exactly once")
    call = calls[0]
    if not call.args or not isinstance(call.args[0], ast.Constant) or \
            not isinstance(call.args[0].value, str):
        raise SpecError(f"{grade_id}: hand_in's first argument must be 'module.grade_name'")
    module, _, function = call.args[0].value.rpartition(".")
    if not module.isidentifier() or not function.startswith("grade_"):
        raise SpecError(f"{grade_id}: bad grader name {call.args[0].value!r}")
    points = [k.value for k in call.keywords if k.arg == "points"]
    if len(points) != 1 or not isinstance(points[0], ast.Constant):
        raise SpecError(f"{grade_id}: hand_in needs points=<number>")
    return Spec(grade_id, module, function, len(call.args) - 1, float(points[0].value))


def notebook_specs(path: Path) -> dict[str, Spec]:
    """grade_id -> Spec for every test cell of the instructor notebook at ``path``."""
    nb = nbformat.read(path, as_version=4)
    specs = {}
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("grade") and not meta.get("solution"):
            spec = spec_of(meta["grade_id"], cell.source)
            if spec is not None:
                specs[spec.grade_id] = spec
    return specs
