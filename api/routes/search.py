"""Search within a process (revisions, proposals, justifications, rulings), as the reader may see them."""

from typing import Annotated

from fastapi import APIRouter, Query

from api.http import Context
from api.services import search as search_service
from api.services.search import MAX_QUERY
from api.services.search_schemas import SearchResults

router = APIRouter(tags=["search"])

SearchQuery = Annotated[
    str,
    Query(
        min_length=1,
        max_length=MAX_QUERY,
        description="words or Chinese characters, all of which must be found; "
        "a word matches every word it begins (order → orderly), Chinese characters wherever they stand",
    ),
]
InRevision = Annotated[
    str | None, Query(max_length=64, description="search one revision only (its label); default: all")
]


@router.get("/processes/{slug}/search", response_model=SearchResults, summary="Search a process")
def search(slug: str, q: SearchQuery, context: Context, revision: InRevision = None) -> SearchResults:
    """Paragraphs of the revisions, proposals (text and justification) and rulings holding every term."""
    return search_service.search(context.session, context.actor, slug, q, revision)
