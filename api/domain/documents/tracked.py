"""The redline between two revisions as tracked paragraphs: runs inserted or deleted, and paragraph marks.

Each group of paragraphs that correspond (one to one, a split, a merge, an insertion, a deletion) is
diffed as one string with a newline between its paragraphs; a newline the diff inserts or deletes is a
paragraph mark inserted or deleted. The groups are laid out so that the older paragraphs appear in their
old order and the newer in their new order, which is what makes "accept all" give exactly the newer
revision and "reject all" exactly the older. A group that would break the old order (a move) becomes a
deletion where it was and an insertion where it went. Each paragraph ends with its footnotes and its
status tag, tracked as well (see `_ending`).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from api.domain.documents.model import Para, footnote_token, number_label, printed_text, tag_text
from api.domain.ordering import longest_in_order
from api.domain.text import diff

Kind = Literal["equal", "insert", "delete"]
# What a piece is: the paragraph's text, its status tag, or a footnote (its text goes in the notes part).
Role = Literal["text", "tag", "note"]
BREAK = "\n"


@dataclass(frozen=True)
class Change:
    """Who made a tracked change, and when."""

    author: str
    date: datetime


@dataclass(frozen=True)
class Piece:
    """A stretch of a tracked paragraph: kept, inserted or deleted (with its change)."""

    kind: Kind
    text: str
    change: Change | None = None
    role: Role = "text"


@dataclass(frozen=True)
class TrackedParagraph:
    """One paragraph of the redline, styled as `para`, with its pieces and the fate of its mark."""

    para: Para
    pieces: tuple[Piece, ...]
    mark: Kind = "equal"
    mark_change: Change | None = None


@dataclass(frozen=True)
class Group:
    """Paragraphs of the older revision and the newer that correspond (either side may be empty)."""

    old: tuple[Para, ...]
    new: tuple[Para, ...]


@dataclass(frozen=True)
class Attribution:
    """Who is credited: proposal sources by name, deleted paragraphs by key, else the co-facilitators."""

    default: Change
    sources: Mapping[str, Change] = field(default_factory=dict)
    # Proposals that deleted (or amended) a paragraph of the older revision, by paragraph key.
    paragraphs: Mapping[str, Change] = field(default_factory=dict)
    # Provenance of the newer paragraphs: (text, sources) spans by paragraph key.
    provenance: Mapping[str, Sequence[tuple[str, Sequence[str]]]] = field(default_factory=dict)


def ordered(groups: Sequence[Group], old: Sequence[Para], new: Sequence[Para]) -> list[Group]:
    """The groups laid out so both revisions read in order; groups that would cross become delete + insert."""
    old_rank = {p.key: index for index, p in enumerate(old)}
    new_rank = {p.key: index for index, p in enumerate(new)}
    deletions: list[tuple[int, Group]] = []
    bearing: list[tuple[int, int, Group]] = []  # (new start, old start or -1, group)
    seen_old, seen_new = set(), set()
    for group in groups:
        olds = [old_rank[p.key] for p in group.old]
        news = [new_rank[p.key] for p in group.new]
        seen_old.update(olds)
        seen_new.update(news)
        if olds and news and _contiguous(olds) and _contiguous(news):
            bearing.append((news[0], olds[0], group))
            continue
        deletions.extend((rank, Group((old[rank],), ())) for rank in olds)
        bearing.extend((rank, -1, Group((), (new[rank],))) for rank in news)
    # Whatever the groups left out is still shown: as a deletion or an insertion.
    deletions.extend((r, Group((p,), ())) for r, p in enumerate(old) if r not in seen_old)
    bearing.extend((r, -1, Group((), (p,))) for r, p in enumerate(new) if r not in seen_new)
    bearing.sort(key=lambda item: item[0])
    placed = [index for index, (_new, start, _group) in enumerate(bearing) if start >= 0]
    keep = set(longest_in_order(placed, [bearing[i][1] for i in placed]))
    layout: list[tuple[int, Group]] = []
    for index, (_new, start, group) in enumerate(bearing):
        if start < 0 or index in keep:
            layout.append((start, group))
        else:
            deletions.extend((old_rank[p.key], Group((p,), ())) for p in group.old)
            layout.append((-1, Group((), group.new)))
    deletions.sort(key=lambda item: item[0])
    result: list[Group] = []
    for start, group in layout:
        while start >= 0 and deletions and deletions[0][0] < start:
            result.append(deletions.pop(0)[1])
        result.append(group)
    result.extend(group for _start, group in deletions)
    return result


def _contiguous(ranks: Sequence[int]) -> bool:
    return list(ranks) == list(range(ranks[0], ranks[0] + len(ranks)))


def tracked_paragraphs(groups: Sequence[Group], credit: Attribution) -> list[TrackedParagraph]:
    """The redline as paragraphs with tracked runs and marks; `groups` must already be `ordered`."""
    stream: list[Piece] = []
    styles_old: list[Para] = []
    styles_new: list[Para] = []
    old_started = new_started = False
    for group in groups:
        need_old, need_new = bool(group.old) and old_started, bool(group.new) and new_started
        if need_old or need_new:
            kind: Kind = "equal" if need_old and need_new else ("delete" if need_old else "insert")
            stream.append(Piece(kind, BREAK, None if kind == "equal" else _group_change(group, credit)))
        stream.extend(_group_pieces(group, credit))
        styles_old.extend(group.old)
        styles_new.extend(group.new)
        old_started = old_started or bool(group.old)
        new_started = new_started or bool(group.new)
    return _cut(stream, styles_old, styles_new, credit)


def _group_pieces(group: Group, credit: Attribution) -> list[Piece]:
    old = BREAK.join(printed_text(p) for p in group.old)
    new = BREAK.join(printed_text(p) for p in group.new)
    if not group.new:
        change = credit.paragraphs.get(group.old[0].key, credit.default)
        return [Piece("delete", old, change)]
    spans = _source_spans(group.new, credit)
    ops = diff(old, new).ops
    pieces: list[Piece] = []
    offset = 0
    for op in ops:
        if op.kind == "insert":
            pieces.append(Piece("insert", op.text, _credit_at(spans, offset, len(op.text), credit, group)))
        else:
            pieces.append(Piece(op.kind, op.text))
        if op.kind != "delete":
            offset += len(op.text)
    return _credit_deletions(pieces, credit, group)


def _source_spans(paras: Sequence[Para], credit: Attribution) -> list[tuple[int, int, Change]]:
    """Where in the group's new string each credited proposal's text (and each number) lies."""
    spans: list[tuple[int, int, Change]] = []
    offset = 0
    for para in paras:
        label = number_label(para)
        start = offset + (len(label) + 1 if label else 0)
        if label:  # numbers are the co-facilitators' (renumbering), whoever proposed the text
            spans.append((offset, start, credit.default))
        for text, sources in credit.provenance.get(para.key, ()):
            known = [credit.sources[s] for s in sources if s in credit.sources]
            if known:
                spans.append((start, start + len(text), known[0]))
            start += len(text)
        offset += len(printed_text(para)) + len(BREAK)
    return spans


def _credit_at(
    spans: Sequence[tuple[int, int, Change]], start: int, length: int, credit: Attribution, group: Group
) -> Change:
    """The change credited with the most of new[start:start+length]."""
    best, best_overlap = None, 0
    for low, high, change in spans:
        overlap = min(high, start + length) - max(low, start)
        if overlap > best_overlap:
            best, best_overlap = change, overlap
    return best or _group_change(group, credit)


def _group_change(group: Group, credit: Attribution) -> Change:
    """The proposal a whole group's change came from: its new text's, a deleting one's, else the default."""
    for para in group.new:
        for _text, sources in credit.provenance.get(para.key, ()):
            known = [credit.sources[s] for s in sources if s in credit.sources]
            if known:
                return known[0]
    for para in (*group.new, *group.old):
        if para.key in credit.paragraphs:
            return credit.paragraphs[para.key]
    return credit.default


