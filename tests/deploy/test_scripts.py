"""The set-up scripts behind `make run` and `make test`, run for real: fonts, ports, the test PostgreSQL."""

import os
import shutil
import signal
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from api.settings import PROJECT_ROOT

SCRIPTS = PROJECT_ROOT / "scripts"
PRELUDE = f"set -euo pipefail; cd {PROJECT_ROOT}; . scripts/lib.sh; . scripts/postgres.sh\n"


def bash(script: str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run a bash snippet with scripts/lib.sh and scripts/postgres.sh loaded, under `set -euo pipefail`."""
    return subprocess.run(
        ["bash", "-c", PRELUDE + script, "bash", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


@pytest.fixture
def listening_port() -> Iterator[int]:
    """A port of 127.0.0.1 that someone else already listens on."""
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        yield other.getsockname()[1]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.skipif(shutil.which("fc-list") is None, reason="fontconfig is not installed here")
def test_the_font_check_gives_the_same_answer_50_times() -> None:
    families = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, check=True).stdout
    assert families, "fontconfig lists no font at all"
    first = families.splitlines()[0].split(",")[0]  # found at once: grep stops early, fc-list keeps writing
    result = bash(
        'for run in $(seq 50); do has_font "$1" || { echo "missed on run $run"; exit 1; }; done', first
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert bash('has_font "No Such Font Family 42"').returncode == 1


def test_the_font_check_reads_a_long_font_list_to_the_end(tmp_path: Path) -> None:
    fake = tmp_path / "fc-list"  # longer than a pipe's buffer: `fc-list | grep -q` gets SIGPIPE every time
    fake.write_text("#!/bin/sh\necho 'Noto Sans CJK SC'\nyes 'Some Font' | head -n 200000\n")
    fake.chmod(0o755)
    path = {"PATH": f"{tmp_path}:{os.environ['PATH']}"}
    assert bash('fc-list : family | grep -qi "noto sans cjk"', env=path).returncode == 141  # the old check
    assert bash('has_font "noto sans cjk"', env=path).returncode == 0


def test_make_run_refuses_a_taken_port(listening_port: int) -> None:
    result = subprocess.run(
        [str(SCRIPTS / "run.sh")],
        capture_output=True,
        text=True,
        env={**os.environ, "ACCORD_PORT": str(listening_port)},
        timeout=60,
    )
    assert result.returncode == 1
    assert f"port {listening_port} on 127.0.0.1 is already in use" in result.stderr
    assert "Accord is running" not in result.stdout and "setup:" not in result.stdout  # nothing else ran


def test_make_run_announces_the_url_once_it_answers_and_stops_on_term(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "ACCORD_PORT": str(port), "ACCORD_DATABASE_URL": f"sqlite:///{tmp_path / 'run.db'}"}
    run = subprocess.Popen(
        [str(SCRIPTS / "run.sh")], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
    )
    try:
        assert run.stdout is not None
        for line in run.stdout:
            if "Accord is running at" in line:
                assert f"http://127.0.0.1:{port}/" in line
                # The announcement comes only once the server answers.
                assert httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=5).status_code == 200
                break
        else:
            pytest.fail(f"run.sh ended with status {run.wait()} without announcing the URL")
        run.send_signal(signal.SIGTERM)
        assert run.wait(timeout=30) == 143
        with pytest.raises(httpx.ConnectError):  # the server went with it
            httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=5)
    finally:
        run.kill()
        run.wait()


def test_the_test_postgres_is_its_own_trusts_only_its_user_and_goes_on_interrupt() -> None:
    if bash("postgres_bindir").returncode != 0:
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL's server binaries are not installed (make test installs them)")
        pytest.skip("PostgreSQL's server binaries are not installed here (make test installs them)")
    script = (
        "trap postgres_stop EXIT; trap 'kill $! 2>/dev/null; exit 130' INT; postgres_start >&2\n"
        'echo "$ACCORD_TEST_POSTGRES_URL $POSTGRES_DIR"; sleep 60 & wait'
    )
    cluster = subprocess.Popen(
        ["bash", "-c", PRELUDE + script], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        assert cluster.stdout is not None
        url, directory = cluster.stdout.readline().split()
        assert url.startswith("postgresql+psycopg://accord@127.0.0.1:") and not url.endswith(":5432/postgres")
        assert Path(directory).is_dir()
        engine = create_engine(url)
        with engine.connect() as connection:
            assert connection.execute(text("SELECT current_user")).scalar() == "accord"
        engine.dispose()
        stranger = create_engine(url.replace("accord@", "postgres@"))
        with pytest.raises(OperationalError, match=r"no pg_hba\.conf entry"):
            stranger.connect()
        stranger.dispose()

        cluster.send_signal(signal.SIGINT)
        assert cluster.wait(timeout=60) == 130
        assert not Path(directory).exists()
        port = int(url.rsplit(":", 1)[1].split("/")[0])
        with socket.socket() as probe:
            assert probe.connect_ex(("127.0.0.1", port)) != 0  # nothing listens there any more
    finally:
        cluster.kill()
        cluster.wait()
