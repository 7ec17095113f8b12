"""The web UI: server-rendered pages (Jinja2 + htmx) over the same services as the JSON API."""

from fastapi import FastAPI

from api.settings import Settings
from web import pages


def install_web(app: FastAPI, settings: Settings) -> None:
    """Mount the web routes (and anything else the web UI needs) on the application."""
    app.include_router(pages.router)
