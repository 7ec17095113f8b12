"""Proposals: tabling, editing, withdrawing, co-sponsoring, and reading them (the compilation)."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, bindparam, exists, false, insert, update
from sqlalchemy import select as core_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from api.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from api.domain.hashing import sha256_hex
from api.domain.negotiation import ProposalAction, ProposalState, RebaseStatus, check_transition, is_pending
from api.domain.text_input import visible_wording
from api.models import (
    AuditEvent,
    CoSponsorship,
    Delegation,
    GroupMembership,
    Mandate,
    MandateElement,
    Paragraph,
    ParagraphTag,
    ParagraphVersion,
    Process,
    Proposal,
    Revision,
    Ruling,
    User,
)
from api.models.base import as_utc, saved_id, utcnow
from api.services import notifications
from api.services.actors import Actor, require_cofacilitator, require_delegation_member
from api.services.audit import record_event
from api.services.facts import tabled_proposal_facts
from api.services.inputs import ProposalEdit, ProposalInput
from api.services.locks import lock_process
from api.services.redlines import proposal_redline, redline
from api.services.release_scope import can_read_proposals, is_insider, released_to
from api.services.revisions import get_process, latest_published_id, latest_published_revision, paragraph_rows
from api.services.schemas import (
    CompilationEntry,
    CompilationView,
    CoSponsorView,
    DelegationNames,
    ProposalView,
    RulingView,
)

Row = TypeVar("Row", Paragraph, Revision, Delegation, User)


def latest_published(session: Session, process: Process) -> Revision:
    """The process's current published revision: the base of every new proposal."""
    revision = latest_published_revision(session, process)
    if revision is None:
        raise Conflict(f"process {process.slug!r} has no published revision to propose amendments to")
    return revision


def paragraph_in(session: Session, revision: Revision, key: str) -> tuple[Paragraph, ParagraphVersion]:
    """A paragraph by key and its version in a revision, or NotFound."""
    row = session.exec(
        select(Paragraph, ParagraphVersion)
        .join(ParagraphVersion, col(ParagraphVersion.paragraph_id) == Paragraph.id)
        .where(Paragraph.process_id == revision.process_id, Paragraph.key == key)
        .where(ParagraphVersion.revision_id == revision.id)
    ).first()
    if row is None:
        raise NotFound(f"revision {revision.label!r} has no paragraph {key!r}")
    return row[0], row[1]


@dataclass(frozen=True)
class _Base:
    """The paragraph of the current revision that a new proposal is tabled on."""

    revision_id: int
    label: str
    paragraph_id: int
    key: str
    text: str
    number: str | None


# Built once (building it costs more than running it): the current revision's paragraph by key.
_BASE: Select[*tuple[Any, ...]] = (
    core_select(
        col(Revision.id),
        col(Revision.label),
        col(Paragraph.id).label("paragraph_id"),
        col(ParagraphVersion.text),
        col(ParagraphVersion.number),
    )
    .join(ParagraphVersion, col(ParagraphVersion.revision_id) == Revision.id)
    .join(Paragraph, col(Paragraph.id) == ParagraphVersion.paragraph_id)
    .where(
        col(Revision.id) == latest_published_id(bindparam("process_id")),
        col(Paragraph.key) == bindparam("key"),
    )
)


def _base_for(session: Session, process: Process, key: str) -> _Base:
    """The current revision's paragraph with this key: one query on the way every submit takes."""
    row = session.execute(_BASE, {"process_id": process.id, "key": key}).first()
    if row is not None:
        return _Base(row.id, row.label, row.paragraph_id, key, row.text, row.number)
    # No published revision, or no such paragraph in it: the two steps say which.
    revision = latest_published(session, process)
    paragraph, version = paragraph_in(session, revision, key)
    return _Base(saved_id(revision), revision.label, saved_id(paragraph), key, version.text, version.number)


