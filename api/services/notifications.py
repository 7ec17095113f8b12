"""Notifications: who follows what, what each person is told, and the mail that carries it.

The use cases that rule, table and publish call the fan-out here in their own transaction, so a
notification exists exactly when its event does. Nobody is told about a proposal they may not see:
every recipient passes the release scope's rule (release_scope.released_to) as it stands at that moment.
Mail is only queued here (OutgoingMail, in the same transaction); api/services/mail.py sends it after
the commit.
"""

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from api.domain.errors import InvalidInput, NotFound
from api.domain.negotiation import RebaseStatus, RevisionState
from api.domain.notifications import Delivery, NotificationKind
from api.domain.numbering import citation
from api.models import (
    Delegation,
    Notification,
    NotificationSetting,
    OutgoingMail,
    Paragraph,
    ParagraphVersion,
    Process,
    Proposal,
    Revision,
    Subscription,
    User,
)
from api.models.base import as_utc, saved_id, utcnow
from api.services.accounts import actor_for_user_id
from api.services.actors import Actor, require_authenticated
from api.services.inputs import NotificationChoices
from api.services.release_scope import released_to
from api.services.revisions import get_process
from api.services.schemas import CarriedProposal, Schema
from api.settings import get_settings

# Set in session.info when a transaction queued mail: the senders of this process are woken after it commits.
MAIL_QUEUED = "accord_mail_queued"
NOTIFICATION_LIMIT = 100


# --- what a person chose -------------------------------------------------------------------------------


class NotificationSettingsView(Schema):
    """A person's notification choices."""

    own_proposals: bool
    email: str
    delivery: Delivery


def _setting(session: Session, user_id: int) -> NotificationSetting:
    found = session.get(NotificationSetting, user_id)
    return found if found is not None else NotificationSetting(user_id=user_id)


def _signed_in(actor: Actor) -> int:
    """The signed-in person's user id (the public has no notifications)."""
    require_authenticated(actor)
    assert actor.user_id is not None
    return actor.user_id


def get_choices(session: Session, actor: Actor) -> NotificationSettingsView:
    """The signed-in person's choices (the defaults until they change them)."""
    return _choices_view(_setting(session, _signed_in(actor)))


def _choices_view(row: NotificationSetting) -> NotificationSettingsView:
    return NotificationSettingsView(
        own_proposals=row.own_proposals, email=row.email, delivery=Delivery(row.delivery)
    )


def update_choices(session: Session, actor: Actor, data: NotificationChoices) -> NotificationSettingsView:
    """Change what the person follows by default and how mail reaches them; mail needs an address."""
    user_id = _signed_in(actor)
    if data.delivery != Delivery.NONE and not data.email:
        raise InvalidInput("give an email address to receive mail, or choose no mail")
    row = _setting(session, user_id)
    row.own_proposals, row.email, row.delivery = data.own_proposals, data.email, data.delivery
    row.updated_at = utcnow()
    session.add(row)
    session.flush()
    return _choices_view(row)


# --- what a person watches -----------------------------------------------------------------------------


class SubscriptionView(Schema):
    """A paragraph or a whole process that a person watches."""

    id: int
    process: str
    paragraph_key: str | None
    # The paragraph as cited in the latest published revision that has it ("para. 12bis").
    paragraph: str | None
    created_at: datetime


def list_subscriptions(session: Session, actor: Actor) -> list[SubscriptionView]:
    """What the signed-in person watches, by process, the whole process first."""
    require_authenticated(actor)
    rows = session.exec(
        select(Subscription, Process.slug, Paragraph.key)
        .join(Process, col(Process.id) == Subscription.process_id)
        .outerjoin(Paragraph, col(Paragraph.id) == Subscription.paragraph_id)
        .where(Subscription.user_id == actor.user_id)
        .order_by(col(Process.slug), col(Subscription.paragraph_id).is_not(None), col(Subscription.id))
    ).all()
    cited = _citations(session, {s.paragraph_id for s, _slug, _key in rows if s.paragraph_id})
    return [
        SubscriptionView(
            id=saved_id(s),
            process=slug,
            paragraph_key=key,
            paragraph=cited.get(s.paragraph_id or 0, key),
            created_at=s.created_at,
        )
        for s, slug, key in rows
    ]


