"""The stepper's viewer in a real browser (headless Chromium at 1,280 × 900): the standalone page,
the output of a notebook cell, the buttons, the keys, what stays in view, text sizes, escaping."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import console_errors

import nn
import viz
from autograd import Value


def mlp_loss(sizes=(16, 16, 1)):
    loss = (nn.MLP(2, list(sizes), activation="tanh", seed=0)([0.5, -1.0]) - 1.0) ** 2
    loss.label = "L"
    return loss


def wait_for_viewer(driver, timeout: float = 10.0) -> None:
    end = time.time() + timeout
    while time.time() < end:
        if driver.execute_script("return !!(window.retrogradViewer && window.retrogradViewer.frame >= 0)"):
            return
        time.sleep(0.05)
    raise AssertionError(f"the viewer did not start; console: {console_errors(driver)}")


def open_page(driver, path: Path) -> None:
    driver.switch_to.default_content()
    console_errors(driver)  # forget what earlier pages (other tests share the browser) logged
    driver.get(path.as_uri())
    wait_for_viewer(driver)


def frame(driver) -> int:
    return int(driver.execute_script("return retrogradViewer.frame"))


def click(driver, action: str) -> None:
    driver.find_element("css selector", f'button[data-action="{action}"]').click()


HIGHLIGHT_IN_VIEW = """
const box = document.querySelector('.rg-highlight');
if (!box) { return 'no highlighted box'; }
const r = box.getBoundingClientRect(), v = document.querySelector('.rg-viewport').getBoundingClientRect();
const inside = r.left >= v.left - 1 && r.right <= v.right + 1 && r.top >= v.top - 1 && r.bottom <= v.bottom + 1
  && r.bottom <= window.innerHeight && r.right <= window.innerWidth;
return inside ? 'ok'
  : JSON.stringify({box: [r.left, r.top, r.right, r.bottom], view: [v.left, v.top, v.right, v.bottom]});
