"""The merge editor in Chromium: status follows brackets; a merged compromise rules and keeps its words."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, expect
from sqlalchemy import Engine

from tests.api.workflow_helpers import Round
from tests.web.browsing import LiveServer, Watcher, assert_accessible, live_server, person

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("engine", ["sqlite"], indirect=True)]

PARA3 = (
    "Migration has been part of the human experience throughout history, and we recognize that it is a "
    "source of prosperity, innovation and sustainable development in our globalized world."
)


@pytest.fixture
def server(seeded_engine: Engine) -> Iterator[LiveServer]:
    """A live server over the seeded SQLite database."""
    with live_server(seeded_engine) as running:
        yield running


def test_a_merged_compromise_in_the_browser(
    server: LiveServer, client: TestClient, browser: Browser, watcher: Watcher
) -> None:
    r = Round(client)
    r.publish_zero_draft()
    chn = r.table("delegate-chn", "para-3", PARA3.replace("prosperity,", "prosperity, dignity,"))["id"]
    deu = r.table("delegate-deu", "para-3", PARA3.replace("our globalized world", "our shared world"))["id"]
    r.paragraph(None, "para-3")  # opens the working copy
    mex = person(browser, watcher, server.url, "cofac-mex")
    page = mex.go("/processes/gcm/working-copy/paragraphs/para-3")
    expect(page.locator("#merge-preview")).to_contain_text("merge without conflict")
    page.get_by_role("button", name="Use the merged text as the compromise").click()
    text = page.locator("#compromise-text")
    expect(text).to_have_value(
        PARA3.replace("prosperity,", "prosperity, dignity,").replace("globalized", "shared")
    )
    text.fill(text.input_value().replace("our shared world", "our [shared and connected] world"))
    page.locator("input[name=status][value=agreed]").check()
    with watcher.expecting("status of 422"):
        page.get_by_role("button", name="Save the paragraph").click()
        expect(page.get_by_role("alert")).to_contain_text("cannot be agreed")
    expect(page.get_by_role("alert")).to_contain_text("«[shared and connected]»")
    page.locator("input[name=status][value=bracketed]").check()
    page.get_by_role("button", name="Save the paragraph").click()
    expect(page.locator(".notice.success")).to_contain_text("saved")
    sourced = page.locator(".sourced")
    expect(sourced.filter(has_text="dignity")).to_have_attribute("title", f"proposal {chn}")
    expect(sourced.filter(has_text="connected")).to_have_attribute("title", "co-facilitators")
    expect(page.locator("input[name=status][value=bracketed]")).to_be_checked()
    expect(page.locator("#merge-preview .conflict")).to_have_count(0)
    assert_accessible(page)
    mex.shot("merge-editor-compromise")
    for proposal, state in ((chn, "accepted"), (deu, "accepted_with_changes")):
        expect(mex.go(f"/proposals/{proposal}").locator(f".badge.state-{state}").first).to_be_visible()
    mex.context.close()
