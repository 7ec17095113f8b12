"""Reading processes and revisions, and the content hash that seals a published revision."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, bindparam, cast, exists, func
from sqlalchemy import select as core_select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import BindParameter
from sqlalchemy.sql.selectable import ScalarSelect
from sqlmodel import Session, col, select

from api.domain.errors import NotFound
from api.domain.hashing import revision_content_hash
from api.domain.negotiation import ParagraphKind, RevisionState, effective_status
from api.domain.numbering import citation
from api.domain.text import crossing_brackets, inside_crossing
from api.models import (
    AuditEvent,
    Mandate,
    MandateElement,
    Paragraph,
    ParagraphLink,
    ParagraphTag,
    ParagraphVersion,
    Process,
    Revision,
)
from api.models.base import saved_id
from api.services.actors import Actor
from api.services.schemas import (
    ElementView,
    Footnote,
    ParagraphView,
    ProcessOverview,
    ProcessSummary,
    ProvenanceSpan,
    RevisionSummary,
    RevisionView,
)

# Built once: every use case starts here, and building a statement costs more than running it.
_BY_SLUG = select(Process).where(col(Process.slug) == bindparam("slug"))


def get_process(session: Session, slug: str) -> Process:
    """The process with this slug, or NotFound."""
    process = session.exec(_BY_SLUG, params={"slug": slug}).first()
    if process is None:
        raise NotFound(f"no process {slug!r}")
    return process


def can_see_working_copy(actor: Actor, process_id: int) -> bool:
    """Working copies are the co-facilitators' (and the secretariat's) until published."""
    return actor.is_secretariat or actor.has_role("cofacilitator", process_id)


def list_processes(session: Session) -> list[ProcessSummary]:
    """Every process with its latest published revision; public information."""
    processes = session.exec(select(Process).order_by(col(Process.id))).all()
    return [process_summary(session, process) for process in processes]


def process_summary(session: Session, process: Process) -> ProcessSummary:
    """One process's summary."""
    assert process.id is not None
    latest = latest_published_revision(session, process)
    return ProcessSummary(
        slug=process.slug,
        title_en=process.title_en,
        title_zh=process.title_zh,
        language=process.language,
        symbol=process.symbol,
        description_en=process.description_en,
        note_en=process.note_en,
        element_count=_element_count(session, process.id),
        latest_revision=revision_summary(session, latest) if latest else None,
        compilation_released=process.compilation_released_at is not None,
    )


def _element_count(session: Session, process_id: int) -> int:
    query = (
        select(func.count())
        .select_from(MandateElement)
        .join(Mandate, col(Mandate.id) == MandateElement.mandate_id)
    )
    return session.exec(query.where(Mandate.process_id == process_id)).one()


def latest_published_revision(session: Session, process: Process) -> Revision | None:
    """The process's most recent published revision that a publication sealed in the chain, if any."""
    assert process.id is not None
    return session.exec(select(Revision).where(Revision.id == latest_published_id(process.id))).first()


def latest_published_id(process_id: int | BindParameter[int]) -> ScalarSelect[int]:
    """The id of the process's latest sealed published revision, as a subquery for the caller's query."""
    # A row marked published behind Accord's back (no revision.published event) is never the current text.
    sealed = select(AuditEvent.id).where(
        AuditEvent.action == "revision.published",
        AuditEvent.subject_type == "revision",
        AuditEvent.subject_id == cast(Revision.id, String),
    )
    return (
        core_select(col(Revision.id))
        .where(
            col(Revision.process_id) == process_id,
            col(Revision.state) == RevisionState.PUBLISHED,
            exists(sealed),
        )
        .order_by(col(Revision.sequence).desc())
        .limit(1)
        .scalar_subquery()
    )


def mandate_elements(session: Session, process_id: int) -> list[MandateElement]:
    """The process's mandate elements in order ([] if it has no mandate)."""
    return list(
        session.exec(
            select(MandateElement)
            .join(Mandate, col(Mandate.id) == MandateElement.mandate_id)
            .where(Mandate.process_id == process_id)
            .order_by(col(MandateElement.position))
        ).all()
    )


