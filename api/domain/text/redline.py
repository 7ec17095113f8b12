"""The redline of two texts: diff-match-patch over tokens, with a semantic clean-up weighted by characters.

Each distinct token becomes one code point (the lines-to-chars trick of diff-match-patch, generalised to
words), so the C++ diff works on a string a few times shorter than the text and can only cut between
tokens. Single characters (CJK, punctuation, one space) stand for themselves; longer tokens get
private-use code points. The diff runs with no time limit, so it is exact unless a caller asks for a
deadline, and then the result says whether it may have been cut.
"""

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import fast_diff_match_patch

from api.domain.text.tokens import tokenise

OpKind = Literal["equal", "insert", "delete"]

_KINDS: dict[str, OpKind] = {"=": "equal", "+": "insert", "-": "delete"}
# Supplementary private-use planes 15 and 16: code points that real negotiation text never holds.
_FIRST_CODE = 0xF0000
_LAST_CODE = 0x10FFFD


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
    old_tokens, new_tokens = tokenise(old), tokenise(new)
    codec = _Codec()
    old_codes, new_codes = codec.encode(old_tokens), codec.encode(new_tokens)
    if codec.overflowed:
        # More distinct tokens than private code points: fall back to characters, still exact.
        old_codes, new_codes, codec = old, new, _Codec(identity=True)
    raw, exact = _diff_codes(old_codes, new_codes, deadline)
    cleaned = _cleanup_semantic(raw, codec.width)
    return Redline(ops=tuple(_coalesce(Op(_KINDS[sign], codec.decode(codes)) for sign, codes in cleaned)), exact=exact)


def _diff_codes(old: str, new: str, deadline: float | None) -> tuple[list[tuple[str, str]], bool]:
    """Run the C++ diff on encoded strings; with a deadline, a run that reached it may have been cut."""
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

    def encode(self, tokens: Sequence[str]) -> str:
        """Turn a token list into a string of one code point per token."""
        codes = self.codes
        out = []
        for token in tokens:
            code = codes.get(token)
            if code is None:
                code = self._allocate(token)
            out.append(code)
        return "".join(out)

    def _allocate(self, token: str) -> str:
        if len(token) == 1 and ord(token) < _FIRST_CODE:
            code = token
        elif self.next_code <= _LAST_CODE:
            code = chr(self.next_code)
            self.next_code += 1
            self.tokens[code] = token
        else:
            self.overflowed = True
            code = "\0"
        self.codes[token] = code
        return code

    def decode(self, codes: str) -> str:
        """Turn a string of code points back into the text of its tokens."""
        if self.identity or not self.tokens:
            return codes
        tokens = self.tokens
        return "".join([tokens.get(code, code) for code in codes])

    def width(self, codes: str) -> int:
        """Count the characters of text that a string of code points stands for."""
        if self.identity or not self.tokens:
            return len(codes)
        tokens = self.tokens
        return sum([len(tokens[code]) if code in tokens else 1 for code in codes])


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


# The semantic clean-up of diff-match-patch (diff_cleanupSemantic), measured in characters of text rather
# than in tokens: a short word kept between two long rewrites is folded into them, a long one is not.

Diffs = list[tuple[str, str]]
_Width = Callable[[str], int]


def _cleanup_semantic(diffs: Diffs, width: _Width) -> Diffs:
    """Fold trivial equalities into the edits around them, then split off overlaps of delete and insert."""
    diffs = _eliminate_trivial_equalities(diffs, width)
    return _extract_overlaps(_merge(diffs), width)


def _eliminate_trivial_equalities(diffs: Diffs, width: _Width) -> Diffs:
    """Turn each equality no longer than the edits on both sides of it into a delete and an insert."""
    diffs = list(diffs)
    equalities: list[int] = []
    last_equality: str | None = None
    inserted_before = deleted_before = inserted_after = deleted_after = 0
    pointer = 0
    while pointer < len(diffs):
        sign, codes = diffs[pointer]
        if sign == "=":
            equalities.append(pointer)
            inserted_before, deleted_before = inserted_after, deleted_after
            inserted_after = deleted_after = 0
            last_equality = codes
        else:
            if sign == "+":
                inserted_after += width(codes)
            else:
                deleted_after += width(codes)
            if last_equality is not None and _is_trivial(
                width(last_equality), inserted_before, deleted_before, inserted_after, deleted_after
            ):
                index = equalities.pop()
                diffs[index : index + 1] = [("-", last_equality), ("+", last_equality)]
                if equalities:
                    equalities.pop()
                pointer = equalities[-1] if equalities else -1
                inserted_before = deleted_before = inserted_after = deleted_after = 0
                last_equality = None
        pointer += 1
    return diffs


