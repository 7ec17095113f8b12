"""The alignment on real drafts (Paris, 23 Oct → 4 Dec 2015) against the hand-judged truth, when present."""

import pytest

from api.services import imports
from bench import real_drafts


def test_the_paris_drafts_align_with_no_wrong_pair() -> None:
    folder = real_drafts.corpus()
    if folder is None:
        pytest.skip("../shared/corpus/cop21 is not present: the real drafts are not in the repository")
    october, december = (
        [(b.text, b.number) for b in imports.draft_blocks((folder / name).read_text(encoding="utf-8"))]
        for name in (real_drafts.OCTOBER, real_drafts.DECEMBER)
    )
    verdicts = real_drafts.score_alignment(october, december)["verdicts"]
    judged = sum(verdicts.values())
    assert judged >= 60 and verdicts.get("not in this reading", 0) == 0
    assert verdicts.get("wrong", 0) == 0
    assert verdicts.get("right", 0) + verdicts.get("acceptable", 0) >= 0.98 * judged
