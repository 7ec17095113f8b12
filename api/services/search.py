"""Searching a process: the paragraphs of its revisions, its proposals and justifications, its rulings.

The database narrows the rows (each term must appear, case-insensitively, as a substring: LIKE on SQLite,
ILIKE on PostgreSQL); the text engine then decides (api.domain.text.search: CJK runs as substrings, words
by stem at the start of a word) and marks the hits. The reader sees only what they may read elsewhere:
published revisions (the working copy for those who prepare it), and proposals and their rulings once a
release of the compilation covers them, in the wording that release published.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, and_, false, func, or_
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from api.domain.errors import InvalidInput
from api.domain.negotiation import RevisionState, effective_status
from api.domain.text.search import Term, cited_number, excerpt, find_terms, holds_terms, parse_query
from api.models import Delegation, Paragraph, ParagraphVersion, Process, Proposal, Revision, Ruling
from api.models.base import saved_id
from api.services.actors import Actor
from api.services.proposals import as_released, paragraph_numbers
from api.services.release_scope import is_insider
from api.services.revisions import can_see_working_copy, find_revision, get_process, latest_published_revision
from api.services.search_schemas import (
    Fragment,
    NumberedParagraph,
    ParagraphHit,
    ProposalField,
    ProposalHit,
    RulingField,
    RulingHit,
    SearchResults,
)

MAX_QUERY = 200
F = TypeVar("F", bound=str)
T = TypeVar("T")
LIMIT = 100  # hits listed per kind; the counts say how many there are in all


def search(
    session: Session, actor: Actor, slug: str, query: str, revision: str | None = None
) -> SearchResults:
    """Every paragraph, proposal and ruling of a process that holds all the query's terms."""
    process = get_process(session, slug)
    terms = _terms(query)
    scope = find_revision(session, actor, process, revision) if revision else None
    paragraphs, paragraph_count = _paragraphs(session, actor, process, terms, scope)
    searched = _proposals_searched(actor, process)
    proposals, proposal_count = _proposals(session, actor, process, terms) if searched else ([], 0)
    rulings, ruling_count = _rulings(session, actor, process, terms) if searched else ([], 0)
    return SearchResults(
        process=process.slug,
        query=query,
        terms=[term.shown for term in terms],
        revision=scope.label if scope else None,
        limit=LIMIT,
        numbered=_numbered(session, process, query, scope),
        paragraphs=paragraphs,
        paragraph_count=paragraph_count,
        proposals=proposals,
        proposal_count=proposal_count,
        proposals_searched=searched,
        rulings=rulings,
        ruling_count=ruling_count,
    )


def _terms(query: str) -> tuple[Term, ...]:
    if len(query) > MAX_QUERY:
        raise InvalidInput(f"a search holds at most {MAX_QUERY} characters")
    terms = parse_query(query)
    if not terms:
        raise InvalidInput("the search holds no word, number or character to look for")
    return terms


def _narrowed(column: Any, terms: Sequence[Term]) -> ColumnElement[bool]:
    """Rows whose column holds every term as a substring, in any case: a superset of the real hits."""
    # Only where LIKE folds case as the engine does: ASCII, or characters without case (Chinese).
    # Other cased letters (é, д) are left to the engine alone, so nothing is missed on SQLite.
    checked = [column.icontains(t.text, autoescape=True) for t in terms if _caseless_in_sql(t.text)]
    return and_(*checked) if checked else column.is_not(None)


def _caseless_in_sql(text: str) -> bool:
    return text.isascii() or text.lower() == text.upper()


def _fragments(text: str, spans: list[tuple[int, int]]) -> list[Fragment]:
    return [Fragment(text=piece, hit=hit) for piece, hit in excerpt(text, spans)]


# --- revisions ------------------------------------------------------------------------------------------


