"""The working copy of the next revision: opened from the current one, edited by co-facilitators."""

from sqlalchemy import update
from sqlmodel import Session, col, delete, select

from api.domain import formatting, provenance
from api.domain.errors import Conflict, InvalidInput, NotFound
from api.domain.negotiation import ParagraphKind, RevisionState, effective_status, settle_status
from api.domain.numbering import LATIN_ORDINALS, base_number, next_insert_number
from api.domain.text import inside_crossing
from api.domain.text import suggest_elements as rank_elements
from api.domain.text.redline import diff
from api.models import MandateElement, Paragraph, ParagraphTag, ParagraphVersion, Process, Revision
from api.models.base import saved_id
from api.services.actors import Actor, require_cofacilitator
from api.services.audit import record_event
from api.services.inputs import ParagraphEdit
from api.services.locks import lock_process
from api.services.proposals import latest_published
from api.services.revisions import (
    can_see_working_copy,
    get_process,
    get_revision_view,
    mandate_elements,
    paragraph_views,
)
from api.services.schemas import ParagraphView, RevisionView

COFACILITATORS = "co-facilitators"
# An insertion takes its neighbour's kind when that is a numbered one; after a heading it is a paragraph.
_NUMBERED = frozenset({ParagraphKind.PARAGRAPH, ParagraphKind.SUBPARAGRAPH})


def find_working_copy(session: Session, process: Process) -> Revision | None:
    """The process's working copy, if one is open."""
    return session.exec(
        select(Revision).where(Revision.process_id == process.id, Revision.state == RevisionState.WORKING)
    ).first()


def open_working_copy(session: Session, actor: Actor, process: Process) -> Revision:
    """The working copy, opened as a copy of the current revision if none is open yet."""
    assert process.id is not None
    require_cofacilitator(actor, process.id)
    lock_process(session, saved_id(process), exclusive=True)
    existing = find_working_copy(session, process)
    if existing is not None:
        return existing
    current = latest_published(session, process)
    working = Revision(
        process_id=process.id,
        sequence=current.sequence + 1,
        label=f"Working copy {current.sequence + 1}",
        symbol=current.symbol,
        language=current.language,
        source={"kind": "working_copy", "from": current.label},
    )
    session.add(working)
    session.flush()
    _copy_paragraphs(session, current, working)
    record_event(
        session, actor, "working_copy.opened", "revision", working.id, {"from": current.label}, process.id
    )
    return working


def _copy_paragraphs(session: Session, source: Revision, target: Revision) -> None:
    versions = session.exec(
        select(ParagraphVersion)
        .where(ParagraphVersion.revision_id == source.id)
        .order_by(col(ParagraphVersion.position))
    ).all()
    copies = [
        ParagraphVersion(
            revision_id=saved_id(target),
            paragraph_id=v.paragraph_id,
            position=v.position,
            part=v.part,
            section=v.section,
            kind=v.kind,
            number=v.number,
            preambular=v.preambular,
            eid=v.eid,
            text=v.text,
            footnotes=list(v.footnotes),
            formatting=list(v.formatting),
            status=v.status,
        )
        for v in versions
    ]
    session.add_all(copies)
    session.flush()
    new_id = {copy.paragraph_id: saved_id(copy) for copy in copies}
    tags = session.exec(
        select(ParagraphTag).where(col(ParagraphTag.paragraph_version_id).in_([v.id for v in versions]))
    ).all()
    old_to_paragraph = {v.id: v.paragraph_id for v in versions}
    session.add_all(
        ParagraphTag(
            paragraph_version_id=new_id[old_to_paragraph[t.paragraph_version_id]],
            element_id=t.element_id,
            tagged_by_id=t.tagged_by_id,
        )
        for t in tags
    )
    session.flush()


