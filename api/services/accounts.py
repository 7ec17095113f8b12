"""Accounts: adding people, checking and changing passwords, and their sessions (cookies and tokens)."""

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Select, bindparam
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from api.domain.errors import Conflict, InvalidInput, NotFound, Unauthenticated
from api.models import Delegation, Process, RoleGrant, User, UserSession
from api.models.base import as_utc, saved_id, utcnow
from api.models.user import ROLES
from api.services.actors import Actor, require_authenticated
from api.services.audit import record_event
from api.services.schemas import Schema
from api.settings import get_settings

# Tests run with the cheapest Argon2 parameters; everywhere else with the library's defaults.
_hasher = (
    PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    if get_settings().mode == "test"
    else PasswordHasher()
)
_SYSTEM = Actor(user_id=None, username="system")
# Verifying against a fixed hash when the user is unknown keeps the timing of both failures alike.
_DUMMY_HASH = _hasher.hash("accord-no-such-user")


def add_user(
    session: Session,
    username: str,
    password: str,
    role: str,
    delegation_code: str | None = None,
    process_slug: str | None = None,
    display_name: str | None = None,
) -> User:
    """Create a person with one role (in one process, or every process when none is given)."""
    _check_new_user(session, username, password, role)
    delegation = _delegation_for_role(session, role, delegation_code)
    process = _process_or_none(session, process_slug)
    user = User(
        username=username,
        display_name=display_name or username,
        password_hash=_hasher.hash(password),
        delegation_id=delegation.id if delegation else None,
    )
    session.add(user)
    session.flush()
    assert user.id is not None
    session.add(RoleGrant(user_id=user.id, process_id=process.id if process else None, role=role))
    session.flush()
    record_event(session, _SYSTEM, "user.added", "user", user.id, {"username": username, "role": role})
    return user


