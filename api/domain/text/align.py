"""Paragraph alignment: which paragraph of one revision became which paragraph of the next.

Revisions imported from files carry no identities, so the mapping is inferred from the text:

1. Paragraphs identical once white space is collapsed are paired; the longest run of such pairs in the
   same order in both revisions is the skeleton ("anchors") that everything else is placed against.
2. Between two neighbouring anchors, as many old as new paragraphs left that pairwise share most of
   their beginning and end are paired in order: a light revision needs nothing more.
3. The rest are compared by the pairs of neighbouring words (or CJK characters) they share, weighed by
   rarity. A new paragraph made mostly of one old paragraph's text is a part of it: two or more such
   parts are a split. Two or more old paragraphs each contained in one new paragraph are a merge.
   Other pairs are matched one to one, most similar first: sure pairs between the same anchors, then
   weaker nearby pairs competing with distant ones (moved paragraphs), which need more likeness.
4. Old and new paragraphs still alone that keep a long sentence word for word, found nowhere else, are
   paired (a rewrite, or a move across articles).
5. Of all one-to-one pairs, the longest run in the same order stays in place; the others have moved.
6. Every link gets its evidence and a confidence (evidence.py); a split's identity goes to the part that
   carries most of the text, a merge's to the source that gave most.
"""

import itertools
import math
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from api.domain.text.evidence import (
    Likeness,
    LinkEvidence,
    heir,
    pair_evidence,
    parts_evidence,
    verbatim_pairs,
    words,
)
from api.domain.text.evidence import features as _features
from api.domain.text.tokens import normalise_spaces, shared_ends

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
    # The part carrying most of the old text: it keeps the paragraph's identity.
    heir: int | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class ParagraphMerge:
    """Several old paragraphs (in old order) that became one new paragraph."""

    old: tuple[int, ...]
    new: int
    # The source that gave most of the new text: its identity continues.
    heir: int | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Alignment:
    """The mapping between two revisions; every paragraph of each side appears exactly once."""

    pairs: tuple[ParagraphPair, ...] = ()
    splits: tuple[ParagraphSplit, ...] = ()
    merges: tuple[ParagraphMerge, ...] = ()
    deleted: tuple[int, ...] = ()
    inserted: tuple[int, ...] = ()
    # One entry per link (pair, split, merge), in the order of its first new paragraph.
    evidence: tuple[LinkEvidence, ...] = field(default=(), compare=False)

    def to_json(self) -> dict[str, list[object]]:
        """The mapping as the `accord align` JSON contract has it (0-based indices)."""
        return {
            "pairs": [{"old": p.old, "new": p.new, "kind": p.kind} for p in self.pairs],
            "splits": [{"old": s.old, "new": list(s.new), "heir": s.heir} for s in self.splits],
            "merges": [{"old": list(m.old), "new": m.new, "heir": m.heir} for m in self.merges],
            "deleted": list(self.deleted),
            "inserted": list(self.inserted),
            "links": [link.to_json() for link in self.evidence],
        }

    def evidence_of_new(self) -> dict[int, LinkEvidence]:
        """The link each new paragraph belongs to, by its index."""
        return {j: link for link in self.evidence for j in link.new}


@dataclass(frozen=True, slots=True)
class Thresholds:
    """How much two paragraphs must share to be linked; nearby paragraphs need less than distant ones."""

    near_similarity: float = 0.25
    near_sure: float = 0.5
    far_similarity: float = 0.5
    near_part: float = 0.6
    far_part: float = 0.75
    # Between a nearby and a distant candidate of similar likeness, the nearby one wins.
    near_bonus: float = 0.1


DEFAULT_THRESHOLDS = Thresholds()
# Gaps larger than this compare only paragraphs at similar relative positions, to stay near linear.
_WINDOW = 12
# Beyond this many pairs, the whole-document pass looks only at pairs sharing a rare feature: one that at
# most _RARE unpaired old paragraphs have.
_ALL_PAIRS_LIMIT = 20_000
_RARE = 4


