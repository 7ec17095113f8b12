"""The append-only audit log; each event's hash chains it to the one before."""

from datetime import datetime
from typing import Any

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from api.models.base import json_field, timestamp_field


class AuditEvent(SQLModel, table=True):
    """One state change: who did what to which subject, when, chained by SHA-256."""

    __tablename__ = "audit_event"
    # Finding a revision's publication (is this published row sealed?) is one index lookup.
    __table_args__ = (Index("ix_audit_event_action_subject", "action", "subject_id"),)

    id: int | None = Field(default=None, primary_key=True)
    sequence: int = Field(unique=True)
    process_id: int | None = Field(default=None, foreign_key="process.id", index=True)
    actor_id: int | None = Field(default=None, foreign_key="user_account.id")
    actor: str = Field(max_length=64)
    action: str = Field(max_length=64)
    subject_type: str = Field(max_length=32)
    subject_id: str = Field(max_length=64)
    payload: dict[str, Any] = json_field(dict)
    created_at: datetime = timestamp_field()
    previous_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64, unique=True)
