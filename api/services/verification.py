"""Tamper evidence: recompute the audit chain and every published revision's content hash."""

from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from api.models import AuditEvent, Process, Revision
from api.services.audit import verify_chain
from api.services.revisions import compute_content_hash, get_process
from api.services.schemas import RevisionCheckView, VerificationView


@dataclass(frozen=True)
class RevisionCheck:
    """One published revision's stored and recomputed hashes."""

    process: str
    label: str
    stored_hash: str | None
    computed_hash: str

    @property
    def ok(self) -> bool:
        """True when the revision is exactly as it was published."""
        return self.stored_hash == self.computed_hash


@dataclass(frozen=True)
class VerificationReport:
    """The chain's state and each revision's."""

    events: int
    chain_problem: str | None
    head_hash: str
    revisions: list[RevisionCheck] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing was altered."""
        return self.chain_problem is None and all(check.ok for check in self.revisions)

    def lines(self) -> list[str]:
        """A human-readable account, one line per check."""
        chain = self.chain_problem or "intact"
        lines = [f"audit chain: {self.events} events, {chain}, head {self.head_hash}"]
        for check in self.revisions:
            state = "ok" if check.ok else f"ALTERED (stored {check.stored_hash}, now {check.computed_hash})"
            lines.append(f"{check.process} {check.label}: {state}")
        lines.append("verified: OK" if self.ok else "verified: FAILED")
        return lines


def verify(session: Session, slug: str | None = None) -> VerificationReport:
    """Recompute the audit chain and every published revision's hash, against the hash its event sealed.

    The chain holds, for each publication, the content hash as it was then: so rewriting a revision and
    its stored hash together, deleting a revision, or un-publishing it, all show."""
    chain = verify_chain(session)
    processes = [get_process(session, slug)] if slug else list(session.exec(select(Process)).all())
    sealed = _sealed_hashes(session)
    checks: list[RevisionCheck] = []
    for process in processes:
        revisions = {
            r.id: r for r in session.exec(select(Revision).where(Revision.process_id == process.id)).all()
        }
        for revision_id, (label, sealed_hash) in sealed.get(process.id or 0, {}).items():
            revision = revisions.get(revision_id)
            if revision is None or revision.state != "published":
                checks.append(
                    RevisionCheck(process.slug, label, sealed_hash, "missing or no longer published")
                )
                continue
            computed = compute_content_hash(session, process, revision)
            stored = (
                sealed_hash
                if revision.content_hash == sealed_hash
                else f"{revision.content_hash} (chain: {sealed_hash})"
            )
            checks.append(RevisionCheck(process.slug, revision.label, stored, computed))
    return VerificationReport(
        events=chain.events, chain_problem=chain.problem, head_hash=chain.head_hash, revisions=checks
    )


def _sealed_hashes(session: Session) -> dict[int, dict[int, tuple[str, str]]]:
    """process id → revision id → (label, content hash) as recorded by each revision.published event."""
    sealed: dict[int, dict[int, tuple[str, str]]] = {}
    events = session.exec(
        select(AuditEvent).where(AuditEvent.action == "revision.published").order_by(col(AuditEvent.sequence))
    ).all()
    for event in events:
        if event.process_id is not None and event.subject_id.isdigit():
            payload = event.payload
            sealed.setdefault(event.process_id, {})[int(event.subject_id)] = (
                str(payload.get("label")),
                str(payload.get("content_hash")),
            )
    return sealed


def verify_view(session: Session, slug: str) -> VerificationView:
    """The verification of one process as a read model; public, so that anyone can check."""
    report = verify(session, slug)
    return VerificationView(
        ok=report.ok,
        events=report.events,
        chain_problem=report.chain_problem,
        head_hash=report.head_hash,
        revisions=[
            RevisionCheckView(
                label=c.label, stored_hash=c.stored_hash, computed_hash=c.computed_hash, ok=c.ok
            )
            for c in report.revisions
        ],
    )
