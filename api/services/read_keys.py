"""What a cacheable read of a process is a function of: its place in the hash chain, and the audience.

Every change to a process (a publication, a proposal tabled, edited, co-sponsored or withdrawn, a ruling,
a release of the compilation, a working-copy edit) is an audit event chained by hash, and its events
carry the process's id. The hash of the process's latest event therefore names the state of everything
its published views show: one indexed lookup, after which a route can answer 304 or serve rendered bytes
without loading (or re-rendering) what a published revision sealed. A key is None where the view is live:
for those who prepare the working copy while one is open, since their views show it.
"""

from dataclasses import dataclass

from sqlmodel import Session, col, select

from api.domain.errors import NotFound
from api.domain.negotiation import RevisionState
from api.models import AuditEvent, Process, Revision
from api.services.actors import Actor
from api.services.release_scope import is_insider
from api.services.revisions import can_see_working_copy


@dataclass(frozen=True)
class ReadKey:
    """The parts a view is a pure function of, and the audience (who sees the same view) it is for."""

    parts: tuple[str | int | None, ...]
    audience: str

    @property
    def slug(self) -> str:
        """The process the view belongs to (the first part)."""
        return str(self.parts[0])


def audience(actor: Actor, process_id: int) -> str:
    """Insiders see pending proposals as soon as they are tabled; a delegation also sees "Propose"."""
    insider = "insider" if is_insider(actor, process_id) else "outsider"
    proposer = actor.has_role("delegation", process_id) and actor.delegation_id is not None
    return f"{insider}+proposer" if proposer else insider


def read_key(session: Session, actor: Actor, slug: str) -> ReadKey | None:
    """The process's chain head and the actor's audience; None when the actor's views are live."""
    head = (
        select(AuditEvent.hash)
        .where(AuditEvent.process_id == Process.id)
        .order_by(col(AuditEvent.id).desc())
        .limit(1)
        .scalar_subquery()
    )
    row = session.exec(select(Process.id, head).where(Process.slug == slug)).first()
    if row is None:
        raise NotFound(f"no process {slug!r}")
    process_id, head_hash = row
    assert process_id is not None
    if can_see_working_copy(actor, process_id) and _working_copy_open(session, process_id):
        return None
    return ReadKey((slug, head_hash), audience(actor, process_id))


def _working_copy_open(session: Session, process_id: int) -> bool:
    query = select(Revision.id).where(
        Revision.process_id == process_id, Revision.state == RevisionState.WORKING
    )
    return session.exec(query).first() is not None
