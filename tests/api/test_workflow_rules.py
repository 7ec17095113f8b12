"""Workflow rules: transitions, idempotency, insertions and deletions, imports, atomic publishing."""

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, text
from sqlmodel import Session, select

from api.db import unit_of_work
from api.domain.errors import InvalidTransition
from api.models import AuditEvent, Proposal, Revision
from api.services import publishing, verification
from api.services.accounts import authenticate
from api.services.inputs import PublishInput
from tests.api.workflow_helpers import Round
from tests.conftest import DEMO_PASSWORD


@pytest.fixture
def r(client: TestClient) -> Round:
    """A round with the GCM zero draft published."""
    round_ = Round(client)
    round_.publish_zero_draft()
    return round_


def test_illegal_moves_are_a_409_that_says_why(r: Round) -> None:
    proposal = r.table("delegate-deu", "para-5", "The Global Compact is people-centred.")
    r.rule(proposal["id"], "reject", "Out of scope")
    again = r.client.post(
        f"/api/v1/proposals/{proposal['id']}/rulings",
        json={"decision": "accept", "reason": "x"},
        headers=r.as_("cofac-mex"),
    )
    assert again.status_code == 409
    assert again.json() == {
        "error": "invalid_transition",
        "detail": "a proposal that is rejected cannot become accepted",
    }
    withdraw = r.client.post(f"/api/v1/proposals/{proposal['id']}/withdraw", headers=r.as_("delegate-deu"))
    assert withdraw.status_code == 409


def test_the_same_idempotency_key_creates_one_proposal(r: Round) -> None:
    body = {
        "paragraph_key": "para-5",
        "action": "amend",
        "text": "A people-centred compact.",
        "justification": "Clearer.",
    }
    headers = {**r.as_("delegate-chn"), "Idempotency-Key": "chn-2018-02-14-1"}
    first = r.ok(r.client.post("/api/v1/processes/gcm/proposals", json=body, headers=headers), 201)
    second = r.ok(r.client.post("/api/v1/processes/gcm/proposals", json=body, headers=headers), 201)
    assert first["id"] == second["id"]
    other = r.client.post("/api/v1/processes/gcm/proposals", json={**body, "text": "Else."}, headers=headers)
    assert other.status_code == 409
    assert len(r.ok(r.client.get("/api/v1/processes/gcm/proposals", headers=r.as_("delegate-chn")))) == 1


@pytest.mark.parametrize(
    ("body", "status", "detail"),
    [
        ({"paragraph_key": "para-5", "action": "amend", "text": ""}, 422, "needs the text"),
        ({"paragraph_key": "para-99", "action": "amend", "text": "x"}, 404, "no paragraph 'para-99'"),
        ({"paragraph_key": "para-5", "action": "rewrite", "text": "x"}, 422, "action"),
        ({"paragraph_key": "para-5", "action": "amend", "text": "bad\u0007bell"}, 422, "control character"),
        (
            {
                "paragraph_key": "para-5",
                "action": "amend",
                "text": "x",
                "justification": "y",
                "on_behalf_of": "EU",
            },
            403,
            "not a member",
        ),
        ({"paragraph_key": "para-5", "action": "amend", "text": "x", "colour": "red"}, 422, "colour"),
        ({"paragraph_key": "para-5", "action": "amend", "text": "x"}, 422, "needs a justification"),
        (
            {"paragraph_key": "para-5", "action": "amend", "text": "x", "justification": " \u200b "},
            422,
            "justification",
        ),
    ],
)
def test_bad_proposals_are_refused_and_change_nothing(
    r: Round, seeded_engine: Engine, body: dict[str, Any], status: int, detail: str
) -> None:
    response = r.client.post("/api/v1/processes/gcm/proposals", json=body, headers=r.as_("delegate-chn"))
    assert response.status_code == status and detail in response.json()["detail"]
    with Session(seeded_engine) as session:
        assert session.exec(select(func.count()).select_from(Proposal)).one() == 0


def test_insertions_deletions_and_changes_reach_the_next_revision(r: Round) -> None:
    insert = r.table(
        "delegate-zaf", "para-7", "Address the needs of migrants in vulnerable situations.", action="insert"
    )
    delete = r.table("delegate-bra", "para-14", action="delete")
    amend = r.table("delegate-chn", "para-9", "Provide accurate information.")
    assert r.rule(insert["id"], "accept", "Agreed")["applied"]
    assert r.rule(delete["id"], "accept", "Agreed")["applied"]
    changed = r.rule(
        amend["id"], "accept_with_changes", "Kept 'timely'", text="Provide accurate and timely information."
    )
    assert changed["working_text"] == "Provide accurate and timely information."
    r.ok(
        r.client.post("/api/v1/processes/gcm/revisions", json={"label": "Rev.1"}, headers=r.as_("cofac-mex")),
        201,
    )
    rev1 = r.ok(r.client.get("/api/v1/processes/gcm/revisions/Rev.1"))
    numbers = [p["number"] for p in rev1["paragraphs"] if p["kind"] == "paragraph"]
    # Rev.1 is numbered again: the insertion (7bis in the working copy) is 8, para. 14 is gone.
    assert numbers[6:9] == ["7", "8", "9"] and "para-14" not in {p["key"] for p in rev1["paragraphs"]}
    inserted = rev1["paragraphs"][[p["key"] for p in rev1["paragraphs"]].index("para-7") + 1]
    assert inserted["text"] == "Address the needs of migrants in vulnerable situations."
    assert inserted["provenance"] == [{"text": inserted["text"], "sources": [f"proposal {insert['id']}"]}]


