"""A simulated Google Colab runtime: a Python 3.13 virtual environment pinned to Colab's
published package versions (shared/REFERENCE.md, googlecolab/backend-info of 2026-08-19),
with a stand-in ``google.colab`` module imported when a kernel starts.

Built once and cached OUTSIDE the clone, in ``~/.cache/dlf-colab/<hash of the pin list>``
(``DLF_COLAB_CACHE`` overrides the parent folder), so a clean clone in CI reuses it.
``python tests/colab_env.py`` builds it ahead of time (a few minutes; TensorFlow is large).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

# Colab's runtime (Python 3.13.15 there). Only what the notebooks and the kernel touch; the
# test checks that installing the course leaves the first six unchanged.
COLAB_PINS = (
    "numpy==2.1.3",
    "tensorflow==2.20.0",
    "keras==3.13.2",
    "ipywidgets==7.7.1",
    "ipython==7.34.0",
    "matplotlib==3.10.0",
    "ipykernel==6.17.1",
    "jupyter_client==7.4.9",
    "scikit-learn==1.6.1",
    "scipy==1.16.3",
    "pandas==2.2.3",
    "tqdm==4.67.3",
    "pip==24.1.2",
)
# Not in Colab but installed by notebook 07's setup cell (the [genomics] extra): its wheel is
# kept next to the environment so the install can run with --no-index.
EXTRA_WHEELS = ("logomaker==0.8.7",)
PYTHON_VERSION = "3.13"
# Colab imports google.colab in every kernel; the setup cells test "google.colab" in sys.modules.
FAKE_COLAB = '''"""Stand-in for Colab's google.colab package (tests only)."""
'''
STARTUP = "import google.colab  # as in Colab, where every kernel has it imported\n"


def python313() -> Path:
    """The pyenv interpreter for Python 3.13 (``DLF_PYTHON313`` overrides)."""
    if os.environ.get("DLF_PYTHON313"):
        return Path(os.environ["DLF_PYTHON313"])
    versions = Path.home() / ".pyenv" / "versions"
    found = sorted(versions.glob(f"{PYTHON_VERSION}.*/bin/python{PYTHON_VERSION}"))
    if not found:
        raise FileNotFoundError(f"no Python {PYTHON_VERSION} under {versions} "
                                "(pyenv install 3.13, or set DLF_PYTHON313)")
    return found[-1]


def env_dir() -> Path:
    """``~/.cache/dlf-colab/<first 12 hex digits of sha256 of the pins>``."""
    key = hashlib.sha256(json.dumps([PYTHON_VERSION, COLAB_PINS, EXTRA_WHEELS,
                                     FAKE_COLAB, STARTUP]).encode()).hexdigest()[:12]
    parent = Path(os.environ.get("DLF_COLAB_CACHE", Path.home() / ".cache" / "dlf-colab"))
    return parent / key


class ColabEnv:
    """Paths of a built environment: ``python``, ``wheels`` (extra wheels), ``ipython_dir``."""

    def __init__(self, root: Path):
        self.root = root
        self.python = root / "venv" / "bin" / "python"
        self.wheels = root / "wheels"
        self.ipython_dir = root / "ipython"

    def pip(self, *args: str) -> subprocess.CompletedProcess:
        """``pip ARGS`` in the environment, never seeing this checkout (no PYTHONPATH) nor the
        machine's pip configuration."""
        env = {k: v for k, v in os.environ.items()
               if k != "PYTHONPATH" and not k.startswith("PIP_")}
        env["PIP_CONFIG_FILE"] = os.devnull
        return subprocess.run([str(self.python), "-m", "pip", *args], capture_output=True,
                              text=True, env=env)

    def freeze(self) -> dict[str, str]:
        """{normalized name: version} of what is installed: what ``pip freeze --all`` lists,
        read from the same dist-info metadata in a second instead of pip's five."""
        code = ("import importlib.metadata as m, json; print(json.dumps("
                "{d.metadata['Name']: d.version for d in m.distributions()}))")
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        out = subprocess.run([str(self.python), "-I", "-c", code], check=True,
                             capture_output=True, text=True, env=env).stdout
        return {name.lower().replace("_", "-").replace(".", "-"): version
                for name, version in json.loads(out).items()}


def build(log=print) -> ColabEnv:
    """Return the cached environment, building it first when missing (atomic: a half-built
    one is never reused)."""
    root = env_dir()
    env = ColabEnv(root)
    if (root / "complete").exists():
        return env
    tmp = root.with_name(root.name + ".building")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    log(f"building the simulated Colab environment in {root} (once)")
    subprocess.run([str(python313()), "-m", "venv", str(tmp / "venv")], check=True)
    py = tmp / "venv" / "bin" / "python"
    pip = [str(py), "-m", "pip", "--disable-pip-version-check", "--no-input"]
    subprocess.run(pip + ["install", "-q", "pip==24.1.2"], check=True)
    subprocess.run(pip + ["install", "-q", *COLAB_PINS], check=True)
    subprocess.run(pip + ["download", "-q", "--no-deps", "-d", str(tmp / "wheels"),
                          *EXTRA_WHEELS], check=True)
    site = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()"
                           "['purelib'])"], check=True, capture_output=True, text=True)
    colab = Path(site.stdout.strip()) / "google" / "colab"
    colab.mkdir(parents=True, exist_ok=True)
    (colab / "__init__.py").write_text(FAKE_COLAB)
    startup = tmp / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True)
    (startup / "00-colab.py").write_text(STARTUP)
    # venvs hold absolute paths: build in place under the final name, then mark complete.
    shutil.rmtree(root, ignore_errors=True)
    tmp.rename(root)
    # the venv's scripts point at tmp; only `python -m ...` is used, which does not care,
    # but pyvenv.cfg and the activate scripts are fixed for people who use the venv by hand.
    for path in (root / "venv" / "bin").iterdir():
        if path.is_file() and not path.is_symlink():
            try:
                text = path.read_text()
            except UnicodeDecodeError:
                continue
            if str(tmp) in text:
                path.write_text(text.replace(str(tmp), str(root)))
    (root / "complete").write_text("\n".join(COLAB_PINS) + "\n")
    return env


if __name__ == "__main__":
    built = build()
    print(built.root)
    print(json.dumps(built.freeze(), indent=1, sort_keys=True), file=sys.stderr)