def _credit_deletions(pieces: list[Piece], credit: Attribution, group: Group) -> list[Piece]:
    """A deletion is credited to the insertion that replaces it, else to the group's proposal."""
    result = list(pieces)
    for index, piece in enumerate(result):
        if piece.kind != "delete":
            continue
        neighbours = [result[i] for i in (index + 1, index - 1) if 0 <= i < len(result)]
        replacing = [n.change for n in neighbours if n.kind == "insert" and n.change is not None]
        change = replacing[0] if replacing else _group_change(group, credit)
        result[index] = Piece("delete", piece.text, change)
    return result


def _cut(
    stream: Sequence[Piece], styles_old: Sequence[Para], styles_new: Sequence[Para], credit: Attribution
) -> list[TrackedParagraph]:
    """Cut the stream at its newlines into paragraphs; each newline's kind is its paragraph's mark.

    Before each mark go the footnotes and the tag of the paragraphs that end there: the older one's where
    the mark is kept or deleted, the newer one's where it is kept or inserted.
    """
    paragraphs: list[TrackedParagraph] = []
    current: list[Piece] = []
    old_index = new_index = 0
    for piece in stream:
        parts = piece.text.split(BREAK)
        for position, part in enumerate(parts):
            if part:
                current.append(Piece(piece.kind, part, piece.change))
            if position == len(parts) - 1:
                break
            old = styles_old[old_index] if piece.kind != "insert" else None
            new = styles_new[new_index] if piece.kind != "delete" else None
            current.extend(_ending(old, new, credit.default))
            style = styles_old[old_index] if piece.kind == "delete" else styles_new[new_index]
            paragraphs.append(TrackedParagraph(style, tuple(current), piece.kind, piece.change))
            current = []
            old_index += piece.kind != "insert"
            new_index += piece.kind != "delete"
    last_old = styles_old[old_index] if old_index < len(styles_old) else None
    last_new = styles_new[new_index] if new_index < len(styles_new) else None
    current.extend(_ending(last_old, last_new, credit.default))
    last = last_new or styles_old[min(old_index, len(styles_old) - 1)]
    paragraphs.append(TrackedParagraph(last, tuple(current)))
    return paragraphs


