"""The compilation that holds a round: filters, compact table, counts, bulk rulings (SQLite, PostgreSQL)."""

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from tests.api.workflow_helpers import Round
from tests.web.pages import post_form, sign_in

PARA9 = "Provide accurate and timely information at all stages of migration."
PARA11 = "Save lives and establish coordinated international efforts on missing migrants."


@pytest.fixture
def r(client: TestClient) -> Round:
    """Zero draft; paragraph 11 tagged with element (n) in Rev.1; proposals on both revisions."""
    r = Round(client)
    r.publish_zero_draft()
    r.table("delegate-chn", "para-9", PARA9.replace("accurate and timely", "accurate, timely"))  # 1
    r.table("delegate-deu", "para-9", PARA9.replace("Provide", "Ensure"))  # 2
    r.table(
        "delegate-bra", "para-11", PARA11.replace("Save lives", "Save all lives"), on_behalf_of="G77"
    )  # 3
    cofac = r.as_("cofac-mex")
    paragraph = r.paragraph(None, "para-11")
    body = {"elements": ["n"], "lock_version": paragraph["lock_version"]}
    r.ok(r.client.patch("/api/v1/processes/gcm/working-copy/paragraphs/para-11", json=body, headers=cofac))
    r.ok(r.client.post("/api/v1/processes/gcm/revisions", json={"label": "Rev.1"}, headers=cofac), 201)
    r.table("delegate-zaf", "para-11", PARA11.replace("missing migrants", "missing and dead migrants"))  # 4
    r.table("delegate-deu", "para-11", PARA11.replace("Save", "Protect"))  # 5
    return r


def _ids(page: str) -> list[int]:
    """The proposals a compilation page lists, in order (cards or table rows)."""
    return [int(found) for found in re.findall(r'id="(?:proposal|row)-(\d+)"', page)]


def test_the_filters_are_get_parameters(r: Round) -> None:
    sign_in(r.client, "cofac-mex")
    get = r.client.get
    assert _ids(get("/processes/gcm/proposals?revision=Zero+draft").text) == [1, 2, 3]
    assert _ids(get("/processes/gcm/proposals?revision=Rev.1").text) == [4, 5]
    assert _ids(get("/processes/gcm/proposals?group=G77").text) == [1, 3, 4]  # members, and on its behalf
    assert _ids(get("/processes/gcm/proposals?group=EU").text) == [2, 5]
    assert _ids(get("/processes/gcm/proposals?element=n").text) == [3, 4, 5]  # para 11 as it was amended
    assert _ids(get("/processes/gcm/proposals?element=n&revision=Zero+draft").text) == [3]
    assert _ids(get("/processes/gcm/proposals?group=NOPE").text) == []
    refused = get("/processes/gcm/proposals?state=lost")
    assert refused.status_code == 422 and "unknown state" in refused.text


def test_the_compact_table_sorts_counts_and_jumps(r: Round) -> None:
    sign_in(r.client, "cofac-mex")
    get = r.client.get
    page = get("/processes/gcm/proposals?view=table&sort=sponsor").text
    assert _ids(page) == [3, 1, 2, 5, 4]  # BRA, CHN, DEU, DEU, ZAF; ties in the order tabled
    assert 'aria-sort="ascending"' in page and "sort=-sponsor" in page  # the header link reverses it
    assert _ids(get("/processes/gcm/proposals?view=table&sort=-sponsor").text) == [4, 2, 5, 1, 3]
    assert _ids(get("/processes/gcm/proposals?view=table").text) == [1, 2, 3, 4, 5]  # in paragraph order
    assert _ids(get("/processes/gcm/proposals?view=table&sort=nonsense").text) == [1, 2, 3, 4, 5]
    jump = page.split('class="jump-list"')[1].split("</nav>")[0]
    assert re.findall(r">para\. (\d+)</a>\s*<span[^>]*>(\d+) · (\d+)<", jump) == [
        ("9", "2", "2"),
        ("11", "3", "3"),
    ]
    assert "view=table" in jump and "paragraph=para-11" in jump  # the table jumps by filtering
    full = get("/processes/gcm/proposals").text
    assert 'href="#group-para-11"' in full and "3 proposals · 3 wait for a ruling" in full


