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
from api.services.actors import Actor
from api.services.read_keys import ReadKey
from web import i18n
from web.context import notice_of
from web.csrf import csrf_token
from web.templating import current_path, render, render_document, rendered_document

VARY = "Cookie, Accept-Language, HX-Request, HX-Target"


def render_cache(request: Request) -> RenderCache:
    """The application's render cache."""
    cache = request.app.state.render_cache
    assert isinstance(cache, RenderCache)
    return cache


def cached_page(
    request: Request,
    template: str,
    shell: Callable[[], Mapping[str, Any]],
    *,
    actor: Actor,
    key: ReadKey | None,
    load: Callable[[], Mapping[str, Any]],
) -> Response:
    """The page `template` (whose main block is `document`) around `documents/<template>`."""
    # `shell` gives what the page around the document needs, `load` what the document needs: neither
    # runs for a 304, and neither for a public reader's cached page.
    locale = i18n.locale_of(request)
    path = current_path(request)
    if key is None:
        around = shell()
        document = render_document(f"documents/{template}", {**around, **load()}, locale, path)
        response = render(request, template, {**around, "document": rendered_document(document)}, actor=actor)
        response.headers["Cache-Control"] = LIVE_CACHE_CONTROL
        return response
    public = not actor.is_authenticated
    base = (template, path, locale, key.audience, *key.parts)
    etag = strong_etag(("public", *base) if public else ("private", *base, *_person(request, actor)))
    headers = {"ETag": etag, "Cache-Control": PUBLIC_CACHE_CONTROL if public else PRIVATE_CACHE_CONTROL}
    if matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers={**headers, "Vary": VARY})
    cache = render_cache(request)
    if public and (page := cache.get(("page", *base))) is not None:
        return HTMLResponse(page, headers={**headers, "Vary": VARY})
    around = shell()
    document_bytes = cache.get(("document", *base))
    if document_bytes is None:
        document_bytes = render_document(f"documents/{template}", {**around, **load()}, locale, path).encode()
        cache.put(("document", *base), document_bytes)
    page_context = {**around, "document": rendered_document(document_bytes.decode())}
    response = render(request, template, page_context, actor=actor, public=public, headers=headers)
    if public:
        cache.put(("page", *base), bytes(response.body))
    return response


def _person(request: Request, actor: Actor) -> tuple[object, ...]:
    """What the shell shows of the person (their session's token, unread count, watches): the ETag follows."""
    grants = sorted(f"{process}:{role}" for process, role in actor.grants)
    person = (actor.user_id, actor.username, actor.display_name, actor.delegation_code)
    return (*person, *grants, csrf_token(request), *notice_of(request))
