"""Accord's text engine against pure-Python diff-match-patch and difflib; run `python -m bench.run [--quick]`.

Scenarios: a 60 KB Chinese revision (the New York Declaration, A/RES/70/302) and a 60 KB English one
(made-up paragraphs), each with 30 scattered edits (light) and with 30% of paragraphs rewritten (heavy);
300 KB texts in both languages, heavy; and the rebase of 1,000 pending proposals onto a mixed revision.
Prints Markdown tables (medians of repeated runs) and the accuracy of the paragraph alignment.
"""

import argparse
import difflib
import platform
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import fast_diff_match_patch
from diff_match_patch import diff_match_patch

from api.domain.text import (
    align,
    changed_chars,
    rebase,
    redline_document,
    render_page,
    split_paragraphs,
    tokenise,
)
from bench.revisions import MIXED, _Editor, revise, score
from bench.synthetic import chinese_corpus, chinese_document, english_document

TARGETS_MS = {"light": 10.0, "heavy": 100.0, "heavy-300": 1000.0}


@dataclass(frozen=True)
class Case:
    """One pair of revisions to redline."""

    name: str
    target: str
    old: str
    new: str


def _scattered(paragraphs: list[str], language: str, edits: int, rng: random.Random) -> list[str]:
    """The same paragraphs with one small edit in each of `edits` random paragraphs."""
    editor = _Editor(language, rng)
    edited = list(paragraphs)
    for index in rng.sample(range(len(edited)), min(edits, len(edited))):
        edited[index] = editor.light_edit(edited[index], 1)
    return edited


def _rewritten(paragraphs: list[str], language: str, share: float, rng: random.Random) -> list[str]:
    """The same paragraphs with `share` of them rewritten (a sentence replaced and a few words changed)."""
    editor = _Editor(language, rng)
    edited = list(paragraphs)
    for index in rng.sample(range(len(edited)), round(share * len(edited))):
        edited[index] = editor.rewrite(edited[index])
    return edited


def cases(quick: bool) -> list[Case]:
    """The revisions the benchmark redlines."""
    rng = random.Random(2018)
    zh60 = chinese_corpus()
    en60 = english_document(rng, 60_000)
    found = [
        Case("zh 60 KB, 30 edits", "light", _doc(zh60), _doc(_scattered(zh60, "zh", 30, rng))),
        Case("en 60 KB, 30 edits", "light", _doc(en60), _doc(_scattered(en60, "en", 30, rng))),
        Case("zh 60 KB, 30% rewritten", "heavy", _doc(zh60), _doc(_rewritten(zh60, "zh", 0.3, rng))),
        Case("en 60 KB, 30% rewritten", "heavy", _doc(en60), _doc(_rewritten(en60, "en", 0.3, rng))),
    ]
    if not quick:
        zh300 = chinese_document(rng, 300_000)
        en300 = english_document(rng, 300_000)
        for language, paragraphs in (("zh", zh300), ("en", en300)):
            rewritten = _rewritten(paragraphs, language, 0.3, rng)
            found.append(
                Case(f"{language} 300 KB, 30% rewritten", "heavy-300", _doc(paragraphs), _doc(rewritten))
            )
    return found


def _doc(paragraphs: list[str]) -> str:
    return "\n\n".join(paragraphs) + "\n"


def median_ms(run: Callable[[], object], repeats: int) -> float:
    """Median wall time of `repeats` runs, in milliseconds."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def accord_redline(old: str, new: str) -> tuple[str, int]:
    """Accord's full redline of two files: paragraphs, alignment, per-paragraph diffs, HTML page."""
    tokenise.cache_clear()  # every run starts cold, as a first request on a fresh revision would
    redline = redline_document(split_paragraphs(old), split_paragraphs(new))
    page = render_page(redline)
    return page, sum(changed_chars(entry.ops) for entry in redline.entries)


def accord_changes(old: str, new: str) -> int:
    """How many separate changes (runs of struck or added text) Accord's redline shows."""
    redline = redline_document(split_paragraphs(old), split_paragraphs(new))
    return sum(_runs([op.kind != "equal" for op in entry.ops]) for entry in redline.entries)


def _runs(changed: list[bool]) -> int:
    return sum(1 for k, flag in enumerate(changed) if flag and (k == 0 or not changed[k - 1]))


def python_dmp(old: str, new: str, timeout: float) -> tuple[int, bool]:
    """Pure-Python diff-match-patch on the whole text with semantic clean-up: (changed chars, timed out)."""
    dmp = diff_match_patch()
    dmp.Diff_Timeout = timeout
    started = time.perf_counter()
    diffs = dmp.diff_main(old, new)
    timed_out = timeout > 0 and time.perf_counter() - started >= timeout
    dmp.diff_cleanupSemantic(diffs)
    return sum(len(text) for op, text in diffs if op != 0), timed_out


def minimal_dmp(old: str, new: str) -> tuple[int, int]:
    """The smallest diff diff-match-patch finds (C++, no time limit, semantic clean-up): chars, changes."""
    ops = fast_diff_match_patch.diff(old, new, timelimit=0, checklines=False, cleanup="Semantic")
    return sum(length for op, length in ops if op != "="), _runs([op != "=" for op, _ in ops])


