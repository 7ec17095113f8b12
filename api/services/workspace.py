"""Read models for the web workspace that the JSON API does not need: standing, groups, feed, previews."""

from collections import Counter
from datetime import datetime

from pydantic import Field
from sqlalchemy import func
from sqlmodel import Session, col, select

from api.domain.negotiation import PENDING_STATES, RevisionState, effective_status
from api.domain.numbering import citation
from api.domain.text import merge
from api.models import (
    Delegation,
    GroupMembership,
    Paragraph,
    ParagraphVersion,
    Process,
    Proposal,
    Revision,
    Ruling,
)
from api.models.base import as_utc, saved_id
from api.services.actors import Actor, require_cofacilitator
from api.services.audit import chain_head
from api.services.proposals import group_names, latest_published, paragraph_in, paragraph_numbers
from api.services.release_scope import can_read_proposals, is_insider, released_to
from api.services.revisions import EnclosingBracket, enclosing_bracket, get_process, latest_published_revision
from api.services.schemas import DelegationNames, ParagraphView, Schema
from api.services.working_copy import find_working_copy, working_version

WORKING = "working copy"


class Standing(Schema):
    """What the actor may do in a process: the pages and actions the workspace offers them."""

    process_id: int
    slug: str
    title_en: str
    title_zh: str
    language: str
    roles: list[str]
    can_propose: bool
    can_facilitate: bool
    can_import: bool
    can_read_proposals: bool
    has_working_copy: bool
    # The current (latest published) revision: the base of new proposals, and the language of the text.
    current_label: str | None
    document_language: str
    # When the co-facilitators last released the compilation (it covers what was tabled until then).
    compilation_released_at: datetime | None


def standing(session: Session, actor: Actor, slug: str) -> Standing:
    """The actor's roles in a process and what they allow."""
    process = get_process(session, slug)
    assert process.id is not None
    facilitates = actor.has_role("cofacilitator", process.id)
    working = find_working_copy(session, process)
    current = latest_published_revision(session, process)
    return Standing(
        process_id=process.id,
        slug=process.slug,
        title_en=process.title_en,
        title_zh=process.title_zh,
        language=process.language,
        roles=actor.roles_in(process.id),
        can_propose=actor.has_role("delegation", process.id) and actor.delegation_id is not None,
        can_facilitate=facilitates,
        can_import=facilitates or actor.is_secretariat,
        can_read_proposals=can_read_proposals(actor, process),
        has_working_copy=working is not None and (facilitates or actor.is_secretariat),
        current_label=current.label if current else None,
        document_language=current.language if current else process.language,
        compilation_released_at=process.compilation_released_at,
    )


def process_id(session: Session, slug: str) -> int:
    """The id of a process, for subscribing to its live updates."""
    process = get_process(session, slug)
    assert process.id is not None
    return process.id


class GroupChoice(Schema):
    """A negotiating group a delegation may speak on behalf of."""

    code: str
    name_en: str
    name_zh: str


def negotiating_groups(session: Session, actor: Actor) -> list[GroupChoice]:
    """The groups the actor's delegation belongs to (the choices for "on behalf of")."""
    if actor.delegation_id is None:
        return []
    rows = session.exec(
        select(Delegation)
        .join(GroupMembership, col(GroupMembership.group_id) == Delegation.id)
        .where(GroupMembership.member_id == actor.delegation_id)
        .order_by(col(Delegation.code))
    ).all()
    return [GroupChoice(code=g.code, name_en=g.name_en, name_zh=g.name_zh) for g in rows]


def all_groups(session: Session) -> list[GroupChoice]:
    """Every negotiating group (the choices of the compilation's group filter)."""
    rows = session.exec(
        select(Delegation).where(Delegation.kind == "group").order_by(col(Delegation.code))
    ).all()
    return [GroupChoice(code=g.code, name_en=g.name_en, name_zh=g.name_zh) for g in rows]


def published_labels(session: Session, slug: str) -> list[str]:
    """The labels of the process's published revisions, oldest first."""
    process = get_process(session, slug)
    return list(
        session.exec(
            select(Revision.label)
            .where(Revision.process_id == process.id, col(Revision.published_at).is_not(None))
            .order_by(col(Revision.sequence))
        ).all()
    )


def current_paragraph(session: Session, slug: str, key: str) -> ParagraphView:
    """A paragraph of the latest published revision (the base of new proposals), or NotFound."""
    process = get_process(session, slug)
    _paragraph, version = paragraph_in(session, latest_published(session, process), key)
    return _paragraph_view(key, version, enclosing_bracket(session, version))


def current_bracket(session: Session, slug: str, key: str) -> EnclosingBracket | None:
    """The bracket over several paragraphs of the latest published revision that covers this one."""
    process = get_process(session, slug)
    _paragraph, version = paragraph_in(session, latest_published(session, process), key)
    return enclosing_bracket(session, version)


