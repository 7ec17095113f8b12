"""Import of a UN document as extracted from PDF: paragraphs, headings and footnotes, page noise removed.

The extraction gives one printed line per text line with a blank line between lines. It marks structure
only typographically: a trailing space ends the last line of every paragraph; a leading space marks a
first-line indent, but also begins every page; a page break shows as two lines with no blank between
them, or as page furniture (running title, footer, hyperlink URL). Footnotes sit in blocks under a
"____" rule at page bottoms, with their markers glued to the text ("议程》。1 这"). Numbered
paragraphs run 1, 2, 3 … per part, and only the expected next number opens a paragraph, so that a
wrapped line starting with a number stays text.

Parts: "front" is the resolution around the transmitted text; "附件" opens the "body" (the
transmitted text); "附录一", "附录二" … open "annex1", "annex2" …. Unnumbered text of the body (the
Declaration's opening "我们，…") stays in the body: it is the transmitted text's own words.
"""

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from api.domain.errors import InvalidInput
from api.domain.text_input import check_no_control_characters

Kind = Literal["paragraph", "subparagraph", "heading", "unnumbered"]


@dataclass(frozen=True)
class FootnoteRef:
    """A footnote called from a paragraph; offset is where its marker stood in the paragraph's text."""

    marker: str
    text: str
    offset: int


@dataclass(frozen=True)
class Paragraph:
    """One unit of the document: a numbered (sub-)paragraph, a heading or an unnumbered paragraph."""

    key: str
    eid: str
    part: str
    section: str | None
    kind: Kind
    number: str | None
    text: str
    footnotes: tuple[FootnoteRef, ...] = ()


@dataclass(frozen=True)
class ParsedDocument:
    """The document's paragraphs in reading order, with its symbol and date where the text gives them."""

    symbol: str | None
    date: str | None
    paragraphs: tuple[Paragraph, ...]

    def part(self, name: str) -> tuple[Paragraph, ...]:
        """The paragraphs of one part ("front", "body", "annex1" …), in order."""
        return tuple(paragraph for paragraph in self.paragraphs if paragraph.part == name)

    def get(self, key: str) -> Paragraph:
        """The paragraph with this key; KeyError if there is none."""
        for paragraph in self.paragraphs:
            if paragraph.key == key:
                return paragraph
        raise KeyError(key)


# Page furniture: hyperlink lines, job-number footers ("16-15749 (C) 20/22", "3/22 16-15749"),
# barcodes ("*1615749*") and the running title, which starts with the resolution's symbol.
_URL = re.compile(r"^https?://\S+$")
_JOB = r"\d{2}-\d{5}(?:\s*\([A-Z]\))?"
_FOOTER = re.compile(rf"^(?:{_JOB}(?:\s+\d+/\d+)?|\d+/\d+\s+{_JOB}|\*\d{{7,}}\*)$")
_RUNNING_TITLE = re.compile(r"^A/RES/\d+/\d+(?:\s.*)?$")
_FOOTNOTE_RULE = re.compile(r"^_{5,}$")
_FOOTNOTE_LINE = re.compile(r"^(\d{1,3})\s+(\S.*)$")

_CN_NUMERAL = "一二三四五六七八九十"
_PARAGRAPH_START = re.compile(r"^(\d{1,3})\.\s+(\S.*)$")
_SUBPARAGRAPH_START = re.compile(r"^\(([a-z])\)\s+(\S.*)$")
_SECTION_START = re.compile(rf"^([{_CN_NUMERAL}]{{1,3}})\.\s*(\S.*)$")
_BODY_MARKER = "附件"
_ANNEX_MARKER = re.compile(rf"^附录([{_CN_NUMERAL}]{{1,3}})$")
_RESOLUTION_TITLE = re.compile(r"^(\d+/\d+)\.\s*(\S.*)$")
_DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
# A paragraph number this far past the expected one means a paragraph was lost, not a wrapped number.
_MAX_SKIP = 3
_HEADING_MAX_CHARS = 40
_SENTENCE_PUNCTUATION = "。；：，.;:,"
# Wide characters before which a glued number may be a footnote marker (ideographs, CJK punctuation).
_CJK_CLASS = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’"


def parse_un_document(text: str) -> ParsedDocument:
    """Parse the text of a UN document extracted from PDF into its parts, paragraphs and footnotes."""
    if not text.strip():
        raise InvalidInput("the document is empty")
    check_no_control_characters(text, "the document")
    lines, notes = _scan(text)
    assembler = _Assembler()
    for line in lines:
        assembler.feed(line)
    if assembler.paragraph_count == 0:
        raise InvalidInput("no numbered paragraphs found: this is not a UN document as extracted from PDF")
    outline = _Outline()
    for block in assembler.blocks:
        outline.add(block)
    paragraphs = _attach_footnotes(outline.finish(), notes)
    return ParsedDocument(symbol=outline.symbol, date=outline.date, paragraphs=tuple(paragraphs))


