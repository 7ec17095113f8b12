"""A revision issued from a working copy is numbered again: 7bis becomes 8, a deleted 14 leaves no gap."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlmodel import Session

from api.services import verification
from tests.api.workflow_helpers import Round


@pytest.fixture
def r(client: TestClient) -> Round:
    """The GCM zero draft published, then an insertion after para. 7 and the deletion of para. 14 accepted."""
    round_ = Round(client)
    round_.publish_zero_draft()
    insert = round_.table(
        "delegate-zaf", "para-7", "Address migrants in vulnerable situations.", action="insert"
    )
    round_.rule(insert["id"], "accept", "Agreed")
    round_.rule(round_.table("delegate-bra", "para-14", action="delete")["id"], "accept", "Agreed")
    return round_


def _numbers(r: Round, label: str) -> dict[str, str]:
    view = r.ok(r.client.get(f"/api/v1/processes/gcm/revisions/{label}", headers=r.as_("cofac-mex")))
    return {p["key"]: p["number"] for p in view["paragraphs"] if p["kind"] == "paragraph"}


def _publish(r: Round) -> None:
    body = {"label": "Rev.1", "document_date": "2018-03-05"}
    r.ok(r.client.post("/api/v1/processes/gcm/revisions", json=body, headers=r.as_("cofac-mex")), 201)


def test_publishing_numbers_the_revision_again_and_keeps_every_identity(r: Round) -> None:
    working = r.ok(r.client.get("/api/v1/processes/gcm/working-copy", headers=r.as_("cofac-mex")))
    inserted = next(p for p in working["paragraphs"] if p["number"] == "7bis")
    assert list(_numbers(r, working["revision"]["label"]).values())[6:15] == [
        "7", "7bis", "8", "9", "10", "11", "12", "13", "15",
    ]  # fmt: skip
    pending = r.table("delegate-chn", "para-10", "Ensure that all migrants have proof of identity.")

    _publish(r)

    numbers = _numbers(r, "Rev.1")
    assert list(numbers.values()) == [str(n) for n in range(1, len(numbers) + 1)]
    assert (numbers[inserted["key"]], numbers["para-7"], numbers["para-8"], numbers["para-15"]) == (
        "8", "7", "9", "15",
    )  # fmt: skip
    rev1 = r.ok(r.client.get("/api/v1/processes/gcm/revisions/Rev.1"))
    assert next(p for p in rev1["paragraphs"] if p["key"] == inserted["key"])["wid"] == inserted["wid"]
    carried = r.ok(r.client.get(f"/api/v1/proposals/{pending['id']}", headers=r.as_("delegate-chn")))
    assert (carried["paragraph_key"], carried["paragraph_number"]) == ("para-10", "11")


def test_the_former_number_is_shown_in_compare_and_lineage(r: Round) -> None:
    _publish(r)
    compare = r.ok(
        r.client.get("/api/v1/processes/gcm/compare", params={"from": "Zero draft", "to": "Rev.1"})
    )
    changes = {c["key"]: c for c in compare["paragraphs"]}
    inserted = next(c for c in changes.values() if c["change"] == "inserted")
    assert (inserted["new_number"], inserted["former_number"]) == ("8", "7bis")
    assert (changes["para-8"]["old_number"], changes["para-8"]["new_number"]) == ("8", "9")
    assert changes["para-7"]["former_number"] is None and changes["para-15"]["former_number"] is None
    history = r.ok(r.client.get(f"/api/v1/processes/gcm/paragraphs/{inserted['key']}/history"))
    assert [(a["number"], a["former_number"]) for a in history["appearances"]] == [("8", "7bis")]


def test_the_publish_preview_lists_the_renumbering_and_changes_nothing(r: Round) -> None:
    preview = r.ok(
        r.client.get("/api/v1/processes/gcm/working-copy/publish-preview", headers=r.as_("cofac-mex"))
    )
    moves = [(m["former_number"], m["number"]) for m in preview["renumbered"]]
    assert moves[:3] == [("7bis", "8"), ("8", "9"), ("9", "10")] and ("13", "14") in moves
    assert all(former != "15" for former, _new in moves)
    working = r.ok(r.client.get("/api/v1/processes/gcm/working-copy", headers=r.as_("cofac-mex")))
    assert "7bis" in [p["number"] for p in working["paragraphs"]]


def test_the_content_hash_seals_the_numbers_and_the_former_numbers(r: Round, seeded_engine: Engine) -> None:
    _publish(r)
    with Session(seeded_engine) as session:
        assert verification.verify(session, "gcm").ok
    for forgery in (
        "former_number = '7ter' WHERE former_number = '7bis'",
        "number = '7bis' WHERE number = '8'",
    ):
        with seeded_engine.begin() as connection:
            connection.execute(text(f"UPDATE paragraph_version SET {forgery}"))
        with Session(seeded_engine) as session:
            assert not verification.verify(session, "gcm").ok


def test_an_imported_draft_is_published_with_the_numbers_it_was_issued_with(client: TestClient) -> None:
    round_ = Round(client)
    round_.publish_zero_draft()
    numbers = _numbers(round_, "Zero draft")
    assert numbers["para-7"] == "7"
    compare = round_.ok(
        round_.client.get("/api/v1/processes/gcm/compare", params={"from": "Zero draft", "to": "Zero draft"})
    )
    assert all(c["former_number"] is None for c in compare["paragraphs"])


def _edit(r: Round, key: str, **change: object) -> dict[str, object]:
    current = r.paragraph(None, key)
    body = {"lock_version": current["lock_version"], **change}
    return r.ok(
        r.client.patch(
            f"/api/v1/processes/gcm/working-copy/paragraphs/{key}", json=body, headers=r.as_("cofac-mex")
        )
    )


def test_paragraphs_marked_preambular_in_the_working_copy_are_numbered_pp(r: Round) -> None:
    assert _edit(r, "para-1", preambular=True)["preambular"] is True
    _edit(r, "para-2", preambular=True)
    _publish(r)
    numbers = _numbers(r, "Rev.1")
    assert [numbers[key] for key in ("para-1", "para-2", "para-3", "para-4")] == ["PP1", "PP2", "1", "2"]
    rev1 = r.ok(r.client.get("/api/v1/processes/gcm/revisions/Rev.1"))
    assert [p["preambular"] for p in rev1["paragraphs"][:3]] == [False, True, True]  # a heading, PP1, PP2
    history = r.ok(r.client.get("/api/v1/processes/gcm/paragraphs/para-3/history"))
    assert [(a["number"], a["former_number"]) for a in history["appearances"]] == [("3", None), ("1", "3")]


def test_marking_back_as_operative_and_bad_marks_are_refused(r: Round) -> None:
    _edit(r, "para-1", preambular=True)
    assert _edit(r, "para-1", preambular=False)["preambular"] is False
    current = r.paragraph(None, "para-1")
    refused = r.client.patch(
        "/api/v1/processes/gcm/working-copy/paragraphs/para-1",
        json={"lock_version": current["lock_version"], "preambular": "sometimes"},
        headers=r.as_("cofac-mex"),
    )
    assert refused.status_code == 422
    assert r.paragraph(None, "para-1")["lock_version"] == current["lock_version"]


def test_the_symbol_pattern_of_the_process_names_each_revision(r: Round, seeded_engine: Engine) -> None:
    with seeded_engine.begin() as connection:
        connection.execute(
            text("UPDATE process SET symbol_pattern = 'A/CONF.231/PC/{label}' WHERE slug = 'gcm'")
        )
    _publish(r)
    rev1 = r.ok(r.client.get("/api/v1/processes/gcm/revisions/Rev.1"))
    assert rev1["revision"]["symbol"] == "A/CONF.231/PC/Rev.1"
