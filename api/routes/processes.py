"""Processes and their revisions (read)."""

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from api.caching import cached_json
from api.http import Context
from api.services import read_keys, revisions
from api.services.schemas import ProcessSummary, RevisionSummary, RevisionView

router = APIRouter(tags=["processes"])


@router.get("/processes", response_model=list[ProcessSummary], summary="List processes")
def list_processes(context: Context) -> list[ProcessSummary]:
    """Every negotiation process with its latest published revision."""
    return revisions.list_processes(context.session)


@router.get("/processes/{slug}", response_model=ProcessSummary, summary="One process")
def get_process(slug: str, context: Context) -> ProcessSummary:
    """One process."""
    return revisions.process_summary(context.session, revisions.get_process(context.session, slug))


@router.get("/processes/{slug}/revisions", response_model=list[RevisionSummary], summary="List revisions")
def list_revisions(slug: str, context: Context) -> list[RevisionSummary]:
    """The process's revisions in order (the working copy only for its co-facilitators)."""
    return revisions.list_revisions(context.session, context.actor, slug)


@router.get("/processes/{slug}/revisions/{label}", response_model=RevisionView, summary="One revision")
def get_revision(slug: str, label: str, request: Request, context: Context) -> Response:
    """A revision with all its paragraphs (keys, numbers, texts, statuses, element tags)."""
    return _revision(request, context, slug, label)


@router.get("/processes/{slug}/current", response_model=RevisionView, summary="Latest published revision")
def get_current_revision(
    slug: str, request: Request, context: Context, label: str | None = Query(default=None)
) -> Response:
    """The latest published revision (or the one named by ?label=)."""
    return _revision(request, context, slug, label)


def _revision(request: Request, context: Context, slug: str, label: str | None) -> Response:
    """A published revision is sealed: strong ETag, 304, and its JSON from the render cache."""
    session, actor = context.session, context.actor
    key = read_keys.read_key(session, actor, slug)
    return cached_json(request, key, lambda: revisions.get_revision_view(session, actor, slug, label))
