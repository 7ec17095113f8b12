"""What a new revision does to a pending proposal: carried, needs attention, or superseded.

The rule is never to carry across doubt. A proposal is `carried` only over a link that is certain (the
same paragraph, or one a person confirmed) and only when its patch applies and verifies (rebase.py).
Over a split, a merge, an ambiguous or weak link it `needs_attention`, naming the paragraph it may now
belong to. When the revision already says what the proposal asks (white space aside) it is
`superseded`. Before saying a paragraph is gone, the whole new revision is searched for the words the
proposal works on. Every note is a plain sentence a delegate understands.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from api.domain.text.evidence import Likeness
from api.domain.text.hunks import hunks_of
from api.domain.text.rebase import Collision, rebase
from api.domain.text.tokens import normalise_spaces

CarryStatus = Literal["carried", "needs_attention", "superseded"]
# How much text on each side of an edit identifies the place it applies to, when searching.
_WINDOW = 40
_FOUND_SIMILARITY = 0.15
_QUOTE = 60


@dataclass(frozen=True, slots=True)
class Placed:
    """One paragraph of the new revision: how to name it to a delegate, and its text."""

    name: str
    text: str
    # The text with white space runs collapsed, computed once: every proposal of a publication compares
    # its words with every paragraph of the revision.
    words: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "words", normalise_spaces(self.text))


@dataclass(frozen=True, slots=True)
class CarryCase:
    """A pending proposal and what the new revision holds for it."""

    action: str  # amend, insert (after the paragraph) or delete
    base_text: str
    text: str
    label: str  # the new revision, "Rev.1"
    current: Placed | None  # the paragraph the link says continues the proposal's paragraph
    doubt: str | None  # why that link cannot be trusted, as a sentence; None when it is certain
    revision: Sequence[Placed]  # every paragraph of the new revision, in order


@dataclass(frozen=True, slots=True)
class CarryOutcome:
    """The status, the sentence for the sponsor, and (if carried) the proposal against the new text."""

    status: CarryStatus
    note: str
    base_text: str | None = None
    text: str | None = None


def carry(case: CarryCase) -> CarryOutcome:
    """Decide what the new revision does to one pending proposal."""
    already = _already_says(case)
    if already is not None:
        return already
    if case.doubt is not None:
        against = f" Check the proposal against {case.current.name}." if case.current else ""
        return CarryOutcome("needs_attention", case.doubt + against)
    if case.current is None:
        return _paragraph_gone(case)
    if case.action == "delete":
        if case.current.text == case.base_text:
            return CarryOutcome("carried", "", case.current.text, "")
        return CarryOutcome(
            "needs_attention",
            f"{case.current.name} was reworded in {case.label}; confirm that it should still be deleted.",
        )
    if case.action == "insert" or case.current.text == case.base_text:
        return CarryOutcome("carried", "", case.current.text, case.text)
    return _rebase(case, case.current)


def _already_says(case: CarryCase) -> CarryOutcome | None:
    """Superseded when the new revision already holds the proposed words (white space aside)."""
    if case.action == "delete":
        return None
    wanted = normalise_spaces(case.text)
    for placed in case.revision:
        if placed.words == wanted:
            return CarryOutcome(
                "superseded", f"{case.label} already says what this proposal asks, in {placed.name}."
            )
    return None


def _paragraph_gone(case: CarryCase) -> CarryOutcome:
    """The link leads nowhere: search the revision for the proposal's words before saying they are gone."""
    found = find_base_span(case.base_text, case.text, case.revision)
    if found:
        names = _names([placed.name for placed in found])
        return CarryOutcome(
            "needs_attention",
            f"The paragraph is not in {case.label} as such, but the words this proposal works on are in "
            f"{names}. Check whether the proposal belongs there.",
        )
    if case.action == "delete":
        return CarryOutcome("superseded", f"{case.label} no longer has this paragraph, as the proposal asks.")
    if case.action == "insert":
        return CarryOutcome(
            "needs_attention",
            f"The paragraph this insertion was to follow is no longer in {case.label}; choose where it goes.",
        )
    # Gone, or rewritten past recognition: only the sponsor can tell, so it is never retired silently.
    return CarryOutcome(
        "needs_attention",
        f"The paragraph is no longer in {case.label}, and the words this proposal changes were found "
        "nowhere in it. Withdraw the proposal, or table it again on the new text.",
    )


