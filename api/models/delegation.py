"""Delegations: member states, observer states, negotiating groups and organisations."""

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from api.models.base import one_of

DELEGATION_KINDS = ("member_state", "observer_state", "group", "organisation")


class Delegation(SQLModel, table=True):
    """A party that speaks in a negotiation, by its code (ISO alpha-3 for states)."""

    __table_args__ = (one_of("kind", DELEGATION_KINDS),)

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    kind: str = Field(max_length=16)
    name_en: str = Field(max_length=200)
    name_zh: str = Field(max_length=200)


class GroupMembership(SQLModel, table=True):
    """A state's membership of a negotiating group (G77 and China, EU, African Group …)."""

    __tablename__ = "group_membership"
    __table_args__ = (UniqueConstraint("group_id", "member_id"),)

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="delegation.id", index=True, ondelete="CASCADE")
    member_id: int = Field(foreign_key="delegation.id", index=True, ondelete="CASCADE")
