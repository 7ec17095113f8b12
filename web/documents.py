"""Downloads for the reader signed in on the web (same rules as the API), and the public AKN IRIs."""

import uuid
from collections.abc import Iterable
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, UploadFile
from fastapi.responses import Response

from api.domain.documents.akn import Work
from api.http import file_response
from api.services import documents, workspace
from api.services.documents import FileOut
from web.context import WebContext
from web.csrf import check_csrf
from web.forms import see_other
from web.templating import render, revision_url

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])
IRI = "/akn/un/statement/deliberation/{author}/{date}/{number}/{language}@{version}"


def _send(found: FileOut) -> Response:
    return file_response(found.filename, found.media_type, found.content)


def _unknown(fmt: str, known: Iterable[str]) -> Response:
    return Response(f"unknown format {fmt!r}; one of {', '.join(known)}", status_code=404)


@router.get("/processes/{slug}/revisions/{label}/document.{fmt}")
def revision_document(slug: str, label: str, fmt: str, context: WebContext) -> Response:
    """The revision as Word, PDF or Akoma Ntoso."""
    make = documents.REVISION_FILES.get(fmt)
    if make is None:
        return _unknown(fmt, documents.REVISION_FILES)
    return _send(make(context.session, context.actor, slug, label))


@router.get("/processes/{slug}/compare/document.{fmt}")
def compare_document(
    slug: str,
    fmt: str,
    context: WebContext,
    older: Annotated[str, Query(alias="from", max_length=64)],
    newer: Annotated[str, Query(alias="to", max_length=64)],
) -> Response:
    """The redline between two revisions as real Word tracked changes, or printed to PDF."""
    make = documents.REDLINE_FILES.get(fmt)
    if make is None:
        return _unknown(fmt, documents.REDLINE_FILES)
    return _send(make(context.session, context.actor, slug, older, newer))


@router.get("/processes/{slug}/compilation/document.{fmt}")
def compilation_document(slug: str, fmt: str, context: WebContext) -> Response:
    """The compilation text as a Word table, its PDF, or an AKN amendment list."""
    make = documents.COMPILATION_FILES.get(fmt)
    if make is None:
        return _unknown(fmt, documents.COMPILATION_FILES)
    return _send(make(context.session, context.actor, slug))


@router.post("/processes/{slug}/desk/word")
def word_proposals(slug: str, file: UploadFile, request: Request, context: WebContext) -> Response:
    """A delegation's tracked-changes Word file read into proposals, each shown to confirm before tabling."""
    data = file.file.read(documents.MAX_UPLOAD_BYTES + 1)
    found = documents.proposals_from_docx(
        context.session, context.actor, slug, file.filename or "x.docx", data
    )
    standing = workspace.standing(context.session, context.actor, slug)
    page = {
        "standing": standing,
        "nav": "desk",
        "found": found,
        "doc_lang": standing.document_language,
        "keys": [uuid.uuid4().hex for _ in found.proposals],  # one submission each, however often clicked
    }
    return render(request, "word_proposals.html", page, actor=context.actor)


@router.get(IRI + "/!main")
def iri_revision(author: str, date: str, number: str, version: str, context: WebContext) -> Response:
    """A revision's AKN IRI resolves to its reading page (stable: labels never change once published)."""
    label = documents.resolve_expression(context.session, context.actor, Work(author, date, number), version)
    return see_other(revision_url(author, label))


@router.get(IRI + "/!main.xml")
def iri_revision_xml(author: str, date: str, number: str, version: str, context: WebContext) -> Response:
    """A revision's AKN manifestation: the XML itself."""
    label = documents.resolve_expression(context.session, context.actor, Work(author, date, number), version)
    return _send(documents.revision_akn(context.session, context.actor, author, label))


@router.get(IRI + "/!main~{eid}")
def iri_paragraph(
    author: str, date: str, number: str, version: str, eid: str, context: WebContext
) -> Response:
    """A paragraph's AKN IRI ("Rev.2, para. 12bis": …/eng@rev.2/!main~para_12bis) leads to it in its page."""
    label = documents.resolve_expression(context.session, context.actor, Work(author, date, number), version)
    key = documents.paragraph_key(context.session, context.actor, author, label, eid)
    return see_other(f"{revision_url(author, label)}#{key}")
