"""A simulated Google Colab run of every published notebook (issue: "A correct answer fails in
Colab"): Colab's Python 3.13 and package versions (tests/colab_env.py, built once and cached
outside the clone), ``google.colab`` imported in the kernel so the setup cell takes its Colab
branch, each notebook copied alone into an empty folder, and the setup cell's pip install
resolved to the wheel just built from the published folder. The only change to the notebook
copy is none at all: pip is pointed at the wheel through its environment (PIP_NO_INDEX,
PIP_FIND_LINKS), which the setup cell's ``pip install`` subprocess inherits.

- correct answers (the solutions' answers pasted into the student notebook): run top to
  bottom with no error and nothing on stderr;
- Colab's numpy, TensorFlow, Keras, ipywidgets, IPython (and everything else but the course
  and logomaker) unchanged, by the installed distributions (``pip freeze``'s list) before
  and after;
- unfilled notebooks, run with errors allowed: every test cell reaches a public-check
  message, none dies of NameError.

Prints a table (notebook, ran to end, seconds, packages changed). Slow (minutes); the cached
environment makes every run after the first one cost only the notebook executions.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

from autograder import ASSIGNMENTS, NOTEBOOKS_DIR
from autograder import publish as pub
from autograder.submissions import fill_answers, read_release, reference_answers

sys.path.insert(0, str(Path(__file__).parent))
import colab_env  # noqa: E402  (tests/ is not a package)

pytestmark = pytest.mark.slow

LOCATION = pub.load_location()
KERNEL = "colab-simulated"
# What the course may add to Colab: itself, and logomaker for 07 (the [genomics] extra).
MAY_ADD = {LOCATION.package, "logomaker"}
# What must never change (the list); checked by name so the message says which.
COLAB_OWN = ("numpy", "tensorflow", "keras", "ipywidgets", "ipython", "matplotlib")
CELL_TIMEOUT = 180  # every execution has one (nbclient #312): a hung widget cell fails
# (the longest cell, 05's GradientTape comparison, takes about 25 s)
ROWS: list[tuple] = []


@pytest.fixture(scope="module")
def colab():
    try:
        return colab_env.build(log=lambda m: print(m, file=sys.stderr))
    except FileNotFoundError as exc:  # no Python 3.13: say so rather than pass
        pytest.fail(str(exc))


@pytest.fixture(scope="module")
def wheels(tmp_path_factory) -> Path:
    """The student package's wheel, built from a published folder."""
    root = tmp_path_factory.mktemp("colab-dist")
    dest = root / "student"
    pub.publish(dest, LOCATION.version, released=NOTEBOOKS_DIR, check=False,
                echo=lambda m: None)
    out = root / "wheels"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir",
                    str(out), str(dest)], check=True, capture_output=True, timeout=300)
    assert len(list(out.glob("*.whl"))) == 1
    return out


@pytest.fixture(scope="module")
def kernel(colab, wheels, tmp_path_factory):
    """A kernel spec that starts Colab's interpreter with Colab's startup and pip pointed at
    the wheel (and the cached logomaker wheel) only."""
    share = tmp_path_factory.mktemp("jupyter")
    spec = share / "kernels" / KERNEL
    spec.mkdir(parents=True)
    env = {
        "IPYTHONDIR": str(colab.ipython_dir),  # its startup file imports google.colab
        "PIP_CONFIG_FILE": os.devnull, "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": f"{wheels} {colab.wheels}",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "GIT_ALLOW_PROTOCOL": "file",  # the fallback must not be what made it work
        "PYTHONPATH": "",  # never this checkout's course/ (conftest puts it on PYTHONPATH)
        "DLF_LOCAL_GRADERS": "",  # no grader in Colab: hand_in does nothing
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
    }
    (spec / "kernel.json").write_text(json.dumps({
        # -Xfrozen_modules=off: ipykernel 6's debugger warns on the kernel's own stderr
        # (not into the notebook) on Python >= 3.11 otherwise; it only keeps logs readable
        "argv": [str(colab.python), "-Xfrozen_modules=off", "-m", "ipykernel_launcher", "-f",
                 "{connection_file}"],
        "display_name": "Colab (simulated)", "language": "python", "env": env}))
    old = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = str(share)
    yield KERNEL
    if old is None:
        os.environ.pop("JUPYTER_PATH", None)
    else:
        os.environ["JUPYTER_PATH"] = old


def _restore(colab, baseline: dict) -> None:
    """Uninstall what the notebook added, so the cached environment stays Colab's."""
    colab.pip("uninstall", "-y", "-q", *MAY_ADD)
    if colab.freeze() != baseline:
        (colab.root / "complete").unlink(missing_ok=True)  # rebuilt on the next run
        pytest.fail("the simulated Colab environment was changed beyond the course; it will "
                    "be rebuilt next run")


def _run(nb, folder: Path, kernel: str, allow_errors: bool) -> tuple[bool, float, str]:
    client = NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name=kernel,
                            allow_errors=allow_errors,
                            resources={"metadata": {"path": str(folder)}})
    start = time.monotonic()
    try:
        client.execute()
        return True, time.monotonic() - start, ""
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as exc:
        return False, time.monotonic() - start, str(exc)[-3000:]


