"""The verification page and the feed publish the chain head; feed links never follow the Host header."""

from fastapi.testclient import TestClient


def test_the_verify_page_shows_the_head_and_checks_an_earlier_one(client: TestClient) -> None:
    head = client.get("/api/v1/processes/gcm/verify").json()["head_hash"]
    page = client.get("/processes/gcm/verify")
    assert page.status_code == 200 and head in page.text and "Verified: nothing was altered" in page.text
    checked = client.get("/processes/gcm/verify", params={"since": head})
    assert "The earlier head is still in the chain." in checked.text
    unknown = client.get("/processes/gcm/verify", params={"since": "a" * 64})
    assert "is NOT in the chain" in unknown.text and "Verification failed" in unknown.text


def test_the_feed_carries_the_head_and_the_configured_public_url(client: TestClient) -> None:
    head = client.get("/api/v1/processes/gcm/verify").json()["head_hash"]
    feed = client.get("/processes/gcm/feed.atom", headers={"Host": "attacker.example"})
    assert feed.status_code == 200 and head in feed.text
    assert "attacker.example" not in feed.text and "http://127.0.0.1:8000/processes/gcm" in feed.text