def _citations(session: Session, paragraph_ids: set[int]) -> dict[int, str]:
    if not paragraph_ids:
        return {}
    rows = session.exec(
        select(ParagraphVersion.paragraph_id, ParagraphVersion.number, ParagraphVersion.kind)
        .join(Revision, col(Revision.id) == ParagraphVersion.revision_id)
        .where(
            col(ParagraphVersion.paragraph_id).in_(paragraph_ids), Revision.state == RevisionState.PUBLISHED
        )
        .order_by(col(Revision.sequence))
    ).all()
    found: dict[int, str] = {}
    for paragraph_id, number, kind in rows:  # the latest revision wins
        found[paragraph_id] = citation(number, kind) or found.get(paragraph_id, "")
    return {k: v for k, v in found.items() if v}


def _subject(session: Session, slug: str, paragraph_key: str | None) -> tuple[Process, Paragraph | None]:
    process = get_process(session, slug)
    if paragraph_key is None:
        return process, None
    paragraph = session.exec(
        select(Paragraph).where(Paragraph.process_id == process.id, Paragraph.key == paragraph_key)
    ).first()
    if paragraph is None:
        raise NotFound(f"process {slug!r} has no paragraph {paragraph_key!r}")
    return process, paragraph


def _existing(
    session: Session, user_id: int, process: Process, paragraph: Paragraph | None
) -> Subscription | None:
    query = select(Subscription).where(Subscription.user_id == user_id, Subscription.process_id == process.id)
    if paragraph is None:
        return session.exec(query.where(col(Subscription.paragraph_id).is_(None))).first()
    return session.exec(query.where(Subscription.paragraph_id == paragraph.id)).first()


def watch(session: Session, actor: Actor, slug: str, paragraph_key: str | None = None) -> SubscriptionView:
    """Watch a paragraph (or the whole process); watching it again changes nothing."""
    user_id = _signed_in(actor)
    process, paragraph = _subject(session, slug, paragraph_key)
    row = _existing(session, user_id, process, paragraph)
    if row is None:
        assert process.id is not None
        row = Subscription(
            user_id=user_id, process_id=process.id, paragraph_id=paragraph.id if paragraph else None
        )
        session.add(row)
        session.flush()
    cited = _citations(session, {saved_id(paragraph)}) if paragraph else {}
    return SubscriptionView(
        id=saved_id(row),
        process=slug,
        paragraph_key=paragraph_key,
        paragraph=cited.get(saved_id(paragraph), paragraph_key) if paragraph else None,
        created_at=row.created_at,
    )


def unwatch(session: Session, actor: Actor, slug: str, paragraph_key: str | None = None) -> None:
    """Stop watching a paragraph (or the whole process); not watching it already changes nothing."""
    user_id = _signed_in(actor)
    process, paragraph = _subject(session, slug, paragraph_key)
    row = _existing(session, user_id, process, paragraph)
    if row is not None:
        session.delete(row)
        session.flush()


def drop_subscription(session: Session, actor: Actor, subscription_id: int) -> None:
    """Stop a subscription of the signed-in person by id (someone else's is not found)."""
    require_authenticated(actor)
    row = session.get(Subscription, subscription_id)
    if row is None or row.user_id != actor.user_id:
        raise NotFound(f"you have no subscription {subscription_id}")
    session.delete(row)
    session.flush()


def watching(session: Session, actor: Actor, slug: str, paragraph_key: str | None = None) -> bool:
    """Whether the person watches this paragraph (or the whole process)."""
    if actor.user_id is None:
        return False
    process, paragraph = _subject(session, slug, paragraph_key)
    return _existing(session, actor.user_id, process, paragraph) is not None


