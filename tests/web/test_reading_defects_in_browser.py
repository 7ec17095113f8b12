"""Defects a reader met, in Chromium: the sign-in list, the Chinese interface, links under every line."""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import Engine

from tests.web.browsing import LiveServer, Watcher, live_server, person, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("engine", ["sqlite"], indirect=True)]

# How many of the paragraphs' action links a reader sees without pointing at anything.
VISIBLE_ACTIONS = """(name) => [...document.querySelectorAll('.para-tools a')]
  .filter((a) => a.textContent.startsWith(name))
  .filter((a) => getComputedStyle(a.closest('.para-actions') || a).opacity !== '0')
  .length"""


@pytest.fixture
def server(seeded_engine: Engine) -> Iterator[LiveServer]:
    """A live server over the seeded SQLite database."""
    with live_server(seeded_engine) as running:
        yield running


def test_the_demo_co_facilitators_are_in_the_sign_in_list(
    server: LiveServer, browser: Browser, watcher: Watcher
) -> None:
    visitor = person(browser, watcher, server.url)
    page = visitor.go("/sign-in")
    listed = page.locator(".demo-accounts tbody td:first-child").all_inner_texts()
    assert {"cofac-mex", "cofac-che"} <= set(listed), listed
    sign_in(visitor, "cofac-mex")
    visitor.context.close()


def test_the_chinese_interface_titles_a_process_in_chinese(
    server: LiveServer, browser: Browser, watcher: Watcher
) -> None:
    reader = person(browser, watcher, server.url, locale="zh-CN")
    page = reader.go("/processes/gcm")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.locator("h1")).to_have_text("安全、有序和正常移民全球契约")
    expect(page).to_have_title(re.compile("^安全、有序和正常移民全球契约"))
    expect(page.locator("main [lang=en]").first).to_have_text(
        "Global Compact for Safe, Orderly and Regular Migration"
    )
    reader.context.close()


def test_reading_a_revision_shows_no_link_row_under_every_paragraph(
    server: LiveServer, browser: Browser, watcher: Watcher
) -> None:
    reader = person(browser, watcher, server.url)
    page = reader.go("/processes/nyd/revisions/Adopted%20text")
    assert page.locator(".para").count() > 100
    assert page.evaluate(VISIBLE_ACTIONS, "History") == 0
    para = page.locator(".para").nth(10)
    para.hover()
    expect(para.get_by_role("link", name="History")).to_be_visible()
    assert page.evaluate(VISIBLE_ACTIONS, "History") == 1
    reader.context.close()
