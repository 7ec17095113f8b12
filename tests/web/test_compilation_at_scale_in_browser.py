"""A round of 300 proposals from 40 delegations through the compact compilation, in Chromium (SQLite).

The proposals are tabled through the service layer (fast); filtering, sorting, bulk and single rulings,
publishing with its confirmation and renumbering, and the room on two browser contexts are played in the
browser, with screenshots at 1440 and 820 px."""

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import Engine

from api.db import unit_of_work
from api.services import accounts, proposals
from api.services.inputs import ProposalInput
from tests.api.workflow_helpers import ZERO_DRAFT, Round
from tests.conftest import DEMO_PASSWORD
from tests.web.browsing import TABLET, LiveServer, Person, Watcher, assert_accessible, live_server, person

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("engine", ["sqlite"], indirect=True)]

WIDE = {"width": 1440, "height": 900}
PROPOSALS = 300
# 40 delegations: members of the G77 (some also of the African Group), of the EU, and others.
G77 = ["ARG", "BGD", "BOL", "CHL", "COL", "CUB", "ECU", "EGY", "ETH", "GHA", "IDN", "IND", "KEN", "MAR"]
G77 += ["MEX", "NGA", "PAK", "PER", "PHL", "SEN", "THA", "URY"]
EU = ["AUT", "BEL", "DNK", "ESP", "FIN", "FRA", "IRL", "ITA", "NLD", "POL", "PRT", "SWE"]
OTHERS = ["AUS", "CAN", "JPN", "NOR", "NZL", "TUR"]
CODES = [*G77, *EU, *OTHERS]


@dataclass(frozen=True)
class Tabled:
    """What the round tabled, to check the pages against."""

    ids: list[int]
    paragraph: dict[int, str]
    sponsor: dict[int, str]
    on_behalf_of: dict[int, str | None]
    action: dict[int, str]


@pytest.fixture
def server(seeded_engine: Engine) -> Iterator[LiveServer]:
    """A live server over the seeded SQLite database."""
    with live_server(seeded_engine) as running:
        yield running


def _paragraphs() -> dict[str, str]:
    """The zero draft's numbered paragraphs by key (para-N)."""
    found = re.findall(r"^(\d+)\. (.+)$", ZERO_DRAFT.read_text(encoding="utf-8"), re.MULTILINE)
    return {f"para-{number}": text for number, text in found}


def _table_the_round(engine: Engine) -> Tabled:
    """40 delegations table 300 proposals on the zero draft (amend, insert after, delete; some on behalf
    of their group), through the service layer in one transaction."""
    texts = _paragraphs()
    keys = list(texts)
    tabled = Tabled([], {}, {}, {}, {})
    with unit_of_work(engine) as session:
        actors = {}
        for code in CODES:
            user = accounts.add_user(
                session, f"delegate-{code.lower()}-scale", DEMO_PASSWORD, "delegation", code
            )
            actors[code] = accounts.load_actor(session, user)
        for n in range(PROPOSALS):
            code, key = CODES[n % len(CODES)], keys[(n * 7) % len(keys)]
            group = ("G77" if code in G77 else "EU" if code in EU else None) if n % 5 == 0 else None
            if n % 29 == 3:
                action, text = "delete", ""
            elif n % 11 == 4:
                action, text = "insert", f"New paragraph {n}: {code} asks the States to cooperate further."
            else:
                action, text = "amend", texts[key].rstrip(".") + f", as {code} proposes in text {n}."
            data = ProposalInput(
                paragraph_key=key,
                action=action,
                text=text,
                justification=f"Reason {n} of {code}.",
                on_behalf_of=group,
            )
            view = proposals.table_proposal(session, actors[code], "gcm", data)
            tabled.ids.append(view.id)
            tabled.paragraph[view.id] = key
            tabled.sponsor[view.id] = code
            tabled.on_behalf_of[view.id] = group
            tabled.action[view.id] = action
    return tabled


def _row_ids(page: Page) -> list[int]:
    return [
        int(i.removeprefix("row-"))
        for i in page.locator("tr.proposal-row").evaluate_all("rs => rs.map(r => r.id)")
    ]


def test_a_round_of_300_proposals_through_the_compact_compilation(
    server: LiveServer, seeded_engine: Engine, browser: Browser, watcher: Watcher
) -> None:
    with httpx.Client(base_url=server.url, timeout=60) as client:
        Round(client).publish_zero_draft()  # type: ignore[arg-type]  # same calls as the TestClient
    tabled = _table_the_round(seeded_engine)
    assert len(tabled.ids) == PROPOSALS and len(set(tabled.sponsor.values())) == 40

    mex = person(browser, watcher, server.url, "cofac-mex", viewport=WIDE)
    page = _compact_table(mex, tabled)
    _filters(page, tabled)
    _bulk_rulings(mex, tabled)
    inserted_after = _single_rulings(mex, tabled)
    _publish_with_confirmation(mex, inserted_after)
    _screens_at_both_widths(browser, watcher, server.url)
    _the_room_follows(mex, server, browser, watcher)
    mex.context.close()