# --- the notification centre ---------------------------------------------------------------------------


class NotificationView(Schema):
    """One thing a person was told about, in plain words, with where to read more."""

    id: int
    kind: NotificationKind
    process: str
    message: str
    path: str
    details: dict[str, str]
    created_at: datetime
    read_at: datetime | None


def list_notifications(session: Session, actor: Actor, unread_only: bool = False) -> list[NotificationView]:
    """The person's notifications, newest first (the latest NOTIFICATION_LIMIT)."""
    require_authenticated(actor)
    query = select(Notification).where(Notification.user_id == actor.user_id)
    if unread_only:
        query = query.where(col(Notification.read_at).is_(None))
    rows = session.exec(query.order_by(col(Notification.id).desc()).limit(NOTIFICATION_LIMIT)).all()
    return [_view(row) for row in rows]


def _view(row: Notification) -> NotificationView:
    return NotificationView(
        id=saved_id(row),
        kind=NotificationKind(row.kind),
        process=row.details.get("process", ""),
        message=describe(NotificationKind(row.kind), row.details),
        path=_path(row.details),
        details=row.details,
        created_at=row.created_at,
        read_at=row.read_at,
    )


def unread_count(session: Session, actor: Actor) -> int:
    """How many notifications the person has not marked read (0 for the public)."""
    if not actor.is_authenticated:
        return 0
    query = select(func.count()).where(
        Notification.user_id == actor.user_id, col(Notification.read_at).is_(None)
    )
    return int(session.exec(query).one())


def watch_stamp(session: Session, actor: Actor) -> tuple[int, int]:
    """Changes whenever the person starts or stops watching anything (pages that show it are keyed by it)."""
    if not actor.is_authenticated:
        return (0, 0)
    count, newest = session.exec(
        select(func.count(), func.max(Subscription.id)).where(Subscription.user_id == actor.user_id)
    ).one()
    return (int(count), int(newest or 0))


def mark_read(session: Session, actor: Actor, ids: Iterable[int] | None = None) -> int:
    """Mark the person's notifications read (the given ones, or all); returns how many changed."""
    require_authenticated(actor)
    statement = update(Notification).where(
        col(Notification.user_id) == actor.user_id, col(Notification.read_at).is_(None)
    )
    if ids is not None:
        statement = statement.where(col(Notification.id).in_(list(ids)))
    result = session.execute(statement.values(read_at=utcnow()).execution_options(synchronize_session=False))
    return int(getattr(result, "rowcount", 0) or 0)


def describe(kind: NotificationKind, d: dict[str, str]) -> str:
    """The notification in one English sentence, naming the proposal and the paragraph as cited."""
    who = d.get("sponsor", "") + (f" on behalf of {d['on_behalf_of']}" if d.get("on_behalf_of") else "")
    proposal = f"proposal {d.get('proposal')} by {who} on {d.get('paragraph')}"
    if kind == NotificationKind.PROPOSAL_RULED:
        return f"The co-facilitators ruled on {proposal}: {d.get('state', '').replace('_', ' ')}."
    if kind == NotificationKind.NEEDS_ATTENTION:
        return f"{d.get('revision')} was published and {proposal} could not be carried: it needs attention."
    if kind == NotificationKind.PROPOSAL_TABLED:
        return f"{who} tabled {proposal.split(' by ')[0]} on {d.get('paragraph')}."
    return f"{d.get('revision')} of {d.get('process_title')} was published."


def _path(d: dict[str, str]) -> str:
    if d.get("proposal"):
        return f"/proposals/{d['proposal']}"
    return f"/processes/{d.get('process')}/revisions/{d.get('revision')}"


# --- fan-out: called by the use cases, inside their transaction ---------------------------------------


