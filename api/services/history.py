"""Observers' reading of change: comparing any two revisions and following one paragraph's lineage."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import or_
from sqlmodel import Session, col, select

from api.domain.errors import NotFound
from api.domain.negotiation import LinkKind, RevisionState, effective_status
from api.domain.ordering import longest_in_order
from api.domain.text import diff
from api.models import (
    Delegation,
    MandateElement,
    Paragraph,
    ParagraphLink,
    ParagraphTag,
    ParagraphVersion,
    Process,
    Proposal,
    Revision,
    Ruling,
)
from api.models.base import as_utc, saved_id
from api.services.actors import Actor
from api.services.history_schemas import (
    Appearance,
    ChangeCounts,
    ChangeKind,
    LineageLink,
    LineageRelation,
    ParagraphChange,
    ParagraphHistory,
    ProposalRecord,
    RevisionComparison,
    RevisionRef,
    RulingRecord,
)
from api.services.proposals import group_names
from api.services.release_scope import can_read_proposals, released_to
from api.services.revisions import (
    EnclosingBracket,
    can_see_working_copy,
    enclosing_bracket,
    find_revision,
    get_process,
    paragraph_rows,
    revision_summary,
)
from api.services.schemas import RedlineOp

Row = tuple[ParagraphVersion, Paragraph]


def redline_ops(old: str, new: str) -> list[RedlineOp]:
    """The engine's redline from old to new, as read models."""
    return [RedlineOp(kind=op.kind, text=op.text) for op in diff(old, new).ops]


def revision_ref(revision: Revision) -> RevisionRef:
    """A revision's label, sequence, state and publication time."""
    return RevisionRef(
        label=revision.label,
        sequence=revision.sequence,
        state=revision.state,
        published_at=as_utc(revision.published_at) if revision.published_at else None,
    )


def published_revisions(session: Session, process_id: int) -> list[Revision]:
    """The process's published revisions in sequence order."""
    query = select(Revision).where(
        Revision.process_id == process_id, Revision.state == RevisionState.PUBLISHED
    )
    return list(session.exec(query.order_by(col(Revision.sequence))).all())


def lineage_kind(relation: str) -> LinkKind | None:
    """Whether a ParagraphLink records a split or a merge ("split", "split_from", "merged_from" …)."""
    if relation.startswith(LinkKind.SPLIT):
        return LinkKind.SPLIT
    if relation.startswith(LinkKind.MERGE):
        return LinkKind.MERGE
    return None


# --- compare two revisions ------------------------------------------------------------------------------


def compare_revisions(
    session: Session, actor: Actor, slug: str, from_label: str, to_label: str
) -> RevisionComparison:
    """Every paragraph of two revisions matched by identity and lineage, with the redline of each."""
    process = get_process(session, slug)
    old_revision = find_revision(session, actor, process, from_label)
    new_revision = find_revision(session, actor, process, to_label)
    assert old_revision.id is not None and new_revision.id is not None
    comparison = _Comparison(
        old=_Side(paragraph_rows(session, old_revision.id)),
        new=_Side(paragraph_rows(session, new_revision.id)),
        joiner="" if new_revision.language.startswith("zh") else " ",
    )
    changes = comparison.run(_links_between(session, process, old_revision, new_revision))
    return RevisionComparison(
        process=process.slug,
        from_revision=revision_summary(session, old_revision),
        to_revision=revision_summary(session, new_revision),
        summary=_count(changes),
        paragraphs=changes,
    )


@dataclass(frozen=True)
class _Link:
    """A split or merge: `paragraph` (newer side) came from `source` (older side)."""

    paragraph_id: int
    source_id: int
    kind: LinkKind


def _links_between(session: Session, process: Process, old: Revision, new: Revision) -> list[_Link]:
    """The splits and merges recorded after the older revision up to the newer, oriented old → new."""
    backwards = old.sequence > new.sequence
    low, high = sorted((old.sequence, new.sequence))
    rows = session.exec(
        select(ParagraphLink)
        .join(Revision, col(Revision.id) == ParagraphLink.revision_id)
        .where(Revision.process_id == process.id, Revision.sequence > low, Revision.sequence <= high)
        .order_by(col(Revision.sequence), col(ParagraphLink.id))
    ).all()
    links = []
    for row in rows:
        kind = lineage_kind(row.relation)
        if kind is None:
            continue
        if backwards:  # read backwards, a split is a merge and a merge a split
            links.append(
                _Link(
                    row.source_paragraph_id,
                    row.paragraph_id,
                    LinkKind.MERGE if kind == LinkKind.SPLIT else LinkKind.SPLIT,
                )
            )
        else:
            links.append(_Link(row.paragraph_id, row.source_paragraph_id, kind))
    return links


