"""Redlines of proposals and paragraphs as read models (the engine does the diffing)."""

from functools import lru_cache

from api.domain.negotiation import ProposalAction
from api.domain.text.redline import diff
from api.services.schemas import RedlineOp


def redline(old: str, new: str) -> list[RedlineOp]:
    """The word/character-level redline from old to new."""
    return [RedlineOp(kind=op.kind, text=op.text) for op in diff(old, new).ops]


def proposal_redline(action: str, base_text: str, text: str) -> list[RedlineOp]:
    """What a proposal changes: an amendment's diff, an insertion's new text, a deletion's old text."""
    if action == ProposalAction.INSERT:
        return [RedlineOp(kind="insert", text=text)]
    if action == ProposalAction.DELETE:
        return [RedlineOp(kind="delete", text=base_text)]
    return list(_amendment_redline(base_text, text))


# A proposal's redline is a pure function of its two texts: the compilation and the desks show the same
# proposals on every request, so they are diffed once per process, not once per reader (bounded).
@lru_cache(maxsize=8192)
def _amendment_redline(base_text: str, text: str) -> tuple[RedlineOp, ...]:
    return tuple(redline(base_text, text))
