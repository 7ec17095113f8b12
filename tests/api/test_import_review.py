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


def test_a_split_gives_the_identity_to_the_part_with_the_text_and_re_pointing_it_is_no_500(r: Round) -> None:
    imported = upload(r, split_draft())
    first, second = (
        p for p in imported["paragraphs"] if p["text"].startswith(("Migration has", "We recognize"))
    )
    # "We recognize … source of prosperity, innovation and sustainable development" carries most of the text.
    assert second["continues"] == "para-3" and first["continues"] is None
    assert first["relation"] == "split from para-3"
    # The secretariat judges otherwise: re-pointing part of a split used to fail on a foreign key.
    body = {"corrections": {str(first["index"]): "para-3", str(second["index"]): None}}
    response = r.client.post(
        "/api/v1/processes/gcm/imports/current/confirm", json=body, headers=r.as_("secretariat")
    )
    assert response.status_code == 200, response.text
    paragraphs = response.json()["paragraphs"]
    assert paragraphs[first["index"]]["continues"] == "para-3"
    assert paragraphs[second["index"]]["continues"] is None
    r.ok(
        r.client.post("/api/v1/processes/gcm/revisions", json={"label": "Rev.1"}, headers=r.as_("cofac-mex")),
        201,
    )
    history = r.ok(r.client.get("/api/v1/processes/gcm/paragraphs/para-3/history"))
    assert (
        history["appearances"][-1]["text"]
        == "Migration has been part of the human experience throughout history."
    )


def publish(r: Round, draft: str) -> dict[str, Any]:
    """Import a draft, confirm its alignment as proposed, publish it as Rev.1; the publish report."""
    upload(r, draft)
    r.ok(
        r.client.post("/api/v1/processes/gcm/imports/current/confirm", json={}, headers=r.as_("secretariat"))
    )
    report: dict[str, Any] = r.ok(
        r.client.post("/api/v1/processes/gcm/revisions", json={"label": "Rev.1"}, headers=r.as_("cofac-mex")),
        201,
    )
    return report


def test_a_proposal_is_never_carried_across_a_split_and_an_import_that_says_it_supersedes(r: Round) -> None:
    old_5 = r.paragraph("Zero draft", "para-5")["text"]
    on_split = r.table("delegate-chn", "para-3", OLD_3[3:].replace("prosperity", "prosperity, resilience"))
    asked = old_5.replace("people-centred", "people-centred and rights-based")
    said = r.table("delegate-bra", "para-5", asked)
    draft = split_draft().replace(old_5, asked.replace(" and ", "  and ", 1))
    outcomes = {p["id"]: p for p in publish(r, draft)["proposals"]}
    split = outcomes[on_split["id"]]
    assert split["outcome"] == "needs_attention"
    assert "was split" in split["note"] and "para. 3" in split["note"] and "para. 4" in split["note"]
    assert outcomes[said["id"]]["outcome"] == "superseded" and "already says" in outcomes[said["id"]]["note"]
    proposal = r.ok(r.client.get(f"/api/v1/proposals/{on_split['id']}", headers=r.as_("delegate-chn")))
    assert proposal["text"] == on_split["text"]  # nothing carried, nothing lost
