"""Why a test cell lost points, read from the outputs of the autograded notebook.

For each scored cell (by grade_id):
- an ``error`` output -> "<ename>: <evalue>" (first line); nbgrader's CellTimeoutError ->
  "cell did not finish within N s";
- else lines of stdout starting with "✗ " (the hidden checks print one per failing case) ->
  joined with " | ", at most ``MAX_CHARS`` characters;
- a stderr output -> "wrote to stderr (nbgrader gives 0): <first line>".
When the cell lost points and the answer cell it grades raised, that is added in brackets.
"""

from __future__ import annotations

import re

from autograder.pipeline.intake import cell_kind, nbgrader_id

MAX_CHARS = 300
FAIL_MARK = "✗ "
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def clip(text: str, limit: int = MAX_CHARS) -> str:
    text = " ".join(text.split()) if "\n" in text else text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _text(output) -> str:
    text = output.get("text", "")
    return "".join(text) if isinstance(text, list) else str(text)


def error_message(output, cell_timeout: float | None) -> str:
    ename = _ANSI.sub("", str(output.get("ename", "Error")))
    if "CellTimeoutError" in ename:
        limit = f"{cell_timeout:g} s" if cell_timeout else "the time limit"
        return f"cell did not finish within {limit}"
    evalue = _ANSI.sub("", str(output.get("evalue", ""))).strip()
    first = evalue.splitlines()[0] if evalue else ""
    return clip(f"{ename}: {first}" if first else ename)


def cell_message(cell, cell_timeout: float | None = None) -> str:
    """What the outputs of one executed cell say went wrong ('' when nothing)."""
    outputs = cell.get("outputs", []) if cell.get("cell_type") == "code" else []
    errors = [o for o in outputs if o.get("output_type") == "error"]
    if errors:
        # An interrupted cell holds KeyboardInterrupt, then nbgrader's CellTimeoutError.
        timeouts = [o for o in errors if "CellTimeoutError" in str(o.get("ename", ""))]
        return error_message((timeouts or errors)[0], cell_timeout)
    failures = []
    for output in outputs:
        if output.get("output_type") == "stream" and output.get("name") == "stdout":
            failures += [line[len(FAIL_MARK):].strip() for line in _text(output).splitlines()
                         if line.startswith(FAIL_MARK)]
    if failures:
        return clip(" | ".join(failures))
    for output in outputs:
        if output.get("output_type") == "stream" and output.get("name") == "stderr":
            lines = [ln for ln in _text(output).splitlines() if ln.strip()]
            return clip("wrote to stderr (nbgrader gives 0): " + (lines[0] if lines else ""))
    return ""


def notebook_messages(nb, cell_timeout: float | None = None) -> dict[str, dict[str, str]]:
    """For an autograded notebook: {"cells": {grade_id: message}, "answers": {grade_id:
    error}}, where "answers" holds errors raised by answer cells (not scored themselves)."""
    cells: dict[str, str] = {}
    answers: dict[str, str] = {}
    for cell in nb.cells:
        gid = nbgrader_id(cell)
        if gid is None:
            continue
        kind = cell_kind(cell)
        message = cell_message(cell, cell_timeout)
        if kind in ("test", "manual", "task"):
            cells[gid] = message
        elif kind == "answer" and message and any(
                o.get("output_type") == "error" for o in cell.get("outputs", [])):
            answers[gid] = message
    return {"cells": cells, "answers": answers}


def answer_context(released, answers: dict[str, str]) -> dict[str, str]:
    """grade_id of a scored cell -> "answer cell X raised ..." for the answer it grades."""
    context: dict[str, str] = {}
    current = None
    for cell in released.cells:
        gid = nbgrader_id(cell)
        if gid is None:
            continue
        kind = cell_kind(cell)
        if kind == "answer":
            current = gid
        elif current in answers and kind in ("test", "task"):
            context[gid] = f"answer cell {current} raised {answers[current]}"
    return context
