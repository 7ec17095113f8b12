"""Reviewing an imported draft: corrections of the proposed alignment never fail and never lose anything."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.workflow_helpers import ZERO_DRAFT, Round

OLD_3 = (
    "3. Migration has been part of the human experience throughout history, and we recognize that it is a "
    "source of prosperity, innovation and sustainable development in our globalized world."
)
SPLIT_3 = (
    "3. Migration has been part of the human experience throughout history.\n\n4. We recognize that "
    "migration is a source of prosperity, innovation and sustainable development in our globalized world."
)


@pytest.fixture
def r(client: TestClient) -> Round:
    """A round with the GCM zero draft published."""
    round_ = Round(client)
    round_.publish_zero_draft()
    return round_


def upload(r: Round, draft: str) -> dict[str, Any]:
    """The secretariat imports a draft as the next revision."""
    files = {"file": ("rev1.md", draft.encode(), "text/markdown")}
    return r.ok(  # type: ignore[no-any-return]
        r.client.post("/api/v1/processes/gcm/imports", files=files, headers=r.as_("secretariat")), 201
    )


def split_draft() -> str:
    """The zero draft with paragraph 3 split in two."""
    return ZERO_DRAFT.read_text().replace(OLD_3, SPLIT_3)


def test_re_pointing_part_of_a_split_is_saved_not_a_500(r: Round) -> None:
    imported = upload(r, split_draft())
    first, second = (
        p for p in imported["paragraphs"] if p["text"].startswith(("Migration has", "We recognize"))
    )
    assert first["continues"] == "para-3" and second["continues"] is None
    # The second part carries the words "source of prosperity": the secretariat gives it the identity.
    body = {"corrections": {str(first["index"]): None, str(second["index"]): "para-3"}}
    response = r.client.post(
        "/api/v1/processes/gcm/imports/current/confirm", json=body, headers=r.as_("secretariat")
    )
    assert response.status_code == 200, response.text
    paragraphs = response.json()["paragraphs"]
    assert paragraphs[second["index"]]["continues"] == "para-3"
    assert paragraphs[first["index"]]["continues"] is None
    r.ok(
        r.client.post("/api/v1/processes/gcm/revisions", json={"label": "Rev.1"}, headers=r.as_("cofac-mex")),
        201,
    )
    history = r.ok(r.client.get("/api/v1/processes/gcm/paragraphs/para-3/history"))
    assert history["appearances"][-1]["text"].startswith("We recognize that migration")
