"""Formatting beside the words: carried through an edit, shown in the reader around the bracket marks."""

from api.domain.formatting import carry
from api.domain.text.redline import diff
from web.templating import bracketed, formatted

BASE = "We strongly urge all States."
STRONGLY = [[3, 11, "em"]]


def carried(new: str) -> list[str]:
    return [new[start:end] for start, end, _kind in carry(STRONGLY, diff(BASE, new).ops)]


def test_kept_words_keep_their_emphasis_through_an_edit() -> None:
    assert carried("Now we strongly urge all States.") == ["strongly"]
    assert carried("We very strongly urge all States.") == ["strongly"]  # inserted at its edge: not in it
    assert carried("We strongly and firmly urge all States.") == ["strongly"]
    assert carried("We urge all States.") == []  # the emphasised word is gone, and its emphasis with it
    assert carry([[0, 12, "strong"]], diff("Flexibility:", "Flexibility for all:").ops) == [[0, 20, "strong"]]


def test_the_reader_shows_emphasis_and_brackets_well_nested() -> None:
    text = "[Taking account] of [needs]"
    # Emphasis that crosses a bracket is closed and opened again, so the marks nest properly.
    assert str(bracketed(text, [[0, 7, "em"]])) == (
        '<mark class="bracket"><em>[Taking</em> account]</mark> of <mark class="bracket">[needs]</mark>'
    )
    assert str(bracketed("Recalling <b> the Agenda", [[0, 9, "em"], [14, 24, "strong"]])) == (
        "<em>Recalling</em> &lt;b&gt; <strong>the Agenda</strong>"
    )
    assert str(formatted("[Article 3] (mitigation)", [[12, 24, "em"]])) == "[Article 3] <em>(mitigation)</em>"
    assert str(bracketed(text)) == (
        '<mark class="bracket">[Taking account]</mark> of <mark class="bracket">[needs]</mark>'
    )