def proposal_tabled(session: Session, actor: Actor, proposal: Proposal) -> None:
    """Tell those who watch the paragraph (or the process) that a proposal was tabled on it."""
    audience = _watchers(session, proposal.process_id, proposal.paragraph_id)
    if not audience - {actor.user_id or 0}:
        return  # nobody to tell (the usual case of a submit): nothing to read for the message
    process, details = _proposal_details(session, proposal)
    _notify(session, actor, process, NotificationKind.PROPOSAL_TABLED, details, audience, proposal)


def proposal_ruled(session: Session, actor: Actor, proposal: Proposal, reason: str) -> None:
    """Tell the sponsoring delegation and the paragraph's watchers of a ruling."""
    process, details = _proposal_details(session, proposal)
    details.update(state=proposal.state, reason=reason)
    audience = _sponsors(session, proposal) | _watchers(session, proposal.process_id, proposal.paragraph_id)
    _notify(session, actor, process, NotificationKind.PROPOSAL_RULED, details, audience, proposal)


def revision_published(
    session: Session, actor: Actor, revision: Revision, carried: list[CarriedProposal]
) -> None:
    """Tell the process's watchers of a new revision, and each sponsor whose proposal needs attention."""
    process = session.get(Process, revision.process_id)
    assert process is not None
    details = {"process": process.slug, "process_title": process.title_en, "revision": revision.label}
    everyone = _watchers(session, revision.process_id, None, whole_process_only=True)
    _notify(session, actor, process, NotificationKind.REVISION_PUBLISHED, details, everyone, None, revision)
    for outcome in carried:
        if outcome.outcome != RebaseStatus.NEEDS_ATTENTION:
            continue
        proposal = session.get(Proposal, outcome.id)
        assert proposal is not None
        _process, about = _proposal_details(session, proposal)
        about.update(revision=revision.label, note=outcome.note)
        kind = NotificationKind.NEEDS_ATTENTION
        _notify(session, actor, process, kind, about, _sponsors(session, proposal), proposal, revision)


def _proposal_details(session: Session, proposal: Proposal) -> tuple[Process, dict[str, str]]:
    process = session.get(Process, proposal.process_id)
    paragraph = session.get(Paragraph, proposal.paragraph_id)
    assert process is not None and paragraph is not None
    version = session.exec(
        select(ParagraphVersion).where(
            ParagraphVersion.revision_id == proposal.base_revision_id,
            ParagraphVersion.paragraph_id == proposal.paragraph_id,
        )
    ).first()
    cited = citation(version.number, version.kind) if version is not None else None
    codes = dict(
        session.exec(
            select(Delegation.id, Delegation.code).where(
                col(Delegation.id).in_([proposal.sponsor_id, proposal.on_behalf_of_id or 0])
            )
        ).all()
    )
    return process, {
        "process": process.slug,
        "process_title": process.title_en,
        "proposal": str(proposal.id),
        "sponsor": codes.get(proposal.sponsor_id, ""),
        "on_behalf_of": codes.get(proposal.on_behalf_of_id or 0, ""),
        "paragraph": cited or paragraph.key,
        "paragraph_key": paragraph.key,
        "action": proposal.action,
    }


def _sponsors(session: Session, proposal: Proposal) -> set[int]:
    """The members of the sponsoring delegation who follow their own proposals (the default)."""
    rows = session.exec(
        select(User.id, NotificationSetting.own_proposals)
        .outerjoin(NotificationSetting, col(NotificationSetting.user_id) == User.id)
        .where(User.delegation_id == proposal.sponsor_id, col(User.is_active))
    ).all()
    return {user_id for user_id, own in rows if user_id is not None and own is not False}


def _watchers(
    session: Session, process_id: int, paragraph_id: int | None, whole_process_only: bool = False
) -> set[int]:
    query = select(Subscription.user_id).where(Subscription.process_id == process_id)
    if whole_process_only or paragraph_id is None:
        query = query.where(col(Subscription.paragraph_id).is_(None))
    else:
        query = query.where(
            col(Subscription.paragraph_id).is_(None) | (col(Subscription.paragraph_id) == paragraph_id)
        )
    return set(session.exec(query).all())