def find_base_span(base: str, proposed: str, revision: Sequence[Placed]) -> list[Placed]:
    """The paragraphs of a revision holding the words a proposal works on: all, or around its edits."""
    whole = normalise_spaces(base)
    holders = [placed for placed in revision if whole and whole in placed.words]
    if holders:
        return holders
    spots = [
        normalise_spaces(base[max(0, hunk.start - _WINDOW) : hunk.end + _WINDOW])
        for hunk in hunks_of(base, proposed)
    ]
    spots = [spot for spot in spots if len(spot) >= _WINDOW]
    if spots:
        holders = [p for p in revision if all(spot in p.words for spot in spots)]
        if holders:
            return holders
    likeness = Likeness([base], [placed.text for placed in revision])
    close = sorted(
        (likeness.similarity(0, j), j)
        for j in likeness.candidates_new(0)
        if likeness.similarity(0, j) >= _FOUND_SIMILARITY
    )
    return [revision[j] for _score, j in reversed(close[-3:])]


def _rebase(case: CarryCase, current: Placed) -> CarryOutcome:
    """Carry an amendment over a certain link by its verified patch, white space aside if need be."""
    result = rebase(case.base_text, case.text, current.text)
    if result.outcome == "already_in_revision" or (result.carried and result.text == current.text):
        return CarryOutcome(
            "superseded", f"{case.label} already says what this proposal asks, in {current.name}."
        )
    if result.carried and result.text is not None:
        return CarryOutcome("carried", "", current.text, result.text)
    # The same edit anchored on different white space ("[among Parties] " against " [among Parties]").
    loose = rebase(
        normalise_spaces(case.base_text), normalise_spaces(case.text), normalise_spaces(current.text)
    )
    if loose.outcome == "already_in_revision" or (
        loose.carried and loose.text == normalise_spaces(current.text)
    ):
        return CarryOutcome(
            "superseded", f"{case.label} already says what this proposal asks, in {current.name}."
        )
    if loose.carried and loose.text is not None and normalise_spaces(current.text) == current.text:
        return CarryOutcome("carried", "", current.text, loose.text)
    return CarryOutcome("needs_attention", describe_collisions(result.conflicts, case.label, current.name))


def describe_collisions(collisions: Sequence[Collision], label: str, name: str) -> str:
    """A plain sentence on where the revision and the proposal changed the same words."""
    details = [
        f"where this proposal {_edit(c.base_text, c.proposed_text)}, "
        f"{label} {_edit(c.base_text, c.revised_text)}"
        for c in collisions
        if c.base_text != c.revised_text
    ]
    if not details or len(details) > 3 or any(len(c.base_text) > 4 * _QUOTE for c in collisions):
        return (
            f"{label} rewrote the words this proposal changes in {name}, so it could not be carried. "
            "Update it against the new text."
        )
    return f"Could not be carried to {name} of {label}: {'; '.join(details)}. Update it against the new text."


def _edit(before: str, after: str) -> str:
    """'deletes «x»', 'inserts «y»' or 'changes «x» to «y»', never with empty quotes."""
    old, new = before.strip(), after.strip()
    if not old and not new:
        return "changes only the spacing"
    if not new:
        return f"deletes «{_quote(old)}»"
    if not old:
        return f"inserts «{_quote(new)}»"
    return f"changes «{_quote(old)}» to «{_quote(new)}»"


def _quote(text: str) -> str:
    return text if len(text) <= _QUOTE else text[: _QUOTE - 1].rstrip() + "…"


def _names(names: Sequence[str]) -> str:
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]
