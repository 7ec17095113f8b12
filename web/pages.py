"""Reading pages: the processes, one process, and a revision as negotiators know the document."""

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from api.services import read_keys, revisions, workspace
from api.services.context import RequestContext
from web import i18n, sealed
from web.cached import cached_page
from web.context import WebContext
from web.csrf import check_csrf
from web.forms import see_other
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
    locale = i18n.locale_of(request)
    key = read_keys.read_key(context.session, context.actor, slug)
    return cached_page(
        request,
        context,
        "revision.html",
        lambda: revision_shell(context, slug, label),
        key=key,
        document=lambda around: revision_document(request, context, slug, label, locale, around),
    )


def revision_shell(context: RequestContext, slug: str, label: str) -> dict[str, Any]:
    """What the page around a revision shows: the reader's standing in the process."""
    standing = workspace.standing(context.session, context.actor, slug)
    is_current = standing.current_label == label
    return {"standing": standing, "nav": "text", "label": label, "is_current": is_current}


def revision_document(
    request: Request, context: RequestContext, slug: str, label: str, locale: str, around: Mapping[str, Any]
) -> str:
    """A revision's document: its sealed body, with the notice and the proposal counts filled in."""
    session, actor = context.session, context.actor
    standing: workspace.Standing = around["standing"]
    propose = standing.can_propose and around["is_current"]
    _revision_id, content_hash = revisions.revision_seal(session, actor, slug, label)
    where = sealed.revision_sealed(content_hash, slug, label, locale, propose)
    edit = standing.can_facilitate

    def render() -> str:
        return sealed.revision_body(context, slug, label, locale, propose, edit)

    values = sealed.revision_slots(
        locale,
        slug,
        label,
        published=content_hash is not None,
        current_label=standing.current_label,
        propose=propose,
        pending=workspace.pending_counts(session, actor, slug),
    )
    return sealed.fill(sealed.body(request, context, where, render), values)
