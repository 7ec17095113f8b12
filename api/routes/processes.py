"""Processes and their revisions (read)."""

from fastapi import APIRouter, Query

from api.http import Context
from api.services import revisions
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
def get_revision(slug: str, label: str, context: Context) -> RevisionView:
    """A revision with all its paragraphs (keys, numbers, texts, statuses, element tags)."""
    return revisions.get_revision_view(context.session, context.actor, slug, label)


@router.get("/processes/{slug}/current", response_model=RevisionView, summary="Latest published revision")
def get_current_revision(
    slug: str, context: Context, label: str | None = Query(default=None)
) -> RevisionView:
    """The latest published revision (or the one named by ?label=)."""
    return revisions.get_revision_view(context.session, context.actor, slug, label)
