"""Subscriptions, the notification centre and mail, through the JSON API on SQLite and PostgreSQL.

Mail goes to a real SMTP server (aiosmtpd) and is read back as it arrived."""

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from api.app import create_app
from api.models import Notification, OutgoingMail, User
from api.models.base import utcnow
from api.services import mail, notifications
from api.settings import Settings
from tests.api.test_negotiation_round import PARA4, PARA4_COMPROMISE
from tests.api.workflow_helpers import Round
from tests.conftest import app_settings
from tests.mail_server import Inbox, free_port, smtp_server

DEU = "deu@mission.example"
OBSERVER = "observer@press.example"
CHN = "chn@mission.example"


def _smtp_settings(engine: Engine, port: int) -> Settings:
    return app_settings(engine).model_copy(
        update={"mail_transport": "smtp", "smtp_host": "127.0.0.1", "smtp_port": port, "smtp_tls": "none"}
    )


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    with smtp_server() as received:
        yield received


@pytest.fixture
def mail_client(seeded_engine: Engine, inbox: Inbox) -> Iterator[TestClient]:
    """The app sending its mail to the test SMTP server."""
    app = create_app(_smtp_settings(seeded_engine, inbox.port), seeded_engine)
    with TestClient(app) as test_client:
        yield test_client


def _choose(r: Round, username: str, email: str, delivery: str = "instant", **extra: Any) -> None:
    body = {"email": email, "delivery": delivery, **extra}
    r.ok(r.client.put("/api/v1/notifications/settings", json=body, headers=r.as_(username)))


def _watch(r: Round, username: str, paragraph: str | None = None) -> dict[str, Any]:
    body = {"process": "gcm", "paragraph": paragraph}
    return r.ok(r.client.post("/api/v1/subscriptions", json=body, headers=r.as_(username)), 201)


def _told(r: Round, username: str) -> list[dict[str, Any]]:
    return r.ok(r.client.get("/api/v1/notifications", headers=r.as_(username)))


def test_a_delegate_is_mailed_when_its_proposal_is_ruled_on_or_needs_attention(
    mail_client: TestClient, inbox: Inbox
) -> None:
    r = Round(mail_client)
    r.publish_zero_draft()
    _choose(r, "delegate-deu", DEU)  # its own delegation's proposals: followed by default
    group = r.table("delegate-deu", "para-5", "The Global Compact is people-centred.", on_behalf_of="EU")
    r.rule(group["id"], "defer", "To be taken up with objective 8")
    inbox.wait_for(lambda i: len(i.to(DEU)) == 1)
    ruled = inbox.to(DEU)[0]
    assert ruled["To"] == DEU and ruled["From"] == "Accord <accord@localhost>"
    assert ruled["Subject"] == f"[Accord] Ruling on proposal {group['id']} (DEU, para. 5): deferred"
    body = ruled.get_content()
    assert f"proposal {group['id']} by DEU on behalf of EU on para. 5: deferred" in body
    assert "Reason: To be taken up with objective 8" in body
    assert f"http://127.0.0.1:8000/proposals/{group['id']}" in body

    conflict = r.table("delegate-deu", "para-4", PARA4.replace("migration alone", "migration on its own"))
    para4 = r.paragraph(None, "para-4")
    edit = {"text": PARA4_COMPROMISE, "lock_version": para4["lock_version"]}
    r.ok(
        mail_client.patch(
            "/api/v1/processes/gcm/working-copy/paragraphs/para-4", json=edit, headers=r.as_("cofac-mex")
        )
    )
    r.ok(
        mail_client.post(
            "/api/v1/processes/gcm/revisions", json={"label": "Rev.1"}, headers=r.as_("cofac-mex")
        ),
        201,
    )
    inbox.wait_for(lambda i: len(i.to(DEU)) == 2)
    attention = inbox.to(DEU)[1]
    assert (
        attention["Subject"]
        == f"[Accord] proposal {conflict['id']} (DEU, para. 4) needs attention after Rev.1"
    )
    assert "Rev.1 was published and proposal" in attention.get_content()
    kinds = [(n["kind"], n["details"].get("proposal")) for n in _told(r, "delegate-deu")]
    assert kinds == [("needs_attention", str(conflict["id"])), ("proposal_ruled", str(group["id"]))]
    assert inbox.to(OBSERVER) == []


