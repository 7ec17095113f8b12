"""The room: the paragraph under discussion, reading marks, floor requests and silence procedures.

Paragraphs are named by their key, which stays the same from revision to revision, so that the room
follows a paragraph whichever revision is on the screen."""

from datetime import datetime

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from api.domain.room import FloorState, Reading, SilenceState
from api.models.base import one_of, timestamp_field

FLOOR_STATES = tuple(FloorState)
READINGS = tuple(Reading)
SILENCE_STATES = tuple(SilenceState)


class RoomCursor(SQLModel, table=True):
    """The paragraph the co-facilitators have taken up in the room (one per process)."""

    __tablename__ = "room_cursor"

    process_id: int = Field(primary_key=True, foreign_key="process.id", ondelete="CASCADE")
    paragraph_key: str = Field(max_length=64)
    moved_at: datetime = timestamp_field()


class ReadingMark(SQLModel, table=True):
    """A reading of a paragraph done in the room ("first reading done", "second reading done")."""

    __tablename__ = "reading_mark"
    __table_args__ = (UniqueConstraint("process_id", "paragraph_key", "reading"), one_of("reading", READINGS))

    id: int | None = Field(default=None, primary_key=True)
    process_id: int = Field(foreign_key="process.id", index=True, ondelete="CASCADE")
    paragraph_key: str = Field(max_length=64)
    reading: str = Field(max_length=8)
    marked_at: datetime = timestamp_field()


class FloorRequest(SQLModel, table=True):
    """A delegation asks for the floor on a paragraph; the speakers' list is the waiting ones in order."""

    __tablename__ = "floor_request"
    __table_args__ = (one_of("state", FLOOR_STATES),)

    id: int | None = Field(default=None, primary_key=True)
    process_id: int = Field(foreign_key="process.id", index=True, ondelete="CASCADE")
    paragraph_key: str = Field(max_length=64)
    delegation_id: int = Field(foreign_key="delegation.id")
    state: str = Field(default=FloorState.WAITING, max_length=12)
    requested_at: datetime = timestamp_field()
    ended_at: datetime | None = timestamp_field(nullable=True)


class SilenceProcedure(SQLModel, table=True):
    """A text circulated with a deadline: agreed at the deadline unless a delegation breaks silence."""

    __tablename__ = "silence_procedure"
    __table_args__ = (one_of("state", SILENCE_STATES),)

    id: int | None = Field(default=None, primary_key=True)
    process_id: int = Field(foreign_key="process.id", index=True, ondelete="CASCADE")
    paragraph_key: str = Field(max_length=64)
    text: str = Field(sa_type=Text)
    deadline: datetime = timestamp_field()
    state: str = Field(default=SilenceState.CIRCULATING, max_length=12)
    started_at: datetime = timestamp_field()
    broken_by_id: int | None = Field(default=None, foreign_key="delegation.id")
    reason: str = Field(default="", sa_type=Text)
    settled_at: datetime | None = timestamp_field(nullable=True)
