"""The search engine's terms, matches and excerpts, with exact expected outputs."""

import pytest

from api.domain.text.search import Term, cited_number, excerpt, find_terms, holds_terms, parse_query, stem


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("orderly", "order"),
        ("migrants", "migrant"),
        ("Policies", "polic"),
        ("processes", "process"),
        ("process", "process"),
        ("consensus", "consensus"),
        ("nation", "nation"),
        ("displaced", "displac"),
        ("ＯＲＤＥＲ", "order"),
    ],
)
def test_a_stem_drops_a_common_ending_and_keeps_four_letters(word: str, expected: str) -> None:
    assert stem(word) == expected


def test_a_query_is_cut_into_cjk_runs_word_stems_and_numbers() -> None:
    assert parse_query("移民 难民") == (Term("characters", "移民"), Term("characters", "难民"))
    assert parse_query("Orderly migration, 2030 Agenda; OP 12bis!") == (
        Term("word", "order"),
        Term("word", "migr"),
        Term("number", "2030"),
        Term("word", "agenda"),
        Term("word", "op"),
        Term("number", "12bis"),
    )
    assert parse_query("移民工人") == (Term("characters", "移民工人"),)
    assert parse_query("order order ORDERS") == (Term("word", "order"),)
    assert parse_query("... !!") == ()


def test_chinese_is_found_inside_longer_words_and_english_by_word_starts() -> None:
    text = "国际移民对移民及其家人而言是潜在机会；"
    assert find_terms(text, parse_query("移民")) == [(2, 4), (5, 7)]
    english = "Safe, orderly and regular migration of migrants; no border orders."
    assert [english[a:b] for a, b in find_terms(english, parse_query("order migrant")) or []] == [
        "orderly",
        "migrants",
        "orders",
    ]
    assert find_terms(english, parse_query("order zebra")) is None
    assert find_terms("Article 70/302 of 2030", parse_query("2030")) == [(18, 22)]
    assert find_terms("in 12bis and 12", parse_query("12")) == [(13, 15)]
    # Text whose folding changes its length (ß → ss) is matched word by word, on the original spans.
    assert find_terms("Die Straße, ﬁnance", parse_query("strasse finance")) == [(4, 10), (12, 18)]


def test_holds_terms_agrees_with_find_terms() -> None:
    texts = ["国际移民对移民", "Safe, orderly migration", "no border", "Die Straße", "12bis and 12", ""]
    for query in ("移民", "order", "strasse", "12", "orderly zebra"):
        terms = parse_query(query)
        assert [holds_terms(t, terms) for t in texts] == [find_terms(t, terms) is not None for t in texts]


def test_an_excerpt_marks_hits_and_cuts_long_text_at_spaces() -> None:
    short = "Safe, orderly and regular migration."
    assert excerpt(short, [(6, 13)]) == [
        ("Safe, ", False),
        ("orderly", True),
        (" and regular migration.", False),
    ]
    long = " ".join(f"word{n}" for n in range(100)) + " orderly " + " ".join(f"tail{n}" for n in range(100))
    at = long.index("orderly")
    pieces = excerpt(long, [(at, at + 7)], width=60)
    assert pieces[0] == ("…", False) and pieces[-1] == ("…", False)
    assert [p for p in pieces if p[1]] == [("orderly", True)]
    inner = "".join(text for text, _hit in pieces[1:-1])
    assert inner.startswith("word") and inner.endswith(tuple("0123456789")) and len(inner) <= 60


@pytest.mark.parametrize(
    ("cited", "expected"),
    [
        ("12", "12"),
        ("OP 12bis", "12bis"),
        ("op12bis", "12bis"),
        ("para. 3.8 (b)", "3.8(b)"),
        ("Paragraph 8(a)", "8(a)"),
        ("PP1", "pp1"),
        ("第12段", "12"),
        ("Article 3.", "3"),
    ],
)
def test_a_cited_number_reduces_to_the_number_as_stored(cited: str, expected: str) -> None:
    assert cited_number(cited) == expected
