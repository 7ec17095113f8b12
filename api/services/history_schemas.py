"""Read models of the observers' views: compare, paragraph lineage, mandate coverage, agreement progress."""

from datetime import datetime
from typing import Literal

from api.services.schemas import DelegationNames, RedlineOp, RevisionSummary, Schema

# status_changed: the same text in the same place, with a new status (e.g. it became agreed ad ref).
ChangeKind = Literal[
    "unchanged",
    "status_changed",
    "modified",
    "moved",
    "moved_and_modified",
    "inserted",
    "deleted",
    "split",
    "merged",
]
LineageRelation = Literal["split_from", "merged_from", "split_into", "merged_into"]


class RevisionRef(Schema):
    """A revision named by its label and place in the sequence."""

    label: str
    sequence: int
    state: str
    published_at: datetime | None


# --- compare two revisions --------------------------------------------------------------------------


class ParagraphChange(Schema):
    """What became of one paragraph between two revisions; the redline turns the old text into the new."""

    key: str
    change: ChangeKind
    old_number: str | None
    new_number: str | None
    # The number publication replaced in the newer revision ("12bis" of what it issued as 13).
    former_number: str | None = None
    old_position: int | None
    new_position: int | None
    # For split and merged paragraphs: the keys of the paragraphs of the older revision they came from.
    came_from: list[str]
    redline: list[RedlineOp]
    # The status of the paragraph in each revision (None on the side where it does not stand).
    old_status: str | None = None
    new_status: str | None = None


class ChangeCounts(Schema):
    """How many paragraphs changed in each way."""

    unchanged: int = 0
    status_changed: int = 0
    modified: int = 0
    moved: int = 0
    moved_and_modified: int = 0
    inserted: int = 0
    deleted: int = 0
    split: int = 0
    merged: int = 0


class RevisionComparison(Schema):
    """Two revisions side by side: every paragraph of either, in the order of the newer text."""

    process: str
    from_revision: RevisionSummary
    to_revision: RevisionSummary
    summary: ChangeCounts
    paragraphs: list[ParagraphChange]


# --- a paragraph's lineage ----------------------------------------------------------------------------


class Appearance(Schema):
    """A paragraph as it stood in one revision, with the redline against its previous appearance."""

    revision: RevisionRef
    number: str | None
    # The number it bore before this revision's publication renumbered it ("12bis").
    former_number: str | None = None
    position: int
    part: str
    section: str | None
    kind: str
    text: str
    status: str
    elements: list[str]
    # A bracket over several paragraphs that covers this one: the paragraphs it opens and closes in.
    bracket_opened_in: str | None = None
    bracket_closed_in: str | None = None
    # None on the first appearance.
    previous_revision: str | None
    changed: bool
    redline: list[RedlineOp]


class LineageLink(Schema):
    """A split or merge that ties this paragraph to another, recorded in one revision."""

    revision: str
    relation: LineageRelation
    key: str


class RulingRecord(Schema):
    """A co-facilitator's decision on a proposal."""

    decision: str
    reason: str
    ruled_at: datetime


class ProposalRecord(Schema):
    """A proposal made on the paragraph, with the rulings on it."""

    id: int
    action: str
    sponsor: str
    on_behalf_of: str | None
    on_behalf_of_names: DelegationNames | None = None  # what readers see instead of the code
    state: str
    base_revision: str
    created_at: datetime
    rulings: list[RulingRecord]


class ParagraphHistory(Schema):
    """Everything that happened to one paragraph across the revisions the reader may see."""

    process: str
    key: str
    wid: str
    appearances: list[Appearance]
    lineage: list[LineageLink]
    # False while the compilation of proposals is not released to this reader (and `proposals` is empty).
    proposals_visible: bool
    proposals: list[ProposalRecord]
    # The proposal whose accepted insertion created the paragraph, when the reader may see it.
    inserted_by: int | None = None


# --- mandate coverage ---------------------------------------------------------------------------------


class ParagraphRef(Schema):
    """A paragraph named by its key and its number in one revision."""

    key: str
    number: str | None


class ElementCoverage(Schema):
    """One mandate element and the paragraphs tagged with it."""

    code: str
    label: str
    text: str
    covered: bool
    paragraphs: list[ParagraphRef]


class RevisionCoverage(Schema):
    """How a revision covers the mandate, element by element."""

    process: str
    revision: RevisionSummary
    elements: list[ElementCoverage]
    covered_count: int
    element_count: int
    # Negotiated paragraphs (headings aside), and how many of them a person tagged with any element:
    # with none tagged the revision is "not tagged", which says nothing of what it covers.
    paragraph_count: int
    tagged_paragraph_count: int


class ReworkedParagraph(Schema):
    """A paragraph addressing an element whose text changed between two revisions."""

    key: str
    old_number: str | None
    new_number: str | None
    redline: list[RedlineOp]


class ReworkedElement(Schema):
    """An element covered in both revisions whose paragraphs were reworded."""

    code: str
    label: str
    paragraphs: list[ReworkedParagraph]


class CoverageComparison(Schema):
    """Elements gained, lost and reworded from one revision to another."""

    process: str
    from_revision: RevisionSummary
    to_revision: RevisionSummary
    # Gained: the paragraphs of the newer revision that cover it; lost: those of the older that did.
    gained: list[ElementCoverage]
    lost: list[ElementCoverage]
    reworded: list[ReworkedElement]


class ElementCounts(Schema):
    """One row of the coverage matrix: paragraphs tagged with the element, per revision."""

    code: str
    label: str
    counts: list[int]


class CoverageMatrix(Schema):
    """Elements × published revisions → number of paragraphs tagged (revisions in sequence order)."""

    process: str
    revisions: list[RevisionRef]
    elements: list[ElementCounts]
    # Per revision: how many elements have at least one paragraph.
    covered: list[int]
    element_count: int
    # Per revision: negotiated paragraphs (headings aside), and those tagged with at least one element.
    paragraph_counts: list[int]
    tagged_counts: list[int]


# --- agreement progress -------------------------------------------------------------------------------


class StatusCounts(Schema):
    """Paragraphs by status; a paragraph holding brackets counts as bracketed whatever was declared."""

    open: int = 0
    bracketed: int = 0
    agreed_ad_ref: int = 0
    agreed: int = 0


class ProgressTally(Schema):
    """Brackets and statuses over a set of paragraphs (headings carry no status and are not counted)."""

    paragraph_count: int
    statuses: StatusCounts
    # Paragraphs agreed or agreed ad ref, over all paragraphs.
    share_agreed: float
    bracket_segments: int
    bracketed_chars: int
    total_chars: int


class SectionProgress(Schema):
    """The tally of one part and section of a revision."""

    part: str
    section: str | None
    tally: ProgressTally


class RevisionProgress(Schema):
    """The tally of one published revision, whole and per part and section."""

    revision: RevisionRef
    tally: ProgressTally
    sections: list[SectionProgress]


class AgreementProgress(Schema):
    """Agreement progress across the published revisions, in sequence order."""

    process: str
    revisions: list[RevisionProgress]
