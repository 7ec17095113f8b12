"""Reviewing an imported draft: corrections of the proposed alignment never fail and never lose anything."""

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tests.api.workflow_helpers import ZERO_DRAFT, Round
from tests.conftest import token_for

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


P10 = "10. Ensure that all migrants have proof of legal identity and adequate documentation."
P11 = "11. Save lives and establish coordinated international efforts on missing migrants.\n\n"
P12 = "12. Strengthen the transnational response to smuggling of migrants."
P14 = (
    "14. We welcome the decision of the Secretary-General to establish a United Nations network on "
    "migration to ensure effective and coherent system-wide support to implementation."
)
COUNTER = "Counter the smuggling of migrants by strengthening border cooperation."
NETWORK = "We welcome the decision to create a network on migration that supports implementation."


def rev1_draft() -> str:
    """Rev.1 as the secretariat prepared it outside Accord: a split, a merge, a rewrite and a new text."""
    draft = ZERO_DRAFT.read_text().replace(OLD_3, SPLIT_3)
    draft = draft.replace(P10, P10[:-1] + ", and save lives at every border.").replace(P11, "")
    return draft.replace(P12, f"12. {COUNTER}").replace(P14, f"14. {NETWORK}")


def publish(r: Round, draft: str) -> dict[str, Any]:
    """Import a draft, confirm its alignment as proposed, publish it as Rev.1; the publish report."""
    upload(r, draft)
    r.ok(
        r.client.post("/api/v1/processes/gcm/imports/current/confirm", json={}, headers=r.as_("secretariat"))
    )
    return publish_confirmed(r)


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


def confirm(r: Round, **body: Any) -> Any:
    """Confirm the current import with the given corrections; the raw response."""
    return r.client.post(
        "/api/v1/processes/gcm/imports/current/confirm", json=body, headers=r.as_("secretariat")
    )


def test_uncertain_links_come_first_with_their_evidence(r: Round) -> None:
    imported = upload(r, split_draft())
    assert imported["to_check"], "the split must be offered for checking"
    first = imported["paragraphs"][imported["to_check"][0]]
    assert first["confidence"] in ("doubtful", "likely") or first["also"]
    sure = next(p for p in imported["paragraphs"] if p["key"] == "para-1")
    assert sure["confidence"] == "sure" and sure["evidence"][0] == "same text"


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"splits": {"99": "para-3"}}, "no paragraph 99"),
        ({"merges": {"1": ["para-999"]}}, "para-999"),
        ({"confirmed": [-1]}, "no paragraph -1"),
        ({"corrections": {"1": "nope"}}, "nope"),
        ({"splits": {"1": "para-1"}}, "already continues para-1"),
        ({"corrections": {"1": "para-2", "2": "para-2"}}, "cannot both continue"),
    ],
)
def test_bad_corrections_are_a_422_and_change_nothing(r: Round, body: dict[str, Any], detail: str) -> None:
    upload(r, split_draft())
    response = confirm(r, **body)
    assert response.status_code == 422 and detail in response.json()["detail"]
    again = r.ok(r.client.get("/api/v1/processes/gcm/imports/current", headers=r.as_("secretariat")))
    assert again["confirmed"] is False


def test_split_merge_new_and_deleted_corrections_and_a_preview_before_publishing(r: Round) -> None:
    old_5 = r.paragraph("Zero draft", "para-5")["text"]
    on_5 = r.table("delegate-deu", "para-5", old_5.replace("people-centred", "people-centred and inclusive"))
    on_4 = r.table("delegate-zaf", "para-4", "No State can address migration alone.")
    imported = upload(r, split_draft())
    index = {p["key"]: p["index"] for p in imported["paragraphs"]}
    first = next(p["index"] for p in imported["paragraphs"] if p["text"].startswith("Migration has"))
    response = confirm(
        r,
        # The imported para-4 and para-8 are judged new: the old para-4 lives on merged into para-6, the
        # old para-8 is deleted.
        corrections={str(index["para-4"]): None, str(index["para-8"]): None},
        splits={str(first): "para-3"},
        merges={str(index["para-6"]): ["para-4"]},
        confirmed=[index["para-5"]],
    )
    assert response.status_code == 200, response.text
    view = response.json()
    assert view["paragraphs"][index["para-6"]]["also"] == ["para-4"]
    assert view["paragraphs"][first]["relation"] == "split from para-3"
    assert view["paragraphs"][index["para-5"]]["confidence"] == "confirmed"
    assert view["deleted"] == ["para-8"]  # para-4 is merged into para-6, not deleted
    preview = r.ok(
        r.client.get(
            "/api/v1/processes/gcm/working-copy/publish-preview?label=Rev.1", headers=r.as_("cofac-mex")
        )
    )
    outcomes = {p["id"]: p["outcome"] for p in preview["proposals"]}
    assert outcomes[on_5["id"]] == "carried"
    assert outcomes[on_4["id"]] == "needs_attention"  # para-4 was merged into para-6
    assert preview["carried"] == 1 and preview["needs_attention"] == 1
    assert (
        r.client.get(
            "/api/v1/processes/gcm/working-copy/publish-preview", headers=r.as_("delegate-chn")
        ).status_code
        == 403
    )
    report = r.ok(
        r.client.post("/api/v1/processes/gcm/revisions", json={"label": "Rev.1"}, headers=r.as_("cofac-mex")),
        201,
    )
    assert {p["id"]: p["outcome"] for p in report["proposals"]} == outcomes


