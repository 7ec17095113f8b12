"""Proposals, co-sponsorship, rulings and the compilation."""

from typing import Annotated

from fastapi import APIRouter, Header, Query, status

from api.http import Context, RowId
from api.services import proposals, rulings
from api.services.inputs import BulkRulingInput, ProposalEdit, ProposalInput, RulingInput
from api.services.schemas import CompilationView, ProposalView, RulingOutcome

router = APIRouter(tags=["proposals"])


@router.post(
    "/processes/{slug}/proposals",
    response_model=ProposalView,
    status_code=status.HTTP_201_CREATED,
    summary="Table a proposal",
)
def table_proposal(
    slug: str,
    data: ProposalInput,
    context: Context,
    idempotency_key: Annotated[str | None, Header(max_length=128)] = None,
) -> ProposalView:
    """Table an amendment, insertion or deletion; repeating the same Idempotency-Key creates nothing new."""
    return proposals.table_proposal(context.session, context.actor, slug, data, idempotency_key)


@router.get("/processes/{slug}/proposals", response_model=list[ProposalView], summary="The compilation")
def list_proposals(
    slug: str,
    context: Context,
    paragraph: Annotated[str | None, Query(description="paragraph key")] = None,
    delegation: Annotated[str | None, Query(description="sponsor, group or co-sponsor code")] = None,
    state: Annotated[str | None, Query(description="submitted, accepted, rejected …")] = None,
) -> list[ProposalView]:
    """All proposals of the process with their redlines, filtered by paragraph, delegation or state."""
    return proposals.list_proposals(context.session, context.actor, slug, paragraph, delegation, state)


@router.get("/processes/{slug}/compilation", response_model=CompilationView, summary="The compilation text")
def get_compilation(
    slug: str,
    context: Context,
    state: Annotated[str | None, Query(description="only proposals in this state")] = None,
) -> CompilationView:
    """Proposals per paragraph of the current revision, in document order, by delegation."""
    return proposals.compilation(context.session, context.actor, slug, state)


@router.post("/processes/{slug}/compilation/release", status_code=204, summary="Release the compilation")
def release_compilation(slug: str, context: Context) -> None:
    """Co-facilitators make the compilation readable to observers and the public."""
    proposals.release_compilation(context.session, context.actor, slug)


@router.get("/proposals/{proposal_id}", response_model=ProposalView, summary="One proposal")
def get_proposal(proposal_id: RowId, context: Context) -> ProposalView:
    """One proposal with its co-sponsors, rulings and redline."""
    return proposals.get_proposal(context.session, context.actor, proposal_id)


@router.patch("/proposals/{proposal_id}", response_model=ProposalView, summary="Edit a proposal")
def edit_proposal(proposal_id: RowId, data: ProposalEdit, context: Context) -> ProposalView:
    """The sponsor edits its proposal until it is ruled on (send the lock_version you read)."""
    return proposals.edit_proposal(context.session, context.actor, proposal_id, data)


@router.post("/proposals/{proposal_id}/withdraw", response_model=ProposalView, summary="Withdraw a proposal")
def withdraw_proposal(proposal_id: RowId, context: Context) -> ProposalView:
    """The sponsor withdraws its pending proposal."""
    return proposals.withdraw_proposal(context.session, context.actor, proposal_id)


@router.post("/proposals/{proposal_id}/cosponsors", response_model=ProposalView, summary="Join as co-sponsor")
def join_cosponsors(proposal_id: RowId, context: Context) -> ProposalView:
    """The caller's delegation joins the proposal as co-sponsor."""
    return proposals.join_cosponsors(context.session, context.actor, proposal_id)


@router.delete(
    "/proposals/{proposal_id}/cosponsors", response_model=ProposalView, summary="Leave co-sponsorship"
)
def leave_cosponsors(proposal_id: RowId, context: Context) -> ProposalView:
    """The caller's delegation withdraws its co-sponsorship (the dates are kept)."""
    return proposals.leave_cosponsors(context.session, context.actor, proposal_id)


@router.post("/proposals/{proposal_id}/rulings", response_model=RulingOutcome, summary="Rule on a proposal")
def rule(proposal_id: RowId, data: RulingInput, context: Context) -> RulingOutcome:
    """A co-facilitator accepts (with changes), rejects or defers, with a reason."""
    return rulings.rule(context.session, context.actor, proposal_id, data)


@router.post(
    "/processes/{slug}/rulings", response_model=list[RulingOutcome], summary="Rule on several proposals"
)
def rule_many(slug: str, data: BulkRulingInput, context: Context) -> list[RulingOutcome]:
    """One decision (accept, reject, defer) and one reason on several proposals, in one transaction; refused
    whole (409, naming each) if any of them may not be ruled so."""
    ruling = RulingInput(decision=data.decision, reason=data.reason)
    return rulings.rule_many(context.session, context.actor, slug, data.proposals, ruling)
