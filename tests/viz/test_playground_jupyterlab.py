"""The playground in a real JupyterLab with a real kernel, in headless Chromium.

A JupyterLab server runs on 127.0.0.1 (no token) in a temporary folder holding one notebook;
the test runs its cells, presses play in the page and reads the epoch counter and the rate
the page measures; changes a control in the page and asks the kernel what it holds; changes
the state from a cell and looks at the controls; and runs a cell while the playground plays.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

pytestmark = pytest.mark.slow

pytest.importorskip("jupyterlab")
pytest.importorskip("anywidget")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _jupyter_data_folders() -> list[str]:
    """share/jupyter of every environment on sys.path (labextensions may live in a parent environment)."""
    folders = []
    for entry in sys.path:
        if entry.endswith("site-packages"):
            share = Path(entry).parents[2] / "share" / "jupyter"
            if share.is_dir() and str(share) not in folders:
                folders.append(str(share))
    return folders


def wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = condition()
        except Exception:  # the page may still be loading
            value = None
        if value:
            return value
        time.sleep(0.25)
    raise TimeoutError(f"waited {timeout} s for {what}")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lab")
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("from viz.playground import Playground\nplayground = Playground()\nplayground"),
    ])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, folder / "playground.ipynb")
    port = _free_port()
    env = dict(os.environ)
    data = _jupyter_data_folders()
    env["JUPYTER_PATH"] = os.pathsep.join(data + [env.get("JUPYTER_PATH", "")]).strip(os.pathsep)
    for share in data:
        if (Path(share) / "lab" / "static").is_dir():
            env.setdefault("JUPYTERLAB_DIR", str(Path(share) / "lab"))
    env["JUPYTER_RUNTIME_DIR"] = str(folder / "runtime")
    env["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).resolve().parents[2]), env.get("PYTHONPATH", "")])
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", f"--port={port}",
         "--ServerApp.ip=127.0.0.1", "--ServerApp.token=", "--ServerApp.password=",
         "--LabApp.expose_app_in_browser=True", f"--ServerApp.root_dir={folder}"],
        cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=(folder / "server.log").open("w"),
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: urllib.request.urlopen(f"{url}/api/status", timeout=2).status == 200, 60, "JupyterLab")
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


def run_in_new_cell(driver, source: str, timeout: float = 60) -> str:
    """Add a cell at the end of the notebook, run it, and return its output's text."""
    script = """
        const app = window.jupyterapp;
        const panel = app.shell.currentWidget;
        const notebook = panel.content;
        notebook.activeCellIndex = notebook.widgets.length - 1;
        await app.commands.execute('notebook:insert-cell-below');
        notebook.activeCell.model.sharedModel.setSource(arguments[0]);
        await app.commands.execute('notebook:run-cell');
        return notebook.widgets.length;
    """
    wrapped = "const done = arguments[arguments.length - 1]; (async () => {" + script + "})().then(done, " \
              "(e) => done('error: ' + e));"
    count = driver.execute_async_script(wrapped, source)
    assert isinstance(count, int), count

    def output():
        return driver.execute_script("""
            const cells = window.jupyterapp.shell.currentWidget.content.widgets;
            const cell = cells[arguments[0] - 1];
            const area = cell.node.querySelector('.jp-OutputArea-output');
            return area ? area.innerText : null;
        """, count)

    return wait_for(output, timeout, f"the output of {source!r}").strip()


def test_play_in_jupyterlab_with_a_real_kernel(lab, browser):
    driver = browser
    driver.set_script_timeout(90)
    driver.get(f"{lab}/lab/tree/playground.ipynb")
    wait_for(lambda: driver.execute_script(
        "return window.jupyterapp && window.jupyterapp.shell.currentWidget"
        " && window.jupyterapp.shell.currentWidget.sessionContext"
        " && window.jupyterapp.shell.currentWidget.sessionContext.session"
        " && window.jupyterapp.shell.currentWidget.sessionContext.session.kernel"
        " && window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.connectionStatus === 'connected'"),
        120, "the notebook and its kernel")
    driver.execute_async_script(
        "const done = arguments[0]; window.jupyterapp.commands.execute('notebook:run-all-cells').then(() => done(1));")
    root = lambda name: driver.execute_script(  # noqa: E731
        f"const r = document.querySelector('.rgp-root'); return r ? r.dataset.{name} : null")
    wait_for(lambda: root("epoch") == "0", 120, "the playground to show")

    # Press play: the epoch counter climbs and the output heatmap changes.
    before = driver.execute_script("return document.querySelector('.rgp-output-map').toDataURL()")
    driver.execute_script("document.querySelector('.rgp-play').click()")
    wait_for(lambda: int(root("epoch")) >= 5, 60, "training to start")
    # The kernel is not blocked while playing: a cell runs, and training goes on.
    assert run_in_new_cell(driver, "1 + 1") == "2"
    time.sleep(4)
    rate, kernel_ms = float(root("rate")), float(root("kernelMs"))
    epoch = int(root("epoch"))
    driver.execute_script("document.querySelector('.rgp-play').click()")
    assert driver.execute_script("return document.querySelector('.rgp-output-map').toDataURL()") != before
    print(f"JupyterLab page: {rate:.1f} updates per second, epoch {epoch}, kernel {kernel_ms:.1f} ms per update")
    Path(os.environ.get("RETROGRAD_PLAYGROUND_RATE_FILE", os.devnull)).write_text(f"{rate:.2f}\n")

    # A control changed in the page reaches the kernel ...
    driver.execute_script("document.querySelector('.rgp-data-set[data-name=xor]').click()")
    wait_for(lambda: json.loads(root("state"))["data_set"] == "xor", 10, "the page's state")
    # (ipywidgets holds a page's update back while the kernel still answers earlier messages: ask until it is in.)
    answers = []
    for _ in range(5):
        answers.append(run_in_new_cell(driver, "print(playground.state.data_set, playground.epoch)"))
        if answers[-1] == "xor 0":
            break
        time.sleep(1)
    assert answers[-1] == "xor 0", answers
    # ... and a change made in a cell reaches the controls.
    run_in_new_cell(driver, "playground.set(data_set='spiral', hidden=[6]); print('set')")
    wait_for(lambda: json.loads(root("state"))["data_set"] == "spiral", 20, "the controls to follow the kernel")
    assert len(driver.find_elements("css selector", ".rgp-hidden-node")) == 6
    assert "rgp-selected" in driver.find_element(
        "css selector", ".rgp-data-set[data-name=spiral]").get_attribute("class")
    # The target is 10 updates/s (bench case 8 reports it). On a machine so busy that the kernel alone
    # cannot make 25 a second, ask instead that the trip and the drawing cost less than the training:
    # at least 40 % of the updates the kernel could make.
    least = min(10.0, 0.4 * 1000 / kernel_ms)
    assert rate >= least, f"the page drew {rate:.1f} updates/s while playing; the kernel took {kernel_ms:.1f} ms each"
