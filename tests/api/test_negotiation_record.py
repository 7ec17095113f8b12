"""The record of a negotiation is never silently wrong: statuses follow brackets, rulings tell the truth."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from api.models import ParagraphVersion, Revision
from api.services.verification import verify
from tests.api.workflow_helpers import ZERO_DRAFT, Round

PARA5 = "The Global Compact is people-centred and has a strong human dimension"
BRACKETED5 = "The Global Compact is [people-centred][State-led] and has a strong human dimension"
WORKING = "/api/v1/processes/gcm/working-copy/paragraphs"


@pytest.fixture
def r(client: TestClient) -> Round:
    """A round with the GCM zero draft published."""
    round_ = Round(client)
    round_.publish_zero_draft()
    return round_


def _edit(r: Round, key: str, **body: Any) -> Any:
    version = r.paragraph(None, key)["lock_version"]
    return r.client.patch(
        f"{WORKING}/{key}", json={**body, "lock_version": version}, headers=r.as_("cofac-mex")
    )


def _publish(r: Round, label: str) -> dict[str, Any]:
    return r.ok(
        r.client.post("/api/v1/processes/gcm/revisions", json={"label": label}, headers=r.as_("cofac-mex")),
        201,
    )


def test_text_with_brackets_cannot_be_agreed_and_the_refusal_names_them(r: Round) -> None:
    before = r.paragraph(None, "para-5")
    text = before["text"].replace("people-centred", "[people-centred][State-led]")
    refused = _edit(r, "para-5", text=text, status="agreed")
    assert refused.status_code == 422
    assert "«[people-centred]»" in refused.json()["detail"] and "agreed" in refused.json()["detail"]
    assert r.paragraph(None, "para-5") == before  # nothing changed
    r.ok(_edit(r, "para-5", text=text))
    assert r.paragraph(None, "para-5")["status"] == "bracketed"
    ad_ref = _edit(r, "para-5", status="agreed_ad_ref")
    assert ad_ref.status_code == 422 and "agreed ad ref" in ad_ref.json()["detail"]


def test_an_imported_paragraph_with_brackets_reads_and_is_sealed_as_bracketed(
    r: Round, seeded_engine: Engine
) -> None:
    draft = ZERO_DRAFT.read_text().replace(PARA5, BRACKETED5)
    files = {"file": ("rev1.md", draft.encode(), "text/markdown")}
    r.ok(r.client.post("/api/v1/processes/gcm/imports", files=files, headers=r.as_("secretariat")), 201)
    r.ok(
        r.client.post("/api/v1/processes/gcm/imports/current/confirm", json={}, headers=r.as_("secretariat"))
    )
    assert r.paragraph(None, "para-5")["status"] == "bracketed"
    _publish(r, "Rev.1")
    assert r.paragraph("Rev.1", "para-5")["status"] == "bracketed"
    assert r.paragraph("Rev.1", "para-4")["status"] == "open"
    with Session(seeded_engine) as session:
        rev1 = session.exec(select(Revision).where(Revision.label == "Rev.1")).one()
        sealed = session.exec(
            select(ParagraphVersion).where(
                ParagraphVersion.revision_id == rev1.id, ParagraphVersion.text.startswith(BRACKETED5)
            )
        ).one()
        assert sealed.status == "bracketed"
        assert verify(session, "gcm").ok  # the hash sealed the status as stored


PARA9 = "Provide accurate and timely information at all stages of migration."
PARA10 = "Ensure that all migrants have proof of legal identity and adequate documentation."


def _rulings(r: Round, proposal_id: int) -> list[dict[str, Any]]:
    view = r.ok(r.client.get(f"/api/v1/proposals/{proposal_id}", headers=r.as_("cofac-mex")))
    return list(view["rulings"])


def test_an_acceptance_that_does_not_merge_is_refused_and_records_nothing(r: Round) -> None:
    first = r.table("delegate-chn", "para-10", PARA10.replace("legal identity", "identity"))
    second = r.table("delegate-deu", "para-10", PARA10.replace("proof of legal identity", "documents"))
    r.rule(first["id"], "accept", "Agreed")
    refused = r.client.post(
        f"/api/v1/proposals/{second['id']}/rulings",
        json={"decision": "accept", "reason": "Agreed too"},
        headers=r.as_("cofac-mex"),
    )
    assert refused.status_code == 409
    detail = refused.json()["detail"]
    assert f"proposal {second['id']} cannot be accepted as it stands" in detail and "merge editor" in detail
    assert _rulings(r, second["id"]) == []
    assert r.ok(r.client.get(f"/api/v1/proposals/{second['id']}", headers=r.as_("cofac-mex")))["state"] == (
        "submitted"
    )
    assert r.paragraph(None, "para-10")["text"] == PARA10.replace("legal identity", "identity")


def test_a_ruling_is_reflected_only_where_the_revision_says_what_it_accepted(r: Round) -> None:
    kept = r.table("delegate-chn", "para-3", r.paragraph("Zero draft", "para-3")["text"] + " Indeed.")
    undone = r.table("delegate-deu", "para-9", PARA9.replace("timely", "up-to-date"))
    rejected = r.table("delegate-bra", "para-11", "Save lives.")
    inserted = r.table("delegate-zaf", "para-7", "Share data responsibly.", action="insert")
    deleted = r.table("delegate-bra", "para-14", action="delete")
    for proposal in (kept, undone, inserted, deleted):
        r.rule(proposal["id"], "accept", "Agreed")
    r.rule(rejected["id"], "reject", "Out of scope")
    r.ok(_edit(r, "para-9", text=PARA9))  # the co-facilitators put the old wording back
    report = _publish(r, "Rev.1")
    reflected = {_rulings(r, p["id"])[0]["id"] for p in (kept, inserted, deleted)}
    assert set(report["rulings_reflected"]) == reflected
    assert report["rulings_not_reflected"] == [_rulings(r, undone["id"])[0]["id"]]
    assert [x["reflected_in"] for p in (kept, inserted, deleted) for x in _rulings(r, p["id"])] == [
        "Rev.1"
    ] * 3
    assert _rulings(r, undone["id"])[0]["reflected_in"] is None
    assert _rulings(r, rejected["id"])[0]["reflected_in"] is None


def test_the_history_of_an_inserted_paragraph_names_the_proposal_that_inserted_it(r: Round) -> None:
    inserted = r.table("delegate-zaf", "para-7", "Share data responsibly.", action="insert")
    r.rule(inserted["id"], "accept", "Agreed")
    _publish(r, "Rev.1")
    key = next(
        p["key"]
        for p in r.ok(r.client.get("/api/v1/processes/gcm/revisions/Rev.1"))["paragraphs"]
        if p["text"] == "Share data responsibly."
    )
    history = r.ok(
        r.client.get(f"/api/v1/processes/gcm/paragraphs/{key}/history", headers=r.as_("delegate-chn"))
    )
    assert history["inserted_by"] == inserted["id"]
    assert [p["id"] for p in history["proposals"]] == [inserted["id"]]
    assert history["proposals"][0]["rulings"][0]["decision"] == "accept"


def test_an_agreed_paragraph_that_an_acceptance_brackets_is_published_bracketed(
    r: Round, seeded_engine: Engine
) -> None:
    r.ok(_edit(r, "para-5", status="agreed"))
    assert r.paragraph(None, "para-5")["status"] == "agreed"
    text = r.paragraph("Zero draft", "para-5")["text"]
    options = r.table("delegate-chn", "para-5", text.replace("people-centred", "[people-centred][State-led]"))
    r.rule(options["id"], "accept", "Both options stay on the table")
    assert r.paragraph(None, "para-5")["status"] == "bracketed"
    _publish(r, "Rev.1")
    assert r.paragraph("Rev.1", "para-5")["status"] == "bracketed"
    with Session(seeded_engine) as session:
        rev1 = session.exec(select(Revision).where(Revision.label == "Rev.1")).one()
        sealed = session.exec(
            select(ParagraphVersion.status).where(
                ParagraphVersion.revision_id == rev1.id, ParagraphVersion.text.startswith(BRACKETED5)
            )
        ).one()
        assert sealed == "bracketed"
        assert verify(session, "gcm").ok
