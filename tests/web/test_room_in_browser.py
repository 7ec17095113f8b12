"""The room on two browser contexts: the projector follows the co-facilitator within a second."""

from collections.abc import Iterator
from datetime import timedelta

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import Engine, update
from sqlmodel import Session

from api.models import SilenceProcedure
from api.models.base import utcnow
from tests.api.workflow_helpers import Round
from tests.web.browsing import (
    LiveServer,
    Watcher,
    assert_accessible,
    live_server,
    person,
)

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("engine", ["sqlite"], indirect=True)]
WIDE = {"width": 1440, "height": 900}
TABLET = {"width": 820, "height": 1180}


@pytest.fixture
def server(seeded_engine: Engine) -> Iterator[LiveServer]:
    """A live server over the seeded SQLite database."""
    with live_server(seeded_engine) as running:
        yield running


def test_the_projector_follows_the_room(
    client: object, server: LiveServer, seeded_engine: Engine, browser: Browser, watcher: Watcher
) -> None:
    Round(client).publish_zero_draft()  # type: ignore[arg-type]
    base = server.url
    cofacilitator = person(browser, watcher, base, "cofac-mex", viewport=WIDE)
    projector = person(browser, watcher, base, viewport=WIDE)
    room = cofacilitator.go("/processes/gcm/room")
    screen = projector.go("/processes/gcm/room")
    expect(screen.locator("#room-paragraph-none")).to_be_visible()
    server.wait_for_subscribers(2)

    room.locator("#room-take-up").select_option("para-3")
    room.get_by_role("button", name="Take up in the room").click()
    expect(screen.locator("#room-citation")).to_have_text("para. 3", timeout=1000)
    room.locator("#room-next").click()
    expect(screen.locator("#room-citation")).to_have_text("para. 4", timeout=1000)
    room.locator("#room-next").click()
    expect(screen.locator("#room-citation")).to_have_text("para. 5", timeout=1000)
    room.locator("#room-previous").click()
    expect(screen.locator("#room-citation")).to_have_text("para. 4", timeout=1000)
    room.get_by_role("button", name="Mark first reading done").click()
    expect(screen.locator(".reading-done")).to_have_text("First reading done", timeout=1000)

    delegate = person(browser, watcher, base, "delegate-chn")
    desk = delegate.go("/processes/gcm/desk")
    desk.locator("#room-desk").get_by_role("button", name="Ask for the floor").click()
    expect(desk.locator("#room-desk")).to_contain_text("on the speakers' list")
    expect(room.locator("#room-speakers")).to_contain_text("CHN", timeout=1000)
    expect(screen.locator("#room-speakers")).to_have_count(0)  # the public sees no speakers' list
    room.get_by_role("button", name="Give the floor to CHN").click()
    expect(room.locator("#room-speakers .speaker-speaking")).to_contain_text("CHN")

    room.locator("#silence-minutes").fill("30")
    room.get_by_role("button", name="Circulate under silence procedure").click()
    expect(screen.locator(".silence-circulating")).to_be_visible(timeout=1000)
    chamber = delegate.go("/processes/gcm/room")
    chamber.locator(".silence-circulating textarea").fill("We need a reference to international law.")
    chamber.get_by_role("button", name="Break silence").click()
    expect(screen.locator(".silence-broken")).to_contain_text("Silence broken by CHN", timeout=1000)

    room.locator("#silence-text").fill("No State can address migration on its own.")
    room.get_by_role("button", name="Circulate under silence procedure").click()
    expect(screen.locator(".silence-circulating")).to_be_visible(timeout=1000)
    with Session(seeded_engine) as session:  # the deadline comes and nobody broke silence
        past = utcnow() - timedelta(seconds=1)
        session.execute(
            update(SilenceProcedure).where(SilenceProcedure.state == "circulating").values(deadline=past)
        )
        session.commit()
    screen.reload()
    expect(screen.locator(".silence-passed")).to_contain_text("Silence was not broken: agreed")
    assert_accessible(screen)
    projector.shot("room-1440")
    projector.page.set_viewport_size(TABLET)
    projector.shot("room-820")
    cofacilitator.shot("room-cofacilitator-1440")
    for who in (cofacilitator, projector, delegate):
        who.context.close()
