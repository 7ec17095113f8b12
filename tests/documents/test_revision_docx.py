"""A revision as a Word file in UN layout, read back with python-docx and lxml."""

import zipfile
from io import BytesIO

import docx
from lxml import etree
from sqlalchemy import Engine

from api.db import unit_of_work
from api.domain.documents.model import printed_text
from api.services import documents
from api.services.actors import PUBLIC
from tests.documents.test_redline_docx import gcm  # noqa: F401  (fixture)
from tests.service.test_history import REV1

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def test_the_seed_revision_in_un_layout(seeded_engine: Engine) -> None:
    with unit_of_work(seeded_engine) as session:
        exported = documents.revision_docx(session, PUBLIC, "nyd", None)
        revision = documents.revision_model(session, PUBLIC, "nyd", None)
    assert exported.filename == "nyd-Adopted-text.docx"
    document = docx.Document(BytesIO(exported.content))
    section = document.sections[0]
    assert (section.page_width.twips, section.page_height.twips) == (11906, 16838)  # A4
    assert "A/RES/70/302" in section.header.paragraphs[0].text
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "United Nations\tA/RES/70/302"
    assert {"Distr.: General", "2016-09-09", "Original: Chinese"} <= set(texts[:5])
    body = [t for t in texts if t]
    cursor = 0
    for para in revision.paragraphs:  # every paragraph, numbered as printed, in document order
        cursor = next(i for i in range(cursor, len(body)) if body[i].startswith(printed_text(para))) + 1

    with zipfile.ZipFile(BytesIO(exported.content)) as package:
        notes = etree.fromstring(package.read("word/footnotes.xml"))
        main = etree.fromstring(package.read("word/document.xml"))
    written = [n for n in notes.iter(f"{W}footnote") if n.get(f"{W}type") is None]
    assert len(written) == sum(len(p.footnotes) for p in revision.paragraphs) > 0
    assert len(main.findall(f".//{W}footnoteReference")) == len(written)
    bookmarks = {b.get(f"{W}name") for b in main.iter(f"{W}bookmarkStart")}
    assert {p.eid[:40] for p in revision.paragraphs} <= bookmarks


def test_statuses_elements_and_brackets_are_marked(gcm: Engine) -> None:  # noqa: F811
    with unit_of_work(gcm) as session:
        content = documents.revision_docx(session, PUBLIC, "gcm", REV1).content
    document = docx.Document(BytesIO(content))
    bracketed = next(p for p in document.paragraphs if p.text.startswith("4bis."))
    assert bracketed.text.endswith("[Bracketed · elements (c)]")
    shading = bracketed._p.find(f"{W}pPr/{W}shd")
    assert shading is not None and shading.get(f"{W}fill") == "FFF2CC"
    bold = [run.text for run in bracketed.runs if run.bold]
    assert bold == ["[trafficking in persons]", "[human trafficking]"]
    agreed = next(p for p in document.paragraphs if p.text.startswith("4.\t"))
    assert agreed.text.endswith("[Agreed · elements (c)]") and agreed._p.find(f"{W}pPr/{W}shd") is None
