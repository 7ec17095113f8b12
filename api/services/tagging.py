"""Tagging the working copy's paragraphs with mandate elements: the step after an import.

The engine suggests elements (only those above its measured threshold, with the words that give them);
a co-facilitator confirms. Saving goes through working_copy.edit_paragraph, one edit per paragraph whose
tags changed, with its lock_version: the same rules, audit events and conflicts as any other edit.
"""

from sqlmodel import Session

from api.domain.errors import Conflict, InvalidInput
from api.domain.negotiation import ParagraphKind
from api.domain.text.mandate import Suggester
from api.services.actors import Actor, require_cofacilitator
from api.services.inputs import ParagraphEdit
from api.services.revisions import element_views, get_process, paragraph_views
from api.services.schemas import ElementView, Schema
from api.services.working_copy import edit_paragraph, find_working_copy


class SuggestedElement(Schema):
    """An element the engine suggests for a paragraph, and the paragraph's words that give it."""

    code: str
    score: float
    reasons: list[str]


class TaggingRow(Schema):
    """One paragraph of the working copy with its tags and the engine's suggestions, best first."""

    key: str
    number: str | None
    kind: str
    text: str
    elements: list[str]
    suggestions: list[SuggestedElement]
    lock_version: int


class TaggingSheet(Schema):
    """The working copy's paragraphs (headings aside) to tag, with the mandate's elements."""

    process: str
    revision: str
    language: str
    elements: list[ElementView]
    rows: list[TaggingRow]
    tagged_count: int


def tagging_sheet(session: Session, actor: Actor, slug: str) -> TaggingSheet:
    """Every paragraph of the working copy with its tags and suggestions, for the co-facilitators."""
    process = get_process(session, slug)
    assert process.id is not None
    require_cofacilitator(actor, process.id)
    working = find_working_copy(session, process)
    if working is None or working.id is None:
        raise Conflict("there is no working copy to tag: import a draft or open the working copy first")
    elements = element_views(session, process.id)
    paragraphs = [p for p in paragraph_views(session, working.id) if p.kind != ParagraphKind.HEADING]
    suggester = Suggester([(e.code, f"{e.text} {e.label}") for e in elements], [p.text for p in paragraphs])
    rows = [
        TaggingRow(
            key=p.key,
            number=p.number,
            kind=p.kind,
            text=p.text,
            elements=p.elements,
            suggestions=[
                SuggestedElement(code=s.code, score=s.score, reasons=list(s.reasons))
                for s in (suggester.suggest(p.text) if elements else [])
            ],
            lock_version=p.lock_version,
        )
        for p in paragraphs
    ]
    return TaggingSheet(
        process=process.slug,
        revision=working.label,
        language=working.language,
        elements=elements,
        rows=rows,
        tagged_count=sum(1 for row in rows if row.elements),
    )


def tag_paragraphs(session: Session, actor: Actor, slug: str, tags: dict[str, tuple[int, list[str]]]) -> int:
    """Set the tags of working-copy paragraphs (key → (lock_version, codes)); how many changed."""
    sheet = tagging_sheet(session, actor, slug)
    rows = {row.key: row for row in sheet.rows}
    unknown = sorted(set(tags) - set(rows))
    if unknown:
        raise InvalidInput(f"the working copy has no paragraph {', '.join(unknown[:5])} to tag")
    changed = 0
    for key, (lock_version, codes) in tags.items():
        if sorted(set(codes)) == sorted(rows[key].elements):
            continue
        edit_paragraph(session, actor, slug, key, ParagraphEdit(elements=codes, lock_version=lock_version))
        changed += 1
    return changed
