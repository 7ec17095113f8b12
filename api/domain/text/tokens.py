"""Cutting text into the units a negotiator reads: words, CJK characters, numbers, punctuation, spaces."""

import re
import unicodedata
from functools import lru_cache

# Scripts written without spaces between words are diffed character by character: Han (with its
# radicals, strokes and extensions), kana, bopomofo, Hangul, Yi, and Thai, Lao, Myanmar, Khmer.
_CHARACTER_SCRIPTS = (
    "\u0e00-\u0eff"  # Thai, Lao
    "\u1000-\u109f"  # Myanmar
    "\u1780-\u17ff"  # Khmer
    "\u1100-\u11ff"  # Hangul jamo
    "\u2e80-\u2fdf"  # CJK and Kangxi radicals
    "\u3005-\u3007\u3021-\u3029\u3038-\u303c"  # ideographic iteration marks and numbers
    "\u3040-\u30ff"  # hiragana, katakana
    "\u3100-\u31ff"  # bopomofo, Hangul compatibility jamo, kanbun, strokes
    "\u3400-\u4dbf\u4e00-\u9fff"  # CJK unified ideographs and extension A
    "\ua000-\ua4cf"  # Yi
    "\uac00-\ud7af"  # Hangul syllables
    "\uf900-\ufaff"  # CJK compatibility ideographs
    "\uff66-\uff9f"  # half-width katakana
    "\U00020000-\U0003134f"  # CJK extensions B to H
)
# Combining marks belong to the word they sit on (decomposed accents, Cyrillic, Hebrew, Arabic, Indic).
_MARKS = (
    "\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
    "\u0900-\u0dff\u1ab0-\u1aff\u1dc0-\u1dff\u200c\u200d\u20d0-\u20ff\ufe20-\ufe2f"
)
_LETTER = rf"[^\W\d_{_CHARACTER_SCRIPTS}]"
_ALNUM = rf"[^\W_{_CHARACTER_SCRIPTS}]"
# Letters and digits, with combining marks among them; written as runs so the regex engine stays fast.
_WORD_REST = rf"{_ALNUM}*(?:[{_MARKS}]+{_ALNUM}*)*"
# A word may hold apostrophes and hyphens between its parts: "don't", "co-facilitators", "States’".
_WORD = rf"{_LETTER}{_WORD_REST}(?:['’\-‐]{_ALNUM}{_WORD_REST})*"
# Numbers stay whole with their separators and an ordinal or unit suffix: 2030, 2.44, 70/302, 1st.
_NUMBER = rf"\d+(?:[.,:/]\d+)*{_WORD_REST}"
# Runs of the same mark read as one sign: ellipses, dashes, rules.
_PUNCTUATION_RUN = r"\.{2,}|…+|—+|-{2,}|_{2,}|\*{2,}|={2,}|#{2,}"
_TOKEN = re.compile(
    rf"\s+|[{_CHARACTER_SCRIPTS}]|{_NUMBER}|{_WORD}|{_PUNCTUATION_RUN}|.",
    re.DOTALL,
)
_SINGLE_CHARACTER = re.compile(f"[{_CHARACTER_SCRIPTS}]")
# The same tokens without the white space between them, for comparing content.
_CONTENT_TOKEN = re.compile(rf"\s*([{_CHARACTER_SCRIPTS}]|{_NUMBER}|{_WORD}|{_PUNCTUATION_RUN}|\S)")


@lru_cache(maxsize=4096)
def tokenise(text: str) -> tuple[str, ...]:
    """Cut text into tokens whose concatenation is the text itself."""
    # Cached: the same paragraph is cut for alignment, for its redline and for every proposal on it.
    return tuple(_TOKEN.findall(text))


def written_without_spaces(token: str) -> bool:
    """Whether a token is one character of a script written without spaces between words (Han, kana …)."""
    return bool(_SINGLE_CHARACTER.fullmatch(token))


def content_tokens(text: str) -> list[str]:
    """The tokens of a text that are not white space."""
    return _CONTENT_TOKEN.findall(text)


def common_prefix_length(first: str, second: str) -> int:
    """Length of the longest common prefix (binary search: slices compare in C, a loop would not)."""
    low, high = 0, min(len(first), len(second))
    while low < high:
        middle = (low + high + 1) // 2
        if first[:middle] == second[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def common_suffix_length(first: str, second: str) -> int:
    """Length of the longest common suffix."""
    low, high = 0, min(len(first), len(second))
    while low < high:
        middle = (low + high + 1) // 2
        if first[len(first) - middle :] == second[len(second) - middle :]:
            low = middle
        else:
            high = middle - 1
    return low


def shared_ends(first: str, second: str) -> int:
    """Characters shared at the start plus characters shared at the end (not overlapping)."""
    head = common_prefix_length(first, second)
    return head + common_suffix_length(first[head:], second[head:])


def is_token_boundary(text: str, at: int) -> bool:
    """Whether every tokenisation of text cuts at `at`: its ends, next to a CJK character, or a space edge."""
    if at <= 0 or at >= len(text):
        return True
    before, after = text[at - 1], text[at]
    return before.isspace() != after.isspace() or bool(
        _SINGLE_CHARACTER.match(before) or _SINGLE_CHARACTER.match(after)
    )


def normalise_spaces(text: str) -> str:
    """Collapse white-space runs to one space and trim: how text compares when wrapping is ignored."""
    return " ".join(text.split())


def fold(text: str) -> str:
    """Fold case and compatibility forms (full-width letters, ligatures) for loose comparison."""
    return unicodedata.normalize("NFKC", text).casefold()
