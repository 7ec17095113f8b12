"""Row locks that order concurrent use cases on PostgreSQL (SQLite serialises writers at BEGIN IMMEDIATE).

Every use case locks the process row before any proposal row, so two transactions never wait on each
other in opposite orders: editing proposals takes it shared, opening or publishing the working copy
and ruling take it exclusively."""

from sqlmodel import Session, select

from api.models import Process


def lock_process(session: Session, process_id: int, *, exclusive: bool) -> None:
    """Hold the process row until the transaction ends, shared or exclusive."""
    if session.get_bind().dialect.name == "sqlite":
        return  # a write transaction there holds the database's one write lock already (BEGIN IMMEDIATE)
    query = select(Process.id).where(Process.id == process_id)
    session.exec(query.with_for_update(read=not exclusive))