def _ending(old: Para | None, new: Para | None, change: Change) -> list[Piece]:
    """The footnotes and the tag that end a paragraph: kept, or changed as the co-facilitators' change.

    A changed footnote is the old one deleted and the new one inserted; a changed tag is diffed word by
    word, so "[Bracketed · elements (a)]" → "[Agreed · elements (a)]" shows the status alone replaced.
    """
    pieces: list[Piece] = []
    old_notes = [note.text for note in old.footnotes] if old else []
    new_notes = [note.text for note in new.footnotes] if new else []
    if old is not None and new is not None and old_notes == new_notes:
        pieces.extend(Piece("equal", text, None, "note") for text in new_notes)
    else:
        pieces.extend(Piece("delete", text, change, "note") for text in old_notes)
        pieces.extend(Piece("insert", text, change, "note") for text in new_notes)
    old_tag = tag_text(old) if old else ""
    new_tag = tag_text(new) if new else ""
    for op in diff(old_tag, new_tag).ops if old_tag or new_tag else ():
        pieces.append(Piece(op.kind, op.text, None if op.kind == "equal" else change, "tag"))
    return pieces


def accepted_text(paragraphs: Sequence[TrackedParagraph]) -> list[str]:
    """The text after accepting every change, paragraph by paragraph (for checks and tests)."""
    return _resolve(paragraphs, keep="insert")


def rejected_text(paragraphs: Sequence[TrackedParagraph]) -> list[str]:
    """The text after rejecting every change, paragraph by paragraph."""
    return _resolve(paragraphs, keep="delete")


def _resolve(paragraphs: Sequence[TrackedParagraph], keep: Kind) -> list[str]:
    """Each paragraph's line (`printed_line`) with every change of one kind kept and the other dropped."""
    result: list[str] = []
    current = ""
    for paragraph in paragraphs:
        current += "".join(
            footnote_token(p.text) if p.role == "note" else p.text
            for p in paragraph.pieces
            if p.kind in ("equal", keep)
        )
        if paragraph.mark in ("equal", keep):
            result.append(current)
            current = ""
    return result
