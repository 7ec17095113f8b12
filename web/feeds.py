"""What outsiders check Accord with: an Atom feed and the verification page, with the chain head."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from api.http import VerificationThrottle
from api.services import verification, workspace
from api.services.workspace import FeedFilters
from web.context import WebContext
from web.i18n import use_locale
from web.templating import render, templates

router = APIRouter(include_in_schema=False)
FilterValue = Annotated[str | None, Query(max_length=64)]


def feed_filters(
    paragraph: FilterValue = None, delegation: FilterValue = None, group: FilterValue = None
) -> FeedFilters:
    """The feed's filters from the query, for the Atom feed and the feed page alike (empty: none)."""
    return FeedFilters(paragraph=paragraph or None, delegation=delegation or None, group=group or None)


Filters = Annotated[FeedFilters, Depends(feed_filters)]


@router.get("/processes/{slug}/feed.atom")
def atom_feed(
    slug: str,
    request: Request,
    context: WebContext,
    filters: Filters,
) -> Response:
    """The process's feed, newest first (readers subscribe without signing in); links use the public URL."""
    feed = workspace.feed(context.session, context.actor, slug, filters)
    use_locale("en")
    base = request.app.state.settings.public_url.rstrip("/")  # never the request's Host header
    body = templates.get_template("feed.xml").render(feed=feed, base=base)
    return Response(body, media_type="application/atom+xml; charset=utf-8")


@router.get("/processes/{slug}/verify")
def verify_page(
    _throttle: VerificationThrottle,
    slug: str,
    request: Request,
    context: WebContext,
    since: Annotated[str | None, Query(pattern="^[0-9a-f]{64}$")] = None,
) -> Response:
    """The verification of the record, with the chain head to keep (and to check against later)."""
    standing = workspace.standing(context.session, context.actor, slug)
    cache = request.app.state.verify_cache
    report = verification.verify_view(context.session, slug, since, cache)
    page = {"standing": standing, "nav": "verify", "report": report}
    return render(request, "verify.html", page, actor=context.actor)
