"""Error pages, and errors shown in place: for htmx requests just the message, or the form it concerns."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from web.context import actor_of
from web.forms import is_htmx
from web.templating import render

_IN_PLACE = "accord_in_place"


@dataclass(frozen=True)
class InPlace:
    """How to show an error where it happened: a template (and, for htmx, its block) and its context."""

    template: str
    context: Mapping[str, Any] = field(default_factory=dict)
    block: str | None = None


def show_in_place(request: Request, template: str, context: Mapping[str, Any], block: str | None) -> None:
    """If the request fails from here on, re-render this template with the error instead of an error page.

    The route raises on; the transaction rolls back first, then `render_error_page` finds this.
    """
    setattr(request.state, _IN_PLACE, InPlace(template, dict(context), block))


def render_error_page(request: Request, status_code: int, message: str, field: str | None = None) -> Response:
    """A page that says what went wrong; just the message block (or the form in place) when htmx asked.

    `field` names the form field at fault: a form shown in place puts the message next to it."""
    actor = actor_of(request)
    in_place = getattr(request.state, _IN_PLACE, None)
    context = {"status_code": status_code, "message": message, "error": message, "error_field": field}
    if isinstance(in_place, InPlace):
        block = in_place.block if is_htmx(request) else None
        return render(
            request,
            in_place.template,
            {**in_place.context, **context},
            actor=actor,
            status_code=status_code,
            block=block,
        )
    if is_htmx(request):
        retarget = {"HX-Retarget": "#live-alert", "HX-Reswap": "innerHTML"}
        return render(
            request,
            "error.html",
            context,
            actor=actor,
            status_code=status_code,
            block="error_message",
            headers=retarget,
        )
    return render(request, "error.html", context, actor=actor, status_code=status_code)
