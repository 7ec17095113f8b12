"""Edits as hunks on the base text: which span of the base a text replaces, and with what.

Rebase and merge both reason about proposals this way. Hunks come from the token redline with semantic
clean-up, so an edit is the span a reader sees changed: "shall ensure the protection" rewritten as a
whole rather than four scattered words, which keeps another party's edit of "the" from slipping inside it.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from diff_match_patch import diff_match_patch

from api.domain.text.redline import diff

_DMP_OPS = {"equal": 0, "insert": 1, "delete": -1}


@dataclass(frozen=True, slots=True)
class Hunk:
    """Replace base[start:end] by `text` (an insertion when start == end, a deletion when text is empty)."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Cluster:
    """Hunks of several authors that overlap or touch, over one span of the base."""

    start: int
    end: int
    hunks: tuple[tuple[str, Hunk], ...]

    @property
    def authors(self) -> tuple[str, ...]:
        """The authors involved, in order of first appearance."""
        return tuple(dict.fromkeys(author for author, _ in self.hunks))

    @property
    def agreed(self) -> bool:
        """Every author made the very same edit here (or only one author edited)."""
        return len({hunk for _, hunk in self.hunks}) == 1 and len(self.hunks) == len(self.authors)


def hunks_of(base: str, text: str) -> tuple[Hunk, ...]:
    """The edits that turn `base` into `text`, as replacements of base spans, in base order."""
    found: list[Hunk] = []
    position = 0
    start: int | None = None
    inserted: list[str] = []
    for op in diff(base, text).ops:
        if op.kind == "equal":
            if start is not None:
                found.append(Hunk(start, position, "".join(inserted)))
                start, inserted = None, []
            position += len(op.text)
            continue
        if start is None:
            start = position
        if op.kind == "delete":
            position += len(op.text)
        else:
            inserted.append(op.text)
    if start is not None:
        found.append(Hunk(start, position, "".join(inserted)))
    return tuple(found)


def clusters(base: str, edits: Iterable[tuple[str, Hunk]]) -> list[Cluster]:
    """Group the authors' hunks into clusters of hunks that overlap or touch each other."""
    groups: list[Cluster] = []
    current: list[tuple[str, Hunk]] = []
    end = -1
    for author, hunk in sorted(edits, key=lambda edit: (edit[1].start, edit[1].end)):
        # Touching counts, and so does meeting across nothing but white space: two insertions in the same
        # gap between words leave their order, hence the text, ambiguous.
        if current and (hunk.start <= end or not base[end : hunk.start].strip()):
            current.append((author, hunk))
            end = max(end, hunk.end)
            continue
        if current:
            groups.append(Cluster(current[0][1].start, end, tuple(current)))
        current, end = [(author, hunk)], hunk.end
    if current:
        groups.append(Cluster(current[0][1].start, end, tuple(current)))
    return groups


def apply_hunks(base: str, start: int, end: int, hunks: Sequence[Hunk]) -> str:
    """The text of base[start:end] once the given hunks (inside that span, in order) are applied."""
    parts = []
    position = start
    for hunk in hunks:
        parts.append(base[position : hunk.start])
        parts.append(hunk.text)
        position = hunk.end
    parts.append(base[position:end])
    return "".join(parts)


def patch_text(base: str, text: str) -> str:
    """A proposal as diff-match-patch patch text (GNU diff style, URL-encoded), built from its token redline.

    For storing or exchanging a proposal; rebase does not apply it with diff-match-patch's fuzzy
    patch_apply, which can land an edit in the wrong place without saying so.
    """
    dmp = diff_match_patch()
    diffs = [(_DMP_OPS[op.kind], op.text) for op in diff(base, text).ops]
    return str(dmp.patch_toText(dmp.patch_make(base, diffs)))
