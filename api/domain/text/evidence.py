"""What supports each link of an alignment, and how sure it is.

A link is only as good as its evidence: the share of wording the two paragraphs have in common (weighted
by rarity, so boilerplate counts little), whether they keep a sentence verbatim, whether they stand at the
same place in the structure (same number, same heading), and whether another paragraph would have been
almost as good a partner (then the link is ambiguous). The confidence says what a caller may do with it:

- `sure`: the paragraph is certainly the same one; a proposal may be carried over it.
- `likely`: probably right, but a person should confirm it before anything is carried across it.
- `doubtful`: ambiguous or weak; shown first in the import review.
"""

import itertools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from api.domain.text.tokens import content_tokens, shared_ends

Confidence = Literal["sure", "likely", "doubtful"]
LinkRelation = Literal["unchanged", "modified", "moved", "moved_modified", "split", "merged"]
# A feature held by more paragraphs than this is boilerplate: it never makes two paragraphs candidates.
_COMMON = 40
# Below this many words a text says too little for its likeness alone to be proof.
_SHORT = 4
SURE_SIMILARITY = 0.5
LIKELY_SIMILARITY = 0.3
# A rival within this much likeness of the chosen partner makes the link ambiguous.
_RIVAL_MARGIN = 0.1
_SENTENCE_END = re.compile(r"(?<=[.;:。；])\s+")
_VERBATIM_WORDS = 8


@dataclass(frozen=True, slots=True)
class LinkEvidence:
    """One link of an alignment (old paragraphs → new paragraphs) with what supports it."""

    old: tuple[int, ...]
    new: tuple[int, ...]
    relation: LinkRelation
    similarity: float
    confidence: Confidence
    reasons: tuple[str, ...]
    # Paragraphs of the new (and old) revision nearly as like as the chosen partner.
    rivals_new: tuple[int, ...] = ()
    rivals_old: tuple[int, ...] = ()

    def to_json(self) -> dict[str, object]:
        """The evidence as plain data (0-based indices)."""
        return {
            "old": list(self.old),
            "new": list(self.new),
            "relation": self.relation,
            "similarity": round(self.similarity, 3),
            "confidence": self.confidence,
            "reasons": list(self.reasons),
            "rivals_new": list(self.rivals_new),
            "rivals_old": list(self.rivals_old),
        }


def features(text: str) -> frozenset[str]:
    """Pairs of neighbouring words (or CJK characters) of a paragraph, case-folded; one word alone."""
    tokens = content_tokens(text.casefold())
    if len(tokens) < 2:
        return frozenset(tokens)
    return frozenset(map("\x1f".join, itertools.pairwise(tokens)))


def words(text: str) -> list[str]:
    """The words (or CJK characters) of a text, without punctuation or emphasis marks."""
    return [token for token in content_tokens(text) if any(c.isalnum() for c in token)]


def sentences(text: str) -> list[str]:
    """The long sentences (or clauses) of a paragraph, case-folded with white space collapsed."""
    found = []
    for sentence in _SENTENCE_END.split(text):
        words = content_tokens(sentence.casefold())
        if len(words) >= _VERBATIM_WORDS:
            found.append(" ".join(words))
    return found


class Likeness:
    """Weighted likeness of any old paragraph to any new one, over the whole of both revisions."""

    def __init__(self, old: Sequence[str], new: Sequence[str]) -> None:
        self.old_texts, self.new_texts = old, new
        self.old = [features(text) for text in old]
        self.new = [features(text) for text in new]
        counts: Counter[str] = Counter()
        for group in (*self.old, *self.new):
            counts.update(group)
        total = len(old) + len(new)
        self.weights = {feature: math.log(1 + total / count) for feature, count in counts.items()}
        self.old_mass = [self.mass(group) for group in self.old]
        self.new_mass = [self.mass(group) for group in self.new]
        self._old_holders = self._holders(self.old)
        self._new_holders = self._holders(self.new)

    def mass(self, group: frozenset[str]) -> float:
        """The weight of a set of features."""
        return sum(self.weights.get(feature, 0.0) for feature in group)

    @staticmethod
    def _holders(groups: Sequence[frozenset[str]]) -> dict[str, list[int]]:
        holders: dict[str, list[int]] = defaultdict(list)
        for index, group in enumerate(groups):
            for feature in group:
                holders[feature].append(index)
        return holders

    def similarity(self, i: int, j: int) -> float:
        """Weighted Dice likeness of old paragraph i and new paragraph j (1.0 for the same words)."""
        shared = self.mass(self.old[i] & self.new[j])
        total = self.old_mass[i] + self.new_mass[j]
        by_features = 2 * shared / total if total else float(self.old_texts[i] == self.new_texts[j])
        longest = max(len(self.old_texts[i]), len(self.new_texts[j]))
        by_ends = shared_ends(self.old_texts[i], self.new_texts[j]) / longest if longest else 1.0
        return max(by_features, by_ends)

    def contained(self, i: int, j: int, part_is_new: bool) -> float:
        """How much of the part (new j, or old i) is found in the other paragraph."""
        shared = self.mass(self.old[i] & self.new[j])
        whole = self.new_mass[j] if part_is_new else self.old_mass[i]
        return shared / whole if whole else 0.0

    def candidates_new(self, i: int) -> set[int]:
        """New paragraphs sharing a not too common feature with old paragraph i."""
        return {
            j
            for f in self.old[i]
            for j in self._new_holders.get(f, ())
            if len(self._new_holders[f]) <= _COMMON
        }

    def candidates_old(self, j: int) -> set[int]:
        """Old paragraphs sharing a not too common feature with new paragraph j."""
        return {
            i
            for f in self.new[j]
            for i in self._old_holders.get(f, ())
            if len(self._old_holders[f]) <= _COMMON
        }


