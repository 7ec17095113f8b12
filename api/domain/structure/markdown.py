"""Markdown drafts, read with a CommonMark parser: headings, tight and loose lists, emphasis as formatting.

Every list item is a unit of its own, tight list or loose. An ordered list's items carry their number as
it renders: "1." at the top, "(a)" one ordered list down, "(i)" two down, as UN drafts number them.
Emphasis and strong emphasis become spans beside the text, never asterisks in it. Square brackets are
the negotiators' and stay text: link and image syntax is switched off, so "[x](a)" and "[a][b]" are
read as written; link reference definitions ("[source]: http://…") are not draft text and are dropped,
as are Jekyll front matter and Kramdown's "{:toc}"-style attribute lines. Inline HTML tags are dropped,
their text kept.
"""

import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

from api.domain.renumbering import letters, roman
from api.domain.structure.labels import Style
from api.domain.structure.outline import Span, SpanStyle, StructuredParagraph, Unit, build_outline

_FRONT_MATTER = re.compile(r"\A---[^\S\n]*\n.*?\n---[^\S\n]*(?:\n|\Z)", re.DOTALL)
_KRAMDOWN_TOC = re.compile(r"^[^\S\n]*[*+-][^\S\n]+TOC[^\S\n]*\n(?=[^\S\n]*\{:toc\})", re.MULTILINE)
_KRAMDOWN_ATTRIBUTES = re.compile(r"^[^\S\n]*\{:[^}\n]*\}[^\S\n]*$\n?", re.MULTILINE)
# "**Option 3:**Building": a bold label glued to its first word is not emphasis in CommonMark (the
# closing "**" follows a colon and precedes a letter); drafts mean the label, so a space goes between.
_GLUED_LABEL = re.compile(r"(\*\*(?:Option|Alt)\b[^*\n]{0,12}[:.]\*\*)(?=[^\s*])")
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_PARSER = MarkdownIt("commonmark").disable(["link", "image", "autolink"])
_SPAN_STYLES: dict[str, SpanStyle] = {"em": "em", "strong": "strong"}
# Ordered lists one and two levels down render as "(a)" and "(i)"; deeper ones go back to numbers.
_NESTED_STYLES: tuple[Style, ...] = ("letter", "roman")


def parse_markdown(text: str) -> list[StructuredParagraph]:
    """The outline of a Markdown draft."""
    return build_outline(markdown_units(text))


def markdown_units(text: str) -> list[Unit]:
    """The units of a Markdown draft in reading order, each with its depth in the lists around it."""
    source = _KRAMDOWN_ATTRIBUTES.sub("", _KRAMDOWN_TOC.sub("", _FRONT_MATTER.sub("", text)))
    source = _GLUED_LABEL.sub(r"\1 ", source)
    reader = _Reader()
    for token in _PARSER.parse(source):
        reader.read(token)
    return reader.units


@dataclass
class _Item:
    ordinal: str | None
    style: Style
    first: bool = True  # the item's first block carries its number


@dataclass
class _Reader:
    units: list[Unit] = field(default_factory=list)
    lists: list[bool] = field(default_factory=list)  # ordered?, innermost last
    items: list[_Item] = field(default_factory=list)
    heading: int = 0

    def read(self, token: Token) -> None:
        kind = token.type
        if kind in ("ordered_list_open", "bullet_list_open"):
            self.lists.append(kind == "ordered_list_open")
        elif kind in ("ordered_list_close", "bullet_list_close"):
            self.lists.pop()
        elif kind == "list_item_open":
            self.items.append(self._item(token))
        elif kind == "list_item_close":
            self.items.pop()
        elif kind == "heading_open":
            self.heading = int(token.tag[1:])
        elif kind == "heading_close":
            self.heading = 0
        elif kind == "inline":
            self._add(*inline_text(token.children or []))
        elif kind in ("code_block", "fence", "html_block"):
            # A draft holds no code: text indented by accident is text, block by block.
            for block in re.split(r"\n\s*\n", _TAG.sub("", token.content)):
                self._add(" ".join(block.split()), ())

    def _item(self, token: Token) -> _Item:
        if not self.lists or not self.lists[-1] or not token.info.isdigit() or int(token.info) < 1:
            return _Item(None, "arabic")
        ordered_above = sum(self.lists[:-1])
        if ordered_above == 0 or ordered_above > len(_NESTED_STYLES):
            return _Item(token.info, "arabic")
        style = _NESTED_STYLES[ordered_above - 1]
        return _Item(_rendered(int(token.info), style), style)

    def _add(self, text: str, spans: tuple[Span, ...]) -> None:
        if not text:
            return
        depth = len(self.items)
        item = self.items[-1] if self.items else None
        ordinal: str | None = None
        style: Style = "arabic"
        if item is not None and item.first:
            depth -= 1  # the first block is the item itself, not something inside it
            ordinal, style = item.ordinal, item.style
            item.first = False
        self.units.append(
            Unit(text, depth=depth, heading=self.heading, ordinal=ordinal, ordinal_style=style, spans=spans)
        )


def inline_text(children: list[Token]) -> tuple[str, tuple[Span, ...]]:
    """The words of an inline run and its emphasis as spans; line breaks become spaces."""
    parts: list[str] = []
    length = 0
    open_at: dict[str, list[int]] = {"em": [], "strong": []}
    spans: list[Span] = []
    for child in children:
        piece = ""
        if child.type in ("text", "code_inline"):
            piece = child.content
        elif child.type in ("softbreak", "hardbreak"):
            piece = " "
        elif child.type in ("em_open", "strong_open"):
            open_at[child.tag].append(length)
        elif child.type in ("em_close", "strong_close") and open_at[child.tag]:
            start = open_at[child.tag].pop()
            if length > start:
                spans.append(Span(start, length, _SPAN_STYLES[child.tag]))
        parts.append(piece)
        length += len(piece)
    return _trimmed("".join(parts), spans)


def _trimmed(text: str, spans: list[Span]) -> tuple[str, tuple[Span, ...]]:
    """The text without surrounding white space, its spans moved with it and kept inside it."""
    lead = len(text) - len(text.lstrip())
    stripped = text.strip()
    moved = (
        Span(max(s.start - lead, 0), min(s.end - lead, len(stripped)), s.style)
        for s in sorted(spans, key=lambda s: (s.start, -s.end))
    )
    return stripped, tuple(s for s in moved if s.end > s.start)


def _rendered(number: int, style: Style) -> str:
    """ "3" as a nested list renders it: "c" one level down, "iii" two levels down."""
    if style == "letter":
        return letters(number)
    return roman(number)