def _check_proposal_text(action: str, text: str, base_text: str) -> None:
    if action in (ProposalAction.AMEND, ProposalAction.INSERT) and not visible_wording(text):
        raise InvalidInput(f"an {action} proposal needs the text it proposes", field="text")
    if action == ProposalAction.AMEND and visible_wording(text) == visible_wording(base_text):
        raise InvalidInput("the proposed text reads the same as the paragraph's text", field="text")
    if action == ProposalAction.DELETE and text:
        raise InvalidInput("a deletion proposes no text; give the reason as its justification", field="text")


def _check_justification(justification: str) -> None:
    # Co-facilitators weigh a proposal by its reasons: a delegation always says why it proposes it.
    if not visible_wording(justification):
        raise InvalidInput(
            "a proposal needs a justification: say why your delegation proposes it", field="justification"
        )


def _group_for(session: Session, actor_delegation_id: int, code: str | None) -> Delegation | None:
    if code is None:
        return None
    group = session.exec(select(Delegation).where(Delegation.code == code.upper())).first()
    if group is None or group.kind != "group":
        raise InvalidInput(f"{code!r} is not a negotiating group", field="on_behalf_of")
    member = session.exec(
        select(GroupMembership).where(
            GroupMembership.group_id == group.id, GroupMembership.member_id == actor_delegation_id
        )
    ).first()
    if member is None:
        raise Forbidden(f"your delegation is not a member of {group.code}, so it cannot speak on its behalf")
    return group


def table_proposal(
    session: Session, actor: Actor, slug: str, data: ProposalInput, idempotency_key: str | None = None
) -> ProposalView:
    """Table a proposal on a paragraph of the current revision; one per Idempotency-Key."""
    process = get_process(session, slug)
    assert process.id is not None
    delegation_id = require_delegation_member(actor, process.id)
    if idempotency_key is not None:
        existing = _by_idempotency_key(session, actor, idempotency_key)
        if existing is not None:
            return _same_or_conflict(session, existing, data, slug)
    # A publish (exclusive) cannot slip in between reading the base and committing this proposal.
    lock_process(session, process.id, exclusive=False)
    base = _base_for(session, process, data.paragraph_key)
    _check_proposal_text(data.action, data.text, base.text)
    _check_justification(data.justification)
    group = _group_for(session, delegation_id, data.on_behalf_of)
    assert actor.user_id is not None
    proposal = Proposal(
        process_id=process.id,
        base_revision_id=base.revision_id,
        paragraph_id=base.paragraph_id,
        action=data.action,
        text=data.text,
        base_text=base.text,
        justification=data.justification,
        sponsor_id=delegation_id,
        on_behalf_of_id=group.id if group else None,
        author_id=actor.user_id,
        idempotency_key=idempotency_key,
    )
    try:
        with session.begin_nested():
            # A Core insert: the request never changes the new row again, the ORM would only track it.
            proposal.id = session.execute(_INSERT, proposal.model_dump(exclude={"id"})).scalar_one()
    except IntegrityError:
        # Another request with the same Idempotency-Key won the race: answer with its proposal.
        existing = _by_idempotency_key(session, actor, idempotency_key or "")
        if existing is None:
            raise
        return _same_or_conflict(session, existing, data, slug)
    _record_tabling(session, actor, proposal, data.paragraph_key, group)
    notifications.proposal_tabled(session, actor, proposal)
    return _tabled_view(actor, process, base, group, proposal)


def _record_tabling(
    session: Session, actor: Actor, proposal: Proposal, key: str, group: Delegation | None
) -> None:
    # The facts come from what the tabling holds: nothing is read back of what was just written.
    facts = tabled_proposal_facts(
        proposal, actor.delegation_code or "", group.code if group else None, actor.username
    )
    payload = _content(proposal, paragraph=key)
    record_event(
        session, actor, "proposal.tabled", "proposal", proposal.id, payload, proposal.process_id, facts=facts
    )


