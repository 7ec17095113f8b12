"""LibreOffice headless for the document tests, and a reader of the tracked changes in its ODT output.

The reader is a second implementation, on lxml over the OpenDocument XML: it knows nothing of how
Accord wrote the DOCX, only what LibreOffice made of it.
"""

import json
import os
import shutil
import subprocess
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from lxml import etree

from api.domain.documents.model import footnote_token

NS = {
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
}
T = "{" + NS["text"] + "}"
BREAK = "\n"


def soffice() -> str:
    """The LibreOffice binary, or skip (CI installs it: scripts/test.sh)."""
    found = shutil.which("soffice")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice is missing: scripts/test.sh installs libreoffice-writer-nogui")
        pytest.skip("LibreOffice (libreoffice-writer-nogui) is not installed")
    return found


def convert(files: list[Path], target: str, out: Path) -> list[Path]:
    """Convert several files in one LibreOffice run (its start-up is the slow part)."""
    profile = out / "profile"
    subprocess.run(
        [
            soffice(),
            "--headless",
            "--norestore",
            f"-env:UserInstallation={profile.as_uri()}",
            "--convert-to",
            target,
            "--outdir",
            str(out),
            *map(str, files),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    results = [out / f"{f.stem}.{target.split(':')[0]}" for f in files]
    for result in results:
        assert result.exists(), f"LibreOffice did not write {result}"
    return results


@dataclass
class Tracked:
    """What LibreOffice read: the changes with their authors, and the text with all accepted or rejected."""

    authors: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    accepted: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)


def read_odt(path: Path) -> Tracked:
    """The tracked changes of an ODT file, and its text with every change accepted and rejected."""
    with zipfile.ZipFile(path) as odt:
        root = etree.fromstring(odt.read("content.xml"), etree.XMLParser(resolve_entities=False))
    body = root.find(".//office:text", NS)
    assert body is not None
    result = Tracked()
    deleted: dict[str, list[object]] = {}
    for region in body.iterfind("text:tracked-changes/text:changed-region", NS):
        change_id = region.get(T + "id") or ""
        change = region[0]
        result.kinds[change_id] = etree.QName(change).localname
        result.authors[change_id] = change.findtext("office:change-info/dc:creator", "", NS)
        if result.kinds[change_id] == "deletion":
            stream: list[object] = []
            for index, paragraph in enumerate(change.iterfind("text:p", NS)):
                if index:
                    stream.append(BREAK)
                _linear(paragraph, stream)
            deleted[change_id] = stream
    stream = []
    for child in body:
        if child.tag in (T + "p", T + "h", T + "list"):
            _linear(child, stream)
            stream.append(BREAK)
    result.accepted = _resolve(stream, deleted, accept=True)
    result.rejected = _resolve(stream, deleted, accept=False)
    return result


def _linear(element: etree._Element, stream: list[object]) -> None:
    """Text, footnotes, paragraph breaks and change markers in document order."""
    if element.text and element.tag != T + "note":
        stream.append(element.text)
    for child in element:
        tag = child.tag
        if tag in (T + "change-start", T + "change-end", T + "change"):
            stream.append((etree.QName(child).localname, child.get(T + "change-id")))
        elif tag == T + "tab":
            stream.append("\t")
        elif tag == T + "s":
            stream.append(" " * int(child.get(T + "c", "1")))
        elif tag == T + "note":  # a footnote, as the domain's checks write it: [^its text]
            body = child.find("text:note-body", NS)
            stream.append(footnote_token("".join(body.itertext()).strip() if body is not None else ""))
        elif tag in (T + "p", T + "h"):
            _linear(child, stream)
            stream.append(BREAK)
        else:
            _linear(child, stream)
        if child.tail:
            stream.append(child.tail)


def _resolve(stream: list[object], deleted: dict[str, list[object]], accept: bool) -> list[str]:
    text: list[str] = []
    inside_insertion: set[str] = set()
    for item in stream:
        if isinstance(item, tuple):
            kind, change_id = item
            if kind == "change-start" and change_id not in deleted:
                inside_insertion.add(change_id)
            elif kind == "change-end":
                inside_insertion.discard(change_id)
            elif kind == "change" and not accept:
                text.extend(str(part) for part in deleted.get(change_id, []) if not isinstance(part, tuple))
        elif accept or not inside_insertion:
            text.append(str(item))
    return "".join(text).rstrip(BREAK).split(BREAK)


EDIT_SCRIPT = Path(__file__).with_name("libreoffice_edit.py")
SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's, where python3-uno lives; the venv's cannot import uno


def libreoffice_edit(source: Path, target: Path, edits: dict[str, object]) -> Path:
    """Let LibreOffice itself make tracked edits to a Word file (tests/documents/libreoffice_edit.py)."""
    binary = soffice()
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True, check=False)
    if probe.returncode != 0:
        if os.environ.get("CI") == "true":
            pytest.fail("python3-uno is missing: scripts/test.sh installs it")
        pytest.skip("Debian's python3-uno is not installed")
    subprocess.run(
        [SYSTEM_PYTHON, str(EDIT_SCRIPT), str(source), str(target)],
        input=json.dumps({**edits, "soffice": binary}).encode(),
        check=True,
        capture_output=True,
        timeout=180,
    )
    assert target.exists(), "LibreOffice stored nothing"
    return target
