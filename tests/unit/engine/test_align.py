"""Paragraph alignment of revisions without identities: exact mappings, and accuracy on generated sets."""

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from api.domain.text import Alignment, ParagraphMerge, ParagraphPair, ParagraphSplit, align
from bench.revisions import MIXED, revise, score
from bench.synthetic import chinese_corpus, english_document

ENGLISH_OLD = [
    "Preamble",
    "We, the Heads of State and Government, met at United Nations Headquarters on 19 September 2016.",
    "We reaffirm the purposes and principles of the Charter of the United Nations.",
    "We will protect the safety, dignity and human rights of all migrants, regardless of their status. "
    "We will also combat xenophobia, racism and discrimination against refugees and migrants.",
    "We recognize the positive contribution of migrants to inclusive growth.",
    "We note the work of the Global Migration Group on principles and guidelines.",
    "We will ensure that our responses to large movements are people-centred.",
    "We commit to a global compact for safe, orderly and regular migration in 2018.",
    "Follow-up and review",
    "We will review progress at the high-level dialogue on international migration and development.",
    "We request the Secretary-General to report on the implementation of these commitments.",
]
ENGLISH_NEW = [
    "Preamble",
    "We, the Heads of State and Government, met at United Nations Headquarters in New York"
    " on 19 September 2016.",
    "We reaffirm the purposes and principles of the Charter of the United Nations.",
    "We will protect the safety, dignity and human rights of all migrants, regardless of their status.",
    "We will also combat xenophobia, racism and discrimination against refugees and migrants.",
    "We recognize the positive contribution of migrants to inclusive growth. "
    "We note the work of the Global Migration Group on principles and guidelines.",
    "We encourage States to share good practices on the integration of newcomers.",
    "Follow-up and review",
    "We will review progress at the high-level dialogue on international migration and development.",
    "We request the Secretary-General to report on the implementation of these commitments.",
    "We commit to adopting a global compact for safe, orderly and regular migration in 2018.",
]
EXPECTED = Alignment(
    pairs=(
        ParagraphPair(0, 0, "unchanged"),
        ParagraphPair(1, 1, "modified"),
        ParagraphPair(2, 2, "unchanged"),
        ParagraphPair(8, 7, "unchanged"),
        ParagraphPair(9, 8, "unchanged"),
        ParagraphPair(10, 9, "unchanged"),
        ParagraphPair(7, 10, "moved_modified"),
    ),
    splits=(ParagraphSplit(3, (3, 4)),),
    merges=(ParagraphMerge((4, 5), 5),),
    deleted=(6,),
    inserted=(6,),
)

CHINESE_OLD = [
    "一. 导言",
    "1. 自古以来，人类就一直在流动。有些人流动是为了寻找新的经济机会和新天地。",
    "2. 我们今天审议了国际社会应如何最好地应对难民和移民大规模流动这一愈演愈烈的全球现象。",
    "3. 我们重申《联合国宪章》的宗旨和原则。我们也重申《世界人权宣言》，并回顾国际人权核心条约。",
    "4. 我们认识到移民为包容型增长和可持续发展作出的积极贡献。",
    "5. 我们将保护所有难民和移民的人权，无论其移民身份如何。",
    "6. 我们将打击仇外心理、种族主义和歧视。",
    "二. 对难民和移民的承诺",
    "7. 我们承诺在 2018 年举行的政府间会议上通过一个全球契约。",
]
CHINESE_NEW = [
    "一. 导言",
    "1. 自古以来，人类就一直在流动。有些人流动是为了寻找新的经济机会。",
    "3. 我们重申《联合国宪章》的宗旨和原则。",
    "我们也重申《世界人权宣言》，并回顾国际人权核心条约。",
    "4. 我们认识到移民为包容型增长和可持续发展作出的积极贡献。"
    "5. 我们将保护所有难民和移民的人权，无论其移民身份如何。",
    "6. 我们将打击仇外心理、种族主义和歧视。",
    "我们将支持收容国和收容社区。",
    "二. 对难民和移民的承诺",
    "7. 我们承诺在 2018 年举行的政府间会议上通过一个全球契约。",
    "2. 我们今天审议了国际社会应如何最好地应对难民和移民大规模流动这一全球现象。",
]


def test_english_revision_with_every_kind_of_change() -> None:
    assert align(ENGLISH_OLD, ENGLISH_NEW) == EXPECTED


def test_chinese_revision_with_every_kind_of_change() -> None:
    assert align(CHINESE_OLD, CHINESE_NEW) == Alignment(
        pairs=(
            ParagraphPair(0, 0, "unchanged"),
            ParagraphPair(1, 1, "modified"),
            ParagraphPair(6, 5, "unchanged"),
            ParagraphPair(7, 7, "unchanged"),
            ParagraphPair(8, 8, "unchanged"),
            ParagraphPair(2, 9, "moved_modified"),
        ),
        splits=(ParagraphSplit(3, (2, 3)),),
        merges=(ParagraphMerge((4, 5), 4),),
        deleted=(),
        inserted=(6,),
    )


