"""Sessions end: a revoked token gets 401, a cookie replayed after sign-out is refused, and a password change
or a disabled account ends every session; only hashes of the secrets are stored."""

import hashlib

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlmodel import Session

from api.db import unit_of_work
from api.models import AuditEvent, UserSession
from api.services import accounts
from tests.conftest import token_for
from tests.web.pages import page_token, post_form, sign_in

ME = "/api/v1/auth/sessions"


def test_a_revoked_token_gets_401_and_others_go_on(client: TestClient) -> None:
    first, second = token_for(client, "delegate-chn"), token_for(client, "delegate-chn")
    listed = client.get(ME, headers=first).json()
    assert [s["kind"] for s in listed] == ["api", "api"] and [s["current"] for s in listed] == [False, True]
    assert client.post("/api/v1/auth/logout", headers=first).status_code == 204
    refused = client.get(ME, headers=first)
    assert refused.status_code == 401 and "revoked" in refused.json()["detail"]
    assert client.get(ME, headers=second).status_code == 200
    (only,) = client.get(ME, headers=second).json()
    assert client.delete(f"{ME}/{only['id']}", headers=second).status_code == 204
    assert client.get(ME, headers=second).status_code == 401


def test_one_cannot_revoke_someone_elses_session(client: TestClient) -> None:
    china, germany = token_for(client, "delegate-chn"), token_for(client, "delegate-deu")
    (theirs,) = client.get(ME, headers=germany).json()
    assert client.delete(f"{ME}/{theirs['id']}", headers=china).status_code == 404
    assert client.get(ME, headers=germany).status_code == 200
    assert client.get(ME).status_code == 401


def test_a_cookie_saved_before_sign_out_is_refused_after_it(client: TestClient) -> None:
    token = sign_in(client, "delegate-chn")
    saved = dict(client.cookies)
    assert "delegate-chn" in client.get("/").text
    assert post_form(client, "/sign-out", token).status_code == 303
    replay = TestClient(client.app, cookies=saved)
    assert "delegate-chn" not in replay.get("/").text
    desk = replay.get("/processes/gcm/desk", follow_redirects=False)
    assert desk.status_code in (303, 401, 403)
    # and no write either: the stale cookie's CSRF token no longer acts for anybody
    write = post_form(replay, "/processes/gcm/proposals", page_token(replay, "/"), paragraph_key="para-1")
    assert write.status_code in (303, 401, 403, 422) and "delegate-chn" not in write.text


def test_password_change_and_disable_end_every_session(client: TestClient, seeded_engine: Engine) -> None:
    api = token_for(client, "delegate-bra")
    sign_in(client, "delegate-bra")
    with unit_of_work(seeded_engine) as session:
        assert accounts.change_password(session, "delegate-bra", "a-new-password") == 2
    assert client.get(ME, headers=api).status_code == 401
    assert "delegate-bra" not in client.get("/").text
    fresh = token_for(client, "delegate-bra", "a-new-password")
    with unit_of_work(seeded_engine) as session:
        assert accounts.set_active(session, "delegate-bra", False) == 1
    assert client.get(ME, headers=fresh).status_code == 401
    signing = client.post(
        "/api/v1/auth/token", data={"username": "delegate-bra", "password": "a-new-password"}
    )
    assert signing.status_code == 401
    with unit_of_work(seeded_engine) as session:
        accounts.set_active(session, "delegate-bra", True)
    assert client.get(ME, headers=token_for(client, "delegate-bra", "a-new-password")).status_code == 200
    with Session(seeded_engine) as session:
        events = session.exec(select(AuditEvent)).scalars().all()
    actions = [e.action for e in events if e.action.startswith("user.") and e.action != "user.added"]
    assert actions == ["user.password_changed", "user.disabled", "user.enabled"]
    assert "a-new-password" not in repr([e.payload for e in events])


def test_only_a_hash_of_the_token_is_stored(client: TestClient, seeded_engine: Engine) -> None:
    token = token_for(client, "observer")["Authorization"].split()[1]
    with Session(seeded_engine) as session:
        stored = session.exec(select(UserSession.secret_sha256)).scalars().all()
    assert stored == [hashlib.sha256(token.encode()).hexdigest()]
