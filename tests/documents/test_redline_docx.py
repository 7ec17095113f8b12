"""The redline as a Word file with real tracked changes, read back through LibreOffice headless.

Accept-all must give the newer revision and reject-all the older, for the seed (Chinese, character
level, with an insertion, a deletion, a split and a merge) and for a GCM round on both engines.
"""

import json
import zipfile
from dataclasses import replace
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy import Engine
from sqlmodel import select

from api.db import unit_of_work
from api.domain.documents.model import Header, Note, Para, printed_line
from api.domain.documents.ooxml import redline_docx
from api.domain.documents.tracked import (
    Attribution,
    Change,
    Group,
    accepted_text,
    ordered,
    rejected_text,
    tracked_paragraphs,
)
from api.models import Paragraph, ParagraphVersion, Proposal, Revision, Ruling
from api.services import documents
from api.services.actors import PUBLIC
from tests.documents.office import convert, read_odt
from tests.service.test_history import REV1, ZERO, add_proposals, build_gcm, empty_tables

SEED = Path(__file__).resolve().parents[2] / "drafts" / "nyd" / "revision.json"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WHEN = datetime(2016, 9, 9, 12, 0, tzinfo=UTC)


def seed_paragraphs() -> list[Para]:
    """The New York Declaration as shipped in drafts/."""
    rows = json.loads(SEED.read_text(encoding="utf-8"))["paragraphs"]
    return [
        Para(
            r["key"],
            r["eid"],
            r["eid"],
            r["part"],
            r["kind"],
            r["number"],
            r["text"],
            section=r["section"],
            footnotes=tuple(Note(n["marker"], n["text"]) for n in r["footnotes"]),
        )
        for r in rows
    ]


def seed_round() -> tuple[list[Para], list[Para], list[Group]]:
    """An edited seed: one paragraph amended (with its status and elements), one deleted, one inserted,
    one split, two merged, one footnote changed."""
    old = seed_paragraphs()
    by_key = {p.key: p for p in old}
    amended = replace(
        by_key["body-1"],
        text=by_key["body-1"].text.replace("经济机会", "经济和社会机会"),
        status="bracketed",  # a status and a mandate element gained: the tag changes too
        elements=("a",),
    )
    renoted = replace(by_key["body-4"], footnotes=(Note("1", "第 70/1 号决议，第 5 段。"),))
    first, second = by_key["body-5"].text.split("。", 1)
    split_a = replace(by_key["body-5"], text=first + "。")
    split_b = replace(by_key["body-5"], key="body-5b", number="5bis", text=second, footnotes=())
    merged = replace(by_key["body-7"], text=by_key["body-7"].text + by_key["body-8"].text)
    inserted = Para(
        "body-3bis", "para_3bis", "para_3bis", "body", "paragraph", "3bis", "我们将加强国际合作。"
    )
    new: list[Para] = []
    groups: list[Group] = []
    for para in old:
        if para.key == "body-1":
            new.append(amended)
            groups.append(Group((para,), (amended,)))
        elif para.key == "body-2":
            groups.append(Group((para,), ()))
        elif para.key == "body-3":
            new.extend([para, inserted])
            groups.extend([Group((para,), (para,)), Group((), (inserted,))])
        elif para.key == "body-4":
            new.append(renoted)
            groups.append(Group((para,), (renoted,)))
        elif para.key == "body-5":
            new.extend([split_a, split_b])
            groups.append(Group((para,), (split_a, split_b)))
        elif para.key == "body-7":
            new.append(merged)
            groups.append(Group((para, by_key["body-8"]), (merged,)))
        elif para.key != "body-8":
            new.append(para)
            groups.append(Group((para,), (para,)))
    return old, new, groups


def seed_redline() -> tuple[list[Para], list[Para], bytes]:
    """The edited seed's redline as DOCX, every change by the co-facilitators."""
    old, new, groups = seed_round()
    credit = Attribution(Change("Co-facilitators", WHEN))
    paragraphs = tracked_paragraphs(ordered(groups, old, new), credit)
    assert accepted_text(paragraphs) == [printed_line(p) for p in new]
    assert rejected_text(paragraphs) == [printed_line(p) for p in old]
    header = Header("nyd", "关于难民和移民的纽约宣言", "Adopted text", "zh", "A/RES/70/302", "2016-09-09")
    return old, new, redline_docx(replace(header, label="Draft"), header, paragraphs)


def credit_china(engine: Engine) -> str:
    """Rev.1 reflects China's accepted amendment of OP2: its inserted words carry China's provenance."""
    with unit_of_work(engine) as session:
        rev1 = session.exec(select(Revision).where(Revision.label == REV1)).one()
        china = session.exec(select(Proposal).where(Proposal.action == "amend")).first()
        assert china is not None and china.id is not None
        ruling = session.exec(select(Ruling).where(Ruling.proposal_id == china.id)).one()
        ruling.reflected_in_revision_id = rev1.id
        op2 = session.exec(
            select(ParagraphVersion)
            .join(Paragraph, Paragraph.id == ParagraphVersion.paragraph_id)  # type: ignore[arg-type]
            .where(Paragraph.key == "op2", ParagraphVersion.revision_id == rev1.id)
        ).one()
        text = op2.text
        start = text.index(", timely")
        op2.provenance = [
            {"text": text[:start], "sources": []},
            {"text": text[start:], "sources": [f"proposal {china.id}"]},
        ]
        session.add_all([ruling, op2])
    return "CHN"


@pytest.fixture
def gcm(engine: Engine) -> Engine:
    """The GCM test draft (splits, merges, moves, insertions, deletions) with China's amendment reflected."""
    with unit_of_work(engine) as session:
        add_proposals(session, build_gcm(session))
    credit_china(engine)
    yield engine
    empty_tables(engine)


