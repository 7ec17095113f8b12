"""The notification centre, the choices and watches behind it, the feed page and the operators' outbox."""

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from api.domain.notifications import Delivery
from api.services import mail, notifications, workspace
from api.services.actors import require_authenticated
from api.services.inputs import NotificationChoices
from web.context import WebContext
from web.csrf import check_csrf
from web.feeds import Filters
from web.forms import local_path, parse, see_other
from web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])

Next = Annotated[str, Form(max_length=2000)]
Key = Annotated[str, Form(max_length=64)]


@router.get("/notifications")
def centre(request: Request, context: WebContext, saved: bool = False) -> Response:
    """What the person was told, newest first; their choices; what they watch."""
    session, actor = context.session, context.actor
    require_authenticated(actor)
    page = {
        "notifications": notifications.list_notifications(session, actor),
        "choices": notifications.get_choices(session, actor),
        "subscriptions": notifications.list_subscriptions(session, actor),
        "deliveries": list(Delivery),
        "saved": saved,
    }
    return render(request, "notifications.html", page, actor=actor)


@router.post("/notifications/read")
def mark_read(context: WebContext, notification: Annotated[int | None, Form(ge=1)] = None) -> Response:
    """Mark one notification read, or (with none named) all of them."""
    notifications.mark_read(context.session, context.actor, None if notification is None else [notification])
    return see_other("/notifications")


@router.post("/notifications/settings")
def save_choices(
    context: WebContext,
    email: Annotated[str, Form(max_length=254)] = "",
    delivery: Annotated[str, Form(max_length=16)] = "none",
    own_proposals: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    """Save what the person follows by default and how notifications are mailed."""
    data = parse(NotificationChoices, email=email, delivery=delivery, own_proposals=own_proposals == "on")
    notifications.update_choices(context.session, context.actor, data)
    return see_other("/notifications?saved=1")


@router.post("/processes/{slug}/watch")
def watch(slug: str, context: WebContext, paragraph: Key = "", next: Next = "") -> Response:
    """Watch a paragraph, or the whole process when no paragraph is given."""
    notifications.watch(context.session, context.actor, slug, paragraph or None)
    return see_other(local_path(next, "/notifications"))


@router.post("/processes/{slug}/unwatch")
def unwatch(slug: str, context: WebContext, paragraph: Key = "", next: Next = "") -> Response:
    """Stop watching a paragraph, or the whole process."""
    notifications.unwatch(context.session, context.actor, slug, paragraph or None)
    return see_other(local_path(next, "/notifications"))


@router.get("/processes/{slug}/feed")
def feed_page(
    slug: str,
    request: Request,
    context: WebContext,
    filters: Filters,
) -> Response:
    """The feed as a page to read, filtered by paragraph, sponsoring delegation or group spoken for."""
    page = {
        "standing": workspace.standing(context.session, context.actor, slug),
        "nav": "feed",
        "feed": workspace.feed(context.session, context.actor, slug, filters),
        "watching_process": notifications.watching(context.session, context.actor, slug),
    }
    return render(request, "feed.html", page, actor=context.actor)


@router.get("/outbox")
def outbox(request: Request, context: WebContext) -> Response:
    """The mail Accord queued and what became of it (the secretariat's: it is other people's mail)."""
    page = {
        "mails": mail.outbox(context.session, context.actor),
        "transport": request.app.state.settings.mail_transport,
    }
    return render(request, "outbox.html", page, actor=context.actor)
