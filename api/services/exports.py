"""Documents for export: a revision (and its process's mandate) as plain JSON."""

from typing import Any

from sqlmodel import Session

from api.services import revisions
from api.services.actors import Actor


def revision_document(session: Session, actor: Actor, slug: str, label: str | None) -> dict[str, Any]:
    """The JSON export: process, revision (label, sequence, hash), paragraphs and mandate elements."""
    process = revisions.get_process(session, slug)
    assert process.id is not None
    elements = [element.model_dump() for element in revisions.element_views(session, process.id)]
    document: dict[str, Any] = {"process": slug, "revision": None, "paragraphs": [], "elements": elements}
    if label is None and revisions.latest_published_revision(session, process) is None:
        return document  # a process may have its mandate before its zero draft
    view = revisions.get_revision_view(session, actor, slug, label)
    document["revision"] = view.revision.model_dump(
        mode="json",
        include={"label", "sequence", "content_hash", "state", "symbol", "language", "document_date"},
    )
    document["paragraphs"] = [paragraph.model_dump(mode="json") for paragraph in view.paragraphs]
    return document