class _Side:
    """One revision's paragraphs, by paragraph identity."""

    def __init__(self, rows: Sequence[Row]) -> None:
        self.rows = list(rows)
        self.version = {saved_id(paragraph): version for version, paragraph in rows}
        self.key = {saved_id(paragraph): paragraph.key for _version, paragraph in rows}

    def __contains__(self, paragraph_id: int) -> bool:
        return paragraph_id in self.version


@dataclass
class _Comparison:
    """Matches two revisions' paragraphs: lineage first, then identity; the rest was inserted or deleted."""

    old: _Side
    new: _Side
    joiner: str
    changes: list[tuple[tuple[int, int, int], ParagraphChange]] = field(default_factory=list)
    # Where each old paragraph that did not move went in the new revision: deleted paragraphs follow it.
    landed: dict[int, int] = field(default_factory=dict)
    done_old: set[int] = field(default_factory=set)
    done_new: set[int] = field(default_factory=set)

    def run(self, links: Iterable[_Link]) -> list[ParagraphChange]:
        """All the changes in the newer revision's order (deleted paragraphs after their old neighbour)."""
        links = [link for link in links if link.source_id in self.old and link.paragraph_id in self.new]
        self._splits([link for link in links if link.kind == LinkKind.SPLIT])
        self._merges([link for link in links if link.kind == LinkKind.MERGE])
        self._identities()
        self._insertions()
        self._deletions()
        return [change for _order, change in sorted(self.changes, key=lambda item: item[0])]

    def _splits(self, links: list[_Link]) -> None:
        parts: dict[int, list[int]] = defaultdict(list)
        for link in links:
            pieces = parts[link.source_id]
            if link.paragraph_id not in self.done_new and link.paragraph_id not in pieces:
                pieces.append(link.paragraph_id)
        for source, pieces in parts.items():
            if source in self.new and source not in pieces:
                pieces.append(source)  # the part that kept the old paragraph's identity
            for piece in pieces:
                if piece not in self.done_new:  # a paragraph counts as a part of one source only
                    self._add("split", [source], piece)

    def _merges(self, links: list[_Link]) -> None:
        sources: dict[int, list[int]] = defaultdict(list)
        for link in links:
            known = sources[link.paragraph_id]
            fresh = link.source_id not in self.done_old and link.source_id not in known
            if link.paragraph_id not in self.done_new and fresh:
                known.append(link.source_id)
        for merged, parts in sources.items():
            if not parts:
                continue
            if merged in self.old and merged not in parts and merged not in self.done_old:
                parts.append(merged)  # the paragraph that absorbed the others
            self._add("merged", sorted(parts, key=lambda pid: self.old.version[pid].position), merged)

    def _identities(self) -> None:
        shared = [
            pid
            for version, paragraph in self.old.rows
            if (pid := saved_id(paragraph)) in self.new
            and pid not in self.done_old
            and pid not in self.done_new
        ]
        in_place = set(longest_in_order(shared, [self.new.version[pid].position for pid in shared]))
        for pid in shared:
            old, new = self.old.version[pid], self.new.version[pid]
            edited = old.text != new.text
            kind: ChangeKind = (
                ("modified" if edited else _unless_status_changed(old, new))
                if pid in in_place
                else ("moved_and_modified" if edited else "moved")
            )
            self._add(kind, [pid], pid, came_from=False)

    def _insertions(self) -> None:
        for _version, paragraph in self.new.rows:
            if (pid := saved_id(paragraph)) not in self.done_new and pid not in self.old:
                self._add("inserted", [], pid)

    def _deletions(self) -> None:
        anchor = -1
        for version, paragraph in self.old.rows:
            pid = saved_id(paragraph)
            if pid in self.landed:
                anchor = self.landed[pid]
            elif pid not in self.done_old:
                change = self._change("deleted", [pid], None, came_from=False)
                self.changes.append(((anchor, 1, version.position), change))

    def _add(self, kind: ChangeKind, sources: list[int], new_id: int, came_from: bool = True) -> None:
        change = self._change(kind, sources, new_id, came_from)
        new_position = self.new.version[new_id].position
        self.changes.append(((new_position, 0, change.old_position or 0), change))
        self.done_new.add(new_id)
        self.done_old.update(sources)
        if kind not in ("moved", "moved_and_modified"):
            for source in sources:
                self.landed[source] = min(self.landed.get(source, new_position), new_position)

    def _change(
        self, kind: ChangeKind, sources: list[int], new_id: int | None, came_from: bool
    ) -> ParagraphChange:
        first = self.old.version[sources[0]] if sources else None
        new = self.new.version[new_id] if new_id is not None else None
        old_text = self.joiner.join(self.old.version[pid].text for pid in sources)
        return ParagraphChange(
            key=self.new.key[new_id] if new_id is not None else self.old.key[sources[0]],
            change=kind,
            old_number=first.number if first else None,
            new_number=new.number if new else None,
            former_number=new.former_number if new else None,
            old_position=first.position if first else None,
            new_position=new.position if new else None,
            came_from=[self.old.key[pid] for pid in sources] if came_from else [],
            redline=redline_ops(old_text, new.text if new else ""),
            old_status=_status(first),
            new_status=_status(new),
        )


