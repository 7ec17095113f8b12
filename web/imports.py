"""Importing a draft: upload, review the alignment (uncertain links first), correct it, confirm it."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Request, UploadFile
from fastapi.responses import Response

from api.domain.errors import Conflict, InvalidInput
from api.services import imports, workspace
from api.services.inputs import ImportReview
from api.services.schemas import ImportedParagraph, ImportView
from web.context import WebContext
from web.csrf import check_csrf
from web.forms import see_other
from web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])

# What a person can say about one imported paragraph.
HOW = ("continues", "split", "merged", "new")


@dataclass(frozen=True, slots=True)
class ReviewRow:
    """One imported paragraph as the review form shows it: what the engine proposes, as form values."""

    paragraph: ImportedParagraph
    how: str
    keys: str


def review_row(paragraph: ImportedParagraph) -> ReviewRow:
    """The form's starting values for a paragraph: the engine's (or the last correction's) link."""
    if paragraph.relation.startswith("split from") and paragraph.also:
        return ReviewRow(paragraph, "split", paragraph.also[0])
    if paragraph.also:
        return ReviewRow(paragraph, "merged", ", ".join(paragraph.also))
    if paragraph.continues is None:
        return ReviewRow(paragraph, "new", "")
    return ReviewRow(paragraph, "continues", paragraph.continues)


def old_keys(view: ImportView) -> list[str]:
    """Every paragraph of the previous revision the form can name: continued, split, merged or deleted."""
    named = [key for p in view.paragraphs for key in ([p.continues] if p.continues else []) + p.also]
    return list(dict.fromkeys([*named, *view.deleted]))


async def form_fields(request: Request) -> dict[str, str]:
    """The submitted form as plain strings (the review form has a field per paragraph)."""
    form = await request.form()
    return {name: value for name, value in form.items() if isinstance(value, str)}


@router.get("/processes/{slug}/import")
def import_page(slug: str, request: Request, context: WebContext) -> Response:
    """Upload a draft, or review the alignment of the one uploaded and confirm it."""
    standing = workspace.standing(context.session, context.actor, slug)
    try:
        pending: ImportView | None = imports.import_view(context.session, context.actor, slug)
    except Conflict:
        pending = None  # nothing imported and waiting
    rows = [review_row(p) for p in pending.paragraphs] if pending else []
    first = set(pending.to_check) if pending else set()
    page = {
        "standing": standing,
        "nav": "import",
        "pending": pending,
        "doc_lang": standing.document_language,
        "to_check": [rows[i] for i in pending.to_check] if pending else [],
        "others": [row for row in rows if row.paragraph.index not in first],
        "hows": HOW,
        "old_keys": old_keys(pending) if pending else [],
    }
    return render(request, "import.html", page, actor=context.actor)


@router.post("/processes/{slug}/import")
def upload_draft(slug: str, file: UploadFile, context: WebContext) -> Response:
    """Load a .md or .txt draft into the working copy, aligned with the current revision."""
    data = file.file.read()
    imports.import_revision(context.session, context.actor, slug, file.filename or "upload", data)
    return see_other(f"/processes/{slug}/import")


@router.post("/processes/{slug}/import/confirm")
def confirm_import(
    slug: str, context: WebContext, fields: Annotated[dict[str, str], Depends(form_fields)]
) -> Response:
    """Apply the person's corrections and confirmations; the draft becomes the working copy to publish."""
    view = imports.import_view(context.session, context.actor, slug)
    corrections, review = read_review(view, fields)
    imports.confirm_import(context.session, context.actor, slug, corrections, review)
    return see_other(f"/processes/{slug}/import")


def read_review(view: ImportView, fields: dict[str, str]) -> tuple[dict[int, str | None], ImportReview]:
    """Turn the review form into corrections: only rows whose values differ from what was proposed."""
    corrections: dict[int, str | None] = {}
    splits: dict[int, str] = {}
    merges: dict[int, list[str]] = {}
    confirmed: list[int] = []
    preambular = _preambular(view, fields)
    for paragraph in view.paragraphs:
        i = paragraph.index
        start = review_row(paragraph)
        how = fields.get(f"how-{i}", start.how)
        keys = [k for k in fields.get(f"keys-{i}", start.keys).replace(",", " ").split() if k]
        if how not in HOW:
            raise InvalidInput(f"paragraph {i}: choose one of {', '.join(HOW)}")
        if fields.get(f"ok-{i}"):
            confirmed.append(i)
        if how == start.how and " ".join(keys) == " ".join(start.keys.replace(",", " ").split()):
            continue
        if how in ("split", "merged") and not keys:
            raise InvalidInput(f"paragraph {i}: name the paragraph of the previous revision it comes from")
        if how == "continues":
            if len(keys) > 1:
                raise InvalidInput(f"paragraph {i}: it continues one paragraph; for several choose “merged”")
            corrections[i] = keys[0] if keys else None
        elif how == "new":
            corrections[i] = None
        elif how == "split":
            splits[i] = keys[0]
            if paragraph.continues is not None:
                corrections[i] = None
        elif paragraph.continues is None:  # a new paragraph said to merge old ones: the first keeps its name
            corrections[i] = keys[0]
            if keys[1:]:
                merges[i] = keys[1:]
        elif others := [k for k in keys if k != paragraph.continues]:
            merges[i] = others
    return corrections, ImportReview(splits=splits, merges=merges, confirmed=confirmed, preambular=preambular)


def _preambular(view: ImportView, fields: dict[str, str]) -> list[int] | None:
    """The paragraphs marked preambular in the form (None when the form marks none either way)."""
    marks = {p.index: fields[f"part-{p.index}"] for p in view.paragraphs if f"part-{p.index}" in fields}
    if not marks:
        return None
    wrong = sorted(i for i, mark in marks.items() if mark not in ("preambular", "operative"))
    if wrong:
        raise InvalidInput(f"paragraph {wrong[0]}: choose preambular or operative")
    kept = {p.index for p in view.paragraphs if p.preambular and p.index not in marks}
    return sorted(kept | {i for i, mark in marks.items() if mark == "preambular"})
