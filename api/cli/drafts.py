"""`accord drafts build`: derive drafts/nyd/revision.json from the seed text, so the shipped draft stays
reproducible from its source and any change to it shows up as a diff in review."""

import hashlib
import json
from pathlib import Path
from typing import Annotated, Any

import typer

from api.cli.base import app, fail, read_text_file
from api.domain.errors import AccordError, InvalidInput
from api.domain.un_document import Paragraph, ParsedDocument, parse_un_document

REPO_ROOT = Path(__file__).resolve().parents[2]
# The seed ships inside the repository, so a fresh clone alone can rebuild and test the draft.
DEFAULT_SEED = REPO_ROOT / "drafts" / "nyd" / "source" / "000_0fc575c65120479c.txt"
DEFAULT_OUT = REPO_ROOT / "drafts"
REVISION_LABEL = "Adopted text"
REVISION_LANGUAGE = "zh"

drafts_app = typer.Typer(help="Source texts and element lists shipped in drafts/.", no_args_is_help=True)
app.add_typer(drafts_app, name="drafts")

SeedOption = Annotated[Path, typer.Option("--seed", help="UN document text extracted from PDF.")]
OutOption = Annotated[Path, typer.Option("--out", help="drafts folder to write nyd/revision.json into.")]


@drafts_app.command("build")
def build(seed: SeedOption = DEFAULT_SEED, out: OutOption = DEFAULT_OUT) -> None:
    """(Re)write OUT/nyd/revision.json from the seed, byte for byte the same on every run."""
    target = out / "nyd" / "revision.json"
    try:
        document = parse_un_document(read_text_file(str(seed)))
        record = revision_record(document, seed.name, hashlib.sha256(seed.read_bytes()).hexdigest())
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(dump_json(record), encoding="utf-8")
    except AccordError as error:
        fail(error.message)
    except OSError as error:
        fail(f"{error.filename or target}: {error.strerror}")
    typer.echo(f"wrote {target} ({len(document.paragraphs)} paragraphs)")


def revision_record(document: ParsedDocument, source_file: str, source_sha256: str) -> dict[str, Any]:
    """The revision.json record of a parsed document: metadata, source fingerprint, paragraphs in order."""
    if document.symbol is None or document.date is None:
        raise InvalidInput(f"{source_file} names no resolution symbol and adoption date")
    return {
        "label": REVISION_LABEL,
        "symbol": document.symbol,
        "date": document.date,
        "language": REVISION_LANGUAGE,
        "source": {"file": source_file, "sha256": source_sha256},
        "paragraphs": [_paragraph_record(paragraph) for paragraph in document.paragraphs],
    }


def _paragraph_record(paragraph: Paragraph) -> dict[str, Any]:
    return {
        "key": paragraph.key,
        "eid": paragraph.eid,
        "part": paragraph.part,
        "section": paragraph.section,
        "kind": paragraph.kind,
        "number": paragraph.number,
        "text": paragraph.text,
        "footnotes": [{"marker": note.marker, "text": note.text} for note in paragraph.footnotes],
    }


def dump_json(data: Any) -> str:
    """JSON as every file in drafts/ is written: UTF-8 text as is, two-space indent, final newline."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
