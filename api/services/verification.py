"""Tamper evidence: recompute the audit chain, every published revision's hash and the facts of the record."""

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, select

from api.domain.hashing import canonical_json
from api.domain.negotiation import RevisionState
from api.models import AuditEvent, Process, Proposal, Revision, User
from api.models.base import saved_id
from api.services.audit import chain_head, verify_chain
from api.services.facts import Facts, process_facts, proposal_facts, user_facts
from api.services.revisions import compute_content_hash, get_process
from api.services.schemas import RevisionCheckView, SinceView, VerificationView


@dataclass(frozen=True)
class RevisionCheck:
    """One published revision's stored and recomputed hashes."""

    process: str
    label: str
    stored_hash: str | None
    computed_hash: str
    problem: str | None = None

    @property
    def ok(self) -> bool:
        """True when the revision is exactly as it was published."""
        return self.problem is None and self.stored_hash == self.computed_hash


@dataclass(frozen=True)
class SinceCheck:
    """Whether a head published earlier is still in the chain (else history was rewritten or cut)."""

    hash: str
    sequence: int | None

    @property
    def ok(self) -> bool:
        """True when today's chain still passes through the earlier head."""
        return self.sequence is not None


@dataclass(frozen=True)
class VerificationReport:
    """The chain's state, each revision's, and every fact that differs from the record."""

    events: int
    chain_problem: str | None
    head_hash: str
    head_at: datetime | None = None
    revisions: list[RevisionCheck] = field(default_factory=list)
    record_problems: list[str] = field(default_factory=list)
    since: SinceCheck | None = None

    @property
    def ok(self) -> bool:
        """True when nothing was altered."""
        return (
            self.chain_problem is None
            and all(check.ok for check in self.revisions)
            and not self.record_problems
            and (self.since is None or self.since.ok)
        )

    def lines(self) -> list[str]:
        """A human-readable account, one line per check."""
        chain = self.chain_problem or "intact"
        at = f" at {self.head_at.isoformat()}" if self.head_at else ""
        lines = [f"audit chain: {self.events} events, {chain}, head {self.head_hash}{at}"]
        if self.since is not None:
            lines.append(f"earlier head {self.since.hash}: " + _since_line(self.since))
        for check in self.revisions:
            if check.problem:
                state = check.problem
            elif check.ok:
                state = "ok"
            else:
                state = f"ALTERED (stored {check.stored_hash}, now {check.computed_hash})"
            lines.append(f"{check.process} {check.label}: {state}")
        lines.extend(f"record: {problem}" for problem in self.record_problems)
        lines.append("verified: OK" if self.ok else "verified: FAILED")
        return lines


def _since_line(since: SinceCheck) -> str:
    if since.ok:
        return f"still in the chain (event {since.sequence})"
    return "NOT in the chain: the history was rewritten or truncated after it"


class _ChainReader:
    """Gathers, in the one pass over the chain, each publication's seal and each subject's latest facts."""

    def __init__(self, since: str | None) -> None:
        self.since = since
        self.since_sequence: int | None = None
        self.sealed: dict[int, dict[int, tuple[str, str]]] = {}
        self.facts: dict[str, dict[int, Facts]] = {"proposal": {}, "user": {}, "process": {}}

    def __call__(self, event: AuditEvent) -> None:
        if event.hash == self.since:
            self.since_sequence = event.sequence
        payload = event.payload
        facts = payload.get("facts")
        published = event.action == "revision.published" and event.process_id is not None
        if published and event.process_id is not None and event.subject_id.isdigit():
            seal = (str(payload.get("label")), str(payload.get("content_hash")))
            self.sealed.setdefault(event.process_id, {})[int(event.subject_id)] = seal
        if not isinstance(facts, dict):
            return
        if event.subject_type == "revision":
            for key, moved in (facts.get("proposals") or {}).items():
                self.facts["proposal"][int(key)] = moved
        elif event.subject_type == "process" and event.process_id is not None:
            self.facts["process"][event.process_id] = facts
        elif event.subject_type in self.facts and event.subject_id.isdigit():
            self.facts[event.subject_type][int(event.subject_id)] = facts


def verify(session: Session, slug: str | None = None, since: str | None = None) -> VerificationReport:
    """Recompute the chain, every published revision's hash and every fact of the record, against the chain.

    The chain holds, for each publication, the content hash as it was then, and for each proposal, person
    and process the facts as they stood after its last change: so rewriting a revision with its stored
    hash, publishing a revision without a publication, or editing a proposal, ruling, co-sponsorship,
    release, role grant, password or mandate element directly in the database, all show. Given an earlier
    head hash it also tells whether the history was rewritten or truncated since."""
    reader = _ChainReader(since)
    chain = verify_chain(session, reader)
    processes = [get_process(session, slug)] if slug else list(session.exec(select(Process)).all())
    checks = _revision_checks(session, processes, reader.sealed)
    problems = _record_problems(session, processes, reader) if chain.ok else []
    return VerificationReport(
        events=chain.events,
        chain_problem=chain.problem,
        head_hash=chain.head_hash,
        head_at=chain.head_at,
        revisions=checks,
        record_problems=problems,
        since=SinceCheck(since, reader.since_sequence) if since else None,
    )