"""

SMALLEST_TEXT_PX = """
let smallest = Infinity;
for (const t of document.querySelectorAll('.rg-boxes text, .rg-note-text')) {
  if (!t.textContent) { continue; }
  const size = parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a;
  smallest = Math.min(smallest, size);
}
return smallest;
"""

BUTTONS_VISIBLE = """
return [...document.querySelectorAll('.rg-controls button')].every(b => {
  const r = b.getBoundingClientRect();
  return r.width > 0 && r.left >= 0 && r.right <= window.innerWidth && r.top >= 0 && r.bottom <= window.innerHeight;
});
"""


def check_viewer(driver, frames: int) -> None:
    """Work the viewer as a student would (its speed is measured by the bench: case 10, stepper)."""
    assert driver.execute_script("return document.documentElement.scrollWidth") <= 1280
    assert driver.execute_script(SMALLEST_TEXT_PX) >= 9.0
    assert driver.execute_script(HIGHLIGHT_IN_VIEW) == "ok"
    for k in range(1, min(frames, 8)):
        click(driver, "next")
        assert frame(driver) == k
        assert driver.execute_script(HIGHLIGHT_IN_VIEW) == "ok", k
    click(driver, "previous")
    assert frame(driver) == min(frames, 8) - 2
    # One arrow key press is one frame, also with the slider focused (it moves on arrows by itself).
    here = frame(driver)
    slider = driver.find_element("css selector", ".rg-slider")
    slider.click()
    driver.execute_script("retrogradViewer.show(arguments[0])", here)
    slider.send_keys("\ue014")  # ArrowRight
    assert frame(driver) == here + 1
    slider.send_keys("\ue012")  # ArrowLeft
    assert frame(driver) == here
    driver.find_element("css selector", "body").send_keys("\ue014")
    assert frame(driver) == here + 1
    assert driver.execute_script(HIGHLIGHT_IN_VIEW) == "ok"
    # Play runs through the frames at the chosen speed; pause stops it.
    driver.execute_script("document.querySelector('.rg-speed select').value = '4'")
    driver.execute_script("retrogradViewer.show(1)")
    start = frame(driver)
    click(driver, "play")
    wanted = min(start + 2, frames - 1)
    end = time.time() + 5  # 4× is a frame every 0.225 s; a busy machine may be slower
    while frame(driver) < wanted and time.time() < end:
        time.sleep(0.05)
    click(driver, "play")  # now "pause"
    stopped = frame(driver)
    assert stopped >= wanted
    time.sleep(0.5)
    assert frame(driver) == stopped
    assert driver.execute_script(HIGHLIGHT_IN_VIEW) == "ok"
    # Zoom in and out keeps text readable; fit comes back.
    click(driver, "zoom-out")
    click(driver, "zoom-out")
    assert driver.execute_script(SMALLEST_TEXT_PX) >= 9.0
    click(driver, "zoom-in")
    click(driver, "fit")
    assert driver.execute_script(BUTTONS_VISIBLE)
    assert console_errors(driver) == []


def test_the_stepper_page_of_the_2_16_16_1_mlp(browser, tmp_path):
    stepper = viz.BackpropStepper(mlp_loss())
    path = stepper.to_html(tmp_path / "stepper.html")
    assert stepper.level == "neuron"
    open_page(browser, path)
    assert console_errors(browser) == []
    check_viewer(browser, len(stepper))


@pytest.mark.parametrize("level", ["op", "neuron"])
def test_the_stepper_page_of_a_2_4_1_mlp_keeps_every_highlight_in_view(browser, tmp_path, level):
    stepper = viz.BackpropStepper(mlp_loss((4, 1)), level=level, color_by_grad=True)
    open_page(browser, stepper.to_html(tmp_path / "stepper.html"))
    for k in range(len(stepper)):
        browser.execute_script("retrogradViewer.show(arguments[0])", k)
        assert browser.execute_script(HIGHLIGHT_IN_VIEW) == "ok", k
    assert browser.execute_script(SMALLEST_TEXT_PX) >= 9.0
    # Legend swatches are the colours the boxes use.
    swatches = set(
        browser.execute_script("return [...document.querySelectorAll('.rg-swatch')].map(s => s.dataset.colour)")
    )
    fills = set(
        browser.execute_script(
            "return [...document.querySelectorAll('.rg-value .rg-shape, .rg-neuron .rg-shape')]"
            ".map(s => s.style.fill).filter(f => f)"
        )
    )
    as_hex = {"#" + "".join(f"{int(c):02x}" for c in f[4:-1].split(",")) for f in fills}
    assert as_hex and as_hex <= swatches
    assert console_errors(browser) == []


def test_the_viewer_shown_by_a_notebook_cell(browser, tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell(
            "import nn, viz\n"
            "loss = (nn.MLP(2, [4, 1], activation='tanh', seed=0)([0.5, -1.0]) - 1.0) ** 2\n"
            "viz.BackpropStepper(loss, level='neuron')"
        )
    ]
    nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3").execute()
    outputs = notebook.cells[0].outputs
    shown = next(o for o in outputs if o.output_type == "execute_result")
    fragment = shown.data["text/html"]
    assert fragment.startswith("<iframe srcdoc=")
    # The output as a notebook shows it: in a cell about 1,100 px wide.
    page = tmp_path / "notebook_output.html"
    page.write_text(f'<!DOCTYPE html><html><body style="margin: 0 90px; width: 1100px">{fragment}</body></html>')
    browser.switch_to.default_content()
    console_errors(browser)
    browser.get(page.as_uri())
    browser.switch_to.frame(browser.find_element("css selector", "iframe"))
    try:
        wait_for_viewer(browser)
        check_viewer(browser, int(browser.execute_script("return retrogradViewer.frames")))
    finally:
        browser.switch_to.default_content()


@pytest.mark.parametrize(
    "label",
    ["<!--<script>", "</script><script>window.pwned = 1</script>", "]]></script><!--", "a\u2028b </ScRiPt >"],
)
def test_labels_cannot_break_or_script_the_page(browser, tmp_path, label):
    x = Value(0.5, label=label)
    out = (x * 2.0).tanh()
    out.label = label + " out"
    stepper = viz.BackpropStepper(out)
    open_page(browser, stepper.to_html(tmp_path / "stepper.html"))
    assert browser.execute_script("return window.pwned === undefined")
    click(browser, "next")
    click(browser, "next")
    assert frame(browser) == 2
    shown = browser.execute_script("return [...document.querySelectorAll('.rg-boxes text')].map(t => t.textContent)")
    assert label in shown and label + " out" in shown
    assert console_errors(browser) == []
