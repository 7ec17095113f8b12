"""The room (informal consultations): the paragraph taken up, reading marks, the speakers' list, silence.

A silence procedure needs no background job: its deadline is evaluated lazily with the server's clock.
A read shows a circulating text whose deadline has come as passed; the next write to the room (any
co-facilitator or delegation action) stores the outcome and records it in the audit chain."""

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from api.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from api.domain.hashing import sha256_hex
from api.domain.negotiation import ParagraphKind, is_pending
from api.domain.room import FloorState, Reading, SilenceState, settled_state, step
from api.models import Delegation, FloorRequest, ReadingMark, RoomCursor, SilenceProcedure
from api.models.base import as_utc, saved_id, utcnow
from api.services import proposals, revisions
from api.services.actors import Actor, require_cofacilitator, require_delegation_member
from api.services.audit import record_event
from api.services.schemas import ParagraphView, ProposalView, Schema

INSIDER_ROLES = frozenset({"delegation", "cofacilitator", "secretariat"})
MAX_SILENCE_MINUTES = 14 * 24 * 60


class Speaker(Schema):
    """A delegation on the speakers' list of a paragraph."""

    id: int
    delegation: str
    state: str
    requested_at: datetime


class Silence(Schema):
    """A text under silence procedure and what became of it."""

    id: int
    paragraph_key: str
    text: str
    deadline: datetime
    state: str
    broken_by: str | None
    reason: str


class Stop(Schema):
    """A paragraph the co-facilitators can take up: its key and how negotiators cite it."""

    key: str
    citation: str


class RoomView(Schema):
    """The room as a reader may see it: speakers only for insiders, proposals as the reader may see them."""

    slug: str
    revision: str | None
    paragraph: ParagraphView | None
    position: int
    stops: list[Stop]
    readings: list[str]
    proposals: list[ProposalView] | None
    speakers: list[Speaker] | None
    silences: list[Silence]
    now: datetime


def room_view(session: Session, actor: Actor, slug: str) -> RoomView:
    """What the projector shows: the paragraph taken up, its proposals, marks, speakers and silences."""
    process = revisions.get_process(session, slug)
    process_id = saved_id(process)
    paragraphs, label = _numbered(session, actor, slug)
    cursor = session.get(RoomCursor, process_id)
    key = cursor.paragraph_key if cursor else None
    paragraph = next((p for p in paragraphs if p.key == key), None)
    keys = [p.key for p in paragraphs]
    insider = bool(INSIDER_ROLES & set(actor.roles_in(process_id)))
    now = utcnow()
    return RoomView(
        slug=slug,
        revision=label,
        paragraph=paragraph,
        position=keys.index(key) + 1 if key in keys else 0,
        stops=[Stop(key=p.key, citation=p.citation or p.number or p.key) for p in paragraphs],
        readings=_readings(session, process_id, key) if key else [],
        proposals=_pending(session, actor, slug, key) if key else None,
        speakers=_speakers(session, process_id, key) if key and insider else None,
        silences=_silences(session, process_id, key, now) if key else [],
        now=now,
    )


def _numbered(session: Session, actor: Actor, slug: str) -> tuple[list[ParagraphView], str | None]:
    """The current revision's paragraphs that negotiators read out (headings are not taken up)."""
    try:
        view = revisions.get_revision_view(session, actor, slug, None)
    except NotFound:
        return [], None
    return [p for p in view.paragraphs if p.kind != ParagraphKind.HEADING], view.revision.label


def _pending(session: Session, actor: Actor, slug: str, key: str) -> list[ProposalView] | None:
    """The paragraph's pending proposals as the reader may see them (None: not released to them yet)."""
    try:
        listed = proposals.list_proposals(session, actor, slug, paragraph=key)
    except Forbidden:
        return None
    return [p for p in listed if is_pending(p.state)]


def _readings(session: Session, process_id: int, key: str) -> list[str]:
    query = select(ReadingMark.reading).where(
        ReadingMark.process_id == process_id, ReadingMark.paragraph_key == key
    )
    done = set(session.exec(query).all())
    return [reading for reading in Reading if reading in done]


