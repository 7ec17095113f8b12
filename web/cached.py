"""Reading pages served as what they are: 304 on a matching ETag, the rendered document from the cache.

A page is a shell (the person, their navigation, the CSRF token) around a document (the revision, the
compare, the history). The document is rendered for an audience, never for a person, and cached under its
read key (content hashes, language, audience); an anonymous reader's whole page is the same for everyone
and is cached whole. Pages without a key (the working copy and what lists it) are rendered live.
"""

from collections.abc import Callable, Mapping
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from api.caching import (
    LIVE_CACHE_CONTROL,
    PRIVATE_CACHE_CONTROL,
    PUBLIC_CACHE_CONTROL,
    RenderCache,
    matches,
    strong_etag,
)
from api.services import rendered_views
from api.services.actors import Actor
from api.services.context import RequestContext
from api.services.read_keys import ReadKey
from web import i18n
from web.context import notice_of
from web.csrf import csrf_token
from web.templating import current_path, render, render_document, render_page, rendered_document

VARY = "Cookie, Accept-Language, HX-Request, HX-Target"


def render_cache(request: Request) -> RenderCache:
    """The application's render cache."""
    cache = request.app.state.render_cache
    assert isinstance(cache, RenderCache)
    return cache


def page_base(template: str, path: str, locale: str, key: ReadKey) -> tuple[object, ...]:
    """What a cached page is a function of (besides, for a signed-in reader, the person)."""
    return (template, path, locale, key.audience, *key.parts)


def stored_page_name(base: tuple[object, ...]) -> str:
    """The name of a public page kept in the database (web/publication.py renders them)."""
    return "page:" + strong_etag(("public", *base)).strip('"')


def public_page(template: str, around: Mapping[str, Any], document: str, locale: str, path: str) -> str:
    """The whole page of an anonymous reader: the same for all of them, no session, no CSRF token."""
    return render_page(template, {**around, "document": rendered_document(document)}, locale, path)


def cached_page(
    request: Request,
    context: RequestContext,
    template: str,
    shell: Callable[[], Mapping[str, Any]],
    *,
    key: ReadKey | None,
    load: Callable[[], Mapping[str, Any]] | None = None,
    document: Callable[[Mapping[str, Any]], str] | None = None,
) -> Response:
    """The page `template` (whose main block is `document`) around its document.

    The document is `documents/<template>` rendered with what `load` gives, or what `document` makes
    of the shell's context (pages whose document is a sealed body with slots: web/sealed.py)."""
    # `shell` gives what the page around the document needs, `load` what the document needs: neither
    # runs for a 304, and neither for a public reader's cached page.
    actor = context.actor
    locale = i18n.locale_of(request)
    path = current_path(request)

    def make(around: Mapping[str, Any]) -> str:
        if document is not None:
            return document(around)
        assert load is not None
        return render_document(f"documents/{template}", {**around, **load()}, locale, path)

    if key is None:
        around = shell()
        live = {**around, "document": rendered_document(make(around))}
        response = render(request, template, live, actor=actor)
        response.headers["Cache-Control"] = LIVE_CACHE_CONTROL
        return response
    public = not actor.is_authenticated
    base = page_base(template, path, locale, key)
    etag = strong_etag(("public", *base) if public else ("private", *base, *_person(request, actor)))
    headers = {"ETag": etag, "Cache-Control": PUBLIC_CACHE_CONTROL if public else PRIVATE_CACHE_CONTROL}
    if matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers={**headers, "Vary": VARY})
    cache = render_cache(request)
    if public:
        page = cache.get(("page", *base)) or _stored_page(request, context, key, base)
        if page is None:
            around = shell()
            page = public_page(template, around, _document(cache, base, make, around), locale, path).encode()
        cache.put(("page", *base), page)
        return HTMLResponse(page, headers={**headers, "Vary": VARY})
    around = shell()
    page_context = {**around, "document": rendered_document(_document(cache, base, make, around))}
    return render(request, template, page_context, actor=actor, headers=headers)


def _document(
    cache: RenderCache,
    base: tuple[object, ...],
    make: Callable[[Mapping[str, Any]], str],
    around: Mapping[str, Any],
) -> str:
    document = cache.get(("document", *base))
    if document is None:
        document = make(around).encode()
        cache.put(("document", *base), document)
    return document.decode()


def _stored_page(
    request: Request, context: RequestContext, key: ReadKey, base: tuple[object, ...]
) -> bytes | None:
    """The public page as the publication that made this state rendered it, if it did."""
    secret = request.app.state.settings.secret_key
    found = rendered_views.find_named(context.session, key.slug, stored_page_name(base), secret)
    return None if found is None else found.encode()


def _person(request: Request, actor: Actor) -> tuple[object, ...]:
    """What the shell shows of the person (their session's token, unread count, watches): the ETag follows."""
    grants = sorted(f"{process}:{role}" for process, role in actor.grants)
    person = (actor.user_id, actor.username, actor.display_name, actor.delegation_code)
    return (*person, *grants, csrf_token(request), *notice_of(request))
