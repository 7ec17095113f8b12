"""What each cacheable read is a function of: sealed content hashes, the state around them, the audience.

Each key is a few indexed lookups, so that a route can answer 304 or serve rendered bytes before it loads
(and re-renders) what a published revision sealed. A key is None where the view is live: the working
copy, or a view that lists the working copy to those who prepare it.
"""

from dataclasses import dataclass

from sqlalchemy import func
from sqlalchemy import select as core_select
from sqlmodel import Session, col

from api.models import Paragraph, Process, Proposal, Ruling
from api.models.base import as_utc
from api.services.actors import Actor
from api.services.proposals import can_read_proposals, is_insider
from api.services.revisions import (
    can_see_working_copy,
    find_revision,
    get_process,
    latest_published_revision,
)
from api.services.working_copy import find_working_copy

Part = str | int | None


@dataclass(frozen=True)
class ReadKey:
    """The parts a view is a pure function of, and the audience (who sees the same view) it is for."""

    parts: tuple[Part, ...]
    audience: str


def audience(actor: Actor, process_id: int) -> str:
    """Insiders (delegations, co-facilitators, secretariat) see pending proposals; outsiders do not."""
    return "insider" if is_insider(actor, process_id) else "outsider"


def _process_parts(session: Session, process: Process) -> tuple[Part, ...]:
    latest = latest_published_revision(session, process)
    released = process.compilation_released_at
    return (
        process.slug,
        process.title_en,
        process.title_zh,
        process.language,
        process.symbol,
        process.description_en,
        process.note_en,
        released.isoformat() if released else None,
        latest.id if latest else None,
        latest.content_hash if latest else None,
    )


def revision_key(session: Session, actor: Actor, slug: str, label: str | None) -> ReadKey | None:
    """A published revision (its page or JSON); None for the working copy, which stays live."""
    process = get_process(session, slug)
    assert process.id is not None
    revision = find_revision(session, actor, process, label)
    if revision.state != "published" or revision.content_hash is None:
        return None
    parts = (*_process_parts(session, process), revision.id, revision.content_hash)
    return ReadKey(parts, audience(actor, process.id))


def compare_key(session: Session, actor: Actor, slug: str, from_label: str, to_label: str) -> ReadKey | None:
    """A compare of two published revisions; None if either is the working copy."""
    process = get_process(session, slug)
    assert process.id is not None
    old = find_revision(session, actor, process, from_label)
    new = find_revision(session, actor, process, to_label)
    if old.content_hash is None or new.content_hash is None or "working" in (old.state, new.state):
        return None
    parts = (*_process_parts(session, process), old.id, old.content_hash, new.id, new.content_hash)
    return ReadKey(parts, audience(actor, process.id))


def history_key(session: Session, actor: Actor, slug: str, key: str) -> ReadKey | None:
    """A paragraph's history up to the latest published revision, with the proposals the actor may see."""
    process = get_process(session, slug)
    assert process.id is not None
    if can_see_working_copy(actor, process.id) and find_working_copy(session, process) is not None:
        return None  # its co-facilitators see the working copy's text in the history too: live
    parts = (*_process_parts(session, process), key)
    if can_read_proposals(actor, process):
        parts = (*parts, *_proposal_parts(session, actor, process, key))
    return ReadKey(parts, audience(actor, process.id))


def _proposal_parts(session: Session, actor: Actor, process: Process, key: str) -> list[Part]:
    """Every visible proposal on the paragraph with what a history shows of it changing (state, rulings)."""
    assert process.id is not None
    rows = session.execute(
        core_select(
            col(Proposal.id),
            col(Proposal.state),
            col(Proposal.base_revision_id),
            col(Proposal.on_behalf_of_id),
            col(Proposal.lock_version),
            col(Proposal.created_at),
            func.count(col(Ruling.id)),
            func.max(col(Ruling.id)),
        )
        .join(Paragraph, col(Paragraph.id) == Proposal.paragraph_id)
        .outerjoin(Ruling, col(Ruling.proposal_id) == Proposal.id)
        .where(col(Paragraph.process_id) == process.id, col(Paragraph.key) == key)
        .group_by(col(Proposal.id))
        .order_by(col(Proposal.id))
    ).all()
    insider = is_insider(actor, process.id)
    released = process.compilation_released_at
    parts: list[Part] = []
    for pid, state, base, group, version, created, rulings, last_ruling in rows:
        # A release covers what was tabled before it (the rule of proposals.released_to).
        if insider or (released is not None and as_utc(created) <= as_utc(released)):
            parts.append(f"{pid}:{state}:{base}:{group}:{version}:{rulings}:{last_ruling}")
    return parts
