"""The student distribution: where the course lives, the setup cells and badges written from
that one setting, and ``python -m autograder publish DEST --version X.Y.Z [--through NN]``.

``course_location.toml`` (repository root) names the STUDENT repository, the package and its
version. ``release`` calls ``sync_solutions`` first, so the setup cell (cell 1: the pinned
install in Colab) and the "Open in Colab" badge of every source notebook are the setting's,
and nbgrader copies them into the student notebooks and the grading gradebook unchanged (a
student's unchanged setup cell is then never "edited" at intake).

``publish`` writes a folder that can be pushed as its own public repository: the released
notebooks up to NN, the ``course`` package with its own pyproject at the setting's version, a
README for students with the badges, and the MIT licence. It never holds solutions, the
autograder, hidden tests, reference implementations, mutants or the demo class: it copies an
allow-list, then ``leaks`` compares every function it wrote (package and notebook code
cells) with every reference and hidden-check function by normalized syntax tree, and looks
for every hidden-test line of the solutions; any hit removes nothing and fails the publish.
"""

from __future__ import annotations

import ast
import copy
import re
import shutil
import tempfile
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import tomllib

from autograder import ASSIGNMENTS, REPO_ROOT, SOLUTIONS_DIR

LOCATION_FILE = REPO_ROOT / "course_location.toml"
COURSE_DIR = REPO_ROOT / "course"
BADGE_IMAGE = "https://colab.research.google.com/assets/colab-badge.svg"
BADGE_ALT = "Open In Colab"
# What a published folder may hold at its top level (publish writes nothing else).
PUBLISHED_TOP = {"README.md", "LICENSE", "pyproject.toml", ".gitignore", "course", "notebooks",
                 ".git"}
_VERSION = re.compile(r"^\d+\.\d+\.\d+$")
_REPOSITORY = re.compile(r"^https://github\.com/([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+)$")
_PACKAGE = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$")
_COLAB_TEST = 'if "google.colab" in sys.modules:'


class PublishError(ValueError):
    """Bad arguments or settings, or a distribution that would give answers away."""


@dataclass(frozen=True)
class CourseLocation:
    """Where the course lives: ``repository`` (https://github.com/ORG/REPO, the student
    repository), ``package`` (its name on the index), ``version`` (X.Y.Z, tag vX.Y.Z), the
    extras each notebook's setup cell installs ({assignment: (extra, ...)}) and ``branch``,
    the student repository's branch the badges open (notebooks are added to it in steps)."""

    repository: str
    package: str
    version: str
    extras: dict = field(default_factory=dict)
    branch: str = "main"

    @property
    def tag(self) -> str:
        return f"v{self.version}"

    @property
    def github(self) -> str:
        """``ORG/REPO``."""
        return self.repository.removeprefix("https://github.com/")

    def requirement(self, assignment: str) -> str:
        """``package[extras]`` for that notebook."""
        extras = self.extras.get(assignment, ())
        return f"{self.package}[{','.join(extras)}]" if extras else self.package

    def index_spec(self, assignment: str) -> str:
        """What the setup cell asks the package index for: ``dlf-course==X.Y.Z``."""
        return f"{self.requirement(assignment)}=={self.version}"

    def git_spec(self, assignment: str) -> str:
        """The fallback: the student repository at tag vX.Y.Z."""
        return f"{self.requirement(assignment)} @ git+{self.repository}@{self.tag}"

    def colab_url(self, assignment: str) -> str:
        """Colab's address for the published notebook on the student repository's branch."""
        return (f"https://colab.research.google.com/github/{self.github}/blob/{self.branch}/"
                f"notebooks/{assignment}/{assignment}.ipynb")

    def badge(self, assignment: str) -> str:
        """The "Open in Colab" badge, as Markdown."""
        return f"[![{BADGE_ALT}]({BADGE_IMAGE})]({self.colab_url(assignment)})"


