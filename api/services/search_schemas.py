"""Read models of a search: paragraphs of revisions, proposals and rulings, each with its hits marked."""

from datetime import datetime
from typing import Literal

from api.services.schemas import Schema

ProposalField = Literal["text", "justification"]
RulingField = Literal["reason", "text"]


class Fragment(Schema):
    """A piece of an excerpt; `hit` marks what the search found."""

    text: str
    hit: bool


class ParagraphHit(Schema):
    """A paragraph of one revision that holds every term."""

    revision: str
    revision_sequence: int
    revision_state: str
    key: str
    part: str
    number: str | None
    kind: str
    status: str
    excerpt: list[Fragment]


class NumberedParagraph(Schema):
    """A paragraph whose number is the one the query cites (in the latest revision searched)."""

    revision: str
    key: str
    number: str
    part: str


class ProposalHit(Schema):
    """A proposal whose text or justification holds every term, as the reader may see it."""

    id: int
    paragraph_key: str
    paragraph_number: str | None
    base_revision: str
    action: str
    state: str
    sponsor: str
    on_behalf_of: str | None
    found_in: ProposalField
    excerpt: list[Fragment]


class RulingHit(Schema):
    """A ruling whose reason (or the co-facilitators' wording) holds every term."""

    id: int
    proposal_id: int
    paragraph_key: str
    decision: str
    ruled_at: datetime
    found_in: RulingField
    excerpt: list[Fragment]


class SearchResults(Schema):
    """What a search found in one process, in the places the reader may see; each list capped at `limit`."""

    process: str
    query: str
    # The terms as understood: "order…" matches every word beginning with "order".
    terms: list[str]
    revision: str | None
    limit: int
    numbered: list[NumberedParagraph]
    paragraphs: list[ParagraphHit]
    paragraph_count: int
    proposals: list[ProposalHit]
    proposal_count: int
    # False while the compilation is not released to this reader: then no proposal or ruling is searched.
    proposals_searched: bool
    rulings: list[RulingHit]
    ruling_count: int
