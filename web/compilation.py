"""The compilation of proposals per paragraph, with filters, and the co-facilitators' rulings."""

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from api.domain.negotiation import Decision, ParagraphKind
from api.http import RowId
from api.services import proposals, revisions, rulings, workspace
from api.services.inputs import MAX_REASON, MAX_TEXT, RulingInput
from api.services.schemas import ParagraphView, ProposalView
from web.context import WebContext
from web.csrf import check_csrf
from web.forms import is_htmx, local_path, parse, see_other
from web.labels import PROPOSAL_STATE
from web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])


@router.get("/processes/{slug}/proposals")
def compilation(
    slug: str,
    request: Request,
    context: WebContext,
    paragraph: str | None = None,
    delegation: str | None = None,
    state: str | None = None,
) -> Response:
    """All proposals per paragraph, filtered by paragraph, delegation (sponsor, group, co-sponsor), state."""
    standing = workspace.standing(context.session, context.actor, slug)
    found = proposals.list_proposals(
        context.session, context.actor, slug, paragraph or None, delegation or None, state or None
    )
    current = (
        revisions.get_revision_view(context.session, context.actor, slug, standing.current_label).paragraphs
        if standing.current_label
        else []
    )
    page = {
        "standing": standing,
        "nav": "compilation",
        "doc_lang": standing.document_language,
        "groups": _by_paragraph(found, current),
        "paragraphs": [p for p in current if p.kind != ParagraphKind.HEADING],
        "filters": {"paragraph": paragraph or "", "delegation": delegation or "", "state": state or ""},
        "states": PROPOSAL_STATE,
        "count": len(found),
    }
    fragments = {"compilation-results": "fragments/compilation_results.html"}
    return render(request, "compilation.html", page, actor=context.actor, fragments=fragments)


Group = tuple[ParagraphView | None, str, list[ProposalView]]


def _by_paragraph(found: list[ProposalView], current: list[ParagraphView]) -> list[Group]:
    """Proposals grouped under their paragraph, in the order of the current text (others at the end)."""
    by_key: dict[str, list[ProposalView]] = {}
    for proposal in found:
        by_key.setdefault(proposal.paragraph_key, []).append(proposal)
    groups: list[Group] = [(p, p.key, by_key.pop(p.key)) for p in current if p.key in by_key]
    groups.extend((None, key, items) for key, items in by_key.items())
    return groups


@router.post("/processes/{slug}/compilation/release")
def release(slug: str, context: WebContext) -> Response:
    """The co-facilitators make the compilation readable to observers and the public."""
    proposals.release_compilation(context.session, context.actor, slug)
    return see_other(f"/processes/{slug}/proposals")


@router.post("/proposals/{proposal_id}/rulings")
def rule(
    proposal_id: RowId,
    request: Request,
    context: WebContext,
    decision: Annotated[str, Form(max_length=32)],
    reason: Annotated[str, Form(max_length=MAX_REASON)],
    text: Annotated[str, Form(max_length=MAX_TEXT)] = "",
    next: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Record a ruling with its reason; an acceptance is merged into the working copy where it can be."""
    changes = text if decision == Decision.ACCEPT_WITH_CHANGES else None
    data = parse(RulingInput, decision=decision, reason=reason, text=changes)
    outcome = rulings.rule(context.session, context.actor, proposal_id, data)
    if not is_htmx(request):
        return see_other(local_path(next, f"/proposals/{proposal_id}"))
    standing = workspace.standing(context.session, context.actor, outcome.proposal.process)
    page = {
        "p": outcome.proposal,
        "standing": standing,
        "doc_lang": standing.document_language,
        "outcome": outcome,
    }
    return render(request, "fragments/proposal_card.html", page, actor=context.actor)
