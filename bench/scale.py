"""Accord on a large process, and how its costs grow: `python -m bench.scale [--quick | --writes]`.

1. Growth (in process, the app's own Server-Timing, median of 5 after a warm-up, render cache off so
   that each figure is a cold render, and on for the cached figure and for the page after an event,
   whose revision body is cached while the page and its slots are new): the revision page, the JSON
   revision, the compare of the zero draft with the latest revision and the compilation, at 1×, 4× and
   16× paragraphs (25, 100, 400; 2 revisions, no proposals), revisions (2, 8, 30; 400 paragraphs) and
   proposals (312, 1,250, 5,000; 400 paragraphs, 30 revisions).
2. Publishing the next revision with 1,000 pending proposals (the publish use case, one transaction).
3. `/verify` of the whole record of the large process.
4. Proposal submits per second under wrk (16 connections, each request its own Idempotency-Key,
   tokens of 16 delegations), served by uvicorn with 2 workers, on SQLite and on PostgreSQL; then the
   database is counted: rows lost (answered 201, not stored) and duplicated (one key, two rows). Each
   run is followed by the same load on the bare parts (bench/bare.py: FastAPI, pydantic and sqlite3, one
   synced row per submit), and the ratio is printed; `--repeat` runs the pair several times.
5. Server-sent event streams held by one worker process, and its memory per stream.

`--writes` does only the write side (2-4) on the large process of issue 11 (400 paragraphs, 30
revisions, 5,000 proposals, 200 delegations; PostgreSQL gets the same process), about 15 minutes.
Times are wall-clock; publishing and /verify also print the CPU time of the process, which the load of
a shared machine inflates less.

Nothing here is a test; nothing leaves 127.0.0.1; every loop and wait is bounded.
"""

import argparse
import asyncio
import os
import resource
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("ACCORD_MODE", "test")  # the cheap password hash, for 200 generated accounts

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, func, text
from sqlmodel import Session, col, select

from api.app import create_app
from api.db import unit_of_work
from api.models import Proposal
from api.services import accounts, publishing, verification, working_copy
from api.services.inputs import ParagraphEdit, PublishInput
from api.services.proposals import release_compilation
from api.settings import PROJECT_ROOT, Settings
from bench import large, serving

