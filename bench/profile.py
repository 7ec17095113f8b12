"""Where a read or a write spends its time: pyinstrument; run `python -m bench.profile [--writes]`.

The database is the big generated process (bench/large.py: 400 paragraphs, 5 revisions, 1,000
proposals by default); the render cache is off, so that every request does the whole work of a cold
render. Requests go through the whole ASGI app (middleware, dependencies, routes, templates) in this
thread: the thread pool is replaced by inline calls, so that the profiler sees the handlers. For each
page it prints the top frames by self time and by total time over `--runs` requests after a warm-up.

With `--writes` it profiles the write side instead, on the large process of issue 11 (30 revisions,
5,000 proposals): `--runs` proposal submits through the whole app (JSON API, bearer tokens of 16
delegations, each its own Idempotency-Key, each its own transaction and commit), then publishing the
next revision with 1,000 proposals pending (on a copy built with 1,000). Nothing here is a test.
"""

import argparse
import asyncio
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("ACCORD_MODE", "test")  # the cheap password hash, for the generated accounts

import anyio.to_thread
import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pyinstrument import Profiler
from pyinstrument.renderers import ConsoleRenderer

from api.app import create_app
from api.db import make_engine, unit_of_work
from api.services import accounts, publishing, working_copy
from api.services.inputs import ParagraphEdit, PublishInput
from api.settings import Settings
from bench import large, serving

OURS = ("api/", "web/")


def pages(client: TestClient, last: str) -> dict[str, tuple[str, dict[str, str]]]:
    """The profiled pages: path and the headers of the reader who asks."""
    cofac = serving.signed_in(client, large.COFACILITATOR, large.PASSWORD)
    delegate = serving.signed_in(client, "bench-afg", large.PASSWORD)
    return {
        "revision page": (f"/processes/big/revisions/{last}", {}),
        "compare (zero draft → latest)": (f"/processes/big/compare?from=Zero+draft&to={last}", {}),
        "compilation (co-facilitator)": ("/processes/big/proposals", cofac),
        "desk (a delegation)": ("/processes/big/desk", delegate),
        "JSON revision": (f"/api/v1/processes/big/revisions/{last}", {}),
    }


async def _inline(func: Any, *args: Any, **_options: Any) -> Any:
    return func(*args)


def profile(app: FastAPI, path: str, headers: dict[str, str], runs: int, top: int) -> str:
    """The top frames of `runs` requests for the page, served in this thread."""

    async def requests(count: int) -> None:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            for _ in range(count):
                response = await client.get(path, headers=headers)
                assert response.status_code == 200, (path, response.status_code)

    asyncio.run(requests(2))
    return profiled(lambda: asyncio.run(requests(runs)), runs, top)


def profiled(work: Callable[[], object], runs: int, top: int) -> str:
    """The top frames of `work` (which does `runs` requests), with its wall and CPU time."""
    profiler = Profiler(interval=0.0005, async_mode="disabled")
    started, cpu = time.perf_counter(), time.process_time()
    profiler.start()
    work()
    session = profiler.stop()
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    lines = [f"  {runs} in {wall:.2f} s wall, {cpu:.2f} s CPU (under the profiler)"]
    for mode in ("self", "total"):
        text = ConsoleRenderer(flat=True, flat_time=mode, show_all=False).render(session)
        entries = [line for line in text.splitlines() if line.strip() and line.strip()[:1].isdigit()]
        if mode == "total":  # the framework's frames hold everything: show where our own code spends it
            entries = [line for line in entries if f" {OURS[0]}" in line or f" {OURS[1]}" in line]
        lines.append(f"  by {mode} time (s over {runs} requests{', our code' if mode == 'total' else ''}):")
        lines.extend(f"    {entry.strip()}" for entry in entries[:top])
    return "\n".join(lines)


