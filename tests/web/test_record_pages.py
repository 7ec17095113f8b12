"""The web tells the truth: the ruling form never overwrites a compromise; an insertion names its proposal."""

import re

import pytest
from fastapi.testclient import TestClient

from tests.api.workflow_helpers import Round
from tests.web.pages import post_form, sign_in

PARA3 = (
    "Migration has been part of the human experience throughout history, and we recognize that it is a "
    "source of prosperity, innovation and sustainable development in our globalized world."
)


@pytest.fixture
def round_(client: TestClient) -> Round:
    """The GCM zero draft published; a fresh client session (nobody signed in)."""
    r = Round(client)
    r.publish_zero_draft()
    return r


def test_accepting_with_changes_from_the_ruling_form_merges_with_the_compromise(round_: Round) -> None:
    client = round_.client
    chn = round_.table("delegate-chn", "para-3", PARA3.replace("prosperity,", "prosperity, dignity,"))
    deu = round_.table("delegate-deu", "para-3", PARA3.replace("our globalized world", "our shared world"))
    token = sign_in(client, "cofac-mex")
    client.post("/processes/gcm/working-copy", data={"csrf_token": token}, follow_redirects=False)
    fields = {"text": chn["text"], "status": "open", "lock_version": "1", "merged": str(chn["id"])}
    assert (
        post_form(client, "/processes/gcm/working-copy/paragraphs/para-3", token, **fields).status_code == 303
    )
    page = client.get(f"/proposals/{deu['id']}").text
    # The co-facilitators' text starts empty (pre-filled, the proposal's own text overwrote the compromise).
    assert re.search(rf'<textarea id="changes-{deu["id"]}"[^>]*></textarea>', page), "pre-filled"
    wording = PARA3.replace("our globalized world", "our shared and connected world")
    ruled = post_form(
        client,
        f"/proposals/{deu['id']}/rulings",
        token,
        decision="accept_with_changes",
        reason="With the connection",
        text=wording,
    )
    assert ruled.status_code == 303, ruled.text
    assert round_.paragraph(None, "para-3")["text"] == chn["text"].replace(
        "globalized", "shared and connected"
    )
    deu_now = round_.ok(client.get(f"/api/v1/proposals/{deu['id']}", headers=round_.as_("cofac-mex")))
    assert deu_now["state"] == "accepted_with_changes" and deu_now["rulings"][0]["text"] == wording


def test_the_lineage_page_names_the_proposal_that_inserted_the_paragraph(round_: Round) -> None:
    inserted = round_.table("delegate-zaf", "para-7", "Share data responsibly.", action="insert")
    round_.rule(inserted["id"], "accept", "Agreed")
    round_.ok(
        round_.client.post(
            "/api/v1/processes/gcm/revisions", json={"label": "Rev.1"}, headers=round_.as_("cofac-mex")
        ),
        201,
    )
    key = next(
        p["key"]
        for p in round_.ok(round_.client.get("/api/v1/processes/gcm/revisions/Rev.1"))["paragraphs"]
        if p["text"] == "Share data responsibly."
    )
    sign_in(round_.client, "delegate-chn")
    page = round_.client.get(f"/processes/gcm/paragraphs/{key}").text
    assert f"This paragraph was inserted by proposal {inserted['id']}." in page
    assert "No proposal was made on this paragraph" not in page
    assert f'href="/proposals/{inserted["id"]}"' in page
