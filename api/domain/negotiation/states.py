"""The one set of names for the states of a negotiation: proposals, rulings, paragraphs, revisions, links."""

from enum import StrEnum

from api.domain.errors import InvalidTransition
from api.domain.text.brackets import ParagraphStatus

__all__ = [
    "ACCEPTED_STATES",
    "ACCEPTING",
    "DECISION_STATES",
    "PENDING_STATES",
    "PROPOSAL_TRANSITIONS",
    "Decision",
    "LinkKind",
    "ParagraphKind",
    "ParagraphStatus",
    "ProposalAction",
    "ProposalState",
    "RebaseStatus",
    "RevisionState",
    "check_transition",
    "is_pending",
]


class ProposalState(StrEnum):
    """Where a proposal is in its life: on the table, withdrawn, ruled on, or overtaken by a revision."""

    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"
    ACCEPTED = "accepted"
    ACCEPTED_WITH_CHANGES = "accepted_with_changes"
    REJECTED = "rejected"
    DEFERRED = "deferred"
    SUPERSEDED = "superseded"


class Decision(StrEnum):
    """What co-facilitators decide on a proposal."""

    ACCEPT = "accept"
    ACCEPT_WITH_CHANGES = "accept_with_changes"
    REJECT = "reject"
    DEFER = "defer"


class ProposalAction(StrEnum):
    """What a proposal does to its paragraph."""

    AMEND = "amend"
    INSERT = "insert"  # a new paragraph after this one
    DELETE = "delete"


class RebaseStatus(StrEnum):
    """What a new revision did to a pending proposal."""

    CARRIED = "carried"
    NEEDS_ATTENTION = "needs_attention"
    SUPERSEDED = "superseded"
    UPDATED = "updated"  # the sponsor updated it against the new text


class RevisionState(StrEnum):
    """A revision is the working copy until it is published, then immutable."""

    WORKING = "working"
    PUBLISHED = "published"


class ParagraphKind(StrEnum):
    """What a block of a revision is."""

    PARAGRAPH = "paragraph"
    SUBPARAGRAPH = "subparagraph"
    HEADING = "heading"
    UNNUMBERED = "unnumbered"


class LinkKind(StrEnum):
    """Lineage beyond one-to-one between two revisions."""

    SPLIT = "split"
    MERGE = "merge"


# submitted → withdrawn | accepted | accepted with changes | rejected | deferred; deferred proposals come
# back to the table; a new revision may supersede anything not yet decided.
_FINAL: frozenset[ProposalState] = frozenset()
# Keyed by value, so a state read from the database (a plain string) looks up directly.
PROPOSAL_TRANSITIONS: dict[str, frozenset[ProposalState]] = {
    ProposalState.SUBMITTED: frozenset(
        {
            ProposalState.WITHDRAWN,
            ProposalState.ACCEPTED,
            ProposalState.ACCEPTED_WITH_CHANGES,
            ProposalState.REJECTED,
            ProposalState.DEFERRED,
            ProposalState.SUPERSEDED,
        }
    ),
    ProposalState.DEFERRED: frozenset(
        {
            ProposalState.WITHDRAWN,
            ProposalState.ACCEPTED,
            ProposalState.ACCEPTED_WITH_CHANGES,
            ProposalState.REJECTED,
            ProposalState.SUPERSEDED,
        }
    ),
    ProposalState.WITHDRAWN: _FINAL,
    ProposalState.ACCEPTED: _FINAL,
    ProposalState.ACCEPTED_WITH_CHANGES: _FINAL,
    ProposalState.REJECTED: _FINAL,
    ProposalState.SUPERSEDED: _FINAL,
}
PENDING_STATES = frozenset({ProposalState.SUBMITTED, ProposalState.DEFERRED})
ACCEPTED_STATES = frozenset({ProposalState.ACCEPTED, ProposalState.ACCEPTED_WITH_CHANGES})
ACCEPTING = frozenset({Decision.ACCEPT, Decision.ACCEPT_WITH_CHANGES})  # the decisions that change the text
DECISION_STATES: dict[str, ProposalState] = {
    Decision.ACCEPT: ProposalState.ACCEPTED,
    Decision.ACCEPT_WITH_CHANGES: ProposalState.ACCEPTED_WITH_CHANGES,
    Decision.REJECT: ProposalState.REJECTED,
    Decision.DEFER: ProposalState.DEFERRED,
}


def check_transition(current: str, target: str) -> None:
    """Raise InvalidTransition unless a proposal may move from current to target."""
    if target not in PROPOSAL_TRANSITIONS.get(current, _FINAL):
        raise InvalidTransition(
            f"a proposal that is {current.replace('_', ' ')} cannot become {target.replace('_', ' ')}"
        )


def is_pending(state: str) -> bool:
    """True while a proposal still waits for a final ruling."""
    return state in PENDING_STATES
