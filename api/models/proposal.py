"""Proposals (paragraph amendments), their co-sponsors and the co-facilitators' rulings."""

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from api.domain.negotiation import Decision, ProposalAction, ProposalState
from api.models.base import one_of, timestamp_field

PROPOSAL_ACTIONS = tuple(ProposalAction)
PROPOSAL_STATES = tuple(ProposalState)
RULING_DECISIONS = tuple(Decision)


class Proposal(SQLModel, table=True):
    """A delegation's amendment to one paragraph of a base revision."""

    __table_args__ = (
        UniqueConstraint("author_id", "idempotency_key"),
        one_of("action", PROPOSAL_ACTIONS),
        one_of("state", PROPOSAL_STATES),
    )

    id: int | None = Field(default=None, primary_key=True)
    process_id: int = Field(foreign_key="process.id", index=True, ondelete="CASCADE")
    base_revision_id: int = Field(foreign_key="revision.id", index=True)
    # For an insertion this is the paragraph the new one goes after.
    paragraph_id: int = Field(foreign_key="paragraph.id", index=True)
    action: str = Field(max_length=16)
    text: str = Field(default="")
    base_text: str = Field(default="")
    justification: str = Field(default="")
    sponsor_id: int = Field(foreign_key="delegation.id", index=True)
    on_behalf_of_id: int | None = Field(default=None, foreign_key="delegation.id")
    author_id: int = Field(foreign_key="user_account.id")
    state: str = Field(default=ProposalState.SUBMITTED, max_length=24, index=True)
    idempotency_key: str | None = Field(default=None, max_length=128)
    # Set when a new revision overtook the base: carried (text rebased) or needs_attention (conflict).
    rebase_status: str | None = Field(default=None, max_length=24)
    rebase_note: str = Field(default="")
    # The wording as the last release covering the proposal published it: what observers read.
    released_text: str | None = Field(default=None)
    released_base_text: str | None = Field(default=None)
    released_justification: str | None = Field(default=None)
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()
    lock_version: int = 1


class CoSponsorship(SQLModel, table=True):
    """A delegation joining (and perhaps later leaving) a proposal as co-sponsor."""

    # A delegation co-sponsors a proposal at most once at a time; past co-sponsorships stay on record.
    __table_args__ = (
        Index(
            "uq_cosponsorship_active",
            "proposal_id",
            "delegation_id",
            unique=True,
            sqlite_where=text("withdrawn_at IS NULL"),
            postgresql_where=text("withdrawn_at IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", index=True, ondelete="CASCADE")
    delegation_id: int = Field(foreign_key="delegation.id", index=True)
    joined_at: datetime = timestamp_field()
    withdrawn_at: datetime | None = timestamp_field(nullable=True)


class Ruling(SQLModel, table=True):
    """A co-facilitator's decision on a proposal, with its reason, recorded forever."""

    __table_args__ = (one_of("decision", RULING_DECISIONS),)

    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", index=True, ondelete="CASCADE")
    decision: str = Field(max_length=24)
    reason: str = Field(default="")
    # The co-facilitators' wording when they accept with changes.
    text: str | None = Field(default=None)
    ruled_by_id: int = Field(foreign_key="user_account.id")
    ruled_at: datetime = timestamp_field()
    # The revision that reflects this ruling, once published.
    reflected_in_revision_id: int | None = Field(default=None, foreign_key="revision.id")
