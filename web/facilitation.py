"""The co-facilitators' desk: the working copy, the merge editor, publishing, and importing drafts."""

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from api.domain.errors import InvalidInput, NotFound
from api.domain.limits import MAX_PROPOSALS_PER_REQUEST
from api.domain.negotiation import ProposalAction, RevisionState, is_pending
from api.http import render_publication
from api.services import history, proposals, publishing, revisions, rulings, working_copy, workspace
from api.services.inputs import MAX_REASON, MAX_TEXT, ParagraphEdit, PublishInput
from api.services.redlines import redline
from api.services.revisions import EnclosingBracket
from api.services.schemas import ParagraphView, ProposalView, RevisionView
from web.context import WebContext
from web.csrf import check_csrf
from web.errors import show_in_place
from web.forms import is_htmx, local_path, parse, see_other
from web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])
DEFAULT_RULING_REASON = "Merged into the co-facilitators' compromise text"
PLACEMENTS = {"preambular": True, "operative": False}


def _base_text(context: WebContext, slug: str, key: str) -> str | None:
    try:
        return workspace.current_paragraph(context.session, slug, key).text
    except NotFound:
        return None  # new in the working copy


def _base_bracket(context: WebContext, slug: str, key: str) -> EnclosingBracket | None:
    try:
        return workspace.current_bracket(context.session, slug, key)
    except NotFound:
        return None  # new in the working copy


@router.get("/processes/{slug}/working-copy")
def working_copy_page(slug: str, request: Request, context: WebContext) -> Response:
    """Every paragraph of the next revision with its changes and pending proposals; publishing."""
    standing = workspace.standing(context.session, context.actor, slug)
    working = _open_working_copy(context, slug)
    page = {"standing": standing, "nav": "working", "working": None, "next_label": ""}
    if working is not None:
        page = {**_working_page(context, slug, working, standing), "nav": "working"}
    fragments = {"working-list": "fragments/working_list.html"}
    return render(request, "working_copy.html", page, actor=context.actor, fragments=fragments)


def _open_working_copy(context: WebContext, slug: str) -> RevisionView | None:
    """The working copy if one is open (reading never opens one)."""
    try:
        return working_copy.working_copy_view(context.session, context.actor, slug)
    except NotFound:
        return None


@router.post("/processes/{slug}/working-copy")
def open_working_copy(
    slug: str, context: WebContext, next: Annotated[str, Form(max_length=2000)] = ""
) -> Response:
    """Open the working copy of the next revision as a copy of the current one."""
    working_copy.open_working_copy_view(context.session, context.actor, slug)
    return see_other(local_path(next, f"/processes/{slug}/working-copy"))


def _working_page(
    context: WebContext, slug: str, working: RevisionView, standing: workspace.Standing
) -> dict[str, object]:
    current = standing.current_label
    changes = (
        history.compare_revisions(context.session, context.actor, slug, current, working.revision.label)
        if current
        else None
    )
    return {
        "standing": standing,
        "working": working,
        "changes": changes,
        "changed": {c.key: c for c in changes.paragraphs if c.change != "unchanged"} if changes else {},
        "pending": workspace.pending_counts(context.session, context.actor, slug),
        "doc_lang": working.revision.language,
        "next_label": _next_label(current),
        # The rebase report before the co-facilitator confirms: what publishing would do to each proposal.
        "preview": publishing.preview(context.session, context.actor, slug, _next_label(current))
        if standing.can_facilitate
        else None,
    }


def _next_label(current: str | None) -> str:
    if current and current.startswith("Rev."):
        number = current.removeprefix("Rev.")
        return f"Rev.{int(number) + 1}" if number.isdigit() else ""
    return "Rev.1" if current else "Zero draft"


@router.get("/processes/{slug}/working-copy/paragraphs/{key}")
def merge_editor(slug: str, key: str, request: Request, context: WebContext) -> Response:
    """One paragraph of the working copy: competing proposals, three-way merge, compromise text, tags."""
    paragraph = workspace.working_paragraph(context.session, context.actor, slug, key)
    page = _editor_page(context, slug, key, paragraph.text, paragraph.status, None, paragraph.lock_version)
    return render(request, "merge_editor.html", page, actor=context.actor)


def _editor_page(
    context: WebContext,
    slug: str,
    key: str,
    text: str,
    status: str,
    elements: list[str] | None,
    lock_version: int,
) -> dict[str, object]:
    standing = workspace.standing(context.session, context.actor, slug)
    working = _open_working_copy(context, slug) or revisions.get_revision_view(
        context.session, context.actor, slug, standing.current_label
    )
    paragraph = _find(working.paragraphs, key)
    base = _base_text(context, slug, key)
    candidates = proposals.list_proposals(context.session, context.actor, slug, paragraph=key)
    return {
        "standing": standing,
        "nav": "working",
        "paragraph": paragraph,
        "elements": working.elements,
        "base": base,
        "base_bracket": _base_bracket(context, slug, key) if base is not None else None,
        "text": text,
        "status": status,
        "chosen_elements": paragraph.elements if elements is None else elements,
        "lock_version": lock_version,
        "doc_lang": working.revision.language,
        "working_label": working.revision.label,
        "is_open": working.revision.state == RevisionState.WORKING,
        "working_redline": redline(base, paragraph.text) if base is not None else [],
        "compromise_redline": redline(base or "", text),
        "mergeable": [p for p in candidates if _mergeable(p, standing.current_label)],
        "others": [p for p in candidates if not _mergeable(p, standing.current_label)],
        "suggestions": dict(working_copy.suggest_elements(context.session, context.actor, slug, key)),
    }


