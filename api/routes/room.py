"""The room: the projector's view, the co-facilitators' cursor and marks, the floor, silence procedures."""

from fastapi import APIRouter
from pydantic import BaseModel, Field

from api.http import Context, RowId
from api.services import room
from api.services.inputs import MAX_REASON, MAX_TEXT
from api.services.room import RoomView

router = APIRouter(tags=["room"])
Key = Field(min_length=1, max_length=64)


class CursorMove(BaseModel):
    """Take up a paragraph by key, or move `step` paragraphs on (-1: the previous one)."""

    paragraph_key: str | None = Field(default=None, min_length=1, max_length=64)
    step: int = Field(default=0, ge=-1, le=1)


class ParagraphChoice(BaseModel):
    """A paragraph of the current revision, by key."""

    paragraph_key: str = Key


class ReadingDone(BaseModel):
    """A reading of a paragraph done: "first" or "second"."""

    paragraph_key: str = Key
    reading: str = Field(max_length=8)


class SilenceStart(BaseModel):
    """A text circulated under silence procedure until `minutes` from now."""

    paragraph_key: str = Key
    text: str = Field(max_length=MAX_TEXT)
    minutes: int = Field(ge=1, le=room.MAX_SILENCE_MINUTES)


class SilenceBreak(BaseModel):
    """Why the delegation breaks silence."""

    reason: str = Field(max_length=MAX_REASON)


@router.get("/processes/{slug}/room", response_model=RoomView, summary="The room")
def get_room(slug: str, context: Context) -> RoomView:
    """The paragraph under discussion, its pending proposals, readings, speakers (insiders), silences."""
    return room.room_view(context.session, context.actor, slug)


@router.post("/processes/{slug}/room/cursor", response_model=RoomView, summary="Take up a paragraph")
def move_cursor(slug: str, data: CursorMove, context: Context) -> RoomView:
    """The co-facilitators take up a paragraph in the room, or the next or previous one."""
    return room.take_up(context.session, context.actor, slug, data.paragraph_key, data.step)


@router.post("/processes/{slug}/room/readings", response_model=RoomView, summary="Mark a reading done")
def mark_reading(slug: str, data: ReadingDone, context: Context) -> RoomView:
    """The co-facilitators record the first or second reading of a paragraph as done."""
    return room.mark_reading(context.session, context.actor, slug, data.paragraph_key, data.reading)


@router.post("/processes/{slug}/room/floor", response_model=RoomView, summary="Ask for the floor")
def ask_floor(slug: str, data: ParagraphChoice, context: Context) -> RoomView:
    """A delegation asks for the floor on a paragraph."""
    return room.ask_floor(context.session, context.actor, slug, data.paragraph_key)


@router.post("/processes/{slug}/room/floor/withdraw", response_model=RoomView, summary="Withdraw the request")
def withdraw_floor(slug: str, data: ParagraphChoice, context: Context) -> RoomView:
    """A delegation withdraws its request for the floor on a paragraph."""
    return room.withdraw_floor(context.session, context.actor, slug, data.paragraph_key)


@router.post(
    "/processes/{slug}/room/floor/{request_id}/give", response_model=RoomView, summary="Give the floor"
)
def give_floor(slug: str, request_id: RowId, context: Context) -> RoomView:
    """The co-facilitators give the floor to a delegation that asked for it."""
    return room.give_floor(context.session, context.actor, slug, request_id)


@router.post(
    "/processes/{slug}/room/floor/clear", response_model=RoomView, summary="Clear the speakers' list"
)
def clear_floor(slug: str, data: ParagraphChoice, context: Context) -> RoomView:
    """The co-facilitators clear a paragraph's speakers' list."""
    return room.clear_floor(context.session, context.actor, slug, data.paragraph_key)


@router.post("/processes/{slug}/room/silences", response_model=RoomView, summary="Start a silence procedure")
def start_silence(slug: str, data: SilenceStart, context: Context) -> RoomView:
    """The co-facilitators circulate a text with a deadline: agreed then unless silence is broken."""
    return room.start_silence(
        context.session, context.actor, slug, data.paragraph_key, data.text, data.minutes
    )


@router.post(
    "/processes/{slug}/room/silences/{silence_id}/break", response_model=RoomView, summary="Break silence"
)
def break_silence(slug: str, silence_id: RowId, data: SilenceBreak, context: Context) -> RoomView:
    """A delegation breaks silence on a circulated text, with its reason, before the deadline."""
    return room.break_silence(context.session, context.actor, slug, silence_id, data.reason)
