"""The interactive TLU of notebook 01 in a real browser: JupyterLab and Debian's Chromium.

Starts the venv's `jupyter lab` on a copy of the solution notebook (random free port, a
generated token, all Jupyter state in tmp dirs), drives headless Chromium with Playwright, runs
all cells, moves the bias slider and checks that the accuracy readout and the figure follow,
and that no cell shows an error. `make test` installs what this needs (playwright from
requirements.txt, Debian's chromium via `make browser`); when either is missing the test fails
and says how to install it: it never skips.

Screenshots (before.png, after.png, failure.png) and the server log land in the test's
tmp_path; run with `-s` to see where and how long each step took.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np
import psutil
import pytest

from course import data, plots

REPO = Path(__file__).resolve().parent.parent
NOTEBOOK = REPO / "solutions" / "01_threshold_logic_unit" / "01_threshold_logic_unit.ipynb"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
INSTALL_HINT = ("`make test` installs it (playwright from requirements.txt, Debian's chromium "
                "via `make browser`); by hand: `.venv/bin/pip install -r requirements.txt` and "
                "`apt-get install chromium`. Do not run `playwright install`: the test drives "
                f"Debian's {CHROMIUM}.")
KERNEL_NAME = "Python 3 (ipykernel)"  # the venv's kernel, as the notebook's metadata names it
NEW_B = -3.0  # the bias typed into the b slider (the notebook starts at w = (1, 1), b = 0)
# What an error output shows: a traceback, or a SyntaxError's short form.
ERROR_TEXT = re.compile(r"Traceback|\b\w*(Error|Exception)\b")
# JupyterLab user settings for the session: every cell stays attached to the page (the default
# 'contentVisibility' windowing skips rendering off-screen cells), and no news or update
# prompts (there is no network).
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false",
                                                    "checkForUpdates": False},
}


def _require_browser():
    """Return playwright's sync_playwright, or fail (never skip) saying how to install."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail(f"the Python package playwright is not installed. {INSTALL_HINT}",
                    pytrace=False)
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(f"Debian's chromium is not installed ({CHROMIUM} not found). {INSTALL_HINT}",
                    pytrace=False)
    return sync_playwright


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _expected_status(b: float) -> str:
    """The accuracy line the widget must show for w = (1, 1) and bias b, computed here."""
    X, y = data.make_blobs_2d(n_per_class=20, seed=0)

    def heaviside(t):
        return np.where(np.asarray(t) >= 0, 1.0, 0.0)

    correct = int(np.sum(plots.tlu_predictions(np.array([1.0, 1.0]), b, X, heaviside) == y))
    return f"accuracy {correct / len(y):.0%} ({correct} of {len(y)} points correct)"


def _stop(server: subprocess.Popen) -> None:
    """Stop jupyter lab and every process it started (kernels get their own sessions)."""
    try:
        children = psutil.Process(server.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        children = []
    server.terminate()  # jupyter server shuts its kernels down on SIGTERM
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
    _, alive = psutil.wait_procs(children, timeout=5)
    for proc in alive:
        try:
            proc.kill()
        except psutil.NoSuchProcess:
            pass


@pytest.fixture
def lab_server(tmp_path):
    """JupyterLab on a copy of the solution notebook in tmp_path/root; yields (url, token)."""
    root = tmp_path / "root"
    root.mkdir()
    shutil.copy(NOTEBOOK, root / NOTEBOOK.name)
    state = tmp_path / "jupyter"
    settings_dir = state / "config" / "lab" / "user-settings"
    for plugin, settings in LAB_SETTINGS.items():
        path = settings_dir / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(settings))
    jupyter = Path(sys.executable).parent / "jupyter"
    assert jupyter.exists(), f"{jupyter} not found: `make test` installs jupyterlab"
    port = _free_port()
    token = secrets.token_hex(24)
    env = dict(os.environ)
    env.pop("MPLBACKEND", None)  # the notebook's `%matplotlib inline` decides, as for a student
    env.pop("NBGRADER_EXECUTION", None)  # sliders only, no static fallback
    env.update(
        PYTHONPATH=os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p),
        JUPYTER_PLATFORM_DIRS="1",
        JUPYTER_CONFIG_DIR=str(state / "config"),
        JUPYTER_DATA_DIR=str(state / "data"),
        JUPYTER_RUNTIME_DIR=str(state / "runtime"),
        IPYTHONDIR=str(state / "ipython"),
    )
    log_path = tmp_path / "jupyter-lab.log"

    def log_tail() -> str:
        return log_path.read_text(errors="replace")[-3000:]

    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [str(jupyter), "lab", "--no-browser", "--allow-root",  # containers often run as root
             "--ip=127.0.0.1", f"--port={port}", "--ServerApp.port_retries=0",
             f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
             f"--LabApp.user_settings_dir={settings_dir}",
             f"--LabApp.workspaces_dir={state / 'workspaces'}",
             "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
            cwd=root, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                if server.poll() is not None:
                    pytest.fail(f"jupyter lab exited with {server.returncode}:\n{log_tail()}")
                try:
                    with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2):
                        break
                except OSError:
                    if time.monotonic() > deadline:
                        pytest.fail(f"jupyter lab did not answer within 60 s:\n{log_tail()}")
                    time.sleep(0.25)
            yield url, token
        finally:
            _stop(server)


def _assert_no_error_shown(errors_shown) -> None:
    shown = errors_shown.all_inner_texts()
    assert not shown, "a cell shows an error:\n" + "\n\n".join(shown)


