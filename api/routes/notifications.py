"""The signed-in person's notifications, their choices, and what they watch."""

from typing import Annotated

from fastapi import APIRouter, Query, status
from fastapi.responses import Response

from api.http import Context, RowId
from api.services import notifications
from api.services.inputs import MarkRead, NotificationChoices, WatchInput
from api.services.notifications import NotificationSettingsView, NotificationView, SubscriptionView
from api.services.schemas import Schema

router = APIRouter(tags=["notifications"])


class Marked(Schema):
    """How many notifications were marked read."""

    marked: int


@router.get("/notifications", response_model=list[NotificationView], summary="My notifications")
def list_notifications(
    context: Context,
    unread: Annotated[bool, Query(description="only those not marked read")] = False,
) -> list[NotificationView]:
    """The latest notifications of the signed-in person, newest first."""
    return notifications.list_notifications(context.session, context.actor, unread)


@router.post("/notifications/read", response_model=Marked, summary="Mark notifications read")
def mark_read(data: MarkRead, context: Context) -> Marked:
    """Mark the given notifications read, or all of them when no ids are given."""
    return Marked(marked=notifications.mark_read(context.session, context.actor, data.ids))


@router.get(
    "/notifications/settings", response_model=NotificationSettingsView, summary="My notification choices"
)
def get_choices(context: Context) -> NotificationSettingsView:
    """Whether one's own delegation's proposals are followed, and how notifications are mailed."""
    return notifications.get_choices(context.session, context.actor)


@router.put(
    "/notifications/settings",
    response_model=NotificationSettingsView,
    summary="Change my notification choices",
)
def update_choices(data: NotificationChoices, context: Context) -> NotificationSettingsView:
    """Follow one's own delegation's proposals or not; mail: none, instant, or a daily digest."""
    return notifications.update_choices(context.session, context.actor, data)


@router.get("/subscriptions", response_model=list[SubscriptionView], summary="What I watch")
def list_subscriptions(context: Context) -> list[SubscriptionView]:
    """The paragraphs and processes the signed-in person watches."""
    return notifications.list_subscriptions(context.session, context.actor)


@router.post(
    "/subscriptions",
    response_model=SubscriptionView,
    status_code=status.HTTP_201_CREATED,
    summary="Watch a paragraph or a process",
)
def watch(data: WatchInput, context: Context) -> SubscriptionView:
    """Watch a paragraph (or, with no paragraph, the whole process); watching it again changes nothing."""
    return notifications.watch(context.session, context.actor, data.process, data.paragraph)


@router.delete(
    "/subscriptions/{subscription_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Stop watching"
)
def drop_subscription(subscription_id: RowId, context: Context) -> Response:
    """Stop one of the signed-in person's subscriptions."""
    notifications.drop_subscription(context.session, context.actor, subscription_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
