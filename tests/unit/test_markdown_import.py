"""Markdown drafts through a CommonMark parser: every list item a paragraph, nested lists numbered as they
render, emphasis kept as formatting beside the words, brackets always the negotiators' text."""

from api.domain.numbering import as_printed
from api.domain.structure.drafts import read_draft
from api.domain.structure.markdown import parse_markdown
from api.domain.structure.outline import Span


def numbers_and_texts(markdown: str) -> list[tuple[str | None, str]]:
    return [(p.number, p.text) for p in parse_markdown(markdown)]


def test_tight_and_loose_lists_give_one_paragraph_per_item() -> None:
    tight = "## Article 1\n\n1. First item;\n2. Second item;\n3. Third item.\n"
    loose = "## Article 1\n\n1. First item;\n\n2. Second item;\n\n3. Third item.\n"
    expected = [
        ("Article 1", "Article 1"),
        ("1.1", "First item;"),
        ("1.2", "Second item;"),
        ("1.3", "Third item."),
    ]
    assert numbers_and_texts(tight) == expected
    assert numbers_and_texts(loose) == expected
    bullets = parse_markdown("Chapeau text:\n\n- one thing\n- another thing\n")
    assert [p.text for p in bullets] == ["Chapeau text:", "one thing", "another thing"]


def test_nested_lists_are_numbered_as_they_render() -> None:
    draft = (
        "## Article 2 *(purpose)*\n\n"
        "1. Parties agree to:\n\n"
        "   1. hold the increase;\n"
        "   2. pursue efforts, by:\n"
        "      1. reducing;\n"
        "      2. removing;\n"
        "      3. reporting;\n"
        "      4. reviewing;\n"
        "   3. adapt.\n\n"
        "2. Second paragraph.\n"
    )
    parsed = parse_markdown(draft)
    assert [p.number for p in parsed] == [
        "Article 2",
        "2.1",
        "2.1(a)",
        "2.1(b)",
        "2.1(b)(i)",
        "2.1(b)(ii)",
        "2.1(b)(iii)",
        "2.1(b)(iv)",
        "2.1(c)",
        "2.2",
    ]
    assert parsed[7].eid == "art_2__para_1__point_b__point_iv"
    assert parsed[0].text == "(purpose)"


def test_emphasis_is_formatting_beside_the_words_never_asterisks() -> None:
    (paragraph,) = parse_markdown("*Recalling* the **Agenda** and *[its* targets]\n")
    assert paragraph.text == "Recalling the Agenda and [its targets]"
    assert paragraph.spans == (Span(0, 9, "em"), Span(14, 20, "strong"), Span(25, 29, "em"))
    assert "*" not in paragraph.text
    # An asterisk that opens no emphasis is the draft's own character and stays.
    (footnoted,) = parse_markdown("Each Party's [NDMC*][INDC] shall count.\n")
    assert footnoted.text == "Each Party's [NDMC*][INDC] shall count." and footnoted.spans == ()


def test_brackets_stay_text_and_site_furniture_is_dropped() -> None:
    draft = (
        "---\ntitle: A draft\n---\n\n"
        "*Site note on the [draft][source].*\n\n[source]: http://example.org/draft.pdf\n\n"
        "## Contents\n{:.no_toc}\n\n* TOC\n{:toc}\n\n"
        "Under paragraph [x](a) above, [shall][should] <span>[apply]</span>.\n"
    )
    assert [p.text for p in parse_markdown(draft)] == [
        "Site note on the [draft][source].",
        "Contents",
        "Under paragraph [x](a) above, [shall][should] [apply].",
    ]


def test_bold_option_labels_are_options_and_alignment_reads_them_with_the_words() -> None:
    draft = (
        "## Article 3\n\n"
        "1. **Collective goal**\n\n"
        "    **Option 1:** Parties aim to peak.\n\n"
        "    **Option 2:** Parties aim to reduce.\n\n"
        "**Option 1:** *Recognizing* one thing,\n\n"
        "*Recognizing* the other thing,\n\n"
        "**Option 2:**\n\n"
        "No text\n\n"
        "**Option 3:**Building on the system,\n"
    )
    parsed = parse_markdown(draft)
    assert [(p.number, p.text) for p in parsed] == [
        ("Article 3", "Article 3"),
        ("3.1", "Collective goal"),
        ("3.1 Option 1", "Parties aim to peak."),
        ("3.1 Option 2", "Parties aim to reduce."),
        ("Article 3, Option 1", "Recognizing one thing,"),
        (None, "Recognizing the other thing,"),
        ("Article 3, Option 2", "Option 2:"),
        (None, "No text"),
        ("Article 3, Option 3", "Building on the system,"),  # a label glued to its first word
    ]
    # An option with its own words holds nothing after it; a bare label holds the text that follows.
    assert parsed[5].eid == "art_3__p_1" and parsed[7].eid == "art_3__opt_2__p_1"
    assert parsed[4].spans == (Span(0, 11, "em"),)  # the label's bold went with the label
    assert as_printed(parsed[2].text, parsed[2].number) == "Option 1: Parties aim to peak."
    assert as_printed(parsed[6].text, parsed[6].number) == "Option 2:"
    assert as_printed("Every five years", "3.8(b) Option 1(i)") == "Every five years"  # a point, no option


def test_the_reader_follows_the_file_name() -> None:
    text = "1. One;\n2. Two.\n"
    assert [p.number for p in read_draft(text, "draft.md")] == ["1", "2"]
    assert [p.number for p in read_draft(text, "draft.txt")] == ["1"]  # plain text: one block
