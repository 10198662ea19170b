"""Static scan of a submission for code that tampers with the grading.

Hidden tests run in the student's own kernel, so code in a submission could rebind the
functions the tests rely on. The checks already defend themselves at run time (numpy helpers
bound before any student cell runs, exact type checks against ``__eq__`` spoofing, time limits);
this scan adds a check that runs *outside* the kernel, where a submission cannot reach it.

It reads only the code a student can change (answer cells and cells they added; locked cells
are restored from the source notebook by nbgrader anyway) and flags:
- any mention of the grading code (``autograder``, ``course.checks``, ``course.harness``);
- reaching into the interpreter: ``sys.modules``, ``sys.settrace``, ``builtins``, ``gc``,
  ``ctypes``, ``inspect`` frames, ``importlib``, ``__import__``, ``signal`` (time limits);
- ``exec``/``eval``/``compile`` of strings, which could hide any of the above;
- assigning to or deleting an attribute of an imported module (``np.allclose = ...``) and
  ``setattr``/``delattr`` on one.
None of these is needed to answer any exercise in the course. Answer cells are also flagged
for importing ``course.network``, the course's own network, which computes what notebooks
04-06 ask students to write (cells a student adds may use it to experiment).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

FORBIDDEN_MODULES = {
    "autograder", "builtins", "__builtin__", "gc", "ctypes", "importlib", "signal",
    "inspect", "course.checks", "course.harness",
}
# Modules an answer cell must not import: they answer exercises for the student.
ANSWER_MODULES = {"course.network"}
FORBIDDEN_NAMES = {"__builtins__", "__import__", "exec", "eval", "compile", "autograder"}
FORBIDDEN_SYS_ATTRIBUTES = {
    "modules", "settrace", "setprofile", "_getframe", "meta_path", "path_hooks", "exit",
}


@dataclass(frozen=True)
class Finding:
    """One suspicious construct: the answer cell it is in (None: a cell the student added)."""

    grade_id: str | None
    line: int
    message: str


def _python_source(source: str) -> str:
    """Turn IPython syntax (magics, shell escapes) into plain Python so it can be parsed."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager
    except ImportError:  # pragma: no cover - IPython is part of the grading environment
        return source
    return TransformerManager().transform_cell(source)


def _root_name(node: ast.AST) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _module_matches(module: str, forbidden_modules=FORBIDDEN_MODULES) -> str | None:
    for forbidden in forbidden_modules:
        if module == forbidden or module.startswith(forbidden + "."):
            return forbidden
    return None


class _Scanner(ast.NodeVisitor):
    def __init__(self, forbidden_modules=FORBIDDEN_MODULES):
        self.problems: list[tuple[int, str]] = []
        self.module_aliases: set[str] = set()
        self.forbidden_modules = forbidden_modules

    def flag(self, node: ast.AST, message: str) -> None:
        self.problems.append((getattr(node, "lineno", 0), message))

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.module_aliases.add((alias.asname or alias.name).split(".")[0])
            if _module_matches(alias.name, self.forbidden_modules):
                self.flag(node, f"imports {alias.name}")

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        for alias in node.names:
            full = f"{module}.{alias.name}" if module else alias.name
            if _module_matches(module, self.forbidden_modules) \
                    or _module_matches(full, self.forbidden_modules):
                self.flag(node, f"imports {full}")
            if alias.name[:1].islower():
                self.module_aliases.add(alias.asname or alias.name)

    def visit_Name(self, node: ast.Name) -> None:
        if node.id in FORBIDDEN_NAMES:
            self.flag(node, f"uses {node.id}")

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if isinstance(node.value, ast.Name) and node.value.id == "sys" \
                and node.attr in FORBIDDEN_SYS_ATTRIBUTES:
            self.flag(node, f"uses sys.{node.attr}")
        if node.attr in {"f_globals", "f_locals", "f_back", "__globals__", "__code__",
                         "__closure__", "__builtins__"}:
            self.flag(node, f"reaches into {node.attr}")
        self.generic_visit(node)

    def _check_target(self, target: ast.AST, verb: str) -> None:
        if isinstance(target, ast.Attribute):
            root = _root_name(target)
            if root in self.module_aliases:
                self.flag(target, f"{verb} {ast.unparse(target)}, "
                               f"part of the imported module {root}")
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self._check_target(element, verb)

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self._check_target(target, "assigns to")
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self._check_target(node.target, "assigns to")
        self.generic_visit(node)

    def visit_Delete(self, node: ast.Delete) -> None:
        for target in node.targets:
            self._check_target(target, "deletes")
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        if isinstance(node.func, ast.Name) and node.func.id in {"setattr", "delattr"} \
                and node.args and _root_name(node.args[0]) in self.module_aliases:
            self.flag(node, f"calls {node.func.id} on the module {_root_name(node.args[0])}")
        self.generic_visit(node)


def _student_editable(cell) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    if not meta:
        return True
    return bool(meta.get("solution")) and not meta.get("locked")


def scan_source(source: str, *, answer: bool = False) -> list[tuple[int, str]]:
    """(line, message) for each suspicious construct in one cell's source (``answer``: an
    answer cell, which must not import ``ANSWER_MODULES`` either)."""
    try:
        tree = ast.parse(_python_source(source))
    except SyntaxError:
        return []  # the cell fails on its own when it runs
    scanner = _Scanner(FORBIDDEN_MODULES | ANSWER_MODULES if answer else FORBIDDEN_MODULES)
    # imports anywhere in the cell define aliases before attribute checks use them
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            scanner.module_aliases.update((a.asname or a.name).split(".")[0] for a in node.names)
    scanner.module_aliases.update({"np", "numpy", "plt", "matplotlib", "math", "sys", "os"})
    scanner.visit(tree)
    return sorted(set(scanner.problems))


def scan_notebook(nb) -> list[Finding]:
    """Findings for every student-editable code cell of a notebook (an nbformat node/dict)."""
    findings = []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code" or not _student_editable(cell):
            continue
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        source = cell.get("source", "")
        if isinstance(source, list):
            source = "".join(source)
        for line, message in scan_source(source, answer=grade_id is not None):
            where = f"answer cell {grade_id}" if grade_id else "a cell the student added"
            findings.append(Finding(grade_id, line, f"{where}, line {line}: {message}"))
    return findings
