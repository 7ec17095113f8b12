"""Word files in: drafts with automatic numbering, tracked-changes files becoming proposals, hostile files."""

import html
import re
import zipfile
from io import BytesIO
from pathlib import Path

import docx
import pytest
from fastapi.testclient import TestClient
from lxml import etree
from sqlalchemy import Engine, func, select
from sqlmodel import Session

from api.models import AuditEvent, Paragraph, ParagraphVersion, Proposal, Revision
from tests.api.workflow_helpers import Round
from tests.documents.office import convert, libreoffice_edit
from tests.web.pages import post_form, sign_in

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
API = "/api/v1/processes/gcm"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def q(tag: str) -> str:
    """A WordprocessingML tag in Clark notation."""
    return f"{{{W}}}{tag}"


def counts(engine: Engine) -> tuple[int, ...]:
    """Rows that an upload must not change when it is refused."""
    with Session(engine) as session:
        return tuple(
            session.exec(select(func.count()).select_from(model)).one()[0]  # type: ignore[call-overload]
            for model in (Revision, Paragraph, ParagraphVersion, Proposal, AuditEvent)
        )


def zipped(parts: dict[str, bytes], encrypted: bool = False) -> bytes:
    """A ZIP with these parts (deflated); `encrypted` sets the entries' encryption flag."""
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, content in parts.items():
            package.writestr(name, content)
    data = bytearray(buffer.getvalue())
    if encrypted:  # zipfile cannot encrypt: flip bit 0 of the flags in the local and central headers
        for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
            at = data.find(signature)
            while at >= 0:
                data[at + offset] |= 0x1
                at = data.find(signature, at + 4)
    return bytes(data)


DOCUMENT = (
    f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>Hello</w:t></w:r></w:p>'
    "</w:body></w:document>"
).encode()
XXE = (
    b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    + f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>'.encode()
)
LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    + f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>'.encode()
)
HOSTILE = {
    "not a zip": b"This is plain text pretending to be Word.",
    "encrypted (OLE)": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512,
    "no document part": zipped({"hello.txt": b"hi"}),
    "encrypted entry": zipped({"word/document.xml": DOCUMENT}, encrypted=True),
    "zip bomb": zipped({"word/document.xml": DOCUMENT[:-30] + b" " * 30_000_000 + DOCUMENT[-30:]}),
    "external entity (XXE)": zipped({"word/document.xml": XXE}),
    "billion laughs": zipped({"word/document.xml": LAUGHS}),
    "not XML": zipped({"word/document.xml": b"<w:document"}),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_files_are_refused_and_change_nothing(
    client: TestClient, seeded_engine: Engine, name: str
) -> None:
    r = Round(client)
    r.publish_zero_draft()
    before = counts(seeded_engine)
    files = {"file": ("draft.docx", HOSTILE[name], DOCX_TYPE)}
    imported = client.post(f"{API}/imports", files=files, headers=r.as_("secretariat"))
    assert imported.status_code == 422, imported.text
    proposed = client.post(f"{API}/proposals/from-docx", files=files, headers=r.as_("delegate-chn"))
    assert proposed.status_code == 422, proposed.text
    assert "passwd" not in proposed.text and "root:" not in proposed.text
    assert counts(seeded_engine) == before


def numbered_draft() -> bytes:
    """A Word draft with heading styles and automatic numbering (no typed numbers), and a macro part."""
    document = docx.Document()
    document.add_paragraph("Preamble", style="Heading 1")
    document.add_paragraph("We, the Heads of State, reaffirm the New York Declaration.", style="List Number")
    document.add_paragraph(
        "This Global Compact rests on the Charter of the United Nations.", style="List Number"
    )
    document.add_paragraph("Our vision", style="Heading 1")
    document.add_paragraph("Migration has been part of the human experience.", style="List Number")
    buffer = BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer, "a") as package:
        package.writestr("word/vbaProject.bin", b'Attribute VB_Name = "evil"')  # never read
    return buffer.getvalue()


