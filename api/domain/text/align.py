"""Paragraph alignment: which paragraph of one revision became which paragraph of the next.

Revisions imported from files carry no identities, so the mapping is inferred from the text:

1. Paragraphs identical once white space is collapsed are paired; the longest run of such pairs in the
   same order in both revisions is the skeleton ("anchors") that everything else is placed against.
2. Between two neighbouring anchors, the paragraphs left on each side are compared by the words or
   CJK characters they share (single tokens and pairs of neighbouring tokens). A new paragraph made
   mostly of one old paragraph's text is a part of it: two or more such parts are a split. Two or more
   old paragraphs each contained in one new paragraph are a merge. Other pairs are matched one to one,
   most similar first, if they share enough.
3. What is still left is compared across the whole document with stricter thresholds: paragraphs that
   moved, and were perhaps changed on the way.
4. Of all one-to-one pairs, the longest run in the same order stays in place; the others have moved.
"""

from bisect import bisect_left
from collections import defaultdict, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from api.domain.text.tokens import fold, normalise_spaces, tokenise

PairKind = Literal["unchanged", "modified", "moved", "moved_modified"]


@dataclass(frozen=True, slots=True)
class ParagraphPair:
    """One old paragraph that became one new paragraph."""

    old: int
    new: int
    kind: PairKind


@dataclass(frozen=True, slots=True)
class ParagraphSplit:
    """One old paragraph that became several new paragraphs (in new order)."""

    old: int
    new: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class ParagraphMerge:
    """Several old paragraphs (in old order) that became one new paragraph."""

    old: tuple[int, ...]
    new: int


@dataclass(frozen=True, slots=True)
class Alignment:
    """The mapping between two revisions; every paragraph of each side appears exactly once."""

    pairs: tuple[ParagraphPair, ...] = ()
    splits: tuple[ParagraphSplit, ...] = ()
    merges: tuple[ParagraphMerge, ...] = ()
    deleted: tuple[int, ...] = ()
    inserted: tuple[int, ...] = ()

    def to_json(self) -> dict[str, list[object]]:
        """The mapping as the `accord align` JSON contract has it (0-based indices)."""
        return {
            "pairs": [{"old": p.old, "new": p.new, "kind": p.kind} for p in self.pairs],
            "splits": [{"old": s.old, "new": list(s.new)} for s in self.splits],
            "merges": [{"old": list(m.old), "new": m.new} for m in self.merges],
            "deleted": list(self.deleted),
            "inserted": list(self.inserted),
        }


@dataclass(frozen=True, slots=True)
class Thresholds:
    """How much two paragraphs must share to be linked; nearby paragraphs need less than distant ones."""

    near_similarity: float = 0.25
    far_similarity: float = 0.5
    near_part: float = 0.6
    far_part: float = 0.75
    # A split or merge must cover its whole side better than its largest part alone does.
    cover_gain: float = 0.1


DEFAULT_THRESHOLDS = Thresholds()
# Gaps larger than this compare only paragraphs at similar relative positions, to stay near linear.
_WINDOW = 12
# Beyond this many pairs, the whole-document pass looks only at pairs sharing a rare feature.
_ALL_PAIRS_LIMIT = 20_000
_RARE = 4


