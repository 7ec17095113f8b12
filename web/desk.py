"""The delegation's desk: tabling proposals with a live redline, following, updating, co-sponsoring."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from api.domain.errors import NotFound
from api.domain.negotiation import ParagraphKind, ProposalAction, RebaseStatus
from api.http import RowId
from api.services import notifications, proposals, revisions, room, workspace
from api.services.actors import require_delegation_member
from api.services.inputs import MAX_REASON, MAX_TEXT, ProposalEdit, ProposalInput
from api.services.redlines import proposal_redline, redline
from api.services.schemas import ProposalView
from web.context import WebContext
from web.csrf import check_csrf
from web.errors import show_in_place
from web.forms import is_htmx, local_path, parse, see_other
from web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])

Text = Annotated[str, Form(max_length=MAX_TEXT)]
Reason = Annotated[str, Form(max_length=MAX_REASON)]
Next = Annotated[str, Form(max_length=2000)]
_ACTIONS = frozenset(ProposalAction)
# What a new revision did to a proposal that its sponsor is told about on the desk.
_TOLD = frozenset({RebaseStatus.NEEDS_ATTENTION, RebaseStatus.CARRIED, RebaseStatus.SUPERSEDED})


@router.get("/processes/{slug}/proposals/new")
def new_proposal(
    slug: str, paragraph: str, request: Request, context: WebContext, action: str = ProposalAction.AMEND
) -> Response:
    """The form to table a proposal on a paragraph of the current revision."""
    require_delegation_member(context.actor, workspace.process_id(context.session, slug))
    base = workspace.current_paragraph(context.session, slug, paragraph)
    page = _form_page(
        context, slug, base.key, action, base.text if action == ProposalAction.AMEND else "", "", None
    )
    return render(request, "proposal_new.html", page, actor=context.actor)


def _form_page(
    context: WebContext,
    slug: str,
    key: str,
    action: str,
    text: str,
    justification: str,
    on_behalf_of: str | None,
) -> dict[str, object]:
    base = workspace.current_paragraph(context.session, slug, key)
    standing = workspace.standing(context.session, context.actor, slug)
    return {
        "standing": standing,
        "nav": "desk",
        "base": base,
        "base_bracket": workspace.current_bracket(context.session, slug, key),
        "doc_lang": standing.document_language,
        "action": action if action in _ACTIONS else ProposalAction.AMEND,
        "text": text,
        "justification": justification,
        "on_behalf_of": on_behalf_of,
        "groups": workspace.negotiating_groups(context.session, context.actor),
        "redline": proposal_redline(action, base.text, text if action != ProposalAction.DELETE else ""),
        "idempotency_key": uuid.uuid4().hex,
    }


@router.post("/processes/{slug}/proposals")
def table_proposal(
    slug: str,
    request: Request,
    context: WebContext,
    paragraph_key: Annotated[str, Form(max_length=64)],
    action: Annotated[str, Form(max_length=16)],
    idempotency_key: Annotated[str, Form(max_length=128)],
    text: Text = "",
    justification: Reason = "",
    on_behalf_of: Annotated[str, Form(max_length=32)] = "",
) -> Response:
    """Table the proposal; on a mistake the form comes back with the person's text and the reason."""
    page = _form_page(context, slug, paragraph_key, action, text, justification, on_behalf_of or None)
    show_in_place(request, "proposal_new.html", page, block=None)
    data = parse(
        ProposalInput,
        paragraph_key=paragraph_key,
        action=action,
        text="" if action == ProposalAction.DELETE else text,
        justification=justification,
        on_behalf_of=on_behalf_of or None,
    )
    proposal = proposals.table_proposal(context.session, context.actor, slug, data, idempotency_key)
    return see_other(f"/processes/{slug}/desk?tabled={proposal.id}#proposal-{proposal.id}")


@router.post("/processes/{slug}/paragraphs/{key}/redline")
def live_redline(
    slug: str,
    key: str,
    request: Request,
    context: WebContext,
    text: Text = "",
    action: Annotated[str, Form()] = ProposalAction.AMEND,
) -> Response:
    """The redline of the text being typed against the paragraph's current text (htmx, while typing)."""
    try:
        base = workspace.current_paragraph(context.session, slug, key).text
    except NotFound:
        base = ""  # a paragraph new in the working copy: all of it is inserted
    ops = proposal_redline(action, base, "" if action == ProposalAction.DELETE else text)
    page = {
        "redline": ops,
        "doc_lang": workspace.standing(context.session, context.actor, slug).document_language,
    }
    return render(request, "fragments/redline.html", page, actor=context.actor)


@router.get("/processes/{slug}/desk")
def desk(slug: str, request: Request, context: WebContext, tabled: int | None = None) -> Response:
    """My delegation's proposals: what the last revision did to them, and their states."""
    standing = workspace.standing(context.session, context.actor, slug)
    code = require_delegation_member(context.actor, standing.process_id) and context.actor.delegation_code
    mine = proposals.list_proposals(context.session, context.actor, slug, delegation=code) if code else []
    page = {
        "standing": standing,
        "nav": "desk",
        "doc_lang": standing.document_language,
        "sponsored": [p for p in mine if p.sponsor == code],
        "for_group": [p for p in mine if p.sponsor != code and p.on_behalf_of == code],
        "cosponsored": [p for p in mine if p.sponsor != code and p.on_behalf_of != code],
        "notices": [p for p in mine if p.sponsor == code and p.rebase_status in _TOLD],
        "tabled": tabled,
        "choices": notifications.get_choices(context.session, context.actor),
        "watching_process": notifications.watching(context.session, context.actor, slug),
        "paragraphs": _watchable(context, slug, standing.current_label),
        "room": room.room_view(context.session, context.actor, slug),
    }
    fragments = {"desk-lists": "fragments/desk_lists.html", "room-desk": "fragments/room_desk.html"}
    return render(request, "desk.html", page, actor=context.actor, fragments=fragments)


