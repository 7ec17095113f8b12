"""Loading drafts/ (delegations, processes, mandates, first revisions) and the demo accounts."""

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from sqlmodel import Session, select

from api.domain.errors import InvalidInput
from api.domain.negotiation import RevisionState
from api.models import (
    Delegation,
    GroupMembership,
    Mandate,
    MandateElement,
    Paragraph,
    ParagraphVersion,
    Process,
    Revision,
    User,
)
from api.models.base import saved_id, utcnow
from api.services.accounts import add_user
from api.services.actors import Actor
from api.services.audit import record_event
from api.services.revisions import compute_content_hash

SEED_ACTOR = Actor(user_id=None, username="seed")
M = TypeVar("M", bound=BaseModel)


class DelegationFile(BaseModel):
    """One entry of drafts/delegations.json."""

    code: str
    kind: str
    name_en: str
    name_zh: str
    members: list[str] = []


class ElementFile(BaseModel):
    """One mandate element in a process.json."""

    code: str
    text: str
    label: str
    label_official: bool = False


class MandateFile(BaseModel):
    """A process's mandate in its process.json."""

    title_en: str
    source: str
    elements: list[ElementFile]


class ProcessFile(BaseModel):
    """drafts/<slug>/process.json."""

    slug: str
    title_en: str
    title_zh: str
    language: str
    symbol: str | None = None
    # How each revision's symbol is written, its label in place of {label}: "A/CONF.231/PC/{label}".
    symbol_pattern: str | None = None
    description_en: str = ""
    note_en: str = ""
    cofacilitators: list[str] = []
    mandate: MandateFile | None = None


class ParagraphFile(BaseModel):
    """One paragraph of drafts/<slug>/revision.json."""

    key: str
    eid: str
    part: str
    section: str | None
    kind: str
    number: str | None
    text: str
    footnotes: list[dict[str, str]] = []


class RevisionFile(BaseModel):
    """drafts/<slug>/revision.json: a first revision, published when seeded."""

    label: str
    symbol: str | None = None
    date: str | None = None
    language: str
    source: dict[str, Any] = {}
    paragraphs: list[ParagraphFile]


@dataclass
class SeedReport:
    """What one seeding run created (all zero when run again)."""

    created: dict[str, int] = field(default_factory=dict)

    def count(self, what: str, n: int = 1) -> None:
        """Add n to the count of created things of a kind."""
        self.created[what] = self.created.get(what, 0) + n

    @property
    def changed(self) -> bool:
        """True if anything was created."""
        return any(self.created.values())


def _read_json(path: Path, model: type[M]) -> M:
    try:
        return model.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, ValidationError) as error:
        raise InvalidInput(f"{path}: {str(error).splitlines()[0]}") from None


def seed(session: Session, drafts_dir: Path, demo_password: str | None) -> SeedReport:
    """Load drafts/ into the database; idempotent, so a second run creates nothing."""
    report = SeedReport()
    if not (drafts_dir / "delegations.json").is_file():
        raise InvalidInput(f"{drafts_dir} holds no delegations.json; is ACCORD_DRAFTS_DIR right?")
    _seed_delegations(session, drafts_dir / "delegations.json", report)
    cofacilitators: list[tuple[str, str]] = []
    for process_file in sorted(drafts_dir.glob("*/process.json")):
        data = _read_json(process_file, ProcessFile)
        cofacilitators.extend((code, data.slug) for code in data.cofacilitators)
        process = _seed_process(session, data, report)
        revision_file = process_file.parent / "revision.json"
        if revision_file.is_file():
            _seed_first_revision(session, process, _read_json(revision_file, RevisionFile), report)
    if demo_password is not None:
        _seed_demo_accounts(session, demo_password, report, cofacilitators)
    return report


def _seed_delegations(session: Session, path: Path, report: SeedReport) -> None:
    entries = _read_json(path, _DelegationsFile).delegations
    by_code = {d.code: d for d in session.exec(select(Delegation)).all()}
    for entry in entries:
        if entry.code not in by_code:
            delegation = Delegation(
                code=entry.code, kind=entry.kind, name_en=entry.name_en, name_zh=entry.name_zh
            )
            session.add(delegation)
            by_code[entry.code] = delegation
            report.count("delegations")
    session.flush()
    existing = {(m.group_id, m.member_id) for m in session.exec(select(GroupMembership)).all()}
    for entry in entries:
        for member_code in entry.members:
            if member_code not in by_code:
                raise InvalidInput(f"{path}: group {entry.code} lists unknown member {member_code}")
            pair = (saved_id(by_code[entry.code]), saved_id(by_code[member_code]))
            if pair not in existing:
                session.add(GroupMembership(group_id=pair[0], member_id=pair[1]))
                report.count("group memberships")
    session.flush()


