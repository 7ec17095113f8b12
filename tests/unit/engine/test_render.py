"""HTML redlines in UN style: <del> struck, <ins> underlined, every character of the input escaped."""

from api.domain.text import Op, diff, redline_document, render_inline, render_page, render_side_by_side


def test_inline_marks_deletions_and_insertions() -> None:
    ops = diff("We shall act.", "We will act now.").ops
    assert render_inline(ops) == "We <del>shall</del><ins>will</ins> act<ins> now</ins>."


def test_side_by_side_splits_the_old_and_the_new() -> None:
    ops = diff("We shall act.", "We will act now.").ops
    assert render_side_by_side(ops) == ("We <del>shall</del> act.", "We <ins>will</ins> act<ins> now</ins>.")


def test_every_character_is_escaped() -> None:
    ops = (
        Op("equal", "<script>alert('x')</script> & \"q\""),
        Op("delete", "<b>"),
        Op("insert", "<img src=x onerror=alert(1)>"),
    )
    html = render_inline(ops)
    assert html == (
        "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;q&quot;"
        "<del>&lt;b&gt;</del><ins>&lt;img src=x onerror=alert(1)&gt;</ins>"
    )
    old, new = render_side_by_side(ops)
    assert "<script" not in old + new and "<img" not in old + new


def test_page_is_self_contained_and_escapes_the_title() -> None:
    redline = redline_document(["Keep.", "Drop <this>."], ["Keep.", "Add <that>."])
    page = render_page(redline, title="Rev.1 → Rev.2 <x>")
    assert page.startswith("<!DOCTYPE html>")
    assert "<title>Rev.1 → Rev.2 &lt;x&gt;</title>" in page
    assert '<div class="paragraph modified"><del>Drop</del><ins>Add</ins> <del>&lt;this&gt;</del>' not in page
    assert "&lt;this&gt;" in page and "&lt;that&gt;" in page
    assert "<this>" not in page and "http" not in page  # nothing loaded from elsewhere
