"""Read models that services hand to the JSON routes and to the web templates alike."""

from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict, field_validator


class Schema(BaseModel):
    """Base of every read model: immutable once built."""

    model_config = ConfigDict(frozen=True)

    @field_validator("*", mode="after")
    @classmethod
    def _times_in_utc(cls, value: object) -> object:
        # SQLite hands back naive datetimes; every time Accord shows is UTC and says so.
        if isinstance(value, datetime) and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


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
    # Negotiated paragraphs: headings aside, as agreement progress counts them.
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


class ProvenanceSpan(Schema):
    """A span of compromise text and the proposals it came from (none: base or co-facilitators' text)."""

    text: str
    sources: list[str]


class ParagraphView(Schema):
    """A paragraph as it stands in one revision."""

    key: str
    eid: str
    wid: str
    part: str
    section: str | None
    kind: str
    number: str | None
    citation: str | None  # the number as negotiators cite it: "Art. 3.8(b)(i)", "para. 12bis"
    text: str
    footnotes: list[Footnote]
    status: str
    elements: list[str]
    provenance: list[ProvenanceSpan]
    lock_version: int
    # Emphasis beside the words: [start, end, "em" | "strong"] over `text` (an import keeps the draft's).
    formatting: list[tuple[int, int, str]] = []
    # Preambular (PP1 …) rather than operative; sealed with the revision's numbering, not per paragraph.
    preambular: bool = False


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


class RedlineOp(Schema):
    """One operation of a redline: equal, insert or delete, with its text."""

    kind: str
    text: str


class CoSponsorView(Schema):
    """A co-sponsoring delegation, with when it joined and (perhaps) left."""

    delegation: str
    joined_at: datetime
    withdrawn_at: datetime | None


class RulingView(Schema):
    """A co-facilitator's ruling."""

    id: int
    decision: str
    reason: str
    text: str | None
    ruled_by: str
    ruled_at: datetime
    reflected_in: str | None
    # Accepted with changes: the redline from the proposal's text to the co-facilitators' text.
    changes: list[RedlineOp] = []


class DelegationNames(Schema):
    """A delegation's or group's name in both interface languages (its code is the data)."""

    name_en: str
    name_zh: str


class ProposalView(Schema):
    """A proposal with its redline against its base text."""

    id: int
    process: str
    action: str
    paragraph_key: str
    paragraph_number: str | None
    base_revision: str  # the revision it now amends (carried proposals move to the new one)
    tabled_on: str  # the revision it was tabled on
    base_text: str
    text: str
    justification: str
    sponsor: str
    on_behalf_of: str | None
    on_behalf_of_names: DelegationNames | None = None  # what readers see instead of the code
    author: str
    cosponsors: list[CoSponsorView]
    state: str
    rebase_status: str | None
    rebase_note: str
    created_at: datetime
    updated_at: datetime
    lock_version: int
    redline: list[RedlineOp]
    rulings: list[RulingView]


class RulingOutcome(Schema):
    """A ruling and what it did to the working copy (an acceptance that does not merge is refused)."""

    proposal: ProposalView
    applied: bool
    working_text: str | None


class CarriedProposal(Schema):
    """What a new revision did to a pending proposal."""

    id: int
    sponsor: str
    outcome: str
    note: str
    text_sha256: str


class PublishReport(Schema):
    """The outcome of publishing: the new revision, the rulings it reflects, and the pending proposals."""

    revision: RevisionSummary
    rulings_reflected: list[int]
    # Acceptances whose wording this revision does not hold: they are not marked as reflected.
    rulings_not_reflected: list[int]
    proposals: list[CarriedProposal]


class Renumbered(Schema):
    """A paragraph that publication numbers again: 12bis becomes 13."""

    key: str
    number: str | None
    former_number: str | None


class PublishPreview(Schema):
    """What publishing the working copy now would do to each pending proposal (nothing is changed)."""

    label: str
    renumbered: list[Renumbered] = []
    proposals: list[CarriedProposal]
    carried: int
    needs_attention: int
    superseded: int


class ImportedParagraph(Schema):
    """One paragraph of an imported draft and the paragraph of the previous revision it continues."""

    index: int
    key: str
    eid: str
    kind: str
    number: str | None
    citation: str | None
    text: str
    # Preambular (PP) rather than operative: read from the text, then as the person reviewing marks it.
    preambular: bool = False
    continues: str | None
    relation: str
    # How sure the engine is of the link: sure, likely, doubtful, or confirmed by a person; None if new.
    confidence: str | None = None
    evidence: list[str] = []
    # Paragraphs of the previous revision nearly as close as the one chosen.
    rivals: list[str] = []
    # Other paragraphs of the previous revision this one also continues (split from, merged with).
    also: list[str] = []
    # The text of the paragraph it continues, as the previous revision had it.
    was: str | None = None


class ImportView(Schema):
    """An imported draft waiting in the working copy for the secretariat to confirm its alignment."""

    process: str
    working_label: str
    previous: str | None
    confirmed: bool
    paragraphs: list[ImportedParagraph]
    deleted: list[str]
    # Indices of the paragraphs to check, most uncertain first: doubtful, likely, split or merged.
    to_check: list[int] = []


class RevisionCheckView(Schema):
    """One published revision's stored and recomputed content hash."""

    label: str
    stored_hash: str | None
    computed_hash: str
    ok: bool
    problem: str | None = None


class SinceView(Schema):
    """Whether an earlier head hash is still in the chain (if not, history was rewritten or truncated)."""

    hash: str
    found: bool
    sequence: int | None


class VerificationView(Schema):
    """The result of recomputing the audit chain, the revisions' hashes and the facts of the record."""

    ok: bool
    events: int
    chain_problem: str | None
    head_hash: str
    head_at: datetime | None = None
    revisions: list[RevisionCheckView]
    record_problems: list[str] = []
    since: SinceView | None = None


class CompilationEntry(Schema):
    """One paragraph of the compilation text: its current wording and every proposal on it, by delegation."""

    key: str
    number: str | None
    kind: str
    text: str
    proposals: list[ProposalView]


class CompilationView(Schema):
    """The compilation text: proposals per paragraph in document order, against the current revision."""

    process: str
    revision: str
    released: bool
    paragraphs: list[CompilationEntry]
