"""Text-engine commands: `accord align OLD NEW` and `accord diff OLD NEW` (contracts in docs/ENGINE.md)."""

import json
import sys
from enum import StrEnum
from typing import Annotated

import typer

from api.cli.base import app, fail, read_text_file
from api.domain.errors import AccordError
from api.domain.text import DocumentRedline, align, redline_document, render_page, split_paragraphs
from api.services import imports


class AlignFormat(StrEnum):
    """Output formats of `accord align`."""

    json = "json"
    text = "text"


class Reading(StrEnum):
    """How `accord align` cuts a file into paragraphs."""

    blocks = "blocks"
    import_ = "import"


class DiffFormat(StrEnum):
    """Output formats of `accord diff`."""

    json = "json"
    html = "html"
    text = "text"


OldFile = Annotated[str, typer.Argument(help="The earlier revision: a UTF-8 text or Markdown file.")]
NewFile = Annotated[str, typer.Argument(help="The later revision: a UTF-8 text or Markdown file.")]


@app.command("align")
def align_command(
    old: OldFile,
    new: NewFile,
    output: Annotated[
        AlignFormat, typer.Option("--format", help="json (the contract) or text.")
    ] = AlignFormat.json,
    reading: Annotated[
        Reading,
        typer.Option("--read", help="blocks (separated by blank lines) or import (as an import reads them)."),
    ] = Reading.blocks,
) -> None:
    """Map the paragraphs (blocks separated by blank lines) of two revisions; prints JSON by default."""
    if reading == Reading.import_:
        try:
            old_blocks = imports.draft_blocks(read_text_file(old), old)
            new_blocks = imports.draft_blocks(read_text_file(new), new)
        except AccordError as error:
            fail(error.message)
        alignment = imports.propose_alignment(
            [(b.text, b.number) for b in old_blocks], [(b.text, b.number) for b in new_blocks]
        )
    else:
        old_paragraphs, new_paragraphs = _read_pair(old, new)
        alignment = align(old_paragraphs, new_paragraphs)
    if output == AlignFormat.json:
        _write(json.dumps(alignment.to_json(), ensure_ascii=False, indent=2) + "\n")
        return
    lines = [f"{p.old} -> {p.new} {p.kind}" for p in alignment.pairs]
    lines += [f"{s.old} -> {', '.join(map(str, s.new))} split" for s in alignment.splits]
    lines += [f"{', '.join(map(str, m.old))} -> {m.new} merged" for m in alignment.merges]
    lines += [f"{i} -> - deleted" for i in alignment.deleted]
    lines += [f"- -> {j} inserted" for j in alignment.inserted]
    _write("\n".join(lines) + "\n")


@app.command("diff")
def diff_command(
    old: OldFile,
    new: NewFile,
    output: Annotated[
        DiffFormat, typer.Option("--format", help="json (default), html or text.")
    ] = DiffFormat.json,
) -> None:
    """Redline two revisions: aligned paragraphs, then word (CJK: character) diffs."""
    old_paragraphs, new_paragraphs = _read_pair(old, new)
    redline = redline_document(old_paragraphs, new_paragraphs)
    if output == DiffFormat.html:
        _write(render_page(redline, title=f"Redline: {old} → {new}"))
    elif output == DiffFormat.text:
        _write(_as_text(redline))
    else:
        _write(json.dumps(_as_json(redline), ensure_ascii=False, indent=2) + "\n")


def _read_pair(old: str, new: str) -> tuple[list[str], list[str]]:
    try:
        return split_paragraphs(read_text_file(old)), split_paragraphs(read_text_file(new))
    except AccordError as error:
        fail(error.message)


def _as_json(redline: DocumentRedline) -> dict[str, object]:
    return {
        "exact": redline.exact,
        "paragraphs": [
            {
                "kind": entry.kind,
                "old": list(entry.old),
                "new": list(entry.new),
                "ops": [{"op": op.kind, "text": op.text} for op in entry.ops],
            }
            for entry in redline.entries
        ],
    }


def _as_text(redline: DocumentRedline) -> str:
    """wdiff style: [-struck-] and {+added+}, one paragraph per block."""
    marks = {"equal": ("", ""), "delete": ("[-", "-]"), "insert": ("{+", "+}")}
    blocks = []
    for entry in redline.entries:
        body = "".join(marks[op.kind][0] + op.text + marks[op.kind][1] for op in entry.ops)
        label = "" if entry.kind in ("unchanged", "modified") else f"({entry.kind}) "
        blocks.append(label + body)
    return "\n\n".join(blocks) + "\n"


def _write(text: str) -> None:
    sys.stdout.write(text)
