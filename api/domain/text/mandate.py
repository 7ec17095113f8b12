"""Suggesting which mandate elements a paragraph addresses, for people to confirm, with the reasons why.

Features work alike for Chinese and English and need no word lists: bigrams of CJK characters (most
Chinese words are one or two characters) and the stems of Latin or Cyrillic words of four letters or more
(shorter ones, "the", "and", "of", carry no topic; api.domain.text.search.stem: "migrants" and "migrant"
are one feature). A feature weighs by how rare it is among the mandate's elements (what every element says,
"migration", "国家", counts little) and, when the rest of the text is given, by how rare it is among its
paragraphs; paragraph and element are compared by cosine similarity.

Only suggestions scoring at least SUGGESTION_THRESHOLD are made: at that score the measured precision is
about seven in ten (docs/ENGINE.md, "Element suggestions"; bench/data/element_tags_truth.json). Below it
the engine says nothing rather than guess: a paragraph with no suggestion is for a person to tag.
"""

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from api.domain.text.search import stem
from api.domain.text.tokens import fold

SUGGESTION_THRESHOLD = 0.08
MIN_WORD = 4
_WORD = re.compile(r"[^\W\d_]+")
_CJK_RUN = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f]+"
)


@dataclass(frozen=True)
class Suggestion:
    """An element a paragraph likely addresses: its score (0..1) and the paragraph's words that share it."""

    code: str
    score: float
    reasons: tuple[str, ...]


def features(text: str) -> Counter[str]:
    """The features of a text: CJK bigrams (single characters alone) and stems of words of 4+ letters."""
    return Counter(feature for feature, _surface in _features(text))


def _features(text: str) -> list[tuple[str, str]]:
    """Each feature with the text it came from (the word as written, or the two characters)."""
    folded = fold(text)
    found: list[tuple[str, str]] = []
    for run in _CJK_RUN.findall(folded):
        grams = [run] if len(run) == 1 else [run[k : k + 2] for k in range(len(run) - 1)]
        found.extend((gram, gram) for gram in grams)
    for word in _WORD.findall(_CJK_RUN.sub(" ", text)):
        if len(word) >= MIN_WORD:
            found.append((stem(word), word))
    return found


class Suggester:
    """Scores paragraphs against a mandate's elements (code, wording), optionally within their text."""

    def __init__(self, elements: Sequence[tuple[str, str]], corpus: Sequence[str] = ()) -> None:
        self.codes = [code for code, _wording in elements]
        self.element_features = [features(wording) for _code, wording in elements]
        presence: Counter[str] = Counter()
        for found in self.element_features:
            presence.update(found.keys())
        self.element_rarity = {f: math.log(1 + len(elements) / n) for f, n in presence.items()}
        self.unseen = math.log(1 + max(len(elements), 1))
        spread: Counter[str] = Counter()
        for paragraph in corpus:
            spread.update(features(paragraph).keys())
        self.spread, self.paragraphs = spread, len(corpus)

    def weight(self, feature: str) -> float:
        """Rare among the elements, and (with a corpus) rare among the paragraphs of the text."""
        among_elements = self.element_rarity.get(feature, self.unseen)
        if not self.paragraphs:
            return among_elements
        return among_elements * math.log(1 + self.paragraphs / max(self.spread.get(feature, 0), 1))

    def suggest(self, text: str, limit: int = 5, threshold: float = SUGGESTION_THRESHOLD) -> list[Suggestion]:
        """The elements the paragraph likely addresses, best first, each scoring at least `threshold`."""
        surfaces = _features(text)
        counts = Counter(feature for feature, _surface in surfaces)
        paragraph = {feature: self.weight(feature) * n for feature, n in counts.items()}
        if limit <= 0 or not any(paragraph.values()):
            return []
        found = []
        for code, element in zip(self.codes, self.element_features, strict=True):
            weighted = {feature: self.weight(feature) * n for feature, n in element.items()}
            score, shared = _cosine(paragraph, weighted)
            if shared and score >= threshold:
                reasons = _reasons(text, surfaces, sorted(shared, key=lambda f: -weighted[f]))
                found.append(Suggestion(code, round(score, 4), reasons))
        found.sort(key=lambda suggestion: -suggestion.score)
        return found[:limit]


def _cosine(first: dict[str, float], second: dict[str, float]) -> tuple[float, list[str]]:
    """Cosine similarity of two weighted feature sets, and the features they share."""
    shared = [feature for feature in second if feature in first]
    norms = math.sqrt(sum(w * w for w in first.values())) * math.sqrt(sum(w * w for w in second.values()))
    if not shared or not norms:
        return 0.0, []
    return sum(first[f] * second[f] for f in shared) / norms, shared


def _reasons(text: str, surfaces: list[tuple[str, str]], shared: list[str]) -> tuple[str, ...]:
    """The paragraph's words behind the heaviest shared features; Chinese bigrams joined where they touch."""
    words = {feature: surface for feature, surface in reversed(surfaces)}  # the first spelling in the text
    reasons: list[str] = []
    for feature in shared:
        cjk = _CJK_RUN.fullmatch(feature)
        reason = _cjk_phrase(fold(text), feature, set(shared)) if cjk else words[feature]
        if reason not in reasons and not any(reason in known for known in reasons):
            reasons.append(reason)
        if len(reasons) == 3:
            break
    return tuple(reasons)


def _cjk_phrase(text: str, gram: str, shared: set[str]) -> str:
    """The longest stretch of the text around `gram` made of shared bigrams: 持久 → 持久解决办法."""
    at = text.find(gram)
    if at < 0:
        return gram
    start, end = at, at + len(gram)
    while start > 0 and text[start - 1 : start + 1] in shared:
        start -= 1
    while end < len(text) and text[end - 1 : end + 1] in shared:
        end += 1
    return text[start:end]


def suggest_elements(
    text: str, elements: Sequence[tuple[str, str]], limit: int = 5, corpus: Sequence[str] = ()
) -> list[tuple[str, float]]:
    """Rank the elements (code, wording) a paragraph likely addresses: (code, score in 0..1), best first."""
    if not elements:
        return []
    return [(s.code, s.score) for s in Suggester(elements, corpus).suggest(text, limit)]