def working_paragraph(session: Session, actor: Actor, slug: str, key: str) -> ParagraphView:
    """A paragraph of the open working copy, for its co-facilitators."""
    process = get_process(session, slug)
    assert process.id is not None
    require_cofacilitator(actor, process.id)
    working = find_working_copy(session, process)
    if working is None:
        return current_paragraph(session, slug, key)
    _paragraph, version = working_version(session, working, key)
    return _paragraph_view(key, version, enclosing_bracket(session, version))


def _paragraph_view(key: str, version: ParagraphVersion, over: EnclosingBracket | None) -> ParagraphView:
    return ParagraphView(
        key=key,
        eid=version.eid,
        wid="",
        part=version.part,
        section=version.section,
        kind=version.kind,
        number=version.number,
        citation=citation(version.number, version.kind),
        text=version.text,
        footnotes=[],
        status=effective_status(version.text, version.status, crossed=over is not None),
        elements=[],
        provenance=[],
        lock_version=version.lock_version,
    )


def pending_counts(session: Session, actor: Actor, slug: str) -> dict[str, int]:
    """How many proposals wait for a ruling on each paragraph (empty if the actor may not see them)."""
    process = get_process(session, slug)
    if not can_read_proposals(actor, process):
        return {}
    query = (
        select(Paragraph.key, func.count())
        .join(Proposal, col(Proposal.paragraph_id) == Paragraph.id)
        .where(Proposal.process_id == process.id, col(Proposal.state).in_(PENDING_STATES))
        .group_by(col(Paragraph.key))
    )
    if not is_insider(actor, saved_id(process)):
        # Observers count only what a release of the compilation covers (release_scope.released_to).
        query = query.where(col(Proposal.created_at) <= process.compilation_released_at)
    rows = session.exec(query).all()
    return Counter({key: count for key, count in rows})


class ReleasePreview(Schema):
    """What releasing the compilation now would show observers (nothing is changed)."""

    proposals: int  # every proposal tabled so far: a release covers them all
    new: int  # tabled since the last release: observers have not seen them
    edited: int  # released before, edited since: observers read their new wording after this release
    last_released_at: datetime | None


def release_preview(session: Session, actor: Actor, slug: str) -> ReleasePreview:
    """How many proposals a release now covers, how many observers would see for the first time, and how
    many they would read in new wording."""
    process = get_process(session, slug)
    require_cofacilitator(actor, saved_id(process))
    released = process.compilation_released_at
    rows = session.exec(select(Proposal).where(Proposal.process_id == process.id)).all()
    new = [p for p in rows if released is None or as_utc(p.created_at) > as_utc(released)]
    edited = [
        p
        for p in rows
        if p.released_text is not None
        and (p.text, p.justification) != (p.released_text, p.released_justification)
    ]
    return ReleasePreview(proposals=len(rows), new=len(new), edited=len(edited), last_released_at=released)


# --- the merge editor's preview ------------------------------------------------------------------------


class MergePiece(Schema):
    """A piece of the merged text's redline against the base, with the proposals behind it."""

    kind: str
    text: str
    sources: list[str]


class MergeConflictPreview(Schema):
    """A span where proposals collide: the base text kept there and what each wanted instead."""

    base_text: str
    wanted: list[tuple[str, str]]


class MergePreview(Schema):
    """Merging chosen proposals (and the working copy's own edits) three-way against the base text."""

    base_text: str
    text: str
    pieces: list[MergePiece]
    conflicts: list[MergeConflictPreview]


def merge_preview(
    session: Session, actor: Actor, slug: str, key: str, proposal_texts: dict[str, str]
) -> MergePreview:
    """What merging these proposals' texts into the working copy's paragraph would give (nothing saved)."""
    base = current_paragraph(session, slug, key).text
    working = working_paragraph(session, actor, slug, key).text
    participants = [(WORKING, working)] if working != base else []
    result = merge(base, [*participants, *proposal_texts.items()])
    return MergePreview(
        base_text=base,
        text=result.text,
        pieces=[MergePiece(kind=op.kind, text=op.text, sources=sorted(op.sources)) for op in result.ops],
        conflicts=[
            MergeConflictPreview(base_text=c.base_text, wanted=[(who, text) for who, text in c.wanted])
            for c in result.conflicts
        ],
    )


# --- the Atom feed -------------------------------------------------------------------------------------


class FeedEntry(Schema):
    """One entry of a process's feed: a published revision or a ruling."""

    kind: str
    id: str
    when: datetime
    revision: str | None
    summary: str
    proposal_id: int | None
    paragraph_key: str | None
    paragraph_number: str | None
    sponsor: str | None
    on_behalf_of: str | None = None
    on_behalf_of_names: DelegationNames | None = None  # what readers see instead of the code
    decision: str | None


