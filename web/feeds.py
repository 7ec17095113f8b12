"""An Atom feed per process: published revisions and (once the compilation is released) rulings."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.services import workspace
from web.context import WebContext
from web.i18n import use_locale
from web.templating import templates

router = APIRouter(include_in_schema=False)


@router.get("/processes/{slug}/feed.atom")
def atom_feed(slug: str, request: Request, context: WebContext) -> Response:
    """The process's feed, newest first (readers subscribe without signing in)."""
    feed = workspace.feed(context.session, context.actor, slug)
    use_locale("en")
    base = str(request.base_url).rstrip("/")
    body = templates.get_template("feed.xml").render(feed=feed, base=base)
    return Response(body, media_type="application/atom+xml; charset=utf-8")
