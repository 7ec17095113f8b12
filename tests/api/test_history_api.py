"""The observers' JSON views: compare, a paragraph's history, mandate coverage and agreement progress."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api.app import create_app
from api.db import unit_of_work
from api.services.accounts import add_user
from tests.conftest import DEMO_PASSWORD, app_settings, token_for
from tests.service.test_history import REV1, REV2, ZERO, add_proposals, build_gcm, empty_tables

COMPARE = "/api/v1/processes/gcm/compare"


@pytest.fixture
def client(engine: Engine) -> Iterator[TestClient]:
    """The app over the GCM test draft, with a co-facilitator, a Chinese delegate and an observer."""
    with unit_of_work(engine) as session:
        add_proposals(session, build_gcm(session))
        add_user(session, "cofac-mex", DEMO_PASSWORD, "cofacilitator", process_slug="gcm")
        add_user(session, "delegate-chn", DEMO_PASSWORD, "delegation", "CHN")
        add_user(session, "observer", DEMO_PASSWORD, "observer")
    with TestClient(create_app(app_settings(engine), engine)) as test_client:
        yield test_client
    empty_tables(engine)


def test_compare_is_a_public_read(client: TestClient) -> None:
    response = client.get(COMPARE, params={"from": ZERO, "to": REV1})
    assert response.status_code == 200
    body = response.json()
    assert (body["process"], body["from_revision"]["label"], body["to_revision"]["label"]) == (
        "gcm",
        ZERO,
        REV1,
    )
    assert body["summary"] == {
        "unchanged": 2,
        "status_changed": 0,
        "modified": 2,
        "moved": 1,
        "moved_and_modified": 0,
        "inserted": 1,
        "deleted": 1,
        "split": 2,
        "merged": 1,
    }
    assert body["paragraphs"][1] == {
        "key": "pp1",
        "change": "modified",
        "old_number": "PP1",
        "new_number": "PP1",
        "former_number": None,
        "old_position": 1,
        "new_position": 1,
        "came_from": [],
        "redline": [
            {"kind": "equal", "text": "We, the Heads of State and Government, have gathered in "},
            {"kind": "delete", "text": "["},
            {"kind": "equal", "text": "Marrakesh"},
            {"kind": "delete", "text": "]"},
            {"kind": "equal", "text": "."},
        ],
        "old_status": "bracketed",
        "new_status": "agreed",
    }
    assert [(p["key"], p["change"]) for p in body["paragraphs"]][-2:] == [
        ("op6", "merged"),
        ("op8", "inserted"),
    ]


def test_compare_needs_both_revisions(client: TestClient) -> None:
    response = client.get(COMPARE, params={"to": REV1})
    assert response.status_code == 422
    assert response.json()["detail"] == "from: Field required"
    assert client.get(COMPARE).json()["problems"] == ["from: Field required", "to: Field required"]


def test_unknown_process_revision_or_paragraph_is_a_clear_404(client: TestClient) -> None:
    unknown_revision = client.get(COMPARE, params={"from": ZERO, "to": "Rev.9"})
    assert unknown_revision.status_code == 404
    assert unknown_revision.json() == {
        "error": "not_found",
        "detail": "process 'gcm' has no revision 'Rev.9'",
    }
    assert client.get("/api/v1/processes/nope/progress").json() == {
        "error": "not_found",
        "detail": "no process 'nope'",
    }
    unknown_key = client.get("/api/v1/processes/gcm/paragraphs/op99/history")
    assert unknown_key.status_code == 404
    assert unknown_key.json()["detail"] == "process 'gcm' has no paragraph 'op99'"
    assert client.get("/api/v1/processes/gcm/coverage", params={"revision": "Rev.9"}).status_code == 404


@pytest.mark.parametrize(
    ("username", "status"), [(None, 404), ("observer", 404), ("delegate-chn", 404), ("cofac-mex", 200)]
)
def test_the_working_copy_is_compared_only_by_co_facilitators(
    client: TestClient, username: str | None, status: int
) -> None:
    headers = token_for(client, username) if username else {}
    response = client.get(COMPARE, params={"from": REV1, "to": REV2}, headers=headers)
    assert response.status_code == status
    history = client.get("/api/v1/processes/gcm/paragraphs/op9/history", headers=headers)
    assert history.status_code == status


def test_paragraph_history_as_the_public_and_as_a_delegation(client: TestClient) -> None:
    public = client.get("/api/v1/processes/gcm/paragraphs/op3bis/history").json()
    assert public["appearances"] == [
        {
            "revision": {
                "label": REV1,
                "sequence": 1,
                "state": "published",
                "published_at": "2018-02-05T12:00:00Z",
            },
            "number": "4bis",
            "former_number": None,
            "position": 6,
            "part": "body",
            "section": "Commitments",
            "kind": "paragraph",
            "text": "We commit to eradicate [trafficking in persons][human trafficking].",
            "status": "bracketed",
            "elements": ["c"],
            "bracket_opened_in": None,  # its brackets close where they open
            "bracket_closed_in": None,
            "previous_revision": None,
            "changed": False,
            "redline": [],
        }
    ]
    assert public["lineage"] == [{"revision": REV1, "relation": "split_from", "key": "op3"}]
    op2 = client.get("/api/v1/processes/gcm/paragraphs/op2/history")
    assert (op2.json()["proposals_visible"], op2.json()["proposals"]) == (False, [])
    delegate = token_for(client, "delegate-chn")
    proposals = client.get("/api/v1/processes/gcm/paragraphs/op2/history", headers=delegate).json()[
        "proposals"
    ]
    assert [(p["sponsor"], p["on_behalf_of"], p["state"], p["base_revision"]) for p in proposals] == [
        ("CHN", None, "accepted", ZERO),
        ("BRA", "G77", "rejected", ZERO),
    ]
    assert proposals[1]["rulings"] == [
        {"decision": "reject", "reason": "The paragraph is agreed.", "ruled_at": "2018-03-02T15:00:00Z"}
    ]


def test_coverage_of_the_latest_and_of_a_named_revision(client: TestClient) -> None:
    latest = client.get("/api/v1/processes/gcm/coverage").json()
    assert latest["revision"]["label"] == REV1
    assert (latest["covered_count"], latest["element_count"]) == (4, 5)
    assert latest["elements"][2] == {
        "code": "c",
        "label": "Smuggling and trafficking",
        "text": "打击偷运和贩运",
        "covered": True,
        "paragraphs": [{"key": "op3", "number": "4"}, {"key": "op3bis", "number": "4bis"}],
    }
    zero = client.get("/api/v1/processes/gcm/coverage", params={"revision": ZERO}).json()
    assert [e["code"] for e in zero["elements"] if not e["covered"]] == ["d"]


def test_coverage_compare_and_matrix(client: TestClient) -> None:
    comparison = client.get(
        "/api/v1/processes/gcm/coverage/compare", params={"from": ZERO, "to": REV1}
    ).json()
    assert [e["code"] for e in comparison["gained"]] == ["d"]
    assert [e["code"] for e in comparison["lost"]] == ["e"]
    assert comparison["reworded"][0] == {
        "code": "a",
        "label": "Saving lives",
        "paragraphs": [
            {
                "key": "pp1",
                "old_number": "PP1",
                "new_number": "PP1",
                "redline": [
                    {"kind": "equal", "text": "We, the Heads of State and Government, have gathered in "},
                    {"kind": "delete", "text": "["},
                    {"kind": "equal", "text": "Marrakesh"},
                    {"kind": "delete", "text": "]"},
                    {"kind": "equal", "text": "."},
                ],
            }
        ],
    }
    matrix = client.get("/api/v1/processes/gcm/coverage/matrix").json()
    assert [r["label"] for r in matrix["revisions"]] == [ZERO, REV1]
    assert {row["code"]: row["counts"] for row in matrix["elements"]} == {
        "a": [2, 2],
        "b": [2, 1],
        "c": [1, 2],
        "d": [0, 1],
        "e": [1, 0],
    }
    assert (matrix["covered"], matrix["element_count"]) == ([4, 4], 5)
    missing = client.get("/api/v1/processes/gcm/coverage/compare", params={"from": ZERO})
    assert (missing.status_code, missing.json()["detail"]) == (422, "to: Field required")


def test_progress_per_published_revision(client: TestClient) -> None:
    cofacilitator = token_for(client, "cofac-mex")
    progress = client.get("/api/v1/processes/gcm/progress", headers=cofacilitator).json()
    assert [r["revision"]["label"] for r in progress["revisions"]] == [ZERO, REV1]  # never the working copy
    rev1 = progress["revisions"][1]
    assert rev1["tally"]["statuses"] == {"open": 3, "bracketed": 1, "agreed_ad_ref": 1, "agreed": 3}
    assert (rev1["tally"]["share_agreed"], rev1["tally"]["bracket_segments"]) == (0.5, 2)
    assert [(s["part"], s["section"], s["tally"]["paragraph_count"]) for s in rev1["sections"]] == [
        ("body", "Preamble", 1),
        ("body", "Commitments", 7),
    ]


def test_the_views_are_documented_in_openapi(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/v1/processes/{slug}/compare",
        "/api/v1/processes/{slug}/paragraphs/{key}/history",
        "/api/v1/processes/{slug}/coverage",
        "/api/v1/processes/{slug}/coverage/compare",
        "/api/v1/processes/{slug}/coverage/matrix",
        "/api/v1/processes/{slug}/progress",
    ):
        assert "get" in paths[path]
    parameters = {p["name"] for p in paths["/api/v1/processes/{slug}/compare"]["get"]["parameters"]}
    assert {"from", "to"} <= parameters