def test_redlines_open_in_libreoffice_with_authors_and_accept_reject(gcm: Engine, tmp_path: Path) -> None:
    with unit_of_work(gcm) as session:
        found = documents.redline(session, PUBLIC, "gcm", ZERO, REV1)
        gcm_file = documents.redline_docx(session, PUBLIC, "gcm", ZERO, REV1)
    old, new, seed_docx = seed_redline()
    (tmp_path / "gcm.docx").write_bytes(gcm_file.content)
    (tmp_path / "seed.docx").write_bytes(seed_docx)
    gcm_odt, seed_odt = convert([tmp_path / "gcm.docx", tmp_path / "seed.docx"], "odt", tmp_path)

    read = read_odt(gcm_odt)
    expected_new = [printed_line(p) for p in found.new.paragraphs]
    expected_old = [printed_line(p) for p in found.old.paragraphs]
    assert read.accepted[-len(expected_new) :] == expected_new
    assert read.rejected[-len(expected_old) :] == expected_old
    assert read.accepted[: -len(expected_new)] == read.rejected[: -len(expected_old)]  # the masthead
    assert set(read.kinds.values()) == {"insertion", "deletion"}
    assert set(read.authors.values()) == {"Co-facilitators", "CHN"}

    read = read_odt(seed_odt)
    assert read.accepted[-len(new) :] == [printed_line(p) for p in new]
    assert read.rejected[-len(old) :] == [printed_line(p) for p in old]
    assert set(read.authors.values()) == {"Co-facilitators"}


def test_china_is_credited_with_its_words_and_the_deletion_they_replace(gcm: Engine) -> None:
    with unit_of_work(gcm) as session:
        found = documents.redline(session, PUBLIC, "gcm", ZERO, REV1)
    op2 = next(p for p in found.paragraphs if p.para.key == "op2")
    changes = [(piece.kind, piece.text, piece.change.author) for piece in op2.pieces if piece.change]
    assert ("insert", ", timely", "CHN") in changes
    assert ("delete", "timely", "CHN") in changes  # replaced by China's "accessible"
    assert ("insert", "accessible", "CHN") in changes
    assert ("delete", "2", "Co-facilitators") in changes  # renumbering is the co-facilitators'
    dates = {piece.change.date for piece in op2.pieces if piece.change and piece.change.author == "CHN"}
    assert dates == {datetime(2018, 3, 1, 15, 0, tzinfo=UTC)}  # the ruling's date


def test_no_insertion_is_wrapped_round_a_deletion_and_new_paragraph_marks_are_tracked(gcm: Engine) -> None:
    with unit_of_work(gcm) as session:
        content = documents.redline_docx(session, PUBLIC, "gcm", ZERO, REV1).content
    with zipfile.ZipFile(BytesIO(content)) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    assert root.findall(f".//{W}ins//{W}del") == [] and root.findall(f".//{W}del//{W}ins") == []
    for change in root.iter(f"{W}ins", f"{W}del"):
        assert change.get(f"{W}author") and change.get(f"{W}date", "").endswith("Z")
    marks = root.findall(f".//{W}pPr/{W}rPr/{W}ins")
    assert len(marks) >= 3  # op4 moved in, op8 inserted, op3 split


def test_reading_backwards_gives_the_inverse_redline(gcm: Engine) -> None:
    with unit_of_work(gcm) as session:
        found = documents.redline(session, PUBLIC, "gcm", REV1, ZERO)
    assert accepted_text(found.paragraphs) == [printed_line(p) for p in found.new.paragraphs]
    assert rejected_text(found.paragraphs) == [printed_line(p) for p in found.old.paragraphs]
    assert {p.change.author for t in found.paragraphs for p in t.pieces if p.change} == {"Co-facilitators"}


def test_status_element_and_footnote_changes_are_tracked_changes(gcm: Engine) -> None:
    with unit_of_work(gcm) as session:
        content = documents.redline_docx(session, PUBLIC, "gcm", ZERO, REV1).content
    root = document_root(content)
    tag_changes = {
        (etree.QName(change).localname, "".join(change.itertext()), change.get(f"{W}author"))
        for change in root.iter(f"{W}ins", f"{W}del")
        if any(color.get(f"{W}val") == "808080" for color in change.iterfind(f"{W}r/{W}rPr/{W}color"))
    }
    # op2 [Agreed · elements (b)] → [Agreed ad ref · …]; op1 loses element (b); op8 is new.
    assert ("ins", "ad ref ", "Co-facilitators") in tag_changes
    assert ("del", ", (b)", "Co-facilitators") in tag_changes
    assert ("ins", "  [Open]", "Co-facilitators") in tag_changes

    _old, _new, seed = seed_redline()
    root = document_root(seed)
    notes = {
        etree.QName(change).localname: change.get(f"{W}author")
        for change in root.iter(f"{W}ins", f"{W}del")
        if change.find(f"{W}r/{W}footnoteReference") is not None
    }
    assert notes == {"ins": "Co-facilitators", "del": "Co-facilitators"}  # body-4's footnote reworded
    with zipfile.ZipFile(BytesIO(seed)) as package:
        footnotes = package.read("word/footnotes.xml").decode()
    assert "第 70/1 号决议，第 5 段。" in footnotes and "第 70/1 号决议。" in footnotes


def document_root(content: bytes) -> etree._Element:
    """The main part of a .docx."""
    with zipfile.ZipFile(BytesIO(content)) as package:
        return etree.fromstring(package.read("word/document.xml"))
