"""Rulings: co-facilitators decide on proposals; accepted ones are merged into the working copy."""

from sqlmodel import Session, col, select

from api.domain import provenance
from api.domain.errors import Conflict, InvalidInput, NotFound
from api.domain.negotiation import (
    ACCEPTED_STATES,
    ACCEPTING,
    DECISION_STATES,
    Decision,
    ProposalAction,
    accepted_text,
    check_transition,
    is_pending,
)
from api.domain.negotiation.compromise import Merged, compromise_provenance, compromise_rulings
from api.domain.structure.ids import insertion_key, insertion_wid
from api.models import Paragraph, ParagraphVersion, Process, Proposal, Revision, Ruling
from api.models.base import saved_id, utcnow
from api.services import notifications
from api.services.actors import Actor, require_cofacilitator
from api.services.audit import record_event
from api.services.inputs import ParagraphEdit, RulingInput
from api.services.locks import lock_process
from api.services.proposals import latest_published, lock_proposal, proposal_views
from api.services.revisions import get_process
from api.services.schemas import RulingOutcome
from api.services.working_copy import (
    edit_paragraph,
    insert_after,
    open_working_copy,
    set_text,
    working_version,
)


def rule(session: Session, actor: Actor, proposal_id: int, data: RulingInput) -> RulingOutcome:
    """Record a ruling with its reason; an acceptance is merged into the working copy, or refused whole."""
    proposal = lock_proposal(session, proposal_id, exclusive_process=True)
    require_cofacilitator(actor, proposal.process_id)
    target = DECISION_STATES[data.decision]
    check_transition(proposal.state, target)
    _check_ruling_text(data, proposal)
    working_text = None
    if target in ACCEPTED_STATES:
        # Merged first: an acceptance that does not apply raises, and nothing of the ruling is written.
        working_text = _apply(session, actor, proposal, data.text or proposal.text)
    _record_ruling(session, actor, proposal, data)
    return RulingOutcome(
        proposal=proposal_views(session, [proposal])[0],
        applied=target in ACCEPTED_STATES,
        working_text=working_text,
    )


def rule_many(
    session: Session, actor: Actor, slug: str, proposal_ids: list[int], data: RulingInput
) -> list[RulingOutcome]:
    """One decision and one reason on several proposals, in one transaction, each recorded and audited as
    a single ruling is. If any of them may not be ruled so, nothing is: the refusal names every one."""
    process = get_process(session, slug)
    assert process.id is not None
    require_cofacilitator(actor, process.id)
    if not proposal_ids:
        raise InvalidInput("choose the proposals to rule on", field="proposal")
    if data.decision == Decision.ACCEPT_WITH_CHANGES:
        raise InvalidInput(
            "accepting with changes takes the co-facilitators' own text for each proposal: rule on those "
            "one by one",
            field="decision",
        )
    lock_process(session, process.id, exclusive=True)
    wanted = list(dict.fromkeys(proposal_ids))
    found = {
        p.id: p
        for p in session.exec(select(Proposal).where(col(Proposal.id).in_(wanted)).with_for_update()).all()
    }
    problems = [_why_not(found.get(pid), pid, process.id, data.decision) for pid in wanted]
    refused = [problem for problem in problems if problem]
    if refused:
        raise Conflict(f"nothing was ruled: {'; '.join(refused)}")
    outcomes = []
    for pid in wanted:
        proposal = found[pid]
        # An acceptance that does not merge raises here: the whole request rolls back, nothing is kept.
        working_text = (
            _apply(session, actor, proposal, proposal.text) if data.decision == Decision.ACCEPT else None
        )
        _record_ruling(session, actor, proposal, data)
        outcomes.append((proposal, working_text))
    views = {v.id: v for v in proposal_views(session, [p for p, _t in outcomes])}
    applied = data.decision == Decision.ACCEPT
    return [RulingOutcome(proposal=views[saved_id(p)], applied=applied, working_text=t) for p, t in outcomes]


def _why_not(proposal: Proposal | None, proposal_id: int, process_id: int, decision: str) -> str | None:
    """Why the proposal may not be ruled on so (None: it may)."""
    if proposal is None or proposal.process_id != process_id:
        return f"there is no proposal {proposal_id} in this process"
    if not is_pending(proposal.state):
        return f"proposal {proposal_id} is {proposal.state.replace('_', ' ')}, no longer waiting for a ruling"
    try:
        check_transition(proposal.state, DECISION_STATES[decision])
    except Conflict as error:
        return f"proposal {proposal_id}: {error.message}"
    return None


def _record_ruling(session: Session, actor: Actor, proposal: Proposal, data: RulingInput) -> None:
    assert actor.user_id is not None and proposal.id is not None
    session.add(
        Ruling(
            proposal_id=proposal.id,
            decision=data.decision,
            reason=data.reason,
            text=data.text,
            ruled_by_id=actor.user_id,
        )
    )
    proposal.state = DECISION_STATES[data.decision]
    proposal.updated_at = utcnow()
    proposal.lock_version += 1
    session.add(proposal)
    session.flush()
    payload = {"decision": data.decision, "reason": data.reason, "text": data.text}
    record_event(session, actor, "proposal.ruled", "proposal", proposal.id, payload, proposal.process_id)
    notifications.proposal_ruled(session, actor, proposal, data.reason)


