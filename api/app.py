"""The FastAPI application: JSON API under /api/v1, web pages at /, one error policy for both."""

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from sqlalchemy.exc import DataError, OperationalError
from starlette.middleware.sessions import SessionMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.caching import RenderCache
from api.db import make_engine
from api.domain.errors import AccordError, TooManyRequests
from api.domain.throttle import RateLimiter, retry_after_header
from api.http import error_body
from api.openapi import install_openapi
from api.routes import (
    auth,
    documents,
    history,
    notifications,
    processes,
    proposals,
    revisions,
    room,
    search,
    system,
)
from api.services.mail import MailSender
from api.services.sign_in_guard import SignInGuard
from api.services.verification import ReportCache
from api.settings import Settings, get_settings
from web import install_web
from web.errors import render_error_page

API_PREFIX = "/api/v1"
VENDOR_PACKAGES = ("htmx.org", "htmx-ext-sse", "swagger-ui-dist")
# No inline script or style anywhere: everything comes from our own origin.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'"
)


class BodySizeLimit:
    """Refuse request bodies over the limit with 413, before any handler reads them."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await _too_large(self.max_bytes)(scope, receive, send)
            return
        if declared is not None:
            await self.app(scope, receive, send)
            return
        # No length declared (chunked): read it all here, within the limit, then hand it on.
        messages = await self._buffer(receive)
        if messages is None:
            await _too_large(self.max_bytes)(scope, receive, send)
            return
        await self.app(scope, _replay(messages, receive), send)

    async def _buffer(self, receive: Receive) -> list[Message] | None:
        messages: list[Message] = []
        seen = 0
        while True:
            message = await receive()
            messages.append(message)
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                return None
            if message["type"] != "http.request" or not message.get("more_body", False):
                return messages


def _replay(messages: list[Message], receive: Receive) -> Receive:
    pending = list(messages)

    async def replayed() -> Message:
        return pending.pop(0) if pending else await receive()

    return replayed


def _too_large(limit: int) -> Response:
    return JSONResponse({"error": "payload_too_large", "detail": f"request body over {limit} bytes"}, 413)


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIX) or request.url.path in ("/openapi.json",)


async def _handle_accord_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, AccordError)
    if _wants_json(request):
        response: Response = JSONResponse(error_body(error), status_code=error.status_code)
    else:
        response = render_error_page(request, error.status_code, error.message, error.field)
    if isinstance(error, TooManyRequests):
        response.headers["Retry-After"] = retry_after_header(error.retry_after)
    return response


# Serialisation failures and deadlocks (PostgreSQL), a lock wait that ran out (SQLite): nothing was written,
# and the same request may simply be sent again.
_RETRYABLE_SQLSTATES = {"40001", "40P01", "55P03"}


async def _handle_busy_database(request: Request, error: Exception) -> Response:
    assert isinstance(error, OperationalError)
    code = getattr(error.orig, "sqlstate", None)
    if code not in _RETRYABLE_SQLSTATES and "database is locked" not in str(error.orig):
        raise error
    detail = "the database was busy with another change; nothing was saved, please try again"
    if _wants_json(request):
        return JSONResponse({"error": "busy", "detail": detail}, 503, headers={"Retry-After": "1"})
    return render_error_page(request, 503, detail)


async def _handle_unstorable_value(request: Request, error: Exception) -> Response:
    # The last line of defence: a NUL byte or an out-of-range number that no validator caught. The
    # transaction has rolled back, so nothing was saved; the input, not the server, is at fault.
    cause = str(error.orig if isinstance(error, DataError) else error).splitlines()[0]
    detail = f"a value in the request cannot be stored or looked up: {cause}"
    if _wants_json(request):
        return JSONResponse({"error": "invalid_input", "detail": detail}, 422)
    return render_error_page(request, 422, detail)


async def _handle_validation_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    problems = [
        f"{'.'.join(str(p) for p in item.get('loc', ())[1:]) or 'body'}: {item.get('msg', 'invalid')}"
        for item in error.errors()
    ]
    if _wants_json(request):
        return JSONResponse(
            {"error": "invalid_input", "detail": "; ".join(problems), "problems": problems}, 422
        )
    # Form fields are in the body: ("body", name); the first one at fault is the one to point at.
    where: list[object] = list(error.errors()[0].get("loc", ())) if error.errors() else []
    field = str(where[1]) if len(where) > 1 and where[0] == "body" else None
    return render_error_page(request, 422, "; ".join(problems), field)


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    """Build the application for the given (or configured) settings and database engine."""
    settings = settings or get_settings()
    settings.check_servable()
    app = FastAPI(
        title="Accord",
        summary="Drafting workspace for intergovernmental negotiations",
        version="0.1.0",
        openapi_url="/openapi.json",
        docs_url=None,  # served below from the npm copy of swagger-ui: nothing loads from a CDN
        redoc_url=None,
    )
    app.state.engine = engine or make_engine(settings.database_url)
    app.state.settings = settings
    app.state.sign_in_guard = SignInGuard(
        free_failures=settings.sign_in_free_failures,
        max_lockout_seconds=settings.sign_in_max_lockout_seconds,
        checks_at_once=settings.password_checks_at_once,
    )
    app.state.render_cache = RenderCache(settings.render_cache_bytes)
    app.state.verify_limiter = RateLimiter(
        settings.verify_calls_per_minute, 60.0, burst=settings.verify_calls_per_minute
    )
    app.state.verify_cache = ReportCache(settings.verify_cache_seconds)
    app.state.mail_sender = MailSender(app.state.engine, settings)
    app.include_router(APIRouter(lifespan=_mail_lifespan(app.state.mail_sender, settings)))
    app.include_router(system.router, prefix=API_PREFIX)
    app.include_router(auth.router, prefix=API_PREFIX)
    # Before processes: /revisions/{label}.docx would otherwise be read as a label ending in .docx.
    app.include_router(documents.router, prefix=API_PREFIX)
    app.include_router(processes.router, prefix=API_PREFIX)
    app.include_router(history.router, prefix=API_PREFIX)
    app.include_router(proposals.router, prefix=API_PREFIX)
    app.include_router(revisions.router, prefix=API_PREFIX)
    app.include_router(notifications.router, prefix=API_PREFIX)
    app.include_router(search.router, prefix=API_PREFIX)
    app.include_router(room.router, prefix=API_PREFIX)
    install_web(app, settings)
    app.mount("/static", StaticFiles(directory=settings.static_dir), name="static")
    for package in VENDOR_PACKAGES:  # only the browser libraries' dist folders, not all of node_modules
        folder = settings.vendor_dir / package
        if folder.is_dir():
            app.mount(f"/vendor/{package}", StaticFiles(directory=folder), name=f"vendor-{package}")
    app.get("/docs", include_in_schema=False)(_swagger_ui)
    install_openapi(app)
    app.add_exception_handler(AccordError, _handle_accord_error)
    app.add_exception_handler(RequestValidationError, _handle_validation_error)
    app.add_exception_handler(OperationalError, _handle_busy_database)
    app.add_exception_handler(DataError, _handle_unstorable_value)
    app.add_exception_handler(OverflowError, _handle_unstorable_value)  # SQLite: an int over 64 bits
    app.add_middleware(SecurityHeaders)
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie="accord_session",
        same_site="lax",
        max_age=settings.session_ttl_seconds,
        https_only=settings.secure_cookies,
    )
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=settings.trusted_hosts)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    return app


def _mail_lifespan(sender: MailSender, settings: Settings) -> Callable[[Any], Any]:
    @asynccontextmanager
    async def lifespan(_app: Any) -> AsyncIterator[None]:
        if settings.mode != "test":
            sender.wake()  # mail a previous run left queued (or failed to send) is tried again now
        yield
        sender.close()

    return lifespan


def _swagger_ui() -> HTMLResponse:
    return get_swagger_ui_html(
        openapi_url="/openapi.json",
        title="Accord API",
        swagger_js_url="/vendor/swagger-ui-dist/swagger-ui-bundle.js",
        swagger_css_url="/vendor/swagger-ui-dist/swagger-ui.css",
        swagger_favicon_url="/static/favicon.svg",
    )


class SecurityHeaders:
    """CSP, nosniff and Referrer-Policy on every response, unless a route set its own."""

    # Plain ASGI rather than BaseHTTPMiddleware: no second task and body stream per request.
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = CONTENT_SECURITY_POLICY
        if scope["path"] == "/docs":
            # Swagger UI boots from one inline script; only that page allows it.
            policy = policy.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace(
                "style-src 'self'", "style-src 'self' 'unsafe-inline'"
            )
        defaults = {
            b"content-security-policy": policy.encode(),
            b"x-content-type-options": b"nosniff",
            b"referrer-policy": b"same-origin",
        }

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _value in headers}
                headers.extend((name, value) for name, value in defaults.items() if name not in present)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)