def test_a_draft_from_word_with_automatic_numbering_goes_through_the_import_review(
    client: TestClient,
) -> None:
    r = Round(client)
    files = {"file": ("zero-draft.docx", numbered_draft(), DOCX_TYPE)}
    view = r.ok(client.post(f"{API}/imports", files=files, headers=r.as_("secretariat")), 201)
    read = [(p["kind"], p["number"], p["text"]) for p in view["paragraphs"]]
    assert read == [
        ("heading", None, "Preamble"),
        ("paragraph", "1", "We, the Heads of State, reaffirm the New York Declaration."),
        ("paragraph", "2", "This Global Compact rests on the Charter of the United Nations."),
        ("heading", None, "Our vision"),
        ("paragraph", "3", "Migration has been part of the human experience."),
    ]
    assert not view["confirmed"]  # waiting for the same review as a text import


def _tracked_edit(content: bytes, eids: dict[str, str]) -> bytes:
    """Edit our export as a delegate would in Word: an amendment, a deletion, a new paragraph, a comment."""
    document = docx.Document(BytesIO(content))
    target = next(p for p in document.paragraphs if "globalized world" in p.text)
    document.add_comment(target.runs[-2], text="Interconnected is the agreed language.", author="CHN")
    buffer = BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(BytesIO(buffer.getvalue())) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    root = etree.fromstring(parts["word/document.xml"])
    paragraphs = {b.get(q("name")): b.getparent() for b in root.iter(q("bookmarkStart"))}
    change = {q("id"): "900", q("author"): "CHN", q("date"): "2018-02-20T10:00:00Z"}
    # para-3: "globalized" deleted, "interconnected" inserted (siblings, never nested)
    para3 = paragraphs[eids["para-3"]]
    run = next(t for t in para3.iter(q("t")) if t.text and "globalized" in t.text).getparent()
    before, after = run.findtext(q("t")).split("globalized")
    run.find(q("t")).text = before
    deletion = etree.Element(q("del"), {**change, q("id"): "901"})
    etree.SubElement(etree.SubElement(deletion, q("r")), q("delText")).text = "globalized"
    insertion = etree.Element(q("ins"), {**change, q("id"): "902"})
    etree.SubElement(etree.SubElement(insertion, q("r")), q("t")).text = "interconnected"
    tail = etree.Element(q("r"))
    etree.SubElement(tail, q("t"), {"{http://www.w3.org/XML/1998/namespace}space": "preserve"}).text = after
    run.addnext(deletion)
    deletion.addnext(insertion)
    insertion.addnext(tail)
    # para-6: every run deleted
    para6 = paragraphs[eids["para-6"]]
    for index, run in enumerate(list(para6.iter(q("r")))):
        for text in run.iter(q("t")):
            text.tag = q("delText")
        wrapper = etree.Element(q("del"), {**change, q("id"): f"91{index}"})
        run.addprevious(wrapper)
        wrapper.append(run)
    # a new paragraph after para-4, its mark inserted
    para4 = paragraphs[eids["para-4"]]
    new = etree.Element(q("p"))
    mark = etree.SubElement(etree.SubElement(etree.SubElement(new, q("pPr")), q("rPr")), q("ins"))
    mark.attrib.update({**change, q("id"): "950"})
    inserted = etree.SubElement(new, q("ins"), {**change, q("id"): "951"})
    etree.SubElement(etree.SubElement(inserted, q("r")), q("t")).text = NEW_PARAGRAPH
    para4.addnext(new)
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return zipped(parts)


NEW_PARAGRAPH = "States shall cooperate to prevent the loss of life in transit."


def test_a_tracked_changes_file_becomes_the_delegations_proposals(client: TestClient, tmp_path: Path) -> None:
    r = Round(client)
    r.publish_zero_draft()
    zero = r.ok(client.get(f"{API}/revisions/Zero draft"))
    eids = {p["key"]: p["eid"][:40] for p in zero["paragraphs"]}
    texts = {p["key"]: p["text"] for p in zero["paragraphs"]}
    exported = client.get(f"{API}/revisions/Zero draft.docx")
    edited = _tracked_edit(exported.content, eids)
    (tmp_path / "edited.docx").write_bytes(edited)
    saved_dir = tmp_path / "libreoffice"
    saved_dir.mkdir()
    (saved,) = convert([tmp_path / "edited.docx"], "docx:MS Word 2007 XML", saved_dir)

    expected = [
        ("para-3", "amend", texts["para-3"].replace("globalized", "interconnected")),
        ("para-4", "insert", NEW_PARAGRAPH),
        ("para-6", "delete", ""),
    ]
    for name, content in (("our export, edited", edited), ("saved by LibreOffice", saved.read_bytes())):
        files = {"file": ("amendments.docx", content, DOCX_TYPE)}
        read = r.ok(client.post(f"{API}/proposals/from-docx", files=files, headers=r.as_("delegate-chn")))
        got = [(p["paragraph_key"], p["action"], p["text"]) for p in read["proposals"]]
        assert got == expected, name
        assert read["base_revision"] == "Zero draft" and not read["other_revision"], name
        assert read["unmatched"] == [], name
        amendment = read["proposals"][0]
        assert amendment["justification"] == "Interconnected is the agreed language.", name
        assert {"kind": "insert", "text": "interconnected"} in amendment["redline"], name
    listed = r.ok(client.get(f"{API}/proposals", headers=r.as_("delegate-chn")))
    assert listed == []  # nothing is tabled until the delegation confirms each one

    confirmed = read["proposals"][0]
    body = {k: confirmed[k] for k in ("paragraph_key", "action", "text", "justification")}
    r.ok(client.post(f"{API}/proposals", json=body, headers=r.as_("delegate-chn")), 201)


