"""HTML pages: the list of processes and the reading view of a revision."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.http import Context
from api.services import revisions
from web.templating import templates

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, context: Context) -> Response:
    """Every process, with its latest revision."""
    processes = revisions.list_processes(context.session)
    return templates.TemplateResponse(
        request, "processes.html", {"processes": processes, "actor": context.actor}
    )


@router.get("/processes/{slug}", response_class=HTMLResponse)
def process_page(slug: str, request: Request, context: Context) -> Response:
    """One process: its mandate and its revisions."""
    overview = revisions.process_overview(context.session, context.actor, slug)
    return templates.TemplateResponse(request, "process.html", {"overview": overview, "actor": context.actor})


@router.get("/processes/{slug}/revisions/{label}", response_class=HTMLResponse)
def revision_page(slug: str, label: str, request: Request, context: Context) -> Response:
    """The reading view of a revision, as negotiators know the document."""
    view = revisions.get_revision_view(context.session, context.actor, slug, label)
    return templates.TemplateResponse(request, "revision.html", {"view": view, "actor": context.actor})
