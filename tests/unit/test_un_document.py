"""The importer of UN documents extracted from PDF, proven on the seed: the Chinese text of A/RES/70/302."""

import re
from collections import Counter

import pytest

from api.cli.drafts import DEFAULT_SEED as SEED
from api.domain.errors import InvalidInput
from api.domain.un_document import FootnoteRef, ParsedDocument, parse_un_document

WIDE = "\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef“”"
NOISE = {
    "job-number footer": re.compile(r"\d{2}-\d{5}"),
    "running title": re.compile(r"A/RES/70/302"),
    "URL": re.compile(r"http|undocs"),
    "footnote rule": re.compile(r"___"),
    "page footer": re.compile(r"\(C\)|\d+/22\b"),
    "space inside Chinese": re.compile(rf"[{WIDE}]\s+[{WIDE}]"),
    "double space": re.compile(r"\s\s"),
    "line break": re.compile(r"\n"),
    "edge space": re.compile(r"^\s|\s$"),
}


@pytest.fixture(scope="module")
def document() -> ParsedDocument:
    assert SEED.is_file(), f"the seed text is missing: {SEED}"
    return parse_un_document(SEED.read_text(encoding="utf-8"))


def numbers(document: ParsedDocument, part: str, kind: str) -> list[str | None]:
    return [p.number for p in document.part(part) if p.kind == kind]


def test_counts_per_part_and_kind(document: ParsedDocument) -> None:
    counts = Counter((p.part, p.kind) for p in document.paragraphs)
    assert counts == {
        ("front", "heading"): 1,
        ("front", "unnumbered"): 6,
        ("body", "heading"): 7,
        ("body", "unnumbered"): 1,
        ("body", "paragraph"): 90,
        ("annex1", "heading"): 6,
        ("annex1", "paragraph"): 19,
        ("annex1", "subparagraph"): 41,
        ("annex2", "heading"): 5,
        ("annex2", "paragraph"): 15,
        ("annex2", "subparagraph"): 24,
    }


@pytest.mark.parametrize(("part", "last"), [("body", 90), ("annex1", 19), ("annex2", 15)])
def test_paragraph_numbers_run_without_gaps(document: ParsedDocument, part: str, last: int) -> None:
    assert numbers(document, part, "paragraph") == [str(n) for n in range(1, last + 1)]


def test_annex_2_paragraph_8_has_the_24_elements_a_to_x(document: ParsedDocument) -> None:
    assert numbers(document, "annex2", "subparagraph") == [
        f"8({chr(c)})" for c in range(ord("a"), ord("x") + 1)
    ]
    assert document.get("annex2-8-a").text == (
        "正如《2030 年可持续发展议程》所确认，国际移民是个多层面的现实，"
        "对于来源国、过境国和目的地国的发展具有重大影响；"
    )
    assert document.get("annex2-8-x").text == "在国家、区域和国际各级就移民各个方面开展合作。"


def test_annex_1_sub_paragraphs_per_paragraph(document: ParsedDocument) -> None:
    parents = Counter(n.partition("(")[0] for n in numbers(document, "annex1", "subparagraph") if n)
    assert parents == {"5": 9, "6": 6, "7": 5, "8": 3, "11": 5, "12": 6, "13": 4, "14": 3}


def test_sub_paragraphs_follow_their_paragraph(document: ParsedDocument) -> None:
    parent = None
    for paragraph in document.paragraphs:
        if paragraph.kind == "paragraph":
            parent = paragraph
        elif paragraph.kind == "subparagraph":
            assert parent is not None and paragraph.part == parent.part
            assert paragraph.number == f"{parent.number}({paragraph.key.rsplit('-', 1)[1]})"
        else:
            parent = None


def test_keys_and_eids_are_unique_and_url_safe(document: ParsedDocument) -> None:
    keys = [p.key for p in document.paragraphs]
    eids = [p.eid for p in document.paragraphs]
    assert len(set(keys)) == len(keys) and len(set(eids)) == len(eids)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", key) for key in keys)
    assert all(re.fullmatch(r"[A-Za-z0-9_]+", eid) for eid in eids)


def test_keys_and_eids_name_parts_and_numbers(document: ParsedDocument) -> None:
    named = {p.key: p.eid for p in document.paragraphs}
    assert named["front-1"] == "preface__p_1"
    assert named["body-p-1"] == "p_1"
    assert named["body-h-1"] == "sec_1"
    assert named["body-ch-1"] == "crossHeading_1"
    assert named["body-1"] == "para_1"
    assert named["annex1-title"] == "annex_1__docTitle"
    assert named["annex1-5-a"] == "annex_1__para_5__subpara_a"
    assert named["annex2-h-3"] == "annex_2__sec_3"
    assert named["annex2-8-x"] == "annex_2__para_8__subpara_x"