def _check_new_user(session: Session, username: str, password: str, role: str) -> None:
    if role not in ROLES:
        raise InvalidInput(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")
    if not username.strip() or len(username) > 64:
        raise InvalidInput("a username needs 1 to 64 characters")
    _check_password(password)
    if session.exec(select(User).where(User.username == username)).first():
        raise Conflict(f"user {username!r} already exists")


def _check_password(password: str) -> None:
    if len(password) < 8:
        raise InvalidInput("a password needs at least 8 characters")
    if len(password) > 256:
        raise InvalidInput("a password may have at most 256 characters")


def _delegation_for_role(session: Session, role: str, code: str | None) -> Delegation | None:
    if role == "delegation" and not code:
        raise InvalidInput("a delegation member needs --delegation CODE")
    if code is None:
        return None
    delegation = session.exec(select(Delegation).where(Delegation.code == code.upper())).first()
    if delegation is None:
        raise NotFound(f"no delegation with code {code!r}")
    return delegation


def _process_or_none(session: Session, slug: str | None) -> Process | None:
    if slug is None:
        return None
    process = session.exec(select(Process).where(Process.slug == slug)).first()
    if process is None:
        raise NotFound(f"no process {slug!r}")
    return process


def authenticate(session: Session, username: str, password: str) -> Actor:
    """Check a username and password; the same error whichever of the two is wrong."""
    user = session.exec(select(User).where(User.username == username)).first()
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        user = None
    if user is None or not user.is_active:
        raise Unauthenticated("wrong username or password")
    return load_actor(session, user)


def load_actor(session: Session, user: User) -> Actor:
    """The Actor for a user, with their delegation and role grants."""
    grants = session.exec(select(RoleGrant).where(RoleGrant.user_id == user.id)).all()
    delegation = session.get(Delegation, user.delegation_id) if user.delegation_id else None
    assert user.id is not None
    return Actor(
        user_id=user.id,
        username=user.username,
        display_name=user.display_name,
        delegation_id=user.delegation_id,
        delegation_code=delegation.code if delegation else None,
        grants=frozenset((grant.process_id, grant.role) for grant in grants),
    )


def actor_for_user_id(session: Session, user_id: int) -> Actor | None:
    """The Actor for an active user id (a web session), or None if gone or disabled."""
    user = session.get(User, user_id)
    return load_actor(session, user) if user and user.is_active else None


# A person may hold this many live sessions (browsers and tokens); opening one more ends the oldest.
MAX_SESSIONS_PER_USER = 50


class SessionView(Schema):
    """A live session of the caller: a browser's sign-in or an API token."""

    id: int
    kind: str
    created_at: datetime
    expires_at: datetime
    current: bool


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def open_session(session: Session, actor: Actor, kind: str, ttl_seconds: int) -> str:
    """Start a session for the actor; returns its secret, of which only a hash is stored."""
    assert actor.user_id is not None
    now = utcnow()
    _end_surplus_sessions(session, actor.user_id, now)
    secret = secrets.token_urlsafe(32)
    row = UserSession(
        user_id=actor.user_id,
        kind=kind,
        secret_sha256=_digest(secret),
        created_at=now,
        expires_at=now + timedelta(seconds=ttl_seconds),
    )
    session.add(row)
    session.flush()
    return secret


def _end_surplus_sessions(session: Session, user_id: int, now: datetime) -> None:
    # Rows of ended sessions serve no one after a day; live ones beyond the cap end oldest first.
    rows = session.exec(
        select(UserSession).where(UserSession.user_id == user_id).order_by(col(UserSession.id).desc())
    ).all()
    live = [r for r in rows if _is_live(r, now)]
    for row in rows:
        if not _is_live(row, now) and as_utc(row.revoked_at or row.expires_at) < now - timedelta(days=1):
            session.delete(row)
    for row in live[MAX_SESSIONS_PER_USER - 1 :]:
        row.revoked_at = now
    session.flush()


def _is_live(row: UserSession, now: datetime) -> bool:
    return row.revoked_at is None and as_utc(row.expires_at) > now


def _session_row(session: Session, secret: str) -> UserSession | None:
    return session.exec(select(UserSession).where(UserSession.secret_sha256 == _digest(secret))).first()


# Built once: every authenticated request runs them, and building a statement costs more than running it.
_SESSION_PERSON: Select[*tuple[Any, ...]] = (
    core_select(
        col(UserSession.kind),
        col(UserSession.revoked_at),
        col(UserSession.expires_at),
        col(User.id).label("user_id"),
        col(User.username),
        col(User.display_name),
        col(User.is_active),
        col(User.delegation_id),
        col(Delegation.code).label("delegation_code"),
    )
    .join(User, col(User.id) == UserSession.user_id)
    .outerjoin(Delegation, col(Delegation.id) == User.delegation_id)
    .where(col(UserSession.secret_sha256) == bindparam("digest"))
)
_GRANTS = core_select(col(RoleGrant.process_id), col(RoleGrant.role)).where(
    col(RoleGrant.user_id) == bindparam("user_id")
)


def _session_and_actor(session: Session, secret: str) -> tuple[Any, Actor | None] | None:
    """The session with this secret and its person (None when disabled): two queries, no ORM objects."""
    row = session.execute(_SESSION_PERSON, {"digest": _digest(secret)}).first()
    if row is None:
        return None
    if not row.is_active:
        return row, None
    grants = session.execute(_GRANTS, {"user_id": row.user_id}).all()
    actor = Actor(
        user_id=row.user_id,
        username=row.username,
        display_name=row.display_name,
        delegation_id=row.delegation_id,
        delegation_code=row.delegation_code,
        grants=frozenset((process_id, role) for process_id, role in grants),
    )
    return row, actor


def actor_for_session(session: Session, secret: str, kind: str) -> Actor | None:
    """The Actor of a live session of this kind, or None if unknown, ended, revoked or disabled."""
    found = _session_and_actor(session, secret)
    if found is None or found[0].kind != kind or not _is_live(found[0], utcnow()):
        return None
    return found[1]


def actor_for_token(session: Session, token: str) -> Actor:
    """Resolve a bearer token to its Actor, refusing unknown, expired, revoked and disabled ones."""
    found = _session_and_actor(session, token)
    if found is None or found[0].kind != "api":
        raise Unauthenticated("the token is not valid")
    row, actor = found
    if row.revoked_at is not None:
        raise Unauthenticated("the token was revoked; ask for a new one")
    if as_utc(row.expires_at) <= utcnow():
        raise Unauthenticated("the token has expired; ask for a new one")
    if actor is None:
        raise Unauthenticated("the token's account is disabled or gone")
    return actor


def end_session(session: Session, secret: str) -> None:
    """Revoke the session with this secret (signing out); an unknown or ended one is left as it is."""
    row = _session_row(session, secret)
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
        session.flush()


def list_sessions(session: Session, actor: Actor, current_secret: str | None) -> list[SessionView]:
    """The caller's live sessions, newest first."""
    require_authenticated(actor)
    now = utcnow()
    current = _digest(current_secret) if current_secret else None
    rows = session.exec(
        select(UserSession).where(UserSession.user_id == actor.user_id).order_by(col(UserSession.id).desc())
    ).all()
    return [
        SessionView(
            id=saved_id(row),
            kind=row.kind,
            created_at=row.created_at,
            expires_at=row.expires_at,
            current=row.secret_sha256 == current,
        )
        for row in rows
        if _is_live(row, now)
    ]


def end_session_by_id(session: Session, actor: Actor, session_id: int) -> None:
    """Revoke one of the caller's own sessions (another person's is not found)."""
    require_authenticated(actor)
    row = session.get(UserSession, session_id)
    if row is None or row.user_id != actor.user_id:
        raise NotFound(f"no session {session_id} of yours")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        session.flush()


def _end_all_sessions(session: Session, user_id: int) -> int:
    rows = session.exec(
        select(UserSession).where(UserSession.user_id == user_id, col(UserSession.revoked_at).is_(None))
    ).all()
    now = utcnow()
    for row in rows:
        row.revoked_at = now
    session.flush()
    return len(rows)


def _user_named(session: Session, username: str) -> User:
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None:
        raise NotFound(f"no user {username!r}")
    return user


def change_password(session: Session, username: str, password: str) -> int:
    """Set a new password and end every session of the person; returns how many were ended."""
    _check_password(password)
    user = _user_named(session, username)
    user.password_hash = _hasher.hash(password)
    session.flush()
    assert user.id is not None
    ended = _end_all_sessions(session, user.id)
    record_event(session, _SYSTEM, "user.password_changed", "user", user.id, {"username": username})
    return ended


def set_active(session: Session, username: str, active: bool) -> int:
    """Enable or disable an account; disabling ends every session. Returns the sessions ended."""
    user = _user_named(session, username)
    assert user.id is not None
    if user.is_active == active:
        return 0
    user.is_active = active
    session.flush()
    ended = 0 if active else _end_all_sessions(session, user.id)
    event = "user.enabled" if active else "user.disabled"
    record_event(session, _SYSTEM, event, "user", user.id, {"username": username})
    return ended
