"""Rebase and merge: carried only when verifiably right, conflicts otherwise, provenance for every span."""

from diff_match_patch import diff_match_patch
from hypothesis import given, settings
from hypothesis import strategies as st

from api.domain.text import (
    Collision,
    MergeConflict,
    ProvenanceOp,
    RebaseResult,
    Span,
    merge,
    patch_text,
    rebase,
)

BASE = "States shall ensure the protection of migrants in accordance with international law."
FULL_ALL = "States shall ensure the full protection of all migrants in accordance with international law."
MEMBER_APPLICABLE = (
    "Member States shall ensure the protection of migrants in accordance with applicable international law."
)
EFFECTIVE = "States shall ensure the effective protection of migrants in accordance with international law."


def test_disjoint_changes_are_carried() -> None:
    assert rebase(BASE, FULL_ALL, MEMBER_APPLICABLE) == RebaseResult(
        carried=True,
        text="Member States shall ensure the full protection of all migrants in accordance with applicable"
        " international law.",
    )


def test_changes_on_the_same_words_collide() -> None:
    proposed = "States shall ensure the full protection of migrants in accordance with international law."
    revised = "States shall ensure the effective protection of migrants in accordance with international law."
    assert rebase(BASE, proposed, revised) == RebaseResult(
        carried=False,
        text=None,
        conflicts=(
            Collision(start=24, end=24, base_text="", proposed_text="full ", revised_text="effective "),
        ),
        outcome="conflict",
    )


def test_a_proposal_already_taken_into_the_revision() -> None:
    proposed = "States shall ensure the protection of all migrants in accordance with international law."
    assert rebase(BASE, proposed, proposed) == RebaseResult(True, proposed, (), "already_in_revision")


def test_unchanged_paragraph_carries_the_proposal_as_it_is() -> None:
    assert rebase(BASE, "Something else entirely.", BASE) == RebaseResult(True, "Something else entirely.")


def test_chinese_proposal_is_carried_character_by_character() -> None:
    result = rebase(
        "我们重申《联合国宪章》的宗旨和原则。",
        "我们再次重申《联合国宪章》的宗旨和原则。",
        "我们重申《联合国宪章》的各项宗旨和原则。",
    )
    assert result == RebaseResult(True, "我们再次重申《联合国宪章》的各项宗旨和原则。")


def test_a_deleted_paragraph_collides_with_any_proposal() -> None:
    result = rebase("Short text.", "Short text, amended.", "")
    assert not result.carried and result.outcome == "conflict"


def test_merge_keeps_provenance_and_reports_overlaps() -> None:
    result = merge(
        BASE,
        [("MEX", FULL_ALL), ("CHE", MEMBER_APPLICABLE), ("EU", EFFECTIVE)],
    )
    assert result.text == (
        "Member States shall ensure the protection of all migrants in accordance with applicable"
        " international law."
    )
    assert result.spans == (
        Span("Member ", frozenset({"CHE"})),
        Span("States shall ensure the protection of"),
        Span(" all", frozenset({"MEX"})),
        Span(" migrants in accordance with"),
        Span(" applicable", frozenset({"CHE"})),
        Span(" international law."),
    )
    assert result.conflicts == (
        MergeConflict(
            start=24,
            end=24,
            base_text="",
            proposals=("MEX", "EU"),
            wanted=(("MEX", "full "), ("EU", "effective ")),
            merged_start=31,
            merged_end=31,
        ),
    )
    assert not result.clean


def test_identical_edits_merge_once_with_both_sponsors() -> None:
    proposed = "States shall ensure the protection of all migrants in accordance with international law."
    result = merge(BASE, [("G77", proposed), ("EU", proposed)])
    assert result.clean and result.text == proposed
    assert Span("all ", frozenset({"G77", "EU"})) in result.spans


def test_merge_redline_credits_deletions_too() -> None:
    result = merge(
        "We shall not act now.", [("A", "We shall act now."), ("B", "We shall not act now, together.")]
    )
    assert result.text == "We shall act now, together."
    assert result.ops == (
        ProvenanceOp("equal", "We shall "),
        ProvenanceOp("delete", "not ", frozenset({"A"})),
        ProvenanceOp("equal", "act now"),
        ProvenanceOp("insert", ", together", frozenset({"B"})),
        ProvenanceOp("equal", "."),
    )


def test_a_proposal_as_patch_text_applies_to_its_own_base() -> None:
    patch = patch_text(BASE, FULL_ALL)
    assert patch.startswith("@@ -")
    dmp = diff_match_patch()
    assert dmp.patch_apply(dmp.patch_fromText(patch), BASE) == (FULL_ALL, [True, True])


def test_merge_of_nothing_is_the_base() -> None:
    assert merge(BASE, []).text == BASE
    assert merge("", [("A", "New paragraph.")]).text == "New paragraph."


# Property tests on a word model: the base is distinct words, so every edit is unambiguous and the right
# result of combining two sets of edits is known.

