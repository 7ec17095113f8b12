"""Defects a reader met, in Chromium: the sign-in list, the Chinese interface, links under every line, codes
where names belong (revision labels, groups, unnumbered paragraphs)."""

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, expect
from sqlalchemy import Engine

from api.app import create_app
from tests.api.workflow_helpers import Round
from tests.conftest import app_settings
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


@pytest.fixture
def api(seeded_engine: Engine) -> Iterator[Round]:
    """Delegations and co-facilitators played through the JSON API on the live server's database."""
    with TestClient(create_app(app_settings(seeded_engine), seeded_engine)) as client:
        yield Round(client)


# What each interface language calls the GCM's first revision, the African Group and a paragraph with
# no number (a heading here): the names readers use, never the label's, group's or paragraph's code.
NAMES = {
    "en-GB": ("Zero draft", "African Group", "unnumbered paragraph"),
    "zh-CN": ("零草案", "非洲国家集团", "未编号段落"),
}


@pytest.mark.parametrize("locale", NAMES)
def test_labels_groups_and_unnumbered_paragraphs_are_named_in_the_interface_language(
    server: LiveServer, browser: Browser, watcher: Watcher, api: Round, locale: str
) -> None:
    revision, group, unnumbered = NAMES[locale]
    api.publish_zero_draft()
    tabled = api.table("delegate-zaf", "sec-2", "Our shared vision", on_behalf_of="AFRICAN-GROUP")
    # The tabling's answer names the group as reading the proposal does.
    assert tabled["on_behalf_of_names"]["name_zh"] == "非洲国家集团"
    reader = person(browser, watcher, server.url, "delegate-chn", locale=locale)

    page = reader.go("/processes/gcm")
    link = page.locator("#revision-list a").first
    expect(link).to_have_text(revision)
    expect(link).to_have_attribute("href", "/processes/gcm/revisions/Zero%20draft")  # the label stays data
    link.click()
    expect(page.locator("#doc-title")).to_contain_text(revision)

    page = reader.go(f"/proposals/{tabled['id']}")
    card = page.locator(f"#proposal-{tabled['id']}")
    expect(card.locator(".sponsor")).to_contain_text(group)
    expect(card.locator(".para-ref")).to_have_text(unnumbered)
    expect(card.locator(".para-ref")).to_have_attribute("href", "/processes/gcm/revisions/Zero%20draft#sec-2")
    expect(card.locator(".proposal-meta .dates")).to_contain_text(revision)
    for code in ["AFRICAN-GROUP", "sec-2"] + (["Zero draft"] if revision != "Zero draft" else []):
        expect(card).not_to_contain_text(code)

    page = reader.go("/processes/gcm/proposals?view=table")
    row = page.locator("table tbody tr").first
    expect(row).to_contain_text(group)
    expect(row).to_contain_text(unnumbered)
    expect(row).not_to_contain_text("AFRICAN-GROUP")

    # A <select> shows the name and sends the label: the compare form still finds the revision.
    page = reader.go("/processes/gcm/compare")
    chosen = page.locator("#compare-from option[selected]")
    expect(chosen).to_have_text(revision)
    expect(chosen).to_have_attribute("value", "Zero draft")
    page.locator("form.filters button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"from=Zero\+draft"))
    reader.context.close()
