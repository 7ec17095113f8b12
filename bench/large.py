"""A large negotiation for benchmarks: many paragraphs, revisions, delegations and proposals.

Everything goes through Accord's own services, so the record is real: every revision is published with
its content hash, every proposal is tabled by a delegation member and audited in the hash chain, and
`/verify` has the whole of it to check. The process ("big", English) is generated from bench/synthetic;
its delegations are the 204 of drafts/delegations.json, one member account each for `delegations` of
them. Build it once with `build()`, then grow it step by step with `add_revisions` and `add_proposals`.
"""

import json
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from api.db import make_engine, unit_of_work
from api.models import Delegation, RoleGrant, User
from api.services import accounts, publishing, revisions, seeding, working_copy
from api.services.actors import PUBLIC, Actor
from api.services.inputs import ParagraphEdit, ProposalInput, PublishInput
from api.services.proposals import table_proposal
from api.settings import PROJECT_ROOT
from bench import synthetic

PASSWORD = "bench-password"
SLUG = "big"
COFACILITATOR = "cofac-fin"
EDITS_PER_REVISION = 20
PROPOSALS_PER_TRANSACTION = 250


@dataclass
class LargeProcess:
    """A database with the big process, and what has been built in it so far."""

    url: str
    engine: Engine
    paragraphs: int
    revisions: int = 1
    proposals: int = 0
    delegates: list[Actor] = field(default_factory=list)
    rng: random.Random = field(default_factory=lambda: random.Random(11))


def migrate(url: str) -> Engine:
    """A fresh database at the schema's head."""
    engine = make_engine(url)
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.attributes["connection"] = engine
    command.upgrade(config, "head")
    return engine


def _drafts(directory: Path, paragraphs: int, rng: random.Random) -> Path:
    """drafts/ with the shipped processes and delegations, plus the generated "big" process."""
    drafts = directory / "drafts"
    shutil.copytree(PROJECT_ROOT / "drafts", drafts)
    big = drafts / SLUG
    big.mkdir()
    process = {
        "slug": SLUG,
        "title_en": "A large generated negotiation (benchmark)",
        "title_zh": "基准测试",
        "language": "en",
        "cofacilitators": ["FIN", "SEN"],
    }
    rows = [
        {
            "key": f"para-{n}",
            "eid": f"para_{n}",
            "part": "body",
            "section": None,
            "kind": "paragraph",
            "number": str(n),
            "text": synthetic.english_paragraph(rng),
        }
        for n in range(1, paragraphs + 1)
    ]
    revision = {"label": "Zero draft", "language": "en", "paragraphs": rows}
    (big / "process.json").write_text(json.dumps(process), encoding="utf-8")
    (big / "revision.json").write_text(json.dumps(revision), encoding="utf-8")
    return drafts


def build(
    directory: Path, paragraphs: int = 400, delegations: int = 200, url: str | None = None
) -> LargeProcess:
    """The seeded database with the big process at its zero draft and `delegations` member accounts."""
    url = url or f"sqlite:///{directory / 'large.db'}"
    large = LargeProcess(url, migrate(url), paragraphs)
    with unit_of_work(large.engine) as session:
        seeding.seed(session, _drafts(directory, paragraphs, large.rng), PASSWORD)
    large.delegates = _delegates(large.engine, delegations)
    return large


def _delegates(engine: Engine, count: int) -> list[Actor]:
    """One member account per delegation (states first), as actors that may table proposals."""
    with unit_of_work(engine) as session:
        order = (col(Delegation.kind).desc(), col(Delegation.code))
        codes = session.exec(select(Delegation.code).order_by(*order)).all()
        for code in codes[:count]:
            name = f"bench-{code.lower()}"
            if session.exec(select(User).where(User.username == name)).first() is None:
                accounts.add_user(session, name, PASSWORD, "delegation", code, SLUG)
    with Session(engine) as session:
        rows = session.exec(
            select(User, Delegation)
            .join(Delegation, col(Delegation.id) == User.delegation_id)
            .where(col(User.username).startswith("bench-"))
        ).all()
        grants = {g.user_id: g.process_id for g in session.exec(select(RoleGrant)).all()}
        return [
            Actor(
                user_id=user.id,
                username=user.username,
                delegation_id=delegation.id,
                delegation_code=delegation.code,
                grants=frozenset({(grants.get(user.id or 0), "delegation")}),
            )
            for user, delegation in rows
        ]


def cofacilitator(engine: Engine) -> Actor:
    """The big process's first co-facilitator."""
    with unit_of_work(engine) as session:
        return accounts.authenticate(session, COFACILITATOR, PASSWORD)


def add_revisions(large: LargeProcess, until: int) -> None:
    """Publish revisions (each with 20 amended paragraphs) until the process has `until` of them."""
    actor = cofacilitator(large.engine)
    while large.revisions < until:
        with unit_of_work(large.engine) as session:
            view = working_copy.open_working_copy_view(session, actor, SLUG)
            for paragraph in large.rng.sample(view.paragraphs, min(EDITS_PER_REVISION, len(view.paragraphs))):
                text = f"{paragraph.text} {synthetic.english_sentence(large.rng)}"
                edit = ParagraphEdit(text=text[-3000:], lock_version=paragraph.lock_version)
                working_copy.edit_paragraph(session, actor, SLUG, paragraph.key, edit)
            label = f"Rev.{large.revisions}"
            publishing.publish(session, actor, SLUG, PublishInput(label=label, summary="generated"))
        large.revisions += 1


def add_proposals(large: LargeProcess, until: int) -> None:
    """Table proposals (amendments of 1-3 words by the delegations) until there are `until` of them."""
    with Session(large.engine) as session:
        current = revisions.get_revision_view(session, PUBLIC, SLUG, None).paragraphs
    texts = {p.key: p.text for p in current if p.kind == "paragraph"}
    words = synthetic.filler_words("en")
    while large.proposals < until:
        batch = min(PROPOSALS_PER_TRANSACTION, until - large.proposals)
        with unit_of_work(large.engine) as session:
            for _ in range(batch):
                key = large.rng.choice(sorted(texts))
                data = _amendment(large.rng, key, texts[key], words)
                table_proposal(session, large.rng.choice(large.delegates), SLUG, data)
        large.proposals += batch


def _amendment(rng: random.Random, key: str, text: str, words: list[str]) -> ProposalInput:
    """A few words of the paragraph replaced by others, as most amendments are."""
    tokens = text.split(" ")
    start = rng.randrange(len(tokens))
    tokens[start : start + rng.randint(0, 2)] = rng.sample(words, rng.randint(1, 3))
    amended = " ".join(tokens)
    if amended == text:
        amended = f"{text} {words[0]}"
    return ProposalInput(paragraph_key=key, action="amend", text=amended, justification="generated")
