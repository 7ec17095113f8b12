"""Akoma Ntoso (AKN4UN) exports validate against the OASIS schema; IRIs resolve to stable pages."""

from urllib.parse import quote

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api.db import unit_of_work
from api.services import documents
from api.services.actors import PUBLIC, Actor
from tests.documents.akn_schema import validate
from tests.documents.test_documents_api import play_round
from tests.documents.test_redline_docx import gcm  # noqa: F401  (fixture)
from tests.service.test_history import REV1, REV2, ZERO

AKN = "{http://docs.oasis-open.org/legaldocml/ns/akn/3.0}"
SEED_IRI = "/akn/un/statement/deliberation/nyd/2016-09-09/nyd/zho@adopted-text"


def test_the_seed_as_a_resolution_draft(seeded_engine: Engine) -> None:
    with unit_of_work(seeded_engine) as session:
        exported = documents.revision_akn(session, PUBLIC, "nyd", None)
        revision = documents.revision_model(session, PUBLIC, "nyd", None)
    root = validate(exported.content)
    statement = root.find(f"{AKN}statement")
    assert statement is not None and statement.get("name") == "resolutionDraft"
    this = root.find(f".//{AKN}FRBRExpression/{AKN}FRBRthis")
    assert this is not None and this.get("value") == f"{SEED_IRI}/!main"
    alias = root.find(f".//{AKN}FRBRWork/{AKN}FRBRalias")
    assert alias is not None and alias.get("value") == "A/RES/70/302"
    eids = {e.get("eId") for e in root.iter() if e.get("eId")}
    assert {p.eid for p in revision.paragraphs} <= eids
    sub = root.find(f".//{AKN}paragraph[@eId='annex_1__para_5']/{AKN}subparagraph")
    assert sub is not None and sub.get("eId") == "annex_1__para_5__subpara_a"
    notes = root.findall(f".//{AKN}authorialNote")
    assert len(notes) == sum(len(p.footnotes) for p in revision.paragraphs) > 0


def test_every_revision_of_the_gcm_round_validates_with_statuses_and_brackets(gcm: Engine) -> None:  # noqa: F811
    with unit_of_work(gcm) as session:
        cofacilitator = Actor(user_id=1, username="cofac", grants=frozenset({(None, "cofacilitator")}))
        labels = (ZERO, REV1, REV2)
        exports = [documents.revision_akn(session, cofacilitator, "gcm", label) for label in labels]
    roots = [validate(e.content) for e in exports]
    rev1 = roots[1]
    bracketed = rev1.find(f".//{AKN}paragraph[@eId='para_4bis']")
    assert bracketed is not None and bracketed.get("refersTo") == "#status_bracketed #element_c"
    options = [i.text for i in bracketed.iter(f"{AKN}inline") if i.get("name") == "bracketed"]
    assert options == ["[trafficking in persons]", "[human trafficking]"]
    concepts = {c.get("eId") for c in rev1.iter(f"{AKN}TLCConcept")}
    assert {"status_bracketed", "status_agreed", "element_c"} <= concepts
    assert exports[2].filename == "gcm-Rev.2.akn.xml"


def test_the_compilation_as_an_amendment_list(client: TestClient) -> None:
    r, _compilation = play_round(client)
    response = client.get("/api/v1/processes/gcm/compilation.akn.xml", headers=r.as_("observer"))
    assert response.status_code == 200 and response.headers["content-type"] == "application/akn+xml"
    root = validate(response.content)
    amendments = root.findall(f".//{AKN}amendmentList/{AKN}collectionBody/{AKN}component/{AKN}amendment")
    assert amendments and all(a.find(f".//{AKN}amendmentJustification") is not None for a in amendments)
    revision = client.get("/api/v1/processes/gcm/revisions/Rev.1.akn.xml")
    assert revision.status_code == 200
    validate(revision.content)


def test_iris_are_stable_public_links(client: TestClient) -> None:
    page = client.get(f"{SEED_IRI}/!main", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/processes/nyd/revisions/Adopted%20text"
    paragraph = client.get(f"{SEED_IRI}/!main~para_12", follow_redirects=False)
    assert paragraph.headers["location"] == "/processes/nyd/revisions/Adopted%20text#body-12"
    xml = client.get(f"{SEED_IRI}/!main.xml")
    assert xml.status_code == 200
    validate(xml.content)
    assert client.get(SEED_IRI.replace("2016-09-09", "2016-09-10") + "/!main").status_code == 404
    assert client.get(f"{SEED_IRI}/!main~para_999").status_code == 404
    reading = client.get(f"/processes/nyd/revisions/{quote('Adopted text')}")
    assert all(f"/document.{f}" in reading.text for f in ("docx", "pdf", "akn.xml"))
    word = client.get(f"/processes/nyd/revisions/{quote('Adopted text')}/document.docx")
    assert word.status_code == 200 and word.content[:2] == b"PK"
