"""Script and markup typed into every text field are shown as text on every page and fragment, never run."""

import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import Engine

from tests.web.browsing import LiveServer, Person, Watcher, assert_no_injection, live_server, person

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("engine", ["sqlite"], indirect=True)]

SCRIPT = "<script>window.__xss='script'</script>"
IMAGE = "<img src=x onerror=\"window.__xss='img'\">"
PAYLOAD = f"{SCRIPT} {IMAGE} </textarea><svg onload=alert(1)>"
LABEL = "Zero <img src=x onerror=alert(1)> draft"
DRAFT = f"""# Preamble {IMAGE}

1. We, the Heads of State {SCRIPT} and Government, reaffirm the New York Declaration.

2. This Global Compact rests on the purposes and principles of the Charter {IMAGE} of the United Nations.

# Objectives

3. Save lives and establish coordinated international efforts on missing migrants.
"""


@pytest.fixture
def server(seeded_engine: Engine) -> Iterator[LiveServer]:
    """A live server over the seeded SQLite database."""
    with live_server(seeded_engine) as running:
        yield running


def _visit(who: Person, path: str) -> None:
    who.go(path)
    assert_no_injection(who.page)


def test_nothing_typed_into_any_field_runs(
    server: LiveServer, browser: Browser, watcher: Watcher, tmp_path: Path
) -> None:
    base = server.url
    _sign_in_with_markup(browser, watcher, base)
    _import_and_publish(browser, watcher, base, tmp_path)
    chn = person(browser, watcher, base, "delegate-chn")
    proposal = _table_with_markup(chn)
    zaf = person(browser, watcher, base, "delegate-zaf")
    _visit(zaf, f"/processes/gcm/proposals?delegation={quote(PAYLOAD)}")
    expect(zaf.page.locator("#filter-delegation")).to_have_value(PAYLOAD)
    _visit(zaf, "/processes/gcm/proposals")
    zaf.page.locator(f"#proposal-{proposal}").get_by_role("button", name="Co-sponsor").click()
    expect(zaf.page.locator(f"#proposal-{proposal} .cosponsors")).to_contain_text("ZAF")
    assert_no_injection(zaf.page)
    mex = person(browser, watcher, base, "cofac-mex")
    _rule_and_compromise_with_markup(mex, proposal)
    _publish(mex, "Rev.1")
    for path in _every_page(proposal):
        _visit(chn, path)
        _visit(mex, path)
    _visit(chn, "/processes/gcm/desk")
    _visit(mex, "/processes/gcm/working-copy")
    _feed_keeps_markup_as_text(mex, base)
    for who in (chn, zaf, mex):
        who.context.close()


def _sign_in_with_markup(browser: Browser, watcher: Watcher, base: str) -> None:
    stranger = person(browser, watcher, base)
    page = stranger.go(f"/sign-in?next={quote('javascript:alert(1)')}")
    page.locator("#username").fill(PAYLOAD)
    page.locator("#password").fill("wrong password")
    with watcher.expecting("status of 401"):
        page.locator("form.panel button[type=submit]").click()
        expect(page.get_by_role("alert")).to_contain_text("Wrong username or password")
    expect(page.locator("#username")).to_have_value(PAYLOAD)
    assert page.locator("#main input[name=next]").input_value() == "/"
    assert_no_injection(page)
    with watcher.expecting("status of 404"):
        _visit(stranger, f"/processes/{quote(PAYLOAD, safe='')}")
    stranger.context.close()


