"""GET /verify: answered from a cache keyed by the chain head, and limited per address."""

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api.app import create_app
from tests.conftest import app_settings, token_for


def test_twenty_anonymous_calls_cost_one_computation_until_the_head_moves(client: TestClient) -> None:
    cache = client.app.state.verify_cache  # type: ignore[attr-defined]
    before = cache.computations
    answers = [client.get("/api/v1/processes/gcm/verify") for _ in range(20)]
    assert {a.status_code for a in answers} == {200} and all(a.json()["ok"] for a in answers)
    assert cache.computations - before == 1
    head = answers[0].json()["head_hash"]
    headers = token_for(client, "cofac-mex")
    assert client.post("/api/v1/processes/gcm/compilation/release", headers=headers).status_code == 204
    moved = client.get("/api/v1/processes/gcm/verify").json()
    assert moved["head_hash"] != head and moved["ok"] and cache.computations - before == 2


def test_too_many_calls_from_one_address_get_429_with_retry_after(seeded_engine: Engine) -> None:
    settings = app_settings(seeded_engine).model_copy(update={"verify_calls_per_minute": 3})
    with TestClient(create_app(settings, seeded_engine)) as client:
        assert [client.get("/api/v1/processes/gcm/verify").status_code for _ in range(3)] == [200] * 3
        refused = client.get("/api/v1/processes/gcm/verify")
    assert refused.status_code == 429 and 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.json()["error"] == "too_many_requests"
