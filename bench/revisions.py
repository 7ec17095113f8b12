"""Generated pairs of revisions with known truth: the next revision and the exact alignment that made it.

An editor walks through the old revision and, paragraph by paragraph, keeps, edits lightly, rewrites,
moves (at least three places away), moves and edits, splits at a sentence end, merges with the next
paragraph or deletes; then inserts new paragraphs at random places. The alignment the editor knows is
the truth that `align` is scored against.
"""

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from api.domain.text.align import Alignment, ParagraphMerge, ParagraphPair, ParagraphSplit
from api.domain.text.tokens import normalise_spaces, tokenise
from bench.synthetic import chinese_sentence, english_sentence, filler_words, paragraph


@dataclass(frozen=True)
class Mix:
    """The share of old paragraphs that each kind of edit touches (the rest stay unchanged)."""

    modified: float = 0.15
    rewritten: float = 0.05
    moved: float = 0.04
    moved_modified: float = 0.04
    split: float = 0.04
    merged: float = 0.04
    deleted: float = 0.04
    inserted: float = 0.05


LIGHT = Mix(0, 0, 0, 0, 0, 0, 0, 0)
MIXED = Mix()


@dataclass(frozen=True)
class GeneratedRevision:
    """An old revision, the new one an editor made from it, and the alignment the editor knows."""

    old: tuple[str, ...]
    new: tuple[str, ...]
    truth: Alignment


@dataclass
class _Entry:
    text: str
    kind: str  # pair | split | merge | insert
    old: tuple[int, ...] = ()
    changed: bool = False
    moved: bool = False
    part: int = 0


@dataclass
class _Editor:
    language: str
    rng: random.Random
    entries: list[_Entry] = field(default_factory=list)

    def light_edit(self, text: str, edits: int | None = None) -> str:
        """Replace, insert or delete a few words (or CJK phrases); a heading gets one small change."""
        original = text
        if len(text) < 20:
            edits = 1
        for _ in range(edits or self.rng.randint(1, 3)):
            text = self._one_edit(text)
        return text if normalise_spaces(text) != normalise_spaces(original) else text + self._filler()

    def rewrite(self, text: str) -> str:
        """Replace one sentence by a new one and touch a few more words: a heavy amendment."""
        sentences = split_sentences(text, self.language)
        index = self.rng.randrange(len(sentences))
        new = english_sentence(self.rng) if self.language == "en" else chinese_sentence(self.rng)
        sentences[index] = new + (" " if self.language == "en" and index < len(sentences) - 1 else "")
        return self.light_edit("".join(sentences), self.rng.randint(2, 4))

    def _one_edit(self, text: str) -> str:
        tokens = list(tokenise(text))
        words = [k for k, token in enumerate(tokens) if not token.isspace()]
        if not words:
            return text + self._filler()
        at = self.rng.choice(words)
        action = self.rng.choice(
            ("replace", "insert", "delete") if len(text) >= 20 else ("replace", "insert")
        )
        if action == "replace":
            tokens[at] = self._filler()
        elif action == "insert":
            tokens[at] = self._filler() + (" " if self.language == "en" else "") + tokens[at]
        elif len(words) > 3:
            span = self.rng.randint(1, 3 if self.language == "en" else 4)
            for k in range(at, min(len(tokens), at + 2 * span if self.language == "en" else at + span)):
                tokens[k] = ""
        edited = "".join(tokens).strip()
        return edited if normalise_spaces(edited) != normalise_spaces(text) else text + self._filler()

    def _filler(self) -> str:
        return self.rng.choice(filler_words(self.language))


def split_sentences(text: str, language: str) -> list[str]:
    """Cut a paragraph after each full stop (or Chinese full stop or semicolon), keeping every character."""
    pattern = r"(?<=\.) " if language == "en" else r"(?<=[。；])"
    pieces = re.split(f"({pattern})", text)
    sentences: list[str] = []
    for piece in pieces:
        if sentences and (piece == " " or not piece):
            sentences[-1] += piece
        elif piece:
            sentences.append(piece)
    return sentences


def revise(old: Sequence[str], language: str, rng: random.Random, mix: Mix = MIXED) -> GeneratedRevision:
    """Make the next revision of `old` with the given mix of edits, and the truth of its alignment."""
    editor = _Editor(language, rng)
    choices = ["modified", "rewritten", "moved", "moved_modified", "split", "merged", "deleted"]
    weights = [getattr(mix, name) for name in choices]
    weights.append(max(0.0, 1 - sum(weights)))
    choices.append("unchanged")
    index = 0
    while index < len(old):
        action = rng.choices(choices, weights)[0]
        index += _apply(editor, old, index, action)
    _relocate_moved(editor.entries, rng)
    for _ in range(round(mix.inserted * len(old))):
        position = rng.randint(0, len(editor.entries))
        editor.entries.insert(position, _Entry(paragraph(language, rng), "insert"))
    new = tuple(entry.text for entry in editor.entries)
    return GeneratedRevision(tuple(old), new, _truth(editor.entries, len(old)))