def test_nobody_hears_of_a_proposal_they_may_not_see(mail_client: TestClient, inbox: Inbox) -> None:
    r = Round(mail_client)
    r.publish_zero_draft()
    for username, address in (("observer", OBSERVER), ("delegate-chn", CHN)):
        _choose(r, username, address)
        _watch(r, username, "para-5")
    _watch(r, "observer")  # the whole process too
    pending = r.table("delegate-deu", "para-5", "The Global Compact is people-centred.")
    r.rule(pending["id"], "reject", "Not supported")
    # Another delegation sees every proposal as soon as it is tabled; an observer only after a release.
    assert [n["kind"] for n in _told(r, "delegate-chn")] == ["proposal_ruled", "proposal_tabled"]
    assert _told(r, "observer") == []
    inbox.wait_for(lambda i: len(i.to(CHN)) == 2)
    # A refused ruling rolls back whole: no notification and no mail come of it.
    again = {"decision": "accept", "reason": "Second thoughts"}
    refused = mail_client.post(
        f"/api/v1/proposals/{pending['id']}/rulings", json=again, headers=r.as_("cofac-mex")
    )
    assert refused.status_code == 409
    assert len(_told(r, "delegate-chn")) == 2

    released = r.table("delegate-bra", "para-5", "A released wording.")
    r.ok(mail_client.post("/api/v1/processes/gcm/compilation/release", headers=r.as_("cofac-mex")), 204)
    r.rule(released["id"], "defer", "Later")
    told = _told(r, "observer")
    assert [(n["kind"], n["details"]["proposal"]) for n in told] == [("proposal_ruled", str(released["id"]))]
    assert told[0]["message"] == (
        f"The co-facilitators ruled on proposal {released['id']} by BRA on para. 5: deferred."
    )
    inbox.wait_for(lambda i: len(i.to(OBSERVER)) == 1)
    later = r.table("delegate-deu", "para-5", "Tabled after the release.")
    r.rule(later["id"], "defer", "Later")
    assert len(_told(r, "observer")) == 1  # tabled and ruled after the release: not released yet
    inbox.wait_for(lambda i: len(i.to(CHN)) == 6)
    assert all(str(pending["id"]) not in str(m["Subject"]) for m in inbox.to(OBSERVER))
    assert len(inbox.to(OBSERVER)) == 1


def test_subscriptions_choices_and_the_centre(client: TestClient) -> None:
    r = Round(client)
    r.publish_zero_draft()
    assert r.ok(client.get("/api/v1/notifications/settings", headers=r.as_("delegate-chn"))) == {
        "own_proposals": True,
        "email": "",
        "delivery": "none",
    }
    first = _watch(r, "observer", "para-5")
    assert _watch(r, "observer", "para-5")["id"] == first["id"]  # watching again changes nothing
    whole = _watch(r, "observer")
    listed = r.ok(client.get("/api/v1/subscriptions", headers=r.as_("observer")))
    assert [(s["process"], s["paragraph_key"]) for s in listed] == [("gcm", None), ("gcm", "para-5")]
    missing = client.post(
        "/api/v1/subscriptions", json={"process": "gcm", "paragraph": "para-999"}, headers=r.as_("observer")
    )
    assert missing.status_code == 404
    assert (
        client.delete(f"/api/v1/subscriptions/{whole['id']}", headers=r.as_("delegate-chn")).status_code
        == 404
    )
    r.ok(client.delete(f"/api/v1/subscriptions/{whole['id']}", headers=r.as_("observer")), 204)
    put = "/api/v1/notifications/settings"
    for bad in (
        {"delivery": "instant"},
        {"email": "a@b.example, c@d.example"},
        {"email": "x\r\nBcc: y@z.example"},
        {"delivery": "hourly", "email": "a@b.example"},
    ):
        assert client.put(put, json=bad, headers=r.as_("observer")).status_code == 422, bad
    assert r.ok(client.get(put, headers=r.as_("observer")))["delivery"] == "none"

    # A delegate who stops following its own proposals hears of them no more; the revision reaches watchers.
    r.ok(client.put(put, json={"own_proposals": False}, headers=r.as_("delegate-bra")))
    tabled = r.table("delegate-bra", "para-5", "A wording.")
    r.rule(tabled["id"], "defer", "Later")
    assert _told(r, "delegate-bra") == []
    _watch(r, "delegate-bra")
    r.paragraph(None, "para-5")  # opens the working copy
    r.ok(
        client.post("/api/v1/processes/gcm/revisions", json={"label": "Rev.1"}, headers=r.as_("cofac-mex")),
        201,
    )
    told = _told(r, "delegate-bra")
    assert [n["message"] for n in told] == [
        "Rev.1 of Global Compact for Safe, Orderly and Regular Migration was published."
    ]
    assert told[0]["path"] == "/processes/gcm/revisions/Rev.1" and told[0]["read_at"] is None
    read = "/api/v1/notifications/read"
    assert r.ok(client.post(read, json={"ids": [told[0]["id"]]}, headers=r.as_("observer"))) == {"marked": 0}
    assert r.ok(client.post(read, json={}, headers=r.as_("delegate-bra"))) == {"marked": 1}
    assert r.ok(client.get("/api/v1/notifications?unread=true", headers=r.as_("delegate-bra"))) == []
    assert client.get("/api/v1/notifications").status_code == 401