def _paragraphs(
    session: Session, actor: Actor, process: Process, terms: Sequence[Term], scope: Revision | None
) -> tuple[list[ParagraphHit], int]:
    # Plain columns, not whole rows: a common word narrows little, and thousands of versions may come.
    query = (
        core_select(
            col(ParagraphVersion.text),
            col(ParagraphVersion.number),
            col(ParagraphVersion.kind),
            col(ParagraphVersion.status),
            col(ParagraphVersion.part),
            col(Paragraph.key),
            col(Revision.label),
            col(Revision.sequence),
            col(Revision.state),
        )
        .join(Paragraph, col(Paragraph.id) == ParagraphVersion.paragraph_id)
        .join(Revision, col(Revision.id) == ParagraphVersion.revision_id)
        .where(col(Revision.process_id) == process.id, _narrowed(ParagraphVersion.text, terms))
        .order_by(col(Revision.sequence).desc(), col(ParagraphVersion.position))
    )
    if scope is not None:
        query = query.where(col(Revision.id) == scope.id)
    elif not can_see_working_copy(actor, saved_id(process)):
        query = query.where(col(Revision.state) == RevisionState.PUBLISHED)
    rows = session.execute(query).all()
    found, count = _collect(rows, lambda row: [("text", row.text)], terms)
    return [_paragraph_hit(row, excerpt) for row, _field, excerpt in found], count


def _paragraph_hit(row: Any, excerpt: list[Fragment]) -> ParagraphHit:
    return ParagraphHit(
        revision=row.label,
        revision_sequence=row.sequence,
        revision_state=row.state,
        key=row.key,
        part=row.part,
        number=row.number,
        kind=row.kind,
        status=effective_status(row.text, row.status),
        excerpt=excerpt,
    )


def _collect(
    items: Iterable[T], fields: Callable[[T], Sequence[tuple[F, str | None]]], terms: Sequence[Term]
) -> tuple[list[tuple[T, F, list[Fragment]]], int]:
    """The first LIMIT items holding every term in one of their fields, with excerpts; and how many do."""
    found: list[tuple[T, F, list[Fragment]]] = []
    count = 0
    for item in items:
        if len(found) < LIMIT:
            if (hit := _first_found(fields(item), terms)) is not None:
                found.append((item, *hit))
                count += 1
        elif any(value and holds_terms(value, tuple(terms)) for _name, value in fields(item)):
            count += 1  # past the list: counted, without excerpts
    return found, count


def numbered(session: Session, actor: Actor, slug: str, label: str, cited: str) -> list[NumberedParagraph]:
    """The paragraphs of a revision numbered as cited ("12", "OP 12bis", "3.8(b)"), in document order."""
    process = get_process(session, slug)
    return _numbered(session, process, cited, find_revision(session, actor, process, label))


def _numbered(
    session: Session, process: Process, query: str, scope: Revision | None
) -> list[NumberedParagraph]:
    """Paragraphs numbered as the query cites ("12", "OP 12bis", "3.8(b)"), to go straight to them."""
    cited = cited_number(query)
    if not any(c.isdigit() for c in cited) or len(cited) > 24:
        return []
    revision = scope or latest_published_revision(session, process)
    if revision is None:
        return []
    rows = session.exec(
        select(ParagraphVersion.number, ParagraphVersion.part, Paragraph.key)
        .join(Paragraph, col(Paragraph.id) == ParagraphVersion.paragraph_id)
        .where(ParagraphVersion.revision_id == revision.id, col(ParagraphVersion.number).is_not(None))
        .order_by(col(ParagraphVersion.position))
    ).all()
    return [
        NumberedParagraph(revision=revision.label, key=key, number=number, part=part)
        for number, part, key in rows
        if number and cited_number(number) == cited
    ]


# --- proposals and rulings ------------------------------------------------------------------------------


def _proposals_searched(actor: Actor, process: Process) -> bool:
    return is_insider(actor, saved_id(process)) or process.compilation_released_at is not None


@dataclass(frozen=True)
class _Wording:
    """The proposal columns a reader sees: insiders the current wording, others the released one."""

    text: Any
    justification: Any
    visible: ColumnElement[bool]


