"""The notification centre and the feed page in Debian's Chromium (SQLite): watch, hear, read, filter."""

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, expect
from sqlalchemy import Engine

from api.app import create_app
from tests.api.workflow_helpers import Round
from tests.conftest import app_settings
from tests.web.browsing import TABLET, LiveServer, Person, Watcher, assert_accessible, live_server, person

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("engine", ["sqlite"], indirect=True)]


@pytest.fixture
def server(seeded_engine: Engine) -> Iterator[LiveServer]:
    """A live server over the seeded SQLite database."""
    with live_server(seeded_engine) as running:
        yield running


@pytest.fixture
def api(seeded_engine: Engine) -> Iterator[Round]:
    """The other side of the round (sponsors, co-facilitators) played through the JSON API."""
    with TestClient(create_app(app_settings(seeded_engine), seeded_engine)) as client:
        yield Round(client)


def _check(who: Person, name: str) -> None:
    assert_accessible(who.page)
    who.shot(name)


def test_a_delegate_watches_hears_and_reads_and_an_observer_filters_the_feed(
    browser: Browser, watcher: Watcher, server: LiveServer, api: Round
) -> None:
    api.publish_zero_draft()
    chn = person(browser, watcher, server.url, "delegate-chn")
    page = chn.go("/processes/gcm/desk")
    page.get_by_label("Watch a paragraph").select_option(label="para. 5")
    page.get_by_role("button", name="Watch", exact=True).click()
    expect(page.locator(".watch-list")).to_contain_text("GCM — para. 5")
    page.get_by_label("Email address").fill("chn@mission.example")
    page.get_by_label("A mail for each notification").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".notice.success")).to_have_text("Your choices were saved.")
    expect(page.locator(".who .notifications-link .count")).to_have_count(0)

    tabled = api.table("delegate-deu", "para-5", "The Global Compact is people-centred.", on_behalf_of="EU")
    api.rule(tabled["id"], "defer", "To be taken up with objective 8")
    page = chn.go("/processes/gcm")
    expect(page.locator(".who .notifications-link .count")).to_have_text("2")
    page.locator(".who .notifications-link").click()
    expect(page.locator("h1")).to_have_text("Notifications")
    items = page.locator(".notification-list > li")
    expect(items).to_have_count(2)
    expect(items.first).to_contain_text(
        f"The co-facilitators ruled on proposal {tabled['id']} by DEU on behalf of EU on para. 5: Deferred."
    )
    expect(items.nth(1)).to_contain_text(f"DEU on behalf of EU tabled proposal {tabled['id']} on para. 5.")
    _check(chn, "notify-01-centre")
    items.nth(1).get_by_role("button", name=re.compile(r"^Mark notification \d+ as read$")).click()
    expect(page.locator(".who .notifications-link .count")).to_have_text("1")
    expect(page.locator(".notification.unread")).to_have_count(1)
    page.get_by_role("button", name="Mark all as read").click()
    expect(page.locator(".who .notifications-link .count")).to_have_count(0)
    items.first.get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/proposals/{tabled['id']}$"))

    page = chn.go("/processes/gcm/paragraphs/para-5")
    expect(page.get_by_role("button", name="Watch this paragraph")).to_have_attribute("aria-pressed", "true")
    page.get_by_role("button", name="Watch this paragraph").click()
    expect(page.get_by_role("button", name="Watch this paragraph")).to_have_attribute("aria-pressed", "false")

    other = api.table("delegate-bra", "para-6", "A Brazilian wording.")
    api.rule(other["id"], "reject", "Not supported")
    api.ok(api.client.post("/api/v1/processes/gcm/compilation/release", headers=api.as_("cofac-mex")), 204)
    observer = person(browser, watcher, server.url, "observer", viewport=TABLET)
    page = observer.go("/processes/gcm")
    page.locator(".process-nav").get_by_role("link", name="Feed").click()
    expect(page.locator("h1")).to_have_text("Revisions and rulings")
    expect(page.locator(".feed-entry")).to_have_count(3)
    page.get_by_label("On behalf of").select_option("EU")
    page.get_by_role("button", name="Filter", exact=True).click()
    expect(page).to_have_url(re.compile(r"group=EU"))
    expect(page.locator(".feed-entry")).to_have_count(1)
    expect(page.locator(".feed-entry")).to_contain_text(
        f"Ruling on proposal {tabled['id']} by DEU on behalf of European Union on para. 5: Defer"
    )
    _check(observer, "notify-02-feed-tablet")
    atom = observer.context.request.get(
        server.url + page.get_by_role("link", name="Atom feed of this view").get_attribute("href")
    )
    assert (
        atom.headers["content-type"].startswith("application/atom+xml") and b"on behalf of EU" in atom.body()
    )

    secretariat = person(browser, watcher, server.url, "secretariat")
    page = secretariat.go("/outbox")
    expect(page.locator(".mail")).to_have_count(2)
    expect(page.locator(".mail").first).to_contain_text("To: chn@mission.example")
    _check(secretariat, "notify-03-outbox")
