"""Observers' reading of change: compare, lineage, coverage, progress (public reads of published texts)."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from api.caching import cached_json
from api.http import Context
from api.services import coverage, history, read_keys
from api.services.history_schemas import (
    AgreementProgress,
    CoverageComparison,
    CoverageMatrix,
    ParagraphHistory,
    RevisionComparison,
    RevisionCoverage,
)

router = APIRouter(tags=["history"])

FromLabel = Annotated[str, Query(alias="from", description="label of the older revision, e.g. Zero draft")]
ToLabel = Annotated[str, Query(alias="to", description="label of the newer revision, e.g. Rev.1")]


@router.get("/processes/{slug}/compare", response_model=RevisionComparison, summary="Compare two revisions")
def compare_revisions(
    slug: str, from_label: FromLabel, to_label: ToLabel, request: Request, context: Context
) -> Response:
    """Every paragraph of two revisions, matched by identity and lineage, with its change and redline."""
    session, actor = context.session, context.actor
    key = read_keys.read_key(session, actor, slug)
    return cached_json(
        request, key, lambda: history.compare_revisions(session, actor, slug, from_label, to_label)
    )


@router.get(
    "/processes/{slug}/paragraphs/{key}/history",
    response_model=ParagraphHistory,
    summary="A paragraph's history",
)
def paragraph_history(slug: str, key: str, request: Request, context: Context) -> Response:
    """A paragraph in every revision: number, text, status, elements, redlines, lineage and proposals."""
    session, actor = context.session, context.actor
    read_key = read_keys.read_key(session, actor, slug)
    return cached_json(request, read_key, lambda: history.paragraph_history(session, actor, slug, key))


@router.get("/processes/{slug}/coverage", response_model=RevisionCoverage, summary="Mandate coverage")
def revision_coverage(
    slug: str,
    context: Context,
    revision: Annotated[
        str | None, Query(description="revision label; default: the latest published")
    ] = None,
) -> RevisionCoverage:
    """Each element of the mandate with the paragraphs of the revision that address it."""
    return coverage.revision_coverage(context.session, context.actor, slug, revision)


@router.get(
    "/processes/{slug}/coverage/compare",
    response_model=CoverageComparison,
    summary="Compare mandate coverage",
)
def compare_coverage(
    slug: str, from_label: FromLabel, to_label: ToLabel, context: Context
) -> CoverageComparison:
    """Elements gained, lost and reworded between two revisions."""
    return coverage.compare_coverage(context.session, context.actor, slug, from_label, to_label)


@router.get("/processes/{slug}/coverage/matrix", response_model=CoverageMatrix, summary="Coverage matrix")
def coverage_matrix(slug: str, context: Context) -> CoverageMatrix:
    """Elements × published revisions: how many paragraphs address each element."""
    return coverage.coverage_matrix(context.session, slug)


@router.get("/processes/{slug}/progress", response_model=AgreementProgress, summary="Agreement progress")
def agreement_progress(slug: str, context: Context) -> AgreementProgress:
    """Per published revision: brackets and paragraph statuses, whole and per part and section."""
    return coverage.agreement_progress(context.session, slug)