def test_the_import_view_and_accord_align_give_the_same_answer(r: Round, tmp_path: Path) -> None:
    from api.cli import engine  # noqa: F401  (registers the commands)
    from api.cli.base import app

    old_file, new_file = tmp_path / "zero.md", tmp_path / "rev1.md"
    old_file.write_text(ZERO_DRAFT.read_text(), encoding="utf-8")
    new_file.write_text(rev1_draft(), encoding="utf-8")
    printed = CliRunner().invoke(app, ["align", str(old_file), str(new_file), "--read", "import"])
    assert printed.exit_code == 0, printed.output
    answer = json.loads(printed.stdout)
    keys = [p["key"] for p in r.ok(r.client.get("/api/v1/processes/gcm/revisions/Zero draft"))["paragraphs"]]
    view = upload(r, rev1_draft())
    expected: dict[int, tuple[str | None, list[str]]] = {j: (None, []) for j in answer["inserted"]}
    expected |= {pair["new"]: (keys[pair["old"]], []) for pair in answer["pairs"]}
    for split in answer["splits"]:
        expected |= {j: (None, [keys[split["old"]]]) for j in split["new"] if j != split["heir"]}
        expected[split["heir"]] = (keys[split["old"]], [])
    for merge in answer["merges"]:
        heir = merge["heir"] if merge["heir"] is not None else merge["old"][0]
        expected[merge["new"]] = (keys[heir], [keys[i] for i in merge["old"] if i != heir])
    confidence = {j: link["confidence"] for link in answer["links"] for j in link["new"]}
    assert answer["splits"] and answer["inserted"], "the draft must exercise more than one-to-one links"
    assert {p["index"]: (p["continues"], p["also"]) for p in view["paragraphs"]} == expected
    assert {p["index"]: p["confidence"] for p in view["paragraphs"]} == {
        j: confidence.get(j) for j in range(len(view["paragraphs"]))
    }
    assert view["deleted"] == [keys[i] for i in answer["deleted"]]


def test_before_a_paragraph_is_said_to_be_gone_the_whole_revision_is_searched(r: Round) -> None:
    para9 = r.paragraph("Zero draft", "para-9")["text"]
    on_9 = r.table("delegate-bra", "para-9", para9.replace("timely", "timely and accessible"))
    imported = upload(r, ZERO_DRAFT.read_text())
    index = {p["key"]: p["index"] for p in imported["paragraphs"]}
    # The secretariat judges the imported para-9 new: the old para-9 is then continued by nothing.
    r.ok(confirm(r, corrections={str(index["para-9"]): None}))
    outcome = {p["id"]: p for p in publish_confirmed(r)["proposals"]}[on_9["id"]]
    assert outcome["outcome"] == "needs_attention"
    assert "not in Rev.1 as such" in outcome["note"] and "para. 9" in outcome["note"]
    assert "no longer in" not in outcome["note"]


def publish_confirmed(r: Round) -> dict[str, Any]:
    """Publish the confirmed import as Rev.1; the publish report."""
    report: dict[str, Any] = r.ok(
        r.client.post("/api/v1/processes/gcm/revisions", json={"label": "Rev.1"}, headers=r.as_("cofac-mex")),
        201,
    )
    return report


RESOLUTION = """The General Assembly,

Recalling its resolution 72/179 of 19 December 2017,

Deeply concerned at the large and growing number of migrants,

1. Calls upon States to promote and protect the human rights of all migrants;

2. Decides to remain seized of the matter.
"""


def test_the_import_reads_the_preamble_and_the_review_marks_pp_and_op(client: TestClient) -> None:
    secretariat = token_for(client, "secretariat")
    files = {"file": ("resolution.txt", RESOLUTION.encode(), "text/plain")}
    imported = client.post("/api/v1/processes/gcm/imports", files=files, headers=secretariat)
    assert imported.status_code == 201, imported.text
    assert [p["preambular"] for p in imported.json()["paragraphs"]] == [False, True, True, False, False]
    refused = client.post(
        "/api/v1/processes/gcm/imports/current/confirm", json={"preambular": [9]}, headers=secretariat
    )
    assert refused.status_code == 422 and "no paragraph 9" in refused.json()["detail"]
    confirmed = client.post(
        "/api/v1/processes/gcm/imports/current/confirm", json={"preambular": [1]}, headers=secretariat
    )
    assert confirmed.status_code == 200, confirmed.text
    assert [p["preambular"] for p in confirmed.json()["paragraphs"]] == [False, True, False, False, False]