def word_difflib(old: str, new: str) -> int:
    """difflib over white-space words, as most Python redline tools do it: changed chars."""
    old_words, new_words = old.split(" "), new.split(" ")
    matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
    size = 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            size += sum(map(len, old_words[i1:i2])) + sum(map(len, new_words[j1:j2]))
    return size


def redline_table(quick: bool) -> list[str]:
    """Time every tool on every case; one Markdown row per case."""
    repeats = 3 if quick else 15
    rows = [
        "| revisions | Accord full redline | target | pure-Python dmp (1 s timeout) | difflib (words) | "
        "changed chars: Accord / dmp minimal / dmp 1 s / difflib | changes: Accord / dmp minimal |",
        "|---|---:|---:|---:|---:|---|---|",
    ]
    for case in cases(quick):
        accord_ms = median_ms(partial(accord_redline, case.old, case.new), repeats)
        _, accord_size = accord_redline(case.old, case.new)
        slow_repeats = 1 if quick or case.target == "heavy-300" else 3
        dmp_ms = median_ms(partial(python_dmp, case.old, case.new, 1.0), slow_repeats)
        dmp_size, timed_out = python_dmp(case.old, case.new, 1.0)
        difflib_ms = median_ms(partial(word_difflib, case.old, case.new), slow_repeats)
        minimal, minimal_changes = minimal_dmp(case.old, case.new)
        target = TARGETS_MS[case.target]
        verdict = "ok" if accord_ms <= target else "MISSED"
        rows.append(
            f"| {case.name} ({len(case.old.encode()) // 1000} KB) | {accord_ms:.1f} ms "
            f"| < {target:.0f} ms {verdict} "
            f"| {dmp_ms:.0f} ms{' (timed out)' if timed_out else ''} | {difflib_ms:.0f} ms "
            f"| {accord_size:,} / {minimal:,} / {dmp_size:,} / {word_difflib(case.old, case.new):,} "
            f"| {accord_changes(case.old, case.new):,} / {minimal_changes:,} |"
        )
    return rows


def rebase_table(quick: bool) -> list[str]:
    """Rebase 1,000 pending proposals (half Chinese, half English) onto a mixed next revision."""
    rng = random.Random(71)
    rows = ["| proposals | align + rebase | target | carried | conflicts | unverified | not one-to-one |"]
    rows.append("|---:|---:|---:|---:|---:|---:|---:|")
    work = []
    for language, paragraphs in (("zh", chinese_corpus()), ("en", english_document(rng, 60_000))):
        generated = revise(paragraphs, language, rng, MIXED)
        editor = _Editor(language, rng)
        proposals = []
        for _ in range(500):
            index = rng.randrange(len(paragraphs))
            proposals.append((index, editor.light_edit(paragraphs[index])))
        work.append((generated.old, generated.new, proposals))

    def run() -> dict[str, int]:
        counts = {"carried": 0, "already_in_revision": 0, "conflict": 0, "unverified": 0, "elsewhere": 0}
        for old, new, proposals in work:
            partner = {pair.old: pair.new for pair in align(old, new).pairs}
            for index, proposed in proposals:
                if index not in partner:
                    counts["elsewhere"] += 1
                    continue
                counts[rebase(old[index], proposed, new[partner[index]]).outcome] += 1
        return counts

    elapsed = median_ms(run, 3 if quick else 7)
    counts = run()
    verdict = "ok" if elapsed <= 2000 else "MISSED"
    rows.append(
        f"| 1,000 | {elapsed:.0f} ms | < 2,000 ms {verdict} "
        f"| {counts['carried'] + counts['already_in_revision']} "
        f"| {counts['conflict']} | {counts['unverified']} | {counts['elsewhere']} |"
    )
    return rows


def accuracy_table(quick: bool) -> list[str]:
    """Alignment accuracy on generated revisions with known truth (mixed edits, moves, splits, merges)."""
    seeds = range(5) if quick else range(30)
    rows = ["| language | revisions | paragraphs scored | mapped exactly right | misses by true role |"]
    rows.append("|---|---:|---:|---:|---|")
    for language in ("zh", "en"):
        correct = total = 0
        misses: dict[str, int] = {}
        for seed in seeds:
            rng = random.Random(1000 + seed)
            paragraphs = chinese_corpus() if language == "zh" else english_document(rng, 60_000)
            generated = revise(paragraphs, language, rng, MIXED)
            result = score(align(generated.old, generated.new), generated.truth)
            correct, total = correct + result.correct, total + result.total
            for role, count in result.misses.items():
                misses[role] = misses.get(role, 0) + count
        listed = ", ".join(f"{role} {count}" for role, count in sorted(misses.items())) or "none"
        rows.append(f"| {language} | {len(seeds)} | {total:,} | {100 * correct / total:.2f}% | {listed} |")
    return rows


def main() -> None:
    """Run the benchmark and print its tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="fewer repeats, no 300 KB texts (a smoke run)")
    quick = parser.parse_args().quick
    print(f"Python {platform.python_version()} on {platform.machine()}, {platform.processor() or 'cpu'}")
    for title, table in (
        ("Redline", redline_table),
        ("Rebase", rebase_table),
        ("Alignment accuracy", accuracy_table),
    ):
        print(f"\n### {title}\n")
        print("\n".join(table(quick)), flush=True)


if __name__ == "__main__":
    main()
