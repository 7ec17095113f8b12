"""The room: a projector view of the paragraph under discussion, and the forms that move it along."""

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from api.http import RowId
from api.services import room, workspace
from api.services.inputs import MAX_REASON, MAX_TEXT
from web.context import WebContext
from web.csrf import check_csrf
from web.forms import local_path, see_other
from web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])

Key = Annotated[str, Form(min_length=1, max_length=64)]
Next = Annotated[str, Form(max_length=2000)]


def _back(slug: str, next: str) -> Response:
    return see_other(local_path(next, f"/processes/{slug}/room"))


@router.get("/processes/{slug}/room")
def room_page(slug: str, request: Request, context: WebContext) -> Response:
    """The paragraph taken up, large and live; speakers for insiders; the co-facilitators' controls."""
    standing = workspace.standing(context.session, context.actor, slug)
    page = {
        "standing": standing,
        "nav": "room",
        "room": room.room_view(context.session, context.actor, slug),
        "doc_lang": standing.document_language,
    }
    fragments = {"room-live": "fragments/room_live.html"}
    headers = {"Cache-Control": "no-store"}
    return render(request, "room.html", page, actor=context.actor, fragments=fragments, headers=headers)


@router.post("/processes/{slug}/room/cursor")
def move(
    slug: str,
    context: WebContext,
    paragraph_key: Annotated[str, Form(max_length=64)] = "",
    step: Annotated[int, Form(ge=-1, le=1)] = 0,
    next: Next = "",
) -> Response:
    """Take up a paragraph in the room (from the room, the working copy or the reading view), or step."""
    room.take_up(context.session, context.actor, slug, paragraph_key or None, step)
    return _back(slug, next)


@router.post("/processes/{slug}/room/readings")
def reading(
    slug: str, context: WebContext, paragraph_key: Key, reading: Annotated[str, Form(max_length=8)]
) -> Response:
    """Record the first or second reading of the paragraph as done."""
    room.mark_reading(context.session, context.actor, slug, paragraph_key, reading)
    return _back(slug, "")


@router.post("/processes/{slug}/room/floor")
def ask_floor(slug: str, context: WebContext, paragraph_key: Key, next: Next = "") -> Response:
    """My delegation asks for the floor on the paragraph."""
    room.ask_floor(context.session, context.actor, slug, paragraph_key)
    return _back(slug, next)


@router.post("/processes/{slug}/room/floor/withdraw")
def withdraw_floor(slug: str, context: WebContext, paragraph_key: Key, next: Next = "") -> Response:
    """My delegation withdraws its request for the floor."""
    room.withdraw_floor(context.session, context.actor, slug, paragraph_key)
    return _back(slug, next)


@router.post("/processes/{slug}/room/floor/clear")
def clear_floor(slug: str, context: WebContext, paragraph_key: Key) -> Response:
    """Clear the paragraph's speakers' list."""
    room.clear_floor(context.session, context.actor, slug, paragraph_key)
    return _back(slug, "")


@router.post("/processes/{slug}/room/floor/{request_id}/give")
def give_floor(slug: str, request_id: RowId, context: WebContext) -> Response:
    """Give the floor to the delegation that asked."""
    room.give_floor(context.session, context.actor, slug, request_id)
    return _back(slug, "")


@router.post("/processes/{slug}/room/silences")
def start_silence(
    slug: str,
    context: WebContext,
    paragraph_key: Key,
    text: Annotated[str, Form(max_length=MAX_TEXT)],
    minutes: Annotated[int, Form(ge=1, le=room.MAX_SILENCE_MINUTES)],
) -> Response:
    """Circulate the paragraph's compromise under silence procedure until the deadline."""
    room.start_silence(context.session, context.actor, slug, paragraph_key, text, minutes)
    return _back(slug, "")


@router.post("/processes/{slug}/room/silences/{silence_id}/break")
def break_silence(
    slug: str,
    silence_id: RowId,
    context: WebContext,
    reason: Annotated[str, Form(max_length=MAX_REASON)],
    next: Next = "",
) -> Response:
    """My delegation breaks silence on the circulated text, with its reason."""
    room.break_silence(context.session, context.actor, slug, silence_id, reason)
    return _back(slug, next)