def submits(app: FastAPI, tokens: list[str], runs: int, top: int) -> str:
    """The top frames of `runs` proposal submits, each its own request and transaction."""
    run = uuid.uuid4().hex[:8]

    async def requests(offset: int, count: int) -> None:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            for n in range(offset, offset + count):
                body = {
                    "paragraph_key": f"para-{n % 400 + 1}",
                    "action": "amend",
                    "text": f"Submitted under the profiler {run}-{n}",
                    "justification": "profiled",
                }
                headers = {
                    "Authorization": f"Bearer {tokens[n % len(tokens)]}",
                    "Idempotency-Key": f"{run}-{n}",
                }
                response = await client.post("/api/v1/processes/big/proposals", json=body, headers=headers)
                assert response.status_code == 201, response.text

    asyncio.run(requests(0, 5))
    return profiled(lambda: asyncio.run(requests(5, runs)), runs, top)


def publish(big: large.LargeProcess, top: int) -> str:
    """The top frames of publishing the next revision (20 paragraphs edited) with what is pending."""
    actor = large.cofacilitator(big.engine)
    with unit_of_work(big.engine) as session:
        view = working_copy.open_working_copy_view(session, actor, large.SLUG)
        for paragraph in view.paragraphs[:20]:
            edit = ParagraphEdit(text=paragraph.text + " Amended.", lock_version=paragraph.lock_version)
            working_copy.edit_paragraph(session, actor, large.SLUG, paragraph.key, edit)

    def work() -> None:
        with unit_of_work(big.engine) as session:
            publishing.publish(session, actor, large.SLUG, PublishInput(label=f"Rev.{big.revisions}"))

    return profiled(work, 1, top)


def writes(directory: Path, runs: int, top: int) -> None:
    """Profile submits on the large process, and the publish with 1,000 pending."""
    big = large.build(directory / "big")
    large.add_revisions(big, 30)
    large.add_proposals(big, 1000)
    big.engine.dispose()  # the last connection closed checkpoints the log into the file copied here
    shutil.copy(directory / "big" / "large.db", directory / "pending.db")
    large.add_proposals(big, 5000)
    with unit_of_work(big.engine) as session:
        tokens = [accounts.open_session(session, actor, "api", 3600) for actor in big.delegates[:16]]
    settings = Settings(mode="test", database_url=big.url, secret_key="p" * 40)
    app = create_app(settings, big.engine)
    anyio.to_thread.run_sync = _inline  # type: ignore[assignment]  # handlers run in this thread
    print(
        f"\n## proposal submits (5,000 proposals, 31 revisions)\n{submits(app, tokens, runs, top)}",
        flush=True,
    )
    big.engine.dispose()
    url = f"sqlite:///{directory / 'pending.db'}"
    pending = large.LargeProcess(url, make_engine(url), 400, 30, 1000)
    print(f"\n## publishing with 1,000 pending\n{publish(pending, top)}", flush=True)


def main() -> None:
    """Build the database, then print each page's profile."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--revisions", type=int, default=5)
    parser.add_argument("--proposals", type=int, default=1000)
    parser.add_argument("--writes", action="store_true", help="profile submits and publishing instead")
    args = parser.parse_args()
    if args.writes:
        with tempfile.TemporaryDirectory() as directory:
            writes(Path(directory), args.runs, args.top)
        return
    with tempfile.TemporaryDirectory() as directory:
        big = large.build(Path(directory))
        large.add_revisions(big, args.revisions)
        large.add_proposals(big, args.proposals)
        last = f"Rev.{big.revisions - 1}"
        settings = Settings(mode="test", database_url=big.url, secret_key="p" * 40, render_cache_bytes=0)
        app = create_app(settings, big.engine)
        with TestClient(app) as client:
            readers = pages(client, last)
        anyio.to_thread.run_sync = _inline  # type: ignore[assignment]  # handlers run in this thread
        for name, (path, headers) in readers.items():
            print(f"\n## {name}: {path}\n{profile(app, path, headers, args.runs, args.top)}", flush=True)


if __name__ == "__main__":
    main()