# ---------------------------------------------------------------------------------------------------
# Lines: drop page furniture, set footnotes apart, keep the marks that tell where paragraphs end.


@dataclass
class _Line:
    text: str
    indented: bool
    page_start: bool
    ends_block: bool


@dataclass
class _Scanner:
    lines: list[_Line] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)
    in_notes: bool = False
    new_page: bool = True
    previous_blank: bool = True
    after_rule: bool = False

    def feed(self, raw: str) -> None:
        stripped = " ".join(raw.split())
        if not stripped:
            self._blank(raw)
            return
        # Two lines with no blank between them straddle a page break (the rule line is the exception).
        page_start = self.new_page or (not self.previous_blank and not self.after_rule)
        self.previous_blank = self.new_page = self.after_rule = False
        if _is_page_furniture(stripped):
            self.new_page, self.in_notes = True, False
        elif _FOOTNOTE_RULE.match(stripped):
            self.in_notes = self.after_rule = True
        elif not (self.in_notes and not page_start and self._note(stripped)):
            self.in_notes = False
            self.lines.append(_Line(stripped, raw[0].isspace(), page_start, raw[-1].isspace()))

    def _blank(self, raw: str) -> None:
        # A line holding only spaces closes the paragraph above it, as a trailing space does.
        if raw and self.lines and not self.in_notes and not self.new_page:
            self.lines[-1].ends_block = True
        self.previous_blank = True

    def _note(self, line: str) -> bool:
        """Take a line of a footnote block; False if it cannot be one (then it is text)."""
        if _PARAGRAPH_START.match(line):
            return False
        match = _FOOTNOTE_LINE.match(line)
        if match:
            self.notes.append((match[1], match[2]))
        elif self.notes:
            marker, note = self.notes[-1]
            self.notes[-1] = (marker, _join(note, line))
        else:
            return False
        return True


def _scan(text: str) -> tuple[list[_Line], list[tuple[str, str]]]:
    """Split the extraction into text lines and footnotes (marker, text), in document order."""
    scanner = _Scanner()
    for raw in text.split("\n"):
        scanner.feed(raw)
    return scanner.lines, scanner.notes


def _is_page_furniture(line: str) -> bool:
    return bool(_URL.match(line) or _FOOTER.match(line) or _RUNNING_TITLE.match(line))


# ---------------------------------------------------------------------------------------------------
# Blocks: lines grouped into paragraphs by the numbering, the part markers and the paragraph-end marks.


@dataclass
class _Block:
    part: str
    role: Literal["marker", "section", "paragraph", "subparagraph", "text"]
    number: str | None
    lines: list[str]
    closed: bool = False

    @property
    def text(self) -> str:
        joined = ""
        for line in self.lines:
            joined = _join(joined, line)
        return joined


