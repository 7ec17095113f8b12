"""A negotiation round on the GCM, played through the JSON API on SQLite and on PostgreSQL."""

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlmodel import Session

from api.services import verification
from tests.api.workflow_helpers import Round

PARA3 = (
    "Migration has been part of the human experience throughout history, and we recognize that it is a "
    "source of prosperity, innovation and sustainable development in our globalized world."
)
PARA3_G77 = PARA3.replace("our globalized world", "our interconnected world")
PARA3_DEU = PARA3.replace("Migration has been part", "Migration has always been part")
PARA3_MERGED = PARA3_DEU.replace("our globalized world", "our interconnected world")
PARA4 = (
    "No State can address migration alone because of the inherently transnational nature of the "
    "phenomenon, which requires international cooperation and dialogue."
)
PARA4_COMPROMISE = PARA4.replace("can address migration alone", "can manage migration by itself")
PARA8 = (
    "Minimize the adverse drivers and structural factors that compel people to leave their country of origin."
)


def _table_round(r: Round) -> dict[str, Any]:
    g77 = r.table("delegate-chn", "para-3", PARA3_G77, on_behalf_of="G77")
    deu = r.table("delegate-deu", "para-3", PARA3_DEU)
    r.ok(r.client.post(f"/api/v1/proposals/{deu['id']}/cosponsors", headers=r.as_("delegate-zaf")))
    bra_reject = r.table("delegate-bra", "para-6", "The Global Compact reaffirms nothing.")
    zaf_defer = r.table(
        "delegate-zaf", "para-11", "Save lives and establish a global search and rescue mechanism."
    )
    chn_pending = r.table(
        "delegate-chn",
        "para-9",
        "Provide accurate, timely and accessible information at all stages of migration.",
    )
    deu_conflict = r.table("delegate-deu", "para-4", PARA4.replace("migration alone", "migration on its own"))
    bra_rebase = r.table("delegate-bra", "para-8", PARA8.replace("country of origin", "countries of origin"))
    return {
        "g77": g77,
        "deu": deu,
        "bra_reject": bra_reject,
        "zaf_defer": zaf_defer,
        "chn_pending": chn_pending,
        "deu_conflict": deu_conflict,
        "bra_rebase": bra_rebase,
    }


def test_a_round_from_zero_draft_to_rev1(client: TestClient, seeded_engine: Engine) -> None:
    r = Round(client)
    zero = r.publish_zero_draft()
    assert zero["revision"]["label"] == "Zero draft" and zero["proposals"] == []
    p = _table_round(r)
    assert p["g77"]["on_behalf_of"] == "G77" and p["g77"]["sponsor"] == "CHN"
    cosponsored = r.ok(client.get(f"/api/v1/proposals/{p['deu']['id']}", headers=r.as_("observer")), 403)
    assert cosponsored["error"] == "forbidden"  # observers wait for the compilation to be released
    r.ok(client.post("/api/v1/processes/gcm/compilation/release", headers=r.as_("cofac-mex")), 204)
    cosponsored = r.ok(client.get(f"/api/v1/proposals/{p['deu']['id']}", headers=r.as_("observer")))
    assert [c["delegation"] for c in cosponsored["cosponsors"]] == ["ZAF"]
    compilation = r.ok(client.get("/api/v1/processes/gcm/compilation", headers=r.as_("observer")))
    assert [e["key"] for e in compilation["paragraphs"]] == [
        "para-3",
        "para-4",
        "para-6",
        "para-8",
        "para-9",
        "para-11",
    ]
    assert [x["sponsor"] for x in compilation["paragraphs"][0]["proposals"]] == ["CHN", "DEU"]

    first = r.rule(p["g77"]["id"], "accept", "Widely supported")
    assert first["applied"] and first["working_text"] == PARA3_G77
    second = r.rule(p["deu"]["id"], "accept", "Merges with the G77 text")
    assert second["applied"] and second["working_text"] == PARA3_MERGED
    r.rule(p["bra_reject"]["id"], "reject", "Contradicts paragraph 2 of the Declaration")
    r.rule(p["zaf_defer"]["id"], "defer", "To be taken up with objective 8")

    merged = r.paragraph(None, "para-3")
    sources = [s["sources"] for s in merged["provenance"]]
    assert [f"proposal {p['deu']['id']}"] in sources and [f"proposal {p['g77']['id']}"] in sources
    _edit_working_copy(r)
    report = r.ok(
        client.post(
            "/api/v1/processes/gcm/revisions",
            json={"label": "Rev.1", "summary": "First revision"},
            headers=r.as_("cofac-che"),
        ),
        201,
    )
    outcomes = {c["id"]: c["outcome"] for c in report["proposals"]}
    assert outcomes == {
        p["zaf_defer"]["id"]: "carried",
        p["chn_pending"]["id"]: "carried",
        p["deu_conflict"]["id"]: "needs_attention",
        p["bra_rebase"]["id"]: "carried",
    }
    # The two acceptances are in the text; a rejection or a deferral is never "reflected".
    assert len(report["rulings_reflected"]) == 2 and report["rulings_not_reflected"] == []
    assert r.paragraph("Rev.1", "para-3")["text"] == PARA3_MERGED
    assert r.paragraph("Rev.1", "para-4")["text"] == PARA4_COMPROMISE
    rebased = r.ok(client.get(f"/api/v1/proposals/{p['bra_rebase']['id']}", headers=r.as_("delegate-bra")))
    assert rebased["text"] == "Address and minimize" + PARA8[len("Minimize") :].replace(
        "country of origin", "countries of origin"
    )
    assert rebased["base_revision"] == "Rev.1"
    flagged = r.ok(client.get(f"/api/v1/proposals/{p['deu_conflict']['id']}", headers=r.as_("delegate-deu")))
    assert flagged["rebase_status"] == "needs_attention" and "Rev.1" in flagged["rebase_note"]
    _observer_reads(r)
    _verify_then_tamper(r, seeded_engine)