WORDS = [f"w{k}" for k in range(12)]
# The same model in Chinese: one character per word, nothing between them.
CHARACTERS = dict(zip(WORDS, "甲乙丙丁戊己庚辛壬癸子丑", strict=True)) | {
    "x1": "天",
    "x2": "地",
    "x3": "人",
    "p": "东",
    "r": "西",
}
Edit = tuple[str, str]  # ("keep" | "replace" | "delete" | "after", new word)


def written(words: list[str], script: str) -> str:
    """The words as an English-like text (spaces) or a Chinese one (characters, no spaces)."""
    if script == "latin":
        return " ".join(words)
    return "".join(
        CHARACTERS[word[:-1]] + CHARACTERS[word[-1]] if word not in CHARACTERS else CHARACTERS[word]
        for word in words
    )


def edits() -> st.SearchStrategy[list[Edit]]:
    kinds = st.sampled_from(["keep", "keep", "keep", "replace", "delete", "after"])
    return st.lists(
        st.tuples(kinds, st.sampled_from(["x1", "x2", "x3"])), min_size=len(WORDS), max_size=len(WORDS)
    )


def realise(plan: list[Edit], mark: str) -> list[str]:
    """The words after the edits; new words carry a mark so that each side's words are its own."""
    out: list[str] = []
    for word, (kind, new) in zip(WORDS, plan, strict=True):
        if kind == "keep":
            out.append(word)
        elif kind == "replace":
            out.append(new + mark)
        elif kind == "after":
            out.extend([word, new + mark])
    return out


def combined(proposal: list[Edit], revision: list[Edit]) -> list[str] | None:
    """Both sets of edits applied, or None where both change the same word or insert in the same gap."""
    out: list[str] = []
    for word, mine, theirs in zip(WORDS, proposal, revision, strict=True):
        changes = [
            (kind, new + mark)
            for (kind, new), mark in ((mine, "p"), (theirs, "r"))
            if kind in ("replace", "delete")
        ]
        inserts = [new + mark for (kind, new), mark in ((mine, "p"), (theirs, "r")) if kind == "after"]
        both_change = len(changes) == 2 and not changes[0][0] == changes[1][0] == "delete"
        if len(inserts) > 1 or both_change:
            return None
        if not changes:
            out.append(word)
        elif changes[0][0] == "replace":
            out.append(changes[0][1])
        out.extend(inserts)
    return out


def touched(plan: list[Edit]) -> set[int]:
    spots: set[int] = set()
    for index, (kind, _) in enumerate(plan):
        if kind != "keep":
            spots.add(index)
        if kind in ("after", "delete"):
            spots.add(index + 1)
    return spots


@settings(max_examples=300, deadline=None)
@given(edits(), edits(), st.sampled_from(["latin", "chinese"]))
def test_rebase_is_never_silently_wrong(proposal: list[Edit], revision: list[Edit], script: str) -> None:
    base = written(WORDS, script)
    proposed = written(realise(proposal, "p"), script)
    revised = written(realise(revision, "r"), script)
    result = rebase(base, proposed, revised)
    expected = combined(proposal, revision)
    if expected is None:
        assert not result.carried, "edits of the same word, or insertions in the same gap, must collide"
        return
    if result.carried:
        assert result.text == written(expected, script)
    else:
        # Edits at least one untouched word apart must always carry.
        distance = min((abs(a - b) for a in touched(proposal) for b in touched(revision)), default=99)
        assert distance < 2, result


@settings(max_examples=200, deadline=None)
@given(edits(), edits())
def test_a_clean_merge_of_two_is_the_rebase_of_one_onto_the_other(
    first: list[Edit], second: list[Edit]
) -> None:
    base = " ".join(WORDS)
    a, b = " ".join(realise(first, "p")), " ".join(realise(second, "r"))
    merged = merge(base, [("A", a), ("B", b)])
    rebased = rebase(base, a, b)
    assert "".join(span.text for span in merged.spans) == merged.text
    assert "".join(op.text for op in merged.ops if op.kind != "delete") == merged.text
    if merged.clean:
        assert rebased.carried and rebased.text == merged.text
        assert merge(base, [("B", b), ("A", a)]).text == merged.text
    else:
        assert not rebased.carried
        for conflict in merged.conflicts:
            assert merged.text[conflict.merged_start : conflict.merged_end] == conflict.base_text


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet="ab 我们,.", max_size=30),
    st.text(alphabet="ab 我们,.", max_size=30),
    st.text(alphabet="ab 我们,.", max_size=30),
)
def test_rebase_of_any_texts_is_carried_only_when_it_checks_out(
    base: str, proposed: str, revised: str
) -> None:
    result = rebase(base, proposed, revised)
    if result.carried:
        assert result.text is not None
        if revised == base:
            assert result.text == proposed
        if proposed == base:
            assert result.text == revised
    else:
        assert result.text is None and result.conflicts