def working_copy_view(session: Session, actor: Actor, slug: str) -> RevisionView:
    """The open working copy with all its paragraphs; reading never opens one."""
    process = get_process(session, slug)
    assert process.id is not None
    if not can_see_working_copy(actor, process.id):
        require_cofacilitator(actor, process.id)  # says who may
    working = find_working_copy(session, process)
    if working is None:
        raise NotFound(
            f"no working copy is open for {slug!r}: it opens with the first ruling or edit, "
            f"or by POST /api/v1/processes/{slug}/working-copy"
        )
    return get_revision_view(session, actor, slug, working.label)


def open_working_copy_view(session: Session, actor: Actor, slug: str) -> RevisionView:
    """Open the working copy (a copy of the current revision) if none is open, and return it."""
    working = open_working_copy(session, actor, get_process(session, slug))
    return get_revision_view(session, actor, slug, working.label)


def working_version(session: Session, working: Revision, key: str) -> tuple[Paragraph, ParagraphVersion]:
    """A paragraph of the working copy by key, or NotFound."""
    row = session.exec(
        select(Paragraph, ParagraphVersion)
        .join(ParagraphVersion, col(ParagraphVersion.paragraph_id) == Paragraph.id)
        .where(ParagraphVersion.revision_id == working.id, Paragraph.key == key)
    ).first()
    if row is None:
        raise NotFound(f"{working.label} has no paragraph {key!r}")
    return row[0], row[1]


def edit_paragraph(session: Session, actor: Actor, slug: str, key: str, data: ParagraphEdit) -> ParagraphView:
    """Change a working-copy paragraph's text, status or element tags; a stale lock_version is a 409."""
    process = get_process(session, slug)
    working = open_working_copy(session, actor, process)
    _paragraph, version = working_version(session, working, key)
    if version.lock_version != data.lock_version:
        raise Conflict(
            f"paragraph {version.number or key} was changed by someone else (now version "
            f"{version.lock_version}, yours {data.lock_version}); its current text is: {version.text}"
        )
    if data.text is not None and data.text != version.text:
        set_text(version, data.text, [COFACILITATORS])
    crossed = _inside_crossing(session, working, version)
    version.status = settle_status(version.text, data.status, version.status, crossed=crossed)
    if data.elements is not None:
        _retag(session, process, version, data.elements, actor)
    if data.preambular is not None:
        version.preambular = data.preambular
    version.lock_version += 1
    session.add(version)
    session.flush()
    changes = data.model_dump(exclude={"lock_version"}, exclude_none=True)
    record_event(session, actor, "working_copy.paragraph_edited", "paragraph", key, changes, process.id)
    return _paragraph_view(session, working, key)


def _inside_crossing(session: Session, working: Revision, version: ParagraphVersion) -> bool:
    """Whether a bracket running over several paragraphs of the working copy covers this one (as edited)."""
    rows = session.exec(
        select(ParagraphVersion.id, ParagraphVersion.text, ParagraphVersion.eid)
        .where(ParagraphVersion.revision_id == working.id)
        .order_by(col(ParagraphVersion.position))
    ).all()
    texts = [(version.text if row_id == version.id else text, eid) for row_id, text, eid in rows]
    index = next(i for i, (row_id, _text, _eid) in enumerate(rows) if row_id == version.id)
    return inside_crossing(texts)[index]


def set_text(version: ParagraphVersion, text: str, credited_to: list[str]) -> None:
    """Replace a paragraph's text, carrying the provenance of kept spans and crediting inserted ones."""
    if not text.strip():
        raise InvalidInput("a paragraph's text cannot be empty; propose its deletion instead")
    spans = provenance.from_json(version.provenance, version.text)
    ops = diff(version.text, text).ops
    version.provenance = provenance.to_json(provenance.carry(spans, ops, credited_to))
    version.formatting = formatting.carry(version.formatting, ops)
    version.text = text
    version.status = effective_status(text, version.status)