def _notify(
    session: Session,
    actor: Actor,
    process: Process,
    kind: NotificationKind,
    details: dict[str, str],
    audience: set[int],
    proposal: Proposal | None,
    revision: Revision | None = None,
) -> None:
    for user_id in sorted(audience - {actor.user_id or 0}):
        recipient = actor_for_user_id(session, user_id)
        if recipient is None:  # gone or disabled
            continue
        if proposal is not None and not released_to(recipient, process, proposal):
            continue  # a proposal they may not see: not even that it exists
        row = Notification(
            user_id=user_id,
            process_id=saved_id(process),
            kind=kind,
            proposal_id=proposal.id if proposal else None,
            revision_id=revision.id if revision else None,
            details=details,
        )
        session.add(row)
        session.flush()
        _mail_at_once(session, row)


def _mail_at_once(session: Session, row: Notification) -> None:
    choice = session.get(NotificationSetting, row.user_id)
    if choice is None or choice.delivery != Delivery.INSTANT or not choice.email:
        return
    kind = NotificationKind(row.kind)
    mail = OutgoingMail(
        user_id=row.user_id,
        to_address=choice.email,
        subject=f"[Accord] {_subject_line(kind, row.details)}",
        body=_mail_body([row]),
    )
    session.add(mail)
    session.flush()
    row.mail_id = mail.id
    session.add(row)
    session.info[MAIL_QUEUED] = True


def _subject_line(kind: NotificationKind, d: dict[str, str]) -> str:
    on = f"proposal {d.get('proposal')} ({d.get('sponsor')}, {d.get('paragraph')})"
    return {
        NotificationKind.PROPOSAL_RULED: f"Ruling on {on}: {d.get('state', '').replace('_', ' ')}",
        NotificationKind.NEEDS_ATTENTION: f"{on} needs attention after {d.get('revision')}",
        NotificationKind.PROPOSAL_TABLED: f"New {on}",
        NotificationKind.REVISION_PUBLISHED: f"{d.get('revision')} of {d.get('process_title')} published",
    }[kind]


def _mail_body(rows: list[Notification]) -> str:
    site = get_settings().public_url.rstrip("/")
    parts = []
    for row in rows:
        d = row.details
        lines = [describe(NotificationKind(row.kind), d)]
        if d.get("reason"):
            lines.append(f"Reason: {d['reason']}")
        if d.get("note"):
            lines.append(d["note"])
        lines.append(f"{site}{_quoted(_path(d))}")
        parts.append("\n".join(lines))
    footer = f"You receive this mail because of your choices at {site}/notifications."
    return "\n\n".join([*parts, "-- ", footer]) + "\n"


def _quoted(path: str) -> str:
    return path.replace(" ", "%20")


# --- the daily digest ----------------------------------------------------------------------------------


def queue_digests(session: Session) -> int:
    """Queue one mail per person who chose the daily digest, holding what was not mailed yet."""
    choices = session.exec(
        select(NotificationSetting).where(
            NotificationSetting.delivery == Delivery.DAILY, NotificationSetting.email != ""
        )
    ).all()
    queued = 0
    for choice in choices:
        rows = list(
            session.exec(
                select(Notification)
                .where(Notification.user_id == choice.user_id, col(Notification.mail_id).is_(None))
                # Only what happened since they chose the digest: earlier ones were not meant for mail.
                .where(col(Notification.created_at) >= as_utc(choice.updated_at))
                .order_by(col(Notification.id))
            ).all()
        )
        if not rows:
            continue
        mail = OutgoingMail(
            user_id=choice.user_id,
            to_address=choice.email,
            subject=f"[Accord] Daily digest: {len(rows)} notification{'s' if len(rows) != 1 else ''}",
            body=_mail_body(rows),
        )
        session.add(mail)
        session.flush()
        for row in rows:
            row.mail_id = mail.id
            session.add(row)
        queued += 1
    session.flush()
    if queued:
        session.info[MAIL_QUEUED] = True
    return queued
