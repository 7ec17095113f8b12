"""`accord user create|passwd|disable|enable` as an operator runs them, on a fresh production database too."""

import os
import subprocess

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api.app import create_app
from tests.conftest import app_settings
from tests.service.test_cli import ACCORD, run

PRODUCTION_SECRET = "a-production-secret-of-more-than-32-characters"


def _as_production(engine: Engine, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "ACCORD_MODE": "production",
        "ACCORD_SECRET_KEY": PRODUCTION_SECRET,
        "ACCORD_DATABASE_URL": engine.url.render_as_string(hide_password=False),
    }
    return subprocess.run(
        [ACCORD, *args], input=stdin, capture_output=True, text=True, env=env, timeout=120, check=False
    )


def _signs_in(engine: Engine, username: str, password: str) -> int:
    with TestClient(create_app(app_settings(engine), engine)) as client:
        return client.post(
            "/api/v1/auth/token", data={"username": username, "password": password}
        ).status_code


def test_the_first_secretariat_account_of_a_fresh_production_database(engine: Engine) -> None:
    assert _as_production(engine, "seed", "--no-demo").returncode == 0
    # the password is asked for twice, not given on the command line (where `ps` would show it)
    created = _as_production(
        engine, "user", "create", "chief", "--role", "secretariat", stdin="s3cret-pw\ns3cret-pw\n"
    )
    assert created.returncode == 0, created.stderr
    assert "s3cret-pw" not in created.stdout + created.stderr
    assert _signs_in(engine, "chief", "s3cret-pw") == 200
    mismatch = _as_production(engine, "user", "passwd", "chief", stdin="one-password\nanother-one\n" * 3)
    assert mismatch.returncode != 0
    assert _signs_in(engine, "chief", "s3cret-pw") == 200


def test_passwd_disable_and_enable(engine: Engine) -> None:
    run(engine, "seed", "--no-demo")
    assert (
        run(engine, "user", "add", "obs-1", "--password", "first-password", "--role", "observer").returncode
        == 0
    )
    with TestClient(create_app(app_settings(engine), engine)) as client:
        signed = client.post("/api/v1/auth/token", data={"username": "obs-1", "password": "first-password"})
        headers = {"Authorization": f"Bearer {signed.json()['access_token']}"}
        changed = run(engine, "user", "passwd", "obs-1", "--password", "second-password")
        assert changed.returncode == 0 and "1 session(s) ended" in changed.stdout
        assert client.get("/api/v1/auth/sessions", headers=headers).status_code == 401
    assert _signs_in(engine, "obs-1", "first-password") == 401
    assert _signs_in(engine, "obs-1", "second-password") == 200
    assert run(engine, "user", "disable", "obs-1").returncode == 0
    assert _signs_in(engine, "obs-1", "second-password") == 401
    assert run(engine, "user", "enable", "obs-1").returncode == 0
    assert _signs_in(engine, "obs-1", "second-password") == 200
    for args, message in [
        (("passwd", "nobody", "--password", "long-enough"), "no user 'nobody'"),
        (("passwd", "obs-1", "--password", "short"), "at least 8"),
    ]:
        result = run(engine, "user", *args)
        assert result.returncode == 2 and message in result.stderr, result.stderr
