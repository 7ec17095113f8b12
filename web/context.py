"""The web's request context: the same Context as the API, remembered for error pages."""

from typing import Annotated

from fastapi import Depends, Request

from api.http import Context, ReadContext
from api.services import notifications
from api.services.actors import PUBLIC, Actor
from api.services.context import RequestContext

_ACTOR_STATE = "accord_actor"
_NOTICE_STATE = "accord_notice"


def web_context(request: Request, context: Context) -> RequestContext:
    """The request's transaction and actor; the actor is kept so that an error page can show who is in."""
    setattr(request.state, _ACTOR_STATE, context.actor)
    if context.actor.is_authenticated:  # the header's count, and what cached pages' ETags depend on
        unread = notifications.unread_count(context.session, context.actor)
        watched = notifications.watch_stamp(context.session, context.actor)
        setattr(request.state, _NOTICE_STATE, (unread, *watched))
    return context


def web_read_context(request: Request, context: ReadContext) -> RequestContext:
    """The same, in a read-only transaction whatever the method (signing in)."""
    setattr(request.state, _ACTOR_STATE, context.actor)
    return context


def notice_of(request: Request) -> tuple[int, ...]:
    """The signed-in person's unread count and what they watch, as far as the request resolved them."""
    notice = getattr(request.state, _NOTICE_STATE, None)
    return notice if isinstance(notice, tuple) else (0,)


def actor_of(request: Request) -> Actor:
    """The actor of the request, as far as it was resolved (the public before that)."""
    actor = getattr(request.state, _ACTOR_STATE, None)
    return actor if isinstance(actor, Actor) else PUBLIC


WebContext = Annotated[RequestContext, Depends(web_context)]
WebReadContext = Annotated[RequestContext, Depends(web_read_context)]