class FeedFilters(Schema):
    """What a feed reader narrows the rulings to: a paragraph (key), a sponsor, a group spoken for."""

    paragraph: str | None = None
    delegation: str | None = None
    group: str | None = None

    def keeps(self, entry: "FeedEntry") -> bool:
        """Whether an entry passes; a revision concerns every paragraph and delegation: only unfiltered."""
        if entry.kind == "revision":
            return not (self.paragraph or self.delegation or self.group)
        return (
            (not self.paragraph or entry.paragraph_key == self.paragraph)
            and (not self.delegation or entry.sponsor == self.delegation.upper())
            and (not self.group or entry.on_behalf_of == self.group.upper())
        )


class FeedChoice(Schema):
    """A value a feed filter can take, with how readers know it."""

    value: str
    label: str


class Feed(Schema):
    """A process's published revisions and (once the compilation is released) its rulings, newest first."""

    slug: str
    title_en: str
    updated: datetime | None
    entries: list[FeedEntry]
    # The audit chain's head when the feed was read: subscribers keep it to check the history later.
    head_hash: str | None = None
    head_at: datetime | None = None
    filters: FeedFilters = FeedFilters()
    # The values the filters can take in this feed: paragraphs ruled on, sponsors, groups spoken for.
    paragraphs: list[FeedChoice] = Field(default_factory=list)
    delegations: list[str] = Field(default_factory=list)
    groups: list[str] = Field(default_factory=list)


FEED_LIMIT = 100


def feed(session: Session, actor: Actor, slug: str, filters: FeedFilters | None = None) -> Feed:
    """The entries of a process's feed, as the actor may read them, narrowed by the filters."""
    process = get_process(session, slug)
    filters = filters or FeedFilters()
    entries = _revision_entries(session, process)
    if can_read_proposals(actor, process):
        entries.extend(_ruling_entries(session, actor, process))
    entries.sort(key=lambda entry: entry.when, reverse=True)
    rulings = [e for e in entries if e.kind == "ruling"]
    kept = [e for e in entries if filters.keeps(e)][:FEED_LIMIT]
    head = chain_head(session)
    cited = {
        e.paragraph_key: citation(e.paragraph_number) or e.paragraph_key for e in rulings if e.paragraph_key
    }
    return Feed(
        slug=process.slug,
        title_en=process.title_en,
        updated=kept[0].when if kept else None,
        entries=kept,
        head_hash=head.hash if head else None,
        head_at=as_utc(head.created_at) if head else None,
        filters=filters,
        paragraphs=[FeedChoice(value=k, label=label) for k, label in sorted(cited.items(), key=_by_number)],
        delegations=sorted({e.sponsor for e in rulings if e.sponsor}),
        groups=sorted({e.on_behalf_of for e in rulings if e.on_behalf_of}),
    )


def _by_number(item: tuple[str, str]) -> tuple[int, str]:
    digits = "".join(ch for ch in item[1] if ch.isdigit())
    return (int(digits) if digits else 0, item[1])


def _revision_entries(session: Session, process: Process) -> list[FeedEntry]:
    rows = session.exec(
        select(Revision).where(Revision.process_id == process.id, Revision.state == RevisionState.PUBLISHED)
    ).all()
    return [
        FeedEntry(
            kind="revision",
            id=f"revision-{r.sequence}",
            when=as_utc(r.published_at or r.created_at),
            revision=r.label,
            summary=r.summary,
            proposal_id=None,
            paragraph_key=None,
            paragraph_number=None,
            sponsor=None,
            decision=None,
        )
        for r in rows
    ]


def _ruling_entries(session: Session, actor: Actor, process: Process) -> list[FeedEntry]:
    groups = {saved_id(g): g for g in session.exec(select(Delegation).where(Delegation.kind == "group"))}
    rows = session.exec(
        select(Ruling, Proposal, Paragraph.key, Delegation.code)
        .join(Proposal, col(Proposal.id) == Ruling.proposal_id)
        .join(Paragraph, col(Paragraph.id) == Proposal.paragraph_id)
        .join(Delegation, col(Delegation.id) == Proposal.sponsor_id)
        .where(Proposal.process_id == process.id)
        .order_by(col(Ruling.ruled_at).desc())
        .limit(FEED_LIMIT)
    ).all()
    # A release covers what was tabled before it: rulings on later proposals wait for the next one.
    rows = [row for row in rows if released_to(actor, process, row[1])]
    numbers = paragraph_numbers(session, [proposal for _ruling, proposal, _key, _code in rows])
    return [
        FeedEntry(
            kind="ruling",
            id=f"ruling-{ruling.id}",
            when=as_utc(ruling.ruled_at),
            revision=None,
            summary=ruling.reason,
            proposal_id=proposal.id,
            paragraph_key=key,
            paragraph_number=numbers.get((proposal.base_revision_id, proposal.paragraph_id)),
            sponsor=sponsor,
            on_behalf_of=group.code if (group := groups.get(proposal.on_behalf_of_id or 0)) else None,
            on_behalf_of_names=group_names(group) if group else None,
            decision=ruling.decision,
        )
        for ruling, proposal, key, sponsor in rows
    ]
