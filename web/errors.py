"""Error pages (and fragments, for htmx requests) for the web UI."""

from fastapi import Request
from fastapi.responses import Response

from web.templating import templates


def render_error_page(request: Request, status_code: int, message: str) -> Response:
    """A page that says what went wrong; just the message block when htmx asked."""
    block = "error_message" if request.headers.get("hx-request") else None
    return templates.TemplateResponse(
        request,
        "error.html",
        {"status_code": status_code, "message": message},
        status_code=status_code,
        block_name=block,
    )