def _import_and_publish(browser: Browser, watcher: Watcher, base: str, tmp_path: Path) -> None:
    draft = tmp_path / "zero-draft.md"
    draft.write_text(DRAFT, encoding="utf-8")
    secretariat = person(browser, watcher, base, "secretariat")
    page = secretariat.go("/processes/gcm/import")
    page.locator("#draft-file").set_input_files(str(draft))
    page.get_by_role("button", name="Upload and align").click()
    expect(page.get_by_role("heading", name="Check the alignment")).to_be_visible()
    assert_no_injection(page)
    page.get_by_role("button", name="Confirm the alignment").click()
    expect(page.locator(".notice.success")).to_be_visible()
    secretariat.context.close()
    mex = person(browser, watcher, base, "cofac-mex")
    _publish(mex, LABEL)
    _visit(mex, "/processes/gcm/revisions/" + quote(LABEL, safe=""))
    expect(mex.page.locator("#doc-title")).to_contain_text(LABEL)
    mex.context.close()


def _publish(mex: Person, label: str) -> None:
    page = mex.go("/processes/gcm/working-copy")
    page.locator("#publish-label").fill(label)
    page.locator("#publish-summary").fill(PAYLOAD)
    page.get_by_role("button", name="Publish").click()
    expect(page.locator("#publish-heading")).to_contain_text(label)
    assert_no_injection(page)
    page.locator("#publish-panel").get_by_role("button", name="Yes, publish").click()
    expect(page.locator("#publish-panel")).to_contain_text(f"{label} is published")
    assert_no_injection(page)


def _table_with_markup(chn: Person) -> int:
    page = chn.go("/processes/gcm/proposals/new?paragraph=para-3")
    page.locator("#proposal-text").fill(f"Save lives {PAYLOAD} and establish coordinated efforts.")
    expect(page.locator("#redline-preview ins").first).to_contain_text("<script>")
    assert_no_injection(page)
    page.locator("#justification").fill(PAYLOAD)
    page.get_by_role("button", name="Table the proposal").click()
    expect(page.locator(".notice.success")).to_be_visible()
    assert_no_injection(page)
    return int(page.url.split("tabled=")[1].split("#")[0])


def _rule_and_compromise_with_markup(mex: Person, proposal: int) -> None:
    page = mex.go("/processes/gcm/proposals")
    card = page.locator(f"#proposal-{proposal}")
    card.locator("summary").click()
    card.locator("input[name=decision][value=accept_with_changes]").check()
    card.get_by_label("Reason (recorded with the ruling)").fill(PAYLOAD)
    card.get_by_label("The co-facilitators' text").fill(f"Save lives {PAYLOAD} together.")
    card.get_by_role("button", name="Record the ruling").click()
    expect(page.locator(f"#proposal-{proposal} .rulings")).to_contain_text("<script>")
    assert_no_injection(page)
    page = mex.go("/processes/gcm/working-copy/paragraphs/para-2")
    page.locator("#compromise-text").fill(f"The Compact rests on the Charter {PAYLOAD}.")
    expect(page.locator("#compromise-redline ins").first).to_be_visible()
    assert_no_injection(page)
    page.get_by_role("button", name="Save the paragraph").click()
    expect(page.locator(".notice.success")).to_be_visible()
    assert_no_injection(page)


def _every_page(proposal: int) -> list[str]:
    label = quote(LABEL, safe="")
    return [
        "/",
        "/processes/gcm",
        f"/processes/gcm/revisions/{label}",
        "/processes/gcm/revisions/Rev.1",
        "/processes/gcm/proposals",
        f"/proposals/{proposal}",
        f"/processes/gcm/compare?from={label}&to=Rev.1",
        f"/processes/gcm/compare?from={label}&to=Rev.1&view=side",
        "/processes/gcm/paragraphs/para-2",
        "/processes/gcm/paragraphs/para-3",
        "/processes/gcm/coverage",
        f"/processes/gcm/coverage?from={label}&to=Rev.1",
        "/processes/gcm/progress",
    ]


def _feed_keeps_markup_as_text(mex: Person, base: str) -> None:
    feed = mex.context.request.get(base + "/processes/gcm/feed.atom")
    root = ElementTree.fromstring(feed.body())
    texts = [element.text or "" for element in root.iter()]
    assert any(SCRIPT in text for text in texts) and any(LABEL in text for text in texts)
