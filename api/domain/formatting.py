"""Formatting kept beside a paragraph's words: emphasis spans [start, end, "em" | "strong"] over its text.

Stored as JSON on the paragraph version. When the words change (an edit, an accepted proposal), each
span is carried through the redline: kept words keep their emphasis, deleted ones take it with them,
words inserted inside a span take its emphasis, words inserted at its edge do not.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from api.domain.text.redline import Op

StoredSpan = list[Any]  # [start, end, kind], as JSON holds it


def carry(formatting: Sequence[Sequence[Any]], ops: Iterable[Op]) -> list[StoredSpan]:
    """The spans of the old text placed on the new text the redline `ops` makes of it."""
    if not formatting:
        return []
    ops = list(ops)
    carried = []
    for start, end, kind in formatting:
        new_start, new_end = _place(ops, int(start), inside=False), _place(ops, int(end), inside=True)
        if new_end > new_start:
            carried.append([new_start, new_end, kind])
    return carried


def _place(ops: list[Op], offset: int, *, inside: bool) -> int:
    """Where an old offset falls in the new text; `inside` puts it before words inserted right there."""
    old = new = 0
    for op in ops:
        size = len(op.text)
        if op.kind == "insert":
            if old == offset and inside:
                return new
            new += size
            continue
        if old + size > offset or (old + size == offset and op.kind == "equal" and inside):
            return new + (offset - old if op.kind == "equal" else 0)
        old += size
        new += size if op.kind == "equal" else 0
    return new
