"""Import review in Chromium: a person makes every kind of correction, confirms, and the lineage follows."""

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import Engine

from tests.api.test_import_review import COUNTER, NETWORK, rev1_draft
from tests.api.workflow_helpers import Round
from tests.web.browsing import LiveServer, Watcher, assert_accessible, live_server, person

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("engine", ["sqlite"], indirect=True)]


@pytest.fixture
def server(seeded_engine: Engine) -> Iterator[LiveServer]:
    """A live server over the seeded SQLite database."""
    with live_server(seeded_engine) as running:
        yield running


def _row(page: Page, text: str) -> Any:
    """The review row of the imported paragraph with text (its second cell; the third shows what it was)."""
    return page.locator("tr[id^=import-row-]").filter(has=page.locator("td:nth-child(2)", has_text=text))


def _link(page: Page, text: str, how: str, keys: str) -> None:
    row = _row(page, text)
    row.locator("select[name^=how-]").select_option(how)
    row.locator("input[name^=keys-]").fill(keys)


def test_a_person_corrects_every_kind_of_link_and_the_revision_keeps_its_lineage(
    server: LiveServer, client: TestClient, browser: Browser, watcher: Watcher, tmp_path: Any
) -> None:
    r = Round(client)
    r.publish_zero_draft()
    on_11 = r.table("delegate-chn", "para-11", action="delete")
    draft = tmp_path / "rev1.md"
    draft.write_text(rev1_draft(), encoding="utf-8")
    secretariat = person(browser, watcher, server.url, "secretariat")
    page = secretariat.go("/processes/gcm/import")
    page.locator("#draft-file").set_input_files(str(draft))
    page.get_by_role("button", name="Upload and align").click()

    # The uncertain links come first, each with its evidence; the sure ones wait below.
    to_check = page.locator("#to-check")
    expect(to_check).to_contain_text("split from para-3")
    expect(to_check).to_contain_text("each mostly made of the other")
    levels = to_check.locator("tbody tr").evaluate_all("rows => rows.map(row => row.dataset.confidence)")
    assert levels and levels == sorted(levels, key=["doubtful", "likely"].index), levels
    expect(page.locator("#the-rest")).to_contain_text("No State can address migration alone")
    expect(page.locator(".notice.warning")).to_contain_text("para-11, para-12")
    assert_accessible(page)
    secretariat.shot("import-review-before-corrections")

    page.locator("#the-rest").evaluate("table => table.closest('details').open = true")
    _link(page, "Migration has been", "continues", "para-3")  # re-point: the first part keeps para-3
    _link(page, "We recognize that", "split", "para-3")  # split: the second part is split from it
    _link(page, "Ensure that all migrants", "merged", "para-10, para-11")  # merge
    _link(page, COUNTER, "continues", "para-12")  # a rewrite the engine took for a new paragraph
    _link(page, NETWORK, "new", "")  # new: the old para-14 is deleted
    page.get_by_role("button", name="Save the corrections and confirm the alignment").click()
    expect(page.locator(".notice.success")).to_contain_text("The alignment is confirmed")
    expect(page.locator(".notice.warning")).to_contain_text("para-14")
    expect(page.locator(".notice.warning")).not_to_contain_text("para-11")  # merged, not deleted
    confirmed = page.locator("#confirmed")
    expect(_row(page, "Migration has been")).to_contain_text("para-3")
    expect(confirmed.locator(".confidence-confirmed")).to_have_count(5)
    secretariat.context.close()

    mex = person(browser, watcher, server.url, "cofac-mex")
    page = mex.go("/processes/gcm/working-copy")
    preview = page.locator("#publish-preview")
    expect(preview.locator(f"a[href='/proposals/{on_11['id']}']")).to_be_visible()
    expect(preview).to_contain_text("merged")
    page.locator("#publish-label").fill("Rev.1")
    page.get_by_role("button", name="Publish").click()
    page.get_by_role("button", name="Yes, publish Rev.1").click()  # after the confirmation step
    expect(page.locator("#publish-panel")).to_contain_text("Rev.1 is published")
    mex.context.close()

    changes = {
        (p["change"], p["key"]): p
        for p in r.ok(
            client.get("/api/v1/processes/gcm/compare", params={"from": "Zero draft", "to": "Rev.1"})
        )["paragraphs"]
    }
    split = [p for (change, _key), p in changes.items() if change == "split"]
    assert sorted(p["key"] == "para-3" for p in split) == [False, True]
    assert all(p["came_from"] == ["para-3"] for p in split)
    assert changes[("merged", "para-10")]["came_from"] == ["para-10", "para-11"]
    assert ("modified", "para-12") in changes and ("deleted", "para-14") in changes
    assert any(change == "inserted" for change, _key in changes)
    history = r.ok(client.get("/api/v1/processes/gcm/paragraphs/para-3/history"))
    assert (
        history["appearances"][-1]["text"]
        == "Migration has been part of the human experience throughout history."
    )
    merged = r.ok(client.get("/api/v1/processes/gcm/paragraphs/para-11/history"))
    assert [(x["relation"], x["key"]) for x in merged["lineage"]] == [("merged_into", "para-10")]
    proposal = r.ok(client.get(f"/api/v1/proposals/{on_11['id']}", headers=r.as_("delegate-chn")))
    assert proposal["rebase_status"] == "needs_attention" and "merged into" in proposal["rebase_note"]
