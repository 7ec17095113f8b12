"""Live updates across app processes (PostgreSQL LISTEN/NOTIFY), and streams that end when servers stop."""

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, expect
from sqlalchemy import Engine

from api.settings import PROJECT_ROOT
from tests.api.workflow_helpers import Round
from tests.conftest import DEMO_PASSWORD
from tests.web.browsing import Watcher, free_port, live_server, person

PARA5 = "The Global Compact is people-centred and has a strong human dimension."


@contextmanager
def separate_process(engine: Engine) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`uvicorn api.main:app` in its own OS process over the test database, as in production."""
    port = free_port()
    env = {
        **os.environ,
        "ACCORD_MODE": "test",
        "ACCORD_DATABASE_URL": engine.url.render_as_string(hide_password=False),
    }
    command = [sys.executable, "-m", "uvicorn", "api.main:app", "--port", str(port), "--log-level", "warning"]
    process = subprocess.Popen(command, env=env, cwd=PROJECT_ROOT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process)
        yield url, process
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=15)


def _wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server process exited at start"
        try:
            if httpx.get(url + "/api/v1/health", timeout=1).status_code < 500:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError("the server process did not start")


def _token(base: str, username: str) -> dict[str, str]:
    response = httpx.post(f"{base}/api/v1/auth/token", data={"username": username, "password": DEMO_PASSWORD})
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.mark.browser
@pytest.mark.parametrize("engine", ["postgresql"], indirect=True)
def test_a_proposal_tabled_on_one_process_appears_live_on_another(
    client: TestClient, seeded_engine: Engine, browser: Browser, watcher: Watcher
) -> None:
    Round(client).publish_zero_draft()
    with separate_process(seeded_engine) as (far, _process), live_server(seeded_engine) as near:
        cofacilitator = person(browser, watcher, far, "cofac-che")
        page = cofacilitator.go("/processes/gcm/proposals")
        expect(page.locator("#compilation-results")).to_contain_text("0 proposals")
        _wait_for_stream(far)
        body = {"paragraph_key": "para-5", "action": "amend", "text": PARA5, "justification": "Shorter."}
        response = httpx.post(
            f"{near.url}/api/v1/processes/gcm/proposals", json=body, headers=_token(near.url, "delegate-deu")
        )
        assert response.status_code == 201, response.text
        expect(page.locator("#proposal-1")).to_be_visible()
        expect(page.locator(".live-notice").first).to_be_visible()
        cofacilitator.shot("20-live-update-across-processes-postgresql")
        cofacilitator.context.close()


def _wait_for_stream(base: str) -> None:
    """Give the far process's listener the moment it needs after the page opened its stream."""
    with httpx.stream("GET", f"{base}/processes/gcm/events", timeout=10) as stream:
        next(stream.iter_text())  # the first bytes come only once the listener is in place


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_stopping_a_server_ends_its_open_streams(seeded_engine: Engine) -> None:
    with separate_process(seeded_engine) as (url, process):
        received: list[str] = []
        ended = threading.Event()

        def listen() -> None:
            with httpx.stream("GET", f"{url}/processes/nyd/events", timeout=30) as stream:
                for chunk in stream.iter_text():
                    received.append(chunk)
            ended.set()

        listener = threading.Thread(target=listen, daemon=True)
        listener.start()
        deadline = time.monotonic() + 10
        while not received and time.monotonic() < deadline:
            time.sleep(0.05)
        assert received and received[0].startswith("retry:")
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=10)
        assert time.monotonic() - started < 5, "the server waited for the open stream"
        assert ended.wait(5), "the stream did not end"


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_a_server_in_a_thread_stops_with_a_stream_open(seeded_engine: Engine) -> None:
    with live_server(seeded_engine) as server:
        chunks: list[str] = []

        def listen() -> None:
            with httpx.stream("GET", f"{server.url}/processes/nyd/events", timeout=30) as stream:
                chunks.extend(stream.iter_text())

        thread = threading.Thread(target=listen, daemon=True)
        thread.start()
        server.wait_for_subscribers(1)
    thread.join(timeout=5)
    assert not thread.is_alive() and chunks[0].startswith("retry:")
