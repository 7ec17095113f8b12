"""Who follows what (subscriptions, settings), what they were told (notifications), and mail to send."""

from datetime import datetime

from sqlalchemy import Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from api.domain.notifications import Delivery, NotificationKind
from api.models.base import json_field, one_of, timestamp_field

DELIVERIES = tuple(Delivery)
NOTIFICATION_KINDS = tuple(NotificationKind)


class NotificationSetting(SQLModel, table=True):
    """A person's choices; a person with no row has the defaults (own proposals followed, no mail)."""

    __tablename__ = "notification_setting"
    __table_args__ = (one_of("delivery", DELIVERIES),)

    user_id: int = Field(primary_key=True, foreign_key="user_account.id", ondelete="CASCADE")
    own_proposals: bool = True
    email: str = Field(default="", max_length=254)
    delivery: str = Field(default=Delivery.NONE, max_length=8)
    updated_at: datetime = timestamp_field()


class Subscription(SQLModel, table=True):
    """A person watches a paragraph of a process, or (paragraph_id null) the whole process."""

    __tablename__ = "subscription"
    __table_args__ = (
        UniqueConstraint("user_id", "process_id", "paragraph_id"),
        # NULL paragraph ids are all distinct to a UNIQUE constraint: a second index covers the process.
        Index(
            "uq_subscription_whole_process",
            "user_id",
            "process_id",
            unique=True,
            sqlite_where=text("paragraph_id IS NULL"),
            postgresql_where=text("paragraph_id IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True, ondelete="CASCADE")
    process_id: int = Field(foreign_key="process.id", index=True, ondelete="CASCADE")
    paragraph_id: int | None = Field(default=None, foreign_key="paragraph.id", index=True, ondelete="CASCADE")
    created_at: datetime = timestamp_field()


class OutgoingMail(SQLModel, table=True):
    """A mail to send: kept until it was sent, and tried again after a failure (never dropped)."""

    __tablename__ = "outgoing_mail"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int | None = Field(default=None, foreign_key="user_account.id", index=True, ondelete="SET NULL")
    to_address: str = Field(max_length=254)
    subject: str = Field(max_length=300)
    body: str = Field(sa_type=Text)
    created_at: datetime = timestamp_field()
    # When the next attempt is due; a sender also moves it forward while it holds the mail (a lease).
    next_attempt_at: datetime = timestamp_field()
    sent_at: datetime | None = timestamp_field(nullable=True)
    attempts: int = 0
    last_error: str = Field(default="", max_length=1000)


class Notification(SQLModel, table=True):
    """Something one person was told about, in the notification centre until they mark it read."""

    __tablename__ = "notification"
    __table_args__ = (
        one_of("kind", NOTIFICATION_KINDS),
        Index("ix_notification_user_unread", "user_id", "read_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", ondelete="CASCADE")
    process_id: int = Field(foreign_key="process.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=24)
    proposal_id: int | None = Field(default=None, foreign_key="proposal.id")
    revision_id: int | None = Field(default=None, foreign_key="revision.id")
    # What the message names, as it stood then (sponsor, paragraph as cited, decision, revision …).
    details: dict[str, str] = json_field(dict)
    created_at: datetime = timestamp_field()
    read_at: datetime | None = timestamp_field(nullable=True)
    # The mail that carried it (instant) or the digest that will (null: not mailed, or not yet).
    mail_id: int | None = Field(default=None, foreign_key="outgoing_mail.id", index=True, ondelete="SET NULL")