def _edit_working_copy(r: Round) -> None:
    para4 = r.paragraph(None, "para-4")
    edit = {"text": PARA4_COMPROMISE, "status": "agreed_ad_ref", "lock_version": para4["lock_version"]}
    url = "/api/v1/processes/gcm/working-copy/paragraphs/para-4"
    r.ok(r.client.patch(url, json=edit, headers=r.as_("cofac-mex")))
    stale = r.client.patch(url, json={**edit, "text": "Overwritten."}, headers=r.as_("cofac-che"))
    assert stale.status_code == 409 and "changed by someone else" in stale.json()["detail"]
    para8 = r.paragraph(None, "para-8")
    r.ok(
        r.client.patch(
            "/api/v1/processes/gcm/working-copy/paragraphs/para-8",
            json={
                "text": "Address and minimize" + PARA8[len("Minimize") :],
                "lock_version": para8["lock_version"],
            },
            headers=r.as_("cofac-mex"),
        )
    )
    para3 = r.paragraph(None, "para-3")
    r.ok(
        r.client.patch(
            "/api/v1/processes/gcm/working-copy/paragraphs/para-3",
            json={"elements": ["a"], "status": "agreed", "lock_version": para3["lock_version"]},
            headers=r.as_("cofac-mex"),
        )
    )


def _observer_reads(r: Round) -> None:
    observer = r.as_("observer")
    compare = r.ok(r.client.get("/api/v1/processes/gcm/compare?from=Zero draft&to=Rev.1", headers=observer))
    changes = {p["key"]: p["change"] for p in compare["paragraphs"] if p["change"] != "unchanged"}
    assert changes == {"para-3": "modified", "para-4": "modified", "para-8": "modified"}
    para3 = next(p for p in compare["paragraphs"] if p["key"] == "para-3")
    assert {"kind": "insert", "text": "always "} in para3["redline"]
    history = r.ok(r.client.get("/api/v1/processes/gcm/paragraphs/para-3/history", headers=observer))
    assert [a["revision"]["label"] for a in history["appearances"]] == ["Zero draft", "Rev.1"]
    assert history["appearances"][1]["text"] == PARA3_MERGED and history["appearances"][1]["elements"] == [
        "a"
    ]
    assert sorted(p["sponsor"] for p in history["proposals"]) == ["CHN", "DEU"]
    assert {p["state"] for p in history["proposals"]} == {"accepted"}
    coverage = r.ok(
        r.client.get("/api/v1/processes/gcm/coverage/compare?from=Zero draft&to=Rev.1", headers=observer)
    )
    assert [e["code"] for e in coverage["gained"]] == ["a"]


FIRST = "SELECT MIN(id) FROM paragraph_version"


def _verify_then_tamper(r: Round, engine: Engine) -> None:
    verdict = r.ok(r.client.get("/api/v1/processes/gcm/verify"))
    assert verdict["ok"] is True and [c["label"] for c in verdict["revisions"]] == ["Zero draft", "Rev.1"]
    with engine.connect() as connection:
        head = text("SELECT hash FROM audit_event ORDER BY sequence DESC LIMIT 1")
        last = connection.execute(head).scalar()
    assert verdict["head_hash"] == last  # what an outside observer would keep, to anchor the chain
    with engine.begin() as connection:
        connection.execute(text(f"UPDATE paragraph_version SET text = text || ' ' WHERE id = ({FIRST})"))
    assert r.ok(r.client.get("/api/v1/processes/nyd/verify"))["ok"] is False
    with engine.begin() as connection:
        connection.execute(text(f"UPDATE paragraph_version SET text = RTRIM(text) WHERE id = ({FIRST})"))
        connection.execute(text("UPDATE audit_event SET actor = 'someone-else' WHERE sequence = 3"))
    # The API answers from its cache until the head moves; the full recomputation (the CLI's) sees it now.
    with Session(engine) as session:
        report = verification.verify(session, "gcm")
    assert report.ok is False and "event 3" in (report.chain_problem or "")
