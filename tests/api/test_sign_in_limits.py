"""Sign-in throttling: guessing meets 429 with Retry-After, and a guesser elsewhere cannot lock anyone out."""

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import Engine

from api.app import create_app
from tests.conftest import DEMO_PASSWORD, app_settings
from tests.web.pages import page_token, post_form

TOKEN = "/api/v1/auth/token"


@pytest.fixture
def app(seeded_engine: Engine) -> Iterator[FastAPI]:
    """One app (one set of limits) that several clients at different addresses talk to."""
    yield create_app(app_settings(seeded_engine), seeded_engine)


def at(app: FastAPI, address: str) -> TestClient:
    """A client calling from the given address."""
    return TestClient(app, client=(address, 40000))


def guess(client: TestClient, username: str, password: str = "wrong-password") -> Response:
    return client.post(TOKEN, data={"username": username, "password": password})


def test_thirty_wrong_passwords_meet_429_and_the_owner_elsewhere_still_signs_in(
    app: FastAPI,
) -> None:
    attacker = at(app, "203.0.113.7")
    statuses = [guess(attacker, "delegate-chn").status_code for _ in range(30)]
    assert statuses[:5] == [401] * 5  # a few typing mistakes cost nothing
    assert statuses.count(429) >= 20
    refused = guess(attacker, "delegate-chn", DEMO_PASSWORD)  # even the right password waits now
    assert refused.status_code == 429 and refused.json()["error"] == "too_many_requests"
    assert 1 <= int(refused.headers["Retry-After"]) <= 300
    owner = at(app, "198.51.100.20")
    assert guess(owner, "delegate-chn", DEMO_PASSWORD).status_code == 200


def test_spraying_many_accounts_from_one_address_is_limited(app: FastAPI) -> None:
    sprayer = at(app, "203.0.113.8")
    statuses = [guess(sprayer, f"someone-{n}").status_code for n in range(32)]
    assert statuses[:30] == [401] * 30 and statuses[30:] == [429, 429]
    assert guess(at(app, "203.0.113.9"), "someone-1").status_code == 401  # other addresses go on


def test_guessing_one_account_from_many_addresses_spares_where_its_owner_signed_in(app: FastAPI) -> None:
    home = at(app, "198.51.100.30")
    assert guess(home, "delegate-deu", DEMO_PASSWORD).status_code == 200
    for n in range(20):
        assert guess(at(app, f"203.0.113.{100 + n}"), "delegate-deu").status_code == 401
    assert guess(at(app, "203.0.113.200"), "delegate-deu", DEMO_PASSWORD).status_code == 429
    assert guess(home, "delegate-deu", DEMO_PASSWORD).status_code == 200


def test_the_sign_in_page_says_to_wait_with_429(app: FastAPI) -> None:
    browser = at(app, "203.0.113.50")
    responses = []
    for _ in range(7):
        token = page_token(browser, "/sign-in")
        responses.append(
            post_form(browser, "/sign-in", token, username="observer", password="nope", next="/")
        )
    assert [r.status_code for r in responses[:5]] == [401] * 5
    assert responses[-1].status_code == 429 and "Try again in" in responses[-1].text
    assert int(responses[-1].headers["Retry-After"]) >= 1
