"""Publishing the working copy as the next revision, and carrying pending proposals onto it."""

from collections import Counter

from sqlalchemy import update
from sqlmodel import Session, col, select

from api.domain.errors import Conflict
from api.domain.hashing import sha256_hex
from api.domain.negotiation import (
    PENDING_STATES,
    Decided,
    LinkKind,
    ParagraphKind,
    ProposalState,
    RebaseStatus,
    RevisionState,
    check_transition,
    effective_status,
    is_reflected,
)
from api.domain.numbering import citation
from api.domain.renumbering import Numbered, renumbered
from api.domain.text import inside_crossing
from api.domain.text.carrying import CarryCase, CarryOutcome, Placed, carry
from api.models import (
    Delegation,
    Paragraph,
    ParagraphLink,
    ParagraphVersion,
    Process,
    Proposal,
    Revision,
    Ruling,
)
from api.models.base import saved_id, utcnow
from api.services import notifications
from api.services.actors import Actor, require_cofacilitator
from api.services.audit import record_event
from api.services.inputs import PublishInput
from api.services.locks import lock_process
from api.services.revisions import compute_content_hash, get_process, paragraph_rows, revision_summary
from api.services.rulings import acceptances_pending_reflection
from api.services.schemas import CarriedProposal, PublishPreview, PublishReport, Renumbered
from api.services.working_copy import find_working_copy


def publish(session: Session, actor: Actor, slug: str, data: PublishInput) -> PublishReport:
    """Seal the working copy as an immutable revision and rebase every pending proposal, atomically."""
    process = get_process(session, slug)
    assert process.id is not None
    require_cofacilitator(actor, process.id)
    lock_process(session, saved_id(process), exclusive=True)
    working = find_working_copy(session, process)
    if working is None:
        raise Conflict("there is no working copy to publish; open one by editing or ruling first")
    if working.source.get("kind") == "import" and not working.source.get("alignment_confirmed"):
        raise Conflict("the imported revision's alignment must be confirmed before it is published")
    _check_label_free(session, process, data.label)
    _seal(session, actor, process, working, data)
    reflected, not_reflected = _reflect_rulings(session, process, working)
    scene = _Scene(session, working)
    pending = _pending(session, process, working)
    codes = _sponsor_codes(session, pending)
    carried = [_carry(proposal, working, scene, codes) for proposal in pending]
    session.flush()  # every carried proposal in one flush (batched updates), not one flush each
    payload = {
        "label": working.label,
        "content_hash": working.content_hash,
        "rulings": reflected,
        "rulings_not_reflected": not_reflected,
        "proposals": {str(c.id): {"outcome": c.outcome, "text_sha256": c.text_sha256} for c in carried},
    }
    record_event(session, actor, "revision.published", "revision", working.id, payload, process.id)
    notifications.revision_published(session, actor, working, carried)
    return PublishReport(
        revision=revision_summary(session, working),
        rulings_reflected=reflected,
        rulings_not_reflected=not_reflected,
        proposals=carried,
    )


def preview(session: Session, actor: Actor, slug: str, label: str = "") -> PublishPreview:
    """What publishing now would do to every pending proposal, computed without changing anything."""
    process = get_process(session, slug)
    require_cofacilitator(actor, saved_id(process))
    working = find_working_copy(session, process)
    if working is None:
        raise Conflict("there is no working copy to publish; open one by editing or ruling first")
    name = label.strip() or "the new revision"
    scene = _Scene(session, working)
    pending = _pending(session, process, working)
    codes = _sponsor_codes(session, pending)
    reports = []
    for proposal in pending:
        outcome = _outcome(proposal, name, scene)
        reports.append(
            _report(proposal, outcome, outcome.text if outcome.text is not None else proposal.text, codes)
        )
    counts = Counter(report.outcome for report in reports)
    return PublishPreview(
        label=name,
        renumbered=[
            Renumbered(key=key, number=new, former_number=version.number)
            for key, version, new in _renumbering(session, working)
        ],
        proposals=reports,
        carried=counts[RebaseStatus.CARRIED],
        needs_attention=counts[RebaseStatus.NEEDS_ATTENTION],
        superseded=counts[RebaseStatus.SUPERSEDED],
    )


def _check_label_free(session: Session, process: Process, label: str) -> None:
    taken = session.exec(
        select(Revision).where(Revision.process_id == process.id, Revision.label == label)
    ).first()
    if taken is not None:
        raise Conflict(f"process {process.slug!r} already has a revision labelled {label!r}")


