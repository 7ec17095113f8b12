"""CSRF protection: one token per session, required on every state-changing request of the web UI.

Forms carry it in a hidden field; htmx sends it in the X-CSRF-Token header, which our own static script
copies from the page's <meta name="csrf-token">. Signing in rotates it.
"""

import secrets

from fastapi import Request

from api.domain.errors import Forbidden

CSRF_SESSION_KEY = "csrf_token"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def csrf_token(request: Request) -> str:
    """The session's token, created on first use."""
    token = request.session.get(CSRF_SESSION_KEY)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        request.session[CSRF_SESSION_KEY] = token
    return token


def rotate_csrf_token(request: Request) -> str:
    """A fresh token (after signing in, so a token planted before cannot be reused)."""
    request.session[CSRF_SESSION_KEY] = secrets.token_urlsafe(32)
    return str(request.session[CSRF_SESSION_KEY])


async def check_csrf(request: Request) -> None:
    """Refuse a state-changing request whose token is missing or wrong (a router-wide dependency)."""
    if request.method in _SAFE_METHODS:
        return
    expected = request.session.get(CSRF_SESSION_KEY)
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and _is_form(request):
        value = (await request.form()).get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not isinstance(expected, str) or not sent or not secrets.compare_digest(expected, sent):
        raise Forbidden(
            "this form has expired or did not come from Accord; reload the page and submit it again"
        )


def _is_form(request: Request) -> bool:
    content_type = request.headers.get("content-type", "")
    return content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data"))
