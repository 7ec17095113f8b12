"""Document structure: numbers as negotiators cite them, AKN-style eIds, ids that fit their columns."""

import re

import pytest

from api.domain.errors import InvalidInput
from api.domain.numbering import citation, margin_label
from api.domain.structure.ids import EID_MAX, KEY_MAX, WID_MAX, fit, insertion_key, insertion_wid
from api.domain.structure.labels import read_label, roman_value
from api.domain.structure.outline import StructuredParagraph, Unit, build_outline
from api.domain.structure.plain import parse_plain


def numbers(paragraphs: list[StructuredParagraph]) -> list[str | None]:
    return [p.number for p in paragraphs]


def test_roman_numerals_are_read_properly() -> None:
    numerals = ("i", "iii", "iv", "vii", "viii", "ix", "xiv", "xxx", "XII")
    assert [roman_value(n) for n in numerals] == [1, 3, 4, 7, 8, 9, 14, 30, 12]
    assert roman_value("iiii") is None and roman_value("vv") is None and roman_value("") is None


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("Article 3 (mitigation)", "article", "3"),
        ("[Article 3bis] (REDD-plus)", "article", "3bis"),
        ("I. Scope and definition", "part", "I"),
        ("B. Content of the authorization", "section", "B"),
        ("12bis. Decides", "paragraph", "12bis"),
        ("7.bis [Developed", "paragraph", "7bis"),
        ("3.3quat Developing", "paragraph", "3quater"),
        ("(viii) Where", "point", "viii"),
        ("Option 2: {Additional}", "option", "2"),
        ("Alt: text", "option", "alt"),
        ("{End of options}", "end_options", ""),
    ],
)
def test_labels(text: str, kind: str, value: str) -> None:
    label = read_label(text)
    assert label is not None and (label.kind, label.value) == (kind, value)


@pytest.mark.parametrize(
    "text", ["Alternatively, Parties may", "Option to be decided", "1.5 degrees", "2018. 年底"]
)
def test_sentences_are_not_labels(text: str) -> None:
    label = read_label(text)
    assert label is None or label.article is not None  # "1.5" is checked against the article later


def test_paragraphs_restart_in_every_article_and_are_cited_with_it() -> None:
    parsed = parse_plain(
        "# Article 1\n\n1. One.\n\n2. Two.\n\n# Article 2 (purpose)\n\n1. Again one.\n\n1bis. Inserted.\n"
    )
    assert numbers(parsed) == ["Article 1", "1.1", "1.2", "Article 2", "2.1", "2.1bis"]
    assert [p.eid for p in parsed][4:] == ["art_2__para_1", "art_2__para_1bis"]
    assert parsed[3].text == "(purpose)"
    assert [citation(p.number, p.kind) for p in parsed][3:5] == ["Article 2", "Art. 2.1"]


def test_items_and_letters_are_told_apart_by_the_sibling_before() -> None:
    letters = "\n\n".join(f"({c}) Letter {c}." for c in "abcdefgh")
    text = (
        "# Article 3\n\n8. Chapeau:\n\n"
        f"{letters}\n\n(i) Letter i.\n\n(j) Letter j:\n\n(i) Item one;\n\n(ii) Item two;\n\n(iii) three;\n\n"
        "(iv) four;\n\n(v) five;\n\n(vi) six;\n\n(vii) seven;\n\n(viii) eight;\n\n(k) Letter k.\n"
    )
    parsed = parse_plain(text)
    by_number = {p.number: p for p in parsed}
    assert "3.8(i)" in by_number and by_number["3.8(i)"].text == "Letter i."
    assert [n for n in numbers(parsed) if n and n.startswith("3.8(j)(")] == [
        f"3.8(j)({r})" for r in ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii")
    ]
    assert by_number["3.8(k)"].level == 1
    assert by_number["3.8(j)(viii)"].eid == "art_3__para_8__point_j__point_viii"
    assert citation("3.8(j)(viii)", "subparagraph") == "Art. 3.8(j)(viii)"
    assert margin_label("3.8(j)(viii)", "subparagraph") == "(viii)"


