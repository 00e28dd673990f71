"""The playground's page in headless Chromium, wired to a real widget in this process (``PageBridge``).

The page runs the widget's own ES module; the bridge carries its messages to the widget the
way a Jupyter comm does, so pressing play trains the real network.
"""

from __future__ import annotations

import base64
import json
import time

import pytest
from conftest import console_errors

from viz.playground import Playground
from viz.playground.page import PageBridge

pytestmark = pytest.mark.slow


def script(driver, code, *args):
    return driver.execute_script(code, *args)


def root_data(driver, name):
    return script(driver, f"return document.querySelector('.rgp-root').dataset.{name}")


def output_pixels(driver) -> str:
    return script(driver, "return document.querySelector('.rgp-output-map').toDataURL()")


def hidden_pixels(driver) -> list[str]:
    return script(driver, "return [...document.querySelectorAll('.rgp-hidden-node canvas')].map(c => c.toDataURL())")


@pytest.fixture
def page(browser, tmp_path):
    widget = Playground()
    bridge = PageBridge(widget, browser, tmp_path / "playground.html")
    console_errors(browser)
    yield widget, bridge, browser
    assert console_errors(browser) == []


def click(driver, selector):
    script(driver, "document.querySelector(arguments[0]).click()", selector)


def test_play_trains_and_the_picture_moves(page):
    widget, bridge, driver = page
    before_output, before_hidden = output_pixels(driver), hidden_pixels(driver)
    assert root_data(driver, "epoch") == "0"
    click(driver, ".rgp-play")
    bridge.run_for(3.0)
    click(driver, ".rgp-play")
    bridge.run_for(0.3)
    epoch = int(root_data(driver, "epoch"))
    assert epoch >= 10 and epoch == widget.epoch and not widget.playing
    assert script(driver, "return document.querySelector('.rgp-epoch-value').textContent") == str(epoch)
    assert output_pixels(driver) != before_output
    after_hidden = hidden_pixels(driver)
    assert len(after_hidden) == 6 and all(a != b for a, b in zip(after_hidden, before_hidden))
    rate = float(root_data(driver, "rate"))
    print(f"page updates per second (bridge): {rate:.1f}")
    assert rate > 3  # the page measured a rate while playing (the bench reports it against the target)


def test_controls_in_the_page_change_the_state(page):
    widget, bridge, driver = page
    script(driver, "document.querySelector('.rgp-data-set[data-name=spiral]').click()")
    bridge.pump()
    assert widget.state.data_set == "spiral"
    assert json.loads(root_data(driver, "state"))["data_set"] == "spiral"
    script(driver, "document.querySelector('.rgp-feature[data-feature=sin_x1]').click()")
    bridge.pump()
    assert widget.state.features == ("x1", "x2", "sin_x1") and widget.model[0].nin == 3
    script(driver, "const s = document.querySelector('.rgp-learning-rate'); s.selectedIndex = 8;"
                   "s.dispatchEvent(new Event('change'))")
    bridge.pump()
    assert widget.state.learning_rate == 1.0
    click(driver, ".rgp-add-layer")
    bridge.pump()
    assert widget.state.hidden == (4, 2, 2)
    assert len(driver.find_elements("css selector", ".rgp-hidden-node")) == 8


def test_a_refused_value_keeps_the_network_and_says_why(page):
    widget, bridge, driver = page
    for _ in range(4):
        script(driver, "document.querySelectorAll('.rgp-add-neuron')[0].click()")
        bridge.pump()
    assert widget.state.hidden == (8, 2)
    script(driver, "document.querySelectorAll('.rgp-add-neuron')[0].click()")
    bridge.pump()
    assert widget.state.hidden == (8, 2)
    assert "cannot be [9, 2]" in script(driver, "return document.querySelector('.rgp-notice').textContent")
    assert json.loads(root_data(driver, "state"))["hidden"] == [8, 2]
    assert len(driver.find_elements("css selector", ".rgp-hidden-node")) == 10