def _tabled_view(
    actor: Actor, process: Process, base: _Base, group: Delegation | None, proposal: Proposal
) -> ProposalView:
    """The read model of a proposal just tabled, from the rows the tabling read (the same as reading it)."""
    codes = {proposal.sponsor_id: actor.delegation_code or ""}
    if group is not None and proposal.on_behalf_of_id is not None:
        codes[proposal.on_behalf_of_id] = group.code
    refs = _Refs(
        slugs={proposal.process_id: process.slug},
        keys={proposal.paragraph_id: base.key},
        labels={proposal.base_revision_id: base.label},
        codes=codes,
        usernames={proposal.author_id: actor.username},
        numbers={(proposal.base_revision_id, proposal.paragraph_id): base.number},
        # Tabled now, under the process lock a publication takes exclusively: on the current revision.
        tabled_on={saved_id(proposal): base.label},
        group_names={saved_id(group): group_names(group)} if group is not None else {},
    )
    return _view(proposal, refs)


_INSERT = insert(Proposal).returning(col(Proposal.id))
_BY_KEY = select(Proposal).where(
    col(Proposal.author_id) == bindparam("author_id"), col(Proposal.idempotency_key) == bindparam("key")
)


_INSERT = insert(Proposal).returning(col(Proposal.id))
_BY_KEY = select(Proposal).where(
    col(Proposal.author_id) == bindparam("author_id"), col(Proposal.idempotency_key) == bindparam("key")
)


def _by_idempotency_key(session: Session, actor: Actor, key: str) -> Proposal | None:
    return session.exec(_BY_KEY, params={"author_id": actor.user_id, "key": key}).first()


def _same_or_conflict(session: Session, existing: Proposal, data: ProposalInput, slug: str) -> ProposalView:
    view = proposal_views(session, [existing])[0]
    asked = (
        slug,
        data.paragraph_key,
        data.action,
        data.text,
        data.justification,
        (data.on_behalf_of or "").upper(),
    )
    found = (
        view.process,
        view.paragraph_key,
        view.action,
        view.text,
        view.justification,
        view.on_behalf_of or "",
    )
    same_sponsor = asked[0] == found[0] and asked[-1] == found[-1]  # process, on behalf of: never carried
    if asked != found and not (same_sponsor and _tabled_as_asked(session, existing, data)):
        raise Conflict("this Idempotency-Key was already used for a different proposal")
    return view


def _tabled_as_asked(session: Session, proposal: Proposal, data: ProposalInput) -> bool:
    # A publish may since have carried the proposal onto new text; what was tabled is in its first event.
    tabled = session.exec(
        select(AuditEvent).where(
            AuditEvent.subject_type == "proposal",
            AuditEvent.subject_id == str(proposal.id),
            AuditEvent.action == "proposal.tabled",
        )
    ).first()
    if tabled is None:
        return False
    payload = tabled.payload
    return (
        payload.get("paragraph") == data.paragraph_key
        and payload.get("action") == data.action
        and payload.get("text_sha256") == sha256_hex(data.text)
        and payload.get("justification_sha256") == sha256_hex(data.justification)
    )


def _content(proposal: Proposal, **extra: object) -> dict[str, object]:
    """What the audit log keeps of a proposal's wording: hashes, so any later change to it shows."""
    return {
        "action": proposal.action,
        "text_sha256": sha256_hex(proposal.text),
        "justification_sha256": sha256_hex(proposal.justification),
        "on_behalf_of_id": proposal.on_behalf_of_id,
        **extra,
    }


def _record(
    session: Session, actor: Actor, action: str, proposal: Proposal, payload: dict[str, object]
) -> None:
    record_event(session, actor, action, "proposal", proposal.id, payload, proposal.process_id)


def load_proposal(session: Session, proposal_id: int) -> Proposal:
    """A proposal by id, or NotFound."""
    proposal = session.get(Proposal, proposal_id)
    if proposal is None:
        raise NotFound(f"no proposal {proposal_id}")
    return proposal


def lock_proposal(session: Session, proposal_id: int, *, exclusive_process: bool = False) -> Proposal:
    """A proposal to change: its process locked first, then its own row, read afresh."""
    proposal = load_proposal(session, proposal_id)
    lock_process(session, proposal.process_id, exclusive=exclusive_process)
    locked = session.get(Proposal, proposal_id, with_for_update=True, populate_existing=True)
    assert locked is not None
    return locked


