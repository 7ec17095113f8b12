"""HTTP plumbing shared by the JSON API and the web pages: the request context and error bodies."""

import time
from collections.abc import Callable, Iterator
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Path, Request, Response
from sqlmodel import Session

from api.db import unit_of_work
from api.domain.errors import AccordError, TooManyRequests, Unauthenticated
from api.domain.limits import MAX_ROW_ID
from api.domain.throttle import RateLimiter
from api.services import accounts
from api.services.actors import PUBLIC, Actor
from api.services.context import RequestContext

_READ_METHODS = {"GET", "HEAD", "OPTIONS"}
# The signed cookie holds the secret of a server-side session, which sign-out revokes.
SESSION_SECRET_KEY = "session_secret"


def _actor_for_request(request: Request, session: Session) -> Actor:
    authorization = request.headers.get("authorization", "")
    if authorization:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthenticated("use 'Authorization: Bearer <token>'")
        return accounts.actor_for_token(session, token.strip())
    if request.url.path.startswith("/api/"):
        return PUBLIC  # the JSON API takes bearer tokens only: a cookie would need CSRF protection here
    secret = web_session_secret(request)
    return (accounts.actor_for_session(session, secret, "web") if secret else None) or PUBLIC


def web_session_secret(request: Request) -> str | None:
    """The secret of the browser's session, from its signed cookie."""
    secret = request.session.get(SESSION_SECRET_KEY) if "session" in request.scope else None
    return secret if isinstance(secret, str) else None


def bearer_token(request: Request) -> str | None:
    """The bearer token the request carries, if any."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def request_context(request: Request) -> Iterator[RequestContext]:
    """One transaction per request, committed before the response is sent; reads take no write lock."""
    yield from _context(request, write=request.method not in _READ_METHODS)


def read_context(request: Request) -> Iterator[RequestContext]:
    """A read-only transaction, for requests that change nothing whatever their method (sign-in)."""
    yield from _context(request, write=False)


def _context(request: Request, *, write: bool) -> Iterator[RequestContext]:
    with unit_of_work(request.app.state.engine, write=write) as session:
        yield RequestContext(session=session, actor=_actor_for_request(request, session))


# A row id in a path: out-of-range values are a 422, never a database error.
RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
Context = Annotated[RequestContext, Depends(request_context, scope="function")]
ReadContext = Annotated[RequestContext, Depends(read_context, scope="function")]


def render_publication(request: Request, context: RequestContext, slug: str, label: str) -> None:
    """Have the web layer render the first views of a revision just published, kept in this transaction.

    The web layer installs the renderer (web/sealed.py); an app without web pages renders nothing."""
    renderer: Callable[[Request, RequestContext, str, str], None] | None = getattr(
        request.app.state, "render_publication", None
    )
    if renderer is not None:
        renderer(request, context, slug, label)


def error_body(error: AccordError) -> dict[str, str]:
    """The JSON body of a domain error."""
    return {"error": error.code, "detail": error.message}


def client_address(request: Request) -> str:
    """The client's address (the proxy's forwarded one when uvicorn trusts the proxy)."""
    return request.client.host if request.client else "unknown"


def sign_in(request: Request, session: Session, username: str, password: str, kind: str) -> tuple[Actor, str]:
    """Check a password within the sign-in limits and open a session; TooManyRequests when it must wait.

    The password is checked in the caller's read-only transaction (Argon2 takes a fifth of a second and
    must not hold the write lock); the session is then stored in a short write transaction of its own.
    """
    guard = request.app.state.sign_in_guard
    actor: Actor = guard.attempt(
        username, client_address(request), lambda: accounts.authenticate(session, username, password)
    )
    settings = request.app.state.settings
    ttl = settings.token_ttl_seconds if kind == "api" else settings.session_ttl_seconds
    with unit_of_work(request.app.state.engine) as writer:
        return actor, accounts.open_session(writer, actor, kind, ttl)


def throttle(request: Request, limiter: RateLimiter, key: str | None = None) -> None:
    """Spend one call of the key (default: the client's address); TooManyRequests when it must wait."""
    wait = limiter.take(key or client_address(request), time.monotonic())
    if wait > 0:
        raise TooManyRequests(f"too many requests; try again in {wait:.0f} s", wait)


def file_response(filename: str, media_type: str, content: bytes) -> Response:
    """A download: the file's bytes with its name (RFC 6266, UTF-8 names for Chinese labels)."""
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    return Response(content, media_type=media_type, headers={"Content-Disposition": disposition})


def throttle_verification(request: Request) -> None:
    """Refuse with 429 an address that asks for verification too often (answers are cached, but not free)."""
    throttle(request, request.app.state.verify_limiter)


VerificationThrottle = Annotated[None, Depends(throttle_verification)]
