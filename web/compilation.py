"""The compilation of proposals per paragraph, with filters, and the co-facilitators' rulings."""

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from typing import Annotated, Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from api.domain.errors import InvalidInput
from api.domain.limits import MAX_PROPOSALS_PER_REQUEST
from api.domain.negotiation import Decision, ParagraphKind, is_pending
from api.http import RowId
from api.services import proposals, revisions, rulings, workspace
from api.services.actors import require_cofacilitator
from api.services.inputs import MAX_REASON, MAX_TEXT, RulingInput
from api.services.schemas import ParagraphView, ProposalView
from web.context import WebContext
from web.csrf import check_csrf
from web.errors import show_in_place
from web.forms import is_htmx, local_path, parse, see_other
from web.labels import PROPOSAL_STATE
from web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])


# The compact table's columns, each with the key it sorts by ("-" before a name sorts it descending).
SORTS = ("paragraph", "kind", "sponsor", "tabled", "state", "ruling")
# Above this many proposals the compilation opens as the compact table (the full view of 300 proposals, a
# card each with its redline and ruling form, takes seconds to render and is 800 KB); either can be chosen.
COMPACT_ABOVE = 60


@dataclass(frozen=True)
class Filters:
    """What the reader asked the compilation for: the GET parameters, so that any view can be linked."""

    paragraph: str = ""
    delegation: str = ""
    group: str = ""
    state: str = ""
    element: str = ""
    revision: str = ""
    view: str = ""  # "full" (cards with redlines) or "table" (compact); unset: chosen by size
    sort: str = "paragraph"

    @classmethod
    def of(cls, params: Mapping[str, str]) -> "Filters":
        """The filters of a query string (unknown views and sorts fall back to the defaults)."""
        given = {name: (params.get(name) or "").strip() for name in cls.__dataclass_fields__}
        view = given["view"] if given["view"] in ("full", "table") else ""
        sort = given["sort"] if given["sort"].removeprefix("-") in SORTS else "paragraph"
        return cls(**{**given, "view": view, "sort": sort})

    def link(self, base: str, **changes: str) -> str:
        """A link to the compilation with these filters, some of them changed (defaults left out)."""
        chosen = {**asdict(self), **changes}
        kept = {k: v for k, v in chosen.items() if v and v != getattr(Filters, k)}
        return f"{base}?{urlencode(kept)}" if kept else base


@router.get("/processes/{slug}/proposals")
def compilation(slug: str, request: Request, context: WebContext) -> Response:
    """All proposals per paragraph, or as a compact sortable table; filtered by paragraph, delegation
    (sponsor, group, co-sponsor), group, state, mandate element and the revision they were tabled on."""
    page = _compilation_page(context, slug, Filters.of(request.query_params))
    ruled = request.query_params.get("ruled", "")
    page["ruled"] = int(ruled) if ruled.isdigit() and len(ruled) < 6 else None
    fragments = {"compilation-results": "fragments/compilation_results.html"}
    return render(request, "compilation.html", page, actor=context.actor, fragments=fragments)


def _compilation_page(context: WebContext, slug: str, filters: Filters) -> dict[str, Any]:
    standing = workspace.standing(context.session, context.actor, slug)
    found = proposals.list_proposals(
        context.session,
        context.actor,
        slug,
        filters.paragraph or None,
        filters.delegation or None,
        filters.state or None,
        group=filters.group or None,
        element=filters.element or None,
        tabled_on=filters.revision or None,
    )
    current = (
        revisions.get_revision_view(context.session, context.actor, slug, standing.current_label)
        if standing.current_label
        else None
    )
    paragraphs = current.paragraphs if current else []
    labels = workspace.published_labels(context.session, slug)
    groups = _by_paragraph(found, paragraphs)
    return {
        "standing": standing,
        "nav": "compilation",
        "doc_lang": standing.document_language,
        "groups": groups,
        "rows": _sorted(found, filters.sort, paragraphs, labels),
        "view": filters.view or ("table" if len(found) > COMPACT_ABOVE else "full"),
        "paragraphs": [p for p in paragraphs if p.kind != ParagraphKind.HEADING],
        "filters": filters,
        "states": PROPOSAL_STATE,
        "revisions": labels,
        "group_choices": workspace.all_groups(context.session),
        "elements": current.elements if current else [],
        "count": len(found),
        "pending_count": sum(1 for p in found if is_pending(p.state)),
        "sorts": SORTS,
    }


Group = tuple[ParagraphView | None, str, list[ProposalView]]


def _by_paragraph(found: list[ProposalView], current: list[ParagraphView]) -> list[Group]:
    """Proposals grouped under their paragraph, in the order of the current text (others at the end)."""
    by_key: dict[str, list[ProposalView]] = {}
    for proposal in found:
        by_key.setdefault(proposal.paragraph_key, []).append(proposal)
    groups: list[Group] = [(p, p.key, by_key.pop(p.key)) for p in current if p.key in by_key]
    groups.extend((None, key, items) for key, items in by_key.items())
    return groups