def _require_sponsor(actor: Actor, proposal: Proposal) -> None:
    require_delegation_member(actor, proposal.process_id)
    if actor.delegation_id != proposal.sponsor_id:
        raise Forbidden("only the sponsoring delegation may change or withdraw its proposal")


def _check_lock(proposal: Proposal, lock_version: int) -> None:
    if proposal.lock_version != lock_version:
        raise Conflict(
            f"proposal {proposal.id} was changed by someone else (version {proposal.lock_version}, "
            f"yours {lock_version}); reload it — your text is still in your form"
        )


def edit_proposal(session: Session, actor: Actor, proposal_id: int, data: ProposalEdit) -> ProposalView:
    """The sponsor edits a proposal until it is ruled on; a stale version is a 409."""
    proposal = lock_proposal(session, proposal_id)
    _require_sponsor(actor, proposal)
    if not is_pending(proposal.state):
        raise Conflict(f"a proposal that is {proposal.state.replace('_', ' ')} can no longer be edited")
    _check_lock(proposal, data.lock_version)
    if proposal.rebase_status == RebaseStatus.NEEDS_ATTENTION:
        if data.text is None:
            raise InvalidInput(
                "this proposal could not be carried: send its text updated against the new revision"
            )
        _move_to_current_revision(session, proposal)
    text = data.text if data.text is not None else proposal.text
    _check_proposal_text(proposal.action, text, proposal.base_text)
    proposal.text = text
    if data.justification is not None:
        _check_justification(data.justification)
        proposal.justification = data.justification
    _touch(session, proposal)
    _record(
        session, actor, "proposal.edited", proposal, _content(proposal, lock_version=proposal.lock_version)
    )
    return proposal_views(session, [proposal])[0]


def _move_to_current_revision(session: Session, proposal: Proposal) -> None:
    # A proposal that could not be carried is updated by its sponsor against the current text.
    process = session.get(Process, proposal.process_id)
    paragraph = session.get(Paragraph, proposal.paragraph_id)
    assert process is not None and paragraph is not None
    current = latest_published(session, process)
    _paragraph, version = paragraph_in(session, current, paragraph.key)
    proposal.base_revision_id = saved_id(current)
    proposal.base_text = version.text
    proposal.rebase_status, proposal.rebase_note = RebaseStatus.UPDATED, ""


def _touch(session: Session, proposal: Proposal) -> None:
    proposal.lock_version += 1
    proposal.updated_at = utcnow()
    session.add(proposal)
    session.flush()


def withdraw_proposal(session: Session, actor: Actor, proposal_id: int) -> ProposalView:
    """The sponsor withdraws a proposal that is still pending."""
    proposal = lock_proposal(session, proposal_id)
    _require_sponsor(actor, proposal)
    check_transition(proposal.state, ProposalState.WITHDRAWN)
    proposal.state = ProposalState.WITHDRAWN
    _touch(session, proposal)
    _record(session, actor, "proposal.withdrawn", proposal, {})
    return proposal_views(session, [proposal])[0]


def _active_cosponsorship(session: Session, proposal: Proposal, delegation_id: int) -> CoSponsorship | None:
    return session.exec(
        select(CoSponsorship).where(
            CoSponsorship.proposal_id == proposal.id,
            CoSponsorship.delegation_id == delegation_id,
            col(CoSponsorship.withdrawn_at).is_(None),
        )
    ).first()


def join_cosponsors(session: Session, actor: Actor, proposal_id: int) -> ProposalView:
    """Another delegation joins a pending proposal as co-sponsor."""
    proposal = lock_proposal(session, proposal_id)
    delegation_id = require_delegation_member(actor, proposal.process_id)
    if delegation_id == proposal.sponsor_id:
        raise Conflict("the sponsor cannot co-sponsor its own proposal")
    if not is_pending(proposal.state):
        raise Conflict(f"a proposal that is {proposal.state.replace('_', ' ')} takes no new co-sponsors")
    if _active_cosponsorship(session, proposal, delegation_id) is not None:
        raise Conflict(f"{actor.delegation_code} already co-sponsors proposal {proposal.id}")
    assert proposal.id is not None
    session.add(CoSponsorship(proposal_id=proposal.id, delegation_id=delegation_id))
    _touch(session, proposal)
    _record(session, actor, "proposal.cosponsor_joined", proposal, {"delegation": actor.delegation_code})
    return proposal_views(session, [proposal])[0]