def element_views(session: Session, process_id: int) -> list[ElementView]:
    """The mandate's elements as read models."""
    return [
        ElementView(
            code=e.code,
            text=e.text,
            text_language=e.text_language,
            label=e.label,
            label_official=e.label_official,
        )
        for e in mandate_elements(session, process_id)
    ]


def revision_summary(session: Session, revision: Revision, count: int | None = None) -> RevisionSummary:
    """A revision's header with its paragraph count (counted here unless the caller already has it).

    Headings are not paragraphs (they are not negotiated): the count is the one Progress shows."""
    if count is None:
        query = select(func.count()).select_from(ParagraphVersion)
        query = query.where(ParagraphVersion.kind != ParagraphKind.HEADING)
        count = session.exec(query.where(ParagraphVersion.revision_id == revision.id)).one()
    return RevisionSummary(
        label=revision.label,
        sequence=revision.sequence,
        state=revision.state,
        symbol=revision.symbol,
        language=revision.language,
        document_date=revision.document_date,
        published_at=revision.published_at,
        content_hash=revision.content_hash,
        summary=revision.summary,
        paragraph_count=count,
    )


def list_revisions(session: Session, actor: Actor, slug: str) -> list[RevisionSummary]:
    """The process's revisions in order; the working copy only for those who prepare it."""
    process = get_process(session, slug)
    assert process.id is not None
    query = select(Revision).where(Revision.process_id == process.id).order_by(col(Revision.sequence))
    if not can_see_working_copy(actor, process.id):
        query = query.where(Revision.state == RevisionState.PUBLISHED)
    found = session.exec(query).all()
    counts = dict(
        session.exec(
            select(ParagraphVersion.revision_id, func.count())
            .where(col(ParagraphVersion.revision_id).in_([r.id for r in found]))
            .where(ParagraphVersion.kind != ParagraphKind.HEADING)
            .group_by(col(ParagraphVersion.revision_id))
        ).all()
    )
    return [revision_summary(session, revision, counts.get(saved_id(revision), 0)) for revision in found]


def find_revision(session: Session, actor: Actor, process: Process, label: str | None) -> Revision:
    """A revision by label (default: the latest published), respecting who may see working copies."""
    assert process.id is not None
    if label is None:
        revision = latest_published_revision(session, process)
    else:
        query = select(Revision).where(Revision.process_id == process.id, Revision.label == label)
        revision = session.exec(query).first()
    visible = revision is not None and (
        revision.state == RevisionState.PUBLISHED or can_see_working_copy(actor, process.id)
    )
    if revision is None or not visible:
        what = f"revision {label!r}" if label else "published revision"
        raise NotFound(f"process {process.slug!r} has no {what}")
    return revision


def revision_seal(session: Session, actor: Actor, slug: str, label: str) -> tuple[int, str | None]:
    """A visible revision's id and content hash (None for a working copy: nothing seals it yet)."""
    row = session.exec(
        select(Revision.id, Revision.process_id, Revision.state, Revision.content_hash)
        .join(Process, col(Process.id) == Revision.process_id)
        .where(Process.slug == slug, Revision.label == label)
    ).first()
    if row is None or (row[2] != RevisionState.PUBLISHED and not can_see_working_copy(actor, row[1])):
        raise NotFound(f"process {slug!r} has no revision {label!r}")
    revision_id, _process_id, state, content_hash = row
    assert revision_id is not None
    return revision_id, content_hash if state == RevisionState.PUBLISHED else None


def previous_published_label(session: Session, slug: str, label: str) -> str | None:
    """The label of the published revision just before this one, if any."""
    current = (
        select(Revision.sequence)
        .join(Process, col(Process.id) == Revision.process_id)
        .where(Process.slug == slug, Revision.label == label)
        .scalar_subquery()
    )
    return session.exec(
        select(Revision.label)
        .join(Process, col(Process.id) == Revision.process_id)
        .where(Process.slug == slug, Revision.state == RevisionState.PUBLISHED, Revision.sequence < current)
        .order_by(col(Revision.sequence).desc())
        .limit(1)
    ).first()


