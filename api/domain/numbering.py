"""Paragraph numbers as negotiators write them: an insertion after OP7 is OP7bis, then 7ter …"""

import re

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