def _compact_table(mex: Person, tabled: Tabled) -> Page:
    page = mex.go("/processes/gcm/proposals?view=table")
    expect(page.locator("#compilation-results [role=status]").first).to_contain_text("300 proposals")
    expect(page.locator("tr.proposal-row")).to_have_count(PROPOSALS)
    # Counts per paragraph and a jump list: one entry per paragraph with proposals, in the text's order.
    per_paragraph = Counter(tabled.paragraph.values())
    jump = page.locator("nav.jump-list li")
    expect(jump).to_have_count(len(per_paragraph))
    expect(jump.filter(has_text="para. 5").locator(".count")).to_contain_text(str(per_paragraph["para-5"]))
    assert_accessible(page)
    mex.shot("compilation-300-compact-1440")
    # Sorted by sponsor through the column header (a link; htmx swaps the results in place).
    page.get_by_role("link", name="Sponsor and groups").click()
    expect(page).to_have_url(re.compile(r"sort=sponsor"))
    expect(page.locator("th[aria-sort=ascending]")).to_contain_text("Sponsor and groups")
    sponsors = [tabled.sponsor[i] for i in _row_ids(page)]
    assert sponsors == sorted(sponsors)
    return page


def _filters(page: Page, tabled: Tabled) -> None:
    # Filters are GET parameters: the form works without JavaScript, htmx updates the results in place.
    page.locator("#filter-group").select_option("EU")
    expect(page).to_have_url(re.compile(r"group=EU"))
    eu = [i for i in tabled.ids if tabled.sponsor[i] in EU or tabled.on_behalf_of[i] == "EU"]
    expect(page.locator("tr.proposal-row")).to_have_count(len(eu))
    page.locator("#filter-paragraph").select_option("para-5")
    both = [i for i in eu if tabled.paragraph[i] == "para-5"]
    expect(page.locator("tr.proposal-row")).to_have_count(len(both))
    assert sorted(_row_ids(page)) == both
    page.locator("#filter-revision").select_option("Zero draft")
    expect(page.locator("tr.proposal-row")).to_have_count(len(both))


def _bulk_rulings(mex: Person, tabled: Tabled) -> None:
    # Defer all that wait on paragraph 7, with one reason, from the full view.
    on_7 = [i for i in tabled.ids if tabled.paragraph[i] == "para-7"]
    page = mex.go("/processes/gcm/proposals?paragraph=para-7")
    group = page.locator("section.paragraph-group")
    group.locator("details.bulk-ruling summary").click()
    form = group.locator("details.bulk-ruling form")
    form.locator("input[name=decision][value=defer]").check()
    form.get_by_label("Reason (recorded with each ruling)").fill("To the second reading.")
    form.get_by_role("button", name="Record these rulings").click()
    expect(page.locator(".notice.success")).to_contain_text(f"{len(on_7)} rulings were recorded.")
    expect(page.locator("section.paragraph-group article.proposal-deferred")).to_have_count(len(on_7))
    # Reject the ticked rows of the compact table, with one reason.
    page = mex.go("/processes/gcm/proposals?view=table&paragraph=para-9")
    on_9 = [i for i in tabled.ids if tabled.paragraph[i] == "para-9"][:3]
    for proposal_id in on_9:
        page.get_by_label(f"Select proposal {proposal_id}", exact=True).check()
    page.locator("details.bulk-ruling summary").click()
    page.locator("#bulk-table input[name=decision][value=reject]").check()
    page.locator("#bulk-table-reason").fill("Outside the mandate.")
    page.get_by_role("button", name="Record these rulings").click()
    expect(page.locator(".notice.success")).to_contain_text("3 rulings were recorded.")
    for proposal_id in on_9:
        expect(page.locator(f"#row-{proposal_id} .badge.state-rejected")).to_be_visible()
    # Ruled proposals fold away in the full view.
    page = mex.go("/processes/gcm/proposals?paragraph=para-9")
    expect(page.locator("details.ruled-proposals summary")).to_contain_text("3 proposals ruled on")
    expect(page.locator("details.ruled-proposals article.proposal").first).to_be_hidden()


def _single_rulings(mex: Person, tabled: Tabled) -> str:
    """Accept and reject on para. 1, accept one new paragraph (numbered "bis" until the publication
    renumbers); returns the key of the paragraph the new one follows."""
    on_1 = [i for i in tabled.ids if tabled.paragraph[i] == "para-1"]
    ruled_elsewhere = {"para-1", "para-7", "para-9"}
    insert = next(
        i for i in tabled.ids if tabled.action[i] == "insert" and tabled.paragraph[i] not in ruled_elsewhere
    )
    for proposal_id, decision, reason in (
        (on_1[0], "accept", "Agreed language."),
        (insert, "accept", "A welcome addition."),
        (on_1[1], "reject", "No."),
    ):
        key = tabled.paragraph[proposal_id]
        page = mex.go(f"/processes/gcm/proposals?paragraph={key}")  # afresh: a ruling refreshes it live
        card = page.locator(f"#proposal-{proposal_id}")
        card.locator("summary").click()
        expect(card.locator("input[name=decision]:checked")).to_have_count(0)  # nothing preselected
        card.locator(f"input[name=decision][value={decision}]").check()
        card.get_by_label("Reason (recorded with the ruling)").fill(reason)
        card.get_by_role("button", name="Record the ruling").click()
        expect(page.locator("#action-status")).to_contain_text(f"roposal {proposal_id}")
        expect(page.locator(f"#proposal-{proposal_id} .rulings")).to_contain_text("by the co-facilitators")
    expect(page.locator("#action-status")).to_contain_text(f"The ruling on proposal {on_1[1]} is recorded.")
    return tabled.paragraph[insert]


