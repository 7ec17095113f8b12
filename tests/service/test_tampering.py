"""Every fact a negotiator relies on is sealed: a direct edit of a row makes verification fail, naming it."""

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlmodel import Session

from api.db import unit_of_work
from api.services import accounts, verification
from tests.api.workflow_helpers import Round

PARA3 = (
    "Migration has been part of the human experience throughout history, and we recognize that it is a "
    "source of prosperity, innovation and sustainable development in our interconnected world."
)
USER = "(SELECT id FROM user_account WHERE username = '{}')"
DELEGATION = "(SELECT id FROM delegation WHERE code = '{}')"
GCM = "(SELECT id FROM process WHERE slug = 'gcm')"


@pytest.fixture
def record(client: TestClient) -> Iterator[dict[str, Any]]:
    """A GCM round: tabled on behalf of a group, co-sponsored (one left), ruled, released, published."""
    r = Round(client)
    r.publish_zero_draft()
    ruled = r.table("delegate-chn", "para-3", PARA3, on_behalf_of="G77")
    r.ok(client.post(f"/api/v1/proposals/{ruled['id']}/cosponsors", headers=r.as_("delegate-deu")))
    pending = r.table("delegate-bra", "para-4", "No State can manage migration by itself.")
    r.ok(client.post(f"/api/v1/proposals/{pending['id']}/cosponsors", headers=r.as_("delegate-zaf")))
    r.ok(client.delete(f"/api/v1/proposals/{pending['id']}/cosponsors", headers=r.as_("delegate-zaf")))
    r.rule(ruled["id"], "accept_with_changes", "Widely supported", text=PARA3.replace("our", "this"))
    r.ok(client.post("/api/v1/processes/gcm/compilation/release", headers=r.as_("cofac-mex")), 204)
    r.ok(
        client.post("/api/v1/processes/gcm/revisions", json={"label": "Rev.1"}, headers=r.as_("cofac-mex")),
        201,
    )
    yield {"ruled": ruled["id"], "pending": pending["id"], "round": r}


# (what was tampered with, the SQL, what verification must name): {ruled} and {pending} are proposal ids.
TAMPERINGS = [
    (
        "proposal text",
        "UPDATE proposal SET text = 'Forged.' WHERE id = {ruled}",
        "proposal {ruled}: text_sha256",
    ),
    (
        "proposal kind",
        "UPDATE proposal SET action = 'delete' WHERE id = {pending}",
        "proposal {pending}: action",
    ),
    (
        "sponsor",
        f"UPDATE proposal SET sponsor_id = {DELEGATION.format('FRA')} WHERE id = {{pending}}",
        "proposal {pending}: sponsor",
    ),
    (
        "on behalf of",
        "UPDATE proposal SET on_behalf_of_id = NULL WHERE id = {ruled}",
        "proposal {ruled}: on_behalf_of",
    ),
    ("state", "UPDATE proposal SET state = 'rejected' WHERE id = {ruled}", "proposal {ruled}: state"),
    (
        "co-sponsorship date",
        "UPDATE cosponsorship SET joined_at = '2001-01-01 00:00:00' WHERE proposal_id = {ruled}",
        "proposal {ruled}: cosponsors_sha256",
    ),
    (
        "co-sponsorship withdrawal undone",
        "UPDATE cosponsorship SET withdrawn_at = NULL WHERE proposal_id = {pending}",
        "proposal {pending}: cosponsors_sha256",
    ),
    (
        "co-sponsorship deleted",
        "DELETE FROM cosponsorship WHERE proposal_id = {ruled}",
        "proposal {ruled}: cosponsors_sha256",
    ),
    ("ruling decision", "UPDATE ruling SET decision = 'reject'", "proposal {ruled}: rulings_sha256"),
    ("ruling reason", "UPDATE ruling SET reason = 'Nobody wanted it'", "proposal {ruled}: rulings_sha256"),
    ("ruling text", "UPDATE ruling SET text = 'Other words.'", "proposal {ruled}: rulings_sha256"),
    (
        "ruling author",
        f"UPDATE ruling SET ruled_by_id = {USER.format('cofac-che')}",
        "proposal {ruled}: rulings_sha256",
    ),
    ("ruling deleted", "DELETE FROM ruling", "proposal {ruled}: rulings_sha256"),
    (
        "proposal deleted",
        "DELETE FROM cosponsorship WHERE proposal_id = {pending}; DELETE FROM proposal WHERE id = {pending}",
        "proposal {pending} is in the record, but its row was deleted",
    ),
    (
        "release moved",
        f"UPDATE process SET compilation_released_at = '2099-01-01 00:00:00' WHERE id = {GCM}",
        "released_at",
    ),
    ("release undone", f"UPDATE process SET compilation_released_at = NULL WHERE id = {GCM}", "released_at"),
    (
        "role escalated",
        "UPDATE role_grant SET role = 'secretariat', process_id = NULL "
        f"WHERE user_id = {USER.format('observer')}",
        "roles_sha256",
    ),
    (
        "role granted",
        f"INSERT INTO role_grant (user_id, process_id, role) VALUES ({USER.format('delegate-chn')}, {GCM}, "
        "'cofacilitator')",
        "roles_sha256",
    ),
    (
        "password hash replaced",
        "UPDATE user_account SET password_hash = (SELECT password_hash FROM user_account "
        "WHERE username = 'delegate-chn') WHERE username = 'observer'",
        "password_sha256",
    ),
    (
        "account re-enabled or disabled",
        "UPDATE user_account SET is_active = false WHERE username = 'observer'",
        "is_active",
    ),
    ("mandate element", "UPDATE mandate_element SET text = 'Forged.' WHERE code = 'a'", "mandate_sha256"),
    (
        "forged account",
        "INSERT INTO user_account (username, display_name, password_hash, is_active, created_at) "
        "VALUES ('intruder', 'x', 'x', true, '2020-01-01 00:00:00')",
        "has no record in the audit chain",
    ),
    (
        "forged proposal",
        "INSERT INTO proposal (process_id, base_revision_id, paragraph_id, action, text, base_text, "
        "justification, sponsor_id, author_id, state, rebase_note, created_at, updated_at, lock_version) "
        "SELECT process_id, base_revision_id, paragraph_id, action, 'Forged.', base_text, '', sponsor_id, "
        "author_id, 'submitted', '', created_at, updated_at, 1 FROM proposal WHERE id = {pending}",
        "has no record in the audit chain",
    ),
]


