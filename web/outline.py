"""The table of contents of a revision: its parts and their headings."""

from collections.abc import Sequence
from dataclasses import dataclass, field

from api.domain.negotiation import ParagraphKind
from api.services.schemas import ParagraphView


@dataclass
class OutlinePart:
    """A part of the document (resolution, declaration, annexes) with its headings."""

    part: str
    first_key: str
    headings: list[ParagraphView] = field(default_factory=list)


def outline(paragraphs: Sequence[ParagraphView]) -> list[OutlinePart]:
    """The parts in document order, each with the headings in it."""
    parts: list[OutlinePart] = []
    for paragraph in paragraphs:
        if not parts or parts[-1].part != paragraph.part:
            parts.append(OutlinePart(paragraph.part, paragraph.key))
        if paragraph.kind == ParagraphKind.HEADING:
            parts[-1].headings.append(paragraph)
    return parts