def _retag(
    session: Session, process: Process, version: ParagraphVersion, codes: list[str], actor: Actor
) -> None:
    assert process.id is not None
    elements = {e.code: e for e in mandate_elements(session, process.id)}
    unknown = sorted(set(codes) - set(elements))
    if unknown:
        raise InvalidInput(f"not elements of the {process.slug} mandate: {', '.join(unknown)}")
    session.exec(delete(ParagraphTag).where(col(ParagraphTag.paragraph_version_id) == version.id))
    session.add_all(
        ParagraphTag(
            paragraph_version_id=saved_id(version),
            element_id=_element_id(elements[c]),
            tagged_by_id=actor.user_id,
        )
        for c in dict.fromkeys(codes)
    )
    session.flush()


def _element_id(element: MandateElement) -> int:
    assert element.id is not None
    return element.id


def _paragraph_view(session: Session, working: Revision, key: str) -> ParagraphView:
    assert working.id is not None
    return next(p for p in paragraph_views(session, working.id) if p.key == key)


def insert_after(
    session: Session, working: Revision, after: ParagraphVersion, paragraph: Paragraph, text: str
) -> ParagraphVersion:
    """Insert a new paragraph (identity already created) right after another in the working copy."""
    taken = set(
        session.exec(select(ParagraphVersion.number).where(ParagraphVersion.revision_id == working.id)).all()
    )
    number = next_insert_number(after.number, {n for n in taken if n})
    anchor = _last_insertion_after(session, working, after)
    _shift_positions(session, working, anchor.position)
    version = ParagraphVersion(
        revision_id=saved_id(working),
        paragraph_id=saved_id(paragraph),
        position=anchor.position + 1,
        part=after.part,
        section=after.section,
        kind=after.kind if after.kind in _NUMBERED else ParagraphKind.PARAGRAPH,
        number=number,
        eid=paragraph.wid,
        text=text,
    )
    session.add(version)
    session.flush()
    return version


def _last_insertion_after(session: Session, working: Revision, after: ParagraphVersion) -> ParagraphVersion:
    # 7bis and 7ter already follow OP7: the next insertion after 7 goes after them, so numbers stay in order.
    if not after.number:
        return after
    stem = base_number(after.number)
    following = session.exec(
        select(ParagraphVersion)
        .where(ParagraphVersion.revision_id == working.id, ParagraphVersion.position > after.position)
        .order_by(col(ParagraphVersion.position))
        .limit(len(LATIN_ORDINALS))
    ).all()
    anchor = after
    for version in following:
        if not version.number or version.number == stem or base_number(version.number) != stem:
            break
        anchor = version
    return anchor


def _shift_positions(session: Session, working: Revision, after_position: int) -> None:
    # Two steps through negative positions, so the unique (revision, position) never sees a duplicate.
    where = (col(ParagraphVersion.revision_id) == working.id) & (
        col(ParagraphVersion.position) > after_position
    )
    session.execute(
        update(ParagraphVersion).where(where).values(position=-col(ParagraphVersion.position) - 1)
    )
    session.execute(
        update(ParagraphVersion)
        .where(col(ParagraphVersion.revision_id) == working.id, col(ParagraphVersion.position) < 0)
        .values(position=-col(ParagraphVersion.position))
    )
    session.expire_all()


def suggest_elements(session: Session, actor: Actor, slug: str, key: str) -> list[tuple[str, float]]:
    """Mandate elements a paragraph likely addresses, best first, for a person to confirm.

    The paragraph is read from the working copy when one is open, else from the current revision."""
    process = get_process(session, slug)
    assert process.id is not None
    require_cofacilitator(actor, process.id)
    working = find_working_copy(session, process) or latest_published(session, process)
    _paragraph, version = working_version(session, working, key)
    elements = [(e.code, e.text + " " + e.label) for e in mandate_elements(session, process.id)]
    # Within the whole text: what most of its paragraphs say weighs little (api.domain.text.mandate).
    corpus = [p.text for p in paragraph_views(session, saved_id(working)) if p.kind != ParagraphKind.HEADING]
    return rank_elements(version.text, elements, corpus=corpus)