def test_overlapping_acceptances_are_refused_not_guessed(r: Round) -> None:
    first = r.table("delegate-chn", "para-10", "Ensure that all migrants have proof of identity.")
    second = r.table("delegate-deu", "para-10", "Ensure that all migrants have legal documents.")
    r.rule(first["id"], "accept", "Agreed")
    refused = r.client.post(
        f"/api/v1/proposals/{second['id']}/rulings",
        json={"decision": "accept", "reason": "Agreed too"},
        headers=r.as_("cofac-mex"),
    )
    assert refused.status_code == 409 and "cannot be accepted as it stands" in refused.json()["detail"]
    assert r.paragraph(None, "para-10")["text"] == "Ensure that all migrants have proof of identity."


def test_a_failure_half_way_through_publishing_leaves_nothing_published(
    r: Round, seeded_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    pending = r.table("delegate-chn", "para-9", "Provide timely information.")
    r.rule(r.table("delegate-deu", "para-3", "Migration is human.")["id"], "accept", "Agreed")
    with Session(seeded_engine) as session:
        events_before = session.exec(select(func.count()).select_from(AuditEvent)).one()
        cofacilitator = authenticate(session, "cofac-mex", DEMO_PASSWORD)

    def broken_carry(*_args: object) -> None:
        raise InvalidTransition("disk full")  # stands in for any failure after the revision was sealed

    monkeypatch.setattr(publishing, "_carry", broken_carry)
    r.ok(r.client.post(f"/api/v1/proposals/{pending['id']}/withdraw", headers=r.as_("delegate-chn")))
    r.table("delegate-chn", "para-9", "Provide useful information.")
    with pytest.raises(InvalidTransition), unit_of_work(seeded_engine) as session:
        publishing.publish(session, cofacilitator, "gcm", PublishInput(label="Rev.1"))
    with Session(seeded_engine) as session:
        assert session.exec(select(Revision).where(Revision.label == "Rev.1")).first() is None
        assert session.exec(select(func.count()).select_from(AuditEvent)).one() == events_before + 2
        states = {p.state for p in session.exec(select(Proposal)).all()}
        assert states == {"accepted", "withdrawn", "submitted"}
        assert all(p.rebase_status is None for p in session.exec(select(Proposal)).all())


def test_import_aligns_to_the_previous_revision_and_accepts_corrections(r: Round) -> None:
    draft = (
        "# Preamble\n\n1. We, the Heads of State and Government, meeting in Marrakech, reaffirm the New York "
        "Declaration.\n\n2. This Global Compact rests on the purposes and principles of the Charter of the "
        "United Nations and on the Universal Declaration of Human Rights.\n\n3. A wholly new paragraph.\n"
    )
    r.ok(
        r.client.patch(
            "/api/v1/processes/gcm/working-copy/paragraphs/para-1",
            json={"status": "agreed", "lock_version": 1},
            headers=r.as_("cofac-mex"),
        )
    )
    busy = r.client.post(
        "/api/v1/processes/gcm/imports",
        files={"file": ("rev1.md", draft.encode(), "text/markdown")},
        headers=r.as_("secretariat"),
    )
    assert busy.status_code == 409  # a working copy is already open
    r.ok(
        r.client.post("/api/v1/processes/gcm/revisions", json={"label": "Rev.1"}, headers=r.as_("cofac-mex")),
        201,
    )
    imported = r.ok(
        r.client.post(
            "/api/v1/processes/gcm/imports",
            files={"file": ("rev2.md", draft.encode(), "text/markdown")},
            headers=r.as_("secretariat"),
        ),
        201,
    )
    continues = [p["continues"] for p in imported["paragraphs"]]
    assert continues == ["sec-1", "para-1", "para-2", None]
    assert "para-15" in imported["deleted"]
    early = r.client.post(
        "/api/v1/processes/gcm/revisions", json={"label": "Rev.2"}, headers=r.as_("cofac-mex")
    )
    assert early.status_code == 409 and "confirmed" in early.json()["detail"]
    confirmed = r.ok(
        r.client.post(
            "/api/v1/processes/gcm/imports/current/confirm",
            json={"corrections": {"3": "para-3"}},
            headers=r.as_("secretariat"),
        )
    )
    assert [p["continues"] for p in confirmed["paragraphs"]] == ["sec-1", "para-1", "para-2", "para-3"]
    r.ok(
        r.client.post("/api/v1/processes/gcm/revisions", json={"label": "Rev.2"}, headers=r.as_("cofac-mex")),
        201,
    )
    history = r.ok(r.client.get("/api/v1/processes/gcm/paragraphs/para-3/history"))
    assert [a["revision"]["label"] for a in history["appearances"]] == ["Zero draft", "Rev.1", "Rev.2"]
    assert history["appearances"][-1]["text"] == "A wholly new paragraph."


@pytest.mark.parametrize(
    ("name", "content", "detail"),
    [
        ("empty.md", b"", "is empty"),
        ("gbk.md", "第一段".encode("gbk"), "not valid UTF-8"),
        ("draft.docx", b"PK\x03\x04", "is not a Word (.docx) file"),
        ("draft.pdf", b"%PDF-1.4", "takes .docx, .txt or .md"),
        ("nul.txt", b"1. One\x00two", "control character"),
    ],
)
def test_bad_imports_are_refused_and_open_nothing(r: Round, name: str, content: bytes, detail: str) -> None:
    r.ok(
        r.client.post("/api/v1/processes/gcm/revisions", json={"label": "x"}, headers=r.as_("cofac-mex")), 409
    )
    response = r.client.post(
        "/api/v1/processes/gcm/imports",
        files={"file": (name, content, "text/plain")},
        headers=r.as_("secretariat"),
    )
    assert response.status_code == 422 and detail in response.json()["detail"]
    assert (
        r.client.get("/api/v1/processes/gcm/imports/current", headers=r.as_("secretariat")).status_code == 409
    )


def test_many_proposals_then_publish_keeps_the_chain_verifiable(r: Round) -> None:
    for n in range(11):  # two-digit ids once sorted as text used to break the hash of the publish event
        r.table("delegate-chn", f"para-{n + 1}", f"Paragraph {n} reworded.")
    r.paragraph(None, "para-1")  # opens the working copy
    r.ok(
        r.client.post("/api/v1/processes/gcm/revisions", json={"label": "Rev.1"}, headers=r.as_("cofac-mex")),
        201,
    )
    assert r.ok(r.client.get("/api/v1/processes/gcm/verify"))["ok"] is True


def test_rewriting_a_revision_and_its_stored_hash_together_is_still_caught(
    r: Round, seeded_engine: Engine
) -> None:
    with seeded_engine.begin() as connection:
        last = "SELECT MAX(id) FROM paragraph_version"
        connection.execute(text(f"UPDATE paragraph_version SET text = 'Forged.' WHERE id = ({last})"))
    with Session(seeded_engine) as session:
        from api.services.revisions import compute_content_hash, get_process

        process = get_process(session, "gcm")
        revision = session.exec(select(Revision).where(Revision.label == "Zero draft")).one()
        forged_hash = compute_content_hash(session, process, revision)
    with seeded_engine.begin() as connection:
        connection.execute(
            text("UPDATE revision SET content_hash = :h WHERE label = 'Zero draft'"), {"h": forged_hash}
        )
    verdict = r.ok(r.client.get("/api/v1/processes/gcm/verify"))
    assert verdict["ok"] is False and "chain:" in verdict["revisions"][0]["stored_hash"]


def test_two_insertions_after_one_paragraph_keep_their_order(r: Round) -> None:
    first = r.table("delegate-zaf", "para-7", "First insertion.", action="insert")
    second = r.table("delegate-bra", "para-7", "Second insertion.", action="insert")
    r.rule(first["id"], "accept", "Agreed")
    r.rule(second["id"], "accept", "Agreed")
    view = r.ok(r.client.get("/api/v1/processes/gcm/working-copy", headers=r.as_("cofac-mex")))
    numbers = [p["number"] for p in view["paragraphs"] if p["kind"] == "paragraph"]
    assert numbers[6:10] == ["7", "7bis", "7ter", "8"]


@pytest.mark.parametrize(
    ("decision", "action", "text_", "status", "detail"),
    [
        ("accept", "amend", "Other words.", 422, "only a ruling that accepts with changes carries text"),
        ("accept_with_changes", "delete", "Kept.", 422, "a deletion is accepted or not"),
        ("accept_with_changes", "amend", None, 422, "needs the co-facilitators' text"),
    ],
)
def test_rulings_with_the_wrong_text_are_refused(
    r: Round, decision: str, action: str, text_: str | None, status: int, detail: str
) -> None:
    proposal = r.table(
        "delegate-deu", "para-12", "" if action == "delete" else "Counter smuggling.", action=action
    )
    body = {"decision": decision, "reason": "because", **({"text": text_} if text_ is not None else {})}
    response = r.client.post(
        f"/api/v1/proposals/{proposal['id']}/rulings", json=body, headers=r.as_("cofac-mex")
    )
    assert response.status_code == status and detail in response.json()["detail"]
    assert (
        r.ok(r.client.get(f"/api/v1/proposals/{proposal['id']}", headers=r.as_("delegate-deu")))["state"]
        == "submitted"
    )


def test_accepting_an_amendment_to_a_deleted_paragraph_is_a_conflict(r: Round) -> None:
    deletion = r.table("delegate-bra", "para-13", action="delete")
    amendment = r.table("delegate-chn", "para-13", "We will implement it together.")
    r.rule(deletion["id"], "accept", "Agreed")
    response = r.client.post(
        f"/api/v1/proposals/{amendment['id']}/rulings",
        json={"decision": "accept", "reason": "x"},
        headers=r.as_("cofac-mex"),
    )
    assert response.status_code == 409 and "no longer in the working copy" in response.json()["detail"]


def test_working_copy_labels_are_reserved_and_reading_opens_nothing(r: Round) -> None:
    assert r.client.get("/api/v1/processes/gcm/working-copy", headers=r.as_("cofac-mex")).status_code == 404
    r.paragraph(None, "para-1")  # opens it (POST)
    response = r.client.post(
        "/api/v1/processes/gcm/revisions", json={"label": "Working copy 1"}, headers=r.as_("cofac-mex")
    )
    assert response.status_code == 422 and "Working copy" in response.json()["detail"]


def test_co_sponsors_stay_on_record_once_a_proposal_is_decided(r: Round) -> None:
    proposal = r.table("delegate-deu", "para-5", "People first.")
    r.ok(r.client.post(f"/api/v1/proposals/{proposal['id']}/cosponsors", headers=r.as_("delegate-zaf")))
    r.rule(proposal["id"], "reject", "No")
    leave = r.client.delete(f"/api/v1/proposals/{proposal['id']}/cosponsors", headers=r.as_("delegate-zaf"))
    assert leave.status_code == 409


def test_a_release_covers_what_was_tabled_before_it(r: Round) -> None:
    before = r.table("delegate-deu", "para-5", "People first.")
    r.ok(r.client.post("/api/v1/processes/gcm/compilation/release", headers=r.as_("cofac-mex")), 204)
    after = r.table("delegate-chn", "para-6", "Sovereignty first.")
    observer = r.as_("observer")
    assert r.client.get(f"/api/v1/proposals/{before['id']}", headers=observer).status_code == 200
    assert r.client.get(f"/api/v1/proposals/{after['id']}", headers=observer).status_code == 403
    listed = r.ok(r.client.get("/api/v1/processes/gcm/proposals"))
    assert [p["id"] for p in listed] == [before["id"]]


def test_bidirectional_overrides_are_refused(r: Round) -> None:
    body = {
        "paragraph_key": "para-5",
        "action": "amend",
        "text": "Reads \u202eesrever\u202c here.",
        "justification": "x",
    }
    response = r.client.post("/api/v1/processes/gcm/proposals", json=body, headers=r.as_("delegate-chn"))
    assert response.status_code == 422 and "U+202E" in response.json()["detail"]


def test_an_oversized_chunked_body_gets_413(r: Round) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(30):
            yield b"x" * 100_000

    response = r.client.post(
        "/api/v1/processes/gcm/proposals", content=chunks(), headers=r.as_("delegate-chn")
    )
    assert response.status_code == 413


def test_a_forged_token_is_refused(r: Round) -> None:
    token = r.as_("delegate-chn")["Authorization"]
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    response = r.client.get("/api/v1/processes", headers={"Authorization": forged})
    assert response.status_code == 401 and response.json()["detail"] == "the token is not valid"


def test_the_summary_of_a_published_revision_is_sealed_too(r: Round, seeded_engine: Engine) -> None:
    r.paragraph(None, "para-1")
    body = {"label": "Rev.1", "summary": "Objectives reordered."}
    r.ok(r.client.post("/api/v1/processes/gcm/revisions", json=body, headers=r.as_("cofac-mex")), 201)
    assert r.ok(r.client.get("/api/v1/processes/gcm/verify"))["ok"] is True
    with seeded_engine.begin() as connection:
        connection.execute(text("UPDATE revision SET summary = 'Nothing changed.' WHERE label = 'Rev.1'"))
    with Session(seeded_engine) as session:  # the full recomputation: the API's answer is cached by head
        checks = verification.verify(session, "gcm").revisions
    assert [c.ok for c in checks] == [True, False]
