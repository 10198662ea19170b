"""The student distribution (``python -m autograder publish``) and the one setting it is
written from (course_location.toml): what is published, what never is, and that every
notebook installs and links exactly the setting's package, version and repository."""

import dataclasses
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from autograder import ASSIGNMENTS, NOTEBOOKS_DIR, REPO_ROOT, SOLUTIONS_DIR
from autograder import publish as pub
from autograder.pipeline import cli

LOCATION = pub.load_location()


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """publish() of every notebook, from notebooks/ as committed (in sync with solutions/:
    tests/test_notebooks.py), without its own leak scan: the tests below do it."""
    dest = tmp_path_factory.mktemp("student") / "deep-learning-fundamentals"
    pub.publish(dest, LOCATION.version, released=NOTEBOOKS_DIR, check=False, echo=lambda m: None)
    return dest


def _files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def test_published_folder_holds_only_student_material(published):
    assert {p.name for p in published.iterdir()} == {
        "README.md", "LICENSE", "pyproject.toml", ".gitignore", "course", "notebooks"}
    notebooks = {p.relative_to(published / "notebooks").as_posix()
                 for p in (published / "notebooks").rglob("*") if p.is_file()}
    assert notebooks == {f"{a}/{a}.ipynb" for a in ASSIGNMENTS}
    course = {p.relative_to(REPO_ROOT / "course").as_posix()
              for p in (REPO_ROOT / "course").rglob("*.py") if "__pycache__" not in p.parts}
    assert {p.relative_to(published / "course").as_posix()
            for p in (published / "course").rglob("*") if p.is_file()} == course
    names = " ".join(_files(published)).lower()
    for banned in ("solution", "autograder", "hidden", "reference", "mutant", "demo_class",
                   "gradebook", ".log"):
        assert banned not in names, banned
    init = (published / "course" / "__init__.py").read_text()
    assert f'__version__ = "{LOCATION.version}"' in init


def test_nothing_published_answers_or_grades_an_exercise(published):
    """No function of the package or of a notebook's code cells is (by normalized syntax
    tree) a reference implementation, a solution's answer or a hidden check, except an
    earlier notebook's answer in a later notebook (public by the release schedule); no
    hidden-test line of any solution appears in any file."""
    problems = pub.leaks(published)
    assert problems == [], "\n".join(problems)
    # and independently of leaks(): no hidden-test source and no grading hand-in anywhere
    text = "\n".join(p.read_text(errors="replace") for p in published.rglob("*")
                     if p.is_file())
    assert "HIDDEN TESTS" not in text
    # course/handin.py (the kernel's side of the hand-in) is public by design; no notebook
    # may carry a hand-in call, which names a grading function and its points
    for notebook in published.rglob("*.ipynb"):
        assert "hand_in(" not in notebook.read_text(), notebook
    assert "import autograder" not in text and "from autograder" not in text


def test_the_leak_scan_finds_pastes(published, tmp_path):
    """The scan is not vacuous: a reference function pasted with other names, a solution's
    answer pasted into a notebook, a hidden-test line and a stray file are all reported."""
    copy = tmp_path / "copy"
    shutil.copytree(published, copy)
    reference = (REPO_ROOT / "autograder" / "reference" / "logistic_regression.py").read_text()
    fn = next(f for f in pub.functions_in(reference) if f.name == "log_loss_gradient")
    source = "\n".join(reference.split("\n")[fn.lineno - 1:fn.end_lineno])
    renamed = source.replace("log_loss_gradient", "helper")
    for old, new in (("X", "A"), ("y", "t"), ("w", "v")):
        renamed = re.sub(rf"\b{old}\b", new, renamed)
    assert renamed != source
    (copy / "course" / "extra.py").write_text("import numpy as np\n\n\n" + renamed + "\n")
    hidden = next(iter(pub.hidden_test_lines()))
    nb_path = copy / "notebooks" / ASSIGNMENTS[0] / f"{ASSIGNMENTS[0]}.ipynb"
    nb = nbformat.read(nb_path, as_version=4)
    answer = pub._answer_sources("05_backpropagation", SOLUTIONS_DIR)[0]
    nb.cells.append(nbformat.v4.new_code_cell(answer))
    nb.cells.append(nbformat.v4.new_markdown_cell(hidden))
    nbformat.write(nb, nb_path)
    (copy / "solutions").mkdir()
    problems = "\n".join(pub.leaks(copy))
    assert "course/extra.py: function helper" in problems
    assert "logistic_regression" in problems
    assert f"notebooks/{ASSIGNMENTS[0]}" in problems and "05_backpropagation" in problems
    assert "hidden-test source" in problems
    assert "solutions: not a file publish writes" in problems


def _notebook_roots(published):
    return {"solutions": SOLUTIONS_DIR, "notebooks": NOTEBOOKS_DIR,
            "published": published / "notebooks"}