def _find(paragraphs: list[ParagraphView], key: str) -> ParagraphView:
    for paragraph in paragraphs:
        if paragraph.key == key:
            return paragraph
    raise NotFound(f"the working copy has no paragraph {key!r}")


def _mergeable(proposal: ProposalView, current_label: str | None) -> bool:
    # Amendments on the current text still waiting for a ruling: an accepted one is already in the working
    # copy, and merging it again would report a conflict against its own compromise.
    waiting = is_pending(proposal.state)
    return proposal.action == ProposalAction.AMEND and proposal.base_revision == current_label and waiting


def _ids(merged: str) -> list[int]:
    """The proposal ids the merged text came from, as the merge preview wrote them ("12,15")."""
    try:
        return [int(part) for part in merged.split(",") if part.strip()]
    except ValueError:
        raise InvalidInput(f"not a list of proposal ids: {merged!r}") from None


@router.post("/processes/{slug}/working-copy/paragraphs/{key}/merge")
def merge_preview(
    slug: str,
    key: str,
    request: Request,
    context: WebContext,
    proposal: Annotated[list[int] | None, Form(max_length=MAX_PROPOSALS_PER_REQUEST)] = None,
) -> Response:
    """The three-way merge of the chosen proposals into the working copy's paragraph (nothing is saved)."""
    chosen = set(proposal or [])
    candidates = proposals.list_proposals(context.session, context.actor, slug, paragraph=key)
    standing = workspace.standing(context.session, context.actor, slug)
    merged = [p for p in candidates if p.id in chosen and _mergeable(p, standing.current_label)]
    texts = {f"{p.sponsor} #{p.id}": p.text for p in merged}
    preview = workspace.merge_preview(context.session, context.actor, slug, key, texts)
    page = {
        "preview": preview,
        "doc_lang": standing.document_language,
        "chosen": bool(texts),
        "merged_ids": ",".join(str(p.id) for p in merged),
    }
    return render(request, "fragments/merge_preview.html", page, actor=context.actor)


@router.post("/processes/{slug}/working-copy/paragraphs/{key}")
def save_paragraph(
    slug: str,
    key: str,
    request: Request,
    context: WebContext,
    lock_version: Annotated[int, Form()],
    text: Annotated[str, Form(max_length=MAX_TEXT)],
    status: Annotated[str, Form(max_length=16)],
    element: Annotated[list[str] | None, Form()] = None,
    merged: Annotated[str, Form(max_length=2000)] = "",
    ruling_reason: Annotated[str, Form(max_length=MAX_REASON)] = "",
    placement: Annotated[str, Form(max_length=16)] = "",
) -> Response:
    """Save the compromise text, status, tags and part (preambular or operative), ruling on the proposals
    merged into it; a stale version shows the text now saved."""
    current = workspace.working_paragraph(context.session, context.actor, slug, key)
    page = _editor_page(context, slug, key, text, status, element or [], current.lock_version)
    page = {**page, "merged": merged, "ruling_reason": ruling_reason}
    if current.lock_version != lock_version:
        page = {**page, "conflict": current, "conflict_redline": redline(current.text, text)}
    show_in_place(request, "merge_editor.html", page, block=None)
    tagged = page["paragraph"].elements if isinstance(page["paragraph"], ParagraphView) else []
    elements = None if sorted(element or []) == sorted(tagged) else element or []
    if placement and placement not in PLACEMENTS:
        raise InvalidInput(f"a paragraph is preambular or operative, not {placement!r}")
    data = parse(
        ParagraphEdit,
        text=text,
        status=status,
        elements=elements,
        lock_version=lock_version,
        preambular=PLACEMENTS.get(placement),
    )
    reason = ruling_reason.strip() or DEFAULT_RULING_REASON
    rulings.settle_compromise(context.session, context.actor, slug, key, data, _ids(merged), reason)
    return see_other(f"/processes/{slug}/working-copy/paragraphs/{key}?saved=1")


@router.post("/processes/{slug}/publish")
def publish(
    slug: str,
    request: Request,
    context: WebContext,
    label: Annotated[str, Form(max_length=64)],
    summary: Annotated[str, Form(max_length=MAX_REASON)] = "",
    document_date: Annotated[str, Form(max_length=10)] = "",
    confirmed: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    """Publish the working copy as the next revision, once confirmed; the report says what became of
    pending proposals. Unconfirmed, it shows what publishing would do, and changes nothing."""
    data = parse(PublishInput, label=label, summary=summary, document_date=document_date or None)
    standing = workspace.standing(context.session, context.actor, slug)
    if confirmed != "yes":
        return _confirm_publish(request, context, slug, standing, data)
    report = publishing.publish(context.session, context.actor, slug, data)
    render_publication(request, context, slug, report.revision.label)
    standing = workspace.standing(context.session, context.actor, slug)
    page = {"report": report, "standing": standing, "nav": "working"}
    if is_htmx(request):
        return render(request, "fragments/publish_report.html", {**page, "oob": True}, actor=context.actor)
    return render(request, "published.html", page, actor=context.actor)


def _confirm_publish(
    request: Request, context: WebContext, slug: str, standing: workspace.Standing, data: PublishInput
) -> Response:
    """The confirmation step: the label, the changes and each pending proposal's fate, before anything."""
    current = standing.current_label
    working = working_copy.working_copy_view(context.session, context.actor, slug)
    changes = (
        history.compare_revisions(context.session, context.actor, slug, current, working.revision.label)
        if current
        else None
    )
    page = {
        "standing": standing,
        "nav": "working",
        "publishing": data,
        "changes": changes,
        "preview": publishing.preview(context.session, context.actor, slug, data.label),
    }
    if is_htmx(request):
        return render(request, "fragments/publish_confirm.html", page, actor=context.actor)
    return render(request, "publish_confirm.html", page, actor=context.actor)
