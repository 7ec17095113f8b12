"""Rebuild bench/corpus/zh.txt from the project's seed (the Chinese text of A/RES/70/302).

A rough clean-up that is enough for a benchmark corpus (the real importer lives elsewhere): drops page
footers, running titles, URL lines and footnote blocks, joins wrapped lines and starts a new paragraph at
each numbered paragraph, lettered item or short heading.
Run once: `.venv/bin/python -m bench.corpus.build_zh`.
"""

import re
from pathlib import Path

SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "000_0fc575c65120479c.txt"
OUT = Path(__file__).with_name("zh.txt")

_NOISE = re.compile(r"^\s*(\d{2}-\d{5}|A/RES/|https?://)")
_FOOTNOTE_RULE = re.compile(r"^\s*_{5,}")
_FOOTNOTE = re.compile(r"^\s*\d+\s+\S")
_START = re.compile(r"^\s*(\d+\.|[一二三四五六七八九十]+\.|\([a-z]\)|附件|附录)")


def paragraphs(text: str) -> list[str]:
    """Cut the seed into clean paragraphs."""
    result: list[str] = []
    in_footnotes = False
    for raw in text.splitlines():
        line = raw.strip()
        if not line or _NOISE.match(line):
            continue
        if _FOOTNOTE_RULE.match(line):
            in_footnotes = True
            continue
        if in_footnotes and _FOOTNOTE.match(line):
            continue
        in_footnotes = False
        if _START.match(line) or not result or _is_heading(result[-1]):
            result.append(line)
        else:
            result[-1] += line
    return [paragraph for paragraph in result if len(paragraph) > 1]


def _is_heading(paragraph: str) -> bool:
    return len(paragraph) < 30 and not paragraph.endswith(("，", "：", "、", "；"))


if __name__ == "__main__":
    blocks = paragraphs(SEED.read_text(encoding="utf-8"))
    OUT.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    print(f"{len(blocks)} paragraphs, {OUT.stat().st_size} bytes -> {OUT}")
