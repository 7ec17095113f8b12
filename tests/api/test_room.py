"""The room through the API, on both engines: the cursor, reading marks, the speakers' list, silence."""

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import Engine, update
from sqlmodel import Session, select

from api.models import AuditEvent, SilenceProcedure
from api.models.base import utcnow
from api.services import verification
from tests.api.workflow_helpers import Round

ROOM = "/api/v1/processes/gcm/room"


def _post(r: Round, who: str, path: str, status: int = 200, **body: object) -> dict[str, object]:
    response = r.client.post(ROOM + path, json=body, headers=r.as_(who))
    assert response.status_code == status, response.text
    return dict(response.json())


def test_the_cursor_moves_and_readings_are_marked_in_order(client: TestClient) -> None:
    r = Round(client)
    r.publish_zero_draft()
    assert client.get(ROOM).json()["paragraph"] is None
    moved = _post(r, "cofac-mex", "/cursor", paragraph_key="para-3")
    assert moved["paragraph"]["key"] == "para-3"  # type: ignore[index]
    following = _post(r, "cofac-mex", "/cursor", step=1)
    assert following["position"] == moved["position"] + 1  # type: ignore[operator]
    back = _post(r, "cofac-mex", "/cursor", step=-1)
    assert back["paragraph"]["key"] == "para-3"  # type: ignore[index]
    _post(r, "cofac-mex", "/cursor", 422, paragraph_key="no-such-paragraph")
    _post(r, "delegate-deu", "/cursor", 403, step=1)
    _post(r, "cofac-mex", "/readings", 409, paragraph_key="para-3", reading="second")
    _post(r, "cofac-mex", "/readings", paragraph_key="para-3", reading="first")
    marked = _post(r, "cofac-mex", "/readings", paragraph_key="para-3", reading="second")
    assert marked["readings"] == ["first", "second"]
    seen = client.get(ROOM)
    assert seen.json()["readings"] == ["first", "second"], seen.text  # the public sees the marks


def test_the_speakers_list_is_in_order_and_for_insiders_only(client: TestClient) -> None:
    r = Round(client)
    r.publish_zero_draft()
    _post(r, "cofac-mex", "/cursor", paragraph_key="para-4")
    _post(r, "delegate-deu", "/floor", paragraph_key="para-4")
    _post(r, "delegate-chn", "/floor", paragraph_key="para-4")
    again = _post(r, "delegate-deu", "/floor", paragraph_key="para-4")  # asking twice keeps one place
    assert [s["delegation"] for s in again["speakers"]] == ["DEU", "CHN"]  # type: ignore[union-attr]
    assert client.get(ROOM).json()["speakers"] is None  # the public does not see who asked
    assert client.get(ROOM, headers=r.as_("observer")).json()["speakers"] is None
    first = again["speakers"][0]["id"]  # type: ignore[index]
    given = _post(r, "cofac-mex", f"/floor/{first}/give")
    assert given["speakers"][0]["state"] == "speaking"  # type: ignore[index]
    withdrawn = _post(r, "delegate-chn", "/floor/withdraw", paragraph_key="para-4")
    assert len(withdrawn["speakers"]) == 1  # type: ignore[arg-type]
    _post(r, "delegate-chn", "/floor/withdraw", 409, paragraph_key="para-4")
    cleared = _post(r, "cofac-mex", "/floor/clear", paragraph_key="para-4")
    assert cleared["speakers"] == []


def test_silence_is_broken_with_a_reason_or_passes_at_the_deadline_with_no_job(
    client: TestClient, seeded_engine: Engine
) -> None:
    r = Round(client)
    r.publish_zero_draft()
    _post(r, "cofac-mex", "/cursor", paragraph_key="para-4")
    started = _post(r, "cofac-mex", "/silences", paragraph_key="para-4", text="No State alone.", minutes=30)
    silence = started["silences"][0]  # type: ignore[index]
    assert silence["state"] == "circulating"
    _post(r, "cofac-mex", "/silences", 409, paragraph_key="para-4", text="Twice.", minutes=30)
    _post(r, "delegate-chn", f"/silences/{silence['id']}/break", 422, reason="  ")
    broken = _post(
        r, "delegate-chn", f"/silences/{silence['id']}/break", reason="We need a reference to law."
    )
    assert broken["silences"][0]["state"] == "broken"  # type: ignore[index]
    assert broken["silences"][0]["broken_by"] == "CHN"  # type: ignore[index]

    later = _post(r, "cofac-mex", "/silences", paragraph_key="para-4", text="No State alone can.", minutes=30)
    second = later["silences"][0]["id"]  # type: ignore[index]
    with Session(seeded_engine) as session:  # the clock reaches the deadline
        past = utcnow() - timedelta(seconds=1)
        session.execute(update(SilenceProcedure).where(SilenceProcedure.id == second).values(deadline=past))
        session.commit()
    assert client.get(ROOM).json()["silences"][0]["state"] == "passed"  # read: evaluated, nothing written
    _post(r, "delegate-deu", f"/silences/{second}/break", 409, reason="Too late.")
    _post(r, "cofac-mex", "/cursor", step=1)  # the next write stores the outcome and records it
    with Session(seeded_engine) as session:
        stored = session.get(SilenceProcedure, second)
        assert stored is not None and stored.state == "passed" and stored.settled_at is not None
        actions = [e.action for e in session.exec(select(AuditEvent).order_by(AuditEvent.sequence))]
        assert actions.count("room.silence_passed") == 1 and "room.silence_broken" in actions
        assert verification.verify(session, "gcm").ok