def test_a_failed_mail_is_kept_and_sent_later_and_the_digest_collects_the_day(seeded_engine: Engine) -> None:
    port = free_port()  # nothing listens there yet: the first attempt fails
    settings = _smtp_settings(seeded_engine, port)
    with TestClient(create_app(settings, seeded_engine)) as client:
        r = Round(client)
        r.publish_zero_draft()
        _choose(r, "delegate-deu", DEU)
        _choose(r, "delegate-chn", CHN, "daily")
        _watch(r, "delegate-chn", "para-5")
        tabled = r.table("delegate-deu", "para-5", "The Global Compact is people-centred.")
        r.rule(tabled["id"], "accept", "Agreed")
    transport = mail.transport_for(settings)
    # Whether or not the app's sender tried already, an attempt now fails too, and the mail is kept.
    due = utcnow() + timedelta(hours=2)
    assert mail.deliver_due(seeded_engine, transport, settings.mail_from, now=due) == mail.DeliveryReport(
        0, 1
    )
    with Session(seeded_engine) as session:
        kept = session.exec(select(OutgoingMail)).all()
        assert [(m.to_address, m.sent_at is None, m.attempts >= 1) for m in kept] == [(DEU, True, True)]
        assert "ConnectionRefusedError" in kept[0].last_error
    with smtp_server(port) as inbox:
        later = utcnow() + timedelta(hours=4)
        assert mail.deliver_due(
            seeded_engine, transport, settings.mail_from, now=later
        ) == mail.DeliveryReport(1, 0)
        assert [m["Subject"] for m in inbox.to(DEU)] == [
            f"[Accord] Ruling on proposal {tabled['id']} (DEU, para. 5): accepted"
        ]
        with Session(seeded_engine) as session:
            queued = notifications.queue_digests(session)
            session.commit()
        assert queued == 1
        assert mail.deliver_due(seeded_engine, transport, settings.mail_from) == mail.DeliveryReport(1, 0)
        digest = inbox.to(CHN)
        assert [m["Subject"] for m in digest] == ["[Accord] Daily digest: 2 notifications"]
        body = digest[0].get_content()
        assert f"DEU tabled proposal {tabled['id']} on para. 5." in body
        assert f"ruled on proposal {tabled['id']} by DEU on para. 5: accepted" in body
        with Session(seeded_engine) as session:
            assert notifications.queue_digests(session) == 0  # nothing new since
            chn = session.exec(select(User).where(User.username == "delegate-chn")).one()
            rows = session.exec(select(Notification).where(Notification.user_id == chn.id)).all()
            assert len(rows) == 2 and all(n.mail_id is not None for n in rows)  # both went out in it
