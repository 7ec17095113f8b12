"""Provenance of compromise text: which proposals each span of a paragraph came from."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol


class EditOp(Protocol):
    """An operation of a redline (the engine's Op has this shape)."""

    @property
    def kind(self) -> str: ...

    @property
    def text(self) -> str: ...


@dataclass(frozen=True)
class Span:
    """A stretch of text and the proposals it came from (empty: the base text, or the co-facilitators')."""

    text: str
    sources: tuple[str, ...] = ()


def whole(text: str, sources: Sequence[str] = ()) -> list[Span]:
    """Provenance of a text that came entirely from the given sources."""
    return [Span(text, tuple(sources))] if text else []


def normalise(spans: Iterable[Span]) -> list[Span]:
    """Drop empty spans and join neighbours with the same sources."""
    result: list[Span] = []
    for span in spans:
        if not span.text:
            continue
        if result and result[-1].sources == span.sources:
            result[-1] = Span(result[-1].text + span.text, span.sources)
        else:
            result.append(span)
    return result


def carry(spans: Sequence[Span], ops: Iterable[EditOp], inserted_by: Sequence[str]) -> list[Span]:
    """Provenance after an edit: kept text keeps its sources, inserted text is credited to inserted_by."""
    cursor = _Cursor(list(spans))
    result: list[Span] = []
    for op in ops:
        if op.kind == "insert":
            result.append(Span(op.text, tuple(inserted_by)))
        elif op.kind == "equal":
            result.extend(cursor.take(len(op.text)))
        else:
            cursor.take(len(op.text))
    return normalise(result)


class _Cursor:
    """Walks through spans character by character, splitting a span where an operation ends inside it."""

    def __init__(self, spans: list[Span]) -> None:
        self.spans = spans
        self.index = 0
        self.offset = 0

    def take(self, count: int) -> list[Span]:
        taken: list[Span] = []
        while count > 0 and self.index < len(self.spans):
            span = self.spans[self.index]
            piece = span.text[self.offset : self.offset + count]
            taken.append(Span(piece, span.sources))
            count -= len(piece)
            self.offset += len(piece)
            if self.offset >= len(span.text):
                self.index, self.offset = self.index + 1, 0
        return taken


def to_json(spans: Sequence[Span]) -> list[dict[str, object]]:
    """Spans as stored with a paragraph version."""
    return [{"text": s.text, "sources": list(s.sources)} for s in spans]


def from_json(rows: Sequence[dict[str, Any]], text: str) -> list[Span]:
    """Spans as stored, or the whole text as base text when nothing (or something stale) is stored."""
    spans = [Span(str(r["text"]), tuple(str(s) for s in r.get("sources", []))) for r in rows]
    if "".join(s.text for s in spans) != text:
        return whole(text)
    return spans
