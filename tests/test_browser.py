"""JupyterLab in a real browser, as a reader meets it: open 06_seefood, run it, upload a real photo with
the upload button and see the answer appear under it.

Playwright drives Debian's Chromium (``apt-get install chromium``; ``.ci/run`` installs it). Skipped,
saying so, where no Chromium or no Playwright is installed. A screenshot of the answered upload is saved
as ``seefood.png`` in the test's temporary folder (its path is printed).
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# As root in a container, and with no network beyond this machine: no sandbox, nothing fetched at start.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


SCROLL_TO_UPLOAD = """() => {
    const notebook = window.jupyterapp.shell.currentWidget.content;
    const k = notebook.widgets.findIndex(c => c.model.sharedModel.getSource().includes('upload_widget('));
    notebook.activeCellIndex = k;
    notebook.scrollToItem(k);
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def lab(tmp_path):
    """JupyterLab serving a copy of 06_seefood (so the run saves nothing into the repository)."""
    if CHROMIUM is None:
        pytest.skip("no Chromium for the browser test: apt-get install chromium (.ci/run installs it)")
    pytest.importorskip("playwright.sync_api", reason="no Playwright: pip install playwright (the dev extras have it)")
    root = tmp_path / "lab"
    root.mkdir()
    shutil.copy(NOTEBOOKS / "06_seefood.ipynb", root)
    port, token = free_port(), "hotdog-browser-test"
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--ServerApp.root_dir={root}", f"--IdentityProvider.token={token}", "--LabApp.expose_app_in_browser=True",
         "--LabApp.news_url=", "--LabServerApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
         *(["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else [])],
        stdout=subprocess.DEVNULL, stderr=open(tmp_path / "lab.log", "w"), env={**os.environ, "MPLBACKEND": ""})
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            if server.poll() is not None:
                break
            try:
                urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not start: " + (tmp_path / "lab.log").read_text()[-2000:])
        yield f"{url}/lab/tree/06_seefood.ipynb?token={token}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_jupyterlab_runs_seefood_and_answers_an_uploaded_photo(lab, tmp_path, authentic_root):
    from playwright.sync_api import sync_playwright

    photo = next((authentic_root / "hotdog").glob("*.jpg"))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1300, "height": 1000})
        page.goto(lab)
        page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=120_000)
        page.wait_for_function("window.jupyterapp && window.jupyterapp.shell.currentWidget"
                               " && window.jupyterapp.shell.currentWidget.sessionContext.isReady", timeout=120_000)
        page.evaluate("window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')"
                      ".then(() => window.jupyterapp.commands.execute('notebook:run-all-cells'))")
        page.wait_for_function("window.jupyterapp.shell.currentWidget.content.widgets"
                               ".every(c => c.model.type !== 'code' || c.model.executionCount)", timeout=300_000)
        page.evaluate(SCROLL_TO_UPLOAD)  # JupyterLab draws only the cells in view
        with page.expect_file_chooser(timeout=60_000) as chooser:  # ipywidgets' button opens a file dialog
            page.click(".jupyter-widgets button:has-text('Upload')")
        chooser.value.set_files(str(photo))
        answer = page.wait_for_selector(f"text=/{photo.name}: (Hotdog!|Not hotdog!)/", timeout=120_000)
        answer.scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        page.screenshot(path=str(tmp_path / "seefood.png"))
        print(f"screenshot: {tmp_path / 'seefood.png'}")
        browser.close()
    assert (tmp_path / "seefood.png").stat().st_size > 10_000
