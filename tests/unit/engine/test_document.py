"""A whole revision's redline: paragraphs from a file, aligned, each diffed, in reading order."""

from api.domain.text import redline_document, split_paragraphs
from tests.unit.engine.helpers import wdiff


def test_paragraphs_are_blocks_between_blank_lines() -> None:
    text = "\n\n# Title\n\nFirst line\nwrapped line\n \t\nSecond.\n\n\n\nThird.  \n"
    assert split_paragraphs(text) == ["# Title", "First line\nwrapped line", "Second.", "Third."]
    assert split_paragraphs("") == []
    assert split_paragraphs("\n \n") == []


def test_entries_come_in_reading_order() -> None:
    old = ["Title", "We shall act.", "Gone for good, this one.", "Alpha and beta. Gamma and delta.", "End"]
    new = ["Title", "We will act.", "Alpha and beta.", "Gamma and delta.", "Brand new text here.", "End"]
    redline = redline_document(old, new)
    assert [(e.kind, e.old, e.new, wdiff(e.ops)) for e in redline.entries] == [
        ("unchanged", (0,), (0,), "Title"),
        ("modified", (1,), (1,), "We [-shall-]{+will+} act."),
        ("deleted", (2,), (), "[-Gone for good, this one.-]"),
        ("split", (3,), (2, 3), "Alpha and beta.[- -]{+\n\n+}Gamma and delta."),
        ("inserted", (), (4,), "{+Brand new text here.+}"),
        ("unchanged", (4,), (5,), "End"),
    ]
    assert redline.exact


def test_merged_paragraphs_show_the_removed_break() -> None:
    redline = redline_document(
        ["One sentence here.", "Another sentence there.", "Tail"],
        ["One sentence here. Another sentence there.", "Tail"],
    )
    assert [(e.kind, wdiff(e.ops)) for e in redline.entries] == [
        ("merged", "One sentence here.[-\n\n-]{+ +}Another sentence there."),
        ("unchanged", "Tail"),
    ]