COMMENT = "Interconnected is the agreed language."
IN_LIBREOFFICE = {
    "givenname": "Li",
    "sn": "Wei",
    "replace": [{"in": "globalized world", "old": "globalized", "new": "interconnected", "comment": COMMENT}],
    "delete": ["sovereign right of States"],
    "insert_after": [{"after": "No State can address migration alone", "text": NEW_PARAGRAPH}],
}
AGAIN_IN_LIBREOFFICE = {
    "givenname": "Zhang",
    "sn": "San",
    "replace": [{"in": "is people-centred", "old": "people-centred", "new": "human-centred"}],
}


def change_authors(content: bytes) -> set[str]:
    """Who Word's XML says made each tracked change (read with lxml, apart from Accord's reader)."""
    with zipfile.ZipFile(BytesIO(content)) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    return {change.get(q("author")) for change in root.iter(q("ins"), q("del"))}


def test_a_file_edited_in_libreoffice_becomes_exactly_the_delegations_proposals(
    client: TestClient, tmp_path: Path
) -> None:
    r = Round(client)
    r.publish_zero_draft()
    texts = {p["key"]: p["text"] for p in r.ok(client.get(f"{API}/revisions/Zero draft"))["paragraphs"]}
    (tmp_path / "zero.docx").write_bytes(client.get(f"{API}/revisions/Zero draft.docx").content)
    edited = libreoffice_edit(tmp_path / "zero.docx", tmp_path / "edited.docx", IN_LIBREOFFICE)
    assert change_authors(edited.read_bytes()) == {"Li Wei"}  # LibreOffice signed its own changes

    amended = texts["para-3"].replace("globalized", "interconnected")
    expected = [
        ("para-3", "amend", amended, COMMENT),
        ("para-4", "insert", NEW_PARAGRAPH, ""),
        ("para-6", "delete", "", ""),
    ]
    files = {"file": ("amendments.docx", edited.read_bytes(), DOCX_TYPE)}
    read = r.ok(client.post(f"{API}/proposals/from-docx", files=files, headers=r.as_("delegate-chn")))
    got = [(p["paragraph_key"], p["action"], p["text"], p["justification"]) for p in read["proposals"]]
    assert got == expected
    assert read["delegation"] == "CHN" and read["base_revision"] == "Zero draft"
    assert not read["other_revision"] and read["unmatched"] == []
    assert {"kind": "delete", "text": "globalized"} in read["proposals"][0]["redline"]

    # Through the desk: the same three, each tabled for CHN (not for "Li Wei") once confirmed.
    token = sign_in(client, "delegate-chn")
    page = client.post("/processes/gcm/desk/word", data={"csrf_token": token}, files=files)
    assert page.status_code == 200 and page.text.count("Table this proposal") == 3
    assert "Each is tabled for CHN." in page.text
    assert r.ok(client.get(f"{API}/proposals", headers=r.as_("delegate-chn"))) == []
    written = "Our delegation's reasons."  # a justification is required: the delegation writes those missing
    for form in page.text.split('action="/processes/gcm/proposals">')[1:]:
        fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', form.split("</form>")[0]))
        fields = {k: html.unescape(v) for k, v in fields.items() if k != "csrf_token"}
        (from_file,) = re.findall(r'name="justification"[^>]*>([^<]*)</textarea>', form)
        fields["justification"] = html.unescape(from_file) or written
        assert post_form(client, "/processes/gcm/proposals", token, **fields).status_code == 303
    tabled = r.ok(client.get(f"{API}/proposals", headers=r.as_("delegate-chn")))
    got = [(p["paragraph_key"], p["action"], p["text"], p["justification"]) for p in tabled]
    assert sorted(got) == [(key, action, text, reason or written) for key, action, text, reason in expected]
    assert {(p["sponsor"], p["on_behalf_of"], p["base_revision"]) for p in tabled} == {
        ("CHN", None, "Zero draft")
    }

    # The same file opened again in LibreOffice by a colleague, edited, and uploaded again.
    again = libreoffice_edit(edited, tmp_path / "again.docx", AGAIN_IN_LIBREOFFICE)
    assert change_authors(again.read_bytes()) == {"Li Wei", "Zhang San"}
    files = {"file": ("amendments-2.docx", again.read_bytes(), DOCX_TYPE)}
    read = r.ok(client.post(f"{API}/proposals/from-docx", files=files, headers=r.as_("delegate-chn")))
    got = [(p["paragraph_key"], p["action"], p["text"], p["justification"]) for p in read["proposals"]]
    human = texts["para-5"].replace("people-centred", "human-centred")
    assert got == [*expected[:2], ("para-5", "amend", human, ""), expected[2]]
    assert read["unmatched"] == []