SECRET = "bench-secret-key-" + "x" * 32
POSTGRES_ADMIN_URL = os.environ.get(
    "ACCORD_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
SUBMIT_PATH = "/api/v1/processes/big/proposals"
PAGES = {
    "revision page": "/processes/big/revisions/{last}",
    "JSON revision": "/api/v1/processes/big/revisions/{last}",
    "compare zero draft → latest": "/processes/big/compare?from=Zero+draft&to={last}",
    "compilation (co-facilitator)": "/processes/big/proposals",
}


# --- 1. growth -------------------------------------------------------------------------------------


def _server_ms(client: TestClient, path: str, headers: dict[str, str]) -> float:
    response = client.get(path, headers=headers)
    assert response.status_code == 200, (path, response.status_code)
    return float(response.headers["server-timing"].split("dur=")[1])


def _median(sample: Callable[[], float], runs: int = 5) -> float:
    sample()
    return statistics.median(sample() for _ in range(runs))


def measure(big: large.LargeProcess) -> dict[str, float]:
    """Cold server time of each page, and the revision page from the cache."""
    last = f"Rev.{big.revisions - 1}" if big.revisions > 1 else "Zero%20draft"
    figures: dict[str, float] = {}
    for cache_bytes, suffix in ((0, ""), (64 * 1024 * 1024, ", cached")):
        settings = Settings(
            mode="test", database_url=big.url, secret_key=SECRET, render_cache_bytes=cache_bytes
        )
        with TestClient(create_app(settings, big.engine)) as client:
            cofac = serving.signed_in(client, large.COFACILITATOR, large.PASSWORD)
            for name, template in PAGES.items():
                if suffix and name != "revision page":
                    continue
                headers = cofac if "compilation" in name else {}
                path = template.format(last=last)
                figures[name + suffix] = _median(
                    lambda path=path, headers=headers: _server_ms(client, path, headers)
                )
            if suffix:
                figures[AFTER_EVENT] = _median(
                    lambda: _after_event(big, client, PAGES["revision page"].format(last=last))
                )
    return figures


AFTER_EVENT = "revision page, after an event"


def _after_event(big: large.LargeProcess, client: TestClient, path: str) -> float:
    """The page after the co-facilitators release the compilation: a new chain head, so the page and
    its slots are new, while the revision's sealed body comes from the cache (web/sealed.py)."""
    cofacilitator = large.cofacilitator(big.engine)
    with unit_of_work(big.engine) as session:
        release_compilation(session, cofacilitator, large.SLUG)
    return _server_ms(client, path, {})


def growth(directory: Path, quick: bool) -> large.LargeProcess:
    """The growth table; returns the large process (400 paragraphs, 30 revisions, 5,000 proposals)."""
    scale = (1, 4, 16)
    rows: list[tuple[str, int, dict[str, float]]] = []
    for factor in scale[:2]:
        small = large.build(directory / f"p{factor}", paragraphs=25 * factor, delegations=20)
        large.add_revisions(small, 2)
        rows.append(("paragraphs", 25 * factor, measure(small)))
        small.engine.dispose()
    big = large.build(directory / "big", paragraphs=400, delegations=200)
    for revisions in (2, 8, 30):
        large.add_revisions(big, 8 if quick and revisions == 30 else revisions)
        rows.append(("revisions", big.revisions, measure(big)))
        if revisions == 2:
            rows.append(("paragraphs", 400, rows[-1][2]))
    pending = 250 if quick else 1000
    for proposals in (312, 1250, 5000):
        target = proposals // 4 if quick else proposals
        if big.proposals < pending <= target:
            publish_with_pending(big, pending)  # on the way: the publish with 1,000 waiting
        large.add_proposals(big, target)
        rows.append(("proposals", big.proposals, measure(big)))
    print("\n### Growth (server time in ms, median of 5; cold render unless marked cached)\n")
    names = [*PAGES, "revision page, cached", AFTER_EVENT]
    print("| grows | size | " + " | ".join(names) + " |")
    print("|---|---:|" + "---:|" * len(names))
    for dimension, size, figures in sorted(rows, key=lambda row: (row[0], row[1])):
        cells = " | ".join(f"{figures[name]:.1f}" for name in names)
        print(f"| {dimension} | {size:,} | {cells} |", flush=True)
    return big


# --- 2. publishing with pending proposals, 3. verify ------------------------------------------------------


def publish_with_pending(big: large.LargeProcess, pending: int) -> None:
    """Time the publish use case with `pending` proposals waiting on the current revision."""
    large.add_proposals(big, max(big.proposals, pending))
    actor = large.cofacilitator(big.engine)
    with unit_of_work(big.engine) as session:
        waiting = session.exec(
            select(func.count())
            .select_from(Proposal)
            .where(col(Proposal.state).in_(("submitted", "deferred")))
        ).one()
        view = working_copy.open_working_copy_view(session, actor, large.SLUG)
        for paragraph in view.paragraphs[:20]:
            edit = ParagraphEdit(text=paragraph.text + " Amended.", lock_version=paragraph.lock_version)
            working_copy.edit_paragraph(session, actor, large.SLUG, paragraph.key, edit)
    started, cpu = time.perf_counter(), time.process_time()
    with unit_of_work(big.engine) as session:
        report = publishing.publish(session, actor, large.SLUG, PublishInput(label=f"Rev.{big.revisions}"))
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    big.revisions += 1
    outcomes: dict[str, int] = {}
    for carried in report.proposals:
        outcomes[carried.outcome] = outcomes.get(carried.outcome, 0) + 1
    print(f"\n### Publishing with {waiting:,} pending proposals\n")
    print(
        f"publish (one transaction, commit included): **{elapsed * 1000:,.0f} ms** "
        f"(of which this process's CPU {cpu * 1000:,.0f} ms; the rest is waiting for a core or the disk); "
        f"outcomes: {outcomes}"
    )


def verify_large(big: large.LargeProcess) -> None:
    """Time the verification of the large process's whole record."""
    with Session(big.engine) as session:
        started, cpu = time.perf_counter(), time.process_time()
        report = verification.verify_view(session, large.SLUG)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    print("\n### /verify of the large record\n")
    print(
        f"verify_view('big'): **{elapsed * 1000:,.0f} ms** (CPU {cpu * 1000:,.0f} ms); "
        f"ok {report.ok}, {report.events:,} events, {len(report.revisions)} revisions"
    )


# --- 4. submits ---------------------------------------------------------------------------------------

_SUBMIT_LUA = """
local tokens = {%(tokens)s}
local counter = 0
thread_id = 0
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_id", threads)
end
function request()
  counter = counter + 1
  local token = tokens[(counter %% #tokens) + 1]
  local key = "%(run)s-" .. thread_id .. "-" .. counter
  local body = '{"paragraph_key": "para-' .. ((counter %% %(paragraphs)d) + 1) ..
    '", "action": "amend", "text": "Submitted under load ' .. key ..
    '", "justification": "%(marker)s"}'
  local headers = {}
  headers["Content-Type"] = "application/json"
  headers["Authorization"] = "Bearer " .. token
  headers["Idempotency-Key"] = key
  return wrk.format("POST", "/api/v1/processes/big/proposals", headers, body)
end
"""


@dataclass(frozen=True)
class SubmitRun:
    """One submit load on Accord, and what the database holds after it."""

    load: serving.Load
    stored: int
    doubled: int

    @property
    def answered(self) -> int:
        """Requests answered 201."""
        return self.load.requests - self.load.errors


def _accord_submits(big: large.LargeProcess, directory: Path, seconds: float) -> SubmitRun:
    marker = f"bench-submit-{uuid.uuid4().hex[:8]}"
    with unit_of_work(big.engine) as session:
        tokens = [accounts.open_session(session, actor, "api", 3600) for actor in big.delegates[:16]]
    lua = _SUBMIT_LUA % {
        "tokens": ", ".join(f'"{t}"' for t in tokens),
        "run": marker,
        "paragraphs": big.paragraphs,
        "marker": marker,
    }
    env = {**serving.accord_env(big.url, directory), "ACCORD_SECRET_KEY": SECRET}
    with serving.uvicorn("api.main:app", env, ready="/api/v1/health") as served:
        result = serving.load(served.port, SUBMIT_PATH, seconds, 16, lua=lua)
    with Session(big.engine) as session:
        stored = session.exec(
            select(func.count()).select_from(Proposal).where(Proposal.justification == marker)
        ).one()
        doubled = session.exec(
            select(func.count()).select_from(
                select(Proposal.idempotency_key)
                .where(Proposal.justification == marker)
                .group_by(col(Proposal.idempotency_key))
                .having(func.count() > 1)
                .subquery()
            )
        ).one()
    return SubmitRun(result, stored, doubled)


def _bare_submits(directory: Path, seconds: float) -> serving.Load:
    """The same requests on the bare parts (bench/bare.py): one row per submit, synced like Accord's."""
    env = {"BENCH_BARE_DB": str(directory / "bare-submits.db"), "PYTHONPATH": str(PROJECT_ROOT)}
    lua = _SUBMIT_LUA % {"tokens": '"none"', "run": uuid.uuid4().hex[:8], "paragraphs": 400, "marker": "bare"}
    with serving.uvicorn("bench.bare:app", env, ready="/docs") as served:
        return serving.load(served.port, SUBMIT_PATH, seconds, 16, lua=lua)


def submits(
    big: large.LargeProcess, engine_name: str, directory: Path, seconds: float, repeat: int = 1
) -> None:
    """Submits per second, Accord then the bare parts in turn `repeat` times; rows lost and duplicated."""
    print(
        f"\n### Proposal submits, {engine_name} (wrk, 16 connections, {seconds:.0f} s, uvicorn 2 workers; "
        "bare parts: bench/bare.py on SQLite, same requests, same run)\n"
    )
    print(
        "| run | Accord submits/s (201) | p50 / p99 ms | bare submits/s | Accord / bare | not 2xx "
        "| rows stored | lost | in flight at the end | duplicated keys |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for run in range(1, repeat + 1):
        accord = _accord_submits(big, directory, seconds)
        bare = _bare_submits(directory, seconds)
        rate = accord.answered / seconds
        print(
            f"| {run} | **{rate:,.0f}** | {accord.load.p50_ms:.1f} / {accord.load.p99_ms:.1f} "
            f"| {bare.requests_per_second:,.0f} | {rate / bare.requests_per_second:.2f}× "
            f"| {accord.load.errors:,} | {accord.stored:,} | {max(0, accord.answered - accord.stored):,} "
            f"| {max(0, accord.stored - accord.answered):,} | {accord.doubled:,} |",
            flush=True,
        )


def writes_process(directory: Path, url: str | None = None, *, timed: bool = False) -> large.LargeProcess:
    """The large process: 400 paragraphs, 30 revisions, 5,000 proposals by 200 delegations.

    timed: publish Rev.30 on the way, with 1,000 proposals pending, and print how long it took."""
    big = large.build(directory, paragraphs=400, delegations=200, url=url)
    large.add_revisions(big, 30)
    if timed:
        publish_with_pending(big, 1000)
    large.add_proposals(big, 5000)
    return big


def postgres_submits(directory: Path, seconds: float, repeat: int = 1, *, full: bool = False) -> None:
    """The same submit load on a throwaway PostgreSQL database."""
    name = f"accord_bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # no PostgreSQL here: say so and go on
        print(f"\n### Proposal submits, PostgreSQL\n\nnot measured: {str(error).splitlines()[0]}")
        return
    url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        if full:
            big = writes_process(directory / "pg", url)
        else:
            big = large.build(directory / "pg", paragraphs=400, delegations=200, url=url)
        submits(big, "PostgreSQL", directory, seconds, repeat)
        big.engine.dispose()
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# --- 5. SSE streams ------------------------------------------------------------------------------------


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


async def _open_streams(port: int, count: int) -> list[asyncio.StreamWriter]:
    async def one() -> asyncio.StreamWriter | None:
        try:
            reader, writer = await asyncio.open_connection(serving.HOST, port)
            writer.write(
                b"GET /processes/big/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
            )
            await writer.drain()
            head = await asyncio.wait_for(reader.readuntil(b": connected\n\n"), timeout=60)
            return writer if b" 200 " in head.split(b"\r\n", 1)[0] + b" " else None
        except (TimeoutError, OSError, asyncio.IncompleteReadError):
            return None

    opened: list[asyncio.StreamWriter] = []
    for start in range(0, count, 200):  # in waves, as readers arrive
        opened.extend(w for w in await asyncio.gather(*(one() for _ in range(min(200, count - start)))) if w)
    return opened


def sse_streams(big: large.LargeProcess, directory: Path, count: int) -> None:
    """Open `count` event streams on one worker; its memory before and with them.

    The worker starts with the usual soft limit of 1,024 open files, as a service gets it: the app
    raises it itself (api/main.py). This client raises its own, to open the streams."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, 2 * count + 256)), hard))
    env = {**serving.accord_env(big.url, directory), "ACCORD_SECRET_KEY": SECRET}
    with serving.uvicorn("api.main:app", env, workers=1, ready="/api/v1/health", open_files=1024) as served:
        port, pid = served.port, served.pid
        before = _rss_kib(pid)

        async def hold() -> tuple[int, int]:
            writers = await _open_streams(port, count)
            await asyncio.sleep(2)
            held = _rss_kib(pid)
            for writer in writers:
                writer.close()
            return len(writers), held

        opened, held = asyncio.run(hold())
    per_stream = (held - before) / opened if opened else 0.0
    print("\n### Server-sent event streams, one uvicorn worker\n")
    print(
        f"**{opened:,} of {count:,} streams held**; worker RSS {before / 1024:.0f} MiB before, "
        f"{held / 1024:.0f} MiB with them: **{per_stream:.1f} KiB per stream**"
    )


def main() -> None:
    """Run every part in order and print its Markdown."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a quarter of the proposals, 8 revisions")
    parser.add_argument("--seconds", type=float, default=10, help="seconds of submit load (default 10)")
    parser.add_argument("--streams", type=int, default=2000)
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--no-growth", action="store_true", help="skip 1-3: a fresh 400-paragraph process")
    parser.add_argument("--growth-only", action="store_true", help="only 1-2, the growth and the publish")
    parser.add_argument(
        "--streams-only", action="store_true", help="only 5, on a fresh 400-paragraph process"
    )
    parser.add_argument(
        "--writes",
        action="store_true",
        help="only the write side on the large process (30 revisions, 5,000 proposals): publishing with "
        "1,000 pending, /verify, submits on SQLite and PostgreSQL beside the bare parts",
    )
    parser.add_argument("--repeat", type=int, default=1, help="submit runs, Accord and bare in turn")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        directory = Path(scratch)
        started = time.perf_counter()
        if args.growth_only:
            growth(directory, args.quick)
            return
        if args.writes:
            big = writes_process(directory / "big", timed=True)
        elif args.no_growth or args.streams_only:
            big = large.build(directory / "big", paragraphs=400, delegations=200)
        else:
            big = growth(directory, args.quick)
        if not (args.no_growth or args.streams_only):
            verify_large(big)
        if args.streams_only:
            sse_streams(big, directory, args.streams)
            return
        submits(big, "SQLite", directory, args.seconds, args.repeat)
        if not args.skip_postgres:
            postgres_submits(directory, args.seconds, args.repeat, full=args.writes)
        if not args.writes:
            sse_streams(big, directory, args.streams)
        print(f"\n(whole run: {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
