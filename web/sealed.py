"""Reading documents in two layers: a sealed body, rendered once per content, and the slots around it.

A revision's page and a compare of two revisions are mostly a function of what the revisions' content
hashes seal; a few things around that change with every event (how many proposals wait on a paragraph,
whether a newer revision exists, the list of revisions to compare). The body is rendered with a marker
`<!--slot:NAME-->` where each of those goes, and a small slots template renders the current values
behind the same markers; filling one with the other is a string operation. Markers cannot be forged
from user text: everything the templates print is escaped, and an escaped text holds no `<`.

Bodies are kept in the render cache by content hash, and, for the views that readers ask for first,
rendered when the revision is published and stored with it (api/services/rendered_views.py), so that
the first reader after a publication does not wait for a render in whichever process answers.
"""

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import Request

from api.services import rendered_views, revisions
from api.services.context import RequestContext
from api.services.history_schemas import RevisionComparison
from web.cached import render_cache
from web.outline import outline
from web.templating import render_document, render_text

_SLOT = re.compile(r"<!--slot:([^>]*)-->")


@dataclass(frozen=True)
class Sealed:
    """Where a sealed body may be found: its cache key, and the stored view of a revision that holds it."""

    key: tuple[object, ...] | None  # None: not sealed (a working copy), rendered every time
    slug: str
    label: str  # the revision the stored view is kept with
    name: str


def slots(rendered: str) -> dict[str, str]:
    """The slot values a slots template rendered: each marker's name and what follows it."""
    parts = _SLOT.split(rendered)
    return {name: value.strip() for name, value in zip(parts[1::2], parts[2::2], strict=True)}


def fill(body: str, values: Mapping[str, str]) -> str:
    """The body with every slot replaced by its value (empty when it has none)."""
    return _SLOT.sub(lambda found: values.get(found.group(1), ""), body)


def body(request: Request, context: RequestContext, sealed: Sealed, render: Callable[[], str]) -> str:
    """The sealed body: from the render cache, else as stored at publication, else rendered now."""
    if sealed.key is None:
        return render()
    cached = render_cache(request).get(("sealed", *sealed.key))
    if cached is not None:
        return cached.decode()
    secret = request.app.state.settings.secret_key
    found = rendered_views.find(context.session, sealed.slug, sealed.label, sealed.name, secret)
    html = found if found is not None else render()
    keep(request, sealed, html)
    return html


def keep(request: Request, sealed: Sealed, html: str) -> None:
    """Keep a sealed body in this process's render cache."""
    if sealed.key is not None:
        render_cache(request).put(("sealed", *sealed.key), html.encode())


# --- a revision -----------------------------------------------------------------------------------------


def revision_name(locale: str, propose_links: bool) -> str:
    """The stored view of a revision's body in a language, with or without Propose links."""
    return f"revision:{locale}:{'proposer' if propose_links else 'reader'}"


def revision_sealed(content_hash: str | None, slug: str, label: str, locale: str, propose: bool) -> Sealed:
    """Where the body of a revision's page is kept (a working copy's is not: it has no content hash)."""
    key = None if content_hash is None else ("revision", content_hash, locale, propose)
    return Sealed(key, slug, label, revision_name(locale, propose))


def revision_body(
    context: RequestContext, slug: str, label: str, locale: str, propose: bool, edit: bool = False
) -> str:
    """Render the body of a revision's page (documents/revision.html)."""
    return revision_bodies(context, slug, label, [(locale, propose)], edit)[0]


def revision_bodies(
    context: RequestContext, slug: str, label: str, variants: Sequence[tuple[str, bool]], edit: bool = False
) -> list[str]:
    """The bodies of a revision's page in each (language, Propose links) asked for, read once."""
    view = revisions.get_revision_view(context.session, context.actor, slug, label)
    page = {"view": view, "toc": outline(view.paragraphs), "edit_links": edit}
    return [
        render_document("documents/revision.html", {**page, "propose_links": propose}, locale, "")
        for locale, propose in variants
    ]


def revision_slots(
    locale: str,
    slug: str,
    label: str,
    *,
    published: bool,
    current_label: str | None,
    propose: bool,
    pending: Mapping[str, int],
) -> dict[str, str]:
    """What goes around a revision's body now: the notice at its head, the proposals on each paragraph."""
    context = {
        "slug": slug,
        "label": label,
        "published": published,
        "is_current": current_label == label,
        "current_label": current_label,
        "propose_links": propose,
        "pending": pending,
    }
    return slots(render_text("fragments/revision_slots.html", context, locale))


# --- a compare ------------------------------------------------------------------------------------------


def compare_name(older_hash: str, locale: str, view: str, changes_only: bool) -> str:
    """The stored view, kept with the newer revision, of its compare with an older one."""
    return f"compare:{older_hash}:{view}:{'changes' if changes_only else 'all'}:{locale}"


@dataclass(frozen=True)
class Choice:
    """What the reader chose to compare: two revisions (or the last two), the layout, all or changes."""

    older: str | None = None
    newer: str | None = None
    layout: str = "inline"
    changes_only: bool = False


def compare_sealed(
    older_hash: str | None, newer_hash: str | None, slug: str, newer: str, locale: str, choice: Choice
) -> Sealed:
    """Where the body of a compare is kept: with the newer revision, when both are published."""
    key = None
    if older_hash and newer_hash:
        key = ("compare", older_hash, newer_hash, choice.layout, choice.changes_only, locale)
    return Sealed(
        key, slug, newer, compare_name(older_hash or "", locale, choice.layout, choice.changes_only)
    )


def compare_body(context: Mapping[str, Any], locale: str) -> str:
    """Render the body of a compare page (documents/compare.html) from the comparison and its choices."""
    return render_document("documents/compare.html", context, locale, "")


def compare_context(
    comparison: RevisionComparison, slug: str, view: str, changes_only: bool
) -> dict[str, Any]:
    """What the body of a compare needs."""
    return {
        "slug": slug,
        "older": comparison.from_revision.label,
        "newer": comparison.to_revision.label,
        "view": view,
        "changes_only": changes_only,
        "comparison": comparison,
        "doc_lang": comparison.to_revision.language,
    }