def pair_evidence(
    likeness: Likeness,
    i: int,
    j: int,
    relation: LinkRelation,
    same_place: bool | None,
    neighbours_agree: bool = False,
) -> LinkEvidence:
    """The evidence for a one-to-one link: likeness, rivals, structure."""
    same_text = relation in ("unchanged", "moved")
    similarity = 1.0 if same_text else likeness.similarity(i, j)
    needed = 0.9 if same_text else max(SURE_SIMILARITY, similarity - _RIVAL_MARGIN)
    rivals_new = tuple(
        sorted(k for k in likeness.candidates_new(i) if k != j and likeness.similarity(i, k) >= needed)
    )
    rivals_old = tuple(
        sorted(k for k in likeness.candidates_old(j) if k != i and likeness.similarity(k, j) >= needed)
    )
    reasons = [_likeness_reason(relation, similarity)]
    verbatim = not same_text and bool(
        set(sentences(likeness.old_texts[i])) & set(sentences(likeness.new_texts[j]))
    )
    if verbatim:
        reasons.append("keeps a sentence word for word")
    if same_place is True:
        reasons.append("same number in the same part of the text")
    elif same_place is False:
        reasons.append("numbered differently")
    if neighbours_agree:
        reasons.append("the paragraphs around it continue the ones around the old one")
    short = len(words(likeness.new_texts[j])) < _SHORT
    if rivals_new or rivals_old:
        reasons.append("another paragraph is nearly as close")
        # Neighbours settle which of two identical texts is which; for two similar ones they only hint.
        confidence: Confidence = ("sure" if same_text else "likely") if neighbours_agree else "doubtful"
    elif same_text or (similarity >= SURE_SIMILARITY and not short):
        confidence = "sure"
    elif similarity >= LIKELY_SIMILARITY or verbatim or same_place:
        confidence = "likely"
    else:
        confidence = "doubtful"
    if short and not same_text:
        reasons.append("a short text: little to compare")
    return LinkEvidence((i,), (j,), relation, similarity, confidence, tuple(reasons), rivals_new, rivals_old)


def parts_evidence(likeness: Likeness, old: tuple[int, ...], new: tuple[int, ...]) -> LinkEvidence:
    """The evidence for a split (one old, several new) or a merge (several old, one new)."""
    split = len(old) == 1
    pieces = new if split else old
    shares = [
        likeness.contained(old[0] if split else piece, piece if split else new[0], part_is_new=split)
        for piece in pieces
    ]
    low = min(shares)
    what = "split into" if split else "merged from"
    reasons = (
        f"{what} {len(pieces)} paragraphs, each mostly made of the other's words ({low:.0%} at least)",
    )
    confidence: Confidence = "likely" if low >= SURE_SIMILARITY else "doubtful"
    return LinkEvidence(old, new, "split" if split else "merged", low, confidence, reasons)


def heir(likeness: Likeness, old: tuple[int, ...], new: tuple[int, ...]) -> int:
    """Of a split's parts (or a merge's sources), the one carrying most of the text: it keeps the identity."""
    if len(old) == 1:
        return max(new, key=lambda j: (likeness.mass(likeness.old[old[0]] & likeness.new[j]), -j))
    return max(old, key=lambda i: (likeness.mass(likeness.old[i] & likeness.new[new[0]]), -i))


def _likeness_reason(relation: LinkRelation, similarity: float) -> str:
    if relation == "unchanged":
        return "same text"
    if relation == "moved":
        return "same text, moved"
    where = ", moved" if relation == "moved_modified" else ""
    return f"shares {similarity:.0%} of its wording{where}"


def verbatim_pairs(
    old: Sequence[str], new: Sequence[str], olds: Sequence[int], news: Sequence[int]
) -> list[tuple[int, int]]:
    """Unpaired old and new paragraphs that keep one long sentence word for word, found nowhere else."""
    where_old: dict[str, set[int]] = defaultdict(set)
    for i, text in enumerate(old):
        for sentence in sentences(text):
            where_old[sentence].add(i)
    where_new: dict[str, set[int]] = defaultdict(set)
    for j, text in enumerate(new):
        for sentence in sentences(text):
            where_new[sentence].add(j)
    free_old, free_new = set(olds), set(news)
    found: dict[int, set[int]] = defaultdict(set)
    for sentence, holders in where_new.items():
        sources = where_old.get(sentence, set())
        if len(holders) == 1 and len(sources) == 1:
            (j,), (i,) = holders, sources
            if i in free_old and j in free_new:
                found[j].add(i)
    pairs = [(next(iter(sources)), j) for j, sources in found.items() if len(sources) == 1]
    taken: Counter[int] = Counter(i for i, _ in pairs)
    return sorted((i, j) for i, j in pairs if taken[i] == 1)
