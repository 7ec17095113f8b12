"""Plain-text drafts: blocks separated by blank lines, or one line per unit with its indentation as depth.

Text from a word processor ("Save as text", or extracted from a .docx) keeps one paragraph per line and
shows the outline only by tabs and spaces: parts at 4, sections at 8, paragraphs at 24, "(a)" at 28,
"(i)" at 32, options at the margin. Such a file is read line by line, the indentation giving the depth
the outline nests by. Other text is cut into blocks at blank lines, numbers read from the start.
"""

import re

from api.domain.structure.labels import read_label
from api.domain.structure.outline import StructuredParagraph, Unit, build_outline

_HEADING = re.compile(r"^(#{1,6})\s+(.*)$", re.DOTALL)
_TAB = 4


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


def text_lines(text: str) -> list[str]:
    """The non-blank lines of a text (a line of no-break spaces is blank too)."""
    return [line for line in text.splitlines() if line.strip()]


def is_line_per_unit(text: str) -> bool:
    """Whether a text keeps one unit per line: labels open lines that follow a line directly.

    In text cut into blocks a label opens a block, after a blank line; a wrapped line seldom starts
    with one. When more labelled lines follow a line than follow a blank, each line is a unit.
    """
    after_line = after_blank = 0
    previous_blank = True
    for line in text.splitlines():
        if not line.strip():
            previous_blank = True
            continue
        if read_label(line.strip()) is not None:
            if previous_blank:
                after_blank += 1
            else:
                after_line += 1
        previous_blank = False
    return after_line >= 3 and after_line > after_blank


def parse_indented(text: str) -> list[StructuredParagraph]:
    """The outline of a line-per-unit draft: each line a unit, its indentation its depth."""
    units = []
    for line in text_lines(text):
        expanded = line.expandtabs(_TAB)
        depth = len(expanded) - len(expanded.lstrip())
        units.append(Unit(" ".join(line.split()), depth=depth))
    return build_outline(units)