def leave_cosponsors(session: Session, actor: Actor, proposal_id: int) -> ProposalView:
    """A co-sponsor withdraws its co-sponsorship (the date is kept)."""
    proposal = lock_proposal(session, proposal_id)
    delegation_id = require_delegation_member(actor, proposal.process_id)
    if not is_pending(proposal.state):
        raise Conflict(
            f"a proposal that is {proposal.state.replace('_', ' ')} keeps its co-sponsors on record"
        )
    sponsorship = _active_cosponsorship(session, proposal, delegation_id)
    if sponsorship is None:
        raise Conflict(f"{actor.delegation_code} does not co-sponsor proposal {proposal.id}")
    sponsorship.withdrawn_at = utcnow()
    session.add(sponsorship)
    _touch(session, proposal)
    _record(session, actor, "proposal.cosponsor_left", proposal, {"delegation": actor.delegation_code})
    return proposal_views(session, [proposal])[0]


def as_released(actor: Actor, process: Process, proposal: Proposal) -> Proposal:
    """A proposal as the reader may see it: outsiders read the wording of the last release covering it."""
    assert process.id is not None
    if is_insider(actor, process.id) or proposal.released_text is None:
        return proposal
    # A detached copy (never added to the session): the row itself keeps the sponsor's current wording.
    fields = {name: getattr(proposal, name) for name in Proposal.model_fields}
    return Proposal(
        **{
            **fields,
            "text": proposal.released_text,
            "base_text": proposal.released_base_text or "",
            "justification": proposal.released_justification or "",
        }
    )


def _require_readable(actor: Actor, process: Process) -> None:
    if not can_read_proposals(actor, process):
        raise Forbidden("the compilation of proposals has not been released to observers yet")


def get_proposal(session: Session, actor: Actor, proposal_id: int) -> ProposalView:
    """One proposal, if the actor may read it (observers: once the compilation holding it is released)."""
    proposal = load_proposal(session, proposal_id)
    process = session.get(Process, proposal.process_id)
    assert process is not None
    if not released_to(actor, process, proposal):
        raise Forbidden("this proposal has not been released to observers yet")
    return proposal_views(session, [as_released(actor, process, proposal)])[0]


def list_proposals(
    session: Session,
    actor: Actor,
    slug: str,
    paragraph: str | None = None,
    delegation: str | None = None,
    state: str | None = None,
    *,
    group: str | None = None,
    element: str | None = None,
    tabled_on: str | None = None,
) -> list[ProposalView]:
    """The process's proposals in paragraph order, filtered by paragraph key, delegation, state, group
    (its members' and those on its behalf), mandate element (of the paragraph in the text it amends) or
    the revision it was tabled on."""
    process = get_process(session, slug)
    _require_readable(actor, process)
    query = select(Proposal).where(Proposal.process_id == process.id).order_by(col(Proposal.id))
    if state is not None:
        if state not in set(ProposalState):
            raise InvalidInput(f"unknown state {state!r}; one of {', '.join(ProposalState)}", field="state")
        query = query.where(Proposal.state == state)
    if paragraph is not None:
        query = query.join(Paragraph, col(Paragraph.id) == Proposal.paragraph_id).where(
            Paragraph.key == paragraph
        )
    if delegation is not None:
        query = _involving(session, query, delegation.upper())
    if group is not None:
        query = _from_group(session, query, group.upper())
    if element is not None:
        query = query.where(_on_element(process, element))
    rows = [
        as_released(actor, process, p) for p in session.exec(query).all() if released_to(actor, process, p)
    ]
    views = proposal_views(session, rows)
    # Which revision a proposal was tabled on is read from the record, not stored: filtered here.
    return [v for v in views if v.tabled_on == tabled_on] if tabled_on is not None else views


