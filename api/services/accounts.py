"""Accounts: adding people, checking passwords, issuing and resolving bearer tokens."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlmodel import Session, select

from api.domain.errors import Conflict, InvalidInput, NotFound, Unauthenticated
from api.models import Delegation, Process, RoleGrant, User
from api.models.user import ROLES
from api.services.actors import Actor
from api.services.audit import record_event
from api.settings import get_settings

# Tests run with the cheapest Argon2 parameters; everywhere else with the library's defaults.
_hasher = (
    PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    if get_settings().mode == "test"
    else PasswordHasher()
)
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
    system = Actor(user_id=None, username="system")
    record_event(session, system, "user.added", "user", user.id, {"username": username, "role": role})
    return user


def _check_new_user(session: Session, username: str, password: str, role: str) -> None:
    if role not in ROLES:
        raise InvalidInput(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")
    if not username.strip() or len(username) > 64:
        raise InvalidInput("a username needs 1 to 64 characters")
    if len(password) < 8:
        raise InvalidInput("a password needs at least 8 characters")
    if session.exec(select(User).where(User.username == username)).first():
        raise Conflict(f"user {username!r} already exists")


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


_TOKEN_SALT = "accord-api-token"


def issue_token(actor: Actor, secret: str) -> str:
    """A bearer token for the actor: their user id, signed and timestamped (nothing stored)."""
    return URLSafeTimedSerializer(secret, salt=_TOKEN_SALT).dumps({"user": actor.user_id})


def actor_for_token(session: Session, token: str, secret: str, ttl_seconds: int) -> Actor:
    """Resolve a bearer token to its Actor, refusing forged, expired and disabled ones."""
    try:
        data = URLSafeTimedSerializer(secret, salt=_TOKEN_SALT).loads(token, max_age=ttl_seconds)
    except SignatureExpired:
        raise Unauthenticated("the token has expired; ask for a new one") from None
    except BadSignature:
        raise Unauthenticated("the token is not valid") from None
    user_id = data.get("user") if isinstance(data, dict) else None
    actor = actor_for_user_id(session, user_id) if isinstance(user_id, int) else None
    if actor is None:
        raise Unauthenticated("the token's account is disabled or gone")
    return actor
