"""Building synthetic submissions from the released notebooks (demo class, mutant catalog).

A submission starts as the released student notebook (what a student downloads); answer cells
are filled with given sources. ``reference_answers`` extracts the instructor's answers from the
source notebook, so a "perfect" student always matches the current solutions.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

from autograder import NOTEBOOKS_DIR, SOLUTIONS_DIR

_SOLUTION_MARKER = re.compile(r"^\s*### (BEGIN|END) SOLUTION\s*$")


def notebook_path(assignment: str, root: Path) -> Path:
    """``root/<assignment>/<assignment>.ipynb``: one notebook per assignment, same name."""
    return Path(root) / assignment / f"{assignment}.ipynb"


def read_release(assignment: str, release_dir: Path = NOTEBOOKS_DIR):
    """The student version of ``assignment`` as an nbformat notebook."""
    return nbformat.read(notebook_path(assignment, release_dir), as_version=4)


def _grade_id(cell) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def _is_answer(cell) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return bool(meta.get("solution"))


def reference_answers(assignment: str, solutions_dir: Path = SOLUTIONS_DIR) -> dict[str, str]:
    """{grade_id: source} of every answer cell of the source notebook, solution markers removed."""
    nb = nbformat.read(notebook_path(assignment, solutions_dir), as_version=4)
    answers = {}
    for cell in nb.cells:
        if _is_answer(cell):
            lines = [line for line in cell.source.splitlines() if not _SOLUTION_MARKER.match(line)]
            answers[_grade_id(cell)] = "\n".join(lines)
    return answers


def answer_ids(assignment: str, release_dir: Path = NOTEBOOKS_DIR) -> list[str]:
    """Grade ids of the answer cells, in notebook order."""
    return [_grade_id(c) for c in read_release(assignment, release_dir).cells if _is_answer(c)]


def fill_answers(nb, answers: dict[str, str]):
    """Return a copy of ``nb`` with the answer cells named in ``answers`` replaced."""
    nb = nbformat.from_dict(nb)  # deep copy
    unknown = set(answers) - {_grade_id(c) for c in nb.cells if _is_answer(c)}
    if unknown:
        raise KeyError(f"answers: no answer cell with grade_id {sorted(unknown)}")
    for cell in nb.cells:
        if _is_answer(cell) and _grade_id(cell) in answers:
            cell.source = answers[_grade_id(cell)]
    return nb


def write_notebook(nb, path: Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path
