"""Fixtures of the web tests: one Chromium per test process, a watcher of console errors per test."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.web.browsing import CHROMIUM, Watcher, launch


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, shared by the browser tests of this process."""
    if not Path(CHROMIUM).is_file():
        if os.environ.get("CI") == "true":
            pytest.fail("Debian's chromium is required under CI=true", pytrace=False)
        pytest.skip("Debian's chromium is not installed (scripts/test.sh installs it)")
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def watcher() -> Iterator[Watcher]:
    """Console errors, page errors and dialogs of the test's pages; the test fails on any."""
    seen = Watcher()
    yield seen
    seen.assert_clean()
