"""Tokens: words for Latin and Cyrillic, characters for CJK, numbers and punctuation whole."""

from hypothesis import given
from hypothesis import strategies as st

from api.domain.text import tokenise
from api.domain.text.tokens import content_tokens, is_token_boundary, shared_ends


def test_english_words_keep_hyphens_and_apostrophes() -> None:
    assert tokenise("co-facilitators don't agree… yet") == (
        "co-facilitators",
        " ",
        "don't",
        " ",
        "agree",
        "…",
        " ",
        "yet",
    )


def test_chinese_is_cut_into_characters_and_numbers_stay_whole() -> None:
    assert tokenise("《2030 年议程》移民人数超过 2.44 亿") == (
        "《",
        "2030",
        " ",
        "年",
        "议",
        "程",
        "》",
        "移",
        "民",
        "人",
        "数",
        "超",
        "过",
        " ",
        "2.44",
        " ",
        "亿",
    )


def test_symbols_and_references_are_whole_units() -> None:
    assert tokenise("A/RES/70/302, OP7bis, 1st — 3,000") == (
        "A",
        "/",
        "RES",
        "/",
        "70/302",
        ",",
        " ",
        "OP7bis",
        ",",
        " ",
        "1st",
        " ",
        "—",
        " ",
        "3,000",
    )


def test_cyrillic_and_combining_accents_stay_inside_words() -> None:
    assert tokenise("Россия и cafe\u0301") == ("Россия", " ", "и", " ", "cafe\u0301")


def test_markup_is_cut_like_any_punctuation() -> None:
    assert tokenise("<script>x</script>") == ("<", "script", ">", "x", "<", "/", "script", ">")


def test_empty_and_punctuation_only() -> None:
    assert tokenise("") == ()
    assert tokenise("...!?，。") == ("...", "!", "?", "，", "。")


def test_content_tokens_skip_white_space() -> None:
    assert content_tokens("We  shall,\n 我们") == ["We", "shall", ",", "我", "们"]


def test_token_boundaries() -> None:
    assert is_token_boundary("ab cd", 2)
    assert not is_token_boundary("ab cd", 1)
    assert is_token_boundary("我们", 1)
    assert is_token_boundary("x", 0) and is_token_boundary("x", 1)


def test_shared_ends_counts_prefix_and_suffix() -> None:
    assert shared_ends("abcXdef", "abcYYdef") == 6
    assert shared_ends("aaa", "aaa") == 3
    assert shared_ends("", "abc") == 0


@given(st.text())
def test_tokens_always_rebuild_the_text(text: str) -> None:
    assert "".join(tokenise(text)) == text
