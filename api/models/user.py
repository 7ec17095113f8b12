"""People, the roles they hold per process, and their sessions (web cookies and API tokens)."""

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from api.models.base import one_of, timestamp_field

ROLES = ("secretariat", "cofacilitator", "delegation", "observer")


class User(SQLModel, table=True):
    """A person who signs in; a delegation member belongs to one delegation."""

    __tablename__ = "user_account"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64, unique=True)
    display_name: str = Field(max_length=200)
    password_hash: str = Field(max_length=255)
    delegation_id: int | None = Field(default=None, foreign_key="delegation.id", index=True)
    is_active: bool = True
    created_at: datetime = timestamp_field()


class RoleGrant(SQLModel, table=True):
    """A role a user holds in one process, or in every process when process_id is null."""

    __tablename__ = "role_grant"
    __table_args__ = (
        one_of("role", ROLES),
        UniqueConstraint("user_id", "process_id", "role"),
        # NULL process ids are all distinct to a UNIQUE constraint: a second index covers "every process".
        Index(
            "uq_role_grant_every_process",
            "user_id",
            "role",
            unique=True,
            sqlite_where=text("process_id IS NULL"),
            postgresql_where=text("process_id IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True, ondelete="CASCADE")
    process_id: int | None = Field(default=None, foreign_key="process.id", index=True, ondelete="CASCADE")
    role: str = Field(max_length=16)


SESSION_KINDS = ("web", "api")


class UserSession(SQLModel, table=True):
    """A signed-in session: a browser's cookie or an API bearer token, until it expires or is revoked.

    Only the SHA-256 of the secret is stored: a copy of the database lets no one act as anybody.
    """

    __tablename__ = "user_session"
    __table_args__ = (one_of("kind", SESSION_KINDS),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=8)
    secret_sha256: str = Field(max_length=64, unique=True)
    created_at: datetime = timestamp_field()
    expires_at: datetime = timestamp_field()
    revoked_at: datetime | None = timestamp_field(nullable=True)
