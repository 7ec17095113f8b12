"""Every link of an alignment carries its evidence and a confidence that says when to doubt it."""

from api.domain.text import align

CLIMATE = "Parties shall pursue domestic mitigation measures with the aim of achieving the objectives"
OPTION_A = "Developed country Parties shall provide financial resources to assist developing country Parties"


def test_an_unchanged_unique_paragraph_is_a_sure_link() -> None:
    alignment = align(["Preamble text that stays.", CLIMATE], ["Preamble text that stays.", CLIMATE + "."])
    assert [e.confidence for e in alignment.evidence] == ["sure", "sure"]
    assert alignment.evidence[1].reasons[0].startswith("shares ")


def test_a_second_near_identical_candidate_makes_the_link_doubtful() -> None:
    old = ["Opening words of the text.", OPTION_A + " in 2020.", "Closing words."]
    new = [
        "Opening words of the text, amended.",
        OPTION_A + " in 2025.",
        OPTION_A + " in 2030.",
        "Unrelated closing sentence now.",
    ]
    links = align(old, new).evidence_of_new()
    paired = next(j for j in (1, 2) if j in links and links[j].relation != "split")
    assert links[paired].confidence == "doubtful"
    assert "another paragraph is nearly as close" in links[paired].reasons
    assert set(links[paired].rivals_new) == {1, 2} - {paired}


def test_identical_labels_are_told_apart_by_their_neighbours_or_doubted() -> None:
    old = ["**Option 1:**", CLIMATE, "**Option 2:**", OPTION_A]
    new = ["**Option 1:**", CLIMATE, "**Option 2:**", OPTION_A]
    assert all(e.confidence == "sure" for e in align(old, new).evidence)
    # Two copies before nothing that tells them apart: no link is claimed as sure.
    lonely = align(["**Option 1:**", "x y z", "**Option 1:**"], ["**Option 1:**", "**Option 1:**"])
    assert not [e for e in lonely.evidence if e.confidence == "sure"]


def test_a_repeated_label_pairs_with_the_copy_before_the_same_text() -> None:
    old = ["Intro text here.", "**Option 2:** No text", OPTION_A, "**Option 2:** No text", CLIMATE, "End."]
    new = ["Intro text here.", "**Option 2:** No text", CLIMATE + " amended", "End."]
    alignment = align(old, new)
    assert (3, 1) in {(p.old, p.new) for p in alignment.pairs}
    assert 1 in alignment.deleted


def test_a_split_gives_its_identity_to_the_part_that_carries_the_text() -> None:
    old = ["Intro.", "**Flexibility** " + CLIMATE + " and of contributing to the long-term goal.", "End."]
    new = ["Intro.", "**Flexibility**", CLIMATE + " and of contributing to the long-term goal.", "End."]
    alignment = align(old, new)
    assert [(s.old, s.new, s.heir) for s in alignment.splits] == [(1, (1, 2), 2)]
    assert alignment.to_json()["splits"] == [{"old": 1, "new": [1, 2], "heir": 2}]


def test_a_rewrite_that_keeps_a_sentence_verbatim_is_found_across_articles() -> None:
    kept = "Each Party shall communicate a nationally determined contribution every five years."
    old = [
        "Article 3",
        "Mitigation text one.",
        "Article 9",
        "Old wording entirely different. " + kept,
        "Tail.",
    ]
    new = [
        "Article 3",
        kept + " Something quite new was written around it here.",
        "Mitigation text one.",
        "Article 9",
        "Tail.",
    ]
    alignment = align(old, new)
    pair = next(p for p in alignment.pairs if p.old == 3)
    assert pair.new == 1
    link = alignment.evidence_of_new()[1]
    assert "keeps a sentence word for word" in link.reasons
    assert link.confidence != "sure" or link.similarity >= 0.5


def test_headings_pair_by_what_they_head_not_by_their_number() -> None:
    kept = "Each Party shall communicate a nationally determined contribution every five years, as set out."
    moved = (
        "Developed country Parties shall provide financial resources to assist developing country Parties."
    )
    old = ["Article 3", kept, "Article 4", moved]
    new = [
        "Article 3",
        moved.replace("Parties.", "Parties with adaptation."),
        "Article 4",
        kept.replace("five", "ten"),
    ]
    pairs = {(p.old, p.new) for p in align(old, new).pairs}
    # The articles swapped places and were renumbered: each heading follows its own text.
    assert {(2, 0), (0, 2), (3, 1), (1, 3)} <= pairs
