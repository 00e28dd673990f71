"""Case 10: the backprop stepper on the 2-16-16-1 MLP (one input): building it, writing its page, and a
frame change in headless Chromium.

*Build* is what a notebook cell showing the stepper waits for: ``BackpropStepper(loss, level=...)``
(backprop recorded frame by frame) and its page (``html()``: the frames as data, the layout by
Graphviz, once). It is measured at neuron level (the default picture of this network) and at op
level (every value and op; 406 frames), also on the same network with unfused neurons (micrograd's
graph: a product and a sum per weight; 1,013 frames). *Page* is ``to_html(path)`` of the neuron-level stepper:
the page built and written to a file. *Frame change* is measured by the page itself in
Chromium: from the click on "next" until the browser has drawn the frame (the next animation
frame, then a task), the median of 20 clicks. Without Chromium that row says "not installed".
"""

from __future__ import annotations

import re
import statistics
import tempfile
import time
from pathlib import Path

from .browser import chromium
from .report import NOT_INSTALLED, Row
from .timing import time_paired

BUILD_TARGET_S = 5.0
PAGE_TARGET_S = 2.0
FRAME_TARGET_MS = 50.0


def _loss(sizes: list[int], fused: bool = True):
    import nn

    loss = (nn.MLP(2, sizes, activation="tanh", seed=0, fused=fused)([0.5, -1.0]) - 1.0) ** 2
    loss.label = "L"
    return loss


def _agrees_with_backward(stepper, sizes: list[int], fused: bool) -> bool:
    """The stepper's last frame holds exactly the grads ``backward()`` gives on the same network."""
    from autograd import topological_order

    reference = _loss(sizes, fused)
    reference.backward()
    return [node.grad for node in topological_order(reference)] == stepper.frame_grads(-1)


def _frame_change_ms(page: Path, frames: int, clicks: int) -> tuple[float | str, str, bool]:
    """The median time (ms) from a click on "next" until the frame is drawn, the check and whether it held."""
    driver = chromium()
    if driver is None:
        return NOT_INSTALLED, "", True
    try:
        driver.get(page.as_uri())
        end = time.time() + 20
        while not driver.execute_script("return !!(window.retrogradViewer && retrogradViewer.frame === 0)"):
            if time.time() > end:
                return "fails (the viewer did not start)", "", False
            time.sleep(0.05)
        button = driver.find_element("css selector", 'button[data-action="next"]')
        times = []
        for _ in range(min(clicks, frames - 1)):
            button.click()
            end = time.time() + 5
            while (painted := driver.execute_script("return retrogradViewer.paintedMs")) is None:
                if time.time() > end:
                    return "fails (a frame was never drawn)", "", False
                time.sleep(0.005)
            times.append(float(painted))  # Selenium gives a whole number of ms as an int
        shown = int(driver.execute_script("return retrogradViewer.frame"))
        errors = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        check = f"the page shows frame {shown} after {len(times)} clicks; {len(errors)} console errors"
        return statistics.median(times), check, shown == len(times) and not errors
    finally:
        driver.quit()


def stepper(quick: bool = False) -> list[Row]:
    """Time the stepper's build at neuron and op level, its page, and a frame change in the browser."""
    import viz

    sizes = [4, 1] if quick else [16, 16, 1]
    shape = "-".join(str(n) for n in [2, *sizes])
    built: dict[str, object] = {}

    def build(name: str, level: str, fused: bool = True):
        stepper = viz.BackpropStepper(_loss(sizes, fused), level=level)
        built[name] = (stepper, stepper.html())

    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "stepper.html"
        timings = time_paired(
            {
                "neuron": lambda: build("neuron", "neuron"),
                "op": lambda: build("op", "op"),
                "op unfused": lambda: build("op unfused", "op", fused=False),
                "page": lambda: built["neuron"][0].to_html(page),
            },
            repeats=1 if quick else 5,
            warmup=0 if quick else 1,
            clock=time.perf_counter,  # the layout runs in another process: CPU time would miss it
        )
        rows = []
        for name, level, fused in (("neuron", "neuron", True), ("op", "op", True), ("op unfused", "op", False)):
            stepper, html = built[name]
            seconds = timings.median(name)
            graph = "" if fused else " (neurons unfused: a * and a + per weight, as micrograd)"
            rows.append(
                Row(
                    f"10 stepper build at {level} level: MLP {shape}{graph}, one input, {len(stepper)} frames "
                    "(BackpropStepper + its page)",
                    "s",
                    seconds,
                    target=f"< {BUILD_TARGET_S:.0f} s",
                    met=seconds < BUILD_TARGET_S,
                    check=f"drawn at {stepper.level} level; last frame = backward()'s grads",
                    passed=stepper.level == level
                    and _agrees_with_backward(stepper, sizes, fused)
                    and 'id="rg-data"' in html,
                )
            )
        neuron_stepper = built["neuron"][0]
        written = page.read_text(encoding="utf-8")
        page_s = timings.median("page")
        rows.append(
            Row(
                f"10 stepper page written (to_html, neuron level, {len(written) / 1e3:.0f} kB)",
                "s",
                page_s,
                target=f"< {PAGE_TARGET_S:.0f} s",
                met=page_s < PAGE_TARGET_S,
                check="one self-contained page, every frame in it",
                passed=written.count('"caption":') == len(neuron_stepper)
                and not re.search(r"<(script|img|link)[^>]+(src|href)=", written),
            )
        )
        median_ms, check, passed = _frame_change_ms(page, len(neuron_stepper), clicks=5 if quick else 20)
        rows.append(
            Row(
                "10 stepper frame change in headless Chromium at 1,280 px (click to drawn, median)",
                "ms",
                median_ms,
                target=f"< {FRAME_TARGET_MS:.0f} ms",
                met=median_ms < FRAME_TARGET_MS if isinstance(median_ms, float) else None,
                check=check,
                passed=passed,
            )
        )
    return rows
