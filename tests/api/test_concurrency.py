"""Many clients at once against a real server: nothing lost, nothing duplicated, stale writes refused."""

import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlmodel import Session

from api.app import create_app
from api.models import Proposal
from api.services.audit import verify_chain
from tests.api.workflow_helpers import Round
from tests.conftest import app_settings, token_for


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def server(client: TestClient, seeded_engine: Engine) -> Iterator[str]:
    """A real uvicorn server on a free loopback port, over the seeded database with a zero draft."""
    Round(client).publish_zero_draft()
    port = _free_port()
    config = uvicorn.Config(
        create_app(app_settings(seeded_engine), seeded_engine), port=port, log_level="warning"
    )
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not running.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(timeout=10)


def _post(base: str, headers: dict[str, str], body: dict[str, Any], key: str) -> int:
    with httpx.Client(base_url=base, timeout=30) as http:
        response = http.post(
            "/api/v1/processes/gcm/proposals", json=body, headers={**headers, "Idempotency-Key": key}
        )
        return response.status_code


def test_concurrent_submissions_lose_and_duplicate_nothing(
    server: str, client: TestClient, seeded_engine: Engine
) -> None:
    delegates = ["delegate-chn", "delegate-deu", "delegate-bra", "delegate-zaf"]
    headers = {name: token_for(client, name) for name in delegates}
    jobs = []
    for i in range(12):
        for name in delegates:
            body = {
                "paragraph_key": f"para-{1 + i % 15}",
                "action": "amend",
                "text": f"Text {i} of {name}.",
                "justification": "x",
            }
            jobs.extend([(headers[name], body, f"{name}-{i}")] * 2)  # every submission is sent twice
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda job: _post(server, *job), jobs))
    assert set(statuses) == {201}
    with Session(seeded_engine) as session:
        assert session.exec(select(func.count()).select_from(Proposal)).one()[0] == 12 * len(delegates)
        assert verify_chain(session).ok


def test_only_one_of_several_simultaneous_edits_wins(server: str, client: TestClient) -> None:
    cofacilitators = [token_for(client, "cofac-mex"), token_for(client, "cofac-che")]
    with httpx.Client(base_url=server, timeout=30) as http:
        view = http.post("/api/v1/processes/gcm/working-copy", headers=cofacilitators[0]).json()
    lock = next(p for p in view["paragraphs"] if p["key"] == "para-2")["lock_version"]

    def edit(n: int) -> int:
        with httpx.Client(base_url=server, timeout=30) as http:
            body = {"text": f"Compromise number {n}.", "lock_version": lock}
            url = "/api/v1/processes/gcm/working-copy/paragraphs/para-2"
            return http.patch(url, json=body, headers=cofacilitators[n % 2]).status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = sorted(pool.map(edit, range(6)))
    assert statuses == [200, 409, 409, 409, 409, 409]
