"""The negotiation round of the workflow issue, played through the web UI in Debian's Chromium (SQLite)."""

import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Response, expect
from sqlalchemy import Engine

from tests.api.workflow_helpers import ZERO_DRAFT
from tests.web.browsing import (
    TABLET,
    LiveServer,
    Person,
    Watcher,
    assert_accessible,
    live_server,
    person,
)

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


def _check(who: Person, name: str, full_page: bool = True) -> None:
    assert_accessible(who.page)
    who.shot(name, full_page)


def _table(who: Person, key: str, text: str, justification: str = "For clarity.", group: str = "") -> int:
    """Table a proposal through the form, watching the live redline; returns the new proposal's id."""
    page = who.go(f"/processes/gcm/proposals/new?paragraph={key}")
    page.locator("#proposal-text").fill(text)
    expect(page.locator("#redline-preview ins").first).to_be_visible()
    if justification:
        page.locator("#justification").fill(justification)
    if group:
        page.locator("#on-behalf-of").select_option(group)
    page.get_by_role("button", name="Table the proposal").click()
    expect(page.locator(".notice.success")).to_contain_text("was tabled")
    return int(re.findall(r"tabled=(\d+)", page.url)[0])


def test_a_negotiation_round_in_the_browser(server: LiveServer, browser: Browser, watcher: Watcher) -> None:
    base = server.url
    _publish_zero_draft(browser, watcher, base)
    che = person(browser, watcher, base, "cofac-che")
    che.go("/processes/gcm/proposals")
    server.wait_for_subscribers(1)

    chn = person(browser, watcher, base, "delegate-chn")
    page = chn.go("/processes/gcm/current")
    expect(page.locator("h1#doc-title")).to_contain_text("Zero draft")
    _check(chn, "02-revision-gcm-zero-draft")
    page.emulate_media(media="print")
    expect(page.locator("nav.toc")).to_be_hidden()
    chn.shot("02b-revision-print")
    page.emulate_media(media="screen")
    page.locator("#para-3 a.propose").click()
    page.locator("#proposal-text").fill(PARA3.replace("our globalized world", "our interconnected world"))
    expect(page.locator("#redline-preview ins")).to_have_text("interconnected")
    expect(page.locator("#redline-preview del")).to_have_text("globalized")
    page.locator("#justification").fill("Reflects the interdependence the Declaration speaks of.")
    page.locator("#on-behalf-of").select_option("G77")
    _check(chn, "03-proposal-form-live-redline")
    page.get_by_role("button", name="Table the proposal").click()
    expect(page.locator(".notice.success")).to_contain_text("was tabled")
    _check(chn, "04-delegation-desk")

    # The co-facilitator's compilation shows it without a reload.
    expect(che.page.locator("#proposal-1")).to_be_visible()
    expect(che.page.locator("#proposal-1 .sponsor")).to_contain_text("on behalf of Group of 77 and China")
    expect(che.page.locator(".live-notice").first).to_contain_text("new proposal")
    che.shot("05-compilation-live-update")

    deu = person(browser, watcher, base, "delegate-deu")
    deu_id = _table(deu, "para-3", PARA3.replace("Migration has been part", "Migration has always been part"))
    conflict_id = _table(deu, "para-4", PARA4.replace("migration alone", "migration on its own"))
    bra = person(browser, watcher, base, "delegate-bra")
    bra_id = _table(bra, "para-3", PARA3.replace("our globalized world", "our [shared] world"))
    pending_id = _table(
        chn, "para-9", PARA9.replace("accurate and timely", "accurate, timely and accessible")
    )

    zaf = person(browser, watcher, base, "delegate-zaf")
    zaf.go("/processes/gcm/proposals?paragraph=para-3")
    zaf.page.locator(f"#proposal-{deu_id}").get_by_role("button", name="Co-sponsor").focus()
    zaf.page.keyboard.press("Enter")  # keyboard only
    expect(zaf.page.locator(f"#proposal-{deu_id} .cosponsors")).to_contain_text("ZAF")
    _check(zaf, "06-cosponsored")

    mex = person(browser, watcher, base, "cofac-mex")
    _rule(mex, 1, "accept", "Widely supported")
    _rule(mex, deu_id, "accept", "Merges with the G77 text")
    _merge_and_settle(mex, bra_id)
    with watcher.expecting("status of 409"):
        _stale_edit_is_refused_in_place(mex, che)
    _publish_rev1(mex, conflict_id, pending_id)
    _sponsor_updates_flagged_proposal(deu, conflict_id)
    _check(deu, "10b-proposal-page")
    deu.go("/processes/gcm")
    _check(deu, "10c-process-overview")
    _observer_reads(browser, watcher, base)
    for who in (che, chn, deu, bra, zaf, mex):
        who.context.close()


