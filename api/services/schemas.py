"""Read models that services hand to the JSON routes and to the web templates alike."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict


class Schema(BaseModel):
    """Base of every read model: immutable once built."""

    model_config = ConfigDict(frozen=True)


class ElementView(Schema):
    """One mandate element."""

    code: str
    text: str
    text_language: str
    label: str
    label_official: bool


class RevisionSummary(Schema):
    """A revision without its paragraphs."""

    label: str
    sequence: int
    state: str
    symbol: str | None
    language: str
    document_date: str | None
    published_at: datetime | None
    content_hash: str | None
    summary: str
    paragraph_count: int


class ProcessSummary(Schema):
    """A process as listed to everyone."""

    slug: str
    title_en: str
    title_zh: str
    language: str
    symbol: str | None
    description_en: str
    note_en: str
    element_count: int
    latest_revision: RevisionSummary | None
    compilation_released: bool


class Footnote(Schema):
    """A footnote kept apart from the paragraph text."""

    marker: str
    text: str


class ParagraphView(Schema):
    """A paragraph as it stands in one revision."""

    key: str
    eid: str
    wid: str
    part: str
    section: str | None
    kind: str
    number: str | None
    text: str
    footnotes: list[Footnote]
    status: str
    elements: list[str]
    lock_version: int


class RevisionView(Schema):
    """A whole revision: the process, the revision and its paragraphs in document order."""

    process: ProcessSummary
    revision: RevisionSummary
    paragraphs: list[ParagraphView]
    elements: list[ElementView]


class ProcessOverview(Schema):
    """A process with its revisions and mandate, for its landing page."""

    process: ProcessSummary
    revisions: list[RevisionSummary]
    elements: list[ElementView]