def _status(version: ParagraphVersion | None) -> str | None:
    return effective_status(version.text, version.status) if version is not None else None


def _unless_status_changed(old: ParagraphVersion, new: ParagraphVersion) -> ChangeKind:
    """Same text in the same place: unchanged, unless it was agreed (or reopened) in between."""
    return "unchanged" if _status(old) == _status(new) else "status_changed"


def _count(changes: Iterable[ParagraphChange]) -> ChangeCounts:
    counts: dict[str, int] = defaultdict(int)
    for change in changes:
        counts[change.change] += 1
    return ChangeCounts(**counts)


# --- a paragraph's lineage ------------------------------------------------------------------------------


def paragraph_history(session: Session, actor: Actor, slug: str, key: str) -> ParagraphHistory:
    """A paragraph across the revisions the reader may see: text, redlines, lineage, proposals and rulings."""
    process = get_process(session, slug)
    assert process.id is not None
    paragraph = session.exec(
        select(Paragraph).where(Paragraph.process_id == process.id, Paragraph.key == key)
    ).first()
    appearances = _appearances(session, actor, process, paragraph) if paragraph else []
    if paragraph is None or not appearances:
        raise NotFound(f"process {process.slug!r} has no paragraph {key!r}")
    proposals_visible = can_read_proposals(actor, process)
    proposals = _proposals(session, actor, process, paragraph) if proposals_visible else []
    return ParagraphHistory(
        process=process.slug,
        key=paragraph.key,
        wid=paragraph.wid,
        appearances=appearances,
        lineage=_lineage(session, actor, process, paragraph),
        proposals_visible=proposals_visible,
        proposals=proposals,
        inserted_by=paragraph.inserted_by_id
        if any(p.id == paragraph.inserted_by_id for p in proposals)
        else None,
    )


def _appearances(session: Session, actor: Actor, process: Process, paragraph: Paragraph) -> list[Appearance]:
    query = (
        select(ParagraphVersion, Revision)
        .join(Revision, col(Revision.id) == ParagraphVersion.revision_id)
        .where(ParagraphVersion.paragraph_id == paragraph.id)
        .order_by(col(Revision.sequence))
    )
    if not can_see_working_copy(actor, saved_id(process)):
        query = query.where(Revision.state == RevisionState.PUBLISHED)
    rows = session.exec(query).all()
    tags = _tags_of(session, [saved_id(version) for version, _revision in rows])
    appearances: list[Appearance] = []
    previous: tuple[ParagraphVersion, Revision] | None = None
    for version, revision in rows:
        over = enclosing_bracket(session, version)
        appearances.append(_appearance(version, revision, previous, tags.get(saved_id(version), []), over))
        previous = (version, revision)
    return appearances


def _appearance(
    version: ParagraphVersion,
    revision: Revision,
    previous: tuple[ParagraphVersion, Revision] | None,
    elements: list[str],
    over: EnclosingBracket | None,
) -> Appearance:
    before = previous[0].text if previous else None
    return Appearance(
        revision=revision_ref(revision),
        number=version.number,
        former_number=version.former_number,
        position=version.position,
        part=version.part,
        section=version.section,
        kind=version.kind,
        text=version.text,
        status=effective_status(version.text, version.status, crossed=over is not None),
        elements=elements,
        bracket_opened_in=over.opened_in if over else None,
        bracket_closed_in=over.closed_in if over else None,
        previous_revision=previous[1].label if previous else None,
        changed=before is not None and before != version.text,
        redline=redline_ops(before, version.text) if before is not None else [],
    )


