"""A bracket that runs over a chapeau and its items brackets every one of them: the revision reads them
bracketed, publishes them bracketed, counts the bracket in each, and none can be marked agreed."""

from fastapi.testclient import TestClient

from tests.api.workflow_helpers import Round

DRAFT = (
    "# Objectives\n\n"
    "1. [Each State shall:\n\n"
    "    1. collect data;\n"
    "    2. share data.]\n\n"
    "2. States shall cooperate.\n"
)


def test_every_paragraph_inside_the_bracket_is_bracketed_and_cannot_be_agreed(client: TestClient) -> None:
    r = Round(client)
    files = {"file": ("draft.md", DRAFT.encode(), "text/markdown")}
    r.ok(client.post("/api/v1/processes/gcm/imports", files=files, headers=r.as_("secretariat")), 201)
    r.ok(client.post("/api/v1/processes/gcm/imports/current/confirm", json={}, headers=r.as_("secretariat")))
    body = {"label": "Zero"}
    r.ok(client.post("/api/v1/processes/gcm/revisions", json=body, headers=r.as_("cofac-mex")), 201)
    view = r.ok(client.get("/api/v1/processes/gcm/revisions/Zero"))
    statuses = {p["number"]: p["status"] for p in view["paragraphs"] if p["number"]}
    # "collect data;" holds no bracket, but lies inside the one opened in paragraph 1.
    assert statuses == {"1": "bracketed", "1(a)": "bracketed", "1(b)": "bracketed", "2": "open"}
    progress = r.ok(client.get("/api/v1/processes/gcm/progress"))["revisions"][-1]["tally"]
    assert progress["statuses"]["bracketed"] == 3 and progress["bracket_segments"] == 3
    cofacilitator = r.as_("cofac-mex")
    working = r.ok(client.post("/api/v1/processes/gcm/working-copy", headers=cofacilitator))
    item = next(p for p in working["paragraphs"] if p["number"] == "1(a)")
    url = f"/api/v1/processes/gcm/working-copy/paragraphs/{item['key']}"
    refused = client.patch(
        url, json={"status": "agreed", "lock_version": item["lock_version"]}, headers=cofacilitator
    )
    assert refused.status_code == 422 and "inside brackets" in refused.json()["detail"]
    # Once the bracket is closed where it opened, the item can be agreed.
    opener = next(p for p in working["paragraphs"] if p["number"] == "1")
    closed = {"text": "[Each State] shall:", "lock_version": opener["lock_version"]}
    r.ok(
        client.patch(
            f"/api/v1/processes/gcm/working-copy/paragraphs/{opener['key']}",
            json=closed,
            headers=cofacilitator,
        )
    )
    agreed = r.ok(
        client.patch(
            url, json={"status": "agreed", "lock_version": item["lock_version"]}, headers=cofacilitator
        )
    )
    assert agreed["status"] == "agreed"
