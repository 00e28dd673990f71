"""Shared test fixtures. Set RETROGRAD_REQUIRE_TORCH=1 or RETROGRAD_REQUIRE_NUMBA=1 (CI does both) to fail
instead of skip without PyTorch or Numba."""

import os

import pytest


@pytest.fixture(scope="session")
def torch():
    """PyTorch, configured for float64; skipped where it is not installed unless it is required."""
    try:
        import torch as _torch
    except ImportError:
        if os.environ.get("RETROGRAD_REQUIRE_TORCH") == "1":
            pytest.fail("PyTorch is required here (RETROGRAD_REQUIRE_TORCH=1): pip install torch==2.13.0")
        pytest.skip("PyTorch not installed")
    _torch.set_default_dtype(_torch.float64)
    return _torch


@pytest.fixture
def compiled_adam():
    """Adam's update compiled by Numba (``nn.adam_update``); skipped without Numba unless it is required."""
    from nn.adam_update import compiled_loop

    loop = compiled_loop()
    if loop is None:
        if os.environ.get("RETROGRAD_REQUIRE_NUMBA") == "1":
            pytest.fail("Numba is required here (RETROGRAD_REQUIRE_NUMBA=1): pip install 'retrograd[fast]'")
        pytest.skip("Numba not installed (or RETROGRAD_NUMBA=0)")
    return loop


def _chromium_paths() -> tuple[str, str] | None:
    import shutil

    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    driver = shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


@pytest.fixture(scope="session")
def _browser_session():
    """One headless Chromium for the whole run (starting one takes seconds); tests use ``browser``."""
    required = os.environ.get("RETROGRAD_REQUIRE_BROWSER") == "1"
    paths = _chromium_paths()
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        paths = None
    if paths is None:
        if required:
            pytest.fail("Chromium, chromedriver and selenium are required here (RETROGRAD_REQUIRE_BROWSER=1)")
        pytest.skip("Chromium, chromedriver or selenium not installed")
    options = webdriver.ChromeOptions()
    options.binary_location = paths[0]
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,900", "--force-device-scale-factor=1"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(paths[1]), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


@pytest.fixture
def browser(_browser_session):
    """Headless Chromium (Selenium) at a 1,280 × 900 window; skipped when absent unless RETROGRAD_REQUIRE_BROWSER=1.

    Each test starts on a blank page with an empty console log, so what an earlier test's page
    printed (or said while being left) is not counted against it. ``console_errors(browser)``
    returns the console's errors since the last call.
    """
    driver = _browser_session
    driver.set_window_size(1280, 900)
    driver.get("about:blank")
    driver.get_log("browser")
    yield driver
    driver.execute_script("window.onbeforeunload = null;")
    driver.get("about:blank")
    driver.get_log("browser")


def console_errors(driver) -> list[str]:
    """The console's error messages since the last call (JavaScript exceptions included)."""
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