def paragraph_rows(session: Session, revision_id: int) -> list[tuple[ParagraphVersion, Paragraph]]:
    """A revision's paragraph versions with their identities, in document order."""
    rows = session.exec(
        select(ParagraphVersion, Paragraph)
        .join(Paragraph, col(Paragraph.id) == ParagraphVersion.paragraph_id)
        .where(ParagraphVersion.revision_id == revision_id)
        .order_by(col(ParagraphVersion.position))
    ).all()
    return [(version, paragraph) for version, paragraph in rows]


def tags_by_version(session: Session, revision_id: int) -> dict[int, list[str]]:
    """Element codes tagged on each paragraph version of a revision."""
    rows = session.exec(
        select(ParagraphTag.paragraph_version_id, MandateElement.code, MandateElement.position)
        .join(MandateElement, col(MandateElement.id) == ParagraphTag.element_id)
        .join(ParagraphVersion, col(ParagraphVersion.id) == ParagraphTag.paragraph_version_id)
        .where(ParagraphVersion.revision_id == revision_id)
        .order_by(col(MandateElement.position))
    ).all()
    tags: dict[int, list[str]] = defaultdict(list)
    for version_id, code, _position in rows:
        tags[version_id].append(code)
    return tags


def paragraph_views(session: Session, revision_id: int, *, as_stored: bool = False) -> list[ParagraphView]:
    """A revision's paragraphs as read models (two queries), each with the status its brackets give it.

    as_stored keeps the status as stored: the content hash seals what was stored at publication."""
    tags = tags_by_version(session, revision_id)
    rows = session.execute(
        core_select(
            col(ParagraphVersion.id),
            col(Paragraph.key),
            col(ParagraphVersion.eid),
            col(Paragraph.wid),
            col(ParagraphVersion.part),
            col(ParagraphVersion.section),
            col(ParagraphVersion.kind),
            col(ParagraphVersion.number),
            col(ParagraphVersion.text),
            col(ParagraphVersion.footnotes),
            col(ParagraphVersion.status),
            col(ParagraphVersion.provenance),
            col(ParagraphVersion.lock_version),
            col(ParagraphVersion.formatting),
            col(ParagraphVersion.preambular),
        )
        .join(Paragraph, col(Paragraph.id) == ParagraphVersion.paragraph_id)
        .where(col(ParagraphVersion.revision_id) == revision_id)
        .order_by(col(ParagraphVersion.position))
    ).all()
    crossed = inside_crossing([(row.text, row.eid) for row in rows])
    return [
        _paragraph_view(row, tags.get(row.id, []), as_stored, inside)
        for row, inside in zip(rows, crossed, strict=True)
    ]


def _paragraph_view(row: Any, elements: list[str], as_stored: bool, crossed: bool) -> ParagraphView:
    # Rows come typed from the database: building the read models without re-validating each field of
    # each paragraph is most of the difference on a long revision (the content hash is unchanged).
    return ParagraphView.model_construct(
        key=row.key,
        eid=row.eid,
        wid=row.wid,
        part=row.part,
        section=row.section,
        kind=row.kind,
        number=row.number,
        citation=citation(row.number, row.kind),
        text=row.text,
        footnotes=[Footnote.model_construct(**note) for note in row.footnotes],
        status=row.status if as_stored else effective_status(row.text, row.status, crossed=crossed),
        elements=elements,
        provenance=[ProvenanceSpan.model_construct(**span) for span in row.provenance],
        lock_version=row.lock_version,
        preambular=row.preambular,
        formatting=[tuple(span) for span in row.formatting],
    )


def get_revision_view(session: Session, actor: Actor, slug: str, label: str | None) -> RevisionView:
    """A whole revision for reading or export."""
    process = get_process(session, slug)
    revision = find_revision(session, actor, process, label)
    assert process.id is not None and revision.id is not None
    return RevisionView(
        process=process_summary(session, process),
        revision=revision_summary(session, revision),
        paragraphs=paragraph_views(session, revision.id),
        elements=element_views(session, process.id),
    )


def hashed_paragraph(view: ParagraphView) -> dict[str, Any]:
    """The fields of a paragraph that its revision's content hash seals.

    Formatting is sealed where there is some: a revision without any hashes as it did before it existed."""
    unsealed = (
        {"lock_version", "preambular"} if view.formatting else {"lock_version", "formatting", "preambular"}
    )
    return view.model_dump(exclude=unsealed)


