"""A write that cannot get the database in time is a clear 503 that saved nothing, not a crash."""

import sqlite3

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api import db
from api.app import create_app
from tests.api.workflow_helpers import Round
from tests.conftest import app_settings


# SQLite only: PostgreSQL writers wait on row locks instead; its deadlocks map to the same 503.
@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_a_locked_sqlite_database_gives_503_and_retry_after(
    client: TestClient, seeded_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    Round(client).publish_zero_draft()
    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_MS", 100)
    impatient = db.make_engine(seeded_engine.url.render_as_string(hide_password=False))
    blocker = sqlite3.connect(str(seeded_engine.url.database), isolation_level=None)
    try:
        with TestClient(create_app(app_settings(impatient), impatient)) as other:
            headers = Round(other).as_("delegate-chn")
            blocker.execute("BEGIN IMMEDIATE")  # another writer holds the database
            body = {"paragraph_key": "para-5", "action": "amend", "text": "Busy.", "justification": "Busy."}
            response = other.post("/api/v1/processes/gcm/proposals", json=body, headers=headers)
            blocker.execute("ROLLBACK")
            assert response.status_code == 503 and response.headers["retry-after"] == "1"
            assert "nothing was saved" in response.json()["detail"]
            assert other.get("/api/v1/processes/gcm/proposals", headers=headers).json() == []
    finally:
        blocker.close()
        impatient.dispose()
