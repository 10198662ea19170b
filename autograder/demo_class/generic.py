"""Demo submissions for notebooks after 01, built from the mutant catalog.

Every demo student hands in every notebook. Notebook 01 has hand-written stories (see
threshold_logic_unit.py); for the others each student keeps a role, applied to whatever the
notebook's graded questions are, so the demo class follows the course as it grows.
"""

from __future__ import annotations

import re

from autograder.demo_class.submission import LOSES_POINTS, Submission
from autograder.mutants import catalog
from autograder.submissions import fill_answers, read_release, reference_answers

EXPLANATION = "In my own words: (a demo answer, to be graded by hand)."


def _questions(assignment: str) -> dict[str, float]:
    """{answer grade_id: points of its test cell}, in notebook order."""
    cells = read_release(assignment).cells
    ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in cells]
    points = {}
    for cell, grade_id in zip(cells, ids):
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and grade_id and grade_id.startswith("test_"):
            points[grade_id[len("test_"):]] = float(meta["points"])
    return points


def _answers(assignment: str, **overrides) -> dict[str, str]:
    """Reference answers, with a student-like text in the written (hand-graded) answers."""
    answers = reference_answers(assignment)
    for cell in read_release(assignment).cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "markdown" and meta.get("solution"):
            answers[meta["grade_id"]] = EXPLANATION
    answers.update(overrides)
    return answers


def _least_used(assignment: str, questions) -> str:
    """The graded function that other code cells call least (an endless loop in it costs one
    cell time-out per call at grading time)."""
    sources = [c.source for c in read_release(assignment).cells if c.cell_type == "code"]

    def uses(name):
        return sum(len(re.findall(rf"\b{re.escape(name)}\(", s)) for s in sources)

    return min(questions, key=uses)


def _function_stub(name: str, body: str, reference: str) -> str:
    signature = re.search(rf"def {re.escape(name)}\(.*?\):", reference, re.S)
    head = signature.group(0) if signature else f"def {name}(*args, **kwargs):"
    return f"{head}\n{body}\n"


def submissions(assignment: str) -> dict[str, Submission]:
    """{student_id: Submission} for ``assignment``, one per demo role."""
    points = _questions(assignment)
    questions = list(points)
    reference = reference_answers(assignment)
    functions = [q for q in questions if reference[q].lstrip().startswith("def ")]
    mutants = {}
    for variant in catalog():
        if variant.assignment == assignment and not variant.correct:
            mutants.setdefault(variant.question, variant.source)
    full = dict(points)
    zero = {q: 0.0 for q in questions}
    broken = functions[-1]
    endless = _least_used(assignment, functions)
    # mutants go where no other answer calls them, so each costs only its own question
    uncalled = [q for q in questions if q in mutants and not any(
        re.search(rf"\b{re.escape(q)}\(", reference[o]) for o in functions if o != q)]
    wrong = uncalled[:2]

    def callers(name):
        """Questions whose (reference) answer calls ``name``: they fail along with it."""
        return {q: 0.0 for q in functions
                if q != name and re.search(rf"\b{re.escape(name)}\(", reference[q])}

    filename = f"Copy of {assignment}.ipynb"

    def perfect(nb):
        return fill_answers(nb, _answers(assignment))

    def partly_right(nb):
        return fill_answers(nb, _answers(assignment, **{q: mutants[q] for q in wrong}))

    def raises(nb):
        body = '    raise ValueError("not finished yet")'
        return fill_answers(nb, _answers(assignment, **{
            broken: _function_stub(broken, body, reference[broken])}))

    def loops(nb):
        body = "    while True:  # the stopping condition was never written\n        pass"
        return fill_answers(nb, _answers(assignment, **{
            endless: _function_stub(endless, body, reference[endless])}))

    def edits_tests(nb):
        nb = perfect(nb)
        cells = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells}
        nb.cells.remove(cells[f"test_{questions[0]}"])
        cells[f"test_{questions[-1]}"].source = f"{points[questions[-1]]}\n"
        return nb

    def tampers(nb):
        first = questions[0]
        patched = reference[first] + "\nnp.allclose = lambda *args, **kwargs: True\n"
        return fill_answers(nb, _answers(assignment, **{first: patched}))

    return {
        "ada": Submission("perfect", perfect, full),
        "ben": Submission(f"partly right: mutants in {', '.join(wrong)}", partly_right,
                          {**full, **{q: LOSES_POINTS for q in wrong}}),
        "cleo": Submission("handed in untouched", lambda nb: nb, zero),
        "dan": Submission(f"{broken} raises", raises,
                          {**full, broken: 0.0, **callers(broken)}),
        "eve": Submission(f"{endless} never returns", loops,
                          {**full, endless: 0.0, **callers(endless)}),
        "finn": Submission(f"deleted test_{questions[0]}, edited test_{questions[-1]}",
                           edits_tests, full),
        "gia": Submission(f"tampers in {questions[0]} (rebinds np.allclose)", tampers,
                          {**full, questions[0]: 0.0}),
        "hugo": Submission("perfect, uploaded from Colab as 'Copy of ...'", perfect, full,
                           filename=filename),
        "iris": Submission("perfect", perfect, full),
        "jack": Submission("perfect", perfect, full),
        "kim": Submission("perfect", perfect, full),
    }