def _sorted(
    found: list[ProposalView], sort: str, current: list[ParagraphView], labels: list[str]
) -> list[ProposalView]:
    """The compact table's rows in the order asked for; ties keep the order they were tabled in."""
    position = {p.key: i for i, p in enumerate(current)}
    tabled = {label: i for i, label in enumerate(labels)}
    keys: dict[str, Callable[[ProposalView], tuple[Any, ...]]] = {
        "paragraph": lambda p: (position.get(p.paragraph_key, len(position)), p.paragraph_key),
        "kind": lambda p: (p.action,),
        "sponsor": lambda p: (p.sponsor, p.on_behalf_of or ""),
        "tabled": lambda p: (tabled.get(p.tabled_on, -1),),
        "state": lambda p: (p.state,),
        "ruling": lambda p: (p.rulings[-1].decision if p.rulings else "",),
    }
    key = keys[sort.removeprefix("-")]
    ordered = sorted(found, key=lambda p: (*key(p), p.id))
    if sort.startswith("-"):
        ordered = sorted(found, key=lambda p: key(p), reverse=True)  # stable: ties stay in tabling order
    return ordered


@router.post("/processes/{slug}/compilation/release")
def release(
    slug: str,
    request: Request,
    context: WebContext,
    confirmed: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    """The co-facilitators make the compilation readable to observers and the public, once confirmed;
    unconfirmed, the confirmation step says what the release will show (nothing is changed)."""
    if confirmed != "yes":
        standing = workspace.standing(context.session, context.actor, slug)
        require_cofacilitator(context.actor, standing.process_id)
        page = {
            "standing": standing,
            "nav": "compilation",
            "release": workspace.release_preview(context.session, context.actor, slug),
        }
        return render(request, "release_confirm.html", page, actor=context.actor)
    proposals.release_compilation(context.session, context.actor, slug)
    return see_other(f"/processes/{slug}/proposals")


@router.post("/proposals/{proposal_id}/rulings")
def rule(
    proposal_id: RowId,
    request: Request,
    context: WebContext,
    decision: Annotated[str, Form(max_length=32)] = "",
    reason: Annotated[str, Form(max_length=MAX_REASON)] = "",
    text: Annotated[str, Form(max_length=MAX_TEXT)] = "",
    next: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Record a ruling with its reason; an acceptance is merged into the working copy where it can be.

    A refused ruling comes back as the same form, the message next to the field at fault."""
    entered = {
        "ruling_for": proposal_id,
        "decision": decision,
        "reason": reason,
        "ruling_text": text,
        "back_to": local_path(next, f"/proposals/{proposal_id}"),
    }
    _show_ruling_in_place(request, context, proposal_id, entered)
    if not decision:
        raise InvalidInput(
            "choose a decision: accept, accept with changes, reject or defer", field="decision"
        )
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


def _show_ruling_in_place(
    request: Request, context: WebContext, proposal_id: int, entered: dict[str, object]
) -> None:
    # htmx swaps the card; without JavaScript the proposal's page comes back with the form open.
    proposal = proposals.get_proposal(context.session, context.actor, proposal_id)
    standing = workspace.standing(context.session, context.actor, proposal.process)
    page = {"p": proposal, "standing": standing, "doc_lang": standing.document_language, **entered}
    if is_htmx(request):
        show_in_place(request, "fragments/proposal_card.html", page, block=None)
    else:
        edit = {"text": proposal.text, "justification": proposal.justification, "edit_redline": []}
        full = {**page, **edit, "nav": "compilation", "current": None, "lock_version": proposal.lock_version}
        show_in_place(request, "proposal.html", full, block=None)


@router.post("/processes/{slug}/rulings")
def rule_many(
    slug: str,
    request: Request,
    context: WebContext,
    proposal: Annotated[list[int] | None, Form(max_length=MAX_PROPOSALS_PER_REQUEST)] = None,
    decision: Annotated[str, Form(max_length=32)] = "",
    reason: Annotated[str, Form(max_length=MAX_REASON)] = "",
    bulk: Annotated[str, Form(max_length=64)] = "table",
    next: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """One decision with one reason on the chosen proposals (all of a paragraph's, or those ticked), in
    one transaction; refused whole, with the same page and the message at its field, if any may not be."""
    back = local_path(next, f"/processes/{slug}/proposals")
    page = _compilation_page(context, slug, Filters.of(dict(parse_qsl(urlsplit(back).query))))
    entered = {"bulk_for": bulk, "chosen": set(proposal or []), "decision": decision, "reason": reason}
    show_in_place(request, "compilation.html", {**page, **entered, "back_to": back}, block=None)
    if not decision:
        raise InvalidInput("choose a decision: accept, reject or defer", field="decision")
    data = parse(RulingInput, decision=decision, reason=reason)
    outcomes = rulings.rule_many(context.session, context.actor, slug, proposal or [], data)
    where = urlsplit(back)
    kept = [(k, v) for k, v in parse_qsl(where.query) if k != "ruled"]
    return see_other(f"{where.path}?{urlencode([*kept, ('ruled', str(len(outcomes)))])}")
