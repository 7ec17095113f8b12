"""An imported Markdown draft keeps its emphasis as formatting: stored beside the words, shown by the
reader and the Word export, sealed by the revision's content hash, carried through a co-facilitator's edit."""

from io import BytesIO
from typing import Any

import docx
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlmodel import Session

from api.services import verification
from tests.api.workflow_helpers import Round

DRAFT = (
    "# Preamble\n\n*Recalling* the **2030 Agenda** for Sustainable Development,\n\n"
    "# Objectives\n\n1. Collect *accurate* data;\n2. Minimize adverse drivers.\n"
)


def publish(r: Round, draft: str, label: str) -> dict[str, Any]:
    files = {"file": ("draft.md", draft.encode(), "text/markdown")}
    r.ok(r.client.post("/api/v1/processes/gcm/imports", files=files, headers=r.as_("secretariat")), 201)
    r.ok(
        r.client.post("/api/v1/processes/gcm/imports/current/confirm", json={}, headers=r.as_("secretariat"))
    )
    body = {"label": label}
    r.ok(r.client.post("/api/v1/processes/gcm/revisions", json=body, headers=r.as_("cofac-mex")), 201)
    view: dict[str, Any] = r.ok(r.client.get(f"/api/v1/processes/gcm/revisions/{label}"))
    return view


def test_emphasis_is_stored_shown_and_sealed(client: TestClient, seeded_engine: Engine) -> None:
    r = Round(client)
    view = publish(r, DRAFT, "Zero")
    paragraphs = {p["text"]: p for p in view["paragraphs"]}
    recalling = paragraphs["Recalling the 2030 Agenda for Sustainable Development,"]
    assert recalling["formatting"] == [[0, 9, "em"], [14, 25, "strong"]]
    assert paragraphs["Collect accurate data;"]["formatting"] == [[8, 16, "em"]]
    assert paragraphs["Minimize adverse drivers."]["number"] == "2"  # a tight list: one paragraph each
    assert not any("*" in p["text"] for p in view["paragraphs"])
    page = client.get("/processes/gcm/revisions/Zero").text
    assert "<em>Recalling</em> the <strong>2030 Agenda</strong>" in page
    word = docx.Document(BytesIO(client.get("/api/v1/processes/gcm/revisions/Zero.docx").content))
    runs = next(p for p in word.paragraphs if p.text.startswith("Recalling")).runs
    assert [(run.text, bool(run.italic), bool(run.bold)) for run in runs][:3] == [
        ("Recalling", True, False),
        (" the ", False, False),
        ("2030 Agenda", False, True),
    ]
    with Session(seeded_engine) as session:
        assert verification.verify(session, "gcm").ok
    # The formatting is part of what the revision says: changing it behind Accord's back is detected.
    forged = "UPDATE paragraph_version SET formatting = '[]' WHERE text LIKE 'Recalling%'"
    with seeded_engine.begin() as connection:
        connection.execute(text(forged))
    with Session(seeded_engine) as session:
        report = verification.verify(session, "gcm")
    assert not report.ok and any("Zero" in line for line in report.lines())


def test_an_edit_keeps_the_emphasis_of_the_words_it_keeps(client: TestClient) -> None:
    r = Round(client)
    publish(r, DRAFT, "Zero")
    cofacilitator = r.as_("cofac-mex")
    working = r.ok(client.post("/api/v1/processes/gcm/working-copy", headers=cofacilitator))
    recalling = next(p for p in working["paragraphs"] if p["text"].startswith("Recalling"))
    assert recalling["formatting"] == [[0, 9, "em"], [14, 25, "strong"]]  # the copy keeps it
    body = {"text": "Recalling also the 2030 Agenda,", "lock_version": recalling["lock_version"]}
    url = f"/api/v1/processes/gcm/working-copy/paragraphs/{recalling['key']}"
    edited = r.ok(client.patch(url, json=body, headers=cofacilitator))
    assert edited["formatting"] == [[0, 9, "em"], [19, 30, "strong"]]
