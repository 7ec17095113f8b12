"""Downloads through the JSON API after a real round: revision, redline and compilation as Word files."""

import zipfile
from io import BytesIO

import docx
from fastapi.testclient import TestClient
from lxml import etree

from api.domain.documents.model import Para, printed_text
from tests.api.test_negotiation_round import _edit_working_copy, _table_round
from tests.api.workflow_helpers import Round
from tests.web.pages import sign_in

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
API = "/api/v1/processes/gcm"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def play_round(client: TestClient) -> tuple[Round, bytes]:
    """Zero draft, proposals, rulings (accept, merge, reject, defer), compromise text, Rev.1 published."""
    r = Round(client)
    r.publish_zero_draft()
    proposals = _table_round(r)
    r.ok(client.post(f"{API}/compilation/release", headers=r.as_("cofac-mex")), 204)
    r.rule(proposals["g77"]["id"], "accept", "Widely supported")
    r.rule(proposals["deu"]["id"], "accept", "Merges with the G77 text")
    r.rule(proposals["bra_reject"]["id"], "reject", "Contradicts paragraph 2 of the Declaration")
    compilation = client.get(f"{API}/compilation.docx", headers=r.as_("observer"))
    assert compilation.status_code == 200
    _edit_working_copy(r)
    r.ok(client.post(f"{API}/revisions", json={"label": "Rev.1"}, headers=r.as_("cofac-che")), 201)
    return r, compilation.content


def document_xml(content: bytes) -> etree._Element:
    """The main part of a .docx."""
    with zipfile.ZipFile(BytesIO(content)) as package:
        return etree.fromstring(package.read("word/document.xml"))


def test_word_downloads_after_a_round(client: TestClient) -> None:
    r, compilation = play_round(client)

    response = client.get(f"{API}/compare.docx", params={"from": "Zero draft", "to": "Rev.1"})
    assert response.status_code == 200 and response.headers["content-type"] == DOCX
    assert 'filename="gcm-Rev.1-changes-since-Zero-draft.docx"' in response.headers["content-disposition"]
    root = document_xml(response.content)
    authors = {c.get(f"{W}author") for c in root.iter(f"{W}ins", f"{W}del")}
    assert authors == {"China on behalf of Group of 77 and China", "Germany", "Co-facilitators"}
    inserted = {
        c.get(f"{W}author"): "".join(c.itertext()) for c in root.iter(f"{W}ins") if c.get(f"{W}author") != ""
    }
    assert inserted["Germany"] == "always "
    assert inserted["China on behalf of Group of 77 and China"] == "interconnected"

    revision = client.get(f"{API}/revisions/Rev.1.docx")
    assert revision.status_code == 200
    texts = [p.text for p in docx.Document(BytesIO(revision.content)).paragraphs]
    rev1 = r.ok(client.get(f"{API}/revisions/Rev.1"))
    para3 = next(p for p in rev1["paragraphs"] if p["key"] == "para-3")
    printed = printed_text(Para("para-3", "", "", "body", para3["kind"], para3["number"], para3["text"]))
    assert any(t.startswith(printed) and t.endswith("[Agreed · elements (a)]") for t in texts)

    table = docx.Document(BytesIO(compilation)).tables[0]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["Paragraph", "Proposal", "Ruling"]
    assert [row[0].split("\n")[0] for row in rows[1:]] == ["3.", "3.", "4.", "6.", "8.", "9.", "11."]
    rejected = next(row for row in rows if "Contradicts paragraph 2" in row[2])
    assert rejected[2].startswith("Rejected on ") and "Sponsor: BRA" in rejected[1]
    deu = next(row for row in rows if "Sponsor: DEU" in row[1])
    assert "Co-sponsors: ZAF" in deu[1] and "Justification: for clarity" in deu[1]
    assert deu[2].startswith("Accepted on ") and rows[-1][2] == "Not yet ruled (submitted)"


def test_downloads_refuse_what_the_reader_may_not_see(client: TestClient) -> None:
    r = Round(client)
    r.publish_zero_draft()
    missing = client.get(f"{API}/revisions/Rev.9.docx")
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"
    r.ok(client.post(f"{API}/working-copy", headers=r.as_("cofac-mex")))
    listed = r.ok(client.get(f"{API}/revisions", headers=r.as_("cofac-mex")))
    working = next(x["label"] for x in listed if x["state"] == "working")
    assert client.get(f"{API}/revisions/{working}.docx").status_code == 404  # the public
    assert client.get(f"{API}/revisions/{working}.docx", headers=r.as_("cofac-mex")).status_code == 200
    r.table("delegate-chn", "para-3", "Migration is a fact.")
    assert client.get(f"{API}/compilation.docx").status_code == 403  # not released yet
    assert client.get(f"{API}/compare.docx", params={"from": "Zero draft"}).status_code == 422


def test_web_downloads_by_format_use_the_signed_in_session(client: TestClient) -> None:
    r = Round(client)
    r.publish_zero_draft()
    r.table("delegate-chn", "para-3", "Migration is a fact.")
    compilation = "/processes/gcm/compilation/document"
    assert client.get(f"{compilation}.docx").status_code == 403  # the public: not released yet
    sign_in(client, "delegate-chn")
    word = client.get(f"{compilation}.docx")
    assert word.status_code == 200 and word.headers["content-type"] == DOCX
    assert "Sponsor: CHN" in "".join(document_xml(word.content).itertext())
    akn = client.get(f"{compilation}.akn.xml")
    assert akn.status_code == 200 and akn.headers["content-type"] == "application/akn+xml"
    compare = client.get(
        "/processes/gcm/compare/document.docx", params={"from": "Zero draft", "to": "Zero draft"}
    )
    assert compare.status_code == 200 and compare.headers["content-type"] == DOCX
    unknown = client.get(
        "/processes/gcm/compare/document.akn.xml", params={"from": "Zero draft", "to": "Zero draft"}
    )
    assert unknown.status_code == 404 and "one of docx, pdf" in unknown.text
    assert client.get("/processes/gcm/revisions/Zero draft/document.odt").status_code == 404