def _codes(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.exec(select(Delegation.id, Delegation.code).where(col(Delegation.id).in_(ids))).all()
    return {row_id: code for row_id, code in rows if row_id is not None}


def _speakers(session: Session, process_id: int, key: str) -> list[Speaker]:
    query = (
        select(FloorRequest)
        .where(FloorRequest.process_id == process_id, FloorRequest.paragraph_key == key)
        .where(col(FloorRequest.state).in_([FloorState.SPEAKING, FloorState.WAITING]))
        .order_by(col(FloorRequest.requested_at), col(FloorRequest.id))
    )
    rows = list(session.exec(query))
    codes = _codes(session, {r.delegation_id for r in rows})
    # Whoever has the floor first, then the list in the order the requests came.
    rows.sort(key=lambda r: r.state != FloorState.SPEAKING)
    return [
        Speaker(id=saved_id(r), delegation=codes[r.delegation_id], state=r.state, requested_at=r.requested_at)
        for r in rows
    ]


def _silences(session: Session, process_id: int, key: str, now: datetime) -> list[Silence]:
    query = (
        select(SilenceProcedure)
        .where(SilenceProcedure.process_id == process_id, SilenceProcedure.paragraph_key == key)
        .order_by(col(SilenceProcedure.id).desc())
    )
    rows = list(session.exec(query))
    codes = _codes(session, {r.broken_by_id for r in rows if r.broken_by_id is not None})
    return [
        Silence(
            id=saved_id(r),
            paragraph_key=r.paragraph_key,
            text=r.text,
            deadline=as_utc(r.deadline),
            state=settled_state(r.state, as_utc(r.deadline), now),
            broken_by=codes.get(r.broken_by_id) if r.broken_by_id else None,
            reason=r.reason,
        )
        for r in rows
    ]


# --- the co-facilitators ------------------------------------------------------------------------------


def take_up(session: Session, actor: Actor, slug: str, key: str | None, offset: int = 0) -> RoomView:
    """Move the room to a paragraph (by key), or `offset` paragraphs on from the one taken up."""
    process_id = _facilitated(session, actor, slug)
    keys = [p.key for p in _numbered(session, actor, slug)[0]]
    cursor = session.get(RoomCursor, process_id)
    target = key if key else step(keys, cursor.paragraph_key if cursor else None, offset)
    if target is None or target not in keys:
        raise InvalidInput(f"the current revision has no paragraph {target!r} to take up")
    if cursor is None:
        cursor = RoomCursor(process_id=process_id, paragraph_key=target)
    cursor.paragraph_key, cursor.moved_at = target, utcnow()
    session.add(cursor)
    session.flush()
    record_event(session, actor, "room.moved", "room", process_id, {"paragraph": target}, process_id)
    return room_view(session, actor, slug)


def mark_reading(session: Session, actor: Actor, slug: str, key: str, reading: str) -> RoomView:
    """Record that the first (or second) reading of a paragraph is done."""
    process_id = _facilitated(session, actor, slug)
    if reading not in tuple(Reading):
        raise InvalidInput(f"not a reading: {reading!r} (first or second)")
    _require_paragraph(session, actor, slug, key)
    if reading == Reading.SECOND and Reading.FIRST not in _readings(session, process_id, key):
        raise Conflict("the first reading of this paragraph is not done yet")
    if reading not in _readings(session, process_id, key):
        session.add(ReadingMark(process_id=process_id, paragraph_key=key, reading=reading))
        session.flush()
        payload = {"paragraph": key, "reading": reading}
        record_event(session, actor, "room.reading_done", "room", process_id, payload, process_id)
    return room_view(session, actor, slug)


def give_floor(session: Session, actor: Actor, slug: str, request_id: int) -> RoomView:
    """Give the floor to the delegation that asked (whoever spoke before is done)."""
    process_id = _facilitated(session, actor, slug)
    request = _floor_request(session, process_id, request_id)
    if request.state != FloorState.WAITING:
        raise Conflict("this delegation is not waiting for the floor")
    for speaking in session.exec(
        select(FloorRequest).where(
            FloorRequest.process_id == process_id,
            FloorRequest.paragraph_key == request.paragraph_key,
            FloorRequest.state == FloorState.SPEAKING,
        )
    ):
        speaking.state, speaking.ended_at = FloorState.DONE, utcnow()
        session.add(speaking)
    request.state = FloorState.SPEAKING
    session.add(request)
    return _floor_changed(session, actor, slug, process_id, "room.floor_given", request)


def clear_floor(session: Session, actor: Actor, slug: str, key: str) -> RoomView:
    """Clear the speakers' list of a paragraph (the speaker is done, the waiting requests lapse)."""
    process_id = _facilitated(session, actor, slug)
    query = select(FloorRequest).where(
        FloorRequest.process_id == process_id,
        FloorRequest.paragraph_key == key,
        col(FloorRequest.state).in_([FloorState.SPEAKING, FloorState.WAITING]),
    )
    for request in session.exec(query):
        request.state, request.ended_at = FloorState.DONE, utcnow()
        session.add(request)
    session.flush()
    record_event(session, actor, "room.floor_cleared", "room", process_id, {"paragraph": key}, process_id)
    return room_view(session, actor, slug)


def start_silence(session: Session, actor: Actor, slug: str, key: str, text: str, minutes: int) -> RoomView:
    """Circulate a paragraph's compromise text under silence procedure until a deadline `minutes` away."""
    process_id = _facilitated(session, actor, slug)
    _require_paragraph(session, actor, slug, key)
    if not text.strip():
        raise InvalidInput("give the text to circulate under silence procedure")
    if not 1 <= minutes <= MAX_SILENCE_MINUTES:
        raise InvalidInput(f"the deadline must be between 1 minute and {MAX_SILENCE_MINUTES} minutes away")
    settle_due(session, actor, process_id)
    if any(s.state == SilenceState.CIRCULATING for s in _silences(session, process_id, key, utcnow())):
        raise Conflict("a text of this paragraph is already under silence procedure")
    now = utcnow().replace(microsecond=0)
    silence = SilenceProcedure(
        process_id=process_id, paragraph_key=key, text=text.strip(), deadline=now + timedelta(minutes=minutes)
    )
    session.add(silence)
    session.flush()
    _record_silence(session, actor, "room.silence_started", silence)
    return room_view(session, actor, slug)


# --- the delegations -----------------------------------------------------------------------------------


def ask_floor(session: Session, actor: Actor, slug: str, key: str) -> RoomView:
    """My delegation asks for the floor on a paragraph (once: asking again changes nothing)."""
    process = revisions.get_process(session, slug)
    process_id = saved_id(process)
    delegation_id = require_delegation_member(actor, process_id)
    _require_paragraph(session, actor, slug, key)
    if _open_request(session, process_id, key, delegation_id) is None:
        request = FloorRequest(process_id=process_id, paragraph_key=key, delegation_id=delegation_id)
        session.add(request)
        return _floor_changed(session, actor, slug, process_id, "room.floor_requested", request)
    return room_view(session, actor, slug)


def withdraw_floor(session: Session, actor: Actor, slug: str, key: str) -> RoomView:
    """My delegation withdraws its request for the floor on a paragraph."""
    process_id = saved_id(revisions.get_process(session, slug))
    delegation_id = require_delegation_member(actor, process_id)
    request = _open_request(session, process_id, key, delegation_id)
    if request is None:
        raise Conflict("your delegation has not asked for the floor on this paragraph")
    request.state, request.ended_at = FloorState.WITHDRAWN, utcnow()
    session.add(request)
    return _floor_changed(session, actor, slug, process_id, "room.floor_withdrawn", request)


def break_silence(session: Session, actor: Actor, slug: str, silence_id: int, reason: str) -> RoomView:
    """My delegation breaks silence on a circulated text, with its reason, before the deadline."""
    process_id = saved_id(revisions.get_process(session, slug))
    delegation_id = require_delegation_member(actor, process_id)
    if not reason.strip():
        raise InvalidInput("say why your delegation breaks silence")
    silence = session.get(SilenceProcedure, silence_id)
    if silence is None or silence.process_id != process_id:
        raise NotFound(f"no silence procedure {silence_id} in this process")
    if settled_state(silence.state, as_utc(silence.deadline), utcnow()) != SilenceState.CIRCULATING:
        raise Conflict("silence can no longer be broken: the text is no longer circulating")
    silence.state, silence.broken_by_id = SilenceState.BROKEN, delegation_id
    silence.reason, silence.settled_at = reason.strip(), utcnow()
    session.add(silence)
    session.flush()
    _record_silence(session, actor, "room.silence_broken", silence)
    return room_view(session, actor, slug)


def settle_due(session: Session, actor: Actor, process_id: int) -> None:
    """Store (and record) the outcome of every text whose deadline has come without a break."""
    now = utcnow()
    query = select(SilenceProcedure).where(
        SilenceProcedure.process_id == process_id, SilenceProcedure.state == SilenceState.CIRCULATING
    )
    for silence in session.exec(query).all():
        if settled_state(silence.state, as_utc(silence.deadline), now) == SilenceState.PASSED:
            silence.state, silence.settled_at = SilenceState.PASSED, now
            session.add(silence)
            session.flush()
            _record_silence(session, actor, "room.silence_passed", silence)


# --- helpers -------------------------------------------------------------------------------------------


def _facilitated(session: Session, actor: Actor, slug: str) -> int:
    process_id = saved_id(revisions.get_process(session, slug))
    require_cofacilitator(actor, process_id)
    settle_due(session, actor, process_id)
    return process_id


def _require_paragraph(session: Session, actor: Actor, slug: str, key: str) -> None:
    if key not in {p.key for p in _numbered(session, actor, slug)[0]}:
        raise InvalidInput(f"the current revision has no paragraph {key!r}")


def _floor_request(session: Session, process_id: int, request_id: int) -> FloorRequest:
    request = session.get(FloorRequest, request_id)
    if request is None or request.process_id != process_id:
        raise NotFound(f"no request for the floor {request_id} in this process")
    return request


def _open_request(session: Session, process_id: int, key: str, delegation_id: int) -> FloorRequest | None:
    query = select(FloorRequest).where(
        FloorRequest.process_id == process_id,
        FloorRequest.paragraph_key == key,
        FloorRequest.delegation_id == delegation_id,
        col(FloorRequest.state).in_([FloorState.SPEAKING, FloorState.WAITING]),
    )
    return session.exec(query).first()


def _floor_changed(
    session: Session, actor: Actor, slug: str, process_id: int, action: str, request: FloorRequest
) -> RoomView:
    session.flush()
    settle_due(session, actor, process_id)
    code = _codes(session, {request.delegation_id})[request.delegation_id]
    payload = {"paragraph": request.paragraph_key, "delegation": code, "state": request.state}
    record_event(session, actor, action, "floor_request", saved_id(request), payload, process_id)
    return room_view(session, actor, slug)


def _record_silence(session: Session, actor: Actor, action: str, silence: SilenceProcedure) -> None:
    # The chain seals what a delegation relies on: the text circulated, the deadline and the outcome.
    codes = _codes(session, {silence.broken_by_id} if silence.broken_by_id else set())
    payload = {
        "paragraph": silence.paragraph_key,
        "text_sha256": sha256_hex(silence.text),
        "deadline": as_utc(silence.deadline).isoformat(),
        "state": silence.state,
        "broken_by": codes.get(silence.broken_by_id) if silence.broken_by_id else None,
        "reason_sha256": sha256_hex(silence.reason) if silence.reason else None,
    }
    process_id = silence.process_id
    record_event(session, actor, action, "silence", saved_id(silence), payload, process_id)
