"""Helpers for web route tests through FastAPI's test client: signing in with the form and its CSRF token."""

import re

from fastapi.testclient import TestClient
from httpx import Response

from tests.conftest import DEMO_PASSWORD

_TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]+)">')


def csrf_of(response: Response) -> str:
    """The CSRF token a page carries in its <meta> tag."""
    found = _TOKEN.search(response.text)
    assert found, "the page carries no CSRF token"
    return found.group(1)


def page_token(client: TestClient, path: str = "/") -> str:
    """The session's CSRF token, read from a page."""
    return csrf_of(client.get(path))


def sign_in(client: TestClient, username: str, password: str = DEMO_PASSWORD) -> str:
    """Sign in with the form; returns the session's fresh CSRF token."""
    token = page_token(client, "/sign-in")
    response = client.post(
        "/sign-in",
        data={"username": username, "password": password, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return page_token(client)


def post_form(client: TestClient, path: str, token: str, **fields: str) -> Response:
    """Post a form with the CSRF token, not following the redirect."""
    return client.post(path, data={"csrf_token": token, **fields}, follow_redirects=False)
