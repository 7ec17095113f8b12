"""Accord beside the bare parts, in one run: `python -m bench.serve [--seconds 10] [--connections 16]`.

Both are served the same way (uvicorn, 2 workers, uvloop, httptools) from one scratch SQLite database:
the seed (A/RES/70/302, 215 paragraphs in Chinese) and a Rev.1 of it with 30 edited paragraphs
(bench/bench_web.py makes it). wrk loads each read in turn, Accord then the bare app (bench/bare.py),
and the bench prints requests/s, p50/p99 and the ratio Accord / bare. Then, nine times (`--publishes`),
a co-facilitator publishes a new revision through the API and the first request for its page (and for
the compare with the revision before), by the public and by a signed-in observer, is timed against the
bare app's render of the same rows, measured right after it: no worker's memory has seen that revision
(the publication stored its first views in the database: web/publication.py). `--only first` or
`--only throughput` runs one part. Nothing here is a test; nothing leaves 127.0.0.1.
"""

import argparse
import json
import statistics
import tempfile
import time
import urllib.parse
from pathlib import Path

from bench import bench_web, serving
from bench.serving import Load

SEED = "Adopted text"
READS = {
    "revision page of the seed": (
        "/processes/nyd/revisions/Adopted%20text",
        "/processes/nyd/revisions/Adopted%20text",
    ),
    "JSON revision of the seed": (
        "/api/v1/processes/nyd/revisions/Adopted%20text",
        "/api/v1/processes/nyd/revisions/Adopted%20text",
    ),
    "compare seed → Rev.1": (
        "/processes/nyd/compare?from=Adopted+text&to=Rev.1",
        "/processes/nyd/compare?old=Adopted%20text&new=Rev.1",
    ),
}
PUBLISHES = 9
FIRST_READS = (
    "revision page, public",
    "compare with the revision before, public",
    "revision page, signed-in observer",
    "compare with the revision before, signed-in observer",
)


def _row(name: str, accord: Load, bare: Load) -> str:
    ratio = accord.requests_per_second / bare.requests_per_second
    errors = f" ({accord.errors} / {bare.errors} errors)" if accord.errors or bare.errors else ""
    return (
        f"| {name} | {accord.requests_per_second:,.0f} | {bare.requests_per_second:,.0f} | **{ratio:.2f}×** "
        f"| {accord.p50_ms:.1f} / {accord.p99_ms:.1f} | {bare.p50_ms:.1f} / {bare.p99_ms:.1f} |{errors}"
    )


def throughput(accord: int, bare: int, seconds: float, connections: int) -> None:
    """Each read under load, Accord then bare, and the ratio."""
    print(f"\nwrk, {connections} connections, {seconds:.0f} s each (requests/s; latency p50 / p99 in ms)\n")
    print("| read | Accord req/s | bare req/s | Accord / bare | Accord p50 / p99 | bare p50 / p99 |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, (accord_path, bare_path) in READS.items():
        for _ in range(4):  # the first render in each worker, outside the measurement
            serving.request(accord, "GET", accord_path)
            serving.request(bare, "GET", bare_path)
        print(
            _row(
                name,
                serving.load(accord, accord_path, seconds, connections),
                serving.load(bare, bare_path, seconds, connections),
            ),
            flush=True,
        )


def _publish(port: int, headers: dict[str, str], label: str, n: int) -> None:
    """Edit one paragraph of the working copy and publish it as `label`."""
    status, body, _ms = serving.request(port, "POST", "/api/v1/processes/nyd/working-copy", b"", headers)
    assert status == 200, body
    paragraph = next(p for p in json.loads(body)["paragraphs"] if p["kind"] == "paragraph")
    edit = {"text": f"{paragraph['text']}（第{n}次修改）", "lock_version": paragraph["lock_version"]}
    path = f"/api/v1/processes/nyd/working-copy/paragraphs/{paragraph['key']}"
    json_headers = {**headers, "Content-Type": "application/json"}
    status, body, _ms = serving.request(port, "PATCH", path, json.dumps(edit).encode(), json_headers)
    assert status == 200, body
    publish = json.dumps({"label": label, "summary": "bench"}).encode()
    status, body, _ms = serving.request(
        port, "POST", "/api/v1/processes/nyd/revisions", publish, json_headers
    )
    assert status == 201, body


def _bare_ms(port: int, path: str) -> float:
    return statistics.median(serving.request(port, "GET", path)[2] for _ in range(3))


def first_render(accord: int, bare: int, publishes: int) -> None:
    """The first request for a just-published revision's page and compare, against a bare render.

    Read by the public (anonymous) and by a signed-in observer, whose page carries their name and
    token: the public's first pages are stored at publication, the observer's page is put together
    from the revision's stored body. Each first request is followed at once by the bare render of the
    same rows (median of 3), so that both see the same moment of a loaded machine."""
    headers = serving.token(accord, "cofac-nyd", bench_web.PASSWORD)
    observer = serving.web_session(accord, "observer", bench_web.PASSWORD)
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in FIRST_READS}
    previous = "Rev.1"
    for n in range(publishes):
        label = f"Rev.{n + 2}"
        _publish(accord, headers, label, n)
        quoted, older = urllib.parse.quote(label), urllib.parse.quote(previous)
        page, compare = (
            f"/processes/nyd/revisions/{quoted}",
            f"/processes/nyd/compare?from={older}&to={quoted}",
        )
        bare_compare = f"/processes/nyd/compare?old={older}&new={quoted}"
        reads = (
            (page, page, {}),
            (compare, bare_compare, {}),
            (page, page, observer),
            (compare, bare_compare, observer),
        )
        for name, (path, bare_path, reader) in zip(FIRST_READS, reads, strict=True):
            status, _body, accord_ms = serving.request(accord, "GET", path, headers=reader)
            assert status == 200, (path, status)
            times[name].append((accord_ms, _bare_ms(bare, bare_path)))
        previous = label
    print(f"\nFirst request after a publish (median of {publishes} publishes, one request each)\n")
    print("| read | Accord, first request (ms) | bare render (ms) | Accord / bare |")
    print("|---|---:|---:|---:|")
    for name, pairs in times.items():
        accord_ms = statistics.median(a for a, _b in pairs)
        bare_ms = statistics.median(b for _a, b in pairs)
        print(f"| {name} | {accord_ms:.1f} | {bare_ms:.1f} | **{accord_ms / bare_ms:.2f}×** |")


def main() -> None:
    """Build the database, serve both apps, print the tables."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10, help="seconds of load per read (default 10)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--only", choices=("throughput", "first"), help="run one part (default both)")
    parser.add_argument("--publishes", type=int, default=PUBLISHES, help=f"default {PUBLISHES}")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        directory = Path(scratch)
        started = time.perf_counter()
        url = bench_web._database(directory)
        print(f"set-up: seed and Rev.1 in {time.perf_counter() - started:.1f} s")
        bare_env = {"BENCH_BARE_DB": str(directory / "bench.db"), "PYTHONPATH": str(serving.PROJECT_ROOT)}
        with (
            serving.uvicorn(
                "api.main:app", serving.accord_env(url, directory), ready="/api/v1/health"
            ) as accord,
            serving.uvicorn("bench.bare:app", bare_env, ready="/docs") as bare,
        ):
            if args.only != "first":
                throughput(accord.port, bare.port, args.seconds, args.connections)
            if args.only != "throughput":
                first_render(accord.port, bare.port, args.publishes)


if __name__ == "__main__":
    main()