def _wording(actor: Actor, process: Process) -> _Wording:
    if is_insider(actor, saved_id(process)):
        return _Wording(Proposal.text, Proposal.justification, col(Proposal.id).is_not(None))
    released = process.compilation_released_at
    # A release covers what was tabled before it (proposals.released_to), in the wording it published.
    visible = col(Proposal.created_at) <= released if released is not None else false()
    # As proposals.as_released reads it: wording released before releases kept it reads as it stands.
    text = func.coalesce(Proposal.released_text, Proposal.text)
    justification = func.coalesce(Proposal.released_justification, Proposal.justification)
    return _Wording(text, justification, visible)


def _proposals(
    session: Session, actor: Actor, process: Process, terms: Sequence[Term]
) -> tuple[list[ProposalHit], int]:
    wording = _wording(actor, process)
    rows = session.exec(
        select(Proposal, Paragraph.key, Revision.label)
        .join(Paragraph, col(Paragraph.id) == Proposal.paragraph_id)
        .join(Revision, col(Revision.id) == Proposal.base_revision_id)
        .where(Proposal.process_id == process.id, wording.visible)
        .where(or_(_narrowed(wording.text, terms), _narrowed(wording.justification, terms)))
        .order_by(col(Proposal.id).desc())
    ).all()
    seen = [(as_released(actor, process, proposal), key, base) for proposal, key, base in rows]

    def fields(row: tuple[Proposal, str, str]) -> list[tuple[ProposalField, str | None]]:
        return [("text", row[0].text), ("justification", row[0].justification)]

    found, count = _collect(seen, fields, terms)
    sponsors = _codes(session, [proposal for (proposal, _key, _base), _name, _excerpt in found])
    numbers = paragraph_numbers(session, [proposal for (proposal, _key, _base), _name, _excerpt in found])
    hits = [
        ProposalHit(
            id=saved_id(proposal),
            paragraph_key=key,
            paragraph_number=numbers.get((proposal.base_revision_id, proposal.paragraph_id)),
            base_revision=base,
            action=proposal.action,
            state=proposal.state,
            sponsor=sponsors[proposal.sponsor_id],
            on_behalf_of=sponsors[proposal.on_behalf_of_id] if proposal.on_behalf_of_id else None,
            found_in=name,
            excerpt=excerpt,
        )
        for (proposal, key, base), name, excerpt in found
    ]
    return hits, count


def _codes(session: Session, proposals: Sequence[Proposal]) -> dict[int, str]:
    ids = {p.sponsor_id for p in proposals} | {p.on_behalf_of_id for p in proposals if p.on_behalf_of_id}
    rows = session.exec(select(Delegation.id, Delegation.code).where(col(Delegation.id).in_(ids))).all()
    return {delegation_id or 0: code for delegation_id, code in rows}


def _rulings(
    session: Session, actor: Actor, process: Process, terms: Sequence[Term]
) -> tuple[list[RulingHit], int]:
    rows = session.exec(
        select(Ruling, Paragraph.key)
        .join(Proposal, col(Proposal.id) == Ruling.proposal_id)
        .join(Paragraph, col(Paragraph.id) == Proposal.paragraph_id)
        .where(Proposal.process_id == process.id, _wording(actor, process).visible)
        .where(or_(_narrowed(Ruling.reason, terms), _narrowed(Ruling.text, terms)))
        .order_by(col(Ruling.ruled_at).desc(), col(Ruling.id).desc())
    ).all()

    def fields(row: tuple[Ruling, str]) -> list[tuple[RulingField, str | None]]:
        return [("reason", row[0].reason), ("text", row[0].text)]

    found, count = _collect(rows, fields, terms)
    hits = [
        RulingHit(
            id=saved_id(ruling),
            proposal_id=ruling.proposal_id,
            paragraph_key=key,
            decision=ruling.decision,
            ruled_at=ruling.ruled_at,
            found_in=name,
            excerpt=excerpt,
        )
        for (ruling, key), name, excerpt in found
    ]
    return hits, count


def _first_found(
    fields: Sequence[tuple[F, str | None]], terms: Sequence[Term]
) -> tuple[F, list[Fragment]] | None:
    """The first field holding every term, with its excerpt."""
    for name, value in fields:
        if value and (spans := find_terms(value, tuple(terms))) is not None:
            return name, _fragments(value, spans)
    return None
