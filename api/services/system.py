"""Operational checks."""

from sqlalchemy import text
from sqlmodel import Session


def database_health(session: Session) -> str:
    """The engine's name once a trivial query has answered."""
    session.execute(text("SELECT 1"))
    return session.get_bind().dialect.name
