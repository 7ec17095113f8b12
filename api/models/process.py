"""A negotiation process and its mandate (the elements it must cover)."""

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from api.models.base import timestamp_field


class Process(SQLModel, table=True):
    """One negotiation (gcm, gcr, nyd) with its titles and working language."""

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=32, unique=True)
    title_en: str = Field(max_length=300)
    title_zh: str = Field(max_length=300)
    language: str = Field(max_length=16)
    symbol: str | None = Field(default=None, max_length=64)
    # How a revision's symbol is written, its label in place of {label}: "A/CONF.231/PC/{label}".
    symbol_pattern: str | None = Field(default=None, max_length=128)
    description_en: str = Field(default="")
    note_en: str = Field(default="")
    # Delegations always see the compilation; observers only once the co-facilitators release it.
    compilation_released_at: datetime | None = timestamp_field(nullable=True)
    created_at: datetime = timestamp_field()


class Mandate(SQLModel, table=True):
    """The list of elements a process must address (GCM: Annex II para 8 (a)–(x))."""

    id: int | None = Field(default=None, primary_key=True)
    process_id: int = Field(foreign_key="process.id", unique=True, ondelete="CASCADE")
    title_en: str = Field(max_length=300)
    source: str = Field(max_length=300)


class MandateElement(SQLModel, table=True):
    """One element of a mandate: official text, plus our own unofficial English label."""

    __tablename__ = "mandate_element"
    __table_args__ = (UniqueConstraint("mandate_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    mandate_id: int = Field(foreign_key="mandate.id", index=True, ondelete="CASCADE")
    code: str = Field(max_length=8)
    position: int
    text: str
    text_language: str = Field(max_length=16)
    label: str = Field(max_length=200)
    label_official: bool = False