class _DelegationsFile(BaseModel):
    delegations: list[DelegationFile]


def _seed_process(session: Session, data: ProcessFile, report: SeedReport) -> Process:
    process = session.exec(select(Process).where(Process.slug == data.slug)).first()
    if process is None:
        process = Process(**data.model_dump(exclude={"cofacilitators", "mandate"}))
        session.add(process)
        session.flush()
        record_event(session, SEED_ACTOR, "process.created", "process", data.slug, {}, process.id)
        report.count("processes")
    if data.mandate is not None:
        _seed_mandate(session, process, data.mandate, report)
    return process


def _seed_mandate(session: Session, process: Process, data: MandateFile, report: SeedReport) -> None:
    mandate = session.exec(select(Mandate).where(Mandate.process_id == process.id)).first()
    if mandate is not None:
        return
    assert process.id is not None
    mandate = Mandate(process_id=process.id, title_en=data.title_en, source=data.source)
    session.add(mandate)
    session.flush()
    assert mandate.id is not None
    for position, element in enumerate(data.elements):
        session.add(
            MandateElement(
                mandate_id=mandate.id,
                position=position,
                text_language="zh",  # the official element texts are the seed's, in Chinese
                **element.model_dump(),
            )
        )
    session.flush()
    record_event(session, SEED_ACTOR, "mandate.created", "process", process.slug, {}, process.id)
    report.count("mandate elements", len(data.elements))


def _seed_first_revision(session: Session, process: Process, data: RevisionFile, report: SeedReport) -> None:
    assert process.id is not None
    if session.exec(select(Revision).where(Revision.process_id == process.id)).first() is not None:
        return  # published revisions are immutable: a later seed never rewrites them
    revision = Revision(
        process_id=process.id,
        sequence=0,
        label=data.label,
        symbol=data.symbol,
        language=data.language,
        document_date=data.date,
        source=data.source,
        state=RevisionState.PUBLISHED,
        published_at=utcnow(),
    )
    session.add(revision)
    session.flush()
    paragraphs = [
        Paragraph(process_id=process.id, key=item.key, wid=item.eid, origin_revision_id=revision.id)
        for item in data.paragraphs
    ]
    session.add_all(paragraphs)
    session.flush()  # one batched INSERT … RETURNING gives every paragraph its id
    assert revision.id is not None
    session.add_all(
        ParagraphVersion(
            revision_id=revision.id,
            paragraph_id=saved_id(paragraph),
            position=position,
            **item.model_dump(exclude={"key"}),
        )
        for position, (paragraph, item) in enumerate(zip(paragraphs, data.paragraphs, strict=True))
    )
    session.flush()
    revision.content_hash = compute_content_hash(session, process, revision)
    payload = {"label": revision.label, "content_hash": revision.content_hash}
    record_event(session, SEED_ACTOR, "revision.published", "revision", revision.id, payload, process.id)
    report.count("revisions")
    report.count("paragraphs", len(data.paragraphs))


DemoAccount = tuple[str, str, str | None, str | None]
# The demo accounts (username, role, delegation, process) besides one per co-facilitator named in drafts/.
DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    ("secretariat", "secretariat", None, None),
    ("delegate-chn", "delegation", "CHN", None),
    ("delegate-deu", "delegation", "DEU", None),
    ("delegate-bra", "delegation", "BRA", None),
    ("delegate-zaf", "delegation", "ZAF", None),
    ("observer", "observer", None, None),
)


def demo_accounts(drafts_dir: Path) -> list[DemoAccount]:
    """Every demo account a seed of drafts/ creates, the co-facilitators of each process included."""
    cofacilitators = [
        (code, data.slug)
        for process_file in sorted(drafts_dir.glob("*/process.json"))
        for data in [_read_json(process_file, ProcessFile)]
        for code in data.cofacilitators
    ]
    return _demo_account_list(cofacilitators)


def _demo_account_list(cofacilitators: list[tuple[str, str]]) -> list[DemoAccount]:
    facilitators: list[DemoAccount] = [
        (f"cofac-{code.lower()}", "cofacilitator", code, slug) for code, slug in cofacilitators
    ]
    return [*DEMO_ACCOUNTS[:1], *facilitators, *DEMO_ACCOUNTS[1:]]


def _seed_demo_accounts(
    session: Session, password: str, report: SeedReport, cofacilitators: list[tuple[str, str]]
) -> None:
    known = set(session.exec(select(User.username)).all())
    for username, role, delegation, process in _demo_account_list(cofacilitators):
        if username not in known:
            add_user(session, username, password, role, delegation, process)
            report.count("demo accounts")
