"""How precise the element suggestions are: `python -m bench.element_suggestions`.

Two sets of known tags (bench/data/element_tags_truth.json): the seed's annex I paragraphs under the
four parts of the GCR framework (Chinese), and the GCM test zero draft tagged by hand (English). For
each score threshold: how many suggestions are made, how many are right (precision), and how many of the
known tags they find (recall). The engine's SUGGESTION_THRESHOLD is chosen from this table.
"""

import json
import re
from dataclasses import dataclass
from pathlib import Path

from api.domain.text.mandate import SUGGESTION_THRESHOLD, Suggester

ROOT = Path(__file__).resolve().parent.parent
THRESHOLDS = (0.0, 0.03, 0.05, 0.08, 0.1, 0.12, 0.15)


@dataclass(frozen=True)
class Case:
    """One paragraph, its text's other paragraphs, the elements, and the tags it should get."""

    name: str
    text: str
    truth: frozenset[str]
    suggester: Suggester


def _elements(slug: str) -> list[dict[str, object]]:
    process = json.loads((ROOT / "drafts" / slug / "process.json").read_text(encoding="utf-8"))
    elements: list[dict[str, object]] = process["mandate"]["elements"]
    return elements


def _wordings(elements: list[dict[str, object]]) -> list[tuple[str, str]]:
    # As the services read them: the element's text and our working title.
    return [(str(e["code"]), f"{e['text']} {e['label']}") for e in elements]


def cases() -> list[Case]:
    """Every paragraph with known tags, from both sets."""
    truth = json.loads((ROOT / "bench" / "data" / "element_tags_truth.json").read_text(encoding="utf-8"))
    gcr = _elements("gcr")
    under = {str(n): str(e["code"]) for e in gcr for n in e["paragraphs"]}  # type: ignore[attr-defined]
    nyd = json.loads((ROOT / "drafts" / "nyd" / "revision.json").read_text(encoding="utf-8"))["paragraphs"]
    corpus = [p["text"] for p in nyd if p["kind"] != "heading"]
    gcr_suggester = Suggester(_wordings(gcr), corpus)
    found = [
        Case(f"GCR annex I {p['number']}", p["text"], frozenset({under[p["number"]]}), gcr_suggester)
        for p in nyd
        if p["part"] == "annex1" and p["kind"] == "paragraph" and p["number"] in under
    ]
    draft = (ROOT / "tests" / "data" / "gcm_zero_draft.md").read_text(encoding="utf-8")
    paragraphs = dict(re.findall(r"^(\d+)\. (.+)$", draft, flags=re.MULTILINE))
    gcm_suggester = Suggester(_wordings(_elements("gcm")), list(paragraphs.values()))
    for number, tags in truth["gcm_zero_draft"].items():
        found.append(Case(f"GCM zero draft {number}", paragraphs[number], frozenset(tags), gcm_suggester))
    return found


@dataclass(frozen=True)
class Measure:
    """Suggestions made at one threshold, how many are right, and how many known tags there are."""

    threshold: float
    made: int
    right: int
    known: int

    @property
    def precision(self) -> float:
        """Share of the suggestions that are right (1.0 when none is made)."""
        return self.right / self.made if self.made else 1.0

    @property
    def recall(self) -> float:
        """Share of the known tags that a suggestion finds."""
        return self.right / self.known if self.known else 1.0


def measure(threshold: float, limit: int = 5) -> Measure:
    """The suggestions over every case at one threshold."""
    made = right = known = 0
    for case in cases():
        codes = [s.code for s in case.suggester.suggest(case.text, limit, threshold)]
        made += len(codes)
        right += sum(1 for code in codes if code in case.truth)
        known += len(case.truth)
    return Measure(threshold, made, right, known)


def main() -> None:
    """Print the table."""
    print("| threshold | suggestions | right | precision | recall |")
    print("|---|---|---|---|---|")
    for threshold in sorted({*THRESHOLDS, SUGGESTION_THRESHOLD}):
        m = measure(threshold)
        mark = " (Accord)" if threshold == SUGGESTION_THRESHOLD else ""
        print(f"| {threshold:.2f}{mark} | {m.made} | {m.right} | {m.precision:.2f} | {m.recall:.2f} |")


if __name__ == "__main__":
    main()