def _publish_zero_draft(browser: Browser, watcher: Watcher, base: str) -> None:
    visitor = person(browser, watcher, base)
    visitor.go("/sign-in")
    _check(visitor, "00-sign-in")
    visitor.go("/")
    _check(visitor, "00b-processes")
    visitor.context.close()
    secretariat = person(browser, watcher, base, "secretariat")
    page = secretariat.go("/processes/gcm/import")
    page.locator("#draft-file").set_input_files(str(ZERO_DRAFT))
    page.get_by_role("button", name="Upload and align").click()
    expect(page.get_by_role("heading", name="Check the alignment")).to_be_visible()
    _check(secretariat, "01-import-alignment")
    page.get_by_role("button", name="Confirm the alignment").click()
    expect(page.locator(".notice.success")).to_contain_text("confirmed")
    secretariat.context.close()

    mex = person(browser, watcher, base, "cofac-mex")
    page = mex.go("/processes/gcm/working-copy")
    page.locator("#publish-label").fill("Zero draft")
    page.locator("#publish-date").fill("2018-02-05")
    page.get_by_role("button", name="Publish").click()
    expect(page.locator("#publish-heading")).to_have_text("Publish Zero draft?")  # nothing published yet
    page.get_by_role("button", name="Yes, publish Zero draft").click()
    expect(page.locator("#publish-panel")).to_contain_text("Zero draft is published")
    mex.context.close()


def _rule(mex: Person, proposal_id: int, decision: str, reason: str) -> None:
    page = mex.go("/processes/gcm/proposals")
    card = page.locator(f"#proposal-{proposal_id}")
    card.locator("summary").click()
    card.locator(f"input[name=decision][value={decision}]").check()
    card.get_by_label("Reason (recorded with the ruling)").fill(reason)
    card.get_by_role("button", name="Record the ruling").click()
    expect(page.locator("#action-status")).to_contain_text(
        f"Proposal {proposal_id}: merged into the working copy"
    )


def _merge_and_settle(mex: Person, bra_id: int) -> None:
    page = mex.go("/processes/gcm/working-copy/paragraphs/para-3")
    expect(page.locator("#merge-preview .conflict")).to_be_visible()
    expect(page.locator("#merge-preview")).to_contain_text(f"BRA #{bra_id}")
    page.get_by_role("button", name="Use the merged text as the compromise").click()
    text = page.locator("#compromise-text")
    text.fill(text.input_value().replace("our globalized world", "our interconnected and [shared] world"))
    expect(page.locator("#compromise-redline ins").first).to_be_visible()
    page.locator("input[name=status][value=bracketed]").check()
    page.locator("input[name=element][value=a]").check()
    _check(mex, "07-merge-editor")
    page.get_by_role("button", name="Save the paragraph").click()
    expect(page.locator(".notice.success")).to_contain_text("saved")
    # Saving the merged compromise ruled on the proposal merged into it: accepted with the compromise.
    page = mex.go(f"/proposals/{bra_id}")
    expect(page.locator(f"#proposal-{bra_id} .badge.state-accepted_with_changes")).to_be_visible()


def _stale_edit_is_refused_in_place(mex: Person, che: Person) -> None:
    """Two co-facilitators edit paragraph 4: the second save is a 409 that shows the saved version."""
    path = "/processes/gcm/working-copy/paragraphs/para-4"
    mine, theirs = mex.go(path), che.go(path)
    mine.locator("#compromise-text").fill(
        PARA4.replace("can address migration alone", "can manage migration by itself")
    )
    mine.locator("input[name=status][value=agreed_ad_ref]").check()
    mine.get_by_role("button", name="Save the paragraph").click()
    expect(mine.locator(".notice.success")).to_be_visible()
    theirs.locator("#compromise-text").fill("Overwritten.")

    # The live redline also POSTs while typing: wait for the save itself, not whichever POST comes first.
    def is_save(response: Response) -> bool:
        return response.request.method == "POST" and response.url.endswith(path)

    with theirs.expect_response(is_save) as refused:
        theirs.get_by_role("button", name="Save the paragraph").click()
    assert refused.value.status == 409
    alert = theirs.get_by_role("alert")
    expect(alert).to_contain_text("Someone else changed this paragraph")
    expect(alert.locator("del")).to_contain_text("manage migration by itself")
    expect(theirs.locator("#compromise-text")).to_have_value("Overwritten.")
    che.shot("08-conflict-409-in-place")


