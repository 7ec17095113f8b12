"""Reading defects of issue 12: paragraph counts, the mandate list, dates that wrap, faint dates."""

import re

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import Engine

from tests.api.workflow_helpers import Round
from tests.web.browsing import Watcher, live_server, person


def test_a_revision_counts_its_paragraphs_as_progress_does(client: TestClient) -> None:
    Round(client).publish_zero_draft()
    progress = client.get("/api/v1/processes/gcm/progress").json()
    negotiated = progress["revisions"][0]["tally"]["paragraph_count"]
    assert negotiated == 15  # the zero draft's 15 numbered paragraphs; its 5 headings are not counted
    summary = client.get("/api/v1/processes/gcm/revisions").json()[0]
    assert summary["paragraph_count"] == negotiated
    assert "15 paragraphs" in client.get("/processes/gcm/revisions/Zero%20draft").text
    assert re.search(r'<td class="num-cell">15</td>', client.get("/processes/gcm").text)


def _contrast(page: Page, selector: str) -> float:
    """The WCAG contrast ratio of an element's text against the page's background."""
    return float(
        page.evaluate(
            """(selector) => {
              const el = document.querySelector(selector);
              const rgb = (c) => c.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
              const lum = (c) => {
                const linear = (v) => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
                const [r, g, b] = rgb(c).map(linear);
                return 0.2126 * r + 0.7152 * g + 0.0722 * b;
              };
              let back = el, bg = 'rgba(0, 0, 0, 0)';
              const clear = 'rgba(0, 0, 0, 0)';
              while (back && (bg = getComputedStyle(back).backgroundColor) === clear) {
                back = back.parentElement;
              }
              if (!back) bg = 'rgb(255, 255, 255)';
              const [a, b] = [lum(getComputedStyle(el).color), lum(bg)].sort((x, y) => y - x);
              return (a + 0.05) / (b + 0.05);
            }""",
            selector,
        )
    )


@pytest.mark.browser
def test_mandate_letters_dates_and_their_contrast_in_the_browser(
    browser: Browser, watcher: Watcher, client: TestClient, seeded_engine: Engine
) -> None:
    r = Round(client)  # the client's app runs on the same seeded database as the live server
    r.publish_zero_draft()
    tabled = r.table("delegate-deu", "para-5", "A people-centred compact.")
    r.rule(tabled["id"], "reject", "Not now.")
    r.ok(client.post("/api/v1/processes/gcm/compilation/release", headers=r.as_("cofac-mex")), 204)
    with live_server(seeded_engine) as server:
        reader = person(browser, watcher, server.url, viewport={"width": 820, "height": 900})
        page = reader.go("/processes/gcm")
        first = page.locator("ol.elements > li").first
        expect(first).to_contain_text("(a)")
        assert first.evaluate("li => getComputedStyle(li.parentElement).listStyleType") == "none"
        date = page.locator("#revision-list time.date").first
        expect(date).to_have_text("2018-02-05")
        box = date.bounding_box()
        assert box is not None and box["height"] < 30, "the date wraps onto a second line"
        page = reader.go(f"/proposals/{tabled['id']}")
        expect(page.locator(".dates").first).to_be_visible()
        assert _contrast(page, ".dates") >= 4.5