def _watchable(context: WebContext, slug: str, label: str | None) -> list[tuple[str, str]]:
    """The numbered paragraphs of the current revision, as (key, citation), for "Watch a paragraph"."""
    if label is None:
        return []
    view = revisions.get_revision_view(context.session, context.actor, slug, label)
    return [
        (p.key, p.citation or p.number or p.key)
        for p in view.paragraphs
        if p.kind != ParagraphKind.HEADING and p.number
    ]


@router.get("/proposals/{proposal_id}")
def proposal_page(proposal_id: RowId, request: Request, context: WebContext) -> Response:
    """One proposal, with its redline, co-sponsors and rulings; its sponsor updates it here."""
    proposal = proposals.get_proposal(context.session, context.actor, proposal_id)
    page = _proposal_page(context, proposal, proposal.text, proposal.justification, proposal.lock_version)
    fragments = {f"proposal-{proposal.id}": "fragments/proposal_card.html"}
    return render(request, "proposal.html", page, actor=context.actor, fragments=fragments)


def _proposal_page(
    context: WebContext, proposal: ProposalView, text: str, justification: str, lock_version: int
) -> dict[str, object]:
    standing = workspace.standing(context.session, context.actor, proposal.process)
    current = _current_text(context, proposal)
    return {
        "standing": standing,
        "nav": "desk" if standing.can_propose else "compilation",
        "p": proposal,
        "doc_lang": standing.document_language,
        "current": current,
        "text": text,
        "justification": justification,
        "lock_version": lock_version,
        "edit_redline": proposal_redline(proposal.action, current or proposal.base_text, text),
    }


def _current_text(context: WebContext, proposal: ProposalView) -> str | None:
    try:
        return workspace.current_paragraph(context.session, proposal.process, proposal.paragraph_key).text
    except NotFound:
        return None


@router.post("/proposals/{proposal_id}/edit")
def edit_proposal(
    proposal_id: RowId,
    request: Request,
    context: WebContext,
    lock_version: Annotated[int, Form()],
    text: Text = "",
    justification: Reason = "",
) -> Response:
    """The sponsor updates the proposal; if someone changed it meanwhile, both versions are shown."""
    before = proposals.get_proposal(context.session, context.actor, proposal_id)
    page = _proposal_page(context, before, text, justification, before.lock_version)
    stale = before.lock_version != lock_version
    conflict = {"conflict": before, "conflict_redline": redline(before.text, text)} if stale else {}
    show_in_place(request, "proposal.html", {**page, **conflict}, block=None)
    body = text if before.action != ProposalAction.DELETE else None
    data = parse(ProposalEdit, text=body, justification=justification, lock_version=lock_version)
    proposals.edit_proposal(context.session, context.actor, proposal_id, data)
    return see_other(f"/proposals/{proposal_id}?updated=1")


def _after_action(request: Request, context: WebContext, proposal: ProposalView, next: str) -> Response:
    if not is_htmx(request):
        return see_other(local_path(next, f"/proposals/{proposal.id}"))
    standing = workspace.standing(context.session, context.actor, proposal.process)
    page = {"p": proposal, "standing": standing, "doc_lang": standing.document_language}
    return render(request, "fragments/proposal_card.html", page, actor=context.actor)


@router.get("/proposals/{proposal_id}/withdraw")
def confirm_withdrawal(proposal_id: RowId, request: Request, context: WebContext) -> Response:
    """The confirmation step of withdrawing: what it does, before it is done."""
    return _confirm_withdrawal(request, context, proposal_id, "")


@router.post("/proposals/{proposal_id}/withdraw")
def withdraw(
    proposal_id: RowId,
    request: Request,
    context: WebContext,
    next: Next = "",
    confirmed: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    """The sponsor withdraws its proposal, once confirmed (unconfirmed, the confirmation step shows)."""
    if confirmed != "yes":
        return _confirm_withdrawal(request, context, proposal_id, next)
    proposal = proposals.withdraw_proposal(context.session, context.actor, proposal_id)
    return _after_action(request, context, proposal, next)


def _confirm_withdrawal(request: Request, context: WebContext, proposal_id: int, next: str) -> Response:
    proposal = proposals.get_proposal(context.session, context.actor, proposal_id)
    standing = workspace.standing(context.session, context.actor, proposal.process)
    page = {
        "p": proposal,
        "standing": standing,
        "nav": "desk",
        "doc_lang": standing.document_language,
        "back_to": local_path(next, f"/proposals/{proposal_id}"),
    }
    if is_htmx(request):
        return render(request, "fragments/withdraw_confirm.html", page, actor=context.actor)
    return render(request, "withdraw_confirm.html", page, actor=context.actor)


@router.post("/proposals/{proposal_id}/cosponsors")
def join(proposal_id: RowId, request: Request, context: WebContext, next: Next = "") -> Response:
    """My delegation joins the proposal as co-sponsor."""
    proposal = proposals.join_cosponsors(context.session, context.actor, proposal_id)
    return _after_action(request, context, proposal, next)


@router.post("/proposals/{proposal_id}/cosponsors/leave")
def leave(proposal_id: RowId, request: Request, context: WebContext, next: Next = "") -> Response:
    """My delegation withdraws its co-sponsorship."""
    proposal = proposals.leave_cosponsors(context.session, context.actor, proposal_id)
    return _after_action(request, context, proposal, next)
