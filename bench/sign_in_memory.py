"""Guessing passwords against a real uvicorn: statuses, and the server's memory against its idle size.

`python -m bench.sign_in_memory [--seconds 15] [--parallel 32]` serves a production-mode Accord (library
Argon2 parameters: 64 MiB per check) on a fresh SQLite file with one worker, signs in once, measures the
worker's resident memory, then lets `--parallel` clients guess wrong passwords for `--seconds`, half for
one account from one address, half spraying accounts. It prints the statuses and the peak memory.
"""

import argparse
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

from api.db import make_engine, unit_of_work
from api.services import accounts, seeding
from api.settings import PROJECT_ROOT
from bench.serving import accord_env, request, uvicorn

PASSWORD = "bench-password-1"


def rss_mib(pid: int) -> float:
    """The resident memory of a process, in MiB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def _prepare(url: str) -> None:
    from tests.conftest import migrate  # the same migrations the tests run

    engine = make_engine(url)
    migrate(engine)
    with unit_of_work(engine) as session:
        seeding.seed(session, PROJECT_ROOT / "drafts", None)
        accounts.add_user(session, "bench-delegate", PASSWORD, "delegation", "CHN")
    engine.dispose()


def _guesser(port: int, username: str, until: float, statuses: Counter[int], lock: threading.Lock) -> None:
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    n = 0
    while time.monotonic() < until:
        name = username or f"sprayed-{n}"
        form = urllib.parse.urlencode({"username": name, "password": f"wrong-{n}"}).encode()
        status, _body, _ms = request(port, "POST", "/api/v1/auth/token", form, headers)
        with lock:
            statuses[status] += 1
        n += 1


def main() -> None:
    """Run the guessing load and print what the server answered and how much memory it took."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--parallel", type=int, default=32)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{directory}/accord.db"
        _prepare(url)
        env = {**accord_env(url, Path(directory)), "ACCORD_PUBLIC_URL": "https://127.0.0.1"}
        with uvicorn("api.main:app", env, workers=1) as served:
            form = urllib.parse.urlencode({"username": "bench-delegate", "password": PASSWORD}).encode()
            headers = {"Content-Type": "application/x-www-form-urlencoded"}
            assert request(served.port, "POST", "/api/v1/auth/token", form, headers)[0] == 200
            idle = rss_mib(served.pid)
            statuses: Counter[int] = Counter()
            lock = threading.Lock()
            until = time.monotonic() + args.seconds
            threads = [
                threading.Thread(
                    target=_guesser,
                    args=(served.port, "bench-delegate" if i % 2 else "", until, statuses, lock),
                )
                for i in range(args.parallel)
            ]
            for thread in threads:
                thread.start()
            peak = idle
            while any(thread.is_alive() for thread in threads):
                peak = max(peak, rss_mib(served.pid))
                time.sleep(0.05)
            ok = request(served.port, "POST", "/api/v1/auth/token", form, {**headers})[0]
    print(
        f"{args.parallel} clients x {args.seconds:.0f} s of wrong passwords: {dict(sorted(statuses.items()))}"
    )
    print(f"memory: idle {idle:.0f} MiB, peak {peak:.0f} MiB ({peak / idle:.2f}x idle)")
    print(f"the owner signing in afterwards from the same address: {ok}")


if __name__ == "__main__":
    main()
