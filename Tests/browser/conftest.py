"""Fixtures: one server for the session (a second, throwaway one for the brute-force test), and a
headless Chromium driven by Debian's chromedriver.

Run from the repository root:  swift build && .venv/bin/python -m pytest Tests/browser
"""

import os
import shutil

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

from support import Server, future_deadline

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", shutil.which("chromedriver") or "/usr/bin/chromedriver")


@pytest.fixture(scope="session")
def server():
    srv = Server()
    srv.set_deadline(future_deadline())
    yield srv
    srv.close()


@pytest.fixture
def fresh_server():
    """A server of its own, for tests that leave the shared one unusable (a throttled address)."""
    srv = Server()
    yield srv
    srv.close()


def make_driver(javascript=True, width=1280, height=1000):
    options = Options()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--lang=nl-NL", f"--window-size={width},{height}", "--disable-extensions"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {
        "intl.accept_languages": "nl-NL,nl",
        "profile.managed_default_content_settings.javascript": 1 if javascript else 2,
    })
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_script_timeout(60)
    driver.set_page_load_timeout(30)
    return driver


@pytest.fixture(scope="session")
def browser():
    driver = make_driver()
    yield driver
    driver.quit()


@pytest.fixture
def driver(browser):
    """The shared browser, logged out and at desktop width."""
    browser.delete_all_cookies()
    browser.set_window_size(1280, 1000)
    return browser


@pytest.fixture
def nojs_driver():
    driver = make_driver(javascript=False)
    yield driver
    driver.quit()