def _check_ruling_text(data: RulingInput, proposal: Proposal) -> None:
    if data.decision != Decision.ACCEPT_WITH_CHANGES:
        if data.text is not None:
            raise InvalidInput("only a ruling that accepts with changes carries text", field="text")
        return
    if proposal.action == ProposalAction.DELETE:
        raise InvalidInput(
            "a deletion is accepted or not; to reword the paragraph, edit the working copy", field="decision"
        )
    if not (data.text or "").strip():
        raise InvalidInput("accepting with changes needs the co-facilitators' text", field="text")


def _apply(session: Session, actor: Actor, proposal: Proposal, wording: str) -> str | None:
    process = session.get(Process, proposal.process_id)
    paragraph = session.get(Paragraph, proposal.paragraph_id)
    assert process is not None and paragraph is not None
    working = open_working_copy(session, actor, process)
    source = f"proposal {proposal.id}"
    if proposal.action == ProposalAction.INSERT:
        return _apply_insertion(session, working, paragraph, proposal, wording, source)
    version = _still_in(session, working, paragraph)
    if proposal.action == ProposalAction.DELETE:
        session.delete(version)
        session.flush()
        return None
    set_text(version, accepted_text(proposal.base_text, version.text, wording, source), [source])
    version.lock_version += 1
    session.add(version)
    session.flush()
    return version.text


def _apply_insertion(
    session: Session, working: Revision, paragraph: Paragraph, proposal: Proposal, text: str, source: str
) -> str:
    after = _still_in(session, working, paragraph)
    new_paragraph = Paragraph(
        process_id=proposal.process_id,
        key=insertion_key(paragraph.key, proposal.id),
        wid=insertion_wid(after.eid, proposal.id),
        origin_revision_id=working.id,
        inserted_by_id=proposal.id,
    )
    session.add(new_paragraph)
    session.flush()
    version = insert_after(session, working, after, new_paragraph, text)
    version.provenance = provenance.to_json(provenance.whole(text, [source]))
    session.add(version)
    session.flush()
    return text


def _still_in(session: Session, working: Revision, paragraph: Paragraph) -> ParagraphVersion:
    # The ruling would be recorded for a text it cannot reach: refuse it whole (nothing is written).
    try:
        return working_version(session, working, paragraph.key)[1]
    except NotFound:
        raise Conflict(
            f"paragraph {paragraph.key} is no longer in the working copy (an accepted deletion removed it); "
            "reject or defer this proposal, or restore the paragraph first"
        ) from None


def acceptances_pending_reflection(session: Session, process_id: int) -> list[tuple[Ruling, Proposal]]:
    """Acceptances not yet reflected in a published revision, with their proposals."""
    rows = session.exec(
        select(Ruling, Proposal)
        .join(Proposal, col(Proposal.id) == Ruling.proposal_id)
        .where(Proposal.process_id == process_id, col(Ruling.reflected_in_revision_id).is_(None))
        .where(col(Ruling.decision).in_(ACCEPTING))
        .order_by(col(Ruling.id))
    ).all()
    return [(ruling, proposal) for ruling, proposal in rows]


def settle_compromise(
    session: Session, actor: Actor, slug: str, key: str, data: ParagraphEdit, merged: list[int], reason: str
) -> None:
    """Save the merge editor's compromise and rule on each proposal merged into it.

    The merged proposals' words keep their provenance through the co-facilitators' edits; each proposal is
    accepted where the compromise says all it changes, else accepted with the compromise as its text."""
    process = get_process(session, slug)
    working = open_working_copy(session, actor, process)  # authorizes: co-facilitators only
    paragraph, version = working_version(session, working, key)
    proposals = [_mergeable(session, process, paragraph, pid) for pid in dict.fromkeys(merged)]
    before = provenance.from_json(version.provenance, version.text)
    edit_paragraph(session, actor, slug, key, data)
    if not proposals:
        return
    parts = [Merged(f"proposal {p.id}", p.base_text, p.text) for p in proposals]
    spans = compromise_provenance(proposals[0].base_text, before, parts, version.text)
    version.provenance = provenance.to_json(spans)
    session.add(version)
    for proposal, ruling in zip(proposals, compromise_rulings(parts, version.text), strict=True):
        data_ = RulingInput(decision=ruling.decision, reason=reason, text=ruling.text)
        _record_ruling(session, actor, proposal, data_)
    session.flush()


def _mergeable(session: Session, process: Process, paragraph: Paragraph, proposal_id: int) -> Proposal:
    proposal = lock_proposal(session, proposal_id, exclusive_process=True)
    current = latest_published(session, process)
    if proposal.process_id != process.id or proposal.paragraph_id != paragraph.id:
        raise InvalidInput(f"proposal {proposal_id} is not on paragraph {paragraph.key}")
    if proposal.action != ProposalAction.AMEND or not is_pending(proposal.state):
        raise Conflict(
            f"proposal {proposal_id} is {proposal.state.replace('_', ' ')}, not an amendment waiting for a "
            "ruling: it cannot be merged into the compromise"
        )
    if proposal.base_revision_id != current.id:
        raise Conflict(f"proposal {proposal_id} amends an earlier revision; its sponsor must update it first")
    return proposal