@dataclass(frozen=True)
class EnclosingBracket:
    """A bracket over several paragraphs that covers one of them, named by where it opens and closes."""

    opened_in: str  # "para. 3(j)", as the paragraph is cited
    closed_in: str


def enclosing_bracket(session: Session, version: ParagraphVersion) -> EnclosingBracket | None:
    """The bracket opened in one paragraph and closed in a later one that covers this version, if any.

    A page that shows one paragraph alone must say it is bracketed when its revision brackets it, as
    the revision page and publication do (the same `crossing_brackets` over the same revision)."""
    rows = session.exec(
        select(col(ParagraphVersion.id), col(ParagraphVersion.text), col(ParagraphVersion.eid))
        .where(col(ParagraphVersion.revision_id) == version.revision_id)
        .order_by(col(ParagraphVersion.position))
    ).all()
    ids = [row_id for row_id, _text, _eid in rows if row_id is not None]  # stored rows: every one has its id
    texts = [(version.text if row_id == version.id else text, eid) for row_id, text, eid in rows]
    index = ids.index(saved_id(version))
    for crossing in crossing_brackets(texts):
        if crossing.first <= index <= crossing.last:
            return EnclosingBracket(_cited(session, ids[crossing.first]), _cited(session, ids[crossing.last]))
    return None


def _cited(session: Session, version_id: int) -> str:
    number, kind, key = session.exec(
        select(col(ParagraphVersion.number), col(ParagraphVersion.kind), col(Paragraph.key))
        .join(Paragraph, col(Paragraph.id) == ParagraphVersion.paragraph_id)
        .where(col(ParagraphVersion.id) == version_id)
    ).one()
    return citation(number, kind) or key


def _lineage_links(session: Session, revision_id: int) -> list[list[str]]:
    """The splits and merges a revision records, as [paragraph key, source key, relation], sorted."""
    source = aliased(Paragraph)
    rows = session.exec(
        select(Paragraph.key, source.key, ParagraphLink.relation)
        .join(ParagraphLink, col(ParagraphLink.paragraph_id) == Paragraph.id)
        .join(source, col(source.id) == ParagraphLink.source_paragraph_id)
        .where(ParagraphLink.revision_id == revision_id)
    ).all()
    return sorted([key, source_key, relation] for key, source_key, relation in rows)


def _numbering(session: Session, revision_id: int) -> dict[str, Any]:
    """What a revision says of its numbering beyond the numbers: the numbers publication replaced, and
    which paragraphs are preambular. Sealed where there is some: other revisions hash as they did."""
    rows = session.exec(
        select(Paragraph.key, ParagraphVersion.former_number, ParagraphVersion.preambular)
        .join(Paragraph, col(Paragraph.id) == ParagraphVersion.paragraph_id)
        .where(
            ParagraphVersion.revision_id == revision_id,
            col(ParagraphVersion.former_number).is_not(None) | col(ParagraphVersion.preambular),
        )
    ).all()
    former = {key: number for key, number, _preambular in rows if number is not None}
    preambular = sorted(key for key, _number, is_preambular in rows if is_preambular)
    return ({"former_numbers": former} if former else {}) | ({"preambular": preambular} if preambular else {})


def compute_content_hash(session: Session, process: Process, revision: Revision) -> str:
    """The content hash of a revision as stored now."""
    assert revision.id is not None
    header = {
        "process": process.slug,
        "label": revision.label,
        "sequence": revision.sequence,
        "symbol": revision.symbol,
        "language": revision.language,
        "document_date": revision.document_date,
        "summary": revision.summary,
        "lineage": _lineage_links(session, revision.id),
        **_numbering(session, revision.id),
    }
    paragraphs: Sequence[dict[str, Any]] = [
        hashed_paragraph(p) for p in paragraph_views(session, revision.id, as_stored=True)
    ]
    return revision_content_hash(header, paragraphs)


def process_overview(session: Session, actor: Actor, slug: str) -> ProcessOverview:
    """A process, the revisions the actor may see, and its mandate."""
    process = get_process(session, slug)
    assert process.id is not None
    return ProcessOverview(
        process=process_summary(session, process),
        revisions=list_revisions(session, actor, slug),
        elements=element_views(session, process.id),
    )
