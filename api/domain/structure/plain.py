"""Plain-text drafts: blocks separated by blank lines, "# …" headings, numbers read from the start."""

import re

from api.domain.structure.outline import StructuredParagraph, Unit, build_outline

_HEADING = re.compile(r"^(#{1,6})\s+(.*)$", re.DOTALL)


def split_blocks(text: str) -> list[str]:
    """The blocks of a text: runs of non-blank lines, each joined into one line."""
    blocks = [" ".join(line.strip() for line in chunk.splitlines()) for chunk in re.split(r"\n\s*\n", text)]
    return [block for block in blocks if block]


def parse_plain(text: str) -> list[StructuredParagraph]:
    """The outline of a plain-text draft: one unit per block, nesting read from the labels alone."""
    units = []
    for block in split_blocks(text):
        heading = _HEADING.match(block)
        units.append(
            Unit(heading.group(2).strip(), heading=len(heading.group(1))) if heading else Unit(block)
        )
    return build_outline(units)
