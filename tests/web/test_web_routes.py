"""Web routes through the test client, on SQLite and PostgreSQL: roles, CSRF, languages, errors, feed."""

import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event

from tests.api.workflow_helpers import Round
from tests.web.pages import page_token, post_form, sign_in

PARA3 = (
    "Migration has been part of the human experience throughout history, and we recognize that it is a "
    "source of prosperity, innovation and sustainable development in our globalized world."
)
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def round_(client: TestClient) -> Round:
    """The GCM zero draft published; a fresh client session (nobody signed in)."""
    r = Round(client)
    r.publish_zero_draft()
    return r


PAGES = [
    "/",
    "/processes/gcm",
    "/processes/gcm/revisions/Zero%20draft",
    "/processes/gcm/proposals",
    "/processes/gcm/desk",
    "/processes/gcm/working-copy",
    "/processes/gcm/working-copy/paragraphs/para-3",
    "/processes/gcm/import",
    "/processes/gcm/compare",
    "/processes/gcm/paragraphs/para-3",
    "/processes/gcm/coverage",
    "/processes/gcm/progress",
    "/processes/gcm/search?q=migrants",
    "/processes/gcm/proposals/new?paragraph=para-3",
    "/processes/nyd/revisions/Adopted%20text",
    "/processes/gcm/feed",
    "/notifications",
    "/outbox",
]
ALLOWED = {
    # path → who gets 200 (everyone else 401 when signed out, else 403)
    "/processes/gcm/proposals": {"delegate-chn", "cofac-mex", "secretariat"},
    "/processes/gcm/desk": {"delegate-chn"},
    "/processes/gcm/working-copy": {"cofac-mex", "secretariat"},
    "/processes/gcm/working-copy/paragraphs/para-3": {"cofac-mex"},
    "/processes/gcm/import": {"cofac-mex", "secretariat"},
    "/processes/gcm/proposals/new?paragraph=para-3": {"delegate-chn"},
    "/notifications": {"observer", "delegate-chn", "cofac-mex", "secretariat"},
    "/outbox": {"secretariat"},
}


@pytest.mark.parametrize("who", [None, "observer", "delegate-chn", "cofac-mex", "secretariat"])
def test_every_page_answers_each_role_as_its_rights_allow(round_: Round, who: str | None) -> None:
    client = round_.client
    if who:
        sign_in(client, who)
    for path in PAGES:
        response = client.get(path)
        allowed = ALLOWED.get(path)
        expected = {200} if allowed is None or who in allowed else ({401, 403} if who is None else {403})
        assert response.status_code in expected, f"{who} {path}: {response.status_code}"
        assert "text/html" in response.headers["content-type"]
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert response.headers["server-timing"].startswith("app;dur=")


def test_the_header_shows_the_person_their_delegation_and_roles(round_: Round) -> None:
    sign_in(round_.client, "cofac-mex")
    page = round_.client.get("/processes/gcm").text
    assert re.search(r"<strong>cofac-mex</strong>\s*<span class=\"delegation\"[^>]*>MEX</span>", page)
    assert "Co-facilitator" in page and "Sign out" in page


def test_state_changing_forms_need_the_session_csrf_token(round_: Round) -> None:
    client = round_.client
    token = sign_in(client, "delegate-chn")
    body = {
        "paragraph_key": "para-3",
        "action": "amend",
        "text": PARA3 + " More.",
        "justification": "Adds more.",
        "idempotency_key": "k1",
    }
    for sent in ({}, {"csrf_token": "forged"}):
        refused = client.post("/processes/gcm/proposals", data={**body, **sent}, follow_redirects=False)
        assert refused.status_code == 403 and "reload the page" in refused.text
    assert round_.ok(client.get("/api/v1/processes/gcm/proposals", headers=round_.as_("delegate-chn"))) == []
    by_header = client.post(
        "/processes/gcm/proposals", data=body, headers={"X-CSRF-Token": token}, follow_redirects=False
    )
    assert by_header.status_code == 303
    assert client.post("/sign-out", follow_redirects=False).status_code == 403


