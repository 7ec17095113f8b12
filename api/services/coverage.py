"""How much of the job each revision does: mandate coverage and agreement progress."""

from collections import defaultdict
from collections.abc import Iterable, Sequence

from sqlalchemy import case, exists, func
from sqlmodel import Session, col, select

from api.domain.negotiation import ParagraphKind, declared
from api.domain.text import AgreementTally, ParagraphStatus, inside_crossing, tally
from api.models import MandateElement, Paragraph, ParagraphTag, ParagraphVersion, Revision
from api.models.base import saved_id
from api.services.actors import Actor
from api.services.history import published_revisions, redline_ops, revision_ref
from api.services.history_schemas import (
    AgreementProgress,
    CoverageComparison,
    CoverageMatrix,
    ElementCounts,
    ElementCoverage,
    ParagraphRef,
    ProgressTally,
    RevisionCoverage,
    RevisionProgress,
    ReworkedElement,
    ReworkedParagraph,
    SectionProgress,
    StatusCounts,
)
from api.services.revisions import (
    find_revision,
    get_process,
    mandate_elements,
    paragraph_rows,
    revision_summary,
)

# element id → the paragraphs tagged with it, in document order: (paragraph id, key, number)
Tagged = dict[int, list[tuple[int, str, str | None]]]


# --- mandate coverage -----------------------------------------------------------------------------------


def revision_coverage(session: Session, actor: Actor, slug: str, label: str | None) -> RevisionCoverage:
    """Each mandate element with the paragraphs of a revision (default: latest published) tagged with it."""
    process = get_process(session, slug)
    revision = find_revision(session, actor, process, label)
    assert process.id is not None and revision.id is not None
    tagged = _tagged(session, revision.id)
    elements = [_element_coverage(element, tagged) for element in mandate_elements(session, process.id)]
    paragraphs, tagged_paragraphs = _tagging(session, [revision.id]).get(revision.id, (0, 0))
    return RevisionCoverage(
        process=process.slug,
        revision=revision_summary(session, revision),
        elements=elements,
        covered_count=sum(1 for element in elements if element.covered),
        element_count=len(elements),
        paragraph_count=paragraphs,
        tagged_paragraph_count=tagged_paragraphs,
    )


