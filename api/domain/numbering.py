"""Paragraph numbers as negotiators write them: an insertion after OP7 is OP7bis, then 7ter …"""

import re
from typing import Literal

LATIN_ORDINALS = ("bis", "ter", "quater", "quinquies", "sexies", "septies", "octies", "novies", "decies")
_SUFFIX = re.compile(r"(" + "|".join(LATIN_ORDINALS) + r")$")


def base_number(number: str) -> str:
    """The number without its Latin insertion suffix: 7ter → 7."""
    return _SUFFIX.sub("", number)


def next_insert_number(after: str | None, taken: set[str]) -> str | None:
    """Number for an insertion after `after`: first free of 7bis, 7ter … (None if unnumbered)."""
    if not after:
        return None
    stem = base_number(after)
    suffix = _SUFFIX.search(after)
    start = LATIN_ORDINALS.index(suffix.group(1)) + 1 if suffix else 0
    for ordinal in LATIN_ORDINALS[start:]:
        if f"{stem}{ordinal}" not in taken:
            return f"{stem}{ordinal}"
    extra = len(LATIN_ORDINALS) + 1
    while f"{stem}-{extra}" in taken:
        extra += 1
    return f"{stem}-{extra}"


_ARTICLE_PARAGRAPH = re.compile(r"^\d+[a-z]*\.\S")
_LAST_POINT = re.compile(r"\(([^()]+)\)$")


def citation_form(number: str, kind: str = "paragraph") -> Literal["article", "paragraph", "as_written"]:
    """How a number is cited: within an article ("Art. 3.8"), as a paragraph ("para. 12"), or as written."""
    if kind == "heading" or not number or number[0].isalpha():
        return "as_written"
    return "article" if _ARTICLE_PARAGRAPH.match(number) else "paragraph"


def citation(number: str | None, kind: str = "paragraph") -> str | None:
    """A number as negotiators cite it in running text: "Art. 3.8(b)(i)", "para. 12bis", "Article 3"."""
    if not number:
        return None
    form = citation_form(number, kind)
    return {"article": f"Art. {number}", "paragraph": f"para. {number}"}.get(form, number)


def margin_label(number: str | None, kind: str) -> str | None:
    """The label printed beside a paragraph in the text itself: "8." for 3.8, "(i)" for 3.8(b)(i)."""
    if not number:
        return None
    number = number.split(" #", 1)[0]
    if kind == "heading":
        return number
    if point := _LAST_POINT.search(number):
        return f"({point.group(1)})"
    own = number.rsplit(": ", 1)[-1]
    if "Option" in own or "Alt" in own:
        tail = own.rsplit(", ", 1)[-1]
        return tail.split(" ", 1)[1] if tail[0].isdigit() else tail
    if _ARTICLE_PARAGRAPH.match(own):
        own = own.split(".", 1)[1]
    return f"{own}."


def option_label(number: str | None) -> str | None:
    """The label of an option or alternative, as the draft prints it: "Option 2" for "3.3 Option 2"."""
    if not number:
        return None
    own = number.split(" #", 1)[0].rsplit(": ", 1)[-1]
    if ("Option" not in own and "Alt" not in own) or _LAST_POINT.search(own):
        return None  # not an option, or a point under one ("3.8(b) Option 1(i)")
    return margin_label(number, "subparagraph")


def as_printed(text: str, number: str | None) -> str:
    """A paragraph as the draft prints it: an option's label before its words ("Option 2: …").

    The label is an option's name among near-identical alternatives, so the alignment reads it with
    the words; the stored text holds the words alone (the number carries the label)."""
    label = option_label(number)
    if label is None or text.startswith(label):
        return text
    return f"{label}: {text}"