def test_items_under_a_letter_close_when_the_letters_go_on() -> None:
    parsed = parse_plain("12. Chapeau\n\n(a) one\n\n(i) item\n\n(ii) item\n\n(b) two\n\n13. Next\n")
    assert numbers(parsed) == ["12", "12(a)", "12(a)(i)", "12(a)(ii)", "12(b)", "13"]
    assert citation("12bis", "paragraph") == "para. 12bis" and margin_label("12bis", "paragraph") == "12bis."


def test_options_hold_the_units_after_them_until_the_next_or_the_end() -> None:
    units = [
        Unit("I. Scope"),
        Unit("Option 1"),
        Unit("1. Decides that", depth=24),
        Unit("Option 2"),
        Unit("2. Recalls that", depth=24),
        Unit("(a) The voluntary", depth=28),
        Unit("{Tracking arrangements}"),
        Unit("(b) The relationship", depth=28),
        Unit("{End of options}"),
        Unit("3. Decides also", depth=24),
    ]
    parsed = build_outline(units)
    assert numbers(parsed) == ["I", "I, Option 1", "1", "I, Option 2", "2", "2(a)", None, "2(b)", None, "3"]
    assert parsed[5].eid == "chp_I__opt_2__para_2__point_a"
    assert parsed[9].eid == "chp_I__para_3"  # after "{End of options}" the paragraph is no option's


def test_paragraphs_written_inside_an_option_of_a_paragraph_carry_it() -> None:
    units = [
        Unit("Article 3", heading=2),
        Unit("Differentiated efforts", ordinal="3"),
        Unit("Option 2:", depth=1),
        Unit("3.3bis Developing countries", depth=1),
        Unit("Option 4: modulators", depth=1),
        Unit("3.3bis Each Party", depth=1),
        Unit("Timing", ordinal="8"),
        Unit("First communication", depth=1, ordinal="1"),
    ]
    parsed = build_outline(units)
    assert numbers(parsed) == [
        "Article 3",
        "3.3",
        "3.3 Option 2",
        "3.3 Option 2: 3.3bis",
        "3.3 Option 4",
        "3.3 Option 4: 3.3bis",
        "3.8",
        "3.8(1)",
    ]
    assert parsed[2].text == "Option 2:"  # a bare label keeps its words: a paragraph is never empty
    assert margin_label("3.3 Option 4", "subparagraph") == "Option 4"


def test_numbers_eids_and_keys_are_unique_even_when_the_draft_repeats_a_number() -> None:
    parsed = parse_plain("1. One\n\n(a) x\n\n1. Repeated\n\n(a) y\n\n" + "Unnumbered.\n\n" * 3)
    for values in ([p.number for p in parsed if p.number], [p.eid for p in parsed], [p.key for p in parsed]):
        assert len(values) == len(set(values))
    assert numbers(parsed)[:4] == ["1", "1(a)", "1 #2", "1 #2(a)"]
    assert all(re.fullmatch(r"[A-Za-z0-9_]+", p.eid) for p in parsed)


def test_an_empty_draft_is_refused() -> None:
    with pytest.raises(InvalidInput, match="no paragraphs"):
        parse_plain("\n\n  \n")


def test_ids_fit_their_columns_on_every_engine() -> None:
    long = "art_3__para_8__" + "point_b__" * 20
    assert len(fit(long, EID_MAX)) == EID_MAX and fit(long, EID_MAX) != fit(long + "x", EID_MAX)
    wid, key = "art_3__para_8", "art-3-para-8"
    for proposal in range(1, 12):  # an insertion after an insertion after … never grows
        wid, key = insertion_wid(wid, proposal), insertion_key(key, proposal)
        assert len(wid) <= WID_MAX and len(key) <= KEY_MAX
    assert (wid, key) == ("art_3__para_8__ins_p11", "art-3-para-8-p11")
    assert len(insertion_wid("x" * 200, 123456)) == WID_MAX