def test_signing_in_rotates_the_token_and_signing_out_forgets_the_person(round_: Round) -> None:
    client = round_.client
    before = page_token(client, "/sign-in")
    wrong = post_form(client, "/sign-in", before, username="delegate-chn", password="nope", next="/")
    assert wrong.status_code == 401 and "Wrong username or password" in wrong.text
    after = sign_in(client, "delegate-chn")
    assert after != before
    assert client.get("/processes/gcm/desk").status_code == 200
    assert post_form(client, "/sign-out", after).status_code == 303
    assert client.get("/processes/gcm/desk").status_code == 401


def test_sign_in_only_goes_back_to_pages_of_this_site(round_: Round) -> None:
    client = round_.client
    token = page_token(client, "/sign-in")
    for target, landing in (
        ("https://evil.example/", "/"),
        ("//evil.example", "/"),
        ("/processes/gcm", "/processes/gcm"),
    ):
        fields = {"username": "observer", "password": "demo-password", "next": target}
        response = post_form(client, "/sign-in", token, **fields)
        assert response.headers["location"] == landing
        token = page_token(client)


def test_the_interface_speaks_the_browsers_language_or_the_chosen_one(round_: Round) -> None:
    client = round_.client
    chinese = client.get("/processes/gcm", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"}).text
    assert '<html lang="zh-Hans">' in chinese and "修订稿" in chinese and "Revisions" not in chinese
    english = client.get("/processes/gcm", headers={"Accept-Language": "fr-CH, de;q=0.8"}).text
    assert '<html lang="en">' in english and "Revisions" in english
    token = page_token(client)
    chosen = post_form(client, "/language", token, locale="zh", next="/processes/gcm")
    assert chosen.status_code == 303 and chosen.headers["location"] == "/processes/gcm"
    assert '<html lang="zh-Hans">' in client.get("/processes/gcm", headers={"Accept-Language": "en"}).text
    post_form(client, "/language", token, locale="xx", next="https://evil.example")
    assert '<html lang="zh-Hans">' in client.get("/").text


def test_texts_keep_their_own_language(round_: Round) -> None:
    seed = round_.client.get("/processes/nyd/revisions/Adopted%20text").text
    assert '<div lang="zh" dir="ltr">' in seed
    gcm = round_.client.get("/processes/gcm/revisions/Zero%20draft", headers={"Accept-Language": "zh"}).text
    assert '<html lang="zh-Hans">' in gcm and '<div lang="en" dir="ltr">' in gcm


def test_the_live_redline_marks_what_the_typing_changes(round_: Round) -> None:
    client = round_.client
    token = sign_in(client, "delegate-chn")
    url = "/processes/gcm/paragraphs/para-3/redline"
    changed = post_form(
        client, url, token, action="amend", text=PARA3.replace("globalized", "interconnected")
    )
    assert "<del>globalized</del><ins>interconnected</ins>" in changed.text
    deleted = post_form(client, url, token, action="delete", text="ignored")
    assert deleted.text.count("<del>") == 1 and "<ins>" not in deleted.text
    same = post_form(client, url, token, action="amend", text=PARA3)
    assert "No change yet" in same.text


def test_a_stale_edit_shows_the_saved_version_in_place(round_: Round) -> None:
    client = round_.client
    proposal = round_.table("delegate-chn", "para-3", PARA3.replace("globalized", "connected"))
    token = sign_in(client, "delegate-chn")
    fresh = {"text": PARA3.replace("globalized", "shared"), "justification": "Shared.", "lock_version": "1"}
    assert post_form(client, f"/proposals/{proposal['id']}/edit", token, **fresh).status_code == 303
    stale = {**fresh, "text": PARA3.replace("globalized", "whole")}
    refused = post_form(client, f"/proposals/{proposal['id']}/edit", token, **stale)
    assert refused.status_code == 409
    assert "Someone else changed this proposal" in refused.text
    assert "<del>shared</del><ins>whole</ins>" in refused.text  # the saved version against the person's text
    assert 'name="lock_version" value="2"' in refused.text  # saving again replaces it knowingly


def test_htmx_errors_come_back_as_a_message_for_the_alert_region(round_: Round) -> None:
    client = round_.client
    token = sign_in(client, "delegate-chn")
    response = client.post(
        "/proposals/999/withdraw",
        headers={"HX-Request": "true", "X-CSRF-Token": token},
        follow_redirects=False,
    )
    assert response.status_code == 404 and response.headers["hx-retarget"] == "#live-alert"
    assert response.text.lstrip().startswith('<div class="error" role="alert">')


def test_unknown_pages_get_an_error_page_and_the_api_keeps_json(round_: Round) -> None:
    page = round_.client.get("/no/such/page")
    assert (
        page.status_code == 404 and "text/html" in page.headers["content-type"] and "Not found" in page.text
    )
    api = round_.client.get("/api/v1/no/such/thing")
    assert api.status_code == 404 and api.headers["content-type"] == "application/json"


def test_the_atom_feed_lists_revisions_and_released_rulings(round_: Round) -> None:
    client = round_.client
    proposal = round_.table("delegate-chn", "para-3", PARA3.replace("globalized", "connected"))
    round_.rule(proposal["id"], "reject", "Not now <b>really</b>")
    feed = client.get("/processes/gcm/feed.atom")
    assert feed.headers["content-type"].startswith("application/atom+xml")
    titles = [t.text for t in ElementTree.fromstring(feed.content).iter(f"{ATOM}title")]
    assert "Zero draft published" in titles and not any("Ruling" in (t or "") for t in titles)
    round_.ok(client.post("/api/v1/processes/gcm/compilation/release", headers=round_.as_("cofac-mex")), 204)
    root = ElementTree.fromstring(client.get("/processes/gcm/feed.atom").content)
    entries = {e.findtext(f"{ATOM}title"): e.findtext(f"{ATOM}summary") for e in root.iter(f"{ATOM}entry")}
    assert entries[f"Ruling on proposal {proposal['id']} (CHN, para. 3): reject"] == "Not now <b>really</b>"
    later = round_.table("delegate-deu", "para-4", "No State can address migration on its own.")
    round_.rule(later["id"], "reject", "Tabled after the release")
    root = ElementTree.fromstring(client.get("/processes/gcm/feed.atom").content)
    titles = [e.findtext(f"{ATOM}title") or "" for e in root.iter(f"{ATOM}entry")]
    assert not any(f"proposal {later['id']} " in t for t in titles)  # waits for the next release


def test_the_compilation_filters_by_paragraph_delegation_and_state(round_: Round) -> None:
    round_.table("delegate-chn", "para-3", PARA3.replace("globalized", "connected"), on_behalf_of="G77")
    round_.table("delegate-deu", "para-4", "No State can address migration on its own.")
    client = round_.client
    sign_in(client, "cofac-mex")
    assert client.get("/processes/gcm/proposals?delegation=G77").text.count('class="proposal card') == 1
    assert client.get("/processes/gcm/proposals?paragraph=para-4").text.count('class="proposal card') == 1
    assert client.get("/processes/gcm/proposals?state=rejected").text.count('class="proposal card') == 0
    fragment = client.get(
        "/processes/gcm/proposals?delegation=DEU",
        headers={"HX-Request": "true", "HX-Target": "compilation-results"},
    ).text
    assert fragment.startswith('<div id="compilation-results"') and "<html" not in fragment


@pytest.fixture
def statements(seeded_engine: Engine) -> Iterator[list[str]]:
    """The SQL statements the engine runs while the test watches."""
    seen: list[str] = []

    def count(*args: Any) -> None:
        seen.append(str(args[2]))

    event.listen(seeded_engine, "before_cursor_execute", count)
    yield seen
    event.remove(seeded_engine, "before_cursor_execute", count)


def test_pages_do_not_query_per_proposal(round_: Round, statements: list[str]) -> None:
    client = round_.client
    sign_in(client, "delegate-chn")

    def queries(path: str) -> int:
        statements.clear()
        assert client.get(path).status_code == 200
        return len(statements)

    round_.table("delegate-chn", "para-3", PARA3.replace("globalized", "connected"))
    few = {path: queries(path) for path in ("/processes/gcm/proposals", "/processes/gcm/desk")}
    for n in range(4):
        round_.table("delegate-chn", f"para-{5 + n}", f"Another text number {n}.")
    round_.ok(client.post("/api/v1/proposals/1/cosponsors", headers=round_.as_("delegate-zaf")))
    many = {path: queries(path) for path in few}
    assert many == few


def test_the_compilation_says_when_it_was_last_released(round_: Round) -> None:
    token = sign_in(round_.client, "cofac-mex")
    assert "Not released yet" in round_.client.get("/processes/gcm/proposals").text
    round_.table("delegate-chn", "para-3", PARA3 + " More.")
    asked = post_form(round_.client, "/processes/gcm/compilation/release", token)
    assert asked.status_code == 200 and "Release the compilation to observers?" in asked.text
    assert "not yet seen by observers: 1" in asked.text
    assert "Not released yet" in round_.client.get("/processes/gcm/proposals").text  # nothing changed
    released = post_form(round_.client, "/processes/gcm/compilation/release", token, confirmed="yes")
    assert released.status_code == 303
    assert "Last released: " in round_.client.get("/processes/gcm/proposals").text


def test_the_merge_editor_refuses_to_mark_bracketed_text_agreed(round_: Round) -> None:
    client = round_.client
    token = sign_in(client, "cofac-mex")
    url = "/processes/gcm/working-copy/paragraphs/para-3"
    client.post("/processes/gcm/working-copy", data={"csrf_token": token}, follow_redirects=False)
    bracketed = PARA3.replace("our globalized world", "[our globalized world][the world]")
    fields = {"text": bracketed, "status": "agreed", "lock_version": "1"}
    refused = post_form(client, url, token, **fields)
    assert refused.status_code == 422
    assert "cannot be agreed" in refused.text and "«[our globalized world]»" in refused.text
    assert round_.paragraph(None, "para-3")["text"] == PARA3  # nothing was saved
    saved = post_form(client, url, token, **{**fields, "status": "open"})
    assert saved.status_code == 303
    page = client.get(url).text
    assert re.search(r'value="bracketed" checked', page)  # the status the brackets give it


def test_saving_a_merged_compromise_rules_on_each_proposal_and_keeps_their_words(round_: Round) -> None:
    client = round_.client
    chn = round_.table("delegate-chn", "para-3", PARA3.replace("prosperity,", "prosperity, dignity,"))
    deu = round_.table("delegate-deu", "para-3", PARA3.replace("our globalized world", "our shared world"))
    token = sign_in(client, "cofac-mex")
    url = "/processes/gcm/working-copy/paragraphs/para-3"
    client.post("/processes/gcm/working-copy", data={"csrf_token": token}, follow_redirects=False)
    preview = client.post(
        f"{url}/merge", data={"csrf_token": token, "proposal": [str(chn["id"]), str(deu["id"])]}
    ).text
    assert f'data-merged="{chn["id"]},{deu["id"]}"' in preview
    merged = PARA3.replace("prosperity,", "prosperity, dignity,").replace("globalized", "shared")
    compromise = merged.replace("shared world", "shared and connected world")
    fields = {"text": compromise, "status": "open", "lock_version": "1", "merged": f"{chn['id']},{deu['id']}"}
    assert post_form(client, url, token, **fields).status_code == 303
    spans = {s["text"].strip(): s["sources"] for s in round_.paragraph(None, "para-3")["provenance"]}
    assert spans["dignity,"] == [f"proposal {chn['id']}"] and spans["shared"] == [f"proposal {deu['id']}"]
    assert spans["and connected"] == ["co-facilitators"]
    states = {
        p: round_.ok(client.get(f"/api/v1/proposals/{p}", headers=round_.as_("cofac-mex")))
        for p in (chn["id"], deu["id"])
    }
    assert states[chn["id"]]["state"] == "accepted"  # the compromise says all it changes
    assert states[deu["id"]]["state"] == "accepted_with_changes"
    assert states[deu["id"]]["rulings"][0]["text"] == compromise
    page = client.get(url).text
    assert "conflict" not in page.split('id="merge-preview"')[-1][:400]  # nothing left to merge against it
    assert 'name="proposal"' not in page