def test_code_changes_reach_the_page(page):
    widget, bridge, driver = page
    widget.set(data_set="xor", show_test_data=True, hidden=[3])
    bridge.flush()
    assert json.loads(root_data(driver, "state"))["data_set"] == "xor"
    assert script(driver, "return document.querySelector('.rgp-show-test-data').checked") is True
    assert "rgp-selected" in driver.find_element("css selector", ".rgp-data-set[data-name=xor]").get_attribute("class")
    assert len(driver.find_elements("css selector", ".rgp-hidden-node")) == 3


def test_hovering_an_edge_shows_its_weight_or_gradient(page):
    widget, bridge, driver = page
    from selenium.webdriver import ActionChains

    target = driver.find_element("css selector", ".rgp-edge-target[data-layer='1'][data-to='1'][data-from='2']")
    ActionChains(driver).move_to_element(target).perform()
    text = script(driver, "return document.querySelector('.rgp-tooltip').textContent")
    assert text == f"weight {widget.model[2].weight.data[1, 2]:.3f}"
    widget.set(edges="gradient")
    bridge.flush()
    ActionChains(driver).move_by_offset(1, 0).perform()
    text = script(driver, "return document.querySelector('.rgp-tooltip').textContent")
    shown = float(text.split()[1])
    assert text.startswith("∂L/∂w") and shown == pytest.approx(widget.frame["gradients"][1][1][2], rel=1e-2)


def test_inspect_opens_the_stepper_for_a_clicked_point(page):
    widget, bridge, driver = page
    click(driver, ".rgp-inspect")
    x1, x2, _ = widget.points["train"][7]
    script(driver, """
        const canvas = document.querySelector('.rgp-points');
        const box = canvas.getBoundingClientRect();
        canvas.dispatchEvent(new MouseEvent('click', {clientX: box.left + (arguments[0] + 6) / 12 * box.width,
                                                      clientY: box.top + (6 - arguments[1]) / 12 * box.height}));
    """, x1, x2)
    bridge.pump()
    assert "training point 7" in widget.inspection
    assert script(driver, "return document.querySelector('.rgp-inspection-frame') !== null")


def test_the_page_fits_1280_pixels(page, tmp_path):
    widget, bridge, driver = page
    widget.set(hidden=[8, 8, 8, 8, 8, 8], features=["x1", "x2", "x1_squared", "x2_squared", "x1_x2", "sin_x1"])
    bridge.flush()
    width = script(driver, "return document.querySelector('.rgp-root').getBoundingClientRect().right")
    assert width <= 1280
    assert script(driver, "return document.documentElement.scrollWidth") <= 1280
    png = base64.b64decode(driver.get_screenshot_as_base64())
    (tmp_path / "widest.png").write_bytes(png)
    time.sleep(0)


def test_hovering_a_neuron_shows_its_heatmap_large(page):
    widget, bridge, driver = page
    from selenium.webdriver import ActionChains

    output = output_pixels(driver)
    neuron = driver.find_elements("css selector", ".rgp-hidden-node")[1]
    ActionChains(driver).move_to_element(neuron).perform()
    shown = output_pixels(driver)
    assert shown != output
    assert shown == script(driver, "return document.querySelectorAll('.rgp-hidden-node canvas')[1].toDataURL()")
    ActionChains(driver).move_to_element(driver.find_element("css selector", ".rgp-data h4")).perform()
    assert output_pixels(driver) == output


def test_the_page_speaks_spanish(browser, tmp_path):
    widget = Playground(language="es")
    PageBridge(widget, browser, tmp_path / "es.html")
    text = browser.find_element("css selector", ".rgp-root").text
    for words in ("Tasa de aprendizaje", "Función de activación", "Capas ocultas", "Entrenar", "Tamaño del lote"):
        assert words in text
    assert "Learning rate" not in text