def _from_group(session: Session, query: SelectOfScalar[Proposal], code: str) -> SelectOfScalar[Proposal]:
    """Only proposals tabled by the group's members or on the group's behalf."""
    found = session.exec(select(Delegation.id).where(Delegation.code == code)).first()
    if found is None:
        return query.where(false())
    members = select(GroupMembership.member_id).where(GroupMembership.group_id == found)
    return query.where((col(Proposal.on_behalf_of_id) == found) | col(Proposal.sponsor_id).in_(members))


def _on_element(process: Process, code: str) -> ColumnElement[bool]:
    """Proposals whose paragraph, in the text it amends, is tagged with the mandate element."""
    tagged = (
        select(ParagraphTag.paragraph_version_id)
        .join(MandateElement, col(MandateElement.id) == ParagraphTag.element_id)
        .join(Mandate, col(Mandate.id) == MandateElement.mandate_id)
        .where(Mandate.process_id == process.id, MandateElement.code == code)
    )
    return exists().where(
        col(ParagraphVersion.paragraph_id) == Proposal.paragraph_id,
        col(ParagraphVersion.revision_id) == Proposal.base_revision_id,
        col(ParagraphVersion.id).in_(tagged),
    )


def _involving(session: Session, query: SelectOfScalar[Proposal], code: str) -> SelectOfScalar[Proposal]:
    """Only proposals the delegation sponsors, speaks for as a group, or co-sponsors or did."""
    # In SQL, so that a desk reads its own few proposals, not the whole compilation.
    found = session.exec(select(Delegation.id).where(Delegation.code == code)).first()
    if found is None:
        return query.where(false())
    cosponsored = select(CoSponsorship.proposal_id).where(CoSponsorship.delegation_id == found)
    return query.where(
        (col(Proposal.sponsor_id) == found)
        | (col(Proposal.on_behalf_of_id) == found)
        | col(Proposal.id).in_(cosponsored)
    )


def release_compilation(session: Session, actor: Actor, slug: str) -> None:
    """Release to observers and the public every proposal tabled so far (later ones wait for the next)."""
    process = get_process(session, slug)
    assert process.id is not None
    require_cofacilitator(actor, process.id)
    process.compilation_released_at = utcnow()
    session.add(process)
    session.flush()
    # The release publishes each proposal's wording as it is now; later edits wait for the next release.
    session.execute(
        update(Proposal)
        .where(
            col(Proposal.process_id) == process.id,
            col(Proposal.created_at) <= process.compilation_released_at,
        )
        .values(
            released_text=Proposal.text,
            released_base_text=Proposal.base_text,
            released_justification=Proposal.justification,
        )
        .execution_options(synchronize_session="fetch")
    )
    record_event(session, actor, "compilation.released", "process", slug, {}, process.id)


@dataclass(frozen=True)
class _Refs:
    """What proposals' read models name besides the proposals themselves, by id."""

    slugs: dict[int, str]
    keys: dict[int, str]
    labels: dict[int, str]
    codes: dict[int, str]
    usernames: dict[int, str]
    numbers: dict[tuple[int, int], str | None]
    tabled_on: dict[int, str]
    cosponsors: dict[int, list[CoSponsorView]] = field(default_factory=dict)
    rulings: dict[int, list[RulingView]] = field(default_factory=dict)
    group_names: dict[int, DelegationNames] = field(default_factory=dict)


def proposal_views(session: Session, proposals: Sequence[Proposal]) -> list[ProposalView]:
    """Read models for proposals, loading what they refer to in a few batched queries."""
    if not proposals:
        return []
    revisions = _by_id(session, Revision, {p.base_revision_id for p in proposals})
    refs = _Refs(
        slugs=_names(session, Process.id, Process.slug, {p.process_id for p in proposals}),
        keys=_names(session, Paragraph.id, Paragraph.key, {p.paragraph_id for p in proposals}),
        labels={revision_id: revision.label for revision_id, revision in revisions.items()},
        codes=_names(session, Delegation.id, Delegation.code, _delegation_ids(proposals)),
        usernames=_names(session, User.id, User.username, {p.author_id for p in proposals}),
        numbers=paragraph_numbers(session, proposals),
        tabled_on=_tabled_on(session, proposals, revisions),
        cosponsors=_cosponsor_views(session, [p.id for p in proposals]),
        rulings=_ruling_views(session, {saved_id(p): p.text for p in proposals}),
        group_names=_group_names(session, {p.on_behalf_of_id for p in proposals if p.on_behalf_of_id}),
    )
    return [_view(p, refs) for p in proposals]