def test_interactive_tlu_in_jupyterlab(lab_server, tmp_path):
    """Run notebook 01 in JupyterLab, set b with its slider: the accuracy and figure follow."""
    sync_playwright = _require_browser()
    from playwright.sync_api import expect

    url, token = lab_server
    notebook_file = tmp_path / "root" / NOTEBOOK.name
    n_code_cells = sum(cell["cell_type"] == "code"
                       for cell in json.loads(notebook_file.read_text())["cells"])
    started = time.monotonic()

    def lap(what):
        print(f"[test_browser] {what}: {time.monotonic() - started:.1f} s")

    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"), executable_path=CHROMIUM, headless=True,
            args=CHROMIUM_ARGS, viewport={"width": 1400, "height": 1000})
        page = context.pages[0] if context.pages else context.new_page()
        page.set_default_timeout(30_000)
        page_errors, dialogs = [], []
        page.on("pageerror", lambda exc: page_errors.append(str(exc)))

        def dismiss(dialog):
            # Kernel selection: accept the default (Python 3). "Build recommended": no build.
            text = dialog.inner_text()
            dialogs.append(text)
            button = ".jp-mod-reject" if "build" in text.lower() else ".jp-mod-accept"
            dialog.locator(f"button{button}").first.click()

        # Runs whenever a dialog is up before an action or an expect.
        page.add_locator_handler(page.locator(".jp-Dialog"), dismiss)
        try:
            lap("browser started")
            page.goto(f"{url}/lab/tree/{NOTEBOOK.name}?token={token}&reset")
            panel = page.locator(".jp-NotebookPanel")
            expect(panel.locator(".jp-Notebook")).to_be_visible(timeout=45_000)
            # Wait for the kernel to be up and connected. The toolbar's execution indicator
            # reads "idle" before any kernel exists; the status bar says "No Kernel" until then.
            kernel_idle = page.locator(".jp-StatusBar-Widget").get_by_text(
                f"{KERNEL_NAME} | Idle", exact=True)
            expect(kernel_idle).to_be_visible(timeout=45_000)
            lap("notebook open, kernel idle")

            page.get_by_role("menuitem", name="Run", exact=True).click()
            page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
            errors_shown = panel.locator(
                ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
            ).filter(has_text=ERROR_TEXT)
            box = panel.locator(".jp-OutputArea-output .widget-vbox").filter(
                has=page.locator(".widget-slider"))
            # The widget, or (fail at once) an error output.
            expect(box.or_(errors_shown).first).to_be_visible(timeout=90_000)
            _assert_no_error_shown(errors_shown)
            # Every code cell has run: each prompt shows a number, not [ ] or [*].
            try:
                expect(panel.locator(".jp-CodeCell .jp-InputPrompt")).to_have_text(
                    [re.compile(r"^\[\d+\]:$")] * n_code_cells, timeout=60_000)
            except AssertionError:
                _assert_no_error_shown(errors_shown)  # say why the rest did not run
                raise
            expect(kernel_idle).to_be_visible()
            _assert_no_error_shown(errors_shown)
            lap("all cells run")

            expect(box).to_have_count(1)
            sliders = box.locator(".widget-slider")
            expect(sliders.locator(".widget-label")).to_have_text(["w₁", "w₂", "b"])
            b_slider = sliders.nth(2)
            status = box.locator(".widget-html-content")
            image = box.locator(".widget-output img")
            box.scroll_into_view_if_needed()
            expect(b_slider).to_be_visible()
            expect(status).to_have_text(_expected_status(0.0))
            expect(image).to_have_attribute("src", re.compile(r"^data:image/png;base64,."))
            old_src = image.get_attribute("src")
            page.screenshot(path=str(tmp_path / "before.png"))

            # Type the new bias into the slider's readout, as a student can, and press Enter.
            readout = b_slider.locator(".widget-readout")
            readout.fill(f"{NEW_B:g}")
            readout.press("Enter")
            expect(b_slider.locator(".noUi-handle")).to_have_attribute(
                "aria-valuenow", f"{NEW_B:.1f}")
            expect(status).to_have_text(_expected_status(NEW_B))
            expect(image).not_to_have_attribute("src", old_src)
            expect(image).to_have_attribute("src", re.compile(r"^data:image/png;base64,."))
            expect(sliders.nth(0).locator(".widget-readout")).to_have_text("1.0")
            lap("b set, accuracy and figure redrawn")
            page.screenshot(path=str(tmp_path / "after.png"))

            # Save, to check the notebook's own outputs below.
            panel.locator("[data-command='docmanager:save']").click()
            expect(page.locator(".lm-TabBar-tab.jp-mod-dirty")).to_have_count(0)
        except BaseException:
            page.screenshot(path=str(tmp_path / "failure.png"))
            print(f"[test_browser] screenshot of the failure: {tmp_path / 'failure.png'}")
            raise
        finally:
            context.close()

    cells = json.loads(notebook_file.read_text())["cells"]
    errors = [f"cell {i}: {out.get('ename')}: {out.get('evalue')}"
              for i, cell in enumerate(cells) for out in cell.get("outputs", [])
              if out["output_type"] == "error"]
    assert not errors, f"cells raised: {errors}"
    assert all(cell["execution_count"] for cell in cells if cell["cell_type"] == "code")
    assert not page_errors, f"JavaScript errors in JupyterLab: {page_errors}"
    unexpected = [text for text in dialogs if not re.search("kernel|build", text, re.I)]
    assert not unexpected, f"unexpected dialogs: {unexpected}"
    if dialogs:
        print(f"[test_browser] dismissed dialogs: {dialogs}")
    lap("done")
