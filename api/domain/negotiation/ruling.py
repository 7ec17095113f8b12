"""Rulings: what an acceptance does to the working text, and when a revision verifiably reflects a ruling."""

import re
from dataclasses import dataclass

from api.domain.errors import Conflict
from api.domain.negotiation.states import ACCEPTING, ProposalAction
from api.domain.text.merge import MergeConflict, merge

WORKING = "working copy"
_SPACES = re.compile(r"\s+")


def accepted_text(base_text: str, working_text: str, wording: str, source: str) -> str:
    """The working text with an accepted wording merged in three-way; a Conflict when they overlap.

    An acceptance that does not apply is refused whole: it is never recorded over other wording."""
    result = merge(base_text, [(WORKING, working_text), (source, wording)])
    if result.conflicts:
        raise Conflict(
            f"{source} cannot be accepted as it stands: {_describe(result.conflicts[0], source)}. "
            "Settle the paragraph in the merge editor (saving the compromise records the ruling), "
            "or accept it with changes worded over the working copy's text"
        )
    return result.text


def _describe(conflict: MergeConflict, source: str) -> str:
    wanted = dict(conflict.wanted)
    return (
        f"the working copy already makes «{conflict.base_text}» read «{wanted.get(WORKING, '')}»"
        f" and {source} makes it «{wanted.get(source, '')}»"
    )


def says(base_text: str, wording: str, text: str) -> bool:
    """True when text already says everything wording changes in base_text (other changes aside)."""
    result = merge(base_text, [("text", text), ("wording", wording)])
    return result.clean and result.text == text


@dataclass(frozen=True, slots=True)
class Decided:
    """A ruling as the reflection check needs it: what was decided, on what, with which wording."""

    decision: str
    action: str
    base_text: str
    wording: str  # the accepted text: the co-facilitators' when they accepted with changes


def is_reflected(ruling: Decided, paragraph_text: str | None, inserted_text: str | None) -> bool:
    """Whether a revision verifiably holds what a ruling accepted.

    paragraph_text is the proposal's paragraph in the revision (None: not there); inserted_text the
    paragraph its insertion created (None: not there). Rejections and deferrals are never reflected."""
    if ruling.decision not in ACCEPTING:
        return False
    if ruling.action == ProposalAction.DELETE:
        return paragraph_text is None
    if ruling.action == ProposalAction.INSERT:
        return inserted_text is not None and _squash(ruling.wording) in _squash(inserted_text)
    return paragraph_text is not None and says(ruling.base_text, ruling.wording, paragraph_text)


def _squash(text: str) -> str:
    return _SPACES.sub(" ", text).strip()
