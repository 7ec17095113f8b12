"""What a publication renders ahead of its first readers, in the publishing request's transaction.

Readers come in their hundreds the moment a revision is out, to whichever app process answers: the
bodies of the revision's page and of its compare with the revision before (web/sealed.py), and the
whole pages an anonymous reader gets of both, are rendered here once and stored with the revision
(api/services/rendered_views.py), so that no reader waits for the first render.
"""

from collections.abc import Mapping
from typing import Any

from fastapi import Request

from api.services import history, read_keys, rendered_views, revisions
from api.services.actors import PUBLIC
from api.services.context import RequestContext
from web import i18n, observers, pages, sealed
from web.cached import page_base, public_page, render_cache, stored_page_name
from web.templating import query, revision_url

# The compares kept with a revision: against the revision before, inline, every paragraph or the
# changed ones only (other layouts are rendered on first demand, then cached).
PUBLISHED_COMPARES = (False, True)


def render_publication(request: Request, context: RequestContext, slug: str, label: str) -> None:
    """Render and store the first views of the revision `label`, just published in this transaction."""
    revision_id, content_hash = revisions.revision_seal(context.session, context.actor, slug, label)
    if content_hash is None:
        return
    previous = revisions.previous_published_label(context.session, slug, label)
    _store_bodies(request, context, (revision_id, content_hash), slug, label, previous)
    _store_public_pages(request, context, revision_id, slug, label, previous)


def _store_bodies(
    request: Request,
    context: RequestContext,
    revision: tuple[int, str],
    slug: str,
    label: str,
    previous: str | None,
) -> None:
    """The bodies of the revision's page and of its compare with the one before, stored and cached."""
    session, secret = context.session, request.app.state.settings.secret_key
    revision_id, content_hash = revision
    variants = [(locale, propose) for locale in i18n.LOCALES for propose in (False, True)]
    bodies = sealed.revision_bodies(context, slug, label, variants)
    for (locale, propose), html in zip(variants, bodies, strict=True):
        rendered_views.store(session, revision_id, sealed.revision_name(locale, propose), html, secret)
        sealed.keep(request, sealed.revision_sealed(content_hash, slug, label, locale, propose), html)
    if previous is None:
        return
    comparison = history.compare_revisions(session, context.actor, slug, previous, label)
    older_hash = comparison.from_revision.content_hash
    for changes_only in PUBLISHED_COMPARES:
        page = sealed.compare_context(comparison, slug, "inline", changes_only)
        choice = sealed.Choice(previous, label, "inline", changes_only)
        for locale in i18n.LOCALES:
            html = sealed.compare_body(page, locale)
            where = sealed.compare_sealed(older_hash, content_hash, slug, label, locale, choice)
            rendered_views.store(session, revision_id, where.name, html, secret)
            sealed.keep(request, where, html)


def _store_public_pages(
    request: Request,
    context: RequestContext,
    revision_id: int,
    slug: str,
    label: str,
    previous: str | None,
) -> None:
    """The pages an anonymous reader gets now: the revision, and the compare (by default and as linked)."""
    secret = request.app.state.settings.secret_key
    public = RequestContext(context.session, PUBLIC)
    key = read_keys.read_key(context.session, PUBLIC, slug)
    assert key is not None  # the public's views are never live
    rendered_views.forget_pages(context.session, slug)

    def store(template: str, path: str, locale: str, around: Mapping[str, Any], document: str) -> None:
        base = page_base(template, path, locale, key)
        html = public_page(template, around, document, locale, path)
        rendered_views.store(context.session, revision_id, stored_page_name(base), html, secret)
        render_cache(request).put(("page", *base), html.encode())  # this process needs no lookup

    compare = f"/processes/{slug}/compare"
    for locale in i18n.LOCALES:
        around = pages.revision_shell(public, slug, label)
        document = pages.revision_document(request, public, slug, label, locale, around)
        store("revision.html", revision_url(slug, label), locale, around, document)
        if previous is None:
            continue
        around = observers.compare_shell(public, slug)
        linked = query(compare, **{"from": previous, "to": label})
        for path, choice in ((compare, sealed.Choice()), (linked, sealed.Choice(previous, label))):
            document = observers.compare_document(request, public, slug, choice, locale, around)
            store("compare.html", path, locale, around, document)
