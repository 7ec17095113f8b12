"""The room (informal consultations): floor requests, reading marks and the silence procedure, as rules."""

from datetime import datetime
from enum import StrEnum


class FloorState(StrEnum):
    """Where a delegation's request for the floor on a paragraph stands."""

    WAITING = "waiting"
    SPEAKING = "speaking"
    DONE = "done"
    WITHDRAWN = "withdrawn"


class Reading(StrEnum):
    """The readings of a paragraph the co-facilitators record in the room."""

    FIRST = "first"
    SECOND = "second"


class SilenceState(StrEnum):
    """A text under silence procedure: circulating until its deadline, then passed unless broken."""

    CIRCULATING = "circulating"
    BROKEN = "broken"
    PASSED = "passed"


def settled_state(state: str, deadline: datetime, now: datetime) -> str:
    """A circulating text whose deadline has come with no break counts as agreed: passed."""
    if state == SilenceState.CIRCULATING and now >= deadline:
        return SilenceState.PASSED
    return state


def step(keys: list[str], current: str | None, offset: int) -> str | None:
    """The paragraph `offset` places from the current one (clamped to the text); the first when none."""
    if not keys:
        return None
    if current not in keys:
        return keys[0]
    index = min(max(keys.index(current) + offset, 0), len(keys) - 1)
    return keys[index]
