"""Time to export documents: the seed revision as Word and Akoma Ntoso, and a full redline as Word.

Run `python -m bench.bench_documents [--pdf]` from the repository root. The seed is the New York
Declaration as shipped in drafts/ (215 paragraphs, Chinese); the full redline turns it into a revision
with 30% of its paragraphs rewritten (tracked changes on every one). With --pdf, LibreOffice prints each
once (its start-up dominates). Prints a Markdown table of medians.
"""

import argparse
import json
import random
import shutil
import statistics
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from api.domain.documents import akn
from api.domain.documents.model import Header, Note, Para, Revision
from api.domain.documents.ooxml import redline_docx, revision_docx
from api.domain.documents.tracked import Attribution, Change, Group, ordered, tracked_paragraphs
from api.domain.text.tokens import tokenise
from bench.revisions import _Editor

SEED = Path(__file__).resolve().parent.parent / "drafts" / "nyd" / "revision.json"
WHEN = datetime(2016, 9, 9, tzinfo=UTC)
HEADER = Header("nyd", "关于难民和移民的纽约宣言", "Adopted text", "zh", "A/RES/70/302", "2016-09-09")


def seed() -> Revision:
    """The shipped seed revision."""
    rows = json.loads(SEED.read_text(encoding="utf-8"))["paragraphs"]
    paragraphs = tuple(
        Para(
            r["key"], r["eid"], r["eid"], r["part"], r["kind"], r["number"], r["text"], section=r["section"],
            footnotes=tuple(Note(**n) for n in r["footnotes"]),
        )
        for r in rows
    )  # fmt: skip
    return Revision(HEADER, paragraphs)


def rewritten(revision: Revision, share: float = 0.3) -> Revision:
    """The same revision with `share` of its paragraphs rewritten."""
    rng = random.Random(2018)
    editor = _Editor("zh", rng)
    paragraphs = list(revision.paragraphs)
    for index in rng.sample(range(len(paragraphs)), round(share * len(paragraphs))):
        paragraphs[index] = replace(paragraphs[index], text=editor.rewrite(paragraphs[index].text))
    return Revision(replace(HEADER, label="Rev.1"), tuple(paragraphs))


def full_redline(old: Revision, new: Revision) -> bytes:
    """Align by key, lay out, track and write the redline (what GET …/compare.docx does past the queries)."""
    groups = [Group((a,), (b,)) for a, b in zip(old.paragraphs, new.paragraphs, strict=True)]
    credit = Attribution(Change("Co-facilitators", WHEN))
    tracked = tracked_paragraphs(ordered(groups, old.paragraphs, new.paragraphs), credit)
    return redline_docx(old.header, new.header, tracked)


def median_ms(action: Callable[[], object], repeats: int) -> float:
    """Median wall time of `repeats` runs, in milliseconds (the token cache cleared before each)."""
    times = []
    for _ in range(repeats):
        tokenise.cache_clear()
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pdf", action="store_true", help="also print each once with LibreOffice")
    parser.add_argument("--repeats", type=int, default=9)
    args = parser.parse_args()
    old = seed()
    new = rewritten(old)
    work = akn.Work("nyd", "2016-09-09", "nyd")
    rows: list[tuple[str, float, int]] = []
    for name, action in (
        ("seed revision → DOCX", lambda: revision_docx(old)),
        ("seed revision → AKN", lambda: akn.revision_akn(old, work)),
        ("full redline (30% rewritten) → DOCX", lambda: full_redline(old, new)),
    ):
        size = len(action())
        rows.append((name, median_ms(action, args.repeats), size))
    if args.pdf and shutil.which("soffice"):
        from api.office import docx_to_pdf

        document = revision_docx(old)
        rows.append(
            ("seed revision → PDF (LibreOffice, one run)", median_ms(lambda: docx_to_pdf(document), 1), 0)
        )
    print("| export | median ms | bytes |")
    print("|---|---:|---:|")
    for name, ms, size in rows:
        print(f"| {name} | {ms:.0f} | {size or '—'} |")


if __name__ == "__main__":
    main()
