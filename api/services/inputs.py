"""Validated inputs of the write use cases: what a client may send, with clear limits."""

import re
from datetime import date
from enum import Enum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from api.domain.errors import InvalidInput
from api.domain.limits import MAX_PROPOSALS_PER_REQUEST, MAX_ROW_ID
from api.domain.negotiation import Decision, ParagraphStatus, ProposalAction
from api.domain.notifications import Delivery
from api.domain.text_input import check_no_control_characters, without_invisible_characters

MAX_TEXT = 20_000
MAX_REASON = 5_000


class Input(BaseModel):
    """Base of every input: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: object) -> object:
        if isinstance(value, str) and not isinstance(value, Enum):  # an enum member is one of our own names
            try:
                check_no_control_characters(value, "text")
            except InvalidInput as error:
                raise ValueError(error.message) from None
            return without_invisible_characters(value).strip()
        return value


class ProposalInput(Input):
    """A proposal to table: amend a paragraph, insert one after it, or delete it."""

    paragraph_key: str = Field(min_length=1, max_length=64)
    action: ProposalAction
    text: str = Field(default="", max_length=MAX_TEXT)
    justification: str = Field(default="", max_length=MAX_REASON)
    on_behalf_of: str | None = Field(default=None, max_length=32)


class ProposalEdit(Input):
    """The sponsor's edit of a proposal not yet ruled on; lock_version guards against stale edits."""

    text: str | None = Field(default=None, max_length=MAX_TEXT)
    justification: str | None = Field(default=None, max_length=MAX_REASON)
    lock_version: int


class RulingInput(Input):
    """A co-facilitator's ruling; accept_with_changes carries the co-facilitators' text."""

    decision: Decision
    reason: str = Field(min_length=1, max_length=MAX_REASON)
    text: str | None = Field(default=None, max_length=MAX_TEXT)


class BulkRulingInput(Input):
    """One decision and one reason on several proposals (accepting with changes takes each its own text)."""

    proposals: list[Annotated[int, Field(ge=1, le=MAX_ROW_ID)]] = Field(
        min_length=1, max_length=MAX_PROPOSALS_PER_REQUEST
    )
    decision: Decision
    reason: str = Field(min_length=1, max_length=MAX_REASON)


class ParagraphEdit(Input):
    """An edit of one paragraph of the working copy (any field left out stays as it is)."""

    text: str | None = Field(default=None, max_length=MAX_TEXT)
    status: ParagraphStatus | None = None
    elements: list[str] | None = Field(default=None, max_length=64)
    # A preambular paragraph (numbered PP1 … at publication) or an operative one (1 …).
    preambular: bool | None = None
    lock_version: int


class PublishInput(Input):
    """Publishing the working copy as the next revision."""

    label: str = Field(min_length=1, max_length=64, pattern=r"^[^/?#%\\\n]+$")
    summary: str = Field(default="", max_length=MAX_REASON)
    document_date: date | None = None

    @field_validator("label")
    @classmethod
    def _not_a_working_copy_label(cls, label: str) -> str:
        if label.lower().startswith("working copy"):
            raise ValueError("'Working copy …' names the revision in preparation; choose another label")
        return label


class ImportReview(BaseModel):
    """What a person settled in the import review beyond re-pointing: splits, merges, confirmed links."""

    model_config = ConfigDict(extra="forbid")

    # {index: old key}: this paragraph is a further part of that old paragraph (split).
    splits: dict[int, str] = {}
    # {index: [old keys]}: this paragraph also continues these old paragraphs (merge).
    merges: dict[int, list[str]] = {}
    # Indices whose proposed link a person checked and kept.
    confirmed: list[int] = []
    # Indices of the preambular paragraphs (every other one operative); None keeps the marks read from
    # the text.
    preambular: list[int] | None = None


_PLAIN_ADDRESS = re.compile(r"[^@\s<>,;\"']+@[^@\s<>,;\"']+\.[^@\s<>,;\"'.]+")


class NotificationChoices(Input):
    """What a person follows by default and how notifications reach them by mail."""

    own_proposals: bool = True
    email: str = Field(default="", max_length=254)
    delivery: Delivery = Delivery.NONE

    @field_validator("email")
    @classmethod
    def _one_plain_address(cls, value: str) -> str:
        # One plain address: no display name, no list (it goes into a To header as it is).
        if value and not _PLAIN_ADDRESS.fullmatch(value):
            raise ValueError("give one email address, such as name@example.org")
        return value


class WatchInput(Input):
    """A paragraph of a process to watch, or the whole process when no paragraph is given."""

    process: str = Field(min_length=1, max_length=64)
    paragraph: str | None = Field(default=None, min_length=1, max_length=64)


class MarkRead(Input):
    """Notifications to mark read: the given ids, or all of them when none are given."""

    ids: list[Annotated[int, Field(ge=1, le=MAX_ROW_ID)]] | None = Field(default=None, max_length=1000)
