"""SQLModel tables, one module per aggregate; importing this package registers them all."""

from api.models.audit import AuditEvent
from api.models.base import metadata
from api.models.delegation import Delegation, GroupMembership
from api.models.notification import Notification, NotificationSetting, OutgoingMail, Subscription
from api.models.process import Mandate, MandateElement, Process
from api.models.proposal import CoSponsorship, Proposal, Ruling
from api.models.revision import (
    Paragraph,
    ParagraphLink,
    ParagraphTag,
    ParagraphVersion,
    RenderedView,
    Revision,
)
from api.models.room import FloorRequest, ReadingMark, RoomCursor, SilenceProcedure
from api.models.user import RoleGrant, User, UserSession

__all__ = [
    "AuditEvent",
    "CoSponsorship",
    "Delegation",
    "FloorRequest",
    "GroupMembership",
    "Mandate",
    "MandateElement",
    "Notification",
    "NotificationSetting",
    "OutgoingMail",
    "Paragraph",
    "ParagraphLink",
    "ParagraphTag",
    "ParagraphVersion",
    "Process",
    "Proposal",
    "ReadingMark",
    "RenderedView",
    "Revision",
    "RoleGrant",
    "RoomCursor",
    "Ruling",
    "SilenceProcedure",
    "Subscription",
    "User",
    "UserSession",
    "metadata",
]
