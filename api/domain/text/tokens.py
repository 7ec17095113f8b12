"""Cutting text into the units a negotiator reads: words, CJK characters, numbers, punctuation, spaces."""

import re
import unicodedata

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
_WORD_CHAR = rf"(?:[^\W_{_CHARACTER_SCRIPTS}]|[{_MARKS}])"
# A word may hold apostrophes and hyphens between its parts: "don't", "co-facilitators", "States’".
_WORD = rf"{_LETTER}{_WORD_CHAR}*(?:['’\-‐]{_WORD_CHAR}+)*"
# Numbers stay whole with their separators and an ordinal or unit suffix: 2030, 2.44, 70/302, 1st.
_NUMBER = rf"\d+(?:[.,:/]\d+)*{_WORD_CHAR}*"
# Runs of the same mark read as one sign: ellipses, dashes, rules.
_PUNCTUATION_RUN = r"\.{2,}|…+|—+|-{2,}|_{2,}|\*{2,}|={2,}|#{2,}"
_TOKEN = re.compile(
    rf"\s+|[{_CHARACTER_SCRIPTS}]|{_NUMBER}|{_WORD}|{_PUNCTUATION_RUN}|.",
    re.DOTALL,
)


def tokenise(text: str) -> list[str]:
    """Cut text into tokens whose concatenation is the text itself."""
    return _TOKEN.findall(text)


def is_space(token: str) -> bool:
    """Tell whether a token is a run of white space."""
    return token.isspace()


def normalise_spaces(text: str) -> str:
    """Collapse white-space runs to one space and trim: how text compares when wrapping is ignored."""
    return " ".join(text.split())


def fold(text: str) -> str:
    """Fold case and compatibility forms (full-width letters, ligatures) for loose comparison."""
    return unicodedata.normalize("NFKC", text).casefold()
