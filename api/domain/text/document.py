"""The redline of a whole revision: align its paragraphs, then diff each aligned pair on its own.

Diffing paragraph by paragraph keeps every diff small (so it is fast and exact) and keeps edits inside
the paragraph they belong to, where a whole-document diff may match a word of one paragraph with the
same word in another.
"""

import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from api.domain.text.align import Alignment, align
from api.domain.text.redline import Op, Redline, diff

EntryKind = Literal[
    "unchanged", "modified", "moved", "moved_modified", "split", "merged", "inserted", "deleted"
]

_BLANK_LINE = re.compile(r"\n[^\S\n]*\n\s*")
# Parts of a split or merge are joined with a paragraph break, which the redline shows inserted or struck.
PARAGRAPH_BREAK = "\n\n"


@dataclass(frozen=True, slots=True)
class ParagraphRedline:
    """One entry of a revision's redline: which paragraphs it covers on each side, and its operations."""

    kind: EntryKind
    old: tuple[int, ...]
    new: tuple[int, ...]
    ops: tuple[Op, ...]
    exact: bool = True


@dataclass(frozen=True, slots=True)
class DocumentRedline:
    """A revision's redline in reading order: new order, with deleted paragraphs where they stood."""

    alignment: Alignment
    entries: tuple[ParagraphRedline, ...]

    @property
    def exact(self) -> bool:
        """True unless a deadline cut some paragraph's diff."""
        return all(entry.exact for entry in self.entries)


def split_paragraphs(text: str) -> list[str]:
    """Cut a text file into paragraphs: blocks separated by blank lines, trimmed of surrounding space."""
    return [block for block in (raw.strip() for raw in _BLANK_LINE.split(text)) if block]


def redline_document(
    old: Sequence[str], new: Sequence[str], *, deadline: float | None = None
) -> DocumentRedline:
    """Align two revisions' paragraphs and redline each aligned pair, split, merge, insertion and deletion."""
    alignment = align(old, new)
    entries = _in_reading_order(_entries(alignment, old, new, deadline), alignment.deleted, old)
    return DocumentRedline(alignment=alignment, entries=tuple(entries))


def _entries(
    alignment: Alignment, old: Sequence[str], new: Sequence[str], deadline: float | None
) -> list[tuple[int, ParagraphRedline]]:
    """Every entry but deletions, keyed by the first new paragraph it covers."""
    entries: list[tuple[int, ParagraphRedline]] = []
    for pair in alignment.pairs:
        entries.append(
            (
                pair.new,
                _entry(
                    pair.kind, (pair.old,), (pair.new,), diff(old[pair.old], new[pair.new], deadline=deadline)
                ),
            )
        )
    for split in alignment.splits:
        joined = PARAGRAPH_BREAK.join(new[j] for j in split.new)
        entries.append(
            (
                split.new[0],
                _entry("split", (split.old,), split.new, diff(old[split.old], joined, deadline=deadline)),
            )
        )
    for merge in alignment.merges:
        joined = PARAGRAPH_BREAK.join(old[i] for i in merge.old)
        entries.append(
            (
                merge.new,
                _entry("merged", merge.old, (merge.new,), diff(joined, new[merge.new], deadline=deadline)),
            )
        )
    for j in alignment.inserted:
        ops = (Op("insert", new[j]),) if new[j] else ()
        entries.append((j, ParagraphRedline("inserted", (), (j,), ops)))
    entries.sort(key=lambda keyed: keyed[0])
    return entries


def _entry(
    kind: EntryKind, olds: tuple[int, ...], news: tuple[int, ...], redline: Redline
) -> ParagraphRedline:
    return ParagraphRedline(kind, olds, news, redline.ops, redline.exact)


def _in_reading_order(
    entries: list[tuple[int, ParagraphRedline]], deleted: Sequence[int], old: Sequence[str]
) -> list[ParagraphRedline]:
    """Place each deleted paragraph right after the unmoved entry that preceded it in the old text."""
    ordered = [entry for _, entry in entries]
    anchors = sorted(
        (max(entry.old), position)
        for position, entry in enumerate(ordered)
        if entry.old and entry.kind not in ("moved", "moved_modified")
    )
    after: dict[int, list[int]] = defaultdict(list)  # position of the anchor entry (-1: the top) → deleted
    for i in deleted:
        below = bisect_left(anchors, (i, -1))
        after[anchors[below - 1][1] if below else -1].append(i)
    result = [_deletion(i, old) for i in after[-1]]
    for position, entry in enumerate(ordered):
        result.append(entry)
        result.extend(_deletion(i, old) for i in after[position])
    return result


def _deletion(i: int, old: Sequence[str]) -> ParagraphRedline:
    return ParagraphRedline("deleted", (i,), (), (Op("delete", old[i]),) if old[i] else ())