def _view(p: Proposal, refs: _Refs) -> ProposalView:
    return ProposalView(
        id=saved_id(p),
        process=refs.slugs[p.process_id],
        action=p.action,
        paragraph_key=refs.keys[p.paragraph_id],
        paragraph_number=refs.numbers.get((p.base_revision_id, p.paragraph_id)),
        base_revision=refs.labels[p.base_revision_id],
        tabled_on=refs.tabled_on[saved_id(p)],
        base_text=p.base_text,
        text=p.text,
        justification=p.justification,
        sponsor=refs.codes[p.sponsor_id],
        on_behalf_of=refs.codes[p.on_behalf_of_id] if p.on_behalf_of_id else None,
        on_behalf_of_names=refs.group_names.get(p.on_behalf_of_id) if p.on_behalf_of_id else None,
        author=refs.usernames[p.author_id],
        cosponsors=refs.cosponsors.get(saved_id(p), []),
        state=p.state,
        rebase_status=p.rebase_status,
        rebase_note=p.rebase_note,
        created_at=p.created_at,
        updated_at=p.updated_at,
        lock_version=p.lock_version,
        redline=proposal_redline(p.action, p.base_text, p.text),
        rulings=refs.rulings.get(saved_id(p), []),
    )


def _group_names(session: Session, ids: set[int]) -> dict[int, DelegationNames]:
    """The names of the groups spoken for, by id (two columns read per group)."""
    if not ids:
        return {}
    rows = session.execute(
        core_select(col(Delegation.id), col(Delegation.name_en), col(Delegation.name_zh)).where(
            col(Delegation.id).in_(ids)
        )
    ).all()
    return {row_id: DelegationNames(name_en=en, name_zh=zh) for row_id, en, zh in rows}


def _names(session: Session, key: Any, name: Any, ids: set[int]) -> dict[int, str]:
    """One column of the rows with these ids, by id (two columns read, no ORM objects built)."""
    rows = session.execute(core_select(col(key), col(name)).where(col(key).in_(ids))).all()
    return {row_id: value for row_id, value in rows}


def _cosponsor_views(session: Session, proposal_ids: list[int | None]) -> dict[int, list[CoSponsorView]]:
    rows = session.exec(
        select(CoSponsorship, Delegation)
        .join(Delegation, col(Delegation.id) == CoSponsorship.delegation_id)
        .where(col(CoSponsorship.proposal_id).in_(proposal_ids))
        .order_by(col(CoSponsorship.joined_at))
    ).all()
    views: dict[int, list[CoSponsorView]] = {}
    for c, d in rows:
        views.setdefault(c.proposal_id, []).append(
            CoSponsorView(delegation=d.code, joined_at=c.joined_at, withdrawn_at=c.withdrawn_at)
        )
    return views


def group_names(delegation: Delegation) -> DelegationNames:
    """The names a reader sees for a group spoken for (or any delegation), from its loaded row."""
    return DelegationNames(name_en=delegation.name_en, name_zh=delegation.name_zh)


def _delegation_ids(proposals: Sequence[Proposal]) -> set[int]:
    ids = {p.sponsor_id for p in proposals}
    ids.update(p.on_behalf_of_id for p in proposals if p.on_behalf_of_id)
    return ids


def _by_id(session: Session, model: type[Row], ids: set[int]) -> dict[int, Row]:
    rows = session.exec(select(model).where(col(model.id).in_(ids))).all()
    return {saved_id(row): row for row in rows}


