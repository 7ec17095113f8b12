"""The working copy, publishing, importing, and verification."""

from typing import Annotated

from fastapi import APIRouter, Body, Query, Request, UploadFile

from api.http import Context, VerificationThrottle, render_publication
from api.services import imports, publishing, verification, working_copy
from api.services.inputs import ImportReview, ParagraphEdit, PublishInput
from api.services.schemas import (
    ImportView,
    ParagraphView,
    PublishPreview,
    PublishReport,
    RevisionView,
    VerificationView,
)

router = APIRouter(tags=["revisions"])


@router.get("/processes/{slug}/working-copy", response_model=RevisionView, summary="The working copy")
def get_working_copy(slug: str, context: Context) -> RevisionView:
    """The next revision in preparation, if open (404 otherwise); co-facilitators only."""
    return working_copy.working_copy_view(context.session, context.actor, slug)


@router.post("/processes/{slug}/working-copy", response_model=RevisionView, summary="Open the working copy")
def open_working_copy(slug: str, context: Context) -> RevisionView:
    """Open the next revision's working copy as a copy of the current one (no-op if already open)."""
    return working_copy.open_working_copy_view(context.session, context.actor, slug)


@router.patch(
    "/processes/{slug}/working-copy/paragraphs/{key}",
    response_model=ParagraphView,
    summary="Edit a paragraph",
)
def edit_paragraph(slug: str, key: str, data: ParagraphEdit, context: Context) -> ParagraphView:
    """Compromise text, status, element tags; a stale lock_version is refused with 409."""
    return working_copy.edit_paragraph(context.session, context.actor, slug, key, data)


@router.get(
    "/processes/{slug}/working-copy/paragraphs/{key}/suggestions",
    response_model=list[tuple[str, float]],
    summary="Suggested mandate elements",
)
def suggest_elements(slug: str, key: str, context: Context) -> list[tuple[str, float]]:
    """Elements the paragraph likely addresses, ranked, for a person to confirm."""
    return working_copy.suggest_elements(context.session, context.actor, slug, key)


@router.post("/processes/{slug}/revisions", response_model=PublishReport, status_code=201, summary="Publish")
def publish(slug: str, data: PublishInput, request: Request, context: Context) -> PublishReport:
    """Publish the working copy as the next revision; pending proposals are carried or flagged."""
    report = publishing.publish(context.session, context.actor, slug, data)
    render_publication(request, context, slug, report.revision.label)
    return report


@router.post(
    "/processes/{slug}/imports", response_model=ImportView, status_code=201, summary="Import a draft"
)
def import_draft(slug: str, file: UploadFile, context: Context) -> ImportView:
    """Upload a .txt or .md draft; it is aligned to the previous revision and waits for confirmation."""
    data = file.file.read()
    return imports.import_revision(context.session, context.actor, slug, file.filename or "upload", data)


@router.get("/processes/{slug}/imports/current", response_model=ImportView, summary="The imported draft")
def get_import(slug: str, context: Context) -> ImportView:
    """The imported draft with its proposed alignment."""
    return imports.import_view(context.session, context.actor, slug)


@router.post(
    "/processes/{slug}/imports/current/confirm", response_model=ImportView, summary="Confirm alignment"
)
def confirm_import(
    slug: str,
    context: Context,
    corrections: Annotated[dict[int, str | None], Body(embed=True)] = {},  # noqa: B006
    splits: Annotated[dict[int, str], Body(embed=True)] = {},  # noqa: B006
    merges: Annotated[dict[int, list[str]], Body(embed=True)] = {},  # noqa: B006
    confirmed: Annotated[list[int], Body(embed=True)] = [],  # noqa: B006
    preambular: Annotated[list[int] | None, Body(embed=True)] = None,
) -> ImportView:
    """Confirm the alignment, correcting it: `corrections` {index: old key, or null for a new paragraph};
    `splits` {index: old key it is a further part of}; `merges` {index: [other old keys it continues]};
    `confirmed` [indices whose proposed link a person checked]; `preambular` [indices of the preambular
    paragraphs, every other one operative; left out, the marks read from the text stay]. An old paragraph
    no one continues is deleted.
    """
    review = ImportReview(splits=splits, merges=merges, confirmed=confirmed, preambular=preambular)
    return imports.confirm_import(context.session, context.actor, slug, corrections, review)


@router.get(
    "/processes/{slug}/working-copy/publish-preview",
    response_model=PublishPreview,
    summary="Preview publishing",
)
def preview_publish(slug: str, context: Context, label: str = "") -> PublishPreview:
    """What publishing the working copy now would do to each pending proposal; changes nothing."""
    return publishing.preview(context.session, context.actor, slug, label)


EarlierHead = Annotated[
    str | None,
    Query(pattern="^[0-9a-f]{64}$", description="a head_hash published earlier: is it still in the chain?"),
]


@router.get("/processes/{slug}/verify", response_model=VerificationView, summary="Verify the history")
def verify(
    _throttle: VerificationThrottle, request: Request, slug: str, context: Context, since: EarlierHead = None
) -> VerificationView:
    """The audit chain, this process's revision hashes and the facts of the record, checked; anyone may ask.

    Cached by chain head and limited per address; `accord verify` recomputes everything every time."""
    return verification.verify_view(context.session, slug, since, request.app.state.verify_cache)
