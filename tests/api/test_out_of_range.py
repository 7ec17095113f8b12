"""Ids and other values beyond what the database can hold answer 4xx, never 500, on both engines."""

import pytest
from fastapi.testclient import TestClient

from tests.conftest import token_for

HUGE = (2**31, 2**63, 10**30, -1, 0)
BAD_TEXT = ("%00", "a%00b", "x" * 3000, "%F0%9F%92%A9" * 50, "%C3%28")


def _requests(value: object) -> list[tuple[str, str, dict[str, object] | None]]:
    edit = {"text": "x", "justification": "", "lock_version": value if isinstance(value, int) else 1}
    return [
        ("GET", f"/api/v1/proposals/{value}", None),
        ("PATCH", f"/api/v1/proposals/{value}", edit),
        ("PATCH", "/api/v1/proposals/1", edit),
        ("POST", f"/api/v1/proposals/{value}/withdraw", None),
        ("POST", f"/api/v1/proposals/{value}/cosponsors", None),
        ("DELETE", f"/api/v1/proposals/{value}/cosponsors", None),
        ("POST", f"/api/v1/proposals/{value}/rulings", {"decision": "reject", "reason": "r"}),
        ("PATCH", "/api/v1/processes/gcm/working-copy/paragraphs/para-1", {"lock_version": value}),
        ("GET", f"/proposals/{value}", None),
        ("GET", f"/proposals/{value}/edit", None),
    ]


def _text_requests(value: str) -> list[tuple[str, str, dict[str, object] | None]]:
    return [
        ("GET", f"/api/v1/processes/{value}", None),
        ("GET", f"/api/v1/processes/nyd/revisions/{value}", None),
        ("GET", f"/api/v1/processes/nyd/paragraphs/{value}/history", None),
        ("GET", f"/api/v1/processes/nyd/compare?from={value}&to={value}", None),
        ("GET", f"/api/v1/processes/gcm/proposals?paragraph={value}&delegation={value}&state={value}", None),
        ("GET", f"/processes/{value}", None),
        ("GET", f"/processes/nyd/revisions/{value}", None),
        ("GET", f"/processes/nyd/paragraphs/{value}", None),
        ("GET", f"/processes/gcm/desk?tabled={value}", None),
    ]


@pytest.mark.parametrize("who", [None, "delegate-chn", "cofac-mex"])
def test_out_of_range_ids_and_odd_text_in_urls_are_4xx(client: TestClient, who: str | None) -> None:
    headers = token_for(client, who) if who else {}
    client = TestClient(client.app, raise_server_exceptions=False)
    problems = []
    for value in HUGE:
        for method, path, body in _requests(value):
            response = client.request(method, path, json=body, headers=headers)
            if not 400 <= response.status_code < 500:
                problems.append((method, path, response.status_code))
    for text in BAD_TEXT:
        for method, path, body in _text_requests(text):
            response = client.request(method, path, json=body, headers=headers)
            if response.status_code >= 500:
                problems.append((method, path[:80], response.status_code))
    assert problems == [], problems