class _Assembler:
    """Groups lines into blocks, tracking the numbering that tells a paragraph start from wrapped text."""

    def __init__(self) -> None:
        self.blocks: list[_Block] = []
        self.part = "front"
        self.paragraph_count = 0
        self._annexes = 0
        self._next_paragraph = 1
        self._next_section = 1
        self._parent: str | None = None
        self._next_letter: str | None = None

    def feed(self, line: _Line) -> None:
        block = (
            self._start(line.text) or self._continued(line) or _Block(self.part, "text", None, [line.text])
        )
        if not self.blocks or block is not self.blocks[-1]:
            self.blocks.append(block)
        block.closed = block.closed or line.ends_block

    def _continued(self, line: _Line) -> _Block | None:
        """The open block this line wraps onto; None if the line begins a paragraph of its own."""
        current = self.blocks[-1] if self.blocks else None
        # An indent inside a page is a first-line indent: a new unnumbered paragraph begins.
        if current is None or current.closed or (line.indented and not line.page_start):
            return None
        current.lines.append(line.text)
        return current

    def _start(self, text: str) -> _Block | None:
        """The block this line opens, if it opens one by a marker or the next expected number."""
        return (
            self._part_marker(text)
            or self._section(text)
            or self._paragraph(text)
            or self._subparagraph(text)
        )

    def _part_marker(self, text: str) -> _Block | None:
        annex = _ANNEX_MARKER.match(text)
        if annex and _chinese_number(annex[1]) == self._annexes + 1:
            self._annexes += 1
            return self._enter(f"annex{self._annexes}", text)
        if text == _BODY_MARKER and self.part == "front":
            return self._enter("body", text)
        return None

    def _enter(self, part: str, marker: str) -> _Block:
        self.part = part
        self._next_paragraph = self._next_section = 1
        self._parent = self._next_letter = None
        return _Block(part, "marker", marker, [], closed=True)

    def _section(self, text: str) -> _Block | None:
        match = _SECTION_START.match(text)
        if not match or _chinese_number(match[1]) != self._next_section:
            return None
        self._leave_front()
        self._next_section += 1
        self._parent = self._next_letter = None
        return _Block(self.part, "section", match[1], [match[2]], closed=True)

    def _paragraph(self, text: str) -> _Block | None:
        match = _PARAGRAPH_START.match(text)
        if not match:
            return None
        number = int(match[1])
        if self._next_paragraph < number <= self._next_paragraph + _MAX_SKIP:
            raise InvalidInput(f"{self.part}: paragraph {self._next_paragraph} is missing before {number}")
        if number != self._next_paragraph:
            return None
        self._leave_front()
        self._next_paragraph += 1
        self.paragraph_count += 1
        self._parent, self._next_letter = match[1], "a"
        return _Block(self.part, "paragraph", match[1], [match[2]])

    def _subparagraph(self, text: str) -> _Block | None:
        match = _SUBPARAGRAPH_START.match(text)
        if not match or self._parent is None or match[1] != self._next_letter:
            return None
        self._next_letter = chr(ord(match[1]) + 1)
        return _Block(self.part, "subparagraph", f"{self._parent}({match[1]})", [match[2]])

    def _leave_front(self) -> None:
        # A document with no "附件" marker has its body start at its first numbered unit.
        if self.part == "front":
            self.part = "body"


# ---------------------------------------------------------------------------------------------------
# Outline: blocks become paragraphs with keys, eIds, kinds and the section each sits under.


class _Outline:
    """Turns blocks into paragraphs, naming each and recording the section it sits under."""

    def __init__(self) -> None:
        self.symbol: str | None = None
        self.date: str | None = None
        self._paragraphs: list[Paragraph] = []
        self._front = 0
        self._part = "front"
        self._marker: str | None = None
        self._section: str | None = None
        self._cross_heading: str | None = None
        self._cross_headings = 0
        self._unnumbered = 0

    def add(self, block: _Block) -> None:
        if block.part != self._part:
            self._enter(block.part)
        if block.role != "text":
            self._flush_marker()
        if block.role == "marker":
            self._marker = block.number
        elif block.role == "section":
            self._add_section(block)
        elif block.role in ("paragraph", "subparagraph"):
            self._add_numbered(block)
        elif block.part == "front":
            self._add_front(block.text)
        else:
            self._add_text(block.text)

    def finish(self) -> list[Paragraph]:
        self._flush_marker()
        return self._paragraphs

    def _enter(self, part: str) -> None:
        self._flush_marker()
        self._part = part
        self._section = self._cross_heading = None
        self._cross_headings = self._unnumbered = 0

    def _emit(self, key: str, eid: str, kind: Kind, number: str | None, text: str) -> None:
        section = self._section or self._cross_heading
        self._paragraphs.append(Paragraph(key, eid, self._part, section, kind, number, text))

    @property
    def _eid_prefix(self) -> str:
        # AKN4UN-style: body eIds bare ("para_1"), annex eIds prefixed ("annex_1__para_1").
        return "" if self._part == "body" else f"annex_{self._part.removeprefix('annex')}__"

    def _flush_marker(self, title: str | None = None) -> None:
        """Emit a pending part marker as the part's title heading ("附录一" + its title)."""
        if self._marker is None:
            return
        number, text = (self._marker, title) if title else (None, self._marker)
        self._emit(f"{self._part}-title", f"{self._eid_prefix}docTitle", "heading", number, text)
        self._marker = None

    def _add_front(self, text: str) -> None:
        self._front += 1
        key, eid = f"front-{self._front}", f"preface__p_{self._front}"
        title = _RESOLUTION_TITLE.match(text) if self._front == 1 else None
        if title:
            self.symbol = f"A/RES/{title[1]}"
            self._emit(key, eid, "heading", title[1], title[2])
            return
        date = _DATE.match(text)
        if date and self.date is None:
            self.date = f"{int(date[1]):04d}-{int(date[2]):02d}-{int(date[3]):02d}"
        self._emit(key, eid, "unnumbered", None, text)

    def _add_section(self, block: _Block) -> None:
        assert block.number is not None
        self._section, self._cross_heading = block.number, None
        arabic = _chinese_number(block.number)
        self._emit(
            f"{self._part}-h-{arabic}", f"{self._eid_prefix}sec_{arabic}", "heading", block.number, block.text
        )

    def _add_numbered(self, block: _Block) -> None:
        assert block.number is not None
        parent, _, letter = block.number.partition("(")
        if block.role == "paragraph":
            key, eid = f"{self._part}-{parent}", f"{self._eid_prefix}para_{parent}"
            self._emit(key, eid, "paragraph", block.number, block.text)
            return
        letter = letter.rstrip(")")
        key, eid = f"{self._part}-{parent}-{letter}", f"{self._eid_prefix}para_{parent}__subpara_{letter}"
        self._emit(key, eid, "subparagraph", block.number, block.text)

    def _add_text(self, text: str) -> None:
        if not _looks_like_heading(text):
            self._flush_marker()
            self._unnumbered += 1
            n = self._unnumbered
            self._emit(f"{self._part}-p-{n}", f"{self._eid_prefix}p_{n}", "unnumbered", None, text)
        elif self._marker is not None:
            self._flush_marker(title=text)
        else:
            self._cross_headings += 1
            self._cross_heading = text
            n = self._cross_headings
            self._emit(f"{self._part}-ch-{n}", f"{self._eid_prefix}crossHeading_{n}", "heading", None, text)


