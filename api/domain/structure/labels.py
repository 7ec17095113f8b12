"""Labels that open a unit of a draft as negotiators write them: "Article 3", "I.", "12bis.", "(a)", "(iv)".

A label alone does not say where the unit sits ("(i)" is a letter after "(h)" and a roman item under
"(h)"); the outline decides that from the units around it. Here a label is only read.
"""

import re
from dataclasses import dataclass
from typing import Literal

from api.domain.numbering import LATIN_ORDINALS

LabelKind = Literal["part", "section", "article", "paragraph", "point", "option", "end_options"]
Style = Literal["arabic", "letter", "roman", "upper_roman", "upper_letter", "option"]

_SUFFIXES = "|".join(sorted(LATIN_ORDINALS, key=len, reverse=True)) + "|quat|alt"
_ROMAN = re.compile(r"^(?=[mdclxvi])m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")
# Item numerals stop at (xxxix): (c), (d), (l), (m) are letters, never hundreds.
_ITEM_ROMAN = re.compile(r"^[ivx]+$")

# "Article 6.4" cites paragraph 4 of Article 6: a reference, not the heading of Article 6.
_ARTICLE = re.compile(
    rf"^\[?(?:Article|Art\.)\s+(\d{{1,3}}(?:\s?(?:{_SUFFIXES}))?)\]?(?=[\s:]|\.(?!\d)|$)", re.IGNORECASE
)
# "C." and "D." open sections (under "III."), never part 100 or 500: parts are numbered with I, V, X.
_PART = re.compile(r"^(?:(?:Part|Chapter)\s+([IVXLC]+|\d{1,2})|([IVX]{1,6})\.)(?=\s|$)")
_SECTION = re.compile(r"^([A-Z])\.(?=\s)")
_OPTION = re.compile(r"^(Option|Alt)\b\s*(?:([0-9]{1,2}|[IVX]{1,4}|[A-Z])\b)?\s*([:.)])?")
_END_OPTIONS = re.compile(r"^\{\s*End of options\s*\}\s*$", re.IGNORECASE)
# "12." "12bis." "7.bis" — and "3.3bis" / "3.3:" / "3.x" (article.paragraph), checked against the article.
_PARAGRAPH = re.compile(
    rf"^(?:(?P<article>\d{{1,3}})\.(?P<sub>\d{{1,3}}|x)(?P<ssuf>\s?(?:{_SUFFIXES})(?:\s+alt)?)?\s*:?"
    rf"|(?P<num>\d{{1,3}})(?P<suf>(?:\.?\s?(?:{_SUFFIXES}))?)\s*[.．、)](?!\d)"
    rf"|(?P<dotted>\d{{1,3}})\.(?P<dsuf>{_SUFFIXES}))(?=\s|\[\^|$)",
    re.IGNORECASE,
)
_POINT = re.compile(rf"^[(（](?P<label>[a-z]{{1,2}}|[ivx]{{1,6}}|\d{{1,3}}(?:{_SUFFIXES})?)[)）](?=\s|$)")


@dataclass(frozen=True)
class Label:
    """A label read at the start of a unit: what it can open, its style(s), value and written form."""

    kind: LabelKind
    styles: tuple[Style, ...]
    value: str  # as cited: "3", "3bis", "b", "iv", "I", "1"
    length: int  # characters of the text the label takes up
    article: str | None = None  # "3" of "3.8": the article an article.paragraph label names


def roman_value(numeral: str) -> int | None:
    """The value of a roman numeral ("iv" → 4, "XII" → 12); None if it is not one."""
    lowered = numeral.lower()
    if not _ROMAN.match(lowered):
        return None
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
    total = 0
    for index, char in enumerate(lowered):
        value = values[char]
        following = values[lowered[index + 1]] if index + 1 < len(lowered) else 0
        total += -value if value < following else value
    return total


def letter_value(letters: str) -> int | None:
    """Position of a sub-paragraph letter: a → 1, z → 26, aa → 27, bb → 28; None otherwise."""
    if len(letters) == 1 and letters.isalpha() and letters.islower():
        return ord(letters) - ord("a") + 1
    if len(letters) == 2 and letters[0] == letters[1] and letters.isalpha() and letters.islower():
        return 26 + ord(letters[0]) - ord("a") + 1
    return None


def ordinal_value(value: str, style: Style) -> int | None:
    """The position a label's value stands for in its style (roman "iv" → 4, letter "d" → 4)."""
    if style == "roman" or style == "upper_roman":
        return roman_value(value)
    if style == "letter":
        return letter_value(value)
    if style == "upper_letter":
        return letter_value(value.lower())
    digits = re.match(r"\d+", value)
    return int(digits.group()) if digits else None


def read_label(text: str) -> Label | None:
    """The label that opens this text, if any."""
    return _read_structural(text) or _read_option(text) or _read_paragraph(text) or _read_point(text)


def _read_structural(text: str) -> Label | None:
    if match := _ARTICLE.match(text):
        return Label("article", ("arabic",), _compact(match[1]), match.end())
    if match := _PART.match(text):
        return Label("part", ("upper_roman",), match[1] or match[2], match.end())
    if match := _SECTION.match(text):
        return Label("section", ("upper_letter",), match[1], match.end())
    return None


def _read_option(text: str) -> Label | None:
    if _END_OPTIONS.match(text):
        return Label("end_options", (), "", len(text))
    match = _OPTION.match(text)
    if not match:
        return None
    word, number, mark = match[1], match[2], match[3]
    rest = text[match.end() :].strip()
    # "Option" needs its number; a bare "Alt" is a label only when nothing or a colon follows it.
    if number is None and (word == "Option" or (mark is None and rest)):
        return None
    value = number if word == "Option" else f"alt{number or ''}"
    return Label("option", ("option",), value or "alt", match.end())


def _read_paragraph(text: str) -> Label | None:
    match = _PARAGRAPH.match(text)
    if not match:
        return None
    if match["article"]:
        suffix = _compact(match["ssuf"] or "")
        return Label("paragraph", ("arabic",), match["sub"] + suffix, match.end(), article=match["article"])
    if match["dotted"]:
        return Label("paragraph", ("arabic",), match["dotted"] + _compact(match["dsuf"]), match.end())
    suffix = _compact((match["suf"] or "").lstrip("."))
    return Label("paragraph", ("arabic",), match["num"] + suffix, match.end())


def _read_point(text: str) -> Label | None:
    match = _POINT.match(text)
    if not match:
        return None
    label = match["label"]
    styles: list[Style] = []
    if label[0].isdigit():
        styles.append("arabic")
    if letter_value(label) is not None:
        styles.append("letter")
    if _ITEM_ROMAN.match(label) and roman_value(label) is not None:
        styles.append("roman")
    if not styles:
        return None
    return Label("point", tuple(styles), label, match.end())


def _compact(suffix: str) -> str:
    """ "3 bis" → "3bis", "quat" → "quater", " Alt" → "alt": one spelling for each written form."""
    compact = re.sub(r"quat(?!er)", "quater", re.sub(r"\s+", "", suffix).lower())
    return re.sub(r"(?<=.)alt$", " alt", compact)