def _revision_checks(
    session: Session, processes: list[Process], sealed: dict[int, dict[int, tuple[str, str]]]
) -> list[RevisionCheck]:
    checks: list[RevisionCheck] = []
    for process in processes:
        revisions = {
            r.id: r for r in session.exec(select(Revision).where(Revision.process_id == process.id)).all()
        }
        seals = sealed.get(saved_id(process), {})
        for revision_id, (label, sealed_hash) in seals.items():
            revision = revisions.get(revision_id)
            if revision is None or revision.state != RevisionState.PUBLISHED:
                checks.append(
                    RevisionCheck(process.slug, label, sealed_hash, "", "missing or no longer published")
                )
                continue
            computed = compute_content_hash(session, process, revision)
            stored = (
                sealed_hash
                if revision.content_hash == sealed_hash
                else f"{revision.content_hash} (chain: {sealed_hash})"
            )
            checks.append(RevisionCheck(process.slug, revision.label, stored, computed))
        for row_id, revision in revisions.items():
            if revision.state == RevisionState.PUBLISHED and row_id not in seals:
                problem = "published, but no publication in the chain sealed it"
                checks.append(RevisionCheck(process.slug, revision.label, revision.content_hash, "", problem))
    return checks


def _record_problems(session: Session, processes: list[Process], reader: _ChainReader) -> list[str]:
    process_ids = {p.id for p in processes if p.id is not None}
    recorded = {
        key: facts
        for key, facts in reader.facts["proposal"].items()
        if facts.get("process_id") in process_ids
    }
    rows = session.exec(select(Proposal.id).where(col(Proposal.process_id).in_(process_ids))).all()
    proposals = proposal_facts(session, {*recorded, *(r for r in rows if r is not None)})
    users = user_facts(session, {u for u in session.exec(select(User.id)).all() if u is not None})
    processes_now = process_facts(session, process_ids)
    recorded_processes = {k: v for k, v in reader.facts["process"].items() if k in process_ids}
    return [
        *_compare("proposal", recorded, proposals),
        *_compare("process", recorded_processes, processes_now),
        *_compare("user", reader.facts["user"], users),
    ]


def _compare(kind: str, recorded: dict[int, Facts], now: dict[int, Facts]) -> list[str]:
    problems: list[str] = []
    for key in sorted({*recorded, *now}):
        if key not in now:
            problems.append(f"{kind} {key} is in the record, but its row was deleted")
        elif key not in recorded:
            problems.append(f"{kind} {key} has no record in the audit chain")
        else:
            current = json.loads(canonical_json(now[key]))
            changed = sorted(
                name for name in {*recorded[key], *current} if recorded[key].get(name) != current.get(name)
            )
            if changed:
                problems.append(f"{kind} {key}: {', '.join(changed)} changed behind the record's back")
    return problems


class ReportCache:
    """Verification views by process, earlier head and chain head, recomputed when the head moves.

    Anonymous readers share the answer for one head (a new event makes a new one; entries also expire, so
    that a tampering which adds no event shows within the TTL). The full recomputation is `accord verify`'s
    job. One computation at a time: concurrent callers wait for it instead of repeating it."""

    def __init__(self, ttl_seconds: float = 60.0, size: int = 64) -> None:
        self.ttl_seconds = ttl_seconds
        self.size = size
        self.computations = 0
        self._entries: dict[tuple[str, ...], tuple[float, VerificationView]] = {}
        self._lock = threading.Lock()

    def get(self, key: tuple[str, ...], compute: Callable[[], VerificationView]) -> VerificationView:
        """The cached view for key, or a fresh one."""
        with self._lock:
            now = time.monotonic()
            cached = self._entries.get(key)
            if cached is not None and now - cached[0] < self.ttl_seconds:
                return cached[1]
            view = compute()
            self.computations += 1
            if len(self._entries) >= self.size:
                self._entries.pop(next(iter(self._entries)))
            self._entries[key] = (now, view)
            return view


def verify_view(
    session: Session, slug: str, since: str | None = None, cache: ReportCache | None = None
) -> VerificationView:
    """The verification of one process as a read model, cached by chain head; public, so anyone can check."""
    get_process(session, slug)
    if cache is None:
        return _view(verify(session, slug, since))
    head = chain_head(session)
    key = (slug, since or "", head.hash if head else "")
    return cache.get(key, lambda: _view(verify(session, slug, since)))


def _view(report: VerificationReport) -> VerificationView:
    since = report.since
    return VerificationView(
        ok=report.ok,
        events=report.events,
        chain_problem=report.chain_problem,
        head_hash=report.head_hash,
        head_at=report.head_at,
        revisions=[
            RevisionCheckView(
                label=c.label,
                stored_hash=c.stored_hash,
                computed_hash=c.computed_hash,
                ok=c.ok,
                problem=c.problem,
            )
            for c in report.revisions
        ],
        record_problems=report.record_problems,
        since=SinceView(hash=since.hash, found=since.ok, sequence=since.sequence) if since else None,
    )