def test_every_notebook_installs_and_links_the_setting_only(published):
    """Setup cells and badges of solutions/, notebooks/ and the published folder are the ones
    written from course_location.toml; no other repository URL, package version or tag."""
    # course locations: pip specs of the package, git+ URLs, Colab links, and any GitHub
    # repository of the setting's owner or with the setting's repository name (citations
    # such as github.com/tensorflow/playground are not locations)
    org, name = LOCATION.github.split("/")
    repos = re.compile(r"github\.com/([\w.-]+/[\w.-]+?)(?:\.git|/blob|@|\)|\"|'|\s|$)")
    pinned = re.compile(rf"{re.escape(LOCATION.package)}(?:\[[\w,]+\])?\s*(?:==|@)\s*([^'\"\s]+)")

    def locations(text):
        return {r for r in repos.findall(text) if r.split("/")[0] == org
                or r.split("/")[1] == name}

    for label, root in _notebook_roots(published).items():
        for assignment in ASSIGNMENTS:
            nb = nbformat.read(root / assignment / f"{assignment}.ipynb", as_version=4)
            setup = nb.cells[pub.setup_cell_index(nb)].source
            assert setup.startswith(pub.setup_block(LOCATION, assignment) + "\n"), \
                (label, assignment)
            first_md = next(c for c in nb.cells if c.cell_type == "markdown")
            assert first_md.source.split("\n")[0] == LOCATION.badge(assignment)
            text = "\n".join(c.source for c in nb.cells)
            assert locations(text) == {LOCATION.github}, (label, assignment)
            assert sorted(pinned.findall(text)) == [
                LOCATION.version, f"git+{LOCATION.repository}@{LOCATION.tag}"], \
                (label, assignment)
            assert re.findall(r"git\+[^'\"\s]+", text) == [
                f"git+{LOCATION.repository}@{LOCATION.tag}"]
            colab = [u for u in re.findall(r"colab\.research\.google\.com/github/[^)\s]+", text)
                     if locations(u.replace("colab.research.google.com/github/",
                                            "github.com/"))]
            assert colab == [LOCATION.colab_url(assignment).removeprefix("https://")]
    readme = (published / "README.md").read_text()
    for assignment in ASSIGNMENTS:
        assert LOCATION.badge(assignment) in readme
    assert locations(readme) == {LOCATION.github}
    assert re.findall(r"\bv\d+\.\d+\.\d+\b", readme) == [LOCATION.tag] * readme.count(
        LOCATION.tag)


def test_setup_cell_says_in_one_line_what_failed(tmp_path, monkeypatch):
    """In Colab with no reachable index nor repository, cell 1 stops with one plain sentence
    (no traceback), and nothing on stderr."""
    fake = tmp_path / "fake"
    (fake / "google" / "colab").mkdir(parents=True)
    (fake / "google" / "colab" / "__init__.py").write_text("")
    monkeypatch.setenv("PYTHONPATH", f"{fake}:{REPO_ROOT}")
    # offline on purpose: an empty wheel folder and no index; git refuses https at once
    (tmp_path / "wheels").mkdir()
    for key, value in {"PIP_CONFIG_FILE": "/dev/null", "PIP_NO_INDEX": "1",
                       "PIP_FIND_LINKS": str(tmp_path / "wheels"),
                       "GIT_ALLOW_PROTOCOL": "file"}.items():
        monkeypatch.setenv(key, value)
    nb = nbformat.v4.new_notebook()
    # a version not installed here (the instructors' env has the course installed, editable)
    location = dataclasses.replace(LOCATION, version="99.0.0")
    nb.cells = [nbformat.v4.new_code_cell("import google.colab"),
                nbformat.v4.new_code_cell(pub.setup_block(location, ASSIGNMENTS[-1])
                                          + "\nprint('not reached')")]
    client = NotebookClient(nb, timeout=120, kernel_name="python3", resources={
        "metadata": {"path": str(tmp_path)}})
    with pytest.raises(CellExecutionError):
        client.execute()
    outputs = nb.cells[1].outputs
    errors = [o for o in outputs if o.output_type == "error"]
    assert [o for o in outputs if o.output_type == "stream"] == []
    assert len(errors) == 1 and errors[0].ename == "CourseSetupError"
    (line,) = errors[0].traceback
    assert line.startswith("Cell 1 could not install the course helpers "
                           f"({LOCATION.package} 99.0.0)")
    assert line.count(". ") == 0 and line.endswith("keeps failing.")


