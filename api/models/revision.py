"""Revisions of a draft, paragraphs with a stable identity, and each paragraph's text per revision."""

from datetime import datetime
from typing import Any

from sqlalchemy import Index, LargeBinary, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from api.domain.negotiation import ParagraphKind, ParagraphStatus, RevisionState
from api.models.base import json_field, one_of, timestamp_field

REVISION_STATES = tuple(RevisionState)
PARAGRAPH_PARTS = ("front", "body", "annex1", "annex2")
PARAGRAPH_KINDS = tuple(ParagraphKind)
PARAGRAPH_STATUSES = tuple(ParagraphStatus)


class Revision(SQLModel, table=True):
    """One version of a draft: the working copy until published, then immutable."""

    __table_args__ = (
        one_of("state", REVISION_STATES),
        UniqueConstraint("process_id", "sequence"),
        UniqueConstraint("process_id", "label"),
        # At most one working copy per process, whatever two co-facilitators do at once.
        Index(
            "uq_revision_one_working_copy",
            "process_id",
            unique=True,
            sqlite_where=text("state = 'working'"),
            postgresql_where=text("state = 'working'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    process_id: int = Field(foreign_key="process.id", index=True, ondelete="CASCADE")
    sequence: int
    label: str = Field(max_length=64)
    symbol: str | None = Field(default=None, max_length=64)
    language: str = Field(max_length=16)
    state: str = Field(default=RevisionState.WORKING, max_length=16)
    document_date: str | None = Field(default=None, max_length=10)
    summary: str = Field(default="")
    content_hash: str | None = Field(default=None, max_length=64)
    source: dict[str, Any] = json_field(dict)
    created_at: datetime = timestamp_field()
    published_at: datetime | None = timestamp_field(nullable=True)
    published_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    lock_version: int = 1


class Paragraph(SQLModel, table=True):
    """A paragraph's identity (lineage) across revisions, whatever its number becomes."""

    __table_args__ = (UniqueConstraint("process_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    process_id: int = Field(foreign_key="process.id", index=True, ondelete="CASCADE")
    key: str = Field(max_length=64)
    # AKN wId: the identifier that survives renumbering, unlike the eId of each revision.
    wid: str = Field(max_length=64)
    origin_revision_id: int | None = Field(default=None, foreign_key="revision.id")
    # The proposal whose accepted insertion created this paragraph (none for drafted or imported ones).
    # A plain id, not a foreign key: proposals already refer to paragraphs, and a reference back would
    # make a cycle that SQLite can only add by copying the table every paragraph version refers to.
    # Proposals are never deleted on their own (only with their process, which takes its paragraphs too).
    inserted_by_id: int | None = Field(default=None)


class ParagraphLink(SQLModel, table=True):
    """Lineage beyond one-to-one: a paragraph split from, or merged out of, earlier paragraphs."""

    __tablename__ = "paragraph_link"

    id: int | None = Field(default=None, primary_key=True)
    revision_id: int = Field(foreign_key="revision.id", index=True, ondelete="CASCADE")
    paragraph_id: int = Field(foreign_key="paragraph.id", index=True)
    source_paragraph_id: int = Field(foreign_key="paragraph.id", index=True)
    relation: str = Field(max_length=16)


class ParagraphVersion(SQLModel, table=True):
    """A paragraph as it stands in one revision: number, place, text and status."""

    __tablename__ = "paragraph_version"
    __table_args__ = (
        one_of("part", PARAGRAPH_PARTS),
        one_of("kind", PARAGRAPH_KINDS),
        one_of("status", PARAGRAPH_STATUSES),
        UniqueConstraint("revision_id", "paragraph_id"),
        UniqueConstraint("revision_id", "position"),
    )

    id: int | None = Field(default=None, primary_key=True)
    revision_id: int = Field(foreign_key="revision.id", index=True, ondelete="CASCADE")
    paragraph_id: int = Field(foreign_key="paragraph.id", index=True)
    position: int
    part: str = Field(max_length=16)
    section: str | None = Field(default=None, max_length=64)
    kind: str = Field(max_length=16)
    number: str | None = Field(default=None, max_length=32)
    # The number it had before publication renumbered it ("12bis" of what is now 13); None if unchanged.
    former_number: str | None = Field(default=None, max_length=32)
    # A preambular paragraph (PP1 …) rather than an operative one: renumbering counts each on its own.
    preambular: bool = False
    eid: str = Field(max_length=96)
    text: str
    footnotes: list[dict[str, str]] = json_field(list)
    # Emphasis kept beside the words, [start, end, "em" | "strong"] over `text`: diffs, brackets and
    # rebases see the words alone, and the reader and exports show the formatting.
    formatting: list[list[Any]] = json_field(list)
    status: str = Field(default=ParagraphStatus.OPEN, max_length=16)
    # Compromise text: each span with the proposals it came from ([] for text kept from the base).
    provenance: list[dict[str, Any]] = json_field(list)
    lock_version: int = 1


class ParagraphTag(SQLModel, table=True):
    """A mandate element that a paragraph (in one revision) addresses, confirmed by a person."""

    __tablename__ = "paragraph_tag"
    __table_args__ = (UniqueConstraint("paragraph_version_id", "element_id"),)

    id: int | None = Field(default=None, primary_key=True)
    paragraph_version_id: int = Field(foreign_key="paragraph_version.id", index=True, ondelete="CASCADE")
    element_id: int = Field(foreign_key="mandate_element.id", index=True)
    tagged_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = timestamp_field()


class RenderedView(SQLModel, table=True):
    """A reading view of a published revision, rendered once when it was published (web/sealed.py).

    Derived from what the revision's content hash seals, never a source of truth: the body is
    compressed HTML with slots for what changes around it, and `mac` (an HMAC under the server's
    secret key) lets a reader refuse a body that anyone changed in the database."""

    __tablename__ = "rendered_view"
    # Led by the name: a whole page is found by its name alone (it hashes the state it shows).
    __table_args__ = (UniqueConstraint("name", "revision_id"),)

    id: int | None = Field(default=None, primary_key=True)
    revision_id: int = Field(foreign_key="revision.id", index=True, ondelete="CASCADE")
    # What was rendered: the view, the interface language, the variant ("revision:en:reader").
    name: str = Field(max_length=160)
    body: bytes = Field(sa_type=LargeBinary, nullable=False)
    mac: str = Field(max_length=64)
    created_at: datetime = timestamp_field()