def test_headings_stay_headings(document: ParsedDocument) -> None:
    headings = [(p.part, p.number, p.text) for p in document.paragraphs if p.kind == "heading"]
    assert headings == [
        ("front", "70/302", "解决难民和移民大规模流动问题大会高级别全体会议成果文件草稿"),
        ("body", "附件", "关于难民和移民的纽约宣言"),
        ("body", "一", "导言"),
        ("body", None, "承诺"),
        ("body", "二", "对难民和移民的承诺"),
        ("body", "三", "对移民的承诺"),
        ("body", "四", "对难民的承诺"),
        ("body", "五", "落实和审查我们的承诺"),
        ("annex1", "附录一", "难民问题全面响应框架"),
        ("annex1", None, "接收和接纳"),
        ("annex1", None, "对当前和长期需求的支持"),
        ("annex1", None, "对收容国和收容社区的支持"),
        ("annex1", None, "持久解决办法"),
        ("annex1", None, "下一步行动"),
        ("annex2", "附录二", "迈向安全、有序和正常移民的全球契约"),
        ("annex2", "一", "导言"),
        ("annex2", "二", "背景"),
        ("annex2", "三", "内容"),
        ("annex2", "四", "下一步行动"),
    ]


def test_sections_name_the_heading_a_paragraph_sits_under(document: ParsedDocument) -> None:
    sections = {p.key: p.section for p in document.paragraphs}
    assert sections["body-p-1"] is None
    assert sections["body-1"] == sections["body-21"] == "一"
    assert sections["body-90"] == "五"
    assert sections["annex1-4"] is None
    assert sections["annex1-5-a"] == "接收和接纳"
    assert sections["annex1-17"] == "下一步行动"
    assert sections["annex2-8"] == sections["annex2-8-x"] == "三"
    assert {p.section for p in document.part("front")} == {None}


def test_front_is_the_resolution(document: ParsedDocument) -> None:
    assert [(p.kind, p.text) for p in document.part("front")[1:]] == [
        ("unnumbered", "大会，"),
        (
            "unnumbered",
            "回顾其 2015 年 12 月 22 日第 70/539 号决定，其中大会决定于 2016 年 9 月 19 日举行"
            "解决难民和移民大规模流动问题的大会高级别全体会议，",
        ),
        ("unnumbered", "又回顾其 2016 年 6 月 30 日关于高级别全体会议形式的第 70/290 号决议，"),
        (
            "unnumbered",
            "决定向大会第七十一届会议转递本决议所附题为“关于难民和移民的纽约宣言”成果文件，"
            "供 2016 年 9 月 19 日举行解决难民和移民大规模流动问题高级别全体会议期间采取行动。",
        ),
        ("unnumbered", "2016年 9月 9日"),
        ("unnumbered", "第 116次全体会议"),
    ]
    assert (document.symbol, document.date) == ("A/RES/70/302", "2016-09-09")


def test_the_declarations_opening_is_unnumbered_body_text(document: ParsedDocument) -> None:
    opening = document.get("body-p-1")
    assert (opening.part, opening.kind, opening.number) == ("body", "unnumbered", None)
    assert opening.text == (
        "我们，各国国家元首和政府首脑及高级代表，于 2016 年 9 月 19 日在纽约联合国总部开会，"
        "讨论难民和移民大规模流动问题，通过以下政治宣言。"
    )


def test_body_paragraph_1_is_rejoined_across_the_page_break_and_url(document: ParsedDocument) -> None:
    assert document.get("body-1").text == (
        "自古以来，人类就一直在流动。有些人流动是为了寻找新的经济机会和新天地；另些人流动是为了逃脱"
        "武装冲突、贫困、粮食无保障、迫害、恐怖主义或侵犯和践踏人权行径；还有一些人是因为气候变化、"
        "自然灾害(其中有些可能与气候变化有关)或其他环境因素的不利影响。诚然，许多流动是上述原因兼而有之。"
    )


def test_paragraph_33_continues_after_the_footnote_block(document: ParsedDocument) -> None:
    paragraph = document.get("body-33")
    assert paragraph.text.startswith("我们重申，所有跨越或试图跨越国际边境的人")
    assert "因此，我们将考虑审查将跨境流动定为犯罪的政策。我们还将寻求" in paragraph.text
    assert paragraph.text.endswith("同时我们将努力结束这种做法。")
    assert paragraph.footnotes == ()


def test_sub_paragraph_is_rejoined_across_a_page(document: ParsedDocument) -> None:
    assert "包括面临风险的妇女、儿童(特别是孤身儿童和与家庭失散的儿童)、儿童户主家庭" in (
        document.get("annex1-5-e").text
    )


def test_footnote_marker_leaves_the_text(document: ParsedDocument) -> None:
    paragraph = document.get("body-4")
    assert paragraph.text.startswith("一年前，我们通过了《2030 年可持续发展议程》。这表示我们清楚地认识到")
    assert paragraph.footnotes == (FootnoteRef("1", "第 70/1 号决议。", 25),)
    assert paragraph.text[: paragraph.footnotes[0].offset].endswith("议程》。")