def _seal(session: Session, actor: Actor, process: Process, working: Revision, data: PublishInput) -> None:
    _settle_statuses(session, working)
    _renumber(session, working)
    working.label = data.label
    if process.symbol_pattern:
        working.symbol = process.symbol_pattern.replace("{label}", data.label)
    working.summary = data.summary
    working.document_date = (data.document_date or utcnow().date()).isoformat()
    working.state = RevisionState.PUBLISHED
    working.published_at = utcnow()
    working.published_by_id = actor.user_id
    session.add(working)
    session.flush()
    working.content_hash = compute_content_hash(session, process, working)
    session.add(working)
    session.flush()


def _settle_statuses(session: Session, working: Revision) -> None:
    # What is sealed is the status the brackets give each paragraph (an import declares every one open).
    # Four columns read and one batched update of the changed rows: no ORM object for each paragraph.
    rows = session.exec(
        select(ParagraphVersion.id, ParagraphVersion.text, ParagraphVersion.status, ParagraphVersion.eid)
        .where(ParagraphVersion.revision_id == working.id)
        .order_by(col(ParagraphVersion.position))
    ).all()
    crossed = inside_crossing([(text, eid) for _id, text, _status, eid in rows])
    changed = [
        {"id": version_id, "status": settled}
        for (version_id, text, status, _eid), inside in zip(rows, crossed, strict=True)
        if (settled := effective_status(text, status, crossed=inside)) != status
    ]
    if changed:
        session.execute(update(ParagraphVersion), changed)


def _renumbering(session: Session, working: Revision) -> list[tuple[str, ParagraphVersion, str | None]]:
    """Each paragraph whose number publication changes: its key, its version now, its new number.

    A revision issued from a working copy is numbered again in document order; an imported draft is
    published as it was issued, numbers and all."""
    if working.source.get("kind") != "working_copy":
        return []
    rows = paragraph_rows(session, saved_id(working))
    numbers = renumbered(
        [
            Numbered(v.number, v.part, v.preambular, heading=v.kind == ParagraphKind.HEADING)
            for v, _paragraph in rows
        ]
    )
    return [
        (paragraph.key, version, new)
        for (version, paragraph), new in zip(rows, numbers, strict=True)
        if new != version.number
    ]


def _renumber(session: Session, working: Revision) -> None:
    # Only the number changes: the paragraph (its wId, its proposals) stays the same.
    for _key, version, new in _renumbering(session, working):
        version.former_number = version.number
        version.number = new
        if version.kind == ParagraphKind.UNNUMBERED:
            version.kind = ParagraphKind.PARAGRAPH  # a preambular paragraph numbered PP1 …
        session.add(version)
    session.flush()


def _reflect_rulings(session: Session, process: Process, revision: Revision) -> tuple[list[int], list[int]]:
    """Mark each acceptance the revision verifiably holds; the others are named, and wait for a later one."""
    assert process.id is not None
    texts = dict(
        session.exec(
            select(ParagraphVersion.paragraph_id, ParagraphVersion.text).where(
                ParagraphVersion.revision_id == revision.id
            )
        ).all()
    )
    inserted = dict(
        session.exec(
            select(Paragraph.inserted_by_id, ParagraphVersion.text)
            .join(ParagraphVersion, col(ParagraphVersion.paragraph_id) == Paragraph.id)
            .where(ParagraphVersion.revision_id == revision.id, col(Paragraph.inserted_by_id).is_not(None))
        ).all()
    )
    reflected: list[int] = []
    missing: list[int] = []
    for ruling, proposal in acceptances_pending_reflection(session, process.id):
        assert ruling.id is not None
        if is_reflected(
            _decided(ruling, proposal), texts.get(proposal.paragraph_id), inserted.get(proposal.id)
        ):
            ruling.reflected_in_revision_id = revision.id
            session.add(ruling)
            reflected.append(ruling.id)
        else:
            missing.append(ruling.id)
    session.flush()
    return reflected, missing


def _decided(ruling: Ruling, proposal: Proposal) -> Decided:
    return Decided(ruling.decision, proposal.action, proposal.base_text, ruling.text or proposal.text)


def _pending(session: Session, process: Process, revision: Revision) -> list[Proposal]:
    return list(
        session.exec(
            select(Proposal)
            .where(Proposal.process_id == process.id, col(Proposal.state).in_(PENDING_STATES))
            .where(Proposal.base_revision_id != revision.id)
            .order_by(col(Proposal.id))
        ).all()
    )


def _sponsor_codes(session: Session, proposals: list[Proposal]) -> dict[int, str]:
    ids = {p.sponsor_id for p in proposals}
    rows = session.exec(select(Delegation.id, Delegation.code).where(col(Delegation.id).in_(ids))).all()
    return {row_id: code for row_id, code in rows if row_id is not None}


