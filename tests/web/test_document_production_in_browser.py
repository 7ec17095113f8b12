"""Document production in Chromium: PP/OP marked in the working copy, the masthead on screen and in print."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, expect
from sqlalchemy import Engine, text

from api.app import create_app
from tests.api.workflow_helpers import Round
from tests.conftest import app_settings
from tests.web.browsing import LiveServer, Watcher, assert_accessible, live_server, person

RENUMBERED = "1 → PP1"
pytestmark = [pytest.mark.browser, pytest.mark.parametrize("engine", ["sqlite"], indirect=True)]


@pytest.fixture
def server(seeded_engine: Engine) -> Iterator[LiveServer]:
    """The zero draft published; GCM's symbols are A/CONF.231/PC/<label>; para. 3 agreed, tagged (a)."""
    with seeded_engine.begin() as connection:
        connection.execute(
            text("UPDATE process SET symbol_pattern = 'A/CONF.231/PC/{label}' WHERE slug = 'gcm'")
        )
    with TestClient(create_app(app_settings(seeded_engine), seeded_engine)) as client:
        r = Round(client)
        r.publish_zero_draft()
        lock = r.paragraph(None, "para-3")["lock_version"]
        r.ok(
            client.patch(
                "/api/v1/processes/gcm/working-copy/paragraphs/para-3",
                json={"lock_version": lock, "status": "agreed", "elements": ["a"]},
                headers=r.as_("cofac-mex"),
            )
        )
    with live_server(seeded_engine) as running:
        yield running


def test_preambular_marks_and_the_masthead_on_screen_and_in_print(
    server: LiveServer, browser: Browser, watcher: Watcher
) -> None:
    mex = person(browser, watcher, server.url, "cofac-mex")
    for key in ("para-1", "para-2"):
        page = mex.go(f"/processes/gcm/working-copy/paragraphs/{key}")
        expect(page.get_by_label("Operative (OP)")).to_be_checked()
        page.get_by_label("Preambular (PP)").check()
        page.get_by_role("button", name="Save the paragraph").click()
        expect(page.locator(".notice.success")).to_contain_text("was saved")
        expect(page.get_by_label("Preambular (PP)")).to_be_checked()
    assert_accessible(page)
    page = mex.go("/processes/gcm/working-copy")
    expect(page.locator("#row-para-1")).to_contain_text("Preambular (PP)")
    expect(page.locator("#publish-renumbering")).to_contain_text("1 → PP1")
    page.locator("#publish-label").fill("Rev.1")
    page.locator("#publish-date").fill("2018-03-05")
    page.get_by_role("button", name="Publish").click()
    expect(page.locator("#publish-confirm-renumbering")).to_contain_text(RENUMBERED)
    page.locator("#publish-panel").get_by_role("button", name="Yes, publish Rev.1").click()
    expect(page.locator("#publish-panel")).to_contain_text("Rev.1 is published")

    page = mex.go("/processes/gcm/revisions/Rev.1")
    masthead = page.locator("#masthead")
    expect(masthead.locator(".masthead-symbol")).to_have_text("A/CONF.231/PC/Rev.1")
    expect(masthead.locator(".masthead-date")).to_have_text("2018-03-05")
    expect(masthead.locator(".masthead-title")).to_have_text(
        "Global Compact for Safe, Orderly and Regular Migration"
    )
    expect(page.locator("#para-1 > .num")).to_have_text("PP1.")
    expect(page.locator("#para-3 > .num")).to_have_text("1.")
    mex.shot("document-1-masthead")

    page.emulate_media(media="print")
    expect(masthead).to_be_visible()
    expect(masthead.locator(".masthead-symbol")).to_be_visible()
    expect(page.locator("#para-3 .para-tools .badge.status-agreed")).to_be_visible()
    expect(page.locator("#para-3 .tags")).to_contain_text("(a)")
    expect(page.locator("#para-3 .tags")).to_be_visible()
    expect(page.locator("#para-3 .para-actions")).to_be_hidden()
    expect(page.locator(".toc")).to_be_hidden()
    expect(page.locator(".site-header")).to_be_hidden()
    mex.shot("document-2-print")
    mex.context.close()
