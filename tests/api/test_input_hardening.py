"""Invisible characters are no amendment, and a retried Idempotency-Key survives a publish that carried it."""

from fastapi.testclient import TestClient

from api.domain.text_input import visible_wording, without_invisible_characters
from tests.api.workflow_helpers import Round

INVISIBLE = ["\u200b", "\u2060", "\ufeff", "\u00ad", "\u180e", "\u2063"]


def test_invisible_characters_are_removed_and_shaping_marks_do_not_count() -> None:
    assert without_invisible_characters("mi\u00adgra\u200btion\u2060\ufeff") == "migration"
    assert without_invisible_characters("می\u200cخواهم") == "می\u200cخواهم"  # ZWNJ shapes Persian
    assert visible_wording(" می\u200cخواهم\u200f ") == "میخواهم"


def test_an_amendment_of_only_invisible_characters_is_refused(client: TestClient) -> None:
    r = Round(client)
    r.publish_zero_draft()
    base = r.paragraph("Zero draft", "para-3")["text"]
    china = r.as_("delegate-chn")
    for char in [*INVISIBLE, "\u200d", "\u200e"]:
        middle = len(base) // 2
        body = {
            "paragraph_key": "para-3",
            "action": "amend",
            "text": base[:middle] + char + base[middle:],
            "justification": "x",
        }
        response = client.post("/api/v1/processes/gcm/proposals", json=body, headers=china)
        assert response.status_code == 422, (hex(ord(char)), response.text)
    only = {"paragraph_key": "para-3", "action": "insert", "text": "\u200b\u2060\u00ad", "justification": "x"}
    assert client.post("/api/v1/processes/gcm/proposals", json=only, headers=china).status_code == 422
    tabled = r.table("delegate-chn", "para-3", base.replace("history", "his\u200btory") + " Indeed.")
    assert tabled["text"] == base + " Indeed."
    assert client.get("/api/v1/processes/gcm/proposals", headers=china).json()[0]["id"] == tabled["id"]


def test_the_same_idempotency_key_after_a_publish_carried_the_proposal_answers_it(client: TestClient) -> None:
    r = Round(client)
    r.publish_zero_draft()
    base = r.paragraph("Zero draft", "para-3")["text"]
    body = {
        "paragraph_key": "para-3",
        "action": "amend",
        "text": base + " We act together.",
        "justification": "for clarity",
    }
    china = {**r.as_("delegate-chn"), "Idempotency-Key": "chn-retry-1"}
    first = r.ok(client.post("/api/v1/processes/gcm/proposals", json=body, headers=china), 201)
    working = r.paragraph(None, "para-3")
    edit = {"text": "Recalling. " + base, "lock_version": working["lock_version"]}
    r.ok(
        client.patch(
            "/api/v1/processes/gcm/working-copy/paragraphs/para-3", json=edit, headers=r.as_("cofac-mex")
        )
    )
    r.ok(
        client.post("/api/v1/processes/gcm/revisions", json={"label": "Rev.1"}, headers=r.as_("cofac-mex")),
        201,
    )
    carried = r.ok(client.get(f"/api/v1/proposals/{first['id']}", headers=china))
    assert carried["text"] != first["text"]  # the publish rebased it onto Rev.1
    retry = client.post("/api/v1/processes/gcm/proposals", json=body, headers=china)
    assert retry.status_code in (200, 201), retry.text
    assert retry.json()["id"] == first["id"]
    other = {**body, "text": base + " Something else."}
    assert client.post("/api/v1/processes/gcm/proposals", json=other, headers=china).status_code == 409
