"""Observers' views: compare two revisions, a paragraph's lineage, mandate coverage, agreement progress."""

from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from api.domain.negotiation import RevisionState
from api.services import coverage, history, notifications, read_keys, revisions, workspace
from api.services.context import RequestContext
from api.services.schemas import RevisionSummary
from web import i18n, sealed
from web.cached import cached_page
from web.charts import coverage_chart, heat_level, progress_chart
from web.context import WebContext
from web.csrf import check_csrf
from web.sealed import Choice
from web.templating import render, render_text

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])

Older = Annotated[str | None, Query(alias="from", max_length=64)]
Newer = Annotated[str | None, Query(alias="to", max_length=64)]


def _pair(
    listed: list[RevisionSummary], older: str | None, newer: str | None
) -> tuple[str | None, str | None]:
    """The revisions to compare: the ones asked for, else the last two (or the only one twice)."""
    labels = [r.label for r in listed if r.state == RevisionState.PUBLISHED] or [r.label for r in listed]
    if not labels:
        return None, None
    default_new = labels[-1]
    default_old = labels[-2] if len(labels) > 1 else labels[-1]
    return older or default_old, newer or default_new


@router.get("/processes/{slug}/compare")
def compare(
    slug: str,
    request: Request,
    context: WebContext,
    view: str = "inline",
    changes: str = "",
    older: Older = None,
    newer: Newer = None,
) -> Response:
    """Two revisions compared paragraph by paragraph, inline or side by side, in UN redline style."""
    locale = i18n.locale_of(request)
    choice = Choice(older, newer, "side" if view == "side" else "inline", changes == "1")
    key = read_keys.read_key(context.session, context.actor, slug)
    return cached_page(
        request,
        context,
        "compare.html",
        lambda: compare_shell(context, slug),
        key=key,
        document=lambda around: compare_document(request, context, slug, choice, locale, around),
    )


def compare_shell(context: RequestContext, slug: str) -> dict[str, Any]:
    """What the page around a compare shows: the reader's standing in the process."""
    return {"standing": workspace.standing(context.session, context.actor, slug), "nav": "compare"}


def compare_document(
    request: Request,
    context: RequestContext,
    slug: str,
    choice: Choice,
    locale: str,
    around: Mapping[str, Any],
) -> str:
    """A compare's document: the redline's sealed body, with the form that lists the revisions."""
    # The redline is sealed by the two revisions' content hashes; the form listing them is a slot.
    session, actor = context.session, context.actor
    listed = revisions.list_revisions(session, actor, slug)
    old, new = _pair(listed, choice.older, choice.newer)
    form: dict[str, Any] = {"slug": slug, "revisions": listed, "older": old, "newer": new}
    form |= {"view": choice.layout, "changes_only": choice.changes_only}
    values = sealed.slots(render_text("fragments/compare_slots.html", form, locale))
    if not (old and new):
        nothing = {**form, "comparison": None, "doc_lang": around["standing"].document_language}
        return sealed.fill(sealed.compare_body(nothing, locale), values)

    def render() -> str:
        comparison = history.compare_revisions(session, actor, slug, old, new)
        page = sealed.compare_context(comparison, slug, choice.layout, choice.changes_only)
        return sealed.compare_body(page, locale)

    hashes = {r.label: r.content_hash for r in listed if r.state == RevisionState.PUBLISHED}
    where = sealed.compare_sealed(hashes.get(old), hashes.get(new), slug, new, locale, choice)
    return sealed.fill(sealed.body(request, context, where, render), values)


@router.get("/processes/{slug}/paragraphs/{key}")
def lineage(slug: str, key: str, request: Request, context: WebContext) -> Response:
    """A paragraph across revisions: numbers, texts, redlines, splits and merges, proposals and rulings."""
    session, actor = context.session, context.actor

    def shell() -> dict[str, Any]:
        standing = workspace.standing(session, actor, slug)
        watching = notifications.watching(session, actor, slug, key)
        page = {"standing": standing, "nav": "text", "key": key, "doc_lang": standing.document_language}
        return {**page, "watching": watching}

    def load() -> dict[str, Any]:
        return {"history": history.paragraph_history(session, actor, slug, key)}

    read_key = read_keys.read_key(session, actor, slug)
    return cached_page(request, context, "lineage.html", shell, key=read_key, load=load)


@router.get("/processes/{slug}/coverage")
def coverage_page(
    slug: str, request: Request, context: WebContext, older: Older = None, newer: Newer = None
) -> Response:
    """The mandate coverage matrix (elements × revisions) and the coverage change between two revisions."""
    standing = workspace.standing(context.session, context.actor, slug)
    matrix = coverage.coverage_matrix(context.session, slug)
    listed = [
        r
        for r in revisions.list_revisions(context.session, context.actor, slug)
        if r.state == RevisionState.PUBLISHED
    ]
    older, newer = _pair(listed, older, newer)
    change = (
        coverage.compare_coverage(context.session, context.actor, slug, older, newer)
        if older and newer and older != newer
        else None
    )
    page = {
        "standing": standing,
        "nav": "coverage",
        "matrix": matrix,
        "chart": coverage_chart(matrix),
        "heat": heat_level,
        "revisions": listed,
        "older": older,
        "newer": newer,
        "change": change,
        "current": coverage.revision_coverage(context.session, context.actor, slug, newer) if newer else None,
        "doc_lang": standing.document_language,
    }
    return render(request, "coverage.html", page, actor=context.actor)


@router.get("/processes/{slug}/progress")
def progress(slug: str, request: Request, context: WebContext) -> Response:
    """Agreement progress across revisions: paragraph statuses and brackets, as a chart and a table."""
    standing = workspace.standing(context.session, context.actor, slug)
    tallies = coverage.agreement_progress(context.session, slug)
    page = {"standing": standing, "nav": "progress", "progress": tallies, "chart": progress_chart(tallies)}
    return render(request, "progress.html", page, actor=context.actor)