def align(
    old: Sequence[str],
    new: Sequence[str],
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    *,
    old_places: Sequence[str | None] | None = None,
    new_places: Sequence[str | None] | None = None,
) -> Alignment:
    """Map the paragraphs of two revisions: unchanged, modified, moved, split, merged, inserted, deleted.

    `old_places` and `new_places` (optional) cite each paragraph's place in the structure ("Art. 3.8");
    they are evidence for a link, never the link itself.
    """
    old_keys = [normalise_spaces(text) for text in old]
    new_keys = [normalise_spaces(text) for text in new]
    anchors = _in_order(_unique_identical_pairs(old_keys, new_keys))
    exact = _pair_repeated_texts(old_keys, new_keys, anchors)
    links = _Linker(old_keys, new_keys, thresholds, {i for i, _ in exact}, {j for _, j in exact})
    links.pair_lone_neighbours(anchors)
    links.weigh()
    near = _nearby_candidates(anchors, links)
    # Clear cases between neighbouring anchors first; the rest compete with distant candidates, so that a
    # weak nearby likeness cannot take a paragraph whose true partner moved.
    links.link(near, set(), sure_only=True)
    links.link(
        {(i, j) for i, j in near if i not in links.used_old and j not in links.used_new},
        _far_candidates(links),
    )
    olds, news = links.unpaired()
    for i, j in verbatim_pairs(old_keys, new_keys, olds, news):
        links.pairs.append((i, j))
        links.used_old.add(i)
        links.used_new.add(j)
    exact = _labels_follow_content(old_keys, new_keys, exact, links)
    alignment = _assemble(old_keys, new_keys, exact, links)
    return _with_evidence(alignment, old_keys, new_keys, old_places, new_places)


def _labels_follow_content(
    old_keys: Sequence[str], new_keys: Sequence[str], exact: list[tuple[int, int]], links: "_Linker"
) -> list[tuple[int, int]]:
    """A bare label or heading ("**Option 1:**", "Article 8 bis") pairs with the old label before the
    paragraph its own next paragraph continues: by content, never by its words alone.

    Returns the identical pairs left; the linker's pairs are updated in place.
    """
    first_old: dict[int, int] = {j: i for i, j in [*exact, *links.pairs]}
    first_old.update((news[0], i) for i, news in links.splits)
    first_old.update((j, olds[0]) for olds, j in links.merges)
    last_old: dict[int, int] = {j: i for i, j in [*exact, *links.pairs]}
    last_old.update((j, i) for i, news in links.splits for j in news)
    last_old.update((j, olds[-1]) for olds, j in links.merges)
    pairs = {j: i for i, j in [*exact, *links.pairs]}
    partner = {i: j for j, i in pairs.items()}
    for j, key in enumerate(new_keys):
        if not _is_label(key):
            continue
        if j + 1 in first_old:  # what follows a label says what it labels; failing that, what precedes
            i = first_old[j + 1] - 1
        elif j - 1 in last_old:
            i = last_old[j - 1] + 1
        else:
            continue
        if not 0 <= i < len(old_keys) or pairs.get(j) == i or not _is_label(old_keys[i]):
            continue
        if not _alike_labels(old_keys[i], key):
            continue
        taken_by = partner.get(i)
        if taken_by is not None and _supported(taken_by, i, first_old, last_old):
            continue  # the old label already sits with its own content
        if taken_by is not None:
            del pairs[taken_by]
        if j in pairs:
            del partner[pairs[j]]
        pairs[j], partner[i] = i, j
    repeated_old, repeated_new = links.repeated()
    for j, i in list(pairs.items()):
        # A repeated label ("**Option 2:** No text") before text that continues something else than what
        # followed the old copy is another label: it says nothing more about where it came from.
        after, before = first_old.get(j + 1), last_old.get(j - 1)
        contradicted = after not in (None, i + 1) or (after is None and before not in (None, i - 1))
        if (j in repeated_new or i in repeated_old) and _is_label(new_keys[j]) and contradicted:
            del pairs[j], partner[i]
    identical = [(i, j) for j, i in pairs.items() if old_keys[i] == new_keys[j]]
    links.pairs = [(i, j) for j, i in pairs.items() if old_keys[i] != new_keys[j]]
    links.used_old = {i for i, _ in [*identical, *links.pairs]} | {i for i, _ in links.splits}
    links.used_old.update(i for olds, _ in links.merges for i in olds)
    links.used_new = set(pairs) | {j for _, j in links.merges} | {j for _, news in links.splits for j in news}
    return identical


def _supported(j: int, i: int, first_old: dict[int, int], last_old: dict[int, int]) -> bool:
    """New label j and old label i stand before (or, failing that, after) the same text."""
    if j + 1 in first_old:
        return first_old[j + 1] == i + 1
    return last_old.get(j - 1, -2) == i - 1


def _is_label(text: str) -> bool:
    """A paragraph of at most four words: a label ("**Option 2:** No text"), a heading."""
    return 0 < len(words(text)) < 5