def _looks_like_heading(text: str) -> bool:
    """A short unnumbered line with no sentence punctuation is a heading ("承诺", "持久解决办法")."""
    return len(text) <= _HEADING_MAX_CHARS and "。" not in text and text[-1] not in _SENTENCE_PUNCTUATION


def _chinese_number(numeral: str) -> int:
    """Value of a Chinese numeral up to 99 ("一" → 1, "十二" → 12, "二十" → 20)."""
    tens, _, units = numeral.rpartition("十")
    if "十" not in numeral:
        return _CN_NUMERAL.index(numeral) + 1 if len(numeral) == 1 else 0
    tens_value = (_CN_NUMERAL.index(tens) + 1) if tens else 1
    units_value = (_CN_NUMERAL.index(units) + 1) if units else 0
    return tens_value * 10 + units_value


# ---------------------------------------------------------------------------------------------------
# Footnotes: markers glued to the text are matched, in order, against the footnote blocks.


def _attach_footnotes(paragraphs: Sequence[Paragraph], notes: Sequence[tuple[str, str]]) -> list[Paragraph]:
    """Move each footnote marker out of the text into the paragraph's footnotes, in document order."""
    result: list[Paragraph] = []
    position = 0
    for paragraph in paragraphs:
        text, refs, position = _take_markers(paragraph.text, notes, position)
        result.append(replace(paragraph, text=text, footnotes=refs))
    if position < len(notes):
        raise InvalidInput(f"footnote {notes[position][0]} is not called from any paragraph")
    return result


def _take_markers(
    text: str, notes: Sequence[tuple[str, str]], position: int
) -> tuple[str, tuple[FootnoteRef, ...], int]:
    # Footnotes are numbered in reading order, so only the next one is looked for: a number such as
    # "，300 万" is never taken for a marker unless it is the very footnote expected next.
    refs: list[FootnoteRef] = []
    start = 0
    while position < len(notes):
        marker, note = notes[position]
        match = re.compile(rf"(?<=[{_CJK_CLASS})]){re.escape(marker)}(?=\s|$)").search(text, start)
        if match is None:
            break
        end = match.end()
        while end < len(text) and text[end].isspace():
            end += 1
        left, right = text[: match.start()], text[end:]
        text = left + _separator(left[-1:], right[:1]) + right
        refs.append(FootnoteRef(marker, note, len(left)))
        start, position = len(left), position + 1
    return text, tuple(refs), position


# ---------------------------------------------------------------------------------------------------
# Joining wrapped lines: no space inside Chinese text, one space where it meets Latin letters or digits.


def _join(left: str, right: str) -> str:
    if not left:
        return right
    return left + _separator(left[-1], right[0]) + right


def _separator(before: str, after: str) -> str:
    """What goes between two characters that a line break separated ("2030 年", "流动。2015")."""
    if not before or not after:
        return ""
    if _is_wide(before) or _is_wide(after):
        mixed = (_is_ideograph(before) and _is_narrow_word(after)) or (
            _is_narrow_word(before) and _is_ideograph(after)
        )
        return " " if mixed else ""
    return " "


def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F") or char in "“”‘’"


def _is_ideograph(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F") and unicodedata.category(char) == "Lo"


def _is_narrow_word(char: str) -> bool:
    return char.isalnum() and not _is_wide(char)
