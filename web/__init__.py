"""The web UI: server-rendered pages (Jinja2 + htmx) over the same services as the JSON API."""

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.services.live import LiveHub, end_streams_on_exit_signals
from api.settings import Settings
from web import (
    auth,
    compilation,
    desk,
    documents,
    events,
    facilitation,
    feeds,
    imports,
    notifications,
    observers,
    pages,
    publication,
    room,
    search,
    tagging,
)
from web.errors import render_error_page
from web.timing import ServerTiming


def install_web(app: FastAPI, settings: Settings) -> None:
    """Mount the web routes, the live-update hub (started and stopped with the app) and server timing."""
    hub = LiveHub(app.state.engine)
    app.state.live_hub = hub
    app.state.render_publication = publication.render_publication
    app.include_router(APIRouter(lifespan=_lifespan(hub)))
    # documents before pages: /revisions/{label}/document.docx is not a label.
    for module in (
        auth,
        documents,
        pages,
        desk,
        compilation,
        facilitation,
        imports,
        observers,
        feeds,
        notifications,
        events,
        room,
        search,
        tagging,
    ):
        app.include_router(module.router)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_middleware(ServerTiming)


async def _http_error(request: Request, error: Exception) -> Response:
    """Unknown paths and methods: an error page on the web, FastAPI's JSON under /api and the docs."""
    assert isinstance(error, StarletteHTTPException)
    path = request.url.path
    if path.startswith(("/api/", "/openapi.json", "/docs", "/static/", "/vendor/")):
        return await http_exception_handler(request, error)
    return render_error_page(request, error.status_code, str(error.detail))


def _lifespan(hub: LiveHub) -> Callable[[Any], Any]:
    @asynccontextmanager
    async def lifespan(_app: Any) -> AsyncIterator[None]:
        end_streams_on_exit_signals(hub)
        yield
        await run_in_threadpool(hub.close)

    return lifespan
