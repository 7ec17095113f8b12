"""Bounded work: an oversized import is refused at once, naming the limit, and nothing is saved."""

import time

from fastapi.testclient import TestClient

from api.domain.limits import MAX_IMPORT_PARAGRAPHS, MAX_PARAGRAPH_CHARS
from tests.api.workflow_helpers import Round
from tests.conftest import token_for

IMPORTS = "/api/v1/processes/gcm/imports"


def _import(client: TestClient, content: bytes) -> tuple[int, str]:
    files = {"file": ("draft.md", content, "text/markdown")}
    response = client.post(IMPORTS, files=files, headers=token_for(client, "secretariat"))
    return response.status_code, response.json()["detail"]


def test_a_hundred_thousand_paragraph_import_is_refused_at_once(client: TestClient) -> None:
    content = "".join(f"{n}. Text.\n\n" for n in range(1, 100_001)).encode()
    assert len(content) < 1_500_000
    started = time.monotonic()
    status, detail = _import(client, content)
    elapsed = time.monotonic() - started
    assert status == 422 and "100000 paragraphs" in detail and f"at most {MAX_IMPORT_PARAGRAPHS}" in detail
    assert elapsed < 30  # loose: refused before any parsing or writing (it took 85 s to accept before)
    current = client.get(f"{IMPORTS}/current", headers=token_for(client, "secretariat"))
    assert current.status_code in (404, 409), current.text  # no working copy was opened


def test_a_paragraph_longer_than_the_cap_is_refused(client: TestClient) -> None:
    content = ("1. Short.\n\n2. " + "word " * (MAX_PARAGRAPH_CHARS // 5 + 10)).encode()
    status, detail = _import(client, content)
    assert status == 422 and "paragraph 2" in detail and str(MAX_PARAGRAPH_CHARS) in detail


def test_eight_insertions_each_after_the_last_fit_every_engine(client: TestClient) -> None:
    r = Round(client)
    r.publish_zero_draft()
    after = "para-7"
    for n in range(1, 9):  # the 8th overflowed wid varchar(64) on PostgreSQL once
        tabled = r.table("delegate-zaf", after, f"Inserted text number {n}.", action="insert")
        assert r.rule(tabled["id"], "accept", "Agreed")["applied"]
        label = f"Rev.{n}"
        r.ok(
            client.post("/api/v1/processes/gcm/revisions", json={"label": label}, headers=r.as_("cofac-mex")),
            201,
        )
        paragraphs = r.ok(client.get(f"/api/v1/processes/gcm/revisions/{label}"))["paragraphs"]
        after = next(p["key"] for p in paragraphs if p["text"] == f"Inserted text number {n}.")
    assert len(after) <= 64
