"""Tagging the working copy with mandate elements, after an import: suggestions to confirm, with reasons."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from api.domain.errors import InvalidInput
from api.services import tagging, workspace
from web.context import WebContext
from web.csrf import check_csrf
from web.forms import see_other
from web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])


@router.get("/processes/{slug}/tagging")
def tagging_page(slug: str, request: Request, context: WebContext, saved: int | None = None) -> Response:
    """Each paragraph of the working copy with its tags and the engine's suggestions (with reasons)."""
    standing = workspace.standing(context.session, context.actor, slug)
    sheet = tagging.tagging_sheet(context.session, context.actor, slug)
    labels_by_code = {element.code: element.label for element in sheet.elements}
    page = {
        "standing": standing,
        "nav": "working",
        "sheet": sheet,
        "saved": saved,
        "labels_by_code": labels_by_code,
    }
    return render(request, "tagging.html", page, actor=context.actor)


async def tag_fields(request: Request) -> dict[str, list[str]]:
    """The submitted form, each field with all its values (a paragraph's tags are several checkboxes)."""
    form = await request.form()
    return {name: [v for v in form.getlist(name) if isinstance(v, str)] for name in form}


@router.post("/processes/{slug}/tagging")
def save_tags(
    slug: str, context: WebContext, fields: Annotated[dict[str, list[str]], Depends(tag_fields)]
) -> Response:
    """Save the tags of every paragraph the form shows (only those that changed are written)."""
    changed = tagging.tag_paragraphs(context.session, context.actor, slug, read_tags(fields))
    return see_other(f"/processes/{slug}/tagging?saved={changed}")


def read_tags(fields: dict[str, list[str]]) -> dict[str, tuple[int, list[str]]]:
    """Paragraph key → (lock_version, element codes), for the rows the form showed (`lock-KEY`)."""
    tags: dict[str, tuple[int, list[str]]] = {}
    for name, values in fields.items():
        if not name.startswith("lock-"):
            continue
        key = name.removeprefix("lock-")
        if not values or not values[0].isdigit():
            raise InvalidInput(f"paragraph {key}: the form lost its version; reload the page")
        tags[key] = (int(values[0]), fields.get(f"tag-{key}", []))
    return tags