def _tags_of(session: Session, version_ids: list[int]) -> dict[int, list[str]]:
    rows = session.exec(
        select(ParagraphTag.paragraph_version_id, MandateElement.code)
        .join(MandateElement, col(MandateElement.id) == ParagraphTag.element_id)
        .where(col(ParagraphTag.paragraph_version_id).in_(version_ids))
        .order_by(col(MandateElement.position))
    ).all()
    tags: dict[int, list[str]] = defaultdict(list)
    for version_id, code in rows:
        tags[version_id].append(code)
    return tags


def _lineage(session: Session, actor: Actor, process: Process, paragraph: Paragraph) -> list[LineageLink]:
    pid = paragraph.id
    query = (
        select(ParagraphLink, Revision)
        .join(Revision, col(Revision.id) == ParagraphLink.revision_id)
        .where((col(ParagraphLink.paragraph_id) == pid) | (col(ParagraphLink.source_paragraph_id) == pid))
        .order_by(col(Revision.sequence), col(ParagraphLink.id))
    )
    if not can_see_working_copy(actor, saved_id(process)):
        query = query.where(Revision.state == RevisionState.PUBLISHED)
    rows = session.exec(query).all()
    other_ids = {
        link.source_paragraph_id if link.paragraph_id == pid else link.paragraph_id for link, _ in rows
    }
    keys = dict(
        session.exec(select(Paragraph.id, Paragraph.key).where(col(Paragraph.id).in_(other_ids))).all()
    )
    lineage = []
    for link, revision in rows:
        relation = _relation(lineage_kind(link.relation), outgoing=link.source_paragraph_id == pid)
        if relation is not None:
            other = link.paragraph_id if link.source_paragraph_id == pid else link.source_paragraph_id
            lineage.append(LineageLink(revision=revision.label, relation=relation, key=keys[other]))
    return lineage


def _relation(kind: LinkKind | None, outgoing: bool) -> LineageRelation | None:
    if kind == LinkKind.SPLIT:
        return "split_into" if outgoing else "split_from"
    if kind == LinkKind.MERGE:
        return "merged_into" if outgoing else "merged_from"
    return None


def _proposals(
    session: Session, actor: Actor, process: Process, paragraph: Paragraph
) -> list[ProposalRecord]:
    found = session.exec(
        select(Proposal, Revision.label, Delegation.code)
        .join(Revision, col(Revision.id) == Proposal.base_revision_id)
        .join(Delegation, col(Delegation.id) == Proposal.sponsor_id)
        # The proposals on this paragraph, and the insertion that created it (tabled on its neighbour).
        .where(or_(col(Proposal.paragraph_id) == paragraph.id, col(Proposal.id) == paragraph.inserted_by_id))
        .order_by(col(Proposal.created_at), col(Proposal.id))
    ).all()
    # A release covers what was tabled before it; later proposals wait for the next release.
    rows = [row for row in found if released_to(actor, process, row[0])]
    proposal_ids = [proposal.id for proposal, _label, _code in rows]
    groups = {proposal.on_behalf_of_id for proposal, _label, _code in rows} - {None}
    named = {saved_id(d): d for d in session.exec(select(Delegation).where(col(Delegation.id).in_(groups)))}
    rulings = _rulings_of(session, [pid for pid in proposal_ids if pid is not None])
    return [
        ProposalRecord(
            id=saved_id(proposal),
            action=proposal.action,
            sponsor=sponsor,
            on_behalf_of=group.code if (group := named.get(proposal.on_behalf_of_id or 0)) else None,
            on_behalf_of_names=group_names(group) if group else None,
            state=proposal.state,
            base_revision=label,
            created_at=as_utc(proposal.created_at),
            rulings=rulings.get(saved_id(proposal), []),
        )
        for proposal, label, sponsor in rows
    ]


def _rulings_of(session: Session, proposal_ids: list[int]) -> dict[int, list[RulingRecord]]:
    rows = session.exec(
        select(Ruling)
        .where(col(Ruling.proposal_id).in_(proposal_ids))
        .order_by(col(Ruling.ruled_at), col(Ruling.id))
    ).all()
    rulings: dict[int, list[RulingRecord]] = defaultdict(list)
    for ruling in rows:
        record = RulingRecord(
            decision=ruling.decision, reason=ruling.reason, ruled_at=as_utc(ruling.ruled_at)
        )
        rulings[ruling.proposal_id].append(record)
    return rulings