def test_a_file_made_against_another_revision_is_reported(client: TestClient) -> None:
    r = Round(client)
    r.publish_zero_draft()
    document = docx.Document(BytesIO(client.get(f"{API}/revisions/Zero draft.docx").content))
    document.core_properties.subject = "Rev.9"
    buffer = BytesIO()
    document.save(buffer)
    files = {"file": ("old.docx", buffer.getvalue(), DOCX_TYPE)}
    read = r.ok(client.post(f"{API}/proposals/from-docx", files=files, headers=r.as_("delegate-chn")))
    assert read["other_revision"] and read["made_against"] == "Rev.9" and read["proposals"] == []
    refused = client.post(f"{API}/proposals/from-docx", files=files, headers=r.as_("observer"))
    assert refused.status_code == 403


def test_the_desk_reads_a_word_file_and_tables_only_what_is_confirmed(client: TestClient) -> None:
    r = Round(client)
    r.publish_zero_draft()
    zero = r.ok(client.get(f"{API}/revisions/Zero draft"))
    eids = {p["key"]: p["eid"][:40] for p in zero["paragraphs"]}
    edited = _tracked_edit(client.get(f"{API}/revisions/Zero draft.docx").content, eids)
    token = sign_in(client, "delegate-chn")
    assert 'action="/processes/gcm/desk/word"' in client.get("/processes/gcm/desk").text
    files = {"file": ("amendments.docx", edited, DOCX_TYPE)}
    page = client.post("/processes/gcm/desk/word", data={"csrf_token": token}, files=files)
    assert page.status_code == 200 and page.text.count("Table this proposal") == 3
    assert "<ins>interconnected</ins>" in page.text or "interconnected</ins>" in page.text
    assert r.ok(client.get(f"{API}/proposals", headers=r.as_("delegate-chn"))) == []
    first = page.text.split('action="/processes/gcm/proposals">')[1].split("</form>")[0]
    fields = {k: html.unescape(v) for k, v in re.findall(r'name="(\w+)" value="([^"]*)"', first)}
    # The delegation confirms (or writes) the justification the file's comments gave.
    (justification,) = re.findall(r'name="justification"[^>]*>([^<]*)</textarea>', first)
    assert html.unescape(justification) == "Interconnected is the agreed language."
    fields["justification"] = html.unescape(justification)
    tabled = post_form(
        client, "/processes/gcm/proposals", token, **{k: v for k, v in fields.items() if k != "csrf_token"}
    )
    assert tabled.status_code == 303
    listed = r.ok(client.get(f"{API}/proposals", headers=r.as_("delegate-chn")))
    assert [(p["paragraph_key"], p["action"]) for p in listed] == [("para-3", "amend")]
    hostile = client.post(
        "/processes/gcm/desk/word", data={"csrf_token": token}, files={"file": ("x.docx", b"no")}
    )
    assert hostile.status_code == 422
    forged = client.post("/processes/gcm/desk/word", data={"csrf_token": "forged"}, files=files)
    assert forged.status_code == 403
