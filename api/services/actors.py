"""Who is acting: the signed-in person (or the public) with their roles, and the rules of access."""

from dataclasses import dataclass, field

from api.domain.errors import Forbidden, Unauthenticated


@dataclass(frozen=True)
class Actor:
    """The person a request acts for; user_id None means the anonymous public."""

    user_id: int | None
    username: str
    display_name: str = ""
    delegation_id: int | None = None
    delegation_code: str | None = None
    # (process id or None for every process, role)
    grants: frozenset[tuple[int | None, str]] = field(default_factory=frozenset)

    @property
    def is_authenticated(self) -> bool:
        """True for a signed-in person."""
        return self.user_id is not None

    @property
    def is_secretariat(self) -> bool:
        """True for the staff who administer every process."""
        return (None, "secretariat") in self.grants

    def has_role(self, role: str, process_id: int | None) -> bool:
        """True if the actor holds the role in this process or in every process."""
        return (None, role) in self.grants or (process_id is not None and (process_id, role) in self.grants)

    def roles_in(self, process_id: int | None) -> list[str]:
        """The roles the actor holds in a process, sorted."""
        return sorted({role for pid, role in self.grants if pid is None or pid == process_id})


PUBLIC = Actor(user_id=None, username="public", display_name="Public")


def require_authenticated(actor: Actor) -> None:
    """Refuse the anonymous public."""
    if not actor.is_authenticated:
        raise Unauthenticated("sign in first")


def require_secretariat(actor: Actor) -> None:
    """Only the secretariat administers processes, accounts and imports."""
    require_authenticated(actor)
    if not actor.is_secretariat:
        raise Forbidden("only the secretariat may do this")


def require_cofacilitator(actor: Actor, process_id: int) -> None:
    """Only the co-facilitators of this process rule, edit the working copy and publish."""
    require_authenticated(actor)
    if not actor.has_role("cofacilitator", process_id):
        raise Forbidden("only this process's co-facilitators may do this")


def require_delegation_member(actor: Actor, process_id: int) -> int:
    """A delegation member of this process acting for their delegation; returns the delegation id."""
    require_authenticated(actor)
    if not actor.has_role("delegation", process_id) or actor.delegation_id is None:
        raise Forbidden("only a delegation taking part in this process may do this")
    return actor.delegation_id
