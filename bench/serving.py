"""Serving apps under uvicorn and loading them with wrk (or a Python client when wrk is missing).

Shared by bench/serve.py and bench/scale.py. Servers listen on 127.0.0.1 only; every load is bounded
by a duration, every wait by a timeout.
"""

import http.client
import json
import os
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from fastapi.testclient import TestClient

from api.settings import PROJECT_ROOT

HOST = "127.0.0.1"


@dataclass(frozen=True)
class Load:
    """What a load generator measured."""

    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Served:
    """A running server: its port, and the pid of uvicorn (with one worker, the worker itself)."""

    port: int
    pid: int


@contextmanager
def uvicorn(
    app: str, env: Mapping[str, str], workers: int = 2, ready: str = "/", open_files: int | None = None
) -> Iterator[Served]:
    """Serve `app` (module:attribute) with uvicorn, uvloop and httptools.

    `open_files` starts the server with that soft limit of open files (what a service usually gets)."""
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", app, "--host", HOST, "--port", str(port)]
    command += ["--workers", str(workers), "--loop", "uvloop", "--http", "httptools"]
    command += ["--no-access-log", "--log-level", "warning"]

    def limit() -> None:
        if open_files is not None:
            resource.setrlimit(
                resource.RLIMIT_NOFILE, (open_files, resource.getrlimit(resource.RLIMIT_NOFILE)[1])
            )

    server = subprocess.Popen(command, cwd=PROJECT_ROOT, env={**os.environ, **env}, preexec_fn=limit)
    try:
        _wait_until_up(port, ready, server)
        yield Served(port, server.pid)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


def _wait_until_up(port: int, path: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 180  # a loaded machine starts two workers slowly
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server on port {port} exited with {server.returncode}")
        try:
            if request(port, "GET", path)[0] < 500:
                time.sleep(0.5)  # the second worker
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing answered on port {port} within 180 s")


def request(
    port: int, method: str, path: str, body: bytes | None = None, headers: Mapping[str, str] | None = None
) -> tuple[int, bytes, float]:
    """One request on a new connection: status, body, and milliseconds until the whole body was read."""
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        started = time.perf_counter()
        connection.request(method, path, body=body, headers=dict(headers or {}))
        response = connection.getresponse()
        data = response.read()
        return response.status, data, (time.perf_counter() - started) * 1000
    finally:
        connection.close()


def token(port: int, username: str, password: str) -> dict[str, str]:
    """Authorization headers for an account of the served Accord."""
    form = urllib.parse.urlencode({"username": username, "password": password}).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    status, body, _ms = request(port, "POST", "/api/v1/auth/token", form, headers)
    assert status == 200, body
    return {"Authorization": f"Bearer {json.loads(body)['access_token']}"}


def web_session(port: int, username: str, password: str) -> dict[str, str]:
    """The cookie of an account signed in through the web form of a served Accord."""
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        connection.request("GET", "/sign-in")
        response = connection.getresponse()
        page = response.read().decode()
        cookie = _session_cookie(response)
        csrf = page.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
        form = {"username": username, "password": password, "csrf_token": csrf, "next": "/"}
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
        connection.request("POST", "/sign-in", body=urllib.parse.urlencode(form).encode(), headers=headers)
        response = connection.getresponse()
        response.read()
        assert response.status == 303, response.status
        return {"Cookie": _session_cookie(response)}
    finally:
        connection.close()


def _session_cookie(response: http.client.HTTPResponse) -> str:
    found = [h for h in response.headers.get_all("set-cookie") or [] if h.startswith("accord_session=")]
    assert found, "no session cookie"
    return found[-1].split(";", 1)[0]


def load(port: int, path: str, seconds: float, connections: int = 16, lua: str | None = None) -> Load:
    """Requests per second and latency of `path` under `connections` keep-alive connections."""
    if shutil.which("wrk"):
        return _wrk(port, path, seconds, connections, lua)
    if lua is not None:
        raise RuntimeError("this load needs wrk (apt-get install -y wrk)")
    return _python_load(port, path, seconds, connections)


def _wrk(port: int, path: str, seconds: float, connections: int, lua: str | None) -> Load:
    command = [
        "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--latency",
        "--timeout",
        "10s",
    ]
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        if lua is not None:
            script.write(lua)
            script.flush()
            command += ["-s", script.name]
        output = subprocess.run(
            [*command, f"http://{HOST}:{port}{path}"], capture_output=True, text=True, timeout=seconds + 60
        ).stdout
    total = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    failed = int(errors.group(1)) if errors else 0
    if socket_errors:
        failed += sum(int(n) for n in socket_errors.groups())
    return Load(
        requests_per_second=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),  # type: ignore[union-attr]
        p50_ms=_wrk_ms(output, "50%"),
        p99_ms=_wrk_ms(output, "99%"),
        requests=total,
        errors=failed,
    )


def _wrk_ms(output: str, percentile: str) -> float:
    found = re.search(rf"^\s+{percentile}\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
    assert found, output
    value, unit = float(found.group(1)), found.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def _python_load(port: int, path: str, seconds: float, connections: int) -> Load:
    """A bounded keep-alive client per thread: the fallback when wrk is not installed."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker() -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        mine: list[float] = []
        failed = 0
        while time.monotonic() < deadline:
            started = time.perf_counter()
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            mine.append((time.perf_counter() - started) * 1000)
            failed += response.status >= 400
        connection.close()
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    elapsed = time.monotonic() - started
    latencies.sort()
    return Load(
        requests_per_second=len(latencies) / elapsed,
        p50_ms=statistics.median(latencies),
        p99_ms=latencies[int(0.99 * (len(latencies) - 1))],
        requests=len(latencies),
        errors=errors[0],
    )


def signed_in(client: TestClient, username: str, password: str) -> dict[str, str]:
    """The session cookie of an account signed in through the web form (for in-process clients)."""
    signer = TestClient(client.app)
    page = signer.get("/sign-in").text
    token = page.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
    form = {"username": username, "password": password, "csrf_token": token, "next": "/"}
    assert signer.post("/sign-in", data=form, follow_redirects=False).status_code == 303
    return {"cookie": f"accord_session={signer.cookies['accord_session']}"}


def accord_env(database_url: str, directory: Path) -> dict[str, str]:
    """The environment of a production-mode Accord on the given database."""
    return {
        "ACCORD_MODE": "production",
        "ACCORD_DATABASE_URL": database_url,
        "ACCORD_SECRET_KEY": "bench-secret-key-" + "x" * 32,
        # Production wants its https:// address (Secure cookies); the benches call 127.0.0.1 directly.
        "ACCORD_PUBLIC_URL": "https://accord.bench.invalid",
        "PYTHONPATH": str(PROJECT_ROOT),
        "TMPDIR": str(directory),
    }
