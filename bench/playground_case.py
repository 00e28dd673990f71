"""Case 8: the playground while it plays: the kernel's time per update, and updates per second in a browser.

The kernel's part is what one tick from the page costs: one epoch of the default network
(2-4-2-1 tanh, 250 training points, batches of 10) and the numbers of the next picture (every
neuron's 40 × 40 heatmap, weights, gradients, losses). The browser's part runs the widget's
own page in headless Chromium, connected to the widget by ``viz.playground.page.PageBridge``
(Selenium carries each message, which a Jupyter comm does faster), and reads the rate and the
drawing time the page measures itself. Without Chromium only the kernel's row is given.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from .browser import chromium
from .report import Row
from .timing import time_paired

TARGET_RATE = 10.0  # updates per second while playing


def playground(quick: bool = False) -> list[Row]:
    """Time the playground's update in the kernel and, where Chromium is installed, its rate in the page."""
    from viz.playground import Playground
    from viz.playground.page import PageBridge

    widget = Playground().play()
    tick = {"type": "tick"}
    repeats = 3 if quick else 60
    timings = time_paired({"update": lambda: widget._on_page_message(widget, tick, [])}, repeats=repeats,
                          warmup=1 if quick else 5, clock=time.perf_counter)
    update_ms = 1e3 * timings.median("update")
    trained = widget.epoch
    rows = [
        Row(
            "8 playground update in the kernel: one epoch of 2-4-2-1 on 250 points (batch 10), "
            "every neuron's 40×40 heatmap, weights and gradients",
            "ms",
            update_ms,
            target=f"≤ {1000 / TARGET_RATE:.0f} ms ({TARGET_RATE:.0f} updates/s)",
            met=update_ms <= 1000 / TARGET_RATE,
            check=f"{trained} ticks trained {trained} epochs",
            passed=trained == repeats + (1 if quick else 5),
        )
    ]
    driver = chromium()
    if driver is None:
        return rows
    try:
        page = Playground()
        with tempfile.TemporaryDirectory() as folder:
            bridge = PageBridge(page, driver, Path(folder) / "playground.html")
            driver.execute_script("document.querySelector('.rgp-play').click()")
            bridge.run_for(1.5 if quick else 6.0)
            driver.execute_script("document.querySelector('.rgp-play').click()")
            bridge.run_for(0.2)
            data = driver.execute_script("return Object.assign({}, document.querySelector('.rgp-root').dataset)")
        rate, draw_ms, shown = float(data.get("rate", 0.0)), float(data.get("drawMs", 0.0)), int(data["epoch"])
        rows += [
            Row(
                "8 playground updates per second while playing, headless Chromium (page ↔ widget through Selenium)",
                "updates/s",
                rate,
                target=f"≥ {TARGET_RATE:.0f}",
                met=rate >= TARGET_RATE,
                check=f"the page shows epoch {shown}, the widget trained {page.epoch}",
                passed=shown == page.epoch > 0,
            ),
            Row("8 playground drawing one update in the page (15 heatmaps, 18 edges, the curve)", "ms", draw_ms,
                check="measured by the page", passed=draw_ms > 0),
        ]
    finally:
        driver.quit()
    return rows
