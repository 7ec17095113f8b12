"""Search over revisions, proposals, justifications and rulings, on SQLite and PostgreSQL, per reader."""

from typing import Any

from fastapi.testclient import TestClient

from tests.api.workflow_helpers import Round

SEARCH = "/api/v1/processes/{slug}/search"


def search(client: TestClient, q: str, slug: str = "gcm", **params: Any) -> dict[str, Any]:
    """The search results, which must be a 200."""
    headers = params.pop("headers", {})
    response = client.get(SEARCH.format(slug=slug), params={"q": q, **params}, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def hits(fragments: list[dict[str, Any]]) -> list[str]:
    """The pieces of an excerpt that are hits."""
    return [f["text"] for f in fragments if f["hit"]]


def test_the_seed_finds_two_character_chinese_words(client: TestClient) -> None:
    for word in ("移民", "难民"):
        found = search(client, word, slug="nyd")
        assert found["terms"] == [word]
        assert found["paragraph_count"] > 20
        assert {hit for p in found["paragraphs"] for hit in hits(p["excerpt"])} == {word}
        assert all(p["revision"] == "零草案" or p["revision"] for p in found["paragraphs"])
    both = search(client, "移民 难民", slug="nyd")
    assert 0 < both["paragraph_count"] < search(client, "移民", slug="nyd")["paragraph_count"]
    # Annex II 8(b): 国际移民对移民及其家人而言是潜在机会 — 移民 inside 国际移民 counts, twice marked.
    element_b = next(p for p in search(client, "潜在机会", slug="nyd")["paragraphs"] if p["number"] == "8(b)")
    assert element_b["key"] == "annex2-8-b"


def test_english_words_are_found_by_their_stem(client: TestClient) -> None:
    Round(client).publish_zero_draft()
    order = search(client, "order")
    assert order["terms"] == ["order…"]
    first = next(p for p in order["paragraphs"] if p["number"] == "1")
    assert (first["revision"], first["key"]) == ("Zero draft", "para-1")
    assert hits(first["excerpt"]) == ["orderly"]
    assert "border" not in {hit.lower() for p in order["paragraphs"] for hit in hits(p["excerpt"])}
    migrant = search(client, "migrant")
    assert {hit for p in migrant["paragraphs"] for hit in hits(p["excerpt"])} == {"migrants", "Migrants"}
    assert search(client, "migrants")["paragraphs"] == migrant["paragraphs"]
    assert search(client, "ORDERLY Migration")["paragraph_count"] == 2  # para. 1 and a heading
    assert search(client, "orderly zebra")["paragraph_count"] == 0


def test_a_cited_number_goes_to_its_paragraph(client: TestClient) -> None:
    Round(client).publish_zero_draft()
    assert search(client, "OP 12")["numbered"] == [
        {"revision": "Zero draft", "key": "para-12", "number": "12", "part": "body"}
    ]
    assert search(client, "para. 12")["numbered"][0]["key"] == "para-12"
    assert search(client, "migration")["numbered"] == []


def test_observers_never_find_what_no_release_covers(client: TestClient) -> None:
    r = Round(client)
    r.publish_zero_draft()
    released = r.table("delegate-deu", "para-5", "A people-centred compact.", justification="kangaroo court")
    r.ok(client.post("/api/v1/processes/gcm/compilation/release", headers=r.as_("cofac-mex")), 204)
    later = r.table("delegate-bra", "para-6", "A wombat clause.", justification="kangaroo again")
    r.rule(later["id"], "reject", "No wombat in the compact.")
    edit = {"text": "A people-centred platypus compact.", "lock_version": released["lock_version"]}
    r.ok(client.patch(f"/api/v1/proposals/{released['id']}", json=edit, headers=r.as_("delegate-deu")))

    for observer in ({}, r.as_("observer")):
        kangaroo = search(client, "kangaroo", headers=observer)
        assert [(p["id"], p["found_in"]) for p in kangaroo["proposals"]] == [
            (released["id"], "justification")
        ]
        assert search(client, "wombat", headers=observer)["rulings"] == []
        assert search(client, "wombat", headers=observer)["proposals"] == []
        assert search(client, "platypus", headers=observer)["proposal_count"] == 0  # not released yet
    delegate = r.as_("delegate-chn")
    assert {p["id"] for p in search(client, "kangaroo", headers=delegate)["proposals"]} == {
        released["id"],
        later["id"],
    }
    assert [h["proposal_id"] for h in search(client, "wombat", headers=delegate)["rulings"]] == [later["id"]]
    assert search(client, "platypus", headers=delegate)["proposal_count"] == 1


def test_before_any_release_observers_search_the_texts_only(client: TestClient) -> None:
    r = Round(client)
    r.publish_zero_draft()
    r.table("delegate-deu", "para-5", "Orderly text.", justification="orderly")
    found = search(client, "orderly")
    assert found["proposals_searched"] is False and found["proposals"] == []
    assert found["paragraph_count"] > 0
    assert search(client, "orderly", headers=r.as_("delegate-chn"))["proposal_count"] == 1


def test_the_working_copy_is_searched_only_by_those_who_prepare_it(client: TestClient) -> None:
    r = Round(client)
    r.publish_zero_draft()
    cofacilitator = r.as_("cofac-mex")
    r.ok(client.post("/api/v1/processes/gcm/working-copy", headers=cofacilitator))
    paragraph = r.paragraph(None, "para-2")
    body = {
        "text": "This Global Compact rests on the Charter, quokka.",
        "lock_version": paragraph["lock_version"],
    }
    edited = client.patch(
        "/api/v1/processes/gcm/working-copy/paragraphs/para-2", json=body, headers=cofacilitator
    )
    assert edited.status_code == 200, edited.text
    assert search(client, "quokka")["paragraph_count"] == 0
    assert search(client, "quokka", headers=r.as_("delegate-chn"))["paragraph_count"] == 0
    found = search(client, "quokka", headers=cofacilitator)["paragraphs"]
    assert [(p["key"], p["revision_state"]) for p in found] == [("para-2", "working")]


def test_bad_searches_are_clear_4xx(client: TestClient) -> None:
    url = SEARCH.format(slug="gcm")
    assert client.get(url).status_code == 422
    assert client.get(url, params={"q": "x" * 201}).status_code == 422
    punctuation = client.get(url, params={"q": "!!! ..."})
    assert punctuation.status_code == 422
    assert punctuation.json()["detail"] == "the search holds no word, number or character to look for"
    assert client.get(SEARCH.format(slug="nope"), params={"q": "order"}).status_code == 404
    unknown = client.get(url, params={"q": "order", "revision": "Rev.9"})
    assert unknown.status_code == 404
    assert client.get(url, params={"q": "100%_"}).status_code == 200  # LIKE wildcards are plain text