def load_location(path: Path = LOCATION_FILE) -> CourseLocation:
    """Read and check ``course_location.toml``; errors name the key, what was expected and
    what came."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise PublishError(f"{path}: cannot read the course location ({exc})") from exc
    data.setdefault("branch", "main")
    checks = {"repository": (_REPOSITORY, "https://github.com/ORG/REPO"),
              "package": (_PACKAGE, "a package name such as dlf-course"),
              "version": (_VERSION, "X.Y.Z, three numbers"),
              "branch": (_PACKAGE, "a branch name such as main")}
    for key, (pattern, expected) in checks.items():
        value = data.get(key)
        if not isinstance(value, str) or not pattern.match(value):
            raise PublishError(f"{path}: '{key}' must be {expected}; got {value!r}")
    extras = data.get("extras", {})
    if not isinstance(extras, dict):
        raise PublishError(f"{path}: [extras] must be a table; got {extras!r}")
    for assignment, names in extras.items():
        if assignment not in ASSIGNMENTS:
            raise PublishError(f"{path}: [extras] names {assignment!r}, which is not an "
                               f"assignment (expected one of {', '.join(ASSIGNMENTS)})")
        if not (isinstance(names, list) and all(isinstance(n, str) and _PACKAGE.match(n)
                                                for n in names)):
            raise PublishError(f"{path}: [extras] {assignment} must be a list of extra "
                               f"names; got {names!r}")
    return CourseLocation(data["repository"].rstrip("/"), data["package"], data["version"],
                          {a: tuple(n) for a, n in extras.items()}, data["branch"])


# --- the setup cell and the badge ------------------------------------------------------------


def setup_block(location: CourseLocation, assignment: str) -> str:
    """The first lines of a notebook's setup cell: in Colab only, install the pinned package
    from the index, else from the student repository's tag; if both fail, stop the cell
    with one plain sentence (IPython shows ``_render_traceback_`` instead of a traceback).
    Outside Colab nothing is installed: the package must already be in the environment.
    ``pip`` runs as a subprocess, not ``%pip``, because ``%pip`` does not report failure."""
    failure = (f"Cell 1 could not install the course helpers ({location.package} "
               f"{location.version}) from PyPI or from {location.github} on GitHub: check "
               "that this Colab session is connected to the internet and run this cell "
               "again, and ask your instructor if it keeps failing.")
    message = "\n            ".join(repr(part + " ") for part in textwrap.wrap(failure, 66))
    message = message[:-2] + message[-1]  # no space after the last word
    return f'''import sys
{_COLAB_TEST}  # Colab: install the pinned course helpers (keeps Colab's numpy, TensorFlow)
    import importlib, subprocess
    for _spec in ({location.index_spec(assignment)!r},
                  {location.git_spec(assignment)!r}):
        if subprocess.run([sys.executable, "-m", "pip", "install", "-q", _spec],
                          capture_output=True).returncode == 0:
            importlib.invalidate_caches()
            break
    else:
        class CourseSetupError(Exception):
            def _render_traceback_(self):  # one plain line instead of a traceback
                return [str(self)]
        raise CourseSetupError(
            {message})'''


def _split_setup(source: str) -> tuple[str, str]:
    """(install block, the rest) of a setup cell: the block is a leading ``import sys`` and
    the ``if "google.colab" in sys.modules:`` statement with its indented body."""
    lines = source.split("\n")
    i = 0
    if i < len(lines) and lines[i].strip() == "import sys":
        i += 1
    if i >= len(lines) or not lines[i].startswith(_COLAB_TEST):
        raise PublishError("setup cell: expected 'import sys' then "
                           f"'{_COLAB_TEST}' at the top; got {source[:120]!r}")
    i += 1
    while i < len(lines) and (lines[i].startswith((" ", "\t")) or not lines[i].strip()):
        i += 1
    return "\n".join(lines[:i]), "\n".join(lines[i:])


def setup_cell_index(nb) -> int:
    """Index of the setup cell: the first code cell (its nbgrader id is ``setup``)."""
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            if _COLAB_TEST not in cell.source:
                raise PublishError(f"the first code cell (cell {index + 1}) is not the setup "
                                   f"cell: no '{_COLAB_TEST}' in it")
            return index
    raise PublishError("the notebook has no code cell, so no setup cell")


def with_badge(markdown: str, badge: str) -> str:
    """``markdown`` with ``badge`` as its first line (replacing an earlier badge line)."""
    lines = markdown.split("\n")
    if lines and lines[0].startswith(f"[![{BADGE_ALT}]"):
        lines = lines[1:]
        while lines and not lines[0].strip():
            lines = lines[1:]
    return "\n".join([badge, "", *lines])


def apply_location(nb, location: CourseLocation, assignment: str) -> bool:
    """Write the setting's setup block and badge into ``nb`` in place; True if it changed."""
    changed = False
    index = setup_cell_index(nb)
    cell = nb.cells[index]
    _, rest = _split_setup(cell.source)
    source = setup_block(location, assignment) + ("\n" + rest if rest else "")
    if cell.source != source:
        cell.source = source
        changed = True
    first_md = next((c for c in nb.cells if c.cell_type == "markdown"), None)
    if first_md is None:
        raise PublishError(f"{assignment}: no markdown cell to carry the Colab badge")
    text = with_badge(first_md.source, location.badge(assignment))
    if first_md.source != text:
        first_md.source = text
        changed = True
    return changed


