"""A paragraph's status follows its brackets: text in dispute is never agreed, whatever anyone declares."""

from api.domain.errors import InvalidInput
from api.domain.text.brackets import BracketReport, ParagraphStatus, parse_brackets, status_of

_SETTLED = frozenset({ParagraphStatus.AGREED, ParagraphStatus.AGREED_AD_REF})
_SHOWN = 3  # brackets quoted in a refusal; the rest are counted


def declared(status: str) -> ParagraphStatus:
    """A stored status as the enum (an unknown value reads as open, the least settled)."""
    try:
        return ParagraphStatus(status)
    except ValueError:
        return ParagraphStatus.OPEN


def effective_status(text: str, status: str, *, crossed: bool = False) -> ParagraphStatus:
    """The status a paragraph really has: bracketed while it holds brackets or lies inside a bracket
    running over several paragraphs (`crossed`), else what was declared."""
    return status_of(text, declared(status), crossed=crossed)


def settle_status(
    text: str, requested: str | None, current: str, *, crossed: bool = False
) -> ParagraphStatus:
    """The status to store after an edit; asking for agreed (ad ref) over brackets is refused, naming them."""
    if requested is not None and declared(requested) in _SETTLED:
        if crossed:
            raise InvalidInput(
                f"a paragraph inside brackets cannot be {declared(requested).value.replace('_', ' ')}: a "
                "bracket opened in an earlier paragraph closes only in a later one; settle those first"
            )
        report = parse_brackets(text)
        if report.has_brackets:
            raise InvalidInput(
                f"a paragraph with brackets cannot be {declared(requested).value.replace('_', ' ')}: "
                f"{describe_brackets(text, report)}; remove them first, or keep it bracketed"
            )
    return effective_status(text, requested if requested is not None else current, crossed=crossed)


def describe_brackets(text: str, report: BracketReport | None = None) -> str:
    """The brackets of a text in words, quoting the first few: «[x]», «[y]» and 2 more."""
    report = report or parse_brackets(text)
    quoted = [f"«{text[s.start : s.end]}»" for s in report.outermost]
    quoted += [f"an unmatched «{text[i]}» at character {i + 1}" for i in report.unbalanced]
    more = len(quoted) - _SHOWN
    listed = ", ".join(quoted[:_SHOWN]) + (f" and {more} more" if more > 0 else "")
    return f"it still holds {listed}"