def test_json_contract() -> None:
    assert align(["a b c", "gone"], ["a b c", "new one"]).to_json() == {
        "pairs": [{"old": 0, "new": 0, "kind": "unchanged"}],
        "splits": [],
        "merges": [],
        "deleted": [1],
        "inserted": [1],
        "links": [
            {
                "old": [0],
                "new": [0],
                "relation": "unchanged",
                "similarity": 1.0,
                "confidence": "sure",
                "reasons": ["same text"],
                "rivals_new": [],
                "rivals_old": [],
            }
        ],
    }


def test_moved_without_change() -> None:
    old = ["Alpha one.", "Beta two.", "Gamma three.", "Delta four.", "Epsilon five."]
    new = ["Beta two.", "Gamma three.", "Delta four.", "Alpha one.", "Epsilon five."]
    assert align(old, new).pairs == (
        ParagraphPair(1, 0, "unchanged"),
        ParagraphPair(2, 1, "unchanged"),
        ParagraphPair(3, 2, "unchanged"),
        ParagraphPair(0, 3, "moved"),
        ParagraphPair(4, 4, "unchanged"),
    )


def test_repeated_paragraphs_pair_with_the_nearest_copy() -> None:
    old = ["Heading", "First body text here.", "Heading", "Second body text here."]
    new = ["First body text here.", "Heading", "Second body text here."]
    assert align(old, new) == Alignment(
        pairs=(
            ParagraphPair(1, 0, "unchanged"),
            ParagraphPair(2, 1, "unchanged"),
            ParagraphPair(3, 2, "unchanged"),
        ),
        deleted=(0,),
    )


def test_white_space_changes_leave_a_paragraph_unchanged() -> None:
    assert align(["We  shall\nact."], ["We shall act. "]).pairs == (ParagraphPair(0, 0, "unchanged"),)


def test_adversarial_inputs() -> None:
    assert align([], []) == Alignment()
    assert align([], ["x"]) == Alignment(inserted=(0,))
    assert align(["x"], []) == Alignment(deleted=(0,))
    assert align(["", ""], [""]) == Alignment(pairs=(ParagraphPair(0, 0, "unchanged"),), deleted=(1,))
    # A swap of two is ambiguous; the one that keeps its place is the later one.
    assert align(["...", "!!!"], ["!!!", "..."]).pairs == (
        ParagraphPair(1, 0, "moved"),
        ParagraphPair(0, 1, "unchanged"),
    )
    assert align(["<script>alert(1)</script>"], ["<script>alert(2)</script>"]).pairs == (
        ParagraphPair(0, 0, "modified"),
    )


def _accounted_once(alignment: Alignment, old_count: int, new_count: int) -> bool:
    olds = [p.old for p in alignment.pairs] + [s.old for s in alignment.splits] + list(alignment.deleted)
    olds += [i for m in alignment.merges for i in m.old]
    news = [p.new for p in alignment.pairs] + [m.new for m in alignment.merges] + list(alignment.inserted)
    news += [j for s in alignment.splits for j in s.new]
    return sorted(olds) == list(range(old_count)) and sorted(news) == list(range(new_count))


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from(["en", "zh"]))
def test_every_paragraph_is_accounted_for_once(seed: int, language: str) -> None:
    rng = random.Random(seed)
    paragraphs = english_document(rng, 6_000) if language == "en" else chinese_corpus()[: rng.randint(0, 30)]
    generated = revise(paragraphs, language, rng, MIXED)
    assert _accounted_once(align(generated.old, generated.new), len(generated.old), len(generated.new))


def test_accuracy_on_generated_revisions_is_at_least_97_percent() -> None:
    """The full figures (30 revisions per language) come from `python -m bench.run`; this is a sample."""
    for language in ("zh", "en"):
        correct = total = 0
        for seed in range(2):
            rng = random.Random(500 + seed)
            paragraphs = chinese_corpus() if language == "zh" else english_document(rng, 60_000)
            generated = revise(paragraphs, language, rng, MIXED)
            result = score(align(generated.old, generated.new), generated.truth)
            correct, total = correct + result.correct, total + result.total
        assert correct / total >= 0.97, (language, correct, total)


def test_the_scorer_counts_a_perfect_alignment_as_perfect() -> None:
    generated = revise(chinese_corpus()[:40], "zh", random.Random(3), MIXED)
    assert score(generated.truth, generated.truth).accuracy == 1.0
