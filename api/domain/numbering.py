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
