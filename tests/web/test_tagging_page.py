"""Coverage that tells the truth: 'not tagged' rather than '0 / 24 covered', and a tagging step to fix it."""

import re

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, expect
from sqlalchemy import Engine

from tests.api.workflow_helpers import Round
from tests.web.browsing import Watcher, live_server, person
from tests.web.pages import sign_in


@pytest.fixture
def r(client: TestClient) -> Round:
    """The GCM zero draft published."""
    round_ = Round(client)
    round_.publish_zero_draft()
    return round_


def test_the_seed_shows_no_element_count_it_cannot_know(client: TestClient) -> None:
    for slug in ("nyd", "gcm", "gcr"):
        page = client.get(f"/processes/{slug}/coverage").text
        assert not re.search(r"\b0 / \d+", page), slug


def test_an_untagged_zero_draft_is_not_tagged_rather_than_covering_nothing(r: Round) -> None:
    page = r.client.get("/processes/gcm/coverage").text
    assert not re.search(r"\b0 / 24", page)
    assert "not tagged" in page and "0 / 15" in page  # no paragraph of the 15 tagged yet
    assert "Zero draft: 15 of 15 paragraphs are not tagged yet" in page
    matrix = r.ok(r.client.get("/api/v1/processes/gcm/coverage/matrix"))
    assert (matrix["covered"], matrix["tagged_counts"], matrix["paragraph_counts"]) == ([0], [0], [15])


def test_the_tagging_step_suggests_with_reasons_and_saves_what_a_person_confirms(r: Round) -> None:
    r.ok(r.client.post("/api/v1/processes/gcm/working-copy", headers=r.as_("cofac-mex")))
    token = sign_in(r.client, "cofac-mex")
    page = r.client.get("/processes/gcm/tagging").text
    row_7 = page[page.index('id="tag-row-para-7"') : page.index('id="tag-row-para-8"')]
    assert 'value="v"' in row_7 and "suggested: disaggregated, data" in row_7
    row_11 = page[page.index('id="tag-row-para-11"') : page.index('id="tag-row-para-12"')]
    assert "No suggestion" in row_11 and "suggested:" not in row_11
    assert page.count("suggested:") < 15  # never five guesses for every paragraph
    locks = {key: r.paragraph(None, key)["lock_version"] for key in ("para-7", "para-11")}
    form: dict[str, str | list[str]] = {
        "csrf_token": token,
        "lock-para-7": str(locks["para-7"]),
        "tag-para-7": "v",
        "lock-para-11": str(locks["para-11"]),
        "tag-para-11": ["n", "i"],
    }
    saved = r.client.post("/processes/gcm/tagging", data=form, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"] == "/processes/gcm/tagging?saved=2"
    assert r.paragraph(None, "para-7")["elements"] == ["v"]
    assert r.paragraph(None, "para-11")["elements"] == ["i", "n"]
    assert "2 paragraphs saved" in r.client.get(saved.headers["location"]).text
    stale = r.client.post("/processes/gcm/tagging", data=form, follow_redirects=False)
    assert stale.status_code == 303  # the same tags again: nothing to write, no conflict
    form["tag-para-7"] = "x"
    refused = r.client.post("/processes/gcm/tagging", data=form, follow_redirects=False)
    assert refused.status_code == 409 and "changed by someone else" in refused.text
    assert r.paragraph(None, "para-7")["elements"] == ["v"]


def test_only_the_co_facilitators_tag(r: Round) -> None:
    assert r.client.get("/processes/gcm/tagging").status_code == 401
    r.ok(r.client.post("/api/v1/processes/gcm/working-copy", headers=r.as_("cofac-mex")))
    for who in ("observer", "delegate-chn"):
        token = sign_in(r.client, who)
        assert r.client.get("/processes/gcm/tagging").status_code == 403
        posted = r.client.post(
            "/processes/gcm/tagging",
            data={"csrf_token": token, "lock-para-7": "1", "tag-para-7": "v"},
            follow_redirects=False,
        )
        assert posted.status_code == 403
    assert r.paragraph(None, "para-7")["elements"] == []


def test_bad_tags_are_a_clear_4xx_and_change_nothing(r: Round) -> None:
    r.ok(r.client.post("/api/v1/processes/gcm/working-copy", headers=r.as_("cofac-mex")))
    token = sign_in(r.client, "cofac-mex")
    lock = str(r.paragraph(None, "para-7")["lock_version"])
    for fields, message in (
        ({"lock-para-7": lock, "tag-para-7": "zz"}, "not elements of the gcm mandate: zz"),
        ({"lock-para-99": "1"}, "no paragraph para-99"),
        ({"lock-para-7": "x"}, "reload the page"),
    ):
        response = r.client.post(
            "/processes/gcm/tagging", data={"csrf_token": token, **fields}, follow_redirects=False
        )
        assert response.status_code == 422 and message in response.text, response.text
    assert r.paragraph(None, "para-7")["elements"] == []


@pytest.mark.browser
def test_tag_publish_and_read_coverage_and_status_changes_in_the_browser(
    browser: Browser, watcher: Watcher, r: Round, seeded_engine: Engine
) -> None:
    cofacilitator = r.as_("cofac-mex")
    r.ok(r.client.post("/api/v1/processes/gcm/working-copy", headers=cofacilitator))
    para_2 = r.paragraph(None, "para-2")
    agreed = {"status": "agreed", "lock_version": para_2["lock_version"]}
    r.ok(
        r.client.patch(
            "/api/v1/processes/gcm/working-copy/paragraphs/para-2", json=agreed, headers=cofacilitator
        )
    )
    with live_server(seeded_engine) as server:
        facilitator = person(browser, watcher, server.url, "cofac-mex")
        page = facilitator.go("/processes/gcm/coverage")
        expect(page.locator("tfoot")).to_contain_text("not tagged")
        page.get_by_role("link", name="Tag them").click()
        row = page.locator("#tag-row-para-7")
        expect(row.locator(".suggested-element")).to_contain_text("suggested: disaggregated, data")
        row.get_by_role("checkbox", name=re.compile(r"^\(v\)")).check()
        page.get_by_role("button", name="Save the tags").click()
        expect(page.get_by_role("status").filter(has_text="1 paragraph saved")).to_be_visible()
        facilitator.shot("tagging-saved", full_page=False)
        r.ok(
            r.client.post("/api/v1/processes/gcm/revisions", json={"label": "Rev.1"}, headers=cofacilitator),
            201,
        )
        page = facilitator.go("/processes/gcm/coverage")
        expect(page.locator("tfoot tr").first).to_contain_text("1 / 24")
        page = facilitator.go("/processes/gcm/compare?from=Zero+draft&to=Rev.1&changes=1")
        expect(page.locator(".counts")).to_contain_text("Status changed")
        expect(page.locator("#change-para-2")).to_contain_text("Status: Open → Agreed")
        facilitator.shot("compare-status-change", full_page=False)
