"""The proposal life cycle as explicit transitions: anything else is an InvalidTransition."""

from api.domain.errors import InvalidTransition

# submitted → withdrawn | accepted | accepted with changes | rejected | deferred; deferred proposals come
# back to the table; a new revision may supersede anything not yet decided.
PROPOSAL_TRANSITIONS: dict[str, frozenset[str]] = {
    "submitted": frozenset(
        {"withdrawn", "accepted", "accepted_with_changes", "rejected", "deferred", "superseded"}
    ),
    "deferred": frozenset({"withdrawn", "accepted", "accepted_with_changes", "rejected", "superseded"}),
    "withdrawn": frozenset(),
    "accepted": frozenset(),
    "accepted_with_changes": frozenset(),
    "rejected": frozenset(),
    "superseded": frozenset(),
}
PENDING_STATES = frozenset({"submitted", "deferred"})
DECISION_STATES = {
    "accept": "accepted",
    "accept_with_changes": "accepted_with_changes",
    "reject": "rejected",
    "defer": "deferred",
}


def check_transition(current: str, target: str) -> None:
    """Raise InvalidTransition unless a proposal may move from current to target."""
    if target not in PROPOSAL_TRANSITIONS.get(current, frozenset()):
        raise InvalidTransition(
            f"a proposal that is {current.replace('_', ' ')} cannot become {target.replace('_', ' ')}"
        )


def is_pending(state: str) -> bool:
    """True while a proposal still waits for a final ruling."""
    return state in PENDING_STATES
