"""Redlines of proposals and paragraphs as read models (the engine does the diffing)."""

from api.domain.text.redline import diff
from api.services.schemas import RedlineOp


def redline(old: str, new: str) -> list[RedlineOp]:
    """The word/character-level redline from old to new."""
    return [RedlineOp(kind=op.kind, text=op.text) for op in diff(old, new).ops]


def proposal_redline(action: str, base_text: str, text: str) -> list[RedlineOp]:
    """What a proposal changes: an amendment's diff, an insertion's new text, a deletion's old text."""
    if action == "insert":
        return [RedlineOp(kind="insert", text=text)]
    if action == "delete":
        return [RedlineOp(kind="delete", text=base_text)]
    return redline(base_text, text)