def test_paragraph_with_three_footnotes_before_a_running_title(document: ParsedDocument) -> None:
    paragraph = document.get("annex2-2")
    assert paragraph.text.endswith(
        "它将遵循《2030 年可持续发展议程》和《第三次发展筹资问题国际会议亚的斯亚贝巴行动议程》，"
        "并参考 2013 年 10 月通过的《国际移徙与发展高级别对话宣言》。"
    )
    assert [(n.marker, n.text) for n in paragraph.footnotes] == [
        ("17", "第 70/1 号决议。"),
        ("18", "第 69/313 号决议，附件。"),
        ("19", "第 68/4 号决议。"),
    ]
    assert document.get("annex2-3").text == (
        "我们确认移民和移民现象对来源国、过境国和目的地国发展作出的重要贡献，并承认移民与发展之间的复杂关系。"
    )


def test_all_twenty_footnotes_are_called_in_order(document: ParsedDocument) -> None:
    calls = [(p.key, n.marker) for p in document.paragraphs for n in p.footnotes]
    assert [marker for _, marker in calls] == [str(n) for n in range(1, 21)]
    assert calls[2:5] == [("body-18", "3"), ("body-18", "4"), ("body-18", "5")]
    assert document.get("body-18").footnotes[1].text == "见 FCCC/CP/2015/10/Add.1，第 1/CP.21 号决定，附件。"


def test_no_noise_in_any_text(document: ParsedDocument) -> None:
    texts = [(p.key, p.text) for p in document.paragraphs]
    texts += [(f"{p.key} note {n.marker}", n.text) for p in document.paragraphs for n in p.footnotes]
    found = [(key, name) for key, text in texts for name, pattern in NOISE.items() if pattern.search(text)]
    assert found == []
    assert all(text for _, text in texts)


def test_spacing_around_numbers_is_kept_as_the_source_writes_it(document: ParsedDocument) -> None:
    assert "有大约 6 500 万人被迫流离失所，其中包括 2 100 多万难民，300 万寻求庇护者和 4 000 多万" in (
        document.get("body-3").text
    )
    assert "全体会议期间" in document.get("front-5").text
    assert "会议、2016年 2月 4日在伦敦举行" in document.get("body-19").text
    assert "有 60%生活在城市" in document.get("body-73").text


def test_get_unknown_key_raises_key_error(document: ParsedDocument) -> None:
    with pytest.raises(KeyError):
        document.get("body-91")


# Small documents pin the rules on their own, apart from the seed.

MINI = (
    " 1/1. 标题 \n\n 大会， \n\n附件 \n\n宣言 \n\n一. 导言 \n\n"
    "1. 我们于 2016 年 9 月\n\n19 日开会。1 会议\nhttp://undocs.org/ch/A/RES/1/1\n 继续。 \n\n"
    "2. 各国将： \n\n (a) 合作； \n\n (b) 支持。 \n\n__________________ \n\n 1 第 1 号决议。 \n"
)


def test_mini_document() -> None:
    parsed = parse_un_document(MINI)
    assert [(p.key, p.kind, p.number, p.text) for p in parsed.paragraphs] == [
        ("front-1", "heading", "1/1", "标题"),
        ("front-2", "unnumbered", None, "大会，"),
        ("body-title", "heading", "附件", "宣言"),
        ("body-h-1", "heading", "一", "导言"),
        ("body-1", "paragraph", "1", "我们于 2016 年 9 月 19 日开会。会议继续。"),
        ("body-2", "paragraph", "2", "各国将："),
        ("body-2-a", "subparagraph", "2(a)", "合作；"),
        ("body-2-b", "subparagraph", "2(b)", "支持。"),
    ]
    first = parsed.get("body-1")
    assert first.footnotes == (FootnoteRef("1", "第 1 号决议。", 22),)
    assert first.text[:22].endswith("开会。")


def test_a_number_far_from_the_next_one_stays_text() -> None:
    parsed = parse_un_document("1. 第一段 \n\n2. 第二段开始于\n\n2018. 年底 \n")
    assert parsed.get("body-2").text == "第二段开始于 2018. 年底"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("  \n\n \n", "empty"),
        (" 大会， \n\n 回顾其决定， \n\n 决定采取行动。 \n", "no numbered paragraphs"),
        ("1. 第一段。 \n\n3. 第三段。 \n", "paragraph 2 is missing"),
        ("1. 第一段。 \n\n__________________ \n\n 1 第 70/1 号决议。 \n", "footnote 1 is not called"),
        ("1. 第一段\x07。 \n", "control character"),
    ],
)
def test_bad_input_is_invalid(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_un_document(text)
