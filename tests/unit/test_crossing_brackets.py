"""Brackets that run over several paragraphs: found, counted in every paragraph they cover, and no
paragraph inside one is ever agreed; a stray bracket brackets only its own paragraph."""

import pytest

from api.domain.errors import InvalidInput
from api.domain.negotiation import settle_status
from api.domain.structure.markdown import parse_markdown
from api.domain.text import ParagraphStatus, crossing_brackets, inside_crossing, status_of, tally

CHAPEAU = (
    "## Article 3\n\n"
    "1. Each Party shall:\n\n"
    "    **Option 1:** [Each Party's contribution [shall][should]:\n\n"
    "    1. Be quantified;\n"
    "    2. Be unconditional;\n"
    "    3. Be ambitious.]\n\n"
    "2. Parties shall cooperate.\n\n"
    "3. [Parties shall report every year;\n\n"
    "4. Parties shall review the reports.]\n\n"
    "5. The [CMA shall decide.\n\n"
    "6. Nothing else here.\n\n"
    "7. A stray] close.\n"
)


def pairs() -> list[tuple[str, str]]:
    return [(p.text, p.eid) for p in parse_markdown(CHAPEAU)]


def test_a_bracket_over_a_chapeau_and_its_items_or_two_neighbours_is_found() -> None:
    paragraphs = parse_markdown(CHAPEAU)
    found = [(paragraphs[c.first].number, paragraphs[c.last].number) for c in crossing_brackets(pairs())]
    assert found == [("3.1 Option 1", "3.1 Option 1(c)"), ("3.3", "3.4")]
    inside = dict(zip((p.number for p in paragraphs), inside_crossing(pairs()), strict=True))
    assert inside["3.1 Option 1(b)"] and inside["3.4"]  # (b) holds no bracket of its own
    # "5. The [CMA" and "7. A stray]" are not paired: "6." between them is not under "5.".
    assert not inside["3.5"] and not inside["3.6"] and not inside["3.7"] and not inside["3.2"]


def test_a_paragraph_inside_is_bracketed_and_counted_and_never_agreed() -> None:
    assert status_of("Be unconditional;", ParagraphStatus.AGREED, crossed=True) == ParagraphStatus.BRACKETED
    assert status_of("Be unconditional;", ParagraphStatus.AGREED) == ParagraphStatus.AGREED
    with pytest.raises(InvalidInput, match="inside brackets cannot be agreed"):
        settle_status("Be unconditional;", "agreed", "open", crossed=True)
    texts = [(text, ParagraphStatus.OPEN) for text, _eid in pairs()]
    counted = tally(texts, inside_crossing(pairs()))
    alone = tally(texts)
    # The crossing bracket is a segment of each of the 6 paragraphs it covers (4 + 2).
    assert counted.bracketed_segments == alone.bracketed_segments + 6
    # Items (a) and (b) hold no bracket of their own: they are bracketed now too.
    assert counted.by_status[ParagraphStatus.BRACKETED] == alone.by_status[ParagraphStatus.BRACKETED] + 2
    middle = "Be unconditional;"
    assert tally([(middle, ParagraphStatus.OPEN)], [True]).bracketed_chars == len(middle)
