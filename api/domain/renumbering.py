"""Renumbering at publication, as a UN Rev. does: 12, 12bis, 13, 15 becomes 12, 13, 14, 15.

Negotiators number insertions 12bis and leave gaps where a paragraph was deleted while a text is being
negotiated; the next revision is issued numbered again in document order. Operative paragraphs are
numbered 1 … n and preambular ones PP1 … n (each within their part of the document), sub-paragraphs
(a), (b) … within their paragraph and items (i), (ii) … within their sub-paragraph. What is renumbered
is the number alone: a paragraph's identity (its wId) never changes, so proposals keep their paragraph.

Numbers cited within an article ("3.8"), options and numbers the draft repeats ("12 #2") are kept as
written: they are not a sequence this renumbering can read.
"""

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from api.domain.numbering import LATIN_ORDINALS

PREAMBULAR_PREFIX = "PP"
_SUFFIX = "|".join(sorted(LATIN_ORDINALS, key=len, reverse=True))
_NUMBER = re.compile(
    rf"^(?P<top>(?:{PREAMBULAR_PREFIX})?\d+(?:{_SUFFIX})?)(?P<points>(?:\([a-z0-9]+\)(?:{_SUFFIX})?)*)$"
)
_POINT = re.compile(rf"\((?P<label>[a-z0-9]+)\)(?:{_SUFFIX})?")
_ROMAN = ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


@dataclass(frozen=True)
class Numbered:
    """A paragraph as renumbering sees it: its number now, its part and whether it is preambular."""

    number: str | None
    part: str = "body"
    preambular: bool = False
    heading: bool = False


def renumbered(paragraphs: Sequence[Numbered]) -> list[str | None]:
    """The number each paragraph takes in the new revision, in the order given (document order)."""
    counters: dict[tuple[str, ...], int] = defaultdict(int)
    new_path: dict[tuple[str, ...], tuple[str, ...]] = {}
    result: list[str | None] = []
    for paragraph in paragraphs:
        result.append(_next(paragraph, counters, new_path))
    return result


def _next(
    paragraph: Numbered,
    counters: dict[tuple[str, ...], int],
    new_path: dict[tuple[str, ...], tuple[str, ...]],
) -> str | None:
    match = _NUMBER.match(paragraph.number or "")
    if paragraph.heading or (match is None and not (paragraph.preambular and not paragraph.number)):
        return paragraph.number  # not a sequence: kept as written
    old_top = match["top"] if match else ""
    points: list[str] = _POINT.findall(match["points"]) if match else []
    if not points:
        prefix = PREAMBULAR_PREFIX if paragraph.preambular else ""
        counters[(paragraph.part, prefix)] += 1
        top = f"{prefix}{counters[(paragraph.part, prefix)]}"
        new_path[(paragraph.part, old_top)] = (top,)
        return top
    parent_old = (paragraph.part, old_top, *points[:-1])
    parent_new = new_path.get(parent_old)
    if parent_new is None:
        return paragraph.number  # a point whose paragraph is not numbered in sequence: as written
    scope = (paragraph.part, *parent_new)
    counters[scope] += 1
    label = _label(counters[scope], depth=len(points), written=points[-1])
    new_path[(paragraph.part, old_top, *points)] = (*parent_new, label)
    return parent_new[0] + "".join(f"({step})" for step in (*parent_new[1:], label))


def _label(position: int, depth: int, written: str) -> str:
    """The label of the nth point at a depth, in the style the draft uses there: (a), (i) or (1)."""
    if written.isdigit():
        return str(position)
    if depth % 2 == 0:
        return roman(position)
    return letters(position)


def letters(position: int) -> str:
    """The nth sub-paragraph letter: a … z, then aa, bb … zz."""
    if position <= 26:
        return chr(ord("a") + position - 1)
    return chr(ord("a") + (position - 27) % 26) * 2


def roman(position: int) -> str:
    """The nth item numeral in lower case: i, ii … ix, x … xxxix."""
    result = ""
    for value, numeral in _ROMAN:
        while position >= value:
            result += numeral
            position -= value
    return result


# Operative paragraphs of a resolution open with a verb in the third person: "Decides", "Calls upon".
_OPERATIVE_VERB = re.compile(
    r"^(?:Decides|Requests|Calls|Urges|Encourages|Invites|Welcomes|Notes|Takes|Reaffirms|Recognizes|"
    r"Stresses|Emphasizes|Affirms|Recommends|Endorses|Adopts|Approves|Acknowledges|Expresses|Commends|"
    r"Appeals|Underlines|Condemns|Demands|Authorizes|Agrees|Resolves|Declares|Proclaims)\b"
)
# "The General Assembly," opens a resolution: the body the paragraphs are said by, neither PP nor OP.
_CHAPEAU = re.compile(r"^The [^,]{1,70},$")


def preambular_by_default(paragraphs: Sequence[tuple[str, str | None, str]]) -> list[bool]:
    """Which paragraphs (kind, number, text) of an imported draft are preambular until a person says.

    The preamble is what comes before the first operative paragraph: the first numbered one, or the
    first that opens with an operative verb; a heading, and the chapeau that names who speaks, are not
    paragraphs of it. A draft numbered from its first paragraph has no preamble to guess."""
    marks: list[bool] = []
    operative = False
    for kind, number, text in paragraphs:
        if kind == "heading":
            marks.append(False)
            continue
        operative = operative or (number is not None and not number.startswith(PREAMBULAR_PREFIX))
        operative = operative or bool(_OPERATIVE_VERB.match(text))
        chapeau = not any(marks) and number is None and bool(_CHAPEAU.match(text.strip()))
        marks.append(not operative and not chapeau)
    return marks