def _apply(editor: _Editor, old: Sequence[str], index: int, action: str) -> int:
    """Apply one action to old paragraph `index`; return how many old paragraphs it consumed."""
    text = old[index]
    entries = editor.entries
    sentences = split_sentences(text, editor.language)
    if action == "split" and len([s for s in sentences if s.strip()]) < 2:
        action = "modified"
    if action == "merged" and index + 1 >= len(old):
        action = "modified"
    if action == "unchanged":
        entries.append(_Entry(text, "pair", (index,)))
    elif action in ("modified", "rewritten"):
        edited = (
            editor.rewrite(text) if action == "rewritten" and len(sentences) > 1 else editor.light_edit(text)
        )
        entries.append(_Entry(edited, "pair", (index,), changed=True))
    elif action in ("moved", "moved_modified"):
        edited = editor.light_edit(text) if action == "moved_modified" else text
        entries.append(_Entry(edited, "pair", (index,), changed=edited != text, moved=True))
    elif action == "split":
        cut = editor.rng.randint(1, len(sentences) - 1)
        for part, whole_piece in enumerate(("".join(sentences[:cut]), "".join(sentences[cut:]))):
            piece = whole_piece.strip()
            if editor.rng.random() < 0.3:
                piece = editor.light_edit(piece, 1)
            entries.append(_Entry(piece, "split", (index,), part=part))
    elif action == "merged":
        joined = old[index] + (" " if editor.language == "en" else "") + old[index + 1]
        if editor.rng.random() < 0.3:
            joined = editor.light_edit(joined, 1)
        entries.append(_Entry(joined, "merge", (index, index + 1)))
        return 2
    return 1


def _relocate_moved(entries: list[_Entry], rng: random.Random) -> None:
    """Take each paragraph marked as moved out and put it back at least three places away."""
    for entry in [entry for entry in entries if entry.moved]:
        origin = entries.index(entry)
        entries.pop(origin)
        targets = [t for t in range(len(entries) + 1) if abs(t - origin) >= 3]
        entries.insert(rng.choice(targets) if targets else origin, entry)


def _truth(entries: Sequence[_Entry], old_count: int) -> Alignment:
    pairs, inserted, merges = [], [], []
    split_parts: dict[int, list[int]] = {}
    for j, entry in enumerate(entries):
        if entry.kind == "pair":
            kind = (
                ("moved_modified" if entry.changed else "moved")
                if entry.moved
                else ("modified" if entry.changed else "unchanged")
            )
            pairs.append(ParagraphPair(entry.old[0], j, kind))  # type: ignore[arg-type]
        elif entry.kind == "split":
            split_parts.setdefault(entry.old[0], []).append(j)
        elif entry.kind == "merge":
            merges.append(ParagraphMerge(entry.old, j))
        else:
            inserted.append(j)
    accounted = {p.old for p in pairs} | set(split_parts) | {i for m in merges for i in m.old}
    return Alignment(
        pairs=tuple(pairs),
        splits=tuple(ParagraphSplit(i, tuple(news)) for i, news in sorted(split_parts.items())),
        merges=tuple(merges),
        deleted=tuple(i for i in range(old_count) if i not in accounted),
        inserted=tuple(inserted),
    )


@dataclass(frozen=True)
class Score:
    """How many paragraphs (old and new counted separately) an alignment placed exactly as the truth."""

    correct: int
    total: int
    misses: dict[str, int]

    @property
    def accuracy(self) -> float:
        """Share of paragraphs mapped exactly right."""
        return self.correct / self.total if self.total else 1.0


def roles(alignment: Alignment) -> tuple[dict[int, tuple[object, ...]], dict[int, tuple[object, ...]]]:
    """What happened to each old paragraph, and where each new paragraph came from."""
    old: dict[int, tuple[object, ...]] = {}
    new: dict[int, tuple[object, ...]] = {}
    for pair in alignment.pairs:
        old[pair.old] = new[pair.new] = ("pair", pair.old, pair.new, pair.kind)
    for split in alignment.splits:
        old[split.old] = ("split", split.old, split.new)
        for j in split.new:
            new[j] = old[split.old]
    for merge in alignment.merges:
        new[merge.new] = ("merge", merge.old, merge.new)
        for i in merge.old:
            old[i] = new[merge.new]
    for i in alignment.deleted:
        old[i] = ("deleted", i)
    for j in alignment.inserted:
        new[j] = ("inserted", j)
    return old, new


def score(predicted: Alignment, truth: Alignment) -> Score:
    """Count the paragraphs whose mapping matches the truth exactly, and tally the misses by true role."""
    predicted_old, predicted_new = roles(predicted)
    true_old, true_new = roles(truth)
    correct = 0
    misses: dict[str, int] = {}
    for expected, found in ((true_old, predicted_old), (true_new, predicted_new)):
        for index, role in expected.items():
            if found.get(index) == role:
                correct += 1
            else:
                label = str(role[-1]) if role[0] == "pair" else str(role[0])
                misses[label] = misses.get(label, 0) + 1
    return Score(correct, len(true_old) + len(true_new), misses)
