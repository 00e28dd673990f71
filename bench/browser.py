"""Headless Chromium for the cases that measure a page in a real browser (None where it is not installed)."""

from __future__ import annotations

import shutil
from typing import Any


def chromium(width: int = 1280, height: int = 900) -> Any:
    """A Selenium driver of headless Chromium at ``width`` × ``height``, or None without Chromium,
    chromedriver or selenium."""
    browser, driver = shutil.which("chromium") or shutil.which("google-chrome"), shutil.which("chromedriver")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        return None
    if not (browser and driver):
        return None
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     f"--window-size={width},{height}"):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service(driver), options=options)