def sync_solutions(location: CourseLocation | None = None, assignments=ASSIGNMENTS,
                   solutions_dir: Path = SOLUTIONS_DIR) -> list[Path]:
    """Rewrite the setup cell and badge of each source notebook from the setting; returns the
    notebooks changed. Each is read, changed and written in one step, and only when it
    differs, so edits of other cells are kept."""
    location = location or load_location()
    changed = []
    for assignment in assignments:
        path = Path(solutions_dir) / assignment / f"{assignment}.ipynb"
        nb = nbformat.read(path, as_version=4)
        if apply_location(nb, location, assignment):
            nbformat.write(nb, path)
            changed.append(path)
    return changed


def through(nn: str | None) -> tuple[str, ...]:
    """The assignments up to ``nn`` ("03", "3" or "03_perceptron"); all when None."""
    if nn is None:
        return ASSIGNMENTS
    text = str(nn).strip()
    for k, assignment in enumerate(ASSIGNMENTS):
        if text == assignment or (text.isdigit() and int(text) == k + 1):
            return ASSIGNMENTS[:k + 1]
    raise PublishError(f"--through: expected a notebook number 01-{len(ASSIGNMENTS):02d} or "
                       f"an assignment id; got {nn!r}")


# --- what must never be published -------------------------------------------------------------


def _strip_magics(source: str) -> str:
    # IPython lines (%pip, !ls, %matplotlib) are not Python; blank them, keeping line numbers.
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line
                     for line in source.split("\n"))


class _Normalize(ast.NodeTransformer):
    """Names of arguments and locals become their order of appearance, docstrings go: a body
    pasted with other variable names still compares equal."""

    def __init__(self):
        self.names: dict[str, str] = {}

    def _rename(self, name: str) -> str:
        return self.names.setdefault(name, f"v{len(self.names)}")

    def visit_arg(self, node):
        node.arg = self._rename(node.arg)
        node.annotation = None
        return node

    def visit_Name(self, node):
        node.id = self._rename(node.id)
        return node


