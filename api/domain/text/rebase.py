"""Carrying a proposal made against a paragraph of Rev.N over to the same paragraph in Rev.N+1.

The proposal's patch is its hunks on the Rev.N paragraph; the revision's own edits are hunks on the same
text. A proposal hunk is carried only if no revision hunk overlaps it or meets it with nothing but white
space in between (or the revision made the very same edit). Carried hunks are placed by exact offsets
in Rev.N+1, never by fuzzy search, and then checked: the result must hold what the proposal inserts,
between the same neighbours as in the proposal, where Rev.N+1 held what the proposal deletes; and its
characters must differ from Rev.N+1's by exactly what the proposal adds and removes. Anything else is
a conflict, reported with what collided.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from api.domain.text.hunks import Cluster, Hunk, apply_hunks, clusters, hunks_of

RebaseOutcome = Literal["carried", "already_in_revision", "conflict", "unverified"]
_PROPOSAL, _REVISION = "proposal", "revision"
# How much unchanged text on each side of an edit the check compares (never past another edit).
_CONTEXT = 16


@dataclass(frozen=True, slots=True)
class Collision:
    """Where the proposal and the revision both changed the base paragraph, and what each made of it."""

    start: int
    end: int
    base_text: str
    proposed_text: str
    revised_text: str


@dataclass(frozen=True, slots=True)
class RebaseResult:
    """Whether the proposal carried over; its text against the new revision if so; else what collided."""

    carried: bool
    text: str | None
    conflicts: tuple[Collision, ...] = ()
    outcome: RebaseOutcome = "carried"


def rebase(base: str, proposed: str, new_base: str) -> RebaseResult:
    """Carry a proposal on a paragraph (base → proposed) over to the paragraph's next version (new_base)."""
    proposal = hunks_of(base, proposed)
    if base == new_base:
        return RebaseResult(True, proposed)
    revision = hunks_of(base, new_base)
    groups = clusters(base, [*((_PROPOSAL, h) for h in proposal), *((_REVISION, h) for h in revision)])
    collisions = [_collision(base, group) for group in groups if len(group.authors) == 2 and not group.agreed]
    if collisions:
        return RebaseResult(False, None, tuple(collisions), "conflict")
    pending = [group.hunks[0][1] for group in groups if group.authors == (_PROPOSAL,)]
    if not pending:
        return RebaseResult(True, new_base, (), "already_in_revision" if proposal else "carried")
    placed = _place(pending, revision)
    text = _apply(new_base, placed)
    if not _verified(base, new_base, text, pending, placed, revision):
        whole = Collision(0, len(base), base, proposed, new_base)
        return RebaseResult(False, None, (whole,), "unverified")
    return RebaseResult(True, text)


def _collision(base: str, group: Cluster) -> Collision:
    """What the proposal and the revision each made of a span they both touched."""

    def version(author: str) -> str:
        return apply_hunks(base, group.start, group.end, [hunk for who, hunk in group.hunks if who == author])

    return Collision(
        group.start, group.end, base[group.start : group.end], version(_PROPOSAL), version(_REVISION)
    )


def _place(pending: Sequence[Hunk], revision: Sequence[Hunk]) -> list[Hunk]:
    """Shift each proposal hunk by the length the revision added or removed before it."""
    placed = []
    shift = 0
    upcoming = iter(revision)
    change = next(upcoming, None)
    for hunk in pending:
        while change is not None and change.end <= hunk.start:
            shift += len(change.text) - (change.end - change.start)
            change = next(upcoming, None)
        placed.append(Hunk(hunk.start + shift, hunk.end + shift, hunk.text))
    return placed


def _apply(text: str, hunks: Sequence[Hunk]) -> str:
    """Apply non-overlapping hunks, in order, to a text."""
    return apply_hunks(text, 0, len(text), hunks)


def _verified(
    base: str,
    new_base: str,
    text: str,
    pending: Sequence[Hunk],
    placed: Sequence[Hunk],
    revision: Sequence[Hunk],
) -> bool:
    """Check the carried text: each edit in place between the right neighbours, and nothing else changed."""
    offset = 0
    edits = [*revision, *pending]
    for original, moved in zip(pending, placed, strict=True):
        left, right = _context(base, original, [edit for edit in edits if edit is not original])
        deleted = base[original.start : original.end]
        if new_base[moved.start - len(left) : moved.end + len(right)] != left + deleted + right:
            return False
        at = moved.start + offset
        if text[at - len(left) : at + len(original.text) + len(right)] != left + original.text + right:
            return False
        offset += len(original.text) - len(deleted)
    expected = Counter(new_base)
    for hunk in pending:
        expected.update(hunk.text)
        expected.subtract(base[hunk.start : hunk.end])
    return expected == Counter(text) and len(text) == len(new_base) + offset


def _context(base: str, hunk: Hunk, others: Sequence[Hunk]) -> tuple[str, str]:
    """Unchanged base text just before and after a hunk, stopping at the nearest other edit."""
    left_limit = max([other.end for other in others if other.end <= hunk.start], default=0)
    right_limit = min([other.start for other in others if other.start >= hunk.end], default=len(base))
    left = base[max(left_limit, hunk.start - _CONTEXT) : hunk.start]
    right = base[hunk.end : min(right_limit, hunk.end + _CONTEXT)]
    return left, right
