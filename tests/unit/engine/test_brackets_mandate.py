"""Brackets and paragraph status; mandate element suggestions."""

import re

import pytest

from api.domain.errors import InvalidInput
from api.domain.text import (
    BracketSegment,
    ParagraphStatus,
    check_status,
    parse_brackets,
    status_of,
    suggest_elements,
    tally,
)
from bench.synthetic import CORPUS


def test_nested_brackets_and_options() -> None:
    report = parse_brackets("We [shall][should] [ensure [full] protection] of migrants.")
    assert report.segments == (
        BracketSegment(3, 10, 1, "shall"),
        BracketSegment(10, 18, 1, "should"),
        BracketSegment(19, 45, 1, "ensure [full] protection"),
        BracketSegment(27, 33, 2, "full"),
    )
    assert [group.alternatives for group in report.options] == [("shall", "should")]
    assert report.segment_count == 3
    assert report.bracketed_chars == 5 + 6 + 24
    assert report.balanced and report.has_brackets


def test_options_are_written_back_to_back_or_with_a_slash() -> None:
    report = parse_brackets("[x] [y]/[z] and [a [p] / [q] b]")
    assert [group.alternatives for group in report.options] == [("y", "z"), ("p", "q")]


def test_unbalanced_brackets_are_reported_not_raised() -> None:
    report = parse_brackets("a ] b [c [d] e")
    assert report.unbalanced == (2, 6)
    assert report.segments == (BracketSegment(9, 12, 1, "d"),)
    assert not report.balanced


def test_full_width_brackets_in_chinese() -> None:
    report = parse_brackets("我们［将］［应］保护移民。")
    assert [group.alternatives for group in report.options] == [("将", "应")]
    assert report.bracketed_chars == 2


def test_no_brackets_and_odd_inputs() -> None:
    assert not parse_brackets("").has_brackets
    assert parse_brackets("[[[]]]").segment_count == 1
    assert parse_brackets("<script>[x]</script>").segments == (BracketSegment(8, 11, 1, "x"),)
    assert parse_brackets("]" * 3 + "[" * 2).unbalanced == (0, 1, 2, 3, 4)


def test_status_follows_the_brackets() -> None:
    assert status_of("Agreed text.") == ParagraphStatus.OPEN
    assert status_of("Text [in dispute].") == ParagraphStatus.BRACKETED
    assert status_of("Text [unclosed.") == ParagraphStatus.BRACKETED
    assert status_of("Agreed text.", ParagraphStatus.AGREED_AD_REF) == ParagraphStatus.AGREED_AD_REF
    assert status_of("Text [x].", ParagraphStatus.AGREED) == ParagraphStatus.BRACKETED
    assert status_of("Clean now.", ParagraphStatus.BRACKETED) == ParagraphStatus.OPEN


def test_a_bracketed_paragraph_cannot_be_agreed() -> None:
    check_status("Clean text.", ParagraphStatus.AGREED)
    check_status("Text [x].", ParagraphStatus.OPEN)
    with pytest.raises(InvalidInput, match="cannot be agreed_ad_ref"):
        check_status("Text [x].", ParagraphStatus.AGREED_AD_REF)


def test_tally_counts_progress() -> None:
    result = tally(
        [
            ("Clean.", ParagraphStatus.AGREED),
            ("Ad ref.", ParagraphStatus.AGREED_AD_REF),
            ("[Both][Either] ways.", ParagraphStatus.OPEN),
            ("Open text.", ParagraphStatus.OPEN),
        ]
    )
    assert result.paragraphs == 4
    assert result.by_status == {
        ParagraphStatus.OPEN: 1,
        ParagraphStatus.BRACKETED: 1,
        ParagraphStatus.AGREED_AD_REF: 1,
        ParagraphStatus.AGREED: 1,
    }
    assert (result.bracketed_segments, result.bracketed_chars, result.total_chars) == (2, 10, 43)
    assert result.agreed_share == 0.5


def _gcm_elements() -> list[tuple[str, str]]:
    """Elements (a)–(x) of Annex II, paragraph 8, in the seed's official Chinese wording."""
    text = (CORPUS / "zh.txt").read_text(encoding="utf-8")
    start = text.index("8. 这一全球契约的内容包括")
    found = re.findall(r"^\(([a-x])\) (.+)$", text[start:], flags=re.MULTILINE)
    return found[:24]


def test_chinese_paragraphs_are_matched_to_gcm_elements() -> None:
    elements = _gcm_elements()
    assert [code for code, _ in elements] == list("abcdefghijklmnopqrstuvwx")
    suggestions = suggest_elements("我们将打击人口贩运和偷运移民行为，保护被贩运者。", elements, limit=3)
    assert [code for code, _ in suggestions][:2] == ["k", "l"]
    assert suggest_elements("各国将改进国际移民分类数据的收集。", elements, limit=1)[0][0] == "v"
    assert suggest_elements("汇款是私人资本的重要来源。", elements, limit=1)[0][0] == "h"


def test_english_paragraphs_are_matched_to_elements() -> None:
    elements = [
        ("h", "Remittances as an important source of private capital and their contribution to development"),
        ("k", "Combating trafficking in persons, smuggling of migrants and contemporary forms of slavery"),
        ("v", "Disaggregated data on international migration"),
    ]
    result = suggest_elements("We will lower the cost of remittances sent by migrant workers.", elements)
    assert result[0][0] == "h" and 0 < result[0][1] <= 1
    assert suggest_elements("States shall combat the smuggling of migrants.", elements)[0][0] == "k"


def test_no_suggestions_for_nothing() -> None:
    assert suggest_elements("", [("a", "Anything")]) == []
    assert suggest_elements("Some text.", []) == []
    assert suggest_elements("Some text.", [("a", "Some text.")], limit=0) == []
