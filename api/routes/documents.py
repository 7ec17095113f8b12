"""Documents to download: a revision, a comparison and the compilation as Word files."""

from fastapi import APIRouter, Response, UploadFile

from api.http import Context, file_response
from api.routes.history import FromLabel, ToLabel
from api.services import documents
from api.services.documents import FileOut

router = APIRouter(tags=["documents"])
DOCX = {"content": {documents.DOCX: {}}, "description": "a Word file"}


def _send(found: FileOut) -> Response:
    return file_response(found.filename, found.media_type, found.content)


@router.get(
    "/processes/{slug}/revisions/{label}.docx",
    response_class=Response,
    responses={200: DOCX},
    summary="A revision as Word",
)
def revision_docx(slug: str, label: str, context: Context) -> Response:
    """The revision in UN layout: masthead, numbered paragraphs, footnotes, brackets, statuses, elements."""
    return _send(documents.revision_docx(context.session, context.actor, slug, label))


@router.get(
    "/processes/{slug}/compare.docx",
    response_class=Response,
    responses={200: DOCX},
    summary="A redline as Word",
)
def compare_docx(slug: str, from_label: FromLabel, to_label: ToLabel, context: Context) -> Response:
    """The changes between two revisions as real Word tracked changes, each credited to its proposal."""
    return _send(documents.redline_docx(context.session, context.actor, slug, from_label, to_label))


@router.get(
    "/processes/{slug}/compilation.docx",
    response_class=Response,
    responses={200: DOCX},
    summary="The compilation text as Word",
)
def compilation_docx(slug: str, context: Context) -> Response:
    """The proposals per paragraph as a table: paragraph | proposal with redline and sponsors | ruling."""
    return _send(documents.compilation_docx(context.session, context.actor, slug))


AKN = {"content": {documents.AKN_XML: {}}, "description": "an Akoma Ntoso 3.0 document"}


@router.get(
    "/processes/{slug}/revisions/{label}.akn.xml",
    response_class=Response,
    responses={200: AKN},
    summary="A revision as Akoma Ntoso",
)
def revision_akn(slug: str, label: str, context: Context) -> Response:
    """AKN4UN: <statement name="resolutionDraft"> with FRBR IRIs, eIds and wIds, statuses and brackets."""
    return _send(documents.revision_akn(context.session, context.actor, slug, label))


@router.get(
    "/processes/{slug}/compilation.akn.xml",
    response_class=Response,
    responses={200: AKN},
    summary="The compilation as Akoma Ntoso",
)
def compilation_akn(slug: str, context: Context) -> Response:
    """AKN4UN: the compilation text as an <amendmentList> of <amendment>s."""
    return _send(documents.compilation_akn(context.session, context.actor, slug))


PDF = {"content": {documents.PDF: {}}, "description": "a PDF (A4), printed by LibreOffice"}


@router.get(
    "/processes/{slug}/revisions/{label}.pdf",
    response_class=Response,
    responses={200: PDF},
    summary="A revision as PDF",
)
def revision_pdf(slug: str, label: str, context: Context) -> Response:
    """The revision on A4, symbol in the running head, page numbers (503 if LibreOffice is missing)."""
    return _send(documents.revision_pdf(context.session, context.actor, slug, label))


@router.get(
    "/processes/{slug}/compare.pdf", response_class=Response, responses={200: PDF}, summary="A redline as PDF"
)
def compare_pdf(slug: str, from_label: FromLabel, to_label: ToLabel, context: Context) -> Response:
    """The redline printed in UN style: deletions struck through, insertions bold and underlined."""
    return _send(documents.redline_pdf(context.session, context.actor, slug, from_label, to_label))


@router.get(
    "/processes/{slug}/compilation.pdf",
    response_class=Response,
    responses={200: PDF},
    summary="The compilation as PDF",
)
def compilation_pdf(slug: str, context: Context) -> Response:
    """The compilation table printed on A4 landscape."""
    return _send(documents.compilation_pdf(context.session, context.actor, slug))


@router.post(
    "/processes/{slug}/proposals/from-docx",
    response_model=documents.WordProposals,
    summary="Read proposals out of a tracked-changes Word file",
)
def proposals_from_docx(slug: str, file: UploadFile, context: Context) -> documents.WordProposals:
    """One proposal per changed paragraph, with its redline, for the delegation to confirm: nothing is tabled.

    Table the ones you confirm with POST …/proposals. Word comments become justifications; a file made
    against another revision is reported (`other_revision`); a file that is not a safe .docx is a 422.
    """
    data = file.file.read(documents.MAX_UPLOAD_BYTES + 1)
    return documents.proposals_from_docx(
        context.session, context.actor, slug, file.filename or "upload", data
    )