def align(
    old: Sequence[str], new: Sequence[str], thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> Alignment:
    """Map the paragraphs of two revisions: unchanged, modified, moved, split, merged, inserted, deleted."""
    old_keys = [normalise_spaces(text) for text in old]
    new_keys = [normalise_spaces(text) for text in new]
    exact = _identical_pairs(old_keys, new_keys)
    anchors = _in_order(exact)
    links = _Linker(old_keys, new_keys, thresholds, {i for i, _ in exact}, {j for _, j in exact})
    links.link_gaps(anchors)
    links.link_far()
    return _assemble(old_keys, new_keys, exact, links)


def _identical_pairs(old_keys: Sequence[str], new_keys: Sequence[str]) -> list[tuple[int, int]]:
    """Pair identical paragraphs; repeated texts pair up in order of appearance."""
    positions: dict[str, deque[int]] = defaultdict(deque)
    for index, key in enumerate(old_keys):
        positions[key].append(index)
    pairs = []
    for j, key in enumerate(new_keys):
        queue = positions.get(key)
        if queue:
            pairs.append((queue.popleft(), j))
    return pairs


def _in_order(pairs: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest chain of pairs increasing in both old and new position (patience sorting)."""
    ordered = sorted(pairs, key=lambda pair: pair[1])
    tails: list[int] = []  # old index ending the best chain of each length
    tail_at: list[int] = []  # position in `ordered` of that pair
    previous = [-1] * len(ordered)
    for position, (i, _) in enumerate(ordered):
        length = bisect_left(tails, i)
        if length == len(tails):
            tails.append(i)
            tail_at.append(position)
        else:
            tails[length] = i
            tail_at[length] = position
        previous[position] = tail_at[length - 1] if length else -1
    chain = []
    position = tail_at[-1] if tail_at else -1
    while position >= 0:
        chain.append(ordered[position])
        position = previous[position]
    return chain[::-1]


def _features(text: str) -> frozenset[str]:
    """The words (or CJK characters) of a paragraph and the pairs of neighbouring ones, case-folded."""
    tokens = [token for token in tokenise(fold(text)) if not token.isspace()]
    pairs = [f"{a}\x1f{b}" for a, b in zip(tokens, tokens[1:], strict=False)]
    return frozenset(tokens).union(pairs)


@dataclass
class _Linker:
    """Finds splits, merges and one-to-one pairs among the paragraphs not yet paired."""

    old_keys: Sequence[str]
    new_keys: Sequence[str]
    thresholds: Thresholds
    used_old: set[int]
    used_new: set[int]
    pairs: list[tuple[int, int]] = field(default_factory=list)
    splits: list[tuple[int, tuple[int, ...]]] = field(default_factory=list)
    merges: list[tuple[tuple[int, ...], int]] = field(default_factory=list)
    _old_features: dict[int, frozenset[str]] = field(default_factory=dict)
    _new_features: dict[int, frozenset[str]] = field(default_factory=dict)

    def old_features(self, i: int) -> frozenset[str]:
        if i not in self._old_features:
            self._old_features[i] = _features(self.old_keys[i])
        return self._old_features[i]

    def new_features(self, j: int) -> frozenset[str]:
        if j not in self._new_features:
            self._new_features[j] = _features(self.new_keys[j])
        return self._new_features[j]

    def link_gaps(self, anchors: Sequence[tuple[int, int]]) -> None:
        """Link the paragraphs left between each two neighbouring anchors."""
        bounds = [(-1, -1), *anchors, (len(self.old_keys), len(self.new_keys))]
        for (old_start, new_start), (old_end, new_end) in zip(bounds, bounds[1:], strict=False):
            olds = [i for i in range(old_start + 1, old_end) if i not in self.used_old]
            news = [j for j in range(new_start + 1, new_end) if j not in self.used_new]
            if olds and news:
                self._link(_nearby_pairs(olds, news), near=True)

    def link_far(self) -> None:
        """Link what is left anywhere in the document: moved paragraphs."""
        olds = [i for i in range(len(self.old_keys)) if i not in self.used_old]
        news = [j for j in range(len(self.new_keys)) if j not in self.used_new]
        if not olds or not news:
            return
        if len(olds) * len(news) <= _ALL_PAIRS_LIMIT:
            candidates = [(i, j) for i in olds for j in news]
        else:
            candidates = self._sharing_rare_features(olds, news)
        self._link(candidates, near=False)

    def _sharing_rare_features(self, olds: Sequence[int], news: Sequence[int]) -> list[tuple[int, int]]:
        """Pairs sharing at least one feature that few old paragraphs have."""
        postings: dict[str, list[int]] = defaultdict(list)
        for i in olds:
            for feature in self.old_features(i):
                postings[feature].append(i)
        candidates: set[tuple[int, int]] = set()
        for j in news:
            for feature in self.new_features(j):
                holders = postings.get(feature, ())
                if len(holders) <= _RARE:
                    candidates.update((i, j) for i in holders)
        return sorted(candidates)

    def _link(self, candidates: Iterable[tuple[int, int]], near: bool) -> None:
        shared = self._shared(candidates)
        if not shared:
            return
        limits = self.thresholds
        part = limits.near_part if near else limits.far_part
        self._link_splits(shared, part)
        self._link_merges(shared, part)
        similarity = limits.near_similarity if near else limits.far_similarity
        self._link_one_to_one(shared, similarity)

    def _shared(self, candidates: Iterable[tuple[int, int]]) -> dict[tuple[int, int], int]:
        """Count the features each candidate pair shares, keeping pairs that share any."""
        shared = {}
        for i, j in candidates:
            count = len(self.old_features(i) & self.new_features(j))
            if count:
                shared[(i, j)] = count
        return shared

    def _link_splits(self, shared: dict[tuple[int, int], int], part: float) -> None:
        """An old paragraph whose text makes up most of two or more new paragraphs was split."""
        parts_of = self._best_holders(shared, by_new=True, part=part)
        for i, news in sorted(parts_of.items()):
            if len(news) >= 2 and self._covers(self.old_features(i), [self.new_features(j) for j in news]):
                self.splits.append((i, tuple(sorted(news))))
                self.used_old.add(i)
                self.used_new.update(news)

    def _link_merges(self, shared: dict[tuple[int, int], int], part: float) -> None:
        """Two or more old paragraphs each contained in one new paragraph were merged into it."""
        parts_of = self._best_holders(shared, by_new=False, part=part)
        for j, olds in sorted(parts_of.items()):
            if len(olds) >= 2 and self._covers(self.new_features(j), [self.old_features(i) for i in olds]):
                self.merges.append((tuple(sorted(olds)), j))
                self.used_new.add(j)
                self.used_old.update(olds)

    def _best_holders(self, shared: dict[tuple[int, int], int], by_new: bool, part: float) -> dict[int, list[int]]:
        """Group each paragraph under the paragraph of the other side that contains most of it."""
        best: dict[int, tuple[float, int, int]] = {}
        for (i, j), count in shared.items():
            if i in self.used_old or j in self.used_new:
                continue
            piece, whole = (j, i) if by_new else (i, j)
            size = len(self.new_features(j) if by_new else self.old_features(i))
            candidate = (count / size, count, -whole)  # ties go to the earlier paragraph
            if piece not in best or candidate > best[piece]:
                best[piece] = candidate
        groups: dict[int, list[int]] = defaultdict(list)
        for piece, (contained, _, negative_whole) in best.items():
            if contained >= part:
                groups[-negative_whole].append(piece)
        return groups

    def _covers(self, whole: frozenset[str], parts: Sequence[frozenset[str]]) -> bool:
        """The parts together cover the whole clearly better than the largest part alone."""
        if not whole:
            return False
        together = len(whole & frozenset().union(*parts)) / len(whole)
        alone = max(len(whole & piece) for piece in parts) / len(whole)
        return together >= alone + self.thresholds.cover_gain

    def _link_one_to_one(self, shared: dict[tuple[int, int], int], similarity: float) -> None:
        """Pair the most similar paragraphs first (Dice coefficient of their features)."""
        scored = []
        for (i, j), count in shared.items():
            size = len(self.old_features(i)) + len(self.new_features(j))
            scored.append((2 * count / size, i, j))
        for score, i, j in sorted(scored, key=lambda item: (-item[0], item[1], item[2])):
            if score < similarity:
                break
            if i not in self.used_old and j not in self.used_new:
                self.pairs.append((i, j))
                self.used_old.add(i)
                self.used_new.add(j)


def _nearby_pairs(olds: Sequence[int], news: Sequence[int]) -> list[tuple[int, int]]:
    """All pairs of a small gap; in a large one, only pairs at about the same relative position."""
    if len(olds) * len(news) <= _WINDOW * _WINDOW:
        return [(i, j) for i in olds for j in news]
    ratio = len(news) / len(olds)
    pairs = []
    for a, i in enumerate(olds):
        centre = int(a * ratio)
        for j in news[max(0, centre - _WINDOW) : centre + _WINDOW + 1]:
            pairs.append((i, j))
    return pairs


def _assemble(
    old_keys: Sequence[str], new_keys: Sequence[str], exact: Sequence[tuple[int, int]], links: _Linker
) -> Alignment:
    """Name each pair's kind and list the paragraphs that found no partner."""
    one_to_one = [*exact, *links.pairs]
    staying = set(_in_order(one_to_one))
    pairs = []
    for i, j in sorted(one_to_one, key=lambda pair: pair[1]):
        same = old_keys[i] == new_keys[j]
        if (i, j) in staying:
            kind: PairKind = "unchanged" if same else "modified"
        else:
            kind = "moved" if same else "moved_modified"
        pairs.append(ParagraphPair(i, j, kind))
    used_old = {i for i, _ in one_to_one} | {i for i, _ in links.splits}
    used_old.update(i for olds, _ in links.merges for i in olds)
    used_new = {j for _, j in one_to_one} | {j for _, j in links.merges}
    used_new.update(j for _, news in links.splits for j in news)
    return Alignment(
        pairs=tuple(pairs),
        splits=tuple(ParagraphSplit(i, news) for i, news in sorted(links.splits)),
        merges=tuple(ParagraphMerge(olds, j) for olds, j in sorted(links.merges, key=lambda m: m[1])),
        deleted=tuple(i for i in range(len(old_keys)) if i not in used_old),
        inserted=tuple(j for j in range(len(new_keys)) if j not in used_new),
    )
