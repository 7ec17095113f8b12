"""The context of one request: its transaction and the person acting."""

from dataclasses import dataclass

from sqlmodel import Session

from api.services.actors import Actor


@dataclass(frozen=True)
class RequestContext:
    """What every use case needs: the request's session (one transaction) and its actor."""

    session: Session
    actor: Actor
