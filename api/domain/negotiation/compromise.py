"""The merge editor's compromise: who wrote each word of it, and the ruling it makes on each merged proposal.

Provenance is kept per character, then joined into spans: the working copy's words keep their sources,
words a merged proposal brought are credited to it, and only what the co-facilitators typed afterwards is
theirs. A compromise accepts a proposal outright when it says everything the proposal changes; otherwise
it accepts it with changes, the compromise being the co-facilitators' wording.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from api.domain.negotiation.ruling import WORKING, says
from api.domain.negotiation.states import Decision
from api.domain.provenance import Span, normalise
from api.domain.text.merge import merge
from api.domain.text.redline import diff

COFACILITATORS = "co-facilitators"
Sources = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Merged:
    """A proposal merged into the compromise: its provenance label, base text and proposed text."""

    source: str
    base_text: str
    text: str


@dataclass(frozen=True, slots=True)
class CompromiseRuling:
    """The ruling a saved compromise makes on one merged proposal."""

    source: str
    decision: Decision
    text: str | None  # the compromise, when it accepts with changes


def compromise_provenance(
    base_text: str, working: Sequence[Span], proposals: Sequence[Merged], saved: str
) -> list[Span]:
    """Provenance of the saved compromise: merged words keep their proposals, typed words are credited."""
    working_text = "".join(span.text for span in working)
    merged = merge(base_text, [(WORKING, working_text), *((p.source, p.text) for p in proposals)])
    from_merge = [tuple(sorted(s.sources - {WORKING})) for s in merged.spans for _char in s.text]
    kept = _carry([s.sources for s in working for _char in s.text], working_text, merged.text, from_merge)
    return _spans(_carry(kept, merged.text, saved, [(COFACILITATORS,)] * len(saved)), saved)


def compromise_rulings(proposals: Sequence[Merged], saved: str) -> list[CompromiseRuling]:
    """Accepted where the compromise says all a proposal changes; else accepted with the compromise."""
    return [
        CompromiseRuling(p.source, Decision.ACCEPT, None)
        if says(p.base_text, p.text, saved)
        else CompromiseRuling(p.source, Decision.ACCEPT_WITH_CHANGES, saved)
        for p in proposals
    ]


def _carry(before: list[Sources], old: str, new: str, inserted: Sequence[Sources]) -> list[Sources]:
    """Sources per character of new: kept characters keep theirs, inserted ones take inserted[position]."""
    result: list[Sources] = []
    cursor = 0
    for op in diff(old, new).ops:
        if op.kind == "equal":
            result.extend(before[cursor : cursor + len(op.text)])
            cursor += len(op.text)
        elif op.kind == "insert":
            start = len(result)
            result.extend(inserted[start : start + len(op.text)])
        else:
            cursor += len(op.text)
    return result


def _spans(sources: list[Sources], text: str) -> list[Span]:
    return normalise(Span(char, who) for char, who in zip(text, sources, strict=True))
