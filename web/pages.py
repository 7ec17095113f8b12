"""Reading pages: the processes, one process, and a revision as negotiators know the document."""

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from api.services import read_keys, revisions, workspace
from web.cached import cached_page
from web.context import WebContext
from web.csrf import check_csrf
from web.forms import see_other
from web.outline import outline
from web.templating import render, revision_url

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])


@router.get("/")
def home(request: Request, context: WebContext) -> Response:
    """Every process, with its latest revision."""
    processes = revisions.list_processes(context.session)
    return render(request, "processes.html", {"processes": processes}, actor=context.actor)


@router.get("/processes/{slug}")
def process_page(slug: str, request: Request, context: WebContext) -> Response:
    """One process: what the reader may do, its revisions and its mandate."""
    overview = revisions.process_overview(context.session, context.actor, slug)
    standing = workspace.standing(context.session, context.actor, slug)
    page = {"overview": overview, "standing": standing, "nav": "overview"}
    fragments = {"revision-list": "fragments/revision_list.html"}
    return render(request, "process.html", page, actor=context.actor, fragments=fragments)


@router.get("/processes/{slug}/current")
def current_revision(slug: str, context: WebContext) -> Response:
    """The latest published revision (a stable link that always shows the current text)."""
    current = workspace.standing(context.session, context.actor, slug).current_label
    return see_other(revision_url(slug, current) if current else f"/processes/{slug}")


@router.get("/processes/{slug}/revisions/{label}")
def revision_page(slug: str, label: str, request: Request, context: WebContext) -> Response:
    """The reading view of a revision: parts, headings, numbered paragraphs, brackets, status and tags."""
    session, actor = context.session, context.actor

    def shell() -> dict[str, Any]:
        standing = workspace.standing(session, actor, slug)
        is_current = standing.current_label == label
        return {"standing": standing, "nav": "text", "label": label, "is_current": is_current}

    def load() -> dict[str, Any]:
        view = revisions.get_revision_view(session, actor, slug, label)
        pending = workspace.pending_counts(session, actor, slug)
        return {"view": view, "toc": outline(view.paragraphs), "pending": pending}

    key = read_keys.read_key(session, actor, slug)
    return cached_page(request, "revision.html", shell, actor=actor, key=key, load=load)
