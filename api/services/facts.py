"""The facts of the record that the audit chain seals: what a negotiator relies on, read from the rows.

Each audit event about a proposal, a person or a process carries the facts of its subject as they stand
after the change (texts as SHA-256, the rest as written), and a publication carries those of every
proposal it moved. Verification reads the facts again from the rows and compares them, field by field,
with the latest ones the chain holds: an edit made behind Accord's back names the field it changed."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from api.domain.hashing import canonical_json, sha256_hex
from api.models import (
    CoSponsorship,
    Delegation,
    Mandate,
    MandateElement,
    Process,
    Proposal,
    RoleGrant,
    Ruling,
    User,
)
from api.models.base import as_utc, saved_id

Facts = dict[str, Any]


def _moment(value: datetime | None) -> str | None:
    return as_utc(value).isoformat() if value is not None else None


def _digest(value: object) -> str:
    return sha256_hex(canonical_json(value))


def _codes(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.exec(select(Delegation.id, Delegation.code).where(col(Delegation.id).in_(ids))).all()
    return {row_id: code for row_id, code in rows if row_id is not None}


def _usernames(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.exec(select(User.id, User.username).where(col(User.id).in_(ids))).all()
    return {row_id: name for row_id, name in rows if row_id is not None}


def proposal_facts(session: Session, ids: Iterable[int]) -> dict[int, Facts]:
    """Proposal id → its facts: wording, kind, sponsor, on behalf of, state, co-sponsors, rulings."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    proposals = session.exec(select(Proposal).where(col(Proposal.id).in_(wanted))).all()
    cosponsors: dict[int, list[CoSponsorship]] = defaultdict(list)
    for c in session.exec(
        select(CoSponsorship)
        .where(col(CoSponsorship.proposal_id).in_(wanted))
        .order_by(col(CoSponsorship.id))
    ):
        cosponsors[c.proposal_id].append(c)
    rulings: dict[int, list[Ruling]] = defaultdict(list)
    for r in session.exec(select(Ruling).where(col(Ruling.proposal_id).in_(wanted)).order_by(col(Ruling.id))):
        rulings[r.proposal_id].append(r)
    groups = {p.on_behalf_of_id for p in proposals if p.on_behalf_of_id is not None}
    delegation_ids = {p.sponsor_id for p in proposals} | groups
    delegation_ids |= {c.delegation_id for group in cosponsors.values() for c in group}
    codes = _codes(session, delegation_ids)
    user_ids = {p.author_id for p in proposals} | {r.ruled_by_id for group in rulings.values() for r in group}
    names = _usernames(session, user_ids)
    return {
        p.id: _one_proposal(p, cosponsors[p.id], rulings[p.id], codes, names)
        for p in proposals
        if p.id is not None
    }


def tabled_proposal_facts(proposal: Proposal, sponsor: str, on_behalf_of: str | None, author: str) -> Facts:
    """The facts of a proposal just tabled, from what the tabling holds: no co-sponsors or rulings yet."""
    codes = {proposal.sponsor_id: sponsor}
    if proposal.on_behalf_of_id is not None and on_behalf_of is not None:
        codes[proposal.on_behalf_of_id] = on_behalf_of
    return _one_proposal(proposal, [], [], codes, {proposal.author_id: author})


def _one_proposal(
    p: Proposal,
    cosponsors: list[CoSponsorship],
    rulings: list[Ruling],
    codes: dict[int, str],
    names: dict[int, str],
) -> Facts:
    return {
        "process_id": p.process_id,
        "paragraph_id": p.paragraph_id,
        "action": p.action,
        "sponsor": codes.get(p.sponsor_id),
        "on_behalf_of": codes.get(p.on_behalf_of_id) if p.on_behalf_of_id else None,
        "author": names.get(p.author_id),
        "state": p.state,
        "created_at": _moment(p.created_at),
        "base_revision_id": p.base_revision_id,
        "text_sha256": sha256_hex(p.text),
        "base_text_sha256": sha256_hex(p.base_text),
        "justification_sha256": sha256_hex(p.justification),
        "cosponsors_sha256": _digest(
            [[codes.get(c.delegation_id), _moment(c.joined_at), _moment(c.withdrawn_at)] for c in cosponsors]
        ),
        "rulings_sha256": _digest(
            [[r.decision, r.reason, r.text, names.get(r.ruled_by_id), _moment(r.ruled_at)] for r in rulings]
        ),
    }