def _publish_with_confirmation(mex: Person, inserted_after: str) -> None:
    page = mex.go("/processes/gcm/working-copy")  # the acceptance opened it
    page.locator("#publish-label").fill("Rev.1")
    page.get_by_role("button", name="Publish").click()
    panel = page.locator("#publish-panel")
    expect(panel.locator("#publish-heading")).to_have_text("Publish Rev.1?")
    rows = panel.locator("#publish-confirm-preview tbody tr")
    expect(rows.first).to_be_visible()
    pending = rows.count()
    assert pending > 250  # every pending proposal's fate is listed before anything is published
    # The new paragraph reads "Nbis" in the working copy; the publication renumbers what follows it.
    number = inserted_after.removeprefix("para-")
    expect(panel.locator("#publish-confirm-renumbering")).to_contain_text(f"{number}bis → {int(number) + 1}")
    mex.shot("publish-confirmation-300")
    mex.page.set_viewport_size(TABLET)
    mex.shot("publish-confirmation-300-820")
    mex.page.set_viewport_size(WIDE)
    panel.get_by_role("button", name="Yes, publish Rev.1").click()
    expect(panel).to_contain_text("Rev.1 is published", timeout=60_000)
    page = mex.go("/processes/gcm/proposals?view=table&revision=Zero+draft&state=submitted")
    expect(page.locator("tr.proposal-row").first).to_be_visible()
    page = mex.go("/processes/gcm/proposals?paragraph=para-2&state=submitted")
    expect(page.locator(".redline-base").first).to_have_text(
        "Redline against Rev.1 (carried from Zero draft):"
    )
    page = mex.go("/processes/gcm/compare?from=Zero+draft&to=Rev.1")
    expect(page.locator(".former-number").filter(has_text=f"former {number}bis")).to_have_count(1)
    mex.shot("compare-300-renumbered")
    mex.page.set_viewport_size(TABLET)
    mex.shot("compare-300-renumbered-820")
    mex.page.set_viewport_size(WIDE)


def _the_room_follows(mex: Person, server: LiveServer, browser: Browser, watcher: Watcher) -> None:
    """The co-facilitator moves through Rev.1 in the room; a projector (the public) follows within 1 s."""
    room = mex.go("/processes/gcm/room")
    listening = server.hub.subscriber_count()
    projector = person(browser, watcher, server.url, viewport=WIDE)
    screen = projector.go("/processes/gcm/room")
    server.wait_for_subscribers(listening + 1)
    room.locator("#room-take-up").select_option("para-3")
    room.get_by_role("button", name="Take up in the room").click()
    expect(screen.locator("#room-citation")).to_have_text("para. 3", timeout=1000)
    room.locator("#room-next").click()
    expect(screen.locator("#room-citation")).to_have_text("para. 4", timeout=1000)
    assert_accessible(screen)
    projector.shot("room-300-1440")
    mex.shot("room-300-cofacilitator-1440")
    mex.page.set_viewport_size(TABLET)
    mex.shot("room-300-cofacilitator-820")
    mex.page.set_viewport_size(WIDE)
    projector.page.set_viewport_size(TABLET)
    projector.shot("room-300-820")
    projector.context.close()


def _screens_at_both_widths(browser: Browser, watcher: Watcher, base: str) -> None:
    for name, viewport in (("1440", WIDE), ("820", TABLET)):
        che = person(browser, watcher, base, "cofac-che", viewport=viewport)
        page = che.go("/processes/gcm/proposals?view=table")
        expect(page.locator("tr.proposal-row")).to_have_count(PROPOSALS)
        assert_accessible(page)
        che.shot(f"compilation-300-compact-after-rev1-{name}")
        page = che.go("/processes/gcm/proposals")
        expect(
            page.locator("input[name=view][value=table]")
        ).to_be_checked()  # a compilation this size opens compact
        # The full view of all 300 takes seconds to render (800 KB): it is there, but not the default.
        page.goto(f"{base}/processes/gcm/proposals?view=full", timeout=60_000)
        expect(page.locator("section.paragraph-group").first).to_be_visible()
        assert_accessible(page)
        che.shot(f"compilation-300-full-{name}", full_page=False)  # the top: jump list and first paragraph
        che.go("/processes/gcm/proposals?paragraph=para-9")
        che.shot(f"compilation-300-full-para-9-{name}")
        che.context.close()