def normalized_body(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    """``ast.dump`` of a function's arguments and body without docstring, names normalized."""
    body = list(fn.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        body = body[1:]
    fn = copy.deepcopy(fn)
    fn.name, fn.decorator_list, fn.returns, fn.body = "f", [], None, body or [ast.Pass()]
    return ast.dump(_Normalize().visit(fn))


def _size(fn) -> int:
    """Syntax nodes in the body (the signature does not count)."""
    return sum(1 for stmt in fn.body for _ in ast.walk(stmt))


# Bodies smaller than this are idioms (``return np.asarray(x)``), not answers.
MIN_BODY_NODES = 10


def functions_in(source: str) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    """Every function defined anywhere in ``source`` (nested ones and methods included);
    [] when it does not parse."""
    try:
        tree = ast.parse(_strip_magics(source))
    except SyntaxError:
        return []
    return [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]


def _named_functions(source: str):
    """[(name, function)] of the top-level functions in ``source``, and of the methods of its
    top-level classes under the class's name."""
    try:
        tree = ast.parse(_strip_magics(source))
    except SyntaxError:
        return []
    found = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            found.append((node.name, node))
        elif isinstance(node, ast.ClassDef):
            found += [(node.name, n) for n in ast.walk(node)
                      if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    return found


def answer_names(solutions_dir: Path = SOLUTIONS_DIR) -> dict[str, str]:
    """{name: assignment} of every function and class an answer cell of the solutions
    defines, mapped to the first notebook that asks for it."""
    names: dict[str, str] = {}
    for assignment in ASSIGNMENTS:
        for source in _answer_sources(assignment, solutions_dir):
            for name, _ in _named_functions(source):
                names.setdefault(name, assignment)
    return names


def _answer_sources(assignment: str, solutions_dir: Path) -> list[str]:
    nb = nbformat.read(Path(solutions_dir) / assignment / f"{assignment}.ipynb", as_version=4)
    return ["\n".join(line for line in c.source.split("\n") if "### BEGIN SOLUTION" not in line
                      and "### END SOLUTION" not in line)
            for c in nb.cells if c.cell_type == "code"
            and c.metadata.get("nbgrader", {}).get("solution")]


# Hidden-check helpers smaller than this are generic closures (``lambda``-like wrappers that
# the public checks may share), not the checks themselves.
MIN_HIDDEN_NODES = 40


def secret_functions(root: Path = REPO_ROOT) -> dict[str, tuple[str, str | None]]:
    """{normalized body: (where, assignment)} of what answers or grades an exercise: every
    function of an answer cell of the solutions, every function of autograder/reference/
    named like an answer (assignment: the first notebook that asks for it), every function
    of autograder/hidden/ (assignment None: never public)."""
    solutions = root / "solutions"
    names = answer_names(solutions)
    secrets: dict[str, tuple[str, str | None]] = {}

    def add(fn, where, assignment, minimum=MIN_BODY_NODES):
        if _size(fn) < minimum:
            return
        key = normalized_body(fn)
        known = secrets.get(key)
        order = ASSIGNMENTS.index
        if known is None or (known[1] is not None and assignment is not None
                             and order(assignment) < order(known[1])) or assignment is None:
            secrets[key] = (where, assignment)

    for assignment in ASSIGNMENTS:
        for source in _answer_sources(assignment, solutions):
            for name, fn in _named_functions(source):
                add(fn, f"the solution of {assignment}: {name}", names.get(name, assignment))
    for path in sorted((root / "autograder" / "reference").glob("*.py")):
        for name, fn in _named_functions(path.read_text(encoding="utf-8")):
            if name in names:
                add(fn, f"autograder/reference/{path.name}: {fn.name}", names[name])
    for path in sorted((root / "autograder" / "hidden").glob("*.py")):
        for fn in functions_in(path.read_text(encoding="utf-8")):
            add(fn, f"autograder/hidden/{path.name}: {fn.name}", None, MIN_HIDDEN_NODES)
    return secrets


def hidden_test_lines(solutions_dir: Path = SOLUTIONS_DIR) -> dict[str, str]:
    """{line: assignment} of the hidden-test source of every solution notebook (the lines
    between BEGIN and END HIDDEN TESTS, stripped, those of more than 15 characters)."""
    lines = {}
    for assignment in ASSIGNMENTS:
        nb = nbformat.read(Path(solutions_dir) / assignment / f"{assignment}.ipynb",
                           as_version=4)
        for cell in nb.cells:
            inside = False
            for line in cell.source.split("\n"):
                if "### BEGIN HIDDEN TESTS" in line:
                    inside = True
                elif "### END HIDDEN TESTS" in line:
                    inside = False
                elif inside and len(line.strip()) > 15:
                    lines.setdefault(line.strip(), assignment)
    return lines


def _published_sources(dest: Path):
    """(relative path, assignment or None, [code sources]) of every text file in ``dest``."""
    for path in sorted(dest.rglob("*")):
        rel = path.relative_to(dest)
        if not path.is_file() or rel.parts[0] == ".git":
            continue
        if path.suffix == ".ipynb":
            nb = nbformat.read(path, as_version=4)
            assignment = path.stem if path.stem in ASSIGNMENTS else None
            yield rel, assignment, [c.source for c in nb.cells if c.cell_type == "code"], \
                [c.source for c in nb.cells]
        else:
            text = path.read_text(encoding="utf-8", errors="replace")
            yield rel, None, [text] if path.suffix == ".py" else [], [text]


def leaks(dest: Path, root: Path = REPO_ROOT) -> list[str]:
    """What in ``dest`` must not be published, one line each ([] when nothing):
    files outside the allow-list; functions whose normalized body is a reference or
    hidden-check function's (in notebook k, a reference answer of an EARLIER notebook j < k
    is allowed: k is released after j's deadline); hidden-test lines; nbgrader markers."""
    dest = Path(dest)
    problems = []
    for path in dest.iterdir():
        if path.name not in PUBLISHED_TOP:
            problems.append(f"{path.name}: not a file publish writes")
    banned = ("solutions", "autograder", "hidden", "reference", "mutant", "demo_class")
    for path in dest.rglob("*"):
        rel = path.relative_to(dest)
        if rel.parts[0] != ".git" and any(b in part for part in rel.parts for b in banned):
            problems.append(f"{rel}: its name says it is instructors' material")
    secrets = secret_functions(root)
    hidden = hidden_test_lines(root / "solutions")
    order = {a: k for k, a in enumerate(ASSIGNMENTS)}
    for rel, assignment, code, texts in _published_sources(dest):
        for source in code:
            for fn in functions_in(source):
                found = secrets.get(normalized_body(fn)) if _size(fn) >= MIN_BODY_NODES else None
                if found is None:
                    continue
                where, answer_of = found
                if assignment and answer_of and order[answer_of] < order[assignment]:
                    continue  # an earlier notebook's answer, public by the release schedule
                problems.append(f"{rel}: function {fn.name} (line {fn.lineno}) is {where}")
        for text in texts:
            for marker in ("BEGIN HIDDEN TESTS", "BEGIN SOLUTION", "END SOLUTION"):
                if marker in text:
                    problems.append(f"{rel}: holds the nbgrader marker '### {marker}'")
            for line, of in hidden.items():
                if line in text:
                    problems.append(f"{rel}: holds hidden-test source of {of}: {line[:60]!r}")
    return sorted(set(problems))


# --- publish ------------------------------------------------------------------------------


def notebook_title(nb) -> str:
    """The first ``# `` heading of the first markdown cell, without the "Notebook NN · "."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.split("\n"):
                if line.startswith("# "):
                    return re.sub(r"^Notebook \d+\s*[·:-]\s*", "", line[2:].strip())
    return ""


def pyproject(location: CourseLocation) -> str:
    """The published package's pyproject.toml: the root one's package section at the
    setting's name and version, for setuptools >= 61 (what the instructors' env has)."""
    return f'''[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "{location.package}"
version = "{location.version}"
description = "Helpers for the deep learning fundamentals notebooks: data, plots, widgets, checks."
readme = "README.md"
requires-python = ">=3.10"
license = {{ text = "MIT" }}
classifiers = [
    "License :: OSI Approved :: MIT License",
    "Programming Language :: Python :: 3",
    "Framework :: Jupyter",
    "Intended Audience :: Education",
]
# Kept minimal on purpose: installing the course in Colab must not replace Colab's own
# TensorFlow, numpy or ipywidgets.
dependencies = ["numpy>=1.24", "matplotlib>=3.7"]

[project.urls]
Homepage = "{location.repository}"

[project.optional-dependencies]
# everything the notebooks use beyond the core, for JupyterLab: pip install ".[notebooks]"
notebooks = [
    "ipywidgets>=7.7",    # interactive figures (01, 05)
    "tqdm>=4.60",         # training progress bars (02-06)
    "scikit-learn>=1.3",  # data sets and cross-checks (02-07)
    "tensorflow>=2.16",   # GradientTape (05), Keras counterparts (06), the DNA model (07)
    "logomaker>=0.8",     # sequence logos (07)
]
widgets = ["ipywidgets>=7.7"]
progress = ["tqdm>=4.60"]
genomics = ["logomaker>=0.8"]

[tool.setuptools.packages.find]
include = ["course", "course.*"]
'''


LICENSE_TEXT = """MIT License

Copyright (c) 2026 The deep learning fundamentals course authors

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
"""

GITIGNORE = """.ipynb_checkpoints/
__pycache__/
*.egg-info/
build/
dist/
.venv/
"""


def student_readme(location: CourseLocation, notebooks: dict[str, str]) -> str:
    """The published README: the notebooks with their badges, Colab and JupyterLab, what a
    failed install looks like. ``notebooks`` is {assignment: title}."""
    rows = "\n".join(
        f"| {a[:2]} | [{title}](notebooks/{a}/{a}.ipynb) | {location.badge(a)} |"
        for a, title in notebooks.items())
    v, tag, repo, pkg = location.version, location.tag, location.repository, location.package
    # the clone is of the branch (every notebook released so far); the package is pinned
    folder = location.github.split("/")[1]
    return f"""# Deep learning fundamentals

Jupyter notebooks that take you from the threshold logic unit to a Keras network that finds a
DNA binding motif, and `{pkg}`, the small package of data, figures, widgets and public checks
they use. The notebooks install version {v} of the package (git tag `{tag}`).

| # | notebook | open it in Colab |
|---|---|---|
{rows}

More notebooks appear here as the course goes on: each one is published after the deadline of
the one before it.

## In Google Colab

1. Click the notebook's **Open in Colab** badge above. Colab opens a copy of the notebook from
   this repository; nothing needs to be uploaded.
2. **Run cell 1 first.** It installs `{pkg}` {v} (the course helpers) from PyPI, or from this
   repository if PyPI cannot be reached, so it **needs the internet**. It leaves Colab's own
   numpy, TensorFlow and ipywidgets as they are and takes a few seconds; on success it prints
   nothing.
3. **Run cell 1 again in every new Colab session**: after *Runtime → Restart session*, after
   Colab disconnected an idle notebook, or when you come back another day, the helpers are
   gone and every later cell fails until cell 1 has run.
4. Save your work with *File → Save a copy in Drive*, and hand it in as your instructor asks
   (usually *File → Download → Download .ipynb*). A file renamed by Colab, such as
   `Copy of 01_threshold_logic_unit.ipynb`, is still recognised at grading time.

**When the install fails**, cell 1 stops with one red line:

> Cell 1 could not install the course helpers ({pkg} {v}) from PyPI or from
> {location.github} on GitHub: check that this Colab session is connected to the internet
> and run this cell again, and ask your instructor if it keeps failing.

and the cells after it fail with `NameError` or `ModuleNotFoundError: No module named
'course'`. Check that the session is connected (top right of the Colab window), run cell 1
again, then the others. If it keeps failing, send your instructor the message and the notebook's
number.

## In JupyterLab, on your own computer

```bash
git clone {repo}.git
cd {folder}
python -m venv .venv && . .venv/bin/activate     # Windows: .venv\\Scripts\\activate
pip install "{pkg}[notebooks]=={v}"             # or, from this folder: pip install ".[notebooks]"
jupyter lab
```

Then open a notebook from `notebooks/`. Outside Colab, cell 1 installs nothing: it imports the
helpers from the environment you installed them into, so if it fails with `No module named
'course'`, the `pip install` line above was not run in the environment JupyterLab uses. The
`notebooks` extra adds ipywidgets, tqdm, scikit-learn, TensorFlow and logomaker; the package
alone needs only numpy and matplotlib.

## Working through a notebook

- Run the cells from top to bottom. In each exercise, replace `# YOUR CODE HERE` and
  `raise NotImplementedError()` with your code; keep the function's name and arguments.
- The cell after each exercise runs **public checks**: they say what passed and exactly what
  did not (input, expected, got). Passing them is necessary, not sufficient: hidden tests with
  other inputs run when your notebook is graded.
- Do not delete or edit the read-only and test cells: they are restored from the instructor's
  copy before grading, so edits have no effect.
- Before handing in, run *Kernel → Restart Kernel and Run All Cells* (in Colab: *Runtime →
  Restart session and run all*) and check that nothing fails.

## Licence

MIT (see `LICENSE`): the notebooks' text and code and the `course` package may be reused and
adapted, with the copyright notice kept.
"""


def _write_package(dest: Path, location: CourseLocation, course_dir: Path) -> None:
    # Only the package's Python files: no caches, no stray build outputs.
    for path in sorted(course_dir.rglob("*.py")):
        rel = path.relative_to(course_dir)
        if "__pycache__" in rel.parts:
            continue
        target = dest / "course" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        text = path.read_text(encoding="utf-8")
        if rel == Path("__init__.py"):
            text, n = re.subn(r'^__version__ = "[^"]*"', f'__version__ = "{location.version}"',
                              text, count=1, flags=re.M)
            if n != 1:
                raise PublishError(f"{path}: no __version__ line to set to {location.version}")
        target.write_text(text, encoding="utf-8")


def _prepare_dest(dest: Path) -> None:
    """An empty folder, or one publish wrote before (only its .git is kept, and
    build outputs are removed)."""
    dest.mkdir(parents=True, exist_ok=True)
    entries = [p for p in dest.iterdir() if p.name != ".git"]
    # build outputs of an earlier `python -m build` in DEST (its .gitignore) go too
    strangers = [p.name for p in entries if p.name not in PUBLISHED_TOP
                 and p.name not in ("build", "dist") and not p.name.endswith(".egg-info")]
    if strangers:
        raise PublishError(f"DEST {dest}: expected an empty folder or one written by publish; "
                           f"it holds {', '.join(sorted(strangers)[:5])}")
    for path in entries:
        shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()


def publish(dest: Path, version: str, nn: str | None = None, *, released: Path | None = None,
            location: CourseLocation | None = None, root: Path = REPO_ROOT, check: bool = True,
            echo=print) -> list[str]:
    """Write the student distribution into ``dest``; returns the assignments published.

    ``version`` must be the setting's (the setup cells pin it). The notebooks are released
    from solutions/ into a scratch folder (``released``, for tests: an existing release
    folder such as notebooks/, used as it is). Raises PublishError on bad arguments or when
    ``leaks`` finds anything (the folder is then left for inspection, and nothing is pushed);
    ``check=False`` (for tests that look for leaks themselves) skips that scan.
    """
    location = location or load_location(root / "course_location.toml")
    if not isinstance(version, str) or not _VERSION.match(version):
        raise PublishError(f"--version: expected X.Y.Z (three numbers); got {version!r}")
    if version != location.version:
        raise PublishError(f"--version {version} is not the version in course_location.toml "
                           f"({location.version}); every setup cell pins that one: change the "
                           "setting, run `python -m autograder release`, commit, then publish")
    assignments = through(nn)
    dest = Path(dest).resolve()
    inside = [root.resolve() / d for d in ("solutions", "autograder", "course", "notebooks")]
    if dest == root.resolve() or any(d == dest or d in dest.parents for d in inside):
        raise PublishError(f"DEST: expected a folder outside this repository's sources; got "
                           f"{dest}")
    _prepare_dest(dest)
    with tempfile.TemporaryDirectory(prefix="dlf-publish-") as scratch:
        if released is None:
            from autograder.pipeline.cli import release

            released = Path(scratch) / "release"
            if release(assignments, release_dir=released, echo=echo):
                raise PublishError("nbgrader could not release the notebooks (see above)")
        titles = {}
        for assignment in assignments:
            source = Path(released) / assignment / f"{assignment}.ipynb"
            nb = nbformat.read(source, as_version=4)
            expected = nbformat.from_dict(nb)
            apply_location(expected, location, assignment)
            if expected != nb:
                raise PublishError(f"{source}: its setup cell or badge is not the setting's; "
                                   "run `python -m autograder release` first")
            target = dest / "notebooks" / assignment / f"{assignment}.ipynb"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            titles[assignment] = notebook_title(nb)
    _write_package(dest, location, root / "course")
    (dest / "pyproject.toml").write_text(pyproject(location), encoding="utf-8")
    (dest / "README.md").write_text(student_readme(location, titles), encoding="utf-8")
    (dest / "LICENSE").write_text(LICENSE_TEXT, encoding="utf-8")
    (dest / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
    problems = leaks(dest, root) if check else []
    if problems:
        raise PublishError(f"DEST {dest} would give answers away; NOT publishable:\n  "
                           + "\n  ".join(problems))
    echo(f"published {len(assignments)} notebook(s) through {assignments[-1]} and "
         f"{location.package} {version} into {dest}")
    echo(f"next: cd {dest} && git add -A && git commit -m 'v{version}' && git tag "
         f"v{version} && git push origin HEAD v{version}, then python -m build and twine "
         "upload dist/*")
    return list(assignments)


def tree(dest: Path) -> str:
    """The folder's files, one per line (for the closing note and the CLI)."""
    dest = Path(dest)
    return "\n".join(str(p.relative_to(dest)) for p in sorted(dest.rglob("*"))
                     if p.is_file() and ".git" not in p.relative_to(dest).parts)


__all__ = ["CourseLocation", "PublishError", "apply_location", "leaks", "load_location",
           "publish", "setup_block", "sync_solutions", "through", "tree"]
