"""How long a search takes on a large process: `python -m bench.search [--quick]`.

The "big" process of bench/large.py (400 paragraphs, 10 published revisions, 1,000 proposals; --quick:
100 paragraphs, 4 revisions, 200 proposals), searched through the service as the public and as a
delegate (who also searches every proposal), for a rare word, a common one, two words, and a word no
paragraph holds. Median of 7 after a warm-up, in milliseconds, on SQLite and (when ACCORD_TEST_POSTGRES_URL
or the default local server answers) on PostgreSQL. Nothing here is a test.
"""

import argparse
import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path

os.environ.setdefault("ACCORD_MODE", "test")

from sqlalchemy import create_engine, text
from sqlmodel import Session

from api.services import search
from api.services.actors import PUBLIC, Actor
from bench import large

POSTGRES_ADMIN_URL = os.environ.get(
    "ACCORD_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def _queries(process: large.LargeProcess) -> dict[str, str]:
    with Session(process.engine) as session:
        words = sorted(
            {
                w.strip(".,;").lower()
                for p in search.search(session, PUBLIC, large.SLUG, "the").paragraphs
                for f in p.excerpt
                for w in f.text.split()
                if len(w) > 6
            }
        )
    return {
        "a common word": "the",
        "a long word": words[len(words) // 2],
        "two words": f"the {words[0]}",
        "no hit": "zyzzyva",
    }


def _median_ms(process: large.LargeProcess, actor: Actor, query: str) -> tuple[float, int]:
    times, found = [], 0
    for attempt in range(8):
        with Session(process.engine) as session:
            start = time.perf_counter()
            results = search.search(session, actor, large.SLUG, query)
            if attempt:
                times.append((time.perf_counter() - start) * 1000)
            found = results.paragraph_count + results.proposal_count + results.ruling_count
    return statistics.median(times), found


def run(url: str | None, quick: bool, engine_name: str) -> None:
    """Build the process on one database and print the table."""
    with tempfile.TemporaryDirectory() as directory:
        paragraphs, revisions, proposals = (100, 4, 200) if quick else (400, 10, 1000)
        process = large.build(Path(directory), paragraphs=paragraphs, delegations=20, url=url)
        large.add_revisions(process, revisions)
        large.add_proposals(process, proposals)
        delegate = process.delegates[0]
        print(f"\n{engine_name}: {paragraphs} paragraphs × {revisions} revisions, {proposals} proposals\n")
        print("| query | public ms | hits | delegate ms | hits |")
        print("|---|---|---|---|---|")
        for name, query in _queries(process).items():
            public_ms, public_hits = _median_ms(process, PUBLIC, query)
            delegate_ms, delegate_hits = _median_ms(process, delegate, query)
            row = (f"{name} ({query})", f"{public_ms:.1f}", public_hits, f"{delegate_ms:.1f}", delegate_hits)
            print("| " + " | ".join(str(cell) for cell in row) + " |")
        process.engine.dispose()


def main() -> None:
    """SQLite, then PostgreSQL if one answers."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    quick = parser.parse_args().quick
    run(None, quick, "SQLite")
    name = f"bench_search_{uuid.uuid4().hex[:8]}"
    try:
        admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # no server: say so and stop
        print(f"\nPostgreSQL: not measured ({str(error).splitlines()[0]})")
        return
    try:
        run(POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}", quick, "PostgreSQL")
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