def _publish_rev1(mex: Person, conflict_id: int, pending_id: int) -> None:
    page = mex.go("/processes/gcm/working-copy")
    _check(mex, "09a-working-copy")
    expect(page.locator("#publish-panel .counts")).to_contain_text("Amended")
    page.locator("#publish-label").fill("Rev.1")
    page.locator("#publish-summary").fill("First revision: paragraphs 3 and 4.")
    expect(page.locator("#publish-progress")).to_be_hidden()
    page.get_by_role("button", name="Publish").click()
    panel = page.locator("#publish-panel")
    # The confirmation step lists each pending proposal's fate before anything is published.
    expect(panel.locator("#publish-confirm-preview tr", has_text=str(pending_id))).to_contain_text("Carried")
    expect(panel.locator("#publish-confirm-preview tr", has_text=str(conflict_id))).to_contain_text(
        "Needs your attention"
    )
    _check(mex, "09b-publish-confirmation")
    panel.get_by_role("button", name="Yes, publish Rev.1").click()
    expect(panel).to_contain_text("Rev.1 is published")
    expect(panel.locator("tr", has_text=str(pending_id))).to_contain_text("Carried")
    expect(panel.locator("tr", has_text=str(conflict_id))).to_contain_text("Needs your attention")
    _check(mex, "09-publish-report")


def _sponsor_updates_flagged_proposal(deu: Person, conflict_id: int) -> None:
    page = deu.go("/processes/gcm/desk")
    notices = page.locator("#notices-heading + ul")
    expect(notices).to_contain_text("Needs your attention")
    _check(deu, "10-desk-notices")
    notices.get_by_role("link", name="Update it against the new text").click()
    text = page.locator("#edit-text")
    text.fill(PARA4.replace("can address migration alone", "can manage migration on its own"))
    expect(page.locator("#edit-redline ins").first).to_be_visible()
    page.get_by_role("button", name="Save the update").click()
    expect(page.locator(".notice.success")).to_contain_text("saved")
    expect(page.locator(f"#proposal-{conflict_id} .badge.rebase-updated")).to_be_visible()


def _observer_reads(browser: Browser, watcher: Watcher, base: str) -> None:
    observer = person(browser, watcher, base, "observer")
    page = observer.go("/processes/gcm/compare?from=Zero+draft&to=Rev.1&changes=1")
    expect(page.locator("#change-para-3 ins").first).to_be_visible()
    _check(observer, "11-compare-inline")
    observer.go("/processes/gcm/compare?from=Zero+draft&to=Rev.1&view=side")
    expect(page.locator("#change-para-4.side del").first).to_be_visible()
    _check(observer, "12-compare-side-by-side")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator("form.filters")).to_be_hidden()
    observer.shot("12b-compare-print")
    page.emulate_media(media="screen")
    page.locator("#change-para-3").get_by_role("link", name="History").click()
    expect(page.locator(".timeline > li")).to_have_count(2)
    _check(observer, "13-lineage-para-3")
    observer.go("/processes/gcm/coverage")
    expect(page.locator("table.matrix #element-a td").last).to_have_text("1")
    expect(page.locator("svg.chart")).to_be_visible()
    _check(observer, "14-coverage")
    observer.go("/processes/gcm/progress")
    expect(page.locator("svg.chart rect").first).to_be_visible()
    _check(observer, "15-progress")
    feed = observer.context.request.get(base + "/processes/gcm/feed.atom")
    assert feed.headers["content-type"].startswith("application/atom+xml")
    titles = [e.text for e in ElementTree.fromstring(feed.body()).iter("{http://www.w3.org/2005/Atom}title")]
    assert "Rev.1 published" in titles
    _both_languages(browser, watcher, base, observer)


def _both_languages(browser: Browser, watcher: Watcher, base: str, observer: Person) -> None:
    page = observer.go("/processes/gcm/current")
    page.get_by_role("button", name="中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.locator(".process-nav")).to_contain_text("比较")
    _check(observer, "16-revision-zh", full_page=False)
    observer.context.close()
    reader = person(browser, watcher, base, locale="zh-CN", viewport=TABLET)
    page = reader.go("/processes/nyd/current")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.locator("article.document > div")).to_have_attribute("lang", "zh")
    _check(reader, "17-seed-revision-tablet-zh", full_page=False)
    reader.page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    reader.context.close()
