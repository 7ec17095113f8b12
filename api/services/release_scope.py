"""Who sees a proposal: insiders as soon as it is tabled, everyone else once a release covers it.

One rule for every way a proposal reaches a reader (pages, the API, the feed, notifications, mail).
"""

from api.models import Process, Proposal
from api.models.base import as_utc
from api.services.actors import Actor


def is_insider(actor: Actor, process_id: int) -> bool:
    """Delegations, co-facilitators and the secretariat see every proposal as soon as it is tabled."""
    return (
        actor.is_secretariat
        or actor.has_role("cofacilitator", process_id)
        or actor.has_role("delegation", process_id)
    )


def released_to(actor: Actor, process: Process, proposal: Proposal) -> bool:
    """Others see a proposal once a release of the compilation came after it was tabled."""
    assert process.id is not None
    if is_insider(actor, process.id):
        return True
    released = process.compilation_released_at
    return released is not None and as_utc(proposal.created_at) <= as_utc(released)


def can_read_proposals(actor: Actor, process: Process) -> bool:
    """Whether the actor sees the compilation at all (observers: once a release has happened)."""
    assert process.id is not None
    return is_insider(actor, process.id) or process.compilation_released_at is not None
