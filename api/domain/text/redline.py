"""The redline of two texts: diff-match-patch over tokens (words, CJK characters), with semantic clean-up.

Each distinct token becomes one code point (the lines-to-chars trick of diff-match-patch, generalised to
words), so the C++ diff works on a string a few times shorter than the text and can only cut between
tokens; the semantic clean-up then weighs edits in tokens and in characters (see semantic.py). Single
characters (CJK, punctuation, one space) stand for themselves; longer tokens get private-use code
points. The diff runs with no time limit, so it is exact unless a caller asks for a deadline, and then
the result says whether it may have been cut.
"""

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import fast_diff_match_patch

from api.domain.text.semantic import cleanup_semantic
from api.domain.text.tokens import common_prefix_length, common_suffix_length, is_token_boundary, tokenise

OpKind = Literal["equal", "insert", "delete"]

_KINDS: dict[str, OpKind] = {"=": "equal", "+": "insert", "-": "delete"}
# Supplementary private-use planes 15 and 16: code points that real negotiation text never holds.
_FIRST_CODE = 0xF0000
_LAST_CODE = 0x10FFFD
_PRIVATE = chr(_FIRST_CODE)


@dataclass(frozen=True, slots=True)
class Op:
    """One piece of a redline: text kept (equal), added (insert) or struck (delete)."""

    kind: OpKind
    text: str


@dataclass(frozen=True, slots=True)
class Redline:
    """The operations that turn the old text into the new; `exact` is False if a deadline cut the diff."""

    ops: tuple[Op, ...]
    exact: bool = True

    @property
    def old_text(self) -> str:
        """The text before the changes."""
        return old_text(self.ops)

    @property
    def new_text(self) -> str:
        """The text after the changes."""
        return new_text(self.ops)

    @property
    def changed(self) -> bool:
        """Whether anything was inserted or deleted."""
        return any(op.kind != "equal" for op in self.ops)


def old_text(ops: Iterable[Op]) -> str:
    """Rebuild the old text from a redline's operations."""
    return "".join(op.text for op in ops if op.kind != "insert")


def new_text(ops: Iterable[Op]) -> str:
    """Rebuild the new text from a redline's operations."""
    return "".join(op.text for op in ops if op.kind != "delete")


def changed_chars(ops: Iterable[Op]) -> int:
    """Count the characters struck plus the characters added: the size of a redline."""
    return sum(len(op.text) for op in ops if op.kind != "equal")


def diff(old: str, new: str, *, deadline: float | None = None) -> Redline:
    """Redline two texts word by word (character by character in CJK), with semantic clean-up."""
    if old == new:
        return Redline(ops=(Op("equal", old),) if old else ())
    if not old or not new:
        return Redline(ops=(Op("insert", new) if new else Op("delete", old),))
    # Text shared at both ends is kept as is and only the middle is cut into tokens and diffed, as
    # diff-match-patch itself does; the cuts fall on token boundaries so the tokens stay the same.
    head = _shared_head(old, new)
    tail = _shared_tail(old[head:], new[head:])
    middle, exact = _diff_tokens(old[head : len(old) - tail], new[head : len(new) - tail], deadline)
    ops = [Op("equal", old[:head]), *middle, Op("equal", old[len(old) - tail :])]
    return Redline(ops=tuple(_coalesce(_whole_bracket_groups(_coalesce(ops)))), exact=exact)


def _diff_tokens(old: str, new: str, deadline: float | None) -> tuple[list[Op], bool]:
    """Diff two texts token by token, each token standing as one code point."""
    if not old or not new:
        return [Op("delete", old), Op("insert", new)], True
    codec = _Codec()
    old_codes, new_codes = codec.encode(old, tokenise(old)), codec.encode(new, tokenise(new))
    if codec.overflowed:
        # More distinct tokens than private code points: fall back to characters, still exact.
        old_codes, new_codes, codec = old, new, _Codec(identity=True)
    raw, exact = _diff_codes(old_codes, new_codes, deadline)
    cleaned = cleanup_semantic(raw, codec.width)
    return [Op(_KINDS[sign], codec.decode(codes)) for sign, codes in cleaned], exact


def _shared_head(old: str, new: str) -> int:
    """Length of the longest common prefix that ends on a token boundary in both texts."""
    size = common_prefix_length(old, new)
    while size > 0 and not (is_token_boundary(old, size) and is_token_boundary(new, size)):
        size -= 1
    return size