def test_ruled_proposals_fold_away_and_the_redline_names_its_revision(r: Round) -> None:
    r.rule(4, "reject", "No support.")
    sign_in(r.client, "cofac-mex")
    page = r.client.get("/processes/gcm/proposals?paragraph=para-11").text
    waiting, folded = page.split('<details class="ruled-proposals"')
    assert _ids(waiting) == [3, 5] and _ids(folded) == [4]
    assert "Redline against Rev.1 (carried from Zero draft):" in waiting  # proposal 3
    assert "1 proposal ruled on, withdrawn or superseded" in folded


def _rulings(engine: Engine) -> list[tuple[int, str, str]]:
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT proposal_id, decision, reason FROM ruling ORDER BY proposal_id")
        )
        return [(row[0], row[1], row[2]) for row in rows]


def _ruled_events(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        query = "SELECT subject_id FROM audit_event WHERE action = 'proposal.ruled' ORDER BY sequence"
        return [row[0] for row in connection.execute(text(query))]


def test_a_bulk_ruling_is_one_decision_recorded_on_each(r: Round, seeded_engine: Engine) -> None:
    token = sign_in(r.client, "cofac-mex")
    back = "/processes/gcm/proposals?paragraph=para-11"
    page = r.client.get(back).text
    assert page.count('name="proposal" value=') == 3  # the paragraph's form holds its waiting proposals
    sent = r.client.post(
        "/processes/gcm/rulings",
        data={
            "csrf_token": token,
            "proposal": ["3", "4", "5"],
            "decision": "defer",
            "reason": "Next round.",
            "bulk": "para-11",
            "next": back,
        },
        follow_redirects=False,
    )
    assert sent.status_code == 303 and sent.headers["location"] == back + "&ruled=3"
    assert _rulings(seeded_engine) == [
        (3, "defer", "Next round."),
        (4, "defer", "Next round."),
        (5, "defer", "Next round."),
    ]
    assert _ruled_events(seeded_engine) == ["3", "4", "5"]  # audited as single rulings are
    shown = r.client.get(sent.headers["location"]).text
    assert "3 rulings were recorded." in shown
    verified = r.ok(r.client.get("/api/v1/processes/gcm/verify", headers=r.as_("cofac-mex")))
    assert verified["ok"], verified


def test_a_bulk_ruling_is_refused_whole(r: Round, seeded_engine: Engine) -> None:
    r.rule(4, "reject", "No support.")
    token = sign_in(r.client, "cofac-mex")
    fields = {"csrf_token": token, "bulk": "table", "next": "/processes/gcm/proposals?view=table"}
    refused = r.client.post(
        "/processes/gcm/rulings",
        data={**fields, "proposal": ["3", "4", "5", "99"], "decision": "reject", "reason": "No."},
    )
    assert refused.status_code == 409
    assert "proposal 4 is rejected" in refused.text and "no proposal 99" in refused.text
    assert _rulings(seeded_engine) == [(4, "reject", "No support.")]  # nothing changed
    assert 'class="table-wrap compact-compilation"' in refused.text  # the same page, ticks kept
    assert re.search(r'value="3" form="bulk-table"[^>]*checked', refused.text)

    undecided = r.client.post("/processes/gcm/rulings", data={**fields, "proposal": ["3"], "reason": "No."})
    assert undecided.status_code == 422
    assert 'id="bulk-table-decision-error"' in undecided.text and "choose a decision" in undecided.text
    assert 'aria-describedby="bulk-table-decision-error"' in undecided.text
    changes = {**fields, "proposal": ["3"], "decision": "accept_with_changes", "reason": "x"}
    assert r.client.post("/processes/gcm/rulings", data=changes).status_code == 422
    token = sign_in(r.client, "delegate-chn")
    forbidden = post_form(
        r.client, "/processes/gcm/rulings", token, proposal="3", decision="defer", reason="x"
    )
    assert forbidden.status_code == 403
    assert _rulings(seeded_engine) == [(4, "reject", "No support.")]


def test_a_ruling_without_a_decision_is_shown_at_its_field(r: Round, seeded_engine: Engine) -> None:
    token = sign_in(r.client, "cofac-mex")
    page = r.client.get("/processes/gcm/proposals?paragraph=para-11").text
    assert not re.search(r'name="decision" value="\w+" required checked', page)  # nothing preselected
    refused = r.client.post(
        "/proposals/4/rulings", data={"csrf_token": token, "reason": "Fine.", "next": "/x"}
    )
    assert refused.status_code == 422
    assert 'id="decision-4-error"' in refused.text and 'aria-describedby="decision-4-error"' in refused.text
    assert ">Fine.</textarea>" in refused.text  # what was typed is kept
    empty = r.client.post(
        "/proposals/4/rulings", data={"csrf_token": token, "decision": "reject", "reason": ""}
    )
    assert empty.status_code == 422 and 'id="reason-4-error"' in empty.text
    assert _rulings(seeded_engine) == []


def test_the_api_rules_on_several_proposals_at_once(r: Round, seeded_engine: Engine) -> None:
    cofac = r.as_("cofac-mex")
    body = {"proposals": [4, 5, 3], "decision": "reject", "reason": "Outside the mandate."}
    refused = r.client.post(
        "/api/v1/processes/gcm/rulings", json={**body, "proposals": [4, 4, 999]}, headers=cofac
    )
    assert refused.status_code == 409 and "no proposal 999" in refused.json()["detail"]
    outcomes = r.ok(r.client.post("/api/v1/processes/gcm/rulings", json=body, headers=cofac))
    assert [o["proposal"]["id"] for o in outcomes] == [4, 5, 3]
    assert {o["proposal"]["state"] for o in outcomes} == {"rejected"}
    again = r.client.post("/api/v1/processes/gcm/rulings", json=body, headers=cofac)
    assert again.status_code == 409 and "proposal 4 is rejected" in again.json()["detail"]
    assert len(_rulings(seeded_engine)) == 3
    too_many = r.client.post(
        "/api/v1/processes/gcm/rulings", json={**body, "proposals": list(range(1, 52))}, headers=cofac
    )
    assert too_many.status_code == 422
    delegate = r.client.post("/api/v1/processes/gcm/rulings", json=body, headers=r.as_("delegate-chn"))
    assert delegate.status_code == 403


def test_publish_withdraw_and_release_change_nothing_until_confirmed(r: Round) -> None:
    token = sign_in(r.client, "delegate-zaf")
    asked = post_form(r.client, "/proposals/4/withdraw", token, next="/processes/gcm/desk")
    assert asked.status_code == 200 and "Withdraw proposal 4?" in asked.text
    assert 'name="confirmed" value="yes"' in asked.text
    in_place = r.client.post(
        "/proposals/4/withdraw", data={"csrf_token": token}, headers={"HX-Request": "true"}
    )
    assert in_place.text.lstrip().startswith("<article") and "No, keep it on the table" in in_place.text
    assert r.client.get("/proposals/4/withdraw").status_code == 200
    assert r.ok(r.client.get("/api/v1/proposals/4", headers=r.as_("delegate-zaf")))["state"] == "submitted"
    done = post_form(r.client, "/proposals/4/withdraw", token, confirmed="yes", next="/processes/gcm/desk")
    assert done.status_code == 303
    assert r.ok(r.client.get("/api/v1/proposals/4", headers=r.as_("delegate-zaf")))["state"] == "withdrawn"

    token = sign_in(r.client, "cofac-mex")
    r.rule(5, "accept", "Agreed.")  # opens the working copy
    asked = post_form(r.client, "/processes/gcm/publish", token, label="Rev.2", document_date="2018-03-05")
    assert asked.status_code == 200 and "Publish Rev.2?" in asked.text
    assert 'id="publish-confirm-preview"' in asked.text and "/proposals/3" in asked.text  # its fate
    labels = [v["label"] for v in r.ok(r.client.get("/api/v1/processes/gcm/revisions"))]
    assert labels == ["Zero draft", "Rev.1"]  # nothing was published
    done = post_form(
        r.client, "/processes/gcm/publish", token, label="Rev.2", document_date="2018-03-05", confirmed="yes"
    )
    assert done.status_code == 200 and "Rev.2 is published" in done.text
