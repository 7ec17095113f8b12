"""Drafts written as plain text or Markdown: blocks separated by blank lines, numbers read from the start."""

import re
from dataclasses import dataclass

from api.domain.errors import InvalidInput
from api.domain.numbering import LATIN_ORDINALS

_HEADING = re.compile(r"^(#{1,6})\s+(.*)$", re.DOTALL)
# "12." or "12bis." then the text; "1.5 million" is a sentence, not paragraph 1.
_NUMBERED = re.compile(
    r"^(?P<number>\d{1,4}(?:" + "|".join(LATIN_ORDINALS) + r")?)\s*[.．、](?!\d)\s*(?P<text>.+)$", re.DOTALL
)
_LETTERED = re.compile(r"^[(（](?P<letter>[a-z]{1,2})[)）]\s*(?P<text>.+)$", re.DOTALL)


@dataclass(frozen=True)
class Block:
    """One paragraph of a plain draft: its kind, number (if written) and text."""

    kind: str
    number: str | None
    text: str


def split_blocks(text: str) -> list[str]:
    """The blocks of a text: runs of non-blank lines, each joined into one line."""
    blocks = [" ".join(line.strip() for line in chunk.splitlines()) for chunk in re.split(r"\n\s*\n", text)]
    return [block for block in blocks if block]


def parse_plain_document(text: str) -> list[Block]:
    """Blocks with kinds: '# …' headings, '12. …' paragraphs, '(a) …' sub-paragraphs, others unnumbered."""
    blocks: list[Block] = []
    last_number: str | None = None
    for raw in split_blocks(text):
        block = _classify(raw, last_number)
        if block.kind == "paragraph":
            last_number = block.number
        blocks.append(block)
    if not blocks:
        raise InvalidInput("the document holds no paragraphs")
    return blocks


def _classify(raw: str, last_number: str | None) -> Block:
    if heading := _HEADING.match(raw):
        return Block("heading", None, heading.group(2).strip())
    if numbered := _NUMBERED.match(raw):
        return Block("paragraph", numbered.group("number"), numbered.group("text").strip())
    if (lettered := _LETTERED.match(raw)) and last_number:
        return Block(
            "subparagraph", f"{last_number}({lettered.group('letter')})", lettered.group("text").strip()
        )
    return Block("unnumbered", None, raw)