def paragraph_numbers(session: Session, proposals: Sequence[Proposal]) -> dict[tuple[int, int], str | None]:
    """Each proposal's paragraph number in its base revision, by (base revision id, paragraph id)."""
    if not proposals:
        return {}
    rows = session.exec(
        select(ParagraphVersion.revision_id, ParagraphVersion.paragraph_id, ParagraphVersion.number).where(
            col(ParagraphVersion.revision_id).in_({p.base_revision_id for p in proposals}),
            col(ParagraphVersion.paragraph_id).in_({p.paragraph_id for p in proposals}),
        )
    ).all()
    return {(revision_id, paragraph_id): number for revision_id, paragraph_id, number in rows}


def _tabled_on(session: Session, proposals: Sequence[Proposal], bases: dict[int, Revision]) -> dict[int, str]:
    """The revision each proposal was tabled on: the one current when it was tabled.

    Carrying a proposal moves its base to the new revision; it was still tabled on the earlier one. A
    proposal is tabled under the process lock that publishing takes exclusively, so the revision current
    then is the last one published before it (and never later than its base)."""
    published = session.exec(
        select(Revision.process_id, Revision.sequence, Revision.label, Revision.published_at)
        .where(col(Revision.process_id).in_({p.process_id for p in proposals}))
        .where(col(Revision.published_at).is_not(None))
        .order_by(col(Revision.sequence))
    ).all()
    found: dict[int, str] = {}
    for p in proposals:
        base = bases[p.base_revision_id]
        earlier = [
            label
            for process_id, sequence, label, published_at in published
            if process_id == p.process_id
            and sequence <= base.sequence
            and published_at is not None
            and as_utc(published_at) <= as_utc(p.created_at)
        ]
        found[saved_id(p)] = earlier[-1] if earlier else base.label
    return found


def _ruling_views(session: Session, texts: dict[int, str]) -> dict[int, list[RulingView]]:
    """Each proposal's rulings; where the co-facilitators reworded it, the redline from its text to theirs."""
    rows = session.exec(
        select(Ruling, User)
        .join(User, col(User.id) == Ruling.ruled_by_id)
        .where(col(Ruling.proposal_id).in_(list(texts)))
        .order_by(col(Ruling.id))
    ).all()
    reflected = {ruling.reflected_in_revision_id for ruling, _user in rows} - {None}
    labels = dict(
        session.exec(select(Revision.id, Revision.label).where(col(Revision.id).in_(reflected))).all()
    )
    views: dict[int, list[RulingView]] = {}
    for ruling, user in rows:
        views.setdefault(ruling.proposal_id, []).append(
            RulingView(
                id=saved_id(ruling),
                decision=ruling.decision,
                reason=ruling.reason,
                text=ruling.text,
                ruled_by=user.username,
                ruled_at=ruling.ruled_at,
                reflected_in=labels.get(ruling.reflected_in_revision_id),
                changes=redline(texts[ruling.proposal_id], ruling.text) if ruling.text else [],
            )
        )
    return views


def compilation(session: Session, actor: Actor, slug: str, state: str | None = None) -> CompilationView:
    """Every paragraph of the current revision that has proposals, with them ordered by delegation."""
    process = get_process(session, slug)
    current = latest_published(session, process)
    assert current.id is not None
    # This round's compilation: proposals on the current text, and those still waiting for a ruling.
    views = [
        v
        for v in list_proposals(session, actor, slug, state=state)
        if v.base_revision == current.label or is_pending(v.state)
    ]
    by_key: dict[str, list[ProposalView]] = {}
    for view in sorted(views, key=lambda v: (v.sponsor, v.id)):
        by_key.setdefault(view.paragraph_key, []).append(view)
    entries = [
        CompilationEntry(key=p.key, number=v.number, kind=v.kind, text=v.text, proposals=by_key[p.key])
        for v, p in paragraph_rows(session, current.id)
        if p.key in by_key
    ]
    return CompilationView(
        process=slug,
        revision=current.label,
        released=process.compilation_released_at is not None,
        paragraphs=entries,
    )
