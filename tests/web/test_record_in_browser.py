"""The records tell history as it happened (issue 12's defect list), read in Debian's Chromium (SQLite).

The round is set up through the JSON API of the live server (fast), then read and played in the browser."""

import re
from collections.abc import Callable, Iterator

import httpx
import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import Engine

from tests.api.workflow_helpers import Round
from tests.web.browsing import LiveServer, Watcher, assert_accessible, live_server, person

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("engine", ["sqlite"], indirect=True)]

PARA3 = (
    "Migration has been part of the human experience throughout history, and we recognize that it is a "
    "source of prosperity, innovation and sustainable development in our globalized world."
)
PARA4 = (
    "No State can address migration alone because of the inherently transnational nature of the "
    "phenomenon, which requires international cooperation and dialogue."
)
PARA9 = "Provide accurate and timely information at all stages of migration."


@pytest.fixture
def server(seeded_engine: Engine) -> Iterator[LiveServer]:
    """A live server over the seeded SQLite database."""
    with live_server(seeded_engine) as running:
        yield running


@pytest.fixture
def api(server: LiveServer) -> Iterator[Round]:
    """The JSON API of the live server, with a token per demo account."""
    with httpx.Client(base_url=server.url, timeout=30) as client:
        yield Round(client)  # type: ignore[arg-type]  # same calls as the TestClient


def _zero_draft_round_then_rev1(api: Round) -> dict[str, int]:
    """Zero draft; a proposal carried to Rev.1, one rejected, one accepted with changes; Rev.1 published."""
    api.publish_zero_draft()
    carried = api.table("delegate-chn", "para-9", PARA9.replace("accurate and timely", "accurate, timely"))
    rejected = api.table("delegate-deu", "para-4", PARA4.replace("migration alone", "migration on its own"))
    changed = api.table("delegate-bra", "para-3", PARA3.replace("our globalized world", "our shared world"))
    api.rule(rejected["id"], "reject", "No support in the room.")
    compromise = PARA3.replace("our globalized world", "our interconnected world")
    api.rule(changed["id"], "accept_with_changes", "Closer to agreed language.", text=compromise)
    api.ok(
        api.client.post(
            "/api/v1/processes/gcm/revisions", json={"label": "Rev.1"}, headers=api.as_("cofac-mex")
        ),
        201,
    )
    return {"carried": carried["id"], "rejected": rejected["id"], "changed": changed["id"]}


def test_the_record_names_what_happened(
    server: LiveServer, api: Round, browser: Browser, watcher: Watcher
) -> None:
    ids = _zero_draft_round_then_rev1(api)
    wrong: list[str] = []  # each defect of the list is checked on its own, and every one is reported

    def check(what: str, assertion: Callable[[], None]) -> None:
        try:
            assertion()
        except AssertionError as error:
            wrong.append(f"{what}: {str(error).splitlines()[0]}")

    chn = person(browser, watcher, server.url, "delegate-chn")
    page = chn.go("/processes/gcm/desk")
    carried = page.locator(f"#proposal-{ids['carried']}")
    # Tabled on the zero draft and carried: it names the revision it was tabled on, and the one it amends.
    check(
        "tabled on", lambda: expect(carried.locator(".proposal-meta .dates")).to_contain_text("on Zero draft")
    )
    check(
        "redline base",
        lambda: expect(carried.locator(".redline-base")).to_have_text(
            "Redline against Rev.1 (carried from Zero draft):"
        ),
    )
    assert_accessible(page)

    deu = person(browser, watcher, server.url, "delegate-deu")
    page = deu.go(f"/proposals/{ids['rejected']}")
    rulings = page.locator(f"#proposal-{ids['rejected']} .rulings")
    expect(rulings).to_contain_text("Reject")
    check("rejected, not reflected", lambda: expect(rulings).not_to_contain_text("reflected in"))
    # Signed by the office, not a login.
    check("signed by the office", lambda: expect(rulings).to_contain_text("by the co-facilitators"))
    check("no login", lambda: expect(rulings).not_to_contain_text("cofac-"))

    bra = person(browser, watcher, server.url, "delegate-bra")
    page = bra.go("/processes/gcm/desk")
    changes = page.locator(f"#proposal-{ids['changed']} .ruling-changes")
    check(
        "redline of the co-facilitators' text", lambda: expect(changes.locator("del")).to_have_text("shared")
    )
    check(
        "redline of the co-facilitators' text",
        lambda: expect(changes.locator("ins")).to_have_text("interconnected"),
    )
    bra.shot("record-accepted-with-changes-redline")
    for who in (chn, deu, bra):
        who.context.close()
    assert not wrong, "\n".join(wrong)


