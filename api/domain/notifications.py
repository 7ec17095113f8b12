"""What people are told about, and how: the kinds of notification and the ways mail reaches them."""

from datetime import timedelta
from enum import StrEnum


class NotificationKind(StrEnum):
    """The events a person can be told about."""

    PROPOSAL_RULED = "proposal_ruled"
    NEEDS_ATTENTION = "needs_attention"
    REVISION_PUBLISHED = "revision_published"
    PROPOSAL_TABLED = "proposal_tabled"


class Delivery(StrEnum):
    """Whether a person's notifications are also mailed: not at all, one by one, or in a daily digest."""

    NONE = "none"
    INSTANT = "instant"
    DAILY = "daily"


# A mail that failed waits longer after each attempt (a mail server that is down for a while is not
# hammered), but never more than an hour: nothing is dropped, it is only tried again later.
_FIRST_RETRY = timedelta(seconds=30)
_LONGEST_RETRY = timedelta(hours=1)


def retry_delay(attempts: int) -> timedelta:
    """How long to wait before trying a mail again after its n-th failed attempt."""
    delay: timedelta = _FIRST_RETRY * (2 ** max(attempts - 1, 0))
    return min(delay, _LONGEST_RETRY)