def _carry(proposal: Proposal, revision: Revision, scene: "_Scene", codes: dict[int, str]) -> CarriedProposal:
    outcome = _outcome(proposal, revision.label, scene)
    status = RebaseStatus(outcome.status)
    if status == RebaseStatus.SUPERSEDED:
        check_transition(proposal.state, ProposalState.SUPERSEDED)
        proposal.state = ProposalState.SUPERSEDED
    if status == RebaseStatus.CARRIED and outcome.base_text is not None:
        proposal.base_revision_id = saved_id(revision)
        proposal.base_text = outcome.base_text
        proposal.text = outcome.text if outcome.text is not None else proposal.text
    proposal.rebase_status = status
    proposal.rebase_note = outcome.note
    proposal.lock_version += 1
    proposal.updated_at = utcnow()
    return _report(proposal, outcome, proposal.text, codes)


def _report(proposal: Proposal, outcome: CarryOutcome, text: str, codes: dict[int, str]) -> CarriedProposal:
    return CarriedProposal(
        id=saved_id(proposal),
        sponsor=codes.get(proposal.sponsor_id, ""),
        outcome=outcome.status,
        note=outcome.note,
        text_sha256=sha256_hex(text),
    )


class _Scene:
    """The new revision as the carrying sees it: its paragraphs, their names, and how sure each link is."""

    def __init__(self, session: Session, revision: Revision) -> None:
        assert revision.id is not None
        rows = paragraph_rows(session, revision.id)
        self.version_of = {saved_id(p): v for v, p in rows}
        self.name_of = {saved_id(p): _name(v) for v, p in rows}
        self.placed_of = {saved_id(p): Placed(_name(v), v.text) for v, p in rows}
        self.placed = list(self.placed_of.values())
        self.key_of = {saved_id(p): p.key for _v, p in rows}
        links = session.exec(select(ParagraphLink).where(ParagraphLink.revision_id == revision.id)).all()
        self.links = list(links)
        source = revision.source if revision.source.get("kind") == "import" else {}
        self.evidence: list[dict[str, object] | None] = list(source.get("evidence", []))
        self.imported = bool(source)

    def doubt(self, paragraph_id: int, label: str) -> str | None:
        """Why the link from the proposal's paragraph to the new revision cannot be trusted, if it cannot."""
        here = self.name_of.get(paragraph_id, "")
        out = [link for link in self.links if link.source_paragraph_id == paragraph_id]
        into = [
            link
            for link in self.links
            if link.paragraph_id == paragraph_id and link.relation == LinkKind.MERGE
        ]
        others = _names([self.name_of.get(link.paragraph_id, "") for link in out])
        if any(link.relation == LinkKind.SPLIT for link in out):
            return f"In {label} this paragraph was split: its text is now in {_names([here, others])}."
        if out:
            return f"In {label} this paragraph was merged into {others}."
        if into:
            return f"In {label} this paragraph was merged with others into {here}."
        version = self.version_of.get(paragraph_id)
        if version is None or not self.imported:
            return None
        entry = self.evidence[version.position] if version.position < len(self.evidence) else None
        if entry is None or entry.get("confidence") in ("sure", "confirmed"):
            return None
        reasons = entry.get("reasons")
        why = "; ".join(map(str, reasons)) if isinstance(reasons, list) else ""
        because = f" ({why})" if why else ""  # never an empty pair of parentheses
        return (
            f"{label} probably continues this paragraph in {here}{because}, but the match is not certain "
            "and nobody has confirmed it."
        )


def _names(names: list[str]) -> str:
    names = [name for name in names if name]
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else "".join(names)


def _name(version: ParagraphVersion) -> str:
    """How a delegate would name a paragraph: its number and the heading it stands under."""
    where = f" under «{version.section}»" if version.section else ""
    cited = citation(version.number, version.kind)
    if cited and version.kind != ParagraphKind.HEADING:
        return f"{cited}{where}"
    first = version.text[:40].rstrip() + ("…" if len(version.text) > 40 else "")
    return f"the paragraph «{first}»{where}"


def _outcome(proposal: Proposal, label: str, scene: _Scene) -> CarryOutcome:
    current = scene.placed_of.get(proposal.paragraph_id)
    case = CarryCase(
        action=proposal.action,
        base_text=proposal.base_text,
        text=proposal.text,
        label=label,
        current=current,
        doubt=scene.doubt(proposal.paragraph_id, label),
        revision=scene.placed,
    )
    return carry(case)
