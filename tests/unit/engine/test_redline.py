"""The redline: word diffs for Latin and Cyrillic, character diffs for CJK, semantic clean-up, exactness."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from api.domain.text import Op, Redline, changed_chars, diff
from tests.unit.engine.helpers import wdiff

CASES = [
    pytest.param(
        "States shall ensure the protection of migrants in accordance with international law.",
        "States should consider the rights of all migrants in accordance with international law.",
        "States [-shall ensure-]{+should consider+} the [-protection-]{+rights+} of{+ all+} migrants"
        " in accordance with international law.",
        id="english words, kept words stay visible between rewrites",
    ),
    pytest.param(
        "The Member States recognized the contribution of migrants.",
        "The Member States recognised the positive contribution of migrants and refugees.",
        "The Member States [-recognized-]{+recognised+} the{+ positive+} contribution of migrants"
        "{+ and refugees+}.",
        id="a changed letter strikes the whole word",
    ),
    pytest.param(
        "We will adopt the Global Compact in 2018 at a conference.",
        "We will adopt the global compact in 2018 at an intergovernmental conference in Morocco.",
        "We will adopt the [-Global Compact-]{+global compact+} in 2018 at [-a conference-]"
        "{+an intergovernmental conference in Morocco+}.",
        id="a kept phrase of several words is not swallowed",
    ),
    pytest.param(
        "Россия поддерживает проект резолюции.",
        "Россия не поддерживает этот проект резолюции.",
        "Россия {+не +}поддерживает{+ этот+} проект резолюции.",
        id="cyrillic, a long kept word is not swallowed",
    ),
    pytest.param(
        "我们重申《联合国宪章》的宗旨和原则。",
        "我们再次重申《联合国宪章》的各项宗旨。",
        "我们{+再次+}重申《联合国宪章》的{+各项+}宗旨[-和原则-]。",
        id="chinese characters",
    ),
    pytest.param(
        "2015 年，移民人数超过 2.44 亿。",
        "2016 年，移民人数超过 2.5 亿。",
        "[-2015-]{+2016+} 年，移民人数超过 [-2.44-]{+2.5+} 亿。",
        id="numbers inside chinese stay whole",
    ),
    pytest.param(
        "我们欢迎 Antonio Guterres 秘书长的报告。",
        "我们欢迎 António Guterres 秘书长的第二次报告。",
        "我们欢迎 [-Antonio-]{+António+} Guterres 秘书长的{+第二次+}报告。",
        id="latin names inside chinese are words",
    ),
    pytest.param("...!!", "..?!", "[-...!-]{+..?+}!", id="only punctuation"),
    pytest.param(
        "The [shall][should] option.",
        "The [should] option.",
        "The [-[shall]-][should] option.",
        id="brackets",
    ),
    pytest.param(
        "in a globalized world",
        "in a [globalized] [interconnected] world",
        "in a [-globalized-]{+[globalized] [interconnected]+} world",
        id="a word put in brackets with an option is replaced whole, brackets never split round it",
    ),
    pytest.param(
        "The text here.",
        "The [text here] now.",
        "The [-text here-]{+[text here] now+}.",
        id="kept words newly bracketed are struck and inserted inside their brackets",
    ),
    pytest.param("a b c d e f", "a x c y e z", "a [-b-]{+x+} c [-d-]{+y+} e [-f-]{+z+}", id="alternating"),
    pytest.param("", "New text.", "{+New text.+}", id="from empty"),
    pytest.param("Old text.", "", "[-Old text.-]", id="to empty"),
    pytest.param("Same.", "Same.", "Same.", id="unchanged"),
]


@pytest.mark.parametrize(("old", "new", "expected"), CASES)
def test_redline(old: str, new: str, expected: str) -> None:
    redline = diff(old, new)
    assert wdiff(redline.ops) == expected
    assert redline.exact
    assert (redline.old_text, redline.new_text) == (old, new)


def test_two_empty_texts_have_no_operations() -> None:
    assert diff("", "") == Redline(ops=(), exact=True)


def test_operations_are_typed_and_counted() -> None:
    redline = diff("in 2030", "in 2031")
    assert redline.ops == (Op("equal", "in "), Op("delete", "2030"), Op("insert", "2031"))
    assert redline.changed
    assert changed_chars(redline.ops) == 8


def test_markup_in_text_is_just_text() -> None:
    redline = diff("We <b>agree</b>.", "We <script>alert(1)</script> agree.")
    assert wdiff(redline.ops) == "We <[-b>agree</b>-]{+script>alert(1)</script> agree+}."


def test_one_huge_paragraph_is_diffed_exactly() -> None:
    sentence = "States will cooperate to protect the human rights of all migrants number {}. "
    old = "".join(sentence.format(k) for k in range(2000))  # about 160 KB, one paragraph
    new = old.replace("number 700.", "number 700, without delay.").replace("number 1500. ", "")
    redline = diff(old, new)
    assert redline.exact
    changes = [op for op in redline.ops if op.kind != "equal"]
    assert [(op.kind, op.text) for op in changes] == [
        ("insert", ", without delay"),
        ("delete", " number 1500."),
    ]


def test_a_deadline_that_is_reached_says_the_diff_may_be_cut() -> None:
    old = " ".join(f"w{k}" for k in range(20000))
    new = " ".join(f"w{k}" for k in range(20000) if k % 3)
    assert not diff(old, new, deadline=1e-9).exact
    assert diff(old, new).exact


def test_private_use_characters_in_text_do_not_collide_with_token_codes() -> None:
    old = "Alpha \U000f0000 beta gamma"
    new = "Alpha \U000f0000 delta gamma \U000f0001"
    redline = diff(old, new)
    assert (redline.old_text, redline.new_text) == (old, new)


words = st.sampled_from(
    ["we", "shall", "States", "移", "民", "2030", ",", "。", " ", "  ", "\n", "[", "]", "co-op"]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(words, max_size=40).map("".join), st.lists(words, max_size=40).map("".join))
def test_every_redline_rebuilds_both_texts(old: str, new: str) -> None:
    redline = diff(old, new)
    assert (redline.old_text, redline.new_text) == (old, new)
    assert all(op.text for op in redline.ops)
    assert all(a.kind != b.kind for a, b in zip(redline.ops, redline.ops[1:], strict=False))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=60), st.text(max_size=60))
def test_any_unicode_rebuilds_both_texts(old: str, new: str) -> None:
    redline = diff(old, new)
    assert (redline.old_text, redline.new_text) == (old, new)
