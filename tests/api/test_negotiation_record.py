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
