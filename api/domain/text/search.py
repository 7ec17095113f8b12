"""Finding words in negotiation texts, alike for Chinese and English, with no word lists or dictionaries.

A query is cut into terms the way the diff cuts text (api.domain.text.tokens). A run of CJK characters
is one term, found wherever the text holds it: Chinese has no spaces between words, so 移民 must match
inside 国际移民 (which is also how a Chinese reader searches). A Latin or Cyrillic word is stemmed by
stripping a common English ending and then matches every word of the text that begins with the stem: "order"
finds "orderly" and "orders" (never "border"), "migrants" finds "migrant". A number matches itself. Every
term must be found (AND). Matching is on folded text (case, full-width forms), and each hit is a span of
the original text, so that it can be highlighted where it stands.
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from api.domain.text.tokens import fold, tokenise, written_without_spaces

TermKind = Literal["characters", "word", "number"]
Fragment = tuple[str, bool]  # a piece of text, and whether it is a hit
# Longest first; a stem keeps at least MIN_STEM letters, so "nation" stays "nation", not "n".
_ENDINGS = (
    *("ations", "ation", "ingly", "edly", "ments", "ment", "ness", "ings", "ing", "ies", "ied"),
    *("ed", "ly", "es", "s"),
)
MIN_STEM = 4
MAX_TERMS = 10
_WORD_PART = re.compile(r"[^\W\d_]+")
# A number with its separators and any suffix: 2030, 70/302, 12bis.
_NUMBER = re.compile(r"\d+(?:[.,:/]\d+)*[^\W_]*")


@dataclass(frozen=True)
class Term:
    """One thing a query looks for: characters (a CJK run), a word stem, or a number."""

    kind: TermKind
    text: str  # folded: the CJK run, the stem or the number

    @property
    def shown(self) -> str:
        """The term as the reader is told it was understood: "order…" for a stem."""
        return f"{self.text}…" if self.kind == "word" else self.text


def stem(word: str) -> str:
    """A folded word without a common English ending: orderly → order, migrants → migrant."""
    folded = fold(word)
    for ending in _ENDINGS:
        if folded.endswith(ending) and len(folded) - len(ending) >= MIN_STEM:
            if ending == "s" and folded.endswith(("ss", "us", "is")):
                return folded  # process, consensus, basis are not plurals
            return folded[: -len(ending)]
    return folded


def parse_query(query: str) -> tuple[Term, ...]:
    """The distinct terms of a query, in order (at most MAX_TERMS); none if it holds no word or character."""
    terms: list[Term] = []
    run = ""
    for token in (*tokenise(query), " "):
        if written_without_spaces(token):
            run += fold(token)
            continue
        if run:
            terms.append(Term("characters", run))
            run = ""
        if _NUMBER.fullmatch(token):
            terms.append(Term("number", fold(token)))
        else:
            terms.extend(Term("word", stem(part)) for part in _WORD_PART.findall(token))
    return tuple(dict.fromkeys(terms))[:MAX_TERMS]


def find_terms(text: str, terms: tuple[Term, ...]) -> list[tuple[int, int]] | None:
    """The spans of text where the terms stand, sorted; None unless every term is found at least once."""
    if not terms:
        return None
    folded = fold(text)
    # Folding keeps the length of nearly every text, and then its spans are the text's own: one pass of
    # a compiled pattern per term. Otherwise (ß → ss, ligatures) each word is folded on its own.
    same_length = len(folded) == len(text)
    spans: list[tuple[int, int]] = []
    for term in terms:
        found = _spans_in_folded(folded, term) if same_length else _spans(text, term)
        if not found:
            return None
        spans.extend(found)
    return _merged(sorted(spans))


def holds_terms(text: str, terms: tuple[Term, ...]) -> bool:
    """Whether the text holds every term (find_terms without the spans: for counting hits)."""
    if not terms:
        return False
    folded = fold(text)
    if len(folded) != len(text):
        return find_terms(text, terms) is not None
    return all(_pattern(term).search(folded) for term in terms)


@lru_cache(maxsize=256)
def _pattern(term: Term) -> re.Pattern[str]:
    """Where a term stands in folded text: a word that begins with the stem, the characters, the number."""
    if term.kind == "word":
        return re.compile(rf"(?<![^\W\d_]){re.escape(term.text)}[^\W\d_]*")
    if term.kind == "number":
        return re.compile(rf"(?<![\w.,:/]){re.escape(term.text)}(?![^\W_]|[.,:/]\d)")
    return re.compile(re.escape(term.text))


def _spans_in_folded(folded: str, term: Term) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _pattern(term).finditer(folded)]


def _spans(text: str, term: Term) -> list[tuple[int, int]]:
    if term.kind == "characters":
        return [(m.start(), m.end()) for m in re.finditer(re.escape(term.text), text, re.IGNORECASE)]
    if term.kind == "number":
        return [(m.start(), m.end()) for m in _NUMBER.finditer(text) if fold(m.group()) == term.text]
    return [(m.start(), m.end()) for m in _WORD_PART.finditer(text) if fold(m.group()).startswith(term.text)]


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def excerpt(text: str, spans: list[tuple[int, int]], width: int = 240) -> list[Fragment]:
    """The text around its first hits, at most about `width` characters, cut into plain and hit pieces."""
    start, end = 0, len(text)
    if len(text) > width:  # a third of the window before the first hit, the rest after it
        start = max(0, (spans[0][0] if spans else 0) - width // 3)
        end = min(len(text), start + width)
        start = max(0, end - width)
        start, end = _at_spaces(text, start, end)
    pieces: list[Fragment] = [("…", False)] if start > 0 else []
    at = start
    for hit_start, hit_end in spans:
        if hit_end <= start or hit_start >= end:
            continue
        hit_start, hit_end = max(hit_start, start), min(hit_end, end)
        if hit_start > at:
            pieces.append((text[at:hit_start], False))
        pieces.append((text[hit_start:hit_end], True))
        at = hit_end
    if at < end:
        pieces.append((text[at:end], False))
    if end < len(text):
        pieces.append(("…", False))
    return pieces


def _at_spaces(text: str, start: int, end: int) -> tuple[int, int]:
    """Move a window's cut ends to the nearest space inside it (within 20 characters), not mid-word."""
    if start > 0 and (space := text.find(" ", start, start + 20)) >= 0:
        start = space + 1
    if end < len(text) and (space := text.rfind(" ", end - 20, end)) >= 0:
        end = space
    return start, end


_CITED_PREFIX = re.compile(
    r"^(?:operative\s+paragraph|paragraph|para\.?|op\.?|art(?:icle|\.)?|§|no\.?|第)\s*(?=\w)", re.IGNORECASE
)
_CITED_SUFFIX = re.compile(r"\s*[段条款]$")


def cited_number(cited: str) -> str:
    """A paragraph number as people cite it, reduced: "OP 12bis" → "12bis", "3.8 (b)" → "3.8(b)"."""
    reduced = _CITED_SUFFIX.sub("", _CITED_PREFIX.sub("", fold(cited).strip()))
    return re.sub(r"\s+", "", reduced).rstrip(".")
