"""The student package: installable, minimal, and free of solutions and hidden tests."""

import subprocess
import sys
import zipfile

from autograder import REPO_ROOT


def test_course_wheel_contains_no_solutions_or_hidden_tests(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path), str(REPO_ROOT)],
        check=True, capture_output=True,
    )
    (wheel,) = tmp_path.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    packages = {name.split("/")[0] for name in names if not name.startswith("dlf_course-")}
    assert packages == {"course"}, packages
    assert not [n for n in names if "reference" in n or "hidden" in n or "mutant" in n]
    metadata = next(n for n in names if n.endswith("METADATA"))
    requires = [line for line in zipfile.ZipFile(wheel).read(metadata).decode().splitlines()
                if line.startswith("Requires-Dist:") and "extra ==" not in line]
    # installing the course in Colab must not replace Colab's TensorFlow, numpy or ipywidgets
    assert sorted(r.split()[1] for r in requires) == ["matplotlib>=3.7", "numpy>=1.24"]


def test_environment_file_pins_what_requirements_pin():
    pins = {}
    for line in (REPO_ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = line.split("==")
            pins[name.split("[")[0]] = version  # conda has no extras: psycopg[binary] is psycopg
    env = (REPO_ROOT / "environment.yml").read_text()
    for name, version in pins.items():
        assert f"{name}={version}" in env or f"{name}=={version}" in env, name
    for line in env.splitlines():
        if ("=" in line) and line.strip().startswith("- ") and "python=" not in line:
            assert "#" in line, f"uncommented dependency: {line}"


def test_course_package_does_not_import_autograder():
    for path in (REPO_ROOT / "course").rglob("*.py"):
        assert "autograder" not in path.read_text(), path


def test_published_package_declares_what_the_development_package_declares():
    """The student repository's pyproject (autograder.publish writes it) and this one's
    agree on dependencies and extras, so what students install is what the tests use."""
    import tomllib

    from autograder.publish import load_location, pyproject

    location = load_location()
    published = tomllib.loads(pyproject(location))["project"]
    development = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    assert published["name"] == development["name"] == location.package
    assert published["version"] == location.version
    for key in ("dependencies", "requires-python"):
        assert published[key] == development[key], key
    # the students' extras, as here (the instructors' own extras are not published)
    for extra, requires in published["optional-dependencies"].items():
        assert requires == development["optional-dependencies"][extra], extra
    assert {"notebooks", "genomics"} <= set(published["optional-dependencies"])
