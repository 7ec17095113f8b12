"""Where a read spends its time: pyinstrument over the heavy pages; run `python -m bench.profile`.

The database is the big generated process (bench/large.py: 400 paragraphs, 5 revisions, 1,000
proposals by default); the render cache is off, so that every request does the whole work of a cold
render. Requests go through the whole ASGI app (middleware, dependencies, routes, templates) in this
thread: the thread pool is replaced by inline calls, so that the profiler sees the handlers. For each
page it prints the top frames by self time and by total time over `--runs` requests after a warm-up.
Nothing here is a test.
"""

import argparse
import asyncio
import os
import tempfile
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
    profiler = Profiler(interval=0.0005, async_mode="disabled")
    profiler.start()
    asyncio.run(requests(runs))
    session = profiler.stop()
    lines = []
    for mode in ("self", "total"):
        text = ConsoleRenderer(flat=True, flat_time=mode, show_all=False).render(session)
        entries = [line for line in text.splitlines() if line.strip() and line.strip()[:1].isdigit()]
        if mode == "total":  # the framework's frames hold everything: show where our own code spends it
            entries = [line for line in entries if f" {OURS[0]}" in line or f" {OURS[1]}" in line]
        lines.append(f"  by {mode} time (s over {runs} requests{', our code' if mode == 'total' else ''}):")
        lines.extend(f"    {entry.strip()}" for entry in entries[:top])
    return "\n".join(lines)


def main() -> None:
    """Build the database, then print each page's profile."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--revisions", type=int, default=5)
    parser.add_argument("--proposals", type=int, default=1000)
    args = parser.parse_args()
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
