"""A release covers what was tabled until then, in the wording of then; outsiders hear of it by release."""

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.models import User
from api.services import workspace
from api.services.accounts import actor_for_user_id
from api.services.actors import PUBLIC
from api.services.live import LiveNote
from tests.api.workflow_helpers import Round
from web.events import Listener, _message


def test_an_edit_after_a_release_waits_for_the_next_one(client: TestClient) -> None:
    r = Round(client)
    r.publish_zero_draft()
    tabled = r.table("delegate-deu", "para-5", "The Global Compact is people-centred.")
    release = "/api/v1/processes/gcm/compilation/release"
    r.ok(client.post(release, headers=r.as_("cofac-mex")), 204)
    edit = {
        "text": "The Global Compact is people-centred and rights-based.",
        "lock_version": tabled["lock_version"],
    }
    r.ok(client.patch(f"/api/v1/proposals/{tabled['id']}", json=edit, headers=r.as_("delegate-deu")))
    later = r.table("delegate-bra", "para-6", "A later wording.")
    url = f"/api/v1/proposals/{tabled['id']}"
    assert r.ok(client.get(url))["text"] == "The Global Compact is people-centred."
    assert r.ok(client.get(url, headers=r.as_("observer")))["text"] == tabled["text"]
    assert r.ok(client.get(url, headers=r.as_("delegate-chn")))["text"] == edit["text"]
    listed = r.ok(client.get("/api/v1/processes/gcm/proposals"))
    assert [p["id"] for p in listed] == [tabled["id"]] and listed[0]["text"] == tabled["text"]
    assert client.get(f"/api/v1/proposals/{later['id']}").status_code == 403
    r.ok(client.post(release, headers=r.as_("cofac-che")), 204)
    assert r.ok(client.get(url))["text"] == edit["text"]
    assert {p["id"] for p in r.ok(client.get("/api/v1/processes/gcm/proposals"))} == {
        tabled["id"],
        later["id"],
    }


def test_pending_counts_leave_out_what_no_release_covers(client: TestClient) -> None:
    r = Round(client)
    r.publish_zero_draft()
    r.table("delegate-deu", "para-5", "Released wording.")
    r.ok(client.post("/api/v1/processes/gcm/compilation/release", headers=r.as_("cofac-mex")), 204)
    r.table("delegate-bra", "para-5", "Unreleased wording.")
    r.table("delegate-bra", "para-6", "Unreleased too.")
    engine = client.app.state.engine  # type: ignore[attr-defined]
    with Session(engine) as session:
        assert workspace.pending_counts(session, PUBLIC, "gcm") == {"para-5": 1}
        user = session.exec(select(User).where(User.username == "delegate-chn")).one()
        delegate = actor_for_user_id(session, user.id or 0)
        assert delegate is not None
        assert workspace.pending_counts(session, delegate, "gcm") == {"para-5": 2, "para-6": 1}


def test_outsiders_hear_of_proposals_only_through_a_release() -> None:
    public, delegation = Listener(1, "en", False, False), Listener(1, "en", False, True)
    for action in ("proposal.tabled", "proposal.edited", "proposal.cosponsor_joined", "proposal.ruled"):
        assert _message(LiveNote(7, 1, action), public) == ""
        assert "event: proposals" in _message(LiveNote(7, 1, action), delegation)
    assert "event: proposals" in _message(LiveNote(8, 1, "compilation.released"), public)
    assert "event: revisions" in _message(LiveNote(9, 1, "revision.published"), public)