def _is_trivial(size: int, inserted_before: int, deleted_before: int, inserted_after: int, deleted_after: int) -> bool:
    return size <= max(inserted_before, deleted_before) and size <= max(inserted_after, deleted_after)


def _merge(diffs: Diffs) -> Diffs:
    """Gather each run of edits into one delete then one insert, factoring out common prefix and suffix."""
    merged: Diffs = []
    deleted: list[str] = []
    inserted: list[str] = []
    for sign, codes in [*diffs, ("=", "")]:
        if sign == "-":
            deleted.append(codes)
        elif sign == "+":
            inserted.append(codes)
        else:
            _flush_change(merged, "".join(deleted), "".join(inserted))
            deleted, inserted = [], []
            _append(merged, "=", codes)
    return merged


def _flush_change(merged: Diffs, deleted: str, inserted: str) -> None:
    """Append one change, moving any prefix or suffix that both sides share into the equalities."""
    if deleted and inserted:
        prefix = _common_prefix(deleted, inserted)
        if prefix:
            _append(merged, "=", deleted[:prefix])
            deleted, inserted = deleted[prefix:], inserted[prefix:]
        suffix = _common_suffix(deleted, inserted)
        if suffix:
            common = deleted[len(deleted) - suffix :]
            deleted, inserted = deleted[: len(deleted) - suffix], inserted[: len(inserted) - suffix]
            _append(merged, "-", deleted)
            _append(merged, "+", inserted)
            _append(merged, "=", common)
            return
    _append(merged, "-", deleted)
    _append(merged, "+", inserted)


def _append(diffs: Diffs, sign: str, codes: str) -> None:
    if not codes:
        return
    if diffs and diffs[-1][0] == sign:
        diffs[-1] = (sign, diffs[-1][1] + codes)
    else:
        diffs.append((sign, codes))


def _common_prefix(first: str, second: str) -> int:
    limit = min(len(first), len(second))
    size = 0
    while size < limit and first[size] == second[size]:
        size += 1
    return size


def _common_suffix(first: str, second: str) -> int:
    limit = min(len(first), len(second))
    size = 0
    while size < limit and first[-1 - size] == second[-1 - size]:
        size += 1
    return size


def _common_overlap(first: str, second: str) -> int:
    """Length of the longest suffix of `first` that is a prefix of `second`."""
    for size in range(min(len(first), len(second)), 0, -1):
        if first.endswith(second[:size]):
            return size
    return 0


def _extract_overlaps(diffs: Diffs, width: _Width) -> Diffs:
    """Split a shared stretch out of a delete followed by an insert when it is half of either edit."""
    result: Diffs = []
    index = 0
    while index < len(diffs):
        if index + 1 < len(diffs) and diffs[index][0] == "-" and diffs[index + 1][0] == "+":
            result.extend(_split_overlap(diffs[index][1], diffs[index + 1][1], width))
            index += 2
        else:
            result.append(diffs[index])
            index += 1
    return result


def _split_overlap(deletion: str, insertion: str, width: _Width) -> Diffs:
    tail_head = _common_overlap(deletion, insertion)
    head_tail = _common_overlap(insertion, deletion)
    if tail_head >= head_tail and tail_head and _is_big(insertion[:tail_head], deletion, insertion, width):
        shared = insertion[:tail_head]
        split = [("-", deletion[:-tail_head]), ("=", shared), ("+", insertion[tail_head:])]
    elif head_tail and _is_big(deletion[:head_tail], deletion, insertion, width):
        shared = deletion[:head_tail]
        split = [("+", insertion[:-head_tail]), ("=", shared), ("-", deletion[head_tail:])]
    else:
        split = [("-", deletion), ("+", insertion)]
    return [(sign, codes) for sign, codes in split if codes]


def _is_big(shared: str, deletion: str, insertion: str, width: _Width) -> bool:
    """An overlap is worth keeping as text only if it is at least half of the edit before or after it."""
    size = 2 * width(shared)
    return size >= width(deletion) or size >= width(insertion)