def _alike_labels(old: str, new: str) -> bool:
    """Two labels of the same sort ("**Option 2:**" and "**Option 1:**"): most of their characters agree."""
    return 2 * shared_ends(old, new) >= max(len(old), len(new))


def _with_evidence(
    alignment: Alignment,
    old_keys: Sequence[str],
    new_keys: Sequence[str],
    old_places: Sequence[str | None] | None,
    new_places: Sequence[str | None] | None,
) -> Alignment:
    """Attach to every link what supports it, and give each split or merge its heir."""
    likeness = Likeness(old_keys, new_keys)

    def same_place(i: int, j: int) -> bool | None:
        if old_places is None or new_places is None or old_places[i] is None or new_places[j] is None:
            return None
        return old_places[i] == new_places[j]

    paired = {(p.old, p.new) for p in alignment.pairs}

    def neighbours_agree(i: int, j: int) -> bool:
        before = (i - 1, j - 1) in paired if i and j else None
        after = (i + 1, j + 1) in paired if i + 1 < len(old_keys) and j + 1 < len(new_keys) else None
        # The paragraph after matters most: a label or heading belongs to what follows it.
        return after is True or (before is True and after is None)

    links = [
        pair_evidence(
            likeness, p.old, p.new, p.kind, same_place(p.old, p.new), neighbours_agree(p.old, p.new)
        )
        for p in alignment.pairs
    ]
    splits = [ParagraphSplit(s.old, s.new, heir(likeness, (s.old,), s.new)) for s in alignment.splits]
    merges = [ParagraphMerge(m.old, m.new, heir(likeness, m.old, (m.new,))) for m in alignment.merges]
    links += [parts_evidence(likeness, (s.old,), s.new) for s in splits]
    links += [parts_evidence(likeness, m.old, (m.new,)) for m in merges]
    return Alignment(
        pairs=alignment.pairs,
        splits=tuple(splits),
        merges=tuple(merges),
        deleted=alignment.deleted,
        inserted=alignment.inserted,
        evidence=tuple(sorted(links, key=lambda link: link.new[0])),
    )


def _unique_identical_pairs(old_keys: Sequence[str], new_keys: Sequence[str]) -> list[tuple[int, int]]:
    """Pair paragraphs whose text occurs exactly once in each revision."""
    old_at: dict[str, int | None] = {}
    for i, key in enumerate(old_keys):
        old_at[key] = None if key in old_at else i
    new_at: dict[str, int | None] = {}
    for j, key in enumerate(new_keys):
        new_at[key] = None if key in new_at else j
    pairs = []
    for key, new_index in new_at.items():
        old_index = old_at.get(key)
        if old_index is not None and new_index is not None:
            pairs.append((old_index, new_index))
    return pairs


