"""Text with one paragraph a line and the outline in its indentation (a word processor's "Save as text"):
parts, sections, paragraphs, letters, items to (v), options and nested brackets, cited as negotiators do."""

from collections import Counter

from api.domain.numbering import citation, margin_label
from api.domain.structure.drafts import read_draft
from api.domain.structure.labels import read_label

DRAFT = "\n".join(
    [
        "Draft decision -/CMA.9",
        "Recalling decision 1/CMA.1,",
        "\tAlso recalling decision 2/CMA.2,",
        "    I. Scope",
        "Option 1",
        "                        1. [[Decides][Clarifies] that an approach shall involve two Parties;",
        "Option 2: {Shorter text}",
        "                        2. Recalls that an approach includes:",
        "                            (a) The participation of Parties;",
        "                            (b) The relationship of the approach with:",
        "                                (i) Mechanisms;",
        "                                (ii) Frameworks;",
        "                                (iii) Registries;",
        "                                (iv) Reports;",
        "                                (v) Reviews;",
        "{Tracking arrangements}",
        "                            (c) The [shall][should] rules;",
        "{End of options}",
        "                        3. Decides also that the Article 6.4 mechanism is separate;",
        "    II. Authorization",
        "        A. Process",
        "                        4. Reaffirms the prerogative of the Party;",
        "        C. Format",
        "Option 1",
        "                        5. Requests a template;",
        "Option 2:{no text required}",
        "    III. Other matters",
        "Option 1",
        "                        6. Decides one thing;",
        "{Another matter}",
        "Option 1",
        "                        7. Decides another thing;",
    ]
)


def test_each_line_is_a_unit_placed_by_its_indentation() -> None:
    parsed = read_draft(DRAFT, "draft.txt")
    numbers = [p.number for p in parsed if p.number]
    assert numbers == [
        "I",
        "I, Option 1",
        "1",
        "I, Option 2",
        "2",
        "2(a)",
        "2(b)",
        "2(b)(i)",
        "2(b)(ii)",
        "2(b)(iii)",
        "2(b)(iv)",
        "2(b)(v)",
        "2(c)",
        "3",
        "II",
        "II.A",
        "4",
        "II.C",  # "C." is a section under a part, not part C (100)
        "II.C, Option 1",
        "5",
        "II.C, Option 2",
        "III",
        "6, Option 1",  # a part with several groups of options: each cited by its first paragraph
        "6",
        "7, Option 1",
        "7",
    ]
    by_number = {p.number: p for p in parsed}
    assert by_number["2(b)(v)"].eid == "chp_I__opt_2__para_2__point_b__point_v"
    assert citation("2(b)(v)", "subparagraph") == "para. 2(b)(v)"
    assert by_number["1"].text.startswith("[[Decides][Clarifies] that")  # nested brackets are text
    assert by_number["I, Option 2"].text == "{Shorter text}"
    assert by_number["3"].eid == "chp_I__para_3"  # after "{End of options}" it is no option's
    assert by_number["7, Option 1"].eid == "chp_III__para_7__opt_1"
    assert by_number["7"].eid == "chp_III__para_7__opt_1__para_7"
    assert citation("7, Option 1", "subparagraph") == "para. 7, Option 1"
    assert by_number["I, Option 2"].eid == "chp_I__opt_2"  # one group in part I: cited by the part
    for values in ([p.number for p in parsed if p.number], [p.eid for p in parsed], [p.key for p in parsed]):
        assert max(Counter(values).values()) == 1


GROUPS = "\n".join(
    [
        "    I. Review",
        "{Practice}",
        "Option 1",
        "                        10. Recalls the guidance;",
        "Option 2: {No text required}",
        "{Identification}",
        "Option 1",
        "                        11. Decides that:",
        "                            (a) A first case;",
        "Option B",
        "                        12. Notes the review;",
        "Option 2",
        "                        13. Decides otherwise;",
        "                        14. Decides also;",
        "Option 3 {No text required}",
        "    II. Publication",
        "Option 1",
        "                        15. Publishes;",
        "Option 2",
        "                        16. Does not publish;",
    ]
)


def test_groups_of_options_in_one_part_are_cited_by_their_paragraphs() -> None:
    parsed = read_draft(GROUPS, "draft.txt")
    numbers = [p.number for p in parsed if p.number]
    assert numbers == [
        "I",
        "10, Option 1",
        "10",
        "10, Option 2",
        "11, Option 1",  # "Option 1" again: a new group, cited by the paragraph it opens with
        "11",
        "11(a)",
        "I, Option B",  # a number the draft does not repeat is cited by its part, as before
        "12",
        "11, Option 2",  # the group's Option 2 holds paragraph 13, cited with its group
        "13",
        "14",
        "I, Option 3",
        "II",
        "II, Option 1",  # one group in part II: cited by the part, as before
        "15",
        "II, Option 2",
        "16",
    ]
    by_number = {p.number: p for p in parsed}
    assert by_number["11, Option 2"].eid == "chp_I__para_11__opt_2"
    assert by_number["13"].eid == "chp_I__para_11__opt_2__para_13"
    assert [margin_label(n, "subparagraph") for n in ("11, Option 2", "11(a)")] == ["Option 2", "(a)"]
    assert not any("#" in n for n in numbers)
    for values in (numbers, [p.eid for p in parsed], [p.key for p in parsed]):
        assert max(Counter(values).values()) == 1


ARTICLE_OPTIONS = "\n".join(
    [
        "## Article 6",
        "",
        "**Option 1:**",
        "",
        "1. First option, first paragraph.",
        "2. First option, second paragraph.",
        "",
        "## Article 6 (multiple mechanisms)",  # the draft repeats the heading over its next option
        "",
        "**Option 2:**",
        "",
        "1. Second option, first paragraph.",
        "2. Second option, second paragraph.",
        "3. Only in the second option.",
    ]
)


def test_a_number_repeated_in_the_options_of_an_article_is_cited_with_its_option() -> None:
    parsed = read_draft(ARTICLE_OPTIONS, "draft.md")
    numbers = [p.number for p in parsed if p.number]
    assert numbers == [
        "Article 6",
        "Article 6, Option 1",
        "Option 1: 6.1",
        "Option 1: 6.2",
        "Article 6, Option 2",
        "Option 2: 6.1",
        "Option 2: 6.2",
        "6.3",  # not repeated: cited as the draft numbers it
    ]
    assert margin_label("Option 2: 6.1", "paragraph") == "1."
    by_text = {p.text: p for p in parsed}
    assert by_text["Article 6 (multiple mechanisms)"].kind == "heading"  # a title, not a second article
    assert by_text["Second option, first paragraph."].eid == "art_6__opt_2__para_1"
    for values in (numbers, [p.eid for p in parsed], [p.key for p in parsed]):
        assert max(Counter(values).values()) == 1


def test_an_article_reference_is_not_an_article_heading() -> None:
    label = read_label("Article 6.4 mechanism")
    assert label is None or label.kind != "article"
    assert read_label("Article 6 (cooperative approaches)") is not None


def test_text_cut_into_blocks_is_still_read_by_blocks() -> None:
    text = "1. A paragraph that is\nwrapped over two lines.\n\n2. Another one.\n"
    assert [(p.number, p.text) for p in read_draft(text, "draft.txt")] == [
        ("1", "A paragraph that is wrapped over two lines."),
        ("2", "Another one."),
    ]
