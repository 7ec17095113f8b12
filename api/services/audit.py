"""The append-only audit log: record events chained by hash, and verify the chain."""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, text
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from api.domain.hashing import GENESIS_HASH, audit_event_hash, canonical_json
from api.models import AuditEvent
from api.models.base import as_utc, utcnow
from api.services.actors import Actor
from api.services.facts import Facts, facts_for_event

# PostgreSQL: one appender at a time, so that sequence and previous hash never fork.
_AUDIT_LOCK_KEY = 7_201_866


_HASHED = ("sequence", "process_id", "actor_id", "actor", "action", "subject_type", "subject_id", "payload")


def _hashed(row: dict[str, Any]) -> dict[str, Any]:
    """The fields of an event (a row or a dict of its columns) that its hash covers."""
    return {
        **{name: row[name] for name in _HASHED},
        "created_at": as_utc(row["created_at"]).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def _hashed_fields(event: AuditEvent) -> dict[str, Any]:
    return _hashed({name: getattr(event, name) for name in (*_HASHED, "created_at")})


# Built once: every write appends an event, and building a statement costs more than running it.
# The head's two columns only: its payload may be a publication's facts of a thousand proposals.
_HEAD = (
    core_select(col(AuditEvent.sequence), col(AuditEvent.hash))
    .order_by(col(AuditEvent.sequence).desc())
    .limit(1)
)
_APPEND = insert(AuditEvent)


def record_event(
    session: Session,
    actor: Actor,
    action: str,
    subject_type: str,
    subject_id: object,
    payload: dict[str, Any] | None = None,
    process_id: int | None = None,
    *,
    facts: Facts | None = None,
) -> None:
    """Append one event to the chain, in the caller's transaction.

    facts: the subject's facts when the caller already holds everything they are made of (a proposal it
    has just tabled); otherwise they are read from the rows. Verification reads them from the rows again,
    so facts that do not match the rows show there."""
    stored = dict(payload or {})
    if facts is None:
        facts = facts_for_event(session, subject_type, str(subject_id), process_id, stored)
    if facts is not None:
        stored["facts"] = facts  # what the rows say after this change, checked again by verification
    if session.get_bind().dialect.name == "postgresql":
        # Taken as late as possible: every other appender waits on it until this transaction commits.
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _AUDIT_LOCK_KEY})
    head = session.execute(_HEAD).first()
    row: dict[str, Any] = {
        "sequence": head.sequence + 1 if head else 1,
        "process_id": process_id,
        "actor_id": actor.user_id,
        "actor": actor.username,
        "action": action,
        "subject_type": subject_type,
        "subject_id": str(subject_id),
        # Stored as the JSON column will hand it back (string keys …), so that the hash recomputes.
        "payload": json.loads(canonical_json(stored)),
        "created_at": utcnow().replace(microsecond=0),
        "previous_hash": head.hash if head else GENESIS_HASH,
    }
    row["hash"] = audit_event_hash(row["previous_hash"], _hashed(row))
    # A Core insert: the event is never changed again, the ORM would only track it.
    session.execute(_APPEND, row)
    _announce(session, row)


LIVE_CHANNEL = "accord_events"


def _announce(session: Session, event: dict[str, Any]) -> None:
    # Live updates: PostgreSQL delivers the NOTIFY to every app process when (and only if) the
    # transaction commits; on SQLite the in-process hub reads session.info after the commit.
    note = {"sequence": event["sequence"], "process_id": event["process_id"], "action": event["action"]}
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