def _pair_repeated_texts(
    old_keys: Sequence[str], new_keys: Sequence[str], anchors: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Add identical pairs for repeated texts (headings, "…"), each with the copy nearest in the skeleton."""
    anchor_old = [i for i, _ in anchors]
    anchor_new = [j for _, j in anchors]
    paired_old = set(anchor_old)
    paired_new = set(anchor_new)
    copies: dict[str, list[int]] = defaultdict(list)
    for i, key in enumerate(old_keys):
        if i not in paired_old:
            copies[key].append(i)
    pairs = list(anchors)
    for j, key in enumerate(new_keys):
        if j in paired_new or not copies.get(key):
            continue
        gap = bisect_left(anchor_new, j)
        i = min(copies[key], key=lambda i: (abs(bisect_left(anchor_old, i) - gap), i))
        # A repeated text ("**Option 2:** No text") says nothing about where it came from: only a copy in
        # the same stretch between anchors, or the next one, is the same paragraph.
        if abs(bisect_left(anchor_old, i) - gap) > 1:
            continue
        copies[key].remove(i)
        pairs.append((i, j))
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
    _weights: dict[str, float] = field(default_factory=dict)
    _old_mass: dict[int, float] = field(default_factory=dict)
    _new_mass: dict[int, float] = field(default_factory=dict)
    _repeated: tuple[set[int], set[int]] | None = None

    def old_features(self, i: int) -> frozenset[str]:
        """Features of old paragraph i, computed once."""
        if i not in self._old_features:
            self._old_features[i] = _features(self.old_keys[i])
        return self._old_features[i]

    def new_features(self, j: int) -> frozenset[str]:
        """Features of new paragraph j, computed once."""
        if j not in self._new_features:
            self._new_features[j] = _features(self.new_keys[j])
        return self._new_features[j]

    def repeated(self) -> tuple[set[int], set[int]]:
        """Paragraphs whose text occurs more than once in their revision: never linked far away."""
        if self._repeated is None:
            olds, news = Counter(self.old_keys), Counter(self.new_keys)
            self._repeated = (
                {i for i, key in enumerate(self.old_keys) if olds[key] > 1},
                {j for j, key in enumerate(self.new_keys) if news[key] > 1},
            )
        return self._repeated

    def unpaired(self) -> tuple[list[int], list[int]]:
        """The old and the new paragraphs that have no partner yet."""
        olds = [i for i in range(len(self.old_keys)) if i not in self.used_old]
        news = [j for j in range(len(self.new_keys)) if j not in self.used_new]
        return olds, news

    def pair_lone_neighbours(self, anchors: Sequence[tuple[int, int]]) -> None:
        """Between two anchors, pair as many old as new paragraphs in order when each pair shares most text.

        The common case of a light revision, settled without comparing features: sharing a long beginning
        and end is proof enough that one paragraph was amended into the other.
        """
        bounds = [(-1, -1), *anchors, (len(self.old_keys), len(self.new_keys))]
        for (old_start, new_start), (old_end, new_end) in itertools.pairwise(bounds):
            olds = [i for i in range(old_start + 1, old_end) if i not in self.used_old]
            news = [j for j in range(new_start + 1, new_end) if j not in self.used_new]
            if not olds or len(olds) != len(news) or len(olds) > _WINDOW:
                continue
            pairs = list(zip(olds, news, strict=True))
            if all(_mostly_shared_ends(self.old_keys[i], self.new_keys[j]) for i, j in pairs):
                self.pairs.extend(pairs)
                self.used_old.update(olds)
                self.used_new.update(news)

    def weigh(self) -> None:
        """Weigh each feature by its rarity among unpaired paragraphs: shared boilerplate counts little."""
        olds, news = self.unpaired()
        counts: Counter[str] = Counter()
        for i in olds:
            counts.update(self.old_features(i))
        for j in news:
            counts.update(self.new_features(j))
        total = len(olds) + len(news)
        self._weights = {feature: math.log(1 + total / count) for feature, count in counts.items()}
        self._old_mass = {i: self._mass(self.old_features(i)) for i in olds}
        self._new_mass = {j: self._mass(self.new_features(j)) for j in news}

    def _mass(self, features: frozenset[str]) -> float:
        return sum(map(self._weights.__getitem__, features))

    def link(self, near: set[tuple[int, int]], far: set[tuple[int, int]], sure_only: bool = False) -> None:
        """Find splits, then merges, then one-to-one pairs among the candidate pairs."""
        weights = self._weights
        shared = {}
        repeated = self.repeated()
        for i, j in near | {(i, j) for i, j in far if i not in repeated[0] and j not in repeated[1]}:
            old, new = self.old_features(i), self.new_features(j)
            common = old & new
            # A pair sharing less than a tenth of its features, and not half of the smaller paragraph,
            # can reach no threshold: skip weighing it.
            if 20 * len(common) >= len(old) + len(new) or 2 * len(common) >= min(len(old), len(new)):
                shared[(i, j)] = sum(map(weights.__getitem__, common))
        self._link_parts(shared, near, split=True)
        self._link_parts(shared, near, split=False)
        self._link_one_to_one(shared, near, sure_only)

    def _link_parts(
        self, shared: dict[tuple[int, int], float], near: set[tuple[int, int]], split: bool
    ) -> None:
        """A split: two or more new paragraphs made of one old one. A merge: the converse."""
        for whole, pieces in sorted(self._pieces_by_whole(shared, near, split).items()):
            chosen = self._best_cover(whole, pieces, split) if len(pieces) > 1 else ()
            if len(chosen) < 2:
                continue
            if split:
                self.splits.append((whole, chosen))
                self.used_old.add(whole)
                self.used_new.update(chosen)
            else:
                self.merges.append((chosen, whole))
                self.used_new.add(whole)
                self.used_old.update(chosen)

    def _pieces_by_whole(
        self, shared: dict[tuple[int, int], float], near: set[tuple[int, int]], split: bool
    ) -> dict[int, list[int]]:
        """Put each paragraph under the paragraph of the other side that contains most of it."""
        best: dict[int, tuple[bool, float, float, int]] = {}
        limits = self.thresholds
        for (i, j), count in shared.items():
            if i in self.used_old or j in self.used_new:
                continue
            piece, whole = (j, i) if split else (i, j)
            contained = count / (self._new_mass[j] if split else self._old_mass[i])
            is_near = (i, j) in near
            if contained < (limits.near_part if is_near else limits.far_part):
                continue
            candidate = (is_near, contained, count, -whole)  # nearby first; ties go to the earlier one
            if piece not in best or candidate > best[piece]:
                best[piece] = candidate
        groups: dict[int, list[int]] = defaultdict(list)
        for piece, (_, _, _, negative_whole) in best.items():
            groups[-negative_whole].append(piece)
        return groups

    def _best_cover(self, whole: int, pieces: Sequence[int], split: bool) -> tuple[int, ...]:
        """The pieces that, taken together, resemble the whole most; largest share first."""
        target = self.old_features(whole) if split else self.new_features(whole)
        features = {p: self.new_features(p) if split else self.old_features(p) for p in pieces}
        chosen: list[int] = []
        union: frozenset[str] = frozenset()
        best = 0.0
        for piece in sorted(pieces, key=lambda p: (-self._mass(features[p] & target), p)):
            candidate = union | features[piece]
            score = _dice(self._mass(target & candidate), self._mass(target), self._mass(candidate))
            if score > best:
                chosen.append(piece)
                union, best = candidate, score
        if best < self.thresholds.near_similarity:
            return ()
        return tuple(sorted(chosen))

    def _link_one_to_one(
        self, shared: dict[tuple[int, int], float], near: set[tuple[int, int]], sure_only: bool
    ) -> None:
        """Pair the most similar paragraphs first; a nearby pair needs less likeness than a distant one."""
        limits = self.thresholds
        near_limit = limits.near_sure if sure_only else limits.near_similarity
        scored = []
        for (i, j), count in shared.items():
            if i in self.used_old or j in self.used_new:
                continue
            similarity = _dice(count, self._old_mass[i], self._new_mass[j])
            is_near = (i, j) in near
            if similarity >= (near_limit if is_near else limits.far_similarity):
                scored.append((similarity + (limits.near_bonus if is_near else 0.0), i, j))
        for _, i, j in sorted(scored, key=lambda item: (-item[0], item[1], item[2])):
            if i not in self.used_old and j not in self.used_new:
                self.pairs.append((i, j))
                self.used_old.add(i)
                self.used_new.add(j)


def _mostly_shared_ends(old: str, new: str) -> bool:
    """The two texts share a beginning and an end that together make up most of the longer one."""
    longest = max(len(old), len(new))
    return 2 * shared_ends(old, new) >= longest > 0


def _dice(shared: float, first: float, second: float) -> float:
    return 2 * shared / (first + second) if first + second else 0.0


def _nearby_candidates(anchors: Sequence[tuple[int, int]], links: _Linker) -> set[tuple[int, int]]:
    """Pairs of unpaired paragraphs lying between the same two anchors (near each other in big gaps)."""
    candidates: set[tuple[int, int]] = set()
    bounds = [(-1, -1), *anchors, (len(links.old_keys), len(links.new_keys))]
    for (old_start, new_start), (old_end, new_end) in itertools.pairwise(bounds):
        olds = [i for i in range(old_start + 1, old_end) if i not in links.used_old]
        news = [j for j in range(new_start + 1, new_end) if j not in links.used_new]
        if len(olds) * len(news) <= _WINDOW * _WINDOW:
            candidates.update((i, j) for i in olds for j in news)
            continue
        ratio = len(news) / len(olds)
        for position, i in enumerate(olds):
            centre = int(position * ratio)
            candidates.update((i, j) for j in news[max(0, centre - _WINDOW) : centre + _WINDOW + 1])
    return candidates


def _far_candidates(links: _Linker) -> set[tuple[int, int]]:
    """Unpaired pairs anywhere: all of them, or in a large revision those that share a rare feature."""
    olds, news = links.unpaired()
    if len(olds) * len(news) <= _ALL_PAIRS_LIMIT:
        return {(i, j) for i in olds for j in news}
    holders: dict[str, list[int]] = defaultdict(list)
    for i in olds:
        for feature in links.old_features(i):
            holders[feature].append(i)
    candidates: set[tuple[int, int]] = set()
    for j in news:
        for feature in links.new_features(j):
            found = holders.get(feature, ())
            if len(found) <= _RARE:
                candidates.update((i, j) for i in found)
    return candidates


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
