"""Publishing the working copy as the next revision, and carrying pending proposals onto it."""

from sqlmodel import Session, col, select

from api.domain.errors import Conflict
from api.domain.hashing import sha256_hex
from api.domain.negotiation import PENDING_STATES, check_transition
from api.domain.text import RebaseResult, rebase
from api.models import Delegation, ParagraphVersion, Process, Proposal, Revision
from api.models.base import utcnow
from api.services.actors import Actor, require_cofacilitator
from api.services.audit import record_event
from api.services.inputs import PublishInput
from api.services.locks import lock_process
from api.services.revisions import compute_content_hash, get_process, revision_summary
from api.services.rulings import rulings_pending_reflection
from api.services.schemas import CarriedProposal, PublishReport
from api.services.working_copy import find_working_copy


def publish(session: Session, actor: Actor, slug: str, data: PublishInput) -> PublishReport:
    """Seal the working copy as an immutable revision and rebase every pending proposal, atomically."""
    process = get_process(session, slug)
    assert process.id is not None
    require_cofacilitator(actor, process.id)
    lock_process(session, process.id or 0, exclusive=True)
    working = find_working_copy(session, process)
    if working is None:
        raise Conflict("there is no working copy to publish; open one by editing or ruling first")
    if working.source.get("kind") == "import" and not working.source.get("alignment_confirmed"):
        raise Conflict("the imported revision's alignment must be confirmed before it is published")
    _check_label_free(session, process, data.label)
    _seal(session, actor, process, working, data)
    reflected = _reflect_rulings(session, process, working)
    carried = [_carry(session, proposal, working) for proposal in _pending(session, process, working)]
    payload = {
        "label": working.label,
        "content_hash": working.content_hash,
        "rulings": reflected,
        "proposals": {str(c.id): {"outcome": c.outcome, "text_sha256": c.text_sha256} for c in carried},
    }
    record_event(session, actor, "revision.published", "revision", working.id, payload, process.id)
    return PublishReport(
        revision=revision_summary(session, working), rulings_reflected=reflected, proposals=carried
    )


def _check_label_free(session: Session, process: Process, label: str) -> None:
    taken = session.exec(
        select(Revision).where(Revision.process_id == process.id, Revision.label == label)
    ).first()
    if taken is not None:
        raise Conflict(f"process {process.slug!r} already has a revision labelled {label!r}")


def _seal(session: Session, actor: Actor, process: Process, working: Revision, data: PublishInput) -> None:
    working.label = data.label
    working.summary = data.summary
    working.document_date = (data.document_date or utcnow().date()).isoformat()
    working.state = "published"
    working.published_at = utcnow()
    working.published_by_id = actor.user_id
    session.add(working)
    session.flush()
    working.content_hash = compute_content_hash(session, process, working)
    session.add(working)
    session.flush()


def _reflect_rulings(session: Session, process: Process, revision: Revision) -> list[int]:
    assert process.id is not None
    reflected = []
    for ruling in rulings_pending_reflection(session, process.id):
        if ruling.decision == "defer":
            continue  # a deferred proposal is still on the table; nothing of it is in the text yet
        ruling.reflected_in_revision_id = revision.id
        session.add(ruling)
        reflected.append(ruling.id or 0)
    session.flush()
    return reflected


def _pending(session: Session, process: Process, revision: Revision) -> list[Proposal]:
    return list(
        session.exec(
            select(Proposal)
            .where(Proposal.process_id == process.id, col(Proposal.state).in_(PENDING_STATES))
            .where(Proposal.base_revision_id != revision.id)
            .order_by(col(Proposal.id))
        ).all()
    )


def _carry(session: Session, proposal: Proposal, revision: Revision) -> CarriedProposal:
    version = session.exec(
        select(ParagraphVersion).where(
            ParagraphVersion.revision_id == revision.id,
            ParagraphVersion.paragraph_id == proposal.paragraph_id,
        )
    ).first()
    outcome, note = _rebase_onto(proposal, version, revision)
    if outcome == "superseded":
        check_transition(proposal.state, "superseded")
        proposal.state = "superseded"
    proposal.rebase_status = outcome
    proposal.rebase_note = note
    proposal.lock_version += 1
    proposal.updated_at = utcnow()
    session.add(proposal)
    session.flush()
    sponsor = session.get(Delegation, proposal.sponsor_id)
    return CarriedProposal(
        id=proposal.id or 0,
        sponsor=sponsor.code if sponsor else "",
        outcome=outcome,
        note=note,
        text_sha256=sha256_hex(proposal.text),
    )


def _rebase_onto(proposal: Proposal, version: ParagraphVersion | None, revision: Revision) -> tuple[str, str]:
    if version is None:
        return "superseded", f"the paragraph is no longer in {revision.label}"
    if proposal.action == "delete" and version.text != proposal.base_text:
        return "needs_attention", f"the paragraph was reworded in {revision.label}; confirm the deletion"
    if proposal.action != "amend":
        _move_base(proposal, version, revision, proposal.text)
        return "carried", ""
    if version.text == proposal.base_text:
        _move_base(proposal, version, revision, proposal.text)
        return "carried", ""
    result = rebase(proposal.base_text, proposal.text, version.text)
    if not result.carried or result.text is None:
        return "needs_attention", _describe_conflicts(result, revision)
    if result.text == version.text:
        return "superseded", f"{revision.label} already contains what this proposal changes"
    _move_base(proposal, version, revision, result.text)
    return "carried", ""


def _move_base(proposal: Proposal, version: ParagraphVersion, revision: Revision, text: str) -> None:
    proposal.base_revision_id = revision.id or 0
    proposal.base_text = version.text
    proposal.text = text


def _describe_conflicts(result: RebaseResult, revision: Revision) -> str:
    details = (
        "; ".join(
            f"«{c.base_text}» became «{c.revised_text}» in the revision and «{c.proposed_text}» here"
            for c in result.conflicts
        )
        or "the text it changes was rewritten"
    )
    return f"could not be carried to {revision.label}: {details}. Update it against the new text."
