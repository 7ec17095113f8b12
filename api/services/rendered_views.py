"""Reading views of a published revision rendered once, at publication, and kept with the revision.

Every app process serving the database reads them, so the first reader after a publication gets the
page without rendering it, whichever process answers. A view is derived data: the body is what the
web layer rendered (compressed), and its MAC under the server's secret key covers the revision, the
name and the body, so that a body changed in the database is refused (and rendered afresh) rather than
shown as the revision's text.
"""

import hashlib
import hmac
import logging
import zlib
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col, select

from api.models import Process, RenderedView, Revision

logger = logging.getLogger(__name__)
# Whole pages (web/cached.py names them by the state they show), beside the bodies of views.
PAGE_PREFIX = "page:"


def _mac(secret: str, revision_id: int, name: str, body: bytes) -> str:
    signed = f"{revision_id}\x00{name}\x00".encode() + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def store(session: Session, revision_id: int, name: str, html: str, secret: str) -> None:
    """Keep the rendered view `name` of a revision (replacing an earlier one of that name)."""
    body = zlib.compress(html.encode(), 1)  # fast: it is done while the publication waits
    mac = _mac(secret, revision_id, name, body)
    query = select(RenderedView).where(RenderedView.revision_id == revision_id, RenderedView.name == name)
    found = session.exec(query).first()
    if found is None:
        session.add(RenderedView(revision_id=revision_id, name=name, body=body, mac=mac))
    else:
        found.body, found.mac = body, mac
    session.flush()


def find(session: Session, slug: str, label: str, name: str, secret: str) -> str | None:
    """The stored view `name` of a process's revision, if there is one and its MAC holds."""
    return _verified(session, _named(slug, name).where(Revision.label == label), name, secret)


def find_named(session: Session, slug: str, name: str, secret: str) -> str | None:
    """The stored view `name` of whichever of the process's revisions holds it (names of pages are
    unique: they hash the state of the process they show)."""
    return _verified(session, _named(slug, name), name, secret)


def forget_pages(session: Session, slug: str) -> None:
    """Drop the process's stored whole pages: each shows a state of the process that has passed."""
    revision_ids = select(Revision.id).join(Process, col(Process.id) == Revision.process_id)
    revision_ids = revision_ids.where(Process.slug == slug)
    session.execute(
        delete(RenderedView).where(
            col(RenderedView.name).startswith(PAGE_PREFIX), col(RenderedView.revision_id).in_(revision_ids)
        )
    )


def _named(slug: str, name: str) -> Any:
    return (
        select(RenderedView.revision_id, RenderedView.body, RenderedView.mac)
        .join(Revision, col(Revision.id) == RenderedView.revision_id)
        .join(Process, col(Process.id) == Revision.process_id)
        .where(Process.slug == slug, RenderedView.name == name)
    )


def _verified(session: Session, query: Any, name: str, secret: str) -> str | None:
    row = session.exec(query).first()
    if row is None:
        return None
    revision_id, body, mac = row
    if not hmac.compare_digest(mac, _mac(secret, revision_id, name, body)):
        logger.warning(
            "rendered view %r of revision %s fails its MAC: ignored, rendered afresh", name, revision_id
        )
        return None
    return zlib.decompress(body).decode()
