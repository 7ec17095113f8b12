"""The rules of a negotiation, in one place: the names of its states and the aggregates that keep them.

Pure: no I/O, no framework. Services load rows, hand their values to these rules and save what comes back.
"""

from api.domain.negotiation import states
from api.domain.negotiation.paragraph import declared, describe_brackets, effective_status, settle_status
from api.domain.negotiation.ruling import WORKING, Decided, accepted_text, is_reflected, says
from api.domain.negotiation.states import *  # noqa: F403 (the names states.__all__ lists, listed once there)

__all__ = [
    "WORKING",
    "Decided",
    "accepted_text",
    "declared",
    "describe_brackets",
    "effective_status",
    "is_reflected",
    "says",
    "settle_status",
]
__all__ += states.__all__
