"""The redline of two texts: diff-match-patch over tokens (words, CJK characters), with semantic clean-up.

Each distinct token becomes one code point (the lines-to-chars trick of diff-match-patch, generalised to
words), so the C++ diff and its semantic clean-up work on a string a few times shorter than the text and
can only cut between tokens. Single characters (CJK, punctuation, one space) stand for themselves; longer tokens get
private-use code points. The diff runs with no time limit, so it is exact unless a caller asks for a
deadline, and then the result says whether it may have been cut.
"""

import time
from collections.abc import Iterable, Sequence
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
    return Redline(ops=tuple(_coalesce(Op(_KINDS[sign], codec.decode(codes)) for sign, codes in raw)), exact=exact)


def _diff_codes(old: str, new: str, deadline: float | None) -> tuple[list[tuple[str, str]], bool]:
    """Run the C++ diff with semantic clean-up on encoded strings; a run that reached its deadline may be cut."""
    started = time.perf_counter()
    # The clean-up counts tokens, not characters: a kept word weighs as much as a changed word, which
    # keeps "the" and "of" visible between two rewritten words, as a careful human redline does.
    raw = fast_diff_match_patch.diff(
        old, new, timelimit=deadline or 0, checklines=False, cleanup="Semantic", counts_only=False
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
