"""The proposal form and the working copy in Chromium: redlines read as negotiators read them, in sight."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, expect
from sqlalchemy import Engine

from tests.api.workflow_helpers import Round
from tests.web.browsing import LiveServer, Watcher, live_server, person

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("engine", ["sqlite"], indirect=True)]

FORM = "/processes/gcm/proposals/new?paragraph=para-3"


@pytest.fixture
def server(seeded_engine: Engine, client: TestClient) -> Iterator[LiveServer]:
    """A live server over the seeded SQLite database, with the zero draft published."""
    Round(client).publish_zero_draft()
    with live_server(seeded_engine) as running:
        yield running


def test_a_word_put_in_brackets_is_not_split_round(
    server: LiveServer, browser: Browser, watcher: Watcher
) -> None:
    chn = person(browser, watcher, server.url, "delegate-chn")
    page = chn.go(FORM)
    text = page.locator("#proposal-text")
    text.fill(text.input_value().replace("globalized world", "[globalized] [interconnected] world"))
    preview = page.locator("#redline-preview")
    expect(preview.locator("del")).to_have_text("globalized")
    expect(preview.locator("ins")).to_have_text("[globalized] [interconnected]")
    chn.context.close()


def test_choosing_insert_does_not_show_the_paragraph_as_one_long_insertion(
    server: LiveServer, browser: Browser, watcher: Watcher
) -> None:
    chn = person(browser, watcher, server.url, "delegate-chn")
    page = chn.go(FORM)
    base = page.locator("#proposal-text").input_value()
    assert "globalized world" in base
    page.locator("input[name=action][value=insert]").check()
    expect(page.locator("#proposal-text")).to_have_value("")
    preview = page.locator("#redline-preview")
    expect(preview).not_to_contain_text("globalized world")
    page.locator("#proposal-text").fill("We will review progress every four years.")
    expect(preview.locator("ins")).to_have_text("We will review progress every four years.")
    chn.context.close()


def test_on_a_tablet_the_live_redline_is_in_sight_while_typing(
    server: LiveServer, browser: Browser, watcher: Watcher
) -> None:
    # A tablet held in landscape, or a laptop with the browser's bars: 820 px wide, 700 px tall.
    chn = person(browser, watcher, server.url, "delegate-chn", viewport={"width": 820, "height": 700})
    page = chn.go(FORM)
    text = page.locator("#proposal-text")
    text.scroll_into_view_if_needed()
    text.fill(text.input_value().replace("globalized world", "shared world"))
    expect(page.locator("#redline-preview ins")).to_have_text("shared")
    expect(page.locator("#redline-preview")).to_be_in_viewport()
    expect(text).to_be_in_viewport()
    chn.shot("proposal-form-tablet", full_page=False)
    chn.context.close()


def test_the_working_copy_gives_its_text_column_the_room(
    server: LiveServer, client: TestClient, browser: Browser, watcher: Watcher
) -> None:
    Round(client).paragraph(None, "para-3")  # opens the working copy
    mex = person(browser, watcher, server.url, "cofac-mex", viewport={"width": 1440, "height": 900})
    page = mex.go("/processes/gcm/working-copy")
    text_cell = page.locator("#row-para-3 td").nth(1)
    expect(text_cell).to_contain_text("globalized")
    box = text_cell.bounding_box()
    assert box is not None and box["width"] >= 500, box
    mex.context.close()
