"""Shared column helpers and the constraint naming convention that migrations rely on."""

from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import JSON, CheckConstraint, DateTime, MetaData
from sqlmodel import Field, SQLModel

# Named constraints make migrations reproducible on both engines (SQLite needs names to alter tables).
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata: MetaData = SQLModel.metadata


def one_of(column: str, values: tuple[str, ...]) -> CheckConstraint:
    """A CHECK that the column holds one of the values: the database refuses a state no code knows."""
    listed = ", ".join(f"'{value}'" for value in values)
    return CheckConstraint(f"{column} IN ({listed})", name=f"{column}_known")


class _Row(Protocol):
    id: int | None


class Unsaved(RuntimeError):
    """A row was referred to by id before the database gave it one: a bug, never bad input."""


def saved_id(row: _Row) -> int:
    """The id of a row the database has stored; a row never flushed fails loudly instead of reading as 0."""
    if row.id is None:
        raise Unsaved(f"{type(row).__name__} has no id yet: add and flush it before referring to it")
    return row.id


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """The same moment as an aware UTC datetime (SQLite hands back naive ones)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def timestamp_field(nullable: bool = False) -> Any:
    """A timezone-aware timestamp column, set to now unless nullable."""
    if nullable:
        return Field(default=None, sa_type=DateTime(timezone=True), nullable=True)
    return Field(default_factory=utcnow, sa_type=DateTime(timezone=True), nullable=False)


def json_field(default_factory: Any = list) -> Any:
    """A JSON column (JSON on SQLite, json on PostgreSQL)."""
    return Field(default_factory=default_factory, sa_type=JSON, nullable=False)