def test_publish_through_writes_the_first_notebooks_only(tmp_path):
    dest = tmp_path / "student"
    assert pub.publish(dest, LOCATION.version, "02", released=NOTEBOOKS_DIR,
                       echo=lambda m: None, check=False) == list(ASSIGNMENTS[:2])
    assert sorted(p.name for p in (dest / "notebooks").iterdir()) == list(ASSIGNMENTS[:2])
    readme = (dest / "README.md").read_text()
    assert LOCATION.badge(ASSIGNMENTS[1]) in readme
    assert LOCATION.badge(ASSIGNMENTS[2]) not in readme
    # publishing again into the same folder (a clone of the student repository, where the
    # package was built) keeps .git and removes the build outputs
    (dest / "build" / "lib").mkdir(parents=True)
    (dest / "dlf_course.egg-info").mkdir()
    (dest / ".git").mkdir()
    (dest / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    pub.publish(dest, LOCATION.version, "03", released=NOTEBOOKS_DIR, echo=lambda m: None,
                check=False)
    assert (dest / ".git" / "HEAD").exists()
    assert not (dest / "build").exists() and not (dest / "dlf_course.egg-info").exists()
    assert len(list((dest / "notebooks").iterdir())) == 3


@pytest.mark.parametrize("argv, message", [
    (["--version", "9.9.9"], "--version 9.9.9 is not the version in course_location.toml"),
    (["--version", "1.0"], "--version: expected X.Y.Z"),
    (["--version", LOCATION.version, "--through", "08"], "--through: expected a notebook"),
])
def test_publish_refuses_bad_arguments(tmp_path, capsys, argv, message):
    assert cli.main(["publish", str(tmp_path / "dest"), *argv]) == cli.EXIT_USAGE
    assert message in capsys.readouterr().err
    assert not (tmp_path / "dest" / "notebooks").exists()


def test_publish_refuses_a_folder_it_did_not_write(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("mine")
    assert cli.main(["publish", str(tmp_path), "--version", LOCATION.version]) == 2
    assert "notes.txt" in capsys.readouterr().err
    assert (tmp_path / "notes.txt").read_text() == "mine"


@pytest.mark.parametrize("text, expected", [
    ("repository = 'https://gitlab.com/a/b'", "'repository' must be https://github.com/ORG/REPO"),
    ("version = '1.2'", "'version' must be X.Y.Z"),
    ("[extras]\n08_x = ['genomics']", "[extras] names '08_x'"),
])
def test_location_setting_is_checked(tmp_path, text, expected):
    good = {"repository": "'https://github.com/o/r'", "package": "'p'", "version": "'1.2.3'"}
    key = text.split(" ")[0]
    lines = [f"{k} = {v}" for k, v in good.items() if k != key]
    (tmp_path / "loc.toml").write_text("\n".join(lines) + "\n" + text + "\n")
    with pytest.raises(pub.PublishError, match=re.escape(expected)):
        pub.load_location(tmp_path / "loc.toml")


def test_through_names_the_first_notebooks():
    assert pub.through("3") == pub.through("03") == pub.through("03_perceptron") \
        == ASSIGNMENTS[:3]
    assert pub.through(None) == ASSIGNMENTS


def test_release_through_releases_only_those_notebooks(tmp_path):
    assert cli.release(pub.through("01"), release_dir=tmp_path, echo=lambda m: None) == 0
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_dir()) == [ASSIGNMENTS[0]]


@pytest.fixture(scope="module")
def dist(published, tmp_path_factory) -> Path:
    """sdist and wheel built from the published folder alone (python -m build)."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out),
                    str(published)], check=True, capture_output=True, text=True, timeout=300)
    return out


def test_student_package_builds_and_passes_twine_check(dist):
    (wheel,) = dist.glob("*.whl")
    (sdist,) = dist.glob("*.tar.gz")
    assert wheel.name == f"dlf_course-{LOCATION.version}-py3-none-any.whl"
    check = subprocess.run([sys.executable, "-m", "twine", "check", "--strict", str(wheel),
                            str(sdist)], capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.count("PASSED") == 2
    names = zipfile.ZipFile(wheel).namelist()
    assert {n.split("/")[0] for n in names} == {"course", f"dlf_course-{LOCATION.version}"
                                                ".dist-info"}
    metadata = zipfile.ZipFile(wheel).read(
        f"dlf_course-{LOCATION.version}.dist-info/METADATA").decode()
    requires = sorted(line.split(" ", 1)[1] for line in metadata.splitlines()
                      if line.startswith("Requires-Dist:") and "extra ==" not in line)
    # installing the course in Colab must not replace Colab's TensorFlow, numpy or ipywidgets
    assert requires == ["matplotlib>=3.7", "numpy>=1.24"]
    assert "Open In Colab" in metadata  # the README is the long description
    members = tarfile.open(sdist).getnames()
    assert any(m.endswith("/LICENSE") for m in members)
    assert not [m for m in members if re.search(r"autograder|solutions|hidden|reference", m)]
