"""Renumbering in document order: paragraphs 1 … n, PP1 … n, (a) … and (i) … within their paragraph."""

from api.domain.renumbering import Numbered, preambular_by_default, renumbered


def test_an_insertion_and_a_deletion_are_numbered_away() -> None:
    numbers = ["11", "12", "12bis", "13", "15"]
    assert renumbered([Numbered(n) for n in ["1", *[str(n) for n in range(2, 11)], *numbers]])[-5:] == [
        "11", "12", "13", "14", "15",
    ]  # fmt: skip


def test_sub_paragraphs_follow_their_paragraph_and_restart_within_it() -> None:
    written = ["1", "1bis", "1bis(a)", "1bis(a)bis", "1bis(c)", "1bis(c)(i)", "1bis(c)(iii)", "2", "2(b)"]
    assert renumbered([Numbered(n) for n in written]) == [
        "1", "2", "2(a)", "2(b)", "2(c)", "2(c)(i)", "2(c)(ii)", "3", "3(a)",
    ]  # fmt: skip


def test_preambular_paragraphs_are_counted_on_their_own_and_each_part_restarts() -> None:
    paragraphs = [
        Numbered(None, preambular=True),
        Numbered("PP3", preambular=True),
        Numbered("4"),
        Numbered("4bis"),
        Numbered("7", part="annex1"),
    ]
    assert renumbered(paragraphs) == ["PP1", "PP2", "1", "2", "1"]


def test_what_is_not_a_sequence_is_kept_as_written() -> None:
    paragraphs = [
        Numbered("Article 3", heading=True),
        Numbered("3.8"),
        Numbered("3.1 Option 2"),
        Numbered("12 #2"),
        Numbered(None),
        Numbered("9(a)"),  # a point whose paragraph is not in the text
    ]
    assert renumbered(paragraphs) == ["Article 3", "3.8", "3.1 Option 2", "12 #2", None, "9(a)"]


def test_numbered_items_keep_their_arabic_style() -> None:
    assert renumbered([Numbered("5"), Numbered("5(2)"), Numbered("5(3)")]) == ["1", "1(1)", "1(2)"]


def test_the_preamble_of_an_imported_resolution_is_what_comes_before_its_operative_paragraphs() -> None:
    resolution = [
        ("heading", None, "Protection of migrants"),
        ("unnumbered", None, "The General Assembly,"),
        ("unnumbered", None, "Recalling its resolution 72/179 of 19 December 2017,"),
        ("unnumbered", None, "Deeply concerned at the large and growing number of migrants,"),
        ("paragraph", "1", "Calls upon States to promote and protect the human rights of all migrants;"),
        ("unnumbered", None, "Recalling also this, in the operative part"),
    ]
    assert preambular_by_default(resolution) == [False, False, True, True, False, False]


def test_a_draft_numbered_from_its_first_paragraph_has_no_guessed_preamble() -> None:
    draft = [
        ("heading", None, "Preamble"),
        ("paragraph", "1", "We, the Heads of State"),
        ("paragraph", "2", "x"),
    ]
    assert preambular_by_default(draft) == [False, False, False]
    unnumbered = [("unnumbered", None, "Noting the report,"), ("unnumbered", None, "Decides to convene;")]
    assert preambular_by_default(unnumbered) == [True, False]