def _tagging(session: Session, revision_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Per revision: its negotiated paragraphs (headings aside), and how many carry at least one tag."""
    is_tagged = exists().where(col(ParagraphTag.paragraph_version_id) == ParagraphVersion.id)
    rows = session.exec(
        select(
            ParagraphVersion.revision_id,
            func.count(),
            func.sum(case((is_tagged, 1), else_=0)),
        )
        .where(
            col(ParagraphVersion.revision_id).in_(revision_ids),
            ParagraphVersion.kind != ParagraphKind.HEADING,
        )
        .group_by(col(ParagraphVersion.revision_id))
    ).all()
    return {revision_id: (count, int(tagged or 0)) for revision_id, count, tagged in rows}


def _tagged(session: Session, revision_id: int) -> Tagged:
    rows = session.exec(
        select(ParagraphTag.element_id, ParagraphVersion.paragraph_id, Paragraph.key, ParagraphVersion.number)
        .join(ParagraphVersion, col(ParagraphVersion.id) == ParagraphTag.paragraph_version_id)
        .join(Paragraph, col(Paragraph.id) == ParagraphVersion.paragraph_id)
        .where(ParagraphVersion.revision_id == revision_id)
        .order_by(col(ParagraphVersion.position))
    ).all()
    tagged: Tagged = defaultdict(list)
    for element_id, paragraph_id, key, number in rows:
        tagged[element_id].append((paragraph_id, key, number))
    return dict(tagged)  # an element is a key only if some paragraph addresses it


def _element_coverage(element: MandateElement, tagged: Tagged) -> ElementCoverage:
    paragraphs = [
        ParagraphRef(key=key, number=number) for _pid, key, number in tagged.get(saved_id(element), [])
    ]
    return ElementCoverage(
        code=element.code,
        label=element.label,
        text=element.text,
        covered=bool(paragraphs),
        paragraphs=paragraphs,
    )


def compare_coverage(
    session: Session, actor: Actor, slug: str, from_label: str, to_label: str
) -> CoverageComparison:
    """Elements gained, lost and reworded from one revision to another."""
    process = get_process(session, slug)
    old = find_revision(session, actor, process, from_label)
    new = find_revision(session, actor, process, to_label)
    assert process.id is not None and old.id is not None and new.id is not None
    old_tags, new_tags = _tagged(session, old.id), _tagged(session, new.id)
    elements = mandate_elements(session, process.id)
    texts = _Texts(paragraph_rows(session, old.id), paragraph_rows(session, new.id))
    reworded = [_reworded(element, old_tags, new_tags, texts) for element in elements]
    return CoverageComparison(
        process=process.slug,
        from_revision=revision_summary(session, old),
        to_revision=revision_summary(session, new),
        gained=[
            _element_coverage(e, new_tags) for e in elements if e.id in new_tags and e.id not in old_tags
        ],
        lost=[_element_coverage(e, old_tags) for e in elements if e.id in old_tags and e.id not in new_tags],
        reworded=[element for element in reworded if element is not None],
    )


class _Texts:
    """Each paragraph's number and text in the older and the newer revision."""

    def __init__(
        self,
        old: Sequence[tuple[ParagraphVersion, Paragraph]],
        new: Sequence[tuple[ParagraphVersion, Paragraph]],
    ):
        self.old = {saved_id(paragraph): version for version, paragraph in old}
        self.new = {saved_id(paragraph): version for version, paragraph in new}

    def change(self, paragraph_id: int, key: str) -> ReworkedParagraph | None:
        """The paragraph's redline if its text differs between the two revisions."""
        old, new = self.old.get(paragraph_id), self.new.get(paragraph_id)
        old_text, new_text = old.text if old else "", new.text if new else ""
        if old_text == new_text:
            return None
        return ReworkedParagraph(
            key=key,
            old_number=old.number if old else None,
            new_number=new.number if new else None,
            redline=redline_ops(old_text, new_text),
        )


def _reworded(
    element: MandateElement, old_tags: Tagged, new_tags: Tagged, texts: _Texts
) -> ReworkedElement | None:
    """An element covered in both revisions, with its paragraphs (tagged in either) whose text changed."""
    before, after = old_tags.get(saved_id(element), []), new_tags.get(saved_id(element), [])
    if not before or not after:
        return None
    keys = dict.fromkeys((pid, key) for pid, key, _number in [*after, *before])
    changes = [change for pid, key in keys if (change := texts.change(pid, key)) is not None]
    if not changes:
        return None
    return ReworkedElement(code=element.code, label=element.label, paragraphs=changes)


def coverage_matrix(session: Session, slug: str) -> CoverageMatrix:
    """Elements × published revisions → how many paragraphs of each revision address each element."""
    process = get_process(session, slug)
    assert process.id is not None
    revisions = published_revisions(session, process.id)
    counts = _tag_counts(session, [saved_id(revision) for revision in revisions])
    elements = mandate_elements(session, process.id)
    rows = [
        ElementCounts(
            code=element.code,
            label=element.label,
            counts=[counts.get((saved_id(revision), saved_id(element)), 0) for revision in revisions],
        )
        for element in elements
    ]
    tagging = _tagging(session, [saved_id(revision) for revision in revisions])
    return CoverageMatrix(
        process=process.slug,
        revisions=[revision_ref(revision) for revision in revisions],
        elements=rows,
        covered=[sum(1 for row in rows if row.counts[index]) for index in range(len(revisions))],
        element_count=len(elements),
        paragraph_counts=[tagging.get(saved_id(revision), (0, 0))[0] for revision in revisions],
        tagged_counts=[tagging.get(saved_id(revision), (0, 0))[1] for revision in revisions],
    )


def _tag_counts(session: Session, revision_ids: list[int]) -> dict[tuple[int, int], int]:
    rows = session.exec(
        select(ParagraphVersion.revision_id, ParagraphTag.element_id, func.count())
        .join(ParagraphVersion, col(ParagraphVersion.id) == ParagraphTag.paragraph_version_id)
        .where(col(ParagraphVersion.revision_id).in_(revision_ids))
        .group_by(col(ParagraphVersion.revision_id), col(ParagraphTag.element_id))
    ).all()
    return {(revision_id, element_id): count for revision_id, element_id, count in rows}


# --- agreement progress ---------------------------------------------------------------------------------


def agreement_progress(session: Session, slug: str) -> AgreementProgress:
    """Per published revision: brackets and paragraph statuses, whole and per part and section."""
    process = get_process(session, slug)
    assert process.id is not None
    revisions = published_revisions(session, process.id)
    versions = session.exec(
        select(ParagraphVersion)
        .where(col(ParagraphVersion.revision_id).in_([revision.id for revision in revisions]))
        .where(ParagraphVersion.kind != ParagraphKind.HEADING)  # headings are not negotiated
        .order_by(col(ParagraphVersion.revision_id), col(ParagraphVersion.position))
    ).all()
    by_revision: dict[int, list[ParagraphVersion]] = defaultdict(list)
    for version in versions:
        by_revision[version.revision_id].append(version)
    return AgreementProgress(
        process=process.slug,
        revisions=[
            _revision_progress(revision, by_revision.get(saved_id(revision), [])) for revision in revisions
        ],
    )


def _revision_progress(revision: Revision, versions: Iterable[ParagraphVersion]) -> RevisionProgress:
    versions = list(versions)
    crossed = inside_crossing([(version.text, version.eid) for version in versions])
    sections: dict[tuple[str, str | None], list[tuple[str, ParagraphStatus, bool]]] = defaultdict(list)
    for version, inside in zip(versions, crossed, strict=True):
        sections[(version.part, version.section)].append((version.text, declared(version.status), inside))
    tallies = {
        place: tally(
            [(text, status) for text, status, _ in paragraphs], [inside for *_, inside in paragraphs]
        )
        for place, paragraphs in sections.items()
    }
    return RevisionProgress(
        revision=revision_ref(revision),
        tally=_tally_view(_sum(tallies.values())),
        sections=[
            SectionProgress(part=part, section=section, tally=_tally_view(counts))
            for (part, section), counts in tallies.items()
        ],
    )


def _sum(tallies: Iterable[AgreementTally]) -> AgreementTally:
    whole = AgreementTally(0, dict.fromkeys(ParagraphStatus, 0), 0, 0, 0)
    for part in tallies:
        whole = AgreementTally(
            whole.paragraphs + part.paragraphs,
            {status: whole.by_status[status] + part.by_status.get(status, 0) for status in ParagraphStatus},
            whole.bracketed_segments + part.bracketed_segments,
            whole.bracketed_chars + part.bracketed_chars,
            whole.total_chars + part.total_chars,
        )
    return whole


def _tally_view(counts: AgreementTally) -> ProgressTally:
    return ProgressTally(
        paragraph_count=counts.paragraphs,
        statuses=StatusCounts(**{status.value: n for status, n in counts.by_status.items()}),
        share_agreed=round(counts.agreed_share, 4),
        bracket_segments=counts.bracketed_segments,
        bracketed_chars=counts.bracketed_chars,
        total_chars=counts.total_chars,
    )
