"""Live updates: a stream of server-sent events per process, for the htmx SSE extension.

Each committed change sends one small event per kind of region it affects (`proposals`, `rulings`,
`revisions`, `working-copy`); regions re-fetch themselves on `sse:<kind>`. A `notice` event carries a
short, escaped, translated sentence for the polite live region.
"""

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse

from api.services import workspace
from api.services.live import CLOSED, RESYNC, LiveHub, LiveNote
from web.context import WebContext
from web.i18n import locale_of
from web.templating import render_text

router = APIRouter(include_in_schema=False)

HEARTBEAT_SECONDS = 15.0
LISTENER_WAIT_SECONDS = 5.0
ALL_KINDS = ("proposals", "rulings", "revisions", "working-copy", "room")
EVENT_KINDS: dict[str, tuple[str, ...]] = {
    "proposal.tabled": ("proposals",),
    "proposal.edited": ("proposals",),
    "proposal.withdrawn": ("proposals",),
    "proposal.cosponsor_joined": ("proposals",),
    "proposal.cosponsor_left": ("proposals",),
    "proposal.ruled": ("proposals", "rulings", "working-copy"),
    "compilation.released": ("proposals",),
    "revision.published": ("revisions", "proposals", "working-copy"),
    "revision.imported": ("working-copy", "revisions"),
    "revision.import_confirmed": ("working-copy", "revisions"),
    "working_copy.opened": ("working-copy", "revisions"),
    "working_copy.paragraph_edited": ("working-copy",),
    "room.moved": ("room",),
    "room.reading_done": ("room",),
    "room.floor_requested": ("room",),
    "room.floor_withdrawn": ("room",),
    "room.floor_given": ("room",),
    "room.floor_cleared": ("room",),
    "room.silence_started": ("room",),
    "room.silence_broken": ("room",),
    "room.silence_passed": ("room",),
    RESYNC: ALL_KINDS,
}
# The room moves often: its view refreshes itself, and no notice is read out for it.
SILENT = frozenset(action for action in EVENT_KINDS if action.startswith("room."))
# Notices the co-facilitators' working copy only concerns them.
FACILITATORS_ONLY = frozenset({"working_copy.opened", "working_copy.paragraph_edited", "revision.imported"})
# Observers and the public learn of proposals through a release, not as they are tabled, edited or ruled.
# The speakers' list is for the delegations and the co-facilitators, too.
INSIDERS_ONLY = frozenset(action for action in EVENT_KINDS if action.startswith(("proposal.", "room.floor_")))
INSIDER_ROLES = frozenset({"delegation", "cofacilitator", "secretariat"})


@dataclass(frozen=True)
class Listener:
    """Who listens: the process, the language, whether they prepare the working copy, see proposals tabled."""

    process_id: int
    locale: str
    facilitates: bool
    insider: bool = False


def listener_of(slug: str, request: Request, context: WebContext) -> Listener:
    """Resolve the process and the reader once, before the stream starts (no transaction stays open)."""
    standing = workspace.standing(context.session, context.actor, slug)
    facilitates = standing.can_facilitate or standing.can_import
    insider = bool(INSIDER_ROLES & set(standing.roles))
    return Listener(standing.process_id, locale_of(request), facilitates, insider)


@router.get("/processes/{slug}/events")
async def events(request: Request, listener: Annotated[Listener, Depends(listener_of)]) -> StreamingResponse:
    """The process's live updates as text/event-stream; ends when the server shuts down."""
    hub: LiveHub = request.app.state.live_hub
    headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    return StreamingResponse(_stream(hub, listener), media_type="text/event-stream", headers=headers)


async def _stream(hub: LiveHub, listener: Listener) -> AsyncIterator[str]:
    with hub.subscribe(listener.process_id) as subscription:
        await asyncio.to_thread(hub.wait_until_listening, LISTENER_WAIT_SECONDS)
        yield "retry: 3000\n: connected\n\n"
        while True:
            note = await subscription.next(HEARTBEAT_SECONDS)
            if note is CLOSED:
                return
            if note is None:
                yield ": keep-alive\n\n"
            elif isinstance(note, LiveNote) and (message := _message(note, listener)):
                yield message


def _message(note: LiveNote, listener: Listener) -> str:
    if note.action in INSIDERS_ONLY and not listener.insider:
        return ""  # not even that something happened: the next release tells them
    kinds = EVENT_KINDS.get(note.action, ())
    parts = [f"event: {kind}\ndata: {note.sequence}\n\n" for kind in kinds]
    if note.action not in SILENT | {RESYNC} and (
        listener.facilitates or note.action not in FACILITATORS_ONLY
    ):
        notice = render_text("fragments/live_notice.html", {"action": note.action}, listener.locale)
        parts.append(_event("notice", notice))
    return "".join(parts)


def _event(name: str, data: str) -> str:
    lines = "".join(f"data: {line}\n" for line in data.strip().splitlines() or [""])
    return f"event: {name}\n{lines}\n"
