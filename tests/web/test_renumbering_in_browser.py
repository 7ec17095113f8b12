"""Publishing renumbers, seen in Chromium: the preview lists it, compare and the history say "former 7bis"."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, expect
from sqlalchemy import Engine

from api.app import create_app
from tests.api.workflow_helpers import Round
from tests.conftest import app_settings
from tests.web.browsing import LiveServer, Watcher, assert_accessible, live_server, person

RENUMBERED = "7bis → 8"
pytestmark = [pytest.mark.browser, pytest.mark.parametrize("engine", ["sqlite"], indirect=True)]


@pytest.fixture
def server(seeded_engine: Engine) -> Iterator[LiveServer]:
    """The zero draft published, an insertion after para. 7 and the deletion of para. 14 accepted."""
    with TestClient(create_app(app_settings(seeded_engine), seeded_engine)) as client:
        r = Round(client)
        r.publish_zero_draft()
        insert = r.table(
            "delegate-zaf", "para-7", "Address migrants in vulnerable situations.", action="insert"
        )
        r.rule(insert["id"], "accept", "Agreed")
        r.rule(r.table("delegate-bra", "para-14", action="delete")["id"], "accept", "Agreed")
    with live_server(seeded_engine) as running:
        yield running


def test_publishing_shows_and_keeps_the_renumbering(
    server: LiveServer, browser: Browser, watcher: Watcher
) -> None:
    mex = person(browser, watcher, server.url, "cofac-mex")
    page = mex.go("/processes/gcm/working-copy")
    renumbering = page.locator("#publish-renumbering li")
    expect(renumbering.first).to_have_text("7bis → 8")
    expect(page.locator("#publish-renumbering")).to_contain_text("13 → 14")
    expect(page.locator("#publish-renumbering")).not_to_contain_text("15 →")
    href = renumbering.first.locator("a").get_attribute("href")
    assert href is not None and href.startswith("#row-")
    inserted_key = "#" + href.removeprefix("#row-")
    assert_accessible(page)
    mex.shot("renumbering-1-publish-preview")
    page.locator("#publish-label").fill("Rev.1")
    page.get_by_role("button", name="Publish").click()
    expect(page.locator("#publish-confirm-renumbering")).to_contain_text(RENUMBERED)
    page.locator("#publish-panel").get_by_role("button", name="Yes, publish Rev.1").click()
    expect(page.locator("#publish-panel")).to_contain_text("Rev.1 is published")

    page = mex.go("/processes/gcm/revisions/Rev.1")
    expect(page.locator(f"{inserted_key} > .num")).to_have_text("8.")
    expect(page.locator("#para-15 > .num")).to_have_text("15.")

    page = mex.go("/processes/gcm/compare?from=Zero+draft&to=Rev.1")
    row = page.locator(f"#change-{inserted_key[1:]}")
    expect(row.locator(".change-num")).to_contain_text("8")
    expect(row.locator(".former-number")).to_have_text("former 7bis")
    expect(page.locator("#change-para-8 .change-num")).to_have_text("8→9")
    assert_accessible(page)
    mex.shot("renumbering-2-compare")

    page = mex.go(f"/processes/gcm/paragraphs/{inserted_key[1:]}")
    expect(page.locator(".timeline li").first.locator(".former-number")).to_have_text("former 7bis")
    mex.shot("renumbering-3-lineage")
    mex.context.close()
