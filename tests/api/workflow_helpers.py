"""Steps of a negotiation round through the JSON API, shared by the scenario and authorization tests."""

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import token_for

ZERO_DRAFT = Path(__file__).resolve().parent.parent / "data" / "gcm_zero_draft.md"


class Round:
    """A client with a token per demo account, and helpers for each step of a round."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.headers: dict[str, dict[str, str]] = {}

    def as_(self, username: str) -> dict[str, str]:
        """Authorization headers for a demo account (token fetched once)."""
        if username not in self.headers:
            self.headers[username] = token_for(self.client, username)
        return self.headers[username]

    def ok(self, response: Any, status: int = 200) -> Any:
        """The JSON of a response that must have the given status."""
        assert response.status_code == status, f"{response.status_code}: {response.text}"
        return response.json() if response.content else None

    def publish_zero_draft(self) -> dict[str, Any]:
        """The secretariat imports the GCM zero draft; a co-facilitator publishes it."""
        files = {"file": ("zero-draft.md", ZERO_DRAFT.read_bytes(), "text/markdown")}
        self.ok(
            self.client.post("/api/v1/processes/gcm/imports", files=files, headers=self.as_("secretariat")),
            201,
        )
        self.ok(
            self.client.post(
                "/api/v1/processes/gcm/imports/current/confirm", json={}, headers=self.as_("secretariat")
            )
        )
        return self.ok(
            self.client.post(
                "/api/v1/processes/gcm/revisions",
                json={"label": "Zero draft", "document_date": "2018-02-05"},
                headers=self.as_("cofac-mex"),
            ),
            201,
        )

    def table(
        self, username: str, key: str, text: str = "", action: str = "amend", **extra: Any
    ) -> dict[str, Any]:
        """A delegation tables a proposal."""
        body = {"paragraph_key": key, "action": action, "text": text, "justification": "for clarity", **extra}
        return self.ok(
            self.client.post("/api/v1/processes/gcm/proposals", json=body, headers=self.as_(username)), 201
        )

    def paragraph(self, label: str | None, key: str) -> dict[str, Any]:
        """A paragraph of a revision (or of the working copy, opened if need be, when label is None)."""
        cofacilitator = self.as_("cofac-mex")
        if label is None:
            view = self.ok(self.client.post("/api/v1/processes/gcm/working-copy", headers=cofacilitator))
        else:
            view = self.ok(self.client.get(f"/api/v1/processes/gcm/revisions/{label}", headers=cofacilitator))
        return next(p for p in view["paragraphs"] if p["key"] == key)

    def rule(self, proposal_id: int, decision: str, reason: str, **extra: Any) -> dict[str, Any]:
        """A co-facilitator rules."""
        body = {"decision": decision, "reason": reason, **extra}
        return self.ok(
            self.client.post(
                f"/api/v1/proposals/{proposal_id}/rulings", json=body, headers=self.as_("cofac-mex")
            )
        )