def _changes(before: dict, after: dict) -> dict:
    names = set(before) | set(after)
    return {n: (before.get(n), after.get(n)) for n in sorted(names)
            if before.get(n) != after.get(n)}


def _simulate(assignment, kind, colab, kernel, tmp_path):
    nb = read_release(assignment)
    if kind == "correct":
        nb = fill_answers(nb, reference_answers(assignment))
    folder = tmp_path / assignment  # the notebook alone in an empty folder, as an upload
    folder.mkdir()
    nbformat.write(nb, folder / f"{assignment}.ipynb")
    nb = nbformat.read(folder / f"{assignment}.ipynb", as_version=4)
    before = colab.freeze()
    assert LOCATION.package not in before, "the course is already installed"
    try:
        ok, seconds, error = _run(nb, folder, kernel, allow_errors=kind == "unfilled")
        after = colab.freeze()
    finally:
        _restore(colab, before)
    changes = _changes(before, after)
    ROWS.append((assignment, kind, ok, seconds,
                 ", ".join(f"{n} {a or '-'}→{b or '-'}" for n, (a, b) in changes.items())))
    return nb, ok, error, changes


def _installed_only_the_course(changes: dict, assignment: str) -> None:
    for name in COLAB_OWN:
        assert name not in changes, f"{assignment} changed Colab's {name}: {changes[name]}"
    assert set(changes) <= MAY_ADD, changes
    assert all(a is None for a, _ in changes.values()), changes
    assert changes.get(LOCATION.package, (None, None))[1] == LOCATION.version, changes


def _stderr_and_errors(nb) -> list[str]:
    found = []
    for index, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.output_type == "stream" and out.name == "stderr":
                found.append(f"cell {index + 1} stderr: {out.text[:300]}")
            elif out.output_type == "error":
                found.append(f"cell {index + 1} {out.ename}: {out.evalue[:300]}")
    return found


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_correct_answers_run_in_colab(assignment, colab, kernel, tmp_path):
    nb, ok, error, changes = _simulate(assignment, "correct", colab, kernel, tmp_path)
    assert ok, error
    assert _stderr_and_errors(nb) == []
    _installed_only_the_course(changes, assignment)


def _is_test_cell(cell) -> bool:
    meta = cell.metadata.get("nbgrader", {})
    return cell.cell_type == "code" and meta.get("grade") and not meta.get("solution")


def _text(cell) -> str:
    parts = []
    for out in cell.get("outputs", []):
        if out.output_type == "stream":
            parts.append(out.text)
        elif out.output_type == "error":
            parts.append(f"{out.ename}: {out.evalue}\n" + "\n".join(out.traceback))
        elif "data" in out:
            parts.append(str(out.data.get("text/plain", "")))
    return "\n".join(parts)


# The heavy notebooks (TensorFlow training in 05-07) are run unfilled only when asked:
# correct answers exercise every cell of them already (see README, "Publishing").
UNFILLED = [a for a in ASSIGNMENTS
            if os.environ.get("DLF_COLAB_ALL") or a[:2] not in ("05", "06", "07")]


@pytest.mark.parametrize("assignment", UNFILLED)
def test_unfilled_notebooks_reach_a_public_check_at_every_test_cell(assignment, colab, kernel,
                                                                    tmp_path):
    nb, ok, error, changes = _simulate(assignment, "unfilled", colab, kernel, tmp_path)
    assert ok, error  # with errors allowed, only a time-out or a dead kernel stops it
    _installed_only_the_course(changes, assignment)
    problems = []
    for index, cell in enumerate(nb.cells):
        if not _is_test_cell(cell):
            continue
        text = _text(cell)
        gid = cell.metadata.nbgrader.grade_id
        if "NameError" in text:
            problems.append(f"cell {index + 1} ({gid}): NameError: "
                            + text.split("NameError", 1)[1][:160].strip())
        elif "public check" not in text.lower():
            problems.append(f"cell {index + 1} ({gid}): no public-check message: "
                            f"{text[:160]!r}")
    assert problems == [], "\n".join(problems)


def test_print_the_simulated_colab_table(capsys):
    """The table for the closing note (run with -s, or read it in the captured output)."""
    if not ROWS:
        pytest.skip("no notebook ran")
    lines = ["| notebook | answers | ran to end | seconds | packages changed |",
             "|---|---|---|---|---|"]
    lines += [f"| {a} | {kind} | {'yes' if ok else 'NO'} | {s:.0f} | {changed or 'none'} |"
              for a, kind, ok, s, changed in ROWS]
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    table = Path(os.environ.get("DLF_COLAB_TABLE", colab_env.env_dir().parent / "table.md"))
    table.parent.mkdir(parents=True, exist_ok=True)
    table.write_text("\n".join(lines) + "\n")


def test_environment_is_colabs(colab):
    """The cached environment really has Colab's versions and a google.colab module."""
    pins = colab.freeze()
    for pin in colab_env.COLAB_PINS:
        name, version = pin.split("==")
        assert pins.get(name.lower().replace("_", "-")) == version, pin
    probe = subprocess.run([str(colab.python), "-c", "import sys, google.colab; "
                            "print(sys.version_info[:2])"], capture_output=True, text=True,
                           env={**os.environ, "PYTHONPATH": ""})
    assert probe.stdout.strip() == "(3, 13)", probe.stderr
