"""Documents to download (a revision, a comparison, the compilation as Word, PDF or Akoma Ntoso) and Word in.

The downloads differ only in what they read and the format they write, so they are registered from one
table: the URLs and the operation ids (route name + path) are those the routes always had.
"""

from collections.abc import Callable
from dataclasses import dataclass

from fastapi import APIRouter, Response, UploadFile

from api.http import Context, file_response
from api.routes.history import FromLabel, ToLabel
from api.services import documents
from api.services.documents import FileOut

router = APIRouter(tags=["documents"])


@dataclass(frozen=True)
class Format:
    """A download format: the name its routes carry, its media type, how it is described."""

    name: str
    media_type: str
    description: str
    word: str  # as in "A revision as Word"


FORMATS = {
    "docx": Format("docx", documents.DOCX, "a Word file", "Word"),
    "akn.xml": Format("akn", documents.AKN_XML, "an Akoma Ntoso 3.0 document", "Akoma Ntoso"),
    "pdf": Format("pdf", documents.PDF, "a PDF (A4), printed by LibreOffice", "PDF"),
}
# Each download's format and description, in the order they are listed.
REVISION = (
    (
        "docx",
        "The revision in UN layout: masthead, numbered paragraphs, footnotes, brackets, statuses, elements.",
    ),
    (
        "akn.xml",
        'AKN4UN: <statement name="resolutionDraft"> with FRBR IRIs, eIds and wIds, statuses and brackets.',
    ),
    ("pdf", "The revision on A4, symbol in the running head, page numbers (503 if LibreOffice is missing)."),
)
COMPARE = (
    (
        "docx",
        "The changes between two revisions as real Word tracked changes, each credited to its proposal.",
    ),
    ("pdf", "The redline printed in UN style: deletions struck through, insertions bold and underlined."),
)
COMPILATION = (
    (
        "docx",
        "The proposals per paragraph as a table: paragraph | proposal with redline and sponsors | ruling.",
    ),
    ("akn.xml", "AKN4UN: the compilation text as an <amendmentList> of <amendment>s."),
    ("pdf", "The compilation table printed on A4 landscape."),
)


def _send(found: FileOut) -> Response:
    return file_response(found.filename, found.media_type, found.content)


def _add(
    path: str, name: str, fmt: Format, summary: str, description: str, endpoint: Callable[..., Response]
) -> None:
    router.add_api_route(
        path,
        endpoint,
        methods=["GET"],
        name=name,
        response_class=Response,
        responses={200: {"content": {fmt.media_type: {}}, "description": fmt.description}},
        summary=summary,
        description=description,
    )


def _revision(extension: str, description: str) -> None:
    make = documents.REVISION_FILES[extension]

    def endpoint(slug: str, label: str, context: Context) -> Response:
        return _send(make(context.session, context.actor, slug, label))

    fmt = FORMATS[extension]
    path = f"/processes/{{slug}}/revisions/{{label}}.{extension}"
    _add(path, f"revision_{fmt.name}", fmt, f"A revision as {fmt.word}", description, endpoint)


def _compare(extension: str, description: str) -> None:
    make = documents.REDLINE_FILES[extension]

    def endpoint(slug: str, from_label: FromLabel, to_label: ToLabel, context: Context) -> Response:
        return _send(make(context.session, context.actor, slug, from_label, to_label))

    fmt = FORMATS[extension]
    path = f"/processes/{{slug}}/compare.{extension}"
    _add(path, f"compare_{fmt.name}", fmt, f"A redline as {fmt.word}", description, endpoint)


def _compilation(extension: str, description: str) -> None:
    make = documents.COMPILATION_FILES[extension]

    def endpoint(slug: str, context: Context) -> Response:
        return _send(make(context.session, context.actor, slug))

    fmt = FORMATS[extension]
    path = f"/processes/{{slug}}/compilation.{extension}"
    _add(path, f"compilation_{fmt.name}", fmt, f"The compilation as {fmt.word}", description, endpoint)


for _extension, _description in REVISION:
    _revision(_extension, _description)
for _extension, _description in COMPARE:
    _compare(_extension, _description)
for _extension, _description in COMPILATION:
    _compilation(_extension, _description)


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
