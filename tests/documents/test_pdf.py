"""PDF out, printed by LibreOffice from our Word files: A4, running head, page numbers, Chinese in a CJK font.

Pages are rendered to PNG (pdftoppm) under test-artifacts/ for a person to look at. The database plays no
part in printing (the documents are built the same on both engines, as the DOCX tests show), so this runs
on SQLite only: each LibreOffice start costs seconds.
"""

import shutil
import subprocess
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api.db import unit_of_work
from api.services import documents
from api.services.actors import PUBLIC
from tests.documents.office import soffice
from tests.documents.test_documents_api import play_round

pytestmark = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def poppler(tool: str, *args: str) -> str:
    """Run a poppler-utils tool (Debian's poppler-utils, beside LibreOffice)."""
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} (poppler-utils) is not installed")
    return subprocess.run([tool, *args], check=True, capture_output=True, text=True, timeout=60).stdout


def keep(pdf: bytes, name: str, pages: tuple[int, ...] = (1,)) -> Path:
    """Keep the PDF and PNGs of some of its pages as test artefacts."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.pdf"
    path.write_bytes(pdf)
    for page in pages:
        poppler(
            "pdftoppm", "-r", "70", "-png", "-f", str(page), "-l", str(page), str(path), str(ARTIFACTS / name)
        )
    return path


def test_the_seed_revision_prints_on_a4_with_chinese_in_a_cjk_font(seeded_engine: Engine) -> None:
    soffice()
    with unit_of_work(seeded_engine) as session:
        printed = documents.revision_pdf(session, PUBLIC, "nyd", None)
        revision = documents.revision_model(session, PUBLIC, "nyd", None)
    assert printed.filename == "nyd-Adopted-text.pdf" and printed.content.startswith(b"%PDF")
    path = keep(printed.content, "seed-revision", pages=(1, 3))
    info = poppler("pdfinfo", str(path))
    assert "pts (A4)" in info
    pages = int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])
    assert pages > 10
    fonts = poppler("pdffonts", str(path))
    assert "NotoSerifCJK" in fonts.replace(" ", "")  # Chinese set in the CJK font, embedded
    text = poppler("pdftotext", "-layout", str(path), "-")
    sheets = text.split("\f")
    assert all("A/RES/70/302" in sheet for sheet in sheets if sheet.strip())  # the running head
    assert [str(n) in sheets[n - 1].split() for n in (1, 2, pages)] == [True, True, True]  # page numbers
    para1 = next(p for p in revision.paragraphs if p.key == "body-1")
    assert para1.text[:12] in text.replace("\n", "").replace(" ", "")


def test_the_redline_prints_in_un_style(client: TestClient) -> None:
    soffice()
    play_round(client)
    response = client.get("/api/v1/processes/gcm/compare.pdf", params={"from": "Zero draft", "to": "Rev.1"})
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    path = keep(response.content, "gcm-redline")
    text = poppler("pdftotext", str(path), "-")
    assert "Rev.1 — changes since Zero draft" in text and "interconnected" in text and "globalized" in text
