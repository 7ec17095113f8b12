"""Renumbering in document order: paragraphs 1 … n, PP1 … n, (a) … and (i) … within their paragraph."""

from api.domain.renumbering import Numbered, renumbered


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
