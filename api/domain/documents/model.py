"""What a document export is made of: a revision's header and paragraphs, framework-free."""

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Note:
    """A footnote kept apart from the paragraph text."""

    marker: str
    text: str


@dataclass(frozen=True)
class Para:
    """One paragraph as it stands in a revision."""

    key: str
    eid: str
    wid: str
    part: str
    kind: str
    number: str | None
    text: str
    status: str = "open"
    section: str | None = None
    footnotes: tuple[Note, ...] = ()
    elements: tuple[str, ...] = ()
    formatting: tuple[tuple[int, int, str], ...] = ()  # (start, end, "em" | "strong") over text


@dataclass(frozen=True)
class Header:
    """The document's masthead: symbol, date, title and who prepared it."""

    process: str
    title: str
    label: str
    language: str
    symbol: str | None = None
    date: str | None = None
    distribution: str = "General"
    author: str = "Co-facilitators"
    published_at: datetime | None = None
    content_hash: str | None = None


@dataclass(frozen=True)
class Revision:
    """A whole revision: header and paragraphs in document order."""

    header: Header
    paragraphs: tuple[Para, ...] = field(default_factory=tuple)


def number_label(para: Para) -> str:
    """The paragraph number as printed: 12. for a paragraph, (a) for a sub-paragraph, bare for a heading."""
    if not para.number:
        return ""
    if para.kind == "subparagraph":
        letter = para.number.split("(", 1)[1].rstrip(")") if "(" in para.number else para.number
        return f"({letter})"
    if para.kind == "heading":
        return para.number
    return f"{para.number}."


def printed_text(para: Para) -> str:
    """The paragraph as a reader sees it on paper: its number, a tab, its text."""
    label = number_label(para)
    return f"{label}\t{para.text}" if label else para.text


STATUS_LABEL = {
    "open": "Open",
    "bracketed": "Bracketed",
    "agreed_ad_ref": "Agreed ad ref",
    "agreed": "Agreed",
}


def tag_text(para: Para) -> str:
    """The small status and mandate-element tag printed after a paragraph (none after a heading)."""
    if para.kind == "heading":
        return ""
    parts = [STATUS_LABEL.get(para.status, para.status)]
    if para.elements:
        parts.append("elements " + ", ".join(f"({code})" for code in para.elements))
    return "  [" + " · ".join(parts) + "]"


def footnote_token(text: str) -> str:
    """A footnote as the accept/reject checks write it in a paragraph's line: [^its text]."""
    return f"[^{text}]"


def printed_line(para: Para) -> str:
    """Everything a paragraph shows: its printed text, its footnotes (as tokens) and its tag."""
    notes = "".join(footnote_token(note.text) for note in para.footnotes)
    return printed_text(para) + notes + tag_text(para)
