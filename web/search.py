"""Searching a process from any of its pages, and going straight to a paragraph as it is cited."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from api.domain.errors import InvalidInput
from api.services import revisions, search, workspace
from web.context import WebContext
from web.csrf import check_csrf
from web.forms import see_other
from web.templating import query, render, revision_url

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])

Text = Annotated[str, Query(max_length=search.MAX_QUERY)]
Label = Annotated[str, Query(max_length=64)]


@router.get("/processes/{slug}/search")
def search_page(
    slug: str, request: Request, context: WebContext, q: Text = "", revision: Label = ""
) -> Response:
    """What a search finds in the texts, proposals and rulings, grouped and linked to each paragraph."""
    session, actor = context.session, context.actor
    page: dict[str, Any] = {
        "standing": workspace.standing(session, actor, slug),
        "nav": "search",
        "search_query": q,
        "scope": revision,
        "revisions": revisions.list_revisions(session, actor, slug),
        "results": None,
        "problem": None,
    }
    if not q.strip():
        return render(request, "search.html", page, actor=actor)
    try:
        page["results"] = search.search(session, actor, slug, q, revision or None)
    except InvalidInput as problem:  # said on the page, beside the box, as a 422
        page["problem"] = problem.message
        return render(request, "search.html", page, actor=actor, status_code=422)
    return render(request, "search.html", page, actor=actor)


@router.get("/processes/{slug}/revisions/{label}/paragraph")
def go_to_paragraph(slug: str, label: str, context: WebContext, number: Text = "") -> Response:
    """The paragraph cited ("12", "OP 12bis", "3.8(b)") in its revision; a search when it is not one."""
    found = search.numbered(context.session, context.actor, slug, label, number)
    if len(found) == 1:
        return see_other(f"{revision_url(slug, label)}#{found[0].key}")
    return see_other(query(f"/processes/{slug}/search", q=number, revision=label))
