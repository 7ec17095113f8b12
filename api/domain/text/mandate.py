"""Suggesting which mandate elements a paragraph addresses, for people to confirm.

Character n-grams work alike for Chinese and English and need no word lists: bigrams of CJK characters
(most Chinese words are one or two characters) and trigrams inside Latin or Cyrillic words (which match
"migrant" with "migrants" and "migration"). Grams are weighed by TF-IDF over the mandate's elements, so
that what every element says ("States", "国家") counts little, and compared by cosine similarity.
"""

import math
import re
from collections import Counter
from collections.abc import Sequence

from api.domain.text.tokens import fold

_WORD = re.compile(r"[^\W\d_]+")
_CJK_RUN = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f]+"
)


def grams(text: str) -> Counter[str]:
    """Character n-grams of a text: CJK bigrams (single characters alone) and trigrams of padded words."""
    folded = fold(text)
    found: Counter[str] = Counter()
    for run in _CJK_RUN.findall(folded):
        found.update(run if len(run) == 1 else [run[k : k + 2] for k in range(len(run) - 1)])
    for word in _WORD.findall(_CJK_RUN.sub(" ", folded)):
        padded = f" {word} "
        found.update(padded[k : k + 3] for k in range(len(padded) - 2))
    return found


def suggest_elements(
    text: str, elements: Sequence[tuple[str, str]], limit: int = 5
) -> list[tuple[str, float]]:
    """Rank the elements (code, wording) a paragraph likely addresses: (code, score in 0..1), best first."""
    if limit <= 0 or not elements:
        return []
    element_grams = [grams(wording) for _, wording in elements]
    presence: Counter[str] = Counter()
    for found in element_grams:
        presence.update(found.keys())
    rarity = {gram: math.log(1 + len(elements) / count) for gram, count in presence.items()}
    unseen = math.log(1 + len(elements))
    paragraph = _weighted(grams(text), rarity, unseen)
    scores = []
    for (code, _), found in zip(elements, element_grams, strict=True):
        score = _cosine(paragraph, _weighted(found, rarity, unseen))
        if score > 0:
            scores.append((code, round(score, 4)))
    scores.sort(key=lambda item: -item[1])
    return scores[:limit]


def _weighted(counts: Counter[str], rarity: dict[str, float], unseen: float) -> dict[str, float]:
    return {gram: count * rarity.get(gram, unseen) for gram, count in counts.items()}


def _cosine(first: dict[str, float], second: dict[str, float]) -> float:
    if not first or not second:
        return 0.0
    small, large = (first, second) if len(first) < len(second) else (second, first)
    dot = sum(weight * large[gram] for gram, weight in small.items() if gram in large)
    norm = math.sqrt(sum(w * w for w in first.values())) * math.sqrt(sum(w * w for w in second.values()))
    return dot / norm if norm else 0.0
