"""The search box on every process page, its results grouped and linked, and "go to paragraph"."""

import re

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, expect
from sqlalchemy import Engine

from tests.api.workflow_helpers import Round
from tests.web.browsing import Watcher, assert_accessible, live_server, person
from tests.web.pages import sign_in

NYD = "/processes/nyd/revisions/Adopted%20text"


@pytest.fixture
def r(client: TestClient) -> Round:
    """The GCM zero draft published."""
    round_ = Round(client)
    round_.publish_zero_draft()
    return round_


def test_every_process_page_has_the_search_box(r: Round) -> None:
    for path in ("/processes/gcm", "/processes/gcm/revisions/Zero%20draft", "/processes/gcm/compare", NYD):
        page = r.client.get(path).text
        assert 'role="search"' in page and 'action="/processes/' in page and 'name="q"' in page, path


def test_results_are_grouped_by_revision_and_linked_to_the_paragraph(r: Round) -> None:
    response = r.client.get("/processes/gcm/search", params={"q": "order"})
    assert response.status_code == 200
    page = response.text
    assert "<mark>orderly</mark>" in page and "<mark>border" not in page
    assert 'href="/processes/gcm/revisions/Zero%20draft#para-1"' in page
    assert re.search(
        r'<h3 class="search-group"><a href="/processes/gcm/revisions/Zero%20draft">Zero draft</a>', page
    )
    assert "proposals and rulings are not searched" in page  # nothing released yet
    chinese = r.client.get("/processes/nyd/search", params={"q": "难民"}).text
    assert chinese.count("<mark>难民</mark>") > 20


def test_a_bad_search_says_why_beside_the_box_and_escapes_what_was_typed(r: Round) -> None:
    response = r.client.get("/processes/gcm/search", params={"q": "<script>!!</script>"})
    assert response.status_code == 200  # "script" is a word: nothing found, nothing run
    assert "<script>!!" not in response.text and "&lt;script&gt;!!&lt;/script&gt;" in response.text
    refused = r.client.get("/processes/gcm/search", params={"q": "?!"})
    assert refused.status_code == 422
    assert 'id="search-problem"' in refused.text and "no word, number or character" in refused.text
    assert r.client.get("/processes/gcm/search", params={"q": "x" * 201}).status_code == 422
    assert r.client.get("/processes/gcm/search").status_code == 200  # the empty form


def test_go_to_paragraph_jumps_to_the_paragraph_as_cited(r: Round) -> None:
    base = "/processes/gcm/revisions/Zero%20draft/paragraph"
    for cited in ("12", "OP 12", "para. 12"):
        response = r.client.get(base, params={"number": cited}, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"] == "/processes/gcm/revisions/Zero%20draft#para-12"
    # Three paragraphs of the Declaration are numbered 12 (body, annex I, annex II): the reader chooses.
    several = r.client.get(f"{NYD}/paragraph", params={"number": "12"}, follow_redirects=False)
    assert several.headers["location"] == "/processes/nyd/search?q=12&revision=Adopted+text"
    choice = r.client.get(several.headers["location"]).text
    assert choice.count('href="/processes/nyd/revisions/Adopted%20text#') >= 3
    missing = r.client.get(base, params={"number": "99"}, follow_redirects=False)
    assert missing.status_code == 303 and "/search?q=99" in missing.headers["location"]
    assert r.client.get("/processes/gcm/revisions/Rev.9/paragraph", params={"number": "1"}).status_code == 404


def test_a_delegate_finds_proposals_an_observer_does_not_yet(r: Round) -> None:
    r.table("delegate-deu", "para-5", "A people-centred compact.", justification="the wombat argument")
    sign_in(r.client, "observer")
    assert "the wombat argument" not in r.client.get("/processes/gcm/search", params={"q": "wombat"}).text
    sign_in(r.client, "delegate-chn")
    page = r.client.get("/processes/gcm/search", params={"q": "wombat"}).text
    assert "the <mark>wombat</mark> argument" in page and 'href="/proposals/' in page


@pytest.mark.browser
def test_searching_and_going_to_a_paragraph_in_the_browser(
    browser: Browser, watcher: Watcher, seeded_engine: Engine
) -> None:
    with live_server(seeded_engine) as server:
        reader = person(browser, watcher, server.url)
        page = reader.go(NYD)
        page.get_by_label("Go to paragraph").fill("86")
        page.get_by_role("button", name="Go", exact=True).click()
        expect(page).to_have_url(re.compile(r"/revisions/Adopted%20text#body-86$"))
        expect(page.locator("#body-86")).to_be_in_viewport()
        page.get_by_role("searchbox", name="Search this process").fill("移民 难民")
        page.get_by_role("searchbox", name="Search this process").press("Enter")
        expect(page.get_by_role("heading", name=re.compile("In the texts"))).to_be_visible()
        assert_accessible(page)
        reader.shot("search-results", full_page=False)
        first = page.locator(".search-hits .hit-place").first
        target = first.get_attribute("href") or ""
        first.click()
        expect(page).to_have_url(re.compile(re.escape(target.split("#")[1]) + "$"))
        expect(page.locator("#" + target.split("#")[1])).to_be_in_viewport()