def user_facts(session: Session, ids: Iterable[int]) -> dict[int, Facts]:
    """User id → their facts: name, delegation, whether active, password hash (as SHA-256), role grants."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    users = session.exec(select(User).where(col(User.id).in_(wanted))).all()
    grants: dict[int, list[list[Any]]] = defaultdict(list)
    for g in session.exec(select(RoleGrant).where(col(RoleGrant.user_id).in_(wanted))):
        grants[g.user_id].append([g.role, g.process_id])
    codes = _codes(session, {u.delegation_id for u in users if u.delegation_id is not None})
    return {
        u.id: {
            "username": u.username,
            "delegation": codes.get(u.delegation_id) if u.delegation_id else None,
            "is_active": bool(u.is_active),
            # A hash of the stored Argon2 string: a replaced password shows, the hash itself stays private.
            "password_sha256": sha256_hex(u.password_hash),
            "roles_sha256": _digest(sorted(grants[u.id], key=canonical_json)),
        }
        for u in users
        if u.id is not None
    }


def process_facts(session: Session, ids: Iterable[int]) -> dict[int, Facts]:
    """Process id → its facts: titles, the time of the last release, the mandate and its elements."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    processes = session.exec(select(Process).where(col(Process.id).in_(wanted))).all()
    mandates = {
        m.process_id: m for m in session.exec(select(Mandate).where(col(Mandate.process_id).in_(wanted)))
    }
    elements: dict[int, list[MandateElement]] = defaultdict(list)
    mandate_ids = [m.id for m in mandates.values()]
    if mandate_ids:
        query = select(MandateElement).where(col(MandateElement.mandate_id).in_(mandate_ids))
        for e in session.exec(query.order_by(col(MandateElement.position), col(MandateElement.id))):
            elements[e.mandate_id].append(e)
    facts: dict[int, Facts] = {}
    for p in processes:
        assert p.id is not None
        mandate = mandates.get(p.id)
        facts[p.id] = {
            "slug": p.slug,
            "titles_sha256": _digest([p.title_en, p.title_zh, p.symbol]),
            "released_at": _moment(p.compilation_released_at),
            "mandate_sha256": _digest(_mandate(mandate, elements[saved_id(mandate)]) if mandate else None),
        }
    return facts


def _mandate(mandate: Mandate, elements: list[MandateElement]) -> list[Any]:
    listed = [[e.code, e.position, e.text, e.text_language, e.label, e.label_official] for e in elements]
    return [mandate.title_en, mandate.source, listed]


def facts_for_event(
    session: Session, subject_type: str, subject_id: str, process_id: int | None, payload: dict[str, Any]
) -> Facts | None:
    """The facts an event about this subject seals (None for subjects the content hash already covers)."""
    if subject_type == "proposal" and subject_id.isdigit():
        return proposal_facts(session, [int(subject_id)]).get(int(subject_id))
    if subject_type == "user" and subject_id.isdigit():
        return user_facts(session, [int(subject_id)]).get(int(subject_id))
    if subject_type == "process" and process_id is not None:
        return process_facts(session, [process_id]).get(process_id)
    moved = payload.get("proposals")
    if subject_type == "revision" and isinstance(moved, dict) and moved:
        ids = [int(key) for key in moved if str(key).isdigit()]
        return {"proposals": {str(k): v for k, v in proposal_facts(session, ids).items()}}
    return None
