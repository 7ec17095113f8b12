"""The rules of a negotiation, in one place: the names of its states and the aggregates that keep them.

Pure: no I/O, no framework. Services load rows, hand their values to these rules and save what comes back.
"""

from api.domain.negotiation.paragraph import declared, describe_brackets, effective_status, settle_status
from api.domain.negotiation.ruling import WORKING, Decided, accepted_text, is_reflected, says
from api.domain.negotiation.states import (
    ACCEPTED_STATES,
    DECISION_STATES,
    PENDING_STATES,
    PROPOSAL_TRANSITIONS,
    Decision,
    LinkKind,
    ParagraphKind,
    ParagraphStatus,
    ProposalAction,
    ProposalState,
    RebaseStatus,
    RevisionState,
    check_transition,
    is_pending,
)

__all__ = [
    "ACCEPTED_STATES",
    "DECISION_STATES",
    "PENDING_STATES",
    "PROPOSAL_TRANSITIONS",
    "WORKING",
    "Decided",
    "Decision",
    "LinkKind",
    "ParagraphKind",
    "ParagraphStatus",
    "ProposalAction",
    "ProposalState",
    "RebaseStatus",
    "RevisionState",
    "accepted_text",
    "check_transition",
    "declared",
    "describe_brackets",
    "effective_status",
    "is_pending",
    "is_reflected",
    "says",
    "settle_status",
]