def _shared_tail(old: str, new: str) -> int:
    """Length of the longest common suffix that starts on a token boundary in both texts."""
    size = common_suffix_length(old, new)
    while size > 0 and not (
        is_token_boundary(old, len(old) - size) and is_token_boundary(new, len(new) - size)
    ):
        size -= 1
    return size


def _diff_codes(old: str, new: str, deadline: float | None) -> tuple[list[tuple[str, str]], bool]:
    """Run the C++ diff on code strings; one that reached its deadline may have been cut short."""
    started = time.perf_counter()
    raw = fast_diff_match_patch.diff(
        old, new, timelimit=deadline or 0, checklines=False, cleanup="No", counts_only=False
    )
    exact = deadline is None or time.perf_counter() - started < deadline
    return [(sign, codes) for sign, codes in raw], exact


class _Codec:
    """Maps tokens to single code points and back, for one diff."""

    def __init__(self, identity: bool = False) -> None:
        self.codes: dict[str, str] = {}
        self.tokens: dict[str, str] = {}
        self.next_code = _FIRST_CODE
        self.overflowed = False
        self.identity = identity

    def encode(self, text: str, tokens: Sequence[str]) -> str:
        """Turn a text's tokens into a string of one code point per token."""
        private = bool(text) and max(text) >= _PRIVATE
        if len(tokens) == len(text) and not private:
            return text  # every token is a single ordinary character: it stands for itself
        codes = self.codes
        for token in dict.fromkeys(tokens):
            if (len(token) > 1 or token >= _PRIVATE) and token not in codes:
                self._allocate(token)
        return "".join(map(codes.get, tokens, tokens))

    def _allocate(self, token: str) -> None:
        if self.next_code > _LAST_CODE:
            self.overflowed = True
            self.codes[token] = "\0"
            return
        code = chr(self.next_code)
        self.next_code += 1
        self.tokens[code] = token
        self.codes[token] = code

    def width(self, codes: str) -> int:
        """Count the characters of text that a string of code points stands for."""
        if self.identity or not self.tokens:
            return len(codes)
        return sum(map(len, map(self.tokens.get, codes, codes)))

    def decode(self, codes: str) -> str:
        """Turn a string of code points back into the text of its tokens."""
        if self.identity or not self.tokens:
            return codes
        return "".join(map(self.tokens.get, codes, codes))


def _whole_bracket_groups(ops: list[Op]) -> list[Op]:
    """Show a word newly put in brackets as the whole bracketed group replacing it.

    The shortest diff of "globalized" into "[globalized] [interconnected]" inserts "[" and
    "] [interconnected]" around a kept word, which reads as brackets split round it; a negotiator reads
    the kept word struck and the bracketed options inserted whole.
    """
    regrouped: list[Op] = []
    index = 0
    while index < len(ops):
        before, kept = regrouped[-1] if regrouped else None, ops[index]
        after = ops[index + 1] if index + 1 < len(ops) else None
        opening = _open_bracket_at_end(before.text) if before and before.kind == "insert" else -1
        if (
            kept.kind == "equal"
            and opening >= 0
            and after is not None
            and after.kind == "insert"
            and _closes_first(after.text)
            and not any(mark in kept.text for mark in "[]")
        ):
            assert before is not None
            regrouped[-1] = Op("insert", before.text[:opening])
            bracketed = before.text[opening:] + kept.text + after.text
            regrouped += [Op("delete", kept.text), Op("insert", bracketed)]
            index += 2
            continue
        regrouped.append(kept)
        index += 1
    return regrouped


def _open_bracket_at_end(text: str) -> int:
    """Where the last "[" of an insertion opens a bracket that the insertion does not close, or -1."""
    opening = text.rfind("[")
    return opening if opening >= 0 and "]" not in text[opening:] else -1


def _closes_first(text: str) -> bool:
    """Whether an insertion closes a bracket opened before it ("] [option]")."""
    closing = text.find("]")
    return closing >= 0 and "[" not in text[:closing]


def _coalesce(ops: Iterable[Op]) -> list[Op]:
    """Join neighbouring operations of the same kind and drop empty ones."""
    merged: list[Op] = []
    for op in ops:
        if not op.text:
            continue
        if merged and merged[-1].kind == op.kind:
            merged[-1] = Op(op.kind, merged[-1].text + op.text)
        else:
            merged.append(op)
    return merged