def _problems(engine: Engine, sql: str) -> list[str]:
    """Apply a tampering inside a transaction, verify through that same transaction, and roll it back."""
    with engine.connect() as connection:
        for statement in sql.split("; "):
            connection.execute(text(statement))
        with Session(bind=connection) as session:
            report = verification.verify(session, "gcm")
        connection.rollback()
    assert not report.ok
    return [line for line in report.lines() if "record:" in line or "ALTERED" in line or "sealed" in line]


def test_every_kind_of_fact_is_sealed(record: dict[str, Any], seeded_engine: Engine) -> None:
    with Session(seeded_engine) as session:
        clean = verification.verify(session)
    assert clean.ok, clean.lines()
    missed = []
    for what, sql, named in TAMPERINGS:
        problems = _problems(seeded_engine, sql.format(**record))
        if not any(named.format(**record) in line for line in problems):
            missed.append(f"{what}: {problems}")
    assert missed == []
    with Session(seeded_engine) as session:
        assert verification.verify(session).ok  # every tampering was rolled back


def test_a_forged_published_revision_fails_and_is_not_served(
    record: dict[str, Any], seeded_engine: Engine
) -> None:
    client = record["round"].client
    with seeded_engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO revision (process_id, sequence, label, language, state, summary, content_hash, "
                f"source, created_at, published_at, lock_version) SELECT {GCM}, 99, 'Rev.9', language, "
                "'published', '', content_hash, source, created_at, published_at, 1 FROM revision "
                "WHERE label = 'Rev.1'"
            )
        )
    assert client.get("/api/v1/processes/gcm/current").json()["revision"]["label"] == "Rev.1"
    with Session(seeded_engine) as session:
        report = verification.verify(session, "gcm")
    assert not report.ok
    assert "gcm Rev.9: published, but no publication in the chain sealed it" in report.lines()


def test_since_an_earlier_head_detects_truncation_and_rewrite(
    record: dict[str, Any], seeded_engine: Engine
) -> None:
    client = record["round"].client
    head = client.get("/api/v1/processes/gcm/verify").json()
    assert head["ok"] and head["head_at"]
    again = client.get("/api/v1/processes/gcm/verify", params={"since": head["head_hash"]}).json()
    assert again["ok"] and again["since"] == {
        "hash": head["head_hash"],
        "found": True,
        "sequence": head["events"],
    }
    with seeded_engine.begin() as connection:  # the last event removed: the chain alone still links up
        connection.execute(
            text("DELETE FROM audit_event WHERE sequence = (SELECT MAX(sequence) FROM audit_event)")
        )
    with Session(seeded_engine) as session:
        assert verification.verify(session, "gcm").chain_problem is None
        truncated = verification.verify(session, "gcm", since=head["head_hash"])
    assert not truncated.ok and truncated.since is not None and not truncated.since.ok
    assert any("NOT in the chain" in line for line in truncated.lines())
    answer = client.get("/api/v1/processes/gcm/verify", params={"since": head["head_hash"]}).json()
    assert answer["ok"] is False and answer["since"]["found"] is False
    assert client.get("/api/v1/processes/gcm/verify", params={"since": "not-a-hash"}).status_code == 422


def test_changes_made_through_accord_keep_the_record_verified(seeded_engine: Engine) -> None:
    with unit_of_work(seeded_engine) as session:
        accounts.change_password(session, "observer", "a-new-password-1")
        accounts.set_active(session, "delegate-bra", False)
    with Session(seeded_engine) as session:
        report = verification.verify(session)
    assert report.ok, report.lines()
    with seeded_engine.begin() as connection:  # re-enabled behind Accord's back
        connection.execute(text("UPDATE user_account SET is_active = true WHERE username = 'delegate-bra'"))
    with Session(seeded_engine) as session:
        assert any("is_active changed" in line for line in verification.verify(session).lines())
