"""The append-only audit log: record events chained by hash, and verify the chain."""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, col, select

from api.domain.hashing import GENESIS_HASH, audit_event_hash, canonical_json
from api.models import AuditEvent
from api.models.base import as_utc, utcnow
from api.services.actors import Actor
from api.services.facts import facts_for_event

# PostgreSQL: one appender at a time, so that sequence and previous hash never fork.
_AUDIT_LOCK_KEY = 7_201_866


def _hashed_fields(event: AuditEvent) -> dict[str, Any]:
    return {
        "sequence": event.sequence,
        "process_id": event.process_id,
        "actor_id": event.actor_id,
        "actor": event.actor,
        "action": event.action,
        "subject_type": event.subject_type,
        "subject_id": event.subject_id,
        "payload": event.payload,
        "created_at": as_utc(event.created_at).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def record_event(
    session: Session,
    actor: Actor,
    action: str,
    subject_type: str,
    subject_id: object,
    payload: dict[str, Any] | None = None,
    process_id: int | None = None,
) -> AuditEvent:
    """Append one event to the chain, in the caller's transaction."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _AUDIT_LOCK_KEY})
    last = chain_head(session)
    stored = dict(payload or {})
    facts = facts_for_event(session, subject_type, str(subject_id), process_id, stored)
    if facts is not None:
        stored["facts"] = facts  # what the rows say after this change, checked again by verification
    event = AuditEvent(
        sequence=(last.sequence + 1) if last else 1,
        process_id=process_id,
        actor_id=actor.user_id,
        actor=actor.username,
        action=action,
        subject_type=subject_type,
        subject_id=str(subject_id),
        # Stored as the JSON column will hand it back (string keys …), so that the hash recomputes.
        payload=json.loads(canonical_json(stored)),
        created_at=utcnow().replace(microsecond=0),
        previous_hash=last.hash if last else GENESIS_HASH,
        hash="",
    )
    event.hash = audit_event_hash(event.previous_hash, _hashed_fields(event))
    session.add(event)
    session.flush()
    _announce(session, event)
    return event


LIVE_CHANNEL = "accord_events"


def _announce(session: Session, event: AuditEvent) -> None:
    # Live updates: PostgreSQL delivers the NOTIFY to every app process when (and only if) the
    # transaction commits; on SQLite the in-process hub reads session.info after the commit.
    note = {"sequence": event.sequence, "process_id": event.process_id, "action": event.action}
    session.info.setdefault(LIVE_CHANNEL, []).append(note)
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_notify(:channel, :payload)"),
            {"channel": LIVE_CHANNEL, "payload": canonical_json(note)},
        )


@dataclass(frozen=True)
class ChainReport:
    """The result of recomputing the audit chain."""

    events: int
    broken_at: int | None
    problem: str | None
    # The hash of the last event: published outside Accord, it anchors the chain against truncation.
    head_hash: str = GENESIS_HASH
    head_at: datetime | None = None

    @property
    def ok(self) -> bool:
        """True when every event's hash and link recompute."""
        return self.broken_at is None


def chain_head(session: Session) -> AuditEvent | None:
    """The newest event (one indexed row), whose hash stands for the whole history before it."""
    return session.exec(select(AuditEvent).order_by(col(AuditEvent.sequence).desc()).limit(1)).first()


def verify_chain(session: Session, visit: Callable[[AuditEvent], None] | None = None) -> ChainReport:
    """Recompute every event's hash and its link to the one before, handing each intact event to visit."""
    previous = GENESIS_HASH
    count = 0
    head_at: datetime | None = None
    for event in session.exec(select(AuditEvent).order_by(col(AuditEvent.sequence))):
        count += 1
        if event.previous_hash != previous:
            return ChainReport(
                count, event.sequence, f"event {event.sequence} does not link to its predecessor"
            )
        if audit_event_hash(previous, _hashed_fields(event)) != event.hash:
            return ChainReport(
                count, event.sequence, f"event {event.sequence} was altered after it was written"
            )
        if visit is not None:
            visit(event)
        previous, head_at = event.hash, as_utc(event.created_at)
    return ChainReport(count, None, None, previous, head_at)