def test_a_proposal_needs_a_justification_shown_at_its_field(
    server: LiveServer, api: Round, browser: Browser, watcher: Watcher
) -> None:
    api.publish_zero_draft()
    chn = person(browser, watcher, server.url, "delegate-chn")
    page = chn.go("/processes/gcm/proposals/new?paragraph=para-9")
    page.locator("#proposal-text").fill(PARA9.replace("accurate and timely", "accurate, timely"))
    # The live redline posts the form while typing: the browser's own check would block it, so the server
    # checks, and says so at the field.
    with watcher.expecting("status of 422"):
        page.get_by_role("button", name="Table the proposal").click()
        field = page.locator("#justification")
        expect(field).to_have_attribute("aria-invalid", "true")
    described = (field.get_attribute("aria-describedby") or "").split()
    assert "justification-error" in described
    expect(page.locator("#justification-error")).to_contain_text("needs a justification")
    expect(page.get_by_role("alert").get_by_role("link")).to_have_attribute("href", "#justification")
    expect(page.locator("#proposal-text")).to_have_value(re.compile("accurate, timely"))
    assert_accessible(page)
    chn.shot("record-justification-required")
    assert api.ok(api.client.get("/api/v1/processes/gcm/proposals", headers=api.as_("delegate-chn"))) == []
    chn.context.close()


def test_a_ruling_is_chosen_deliberately_and_its_error_is_at_its_field(
    server: LiveServer, api: Round, browser: Browser, watcher: Watcher
) -> None:
    api.publish_zero_draft()
    proposal = api.table("delegate-chn", "para-9", PARA9.replace("accurate and timely", "accurate, timely"))
    mex = person(browser, watcher, server.url, "cofac-mex")
    page = mex.go("/processes/gcm/proposals")
    card = page.locator(f"#proposal-{proposal['id']}")
    card.locator("summary").click()
    expect(card.locator("input[name=decision]:checked")).to_have_count(0)  # nothing preselected
    card.get_by_label("Reason (recorded with the ruling)").fill("Noted.")
    card.locator("form.rule-form").evaluate("form => form.noValidate = true")
    with watcher.expecting("status of 422"):
        card.get_by_role("button", name="Record the ruling").click()
        error = page.locator(f"#decision-{proposal['id']}-error")
        expect(error).to_contain_text("choose a decision")
    fieldset = page.locator(f"#proposal-{proposal['id']} fieldset.choices")
    assert f"decision-{proposal['id']}-error" in (fieldset.get_attribute("aria-describedby") or "")
    expect(page.get_by_label("Reason (recorded with the ruling)")).to_have_value("Noted.")
    assert_accessible(page)
    mex.shot("record-ruling-needs-a-decision")
    state = api.ok(api.client.get(f"/api/v1/proposals/{proposal['id']}", headers=api.as_("cofac-mex")))[
        "state"
    ]
    assert state == "submitted"
    mex.context.close()


def test_withdrawing_asks_first_and_can_be_declined(
    server: LiveServer, api: Round, browser: Browser, watcher: Watcher
) -> None:
    api.publish_zero_draft()
    proposal = api.table("delegate-chn", "para-9", PARA9.replace("accurate and timely", "accurate, timely"))
    chn = person(browser, watcher, server.url, "delegate-chn")
    page = chn.go("/processes/gcm/desk")
    card = page.locator(f"#proposal-{proposal['id']}")
    card.get_by_role("button", name="Withdraw").click()
    expect(page.locator(f"#withdraw-{proposal['id']}-title")).to_have_text(
        f"Withdraw proposal {proposal['id']}?"
    )
    expect(card).to_contain_text("off the table for good")
    assert_accessible(page)
    chn.shot("withdraw-confirmation")
    card.get_by_role("link", name="No, keep it on the table").click()
    expect(card.locator(".badge.state-submitted")).to_be_visible()
    card.get_by_role("button", name="Withdraw").click()
    card.get_by_role("button", name=f"Yes, withdraw proposal {proposal['id']}").click()
    expect(card.locator(".badge.state-withdrawn")).to_be_visible()
    state = api.ok(api.client.get(f"/api/v1/proposals/{proposal['id']}", headers=api.as_("delegate-chn")))
    assert state["state"] == "withdrawn"
    chn.context.close()
