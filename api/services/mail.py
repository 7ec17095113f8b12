"""Sending the mail that notifications queue: after the commit, never inside a request's transaction.

A use case queues an OutgoingMail row in its own transaction (api/services/notifications.py) and marks
the session; once that transaction commits, the after-commit listener here wakes the mail senders of
this process serving the same database. A sender claims due mail in a short transaction (moving its next
attempt forward: a lease, so that two app processes never send the same mail), sends outside any
transaction, and records each result: sent, or the error and when to try again. A failed mail is kept
and retried with a growing delay, by the sender and by `accord digest`; nothing is dropped.
"""

import logging
import smtplib
import ssl
import threading
import weakref
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from typing import Protocol

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import SessionTransaction
from sqlmodel import Session, col, select

from api.db import unit_of_work
from api.domain.notifications import retry_delay
from api.models import OutgoingMail
from api.models.base import as_utc, saved_id, utcnow
from api.services.actors import Actor, require_secretariat
from api.services.notifications import MAIL_QUEUED
from api.services.schemas import Schema
from api.settings import Settings

logger = logging.getLogger(__name__)

# How long a sender holds the mail it claimed before another may try it (a sender that died mid-way).
_LEASE = timedelta(minutes=5)
_BATCH = 50


class Transport(Protocol):
    """Where mail goes."""

    def send(self, message: EmailMessage) -> None:
        """Deliver one message or raise (smtplib.SMTPException, OSError)."""


class OutboxTransport:
    """Development: the mail stays in the database, read on the /outbox page; nothing leaves the machine."""

    def send(self, message: EmailMessage) -> None:
        """Nothing to do: the stored row is the outbox."""


class SmtpTransport:
    """An SMTP server, with STARTTLS, TLS from the start, or neither, and a login if configured."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def send(self, message: EmailMessage) -> None:
        """Open a connection, send one message, close."""
        s = self.settings
        smtp: smtplib.SMTP
        if s.smtp_tls == "ssl":
            context = ssl.create_default_context()
            smtp = smtplib.SMTP_SSL(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout_seconds, context=context)
        else:
            smtp = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout_seconds)
        with smtp:
            if s.smtp_tls == "starttls":
                smtp.starttls(context=ssl.create_default_context())
            if s.smtp_user:
                smtp.login(s.smtp_user, s.smtp_password)
            smtp.send_message(message)


def transport_for(settings: Settings) -> Transport:
    """The transport the settings choose."""
    return SmtpTransport(settings) if settings.mail_transport == "smtp" else OutboxTransport()


def compose(mail: OutgoingMail, sender: str) -> EmailMessage:
    """The message of a stored mail."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to_address
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(as_utc(mail.created_at))
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    message["Message-ID"] = make_msgid(f"accord-mail-{mail.id}", domain=domain)
    message.set_content(mail.body)
    return message


@dataclass(frozen=True)
class DeliveryReport:
    """What one round of sending did."""

    sent: int
    failed: int


def deliver_due(
    engine: Engine, transport: Transport, sender: str, now: datetime | None = None
) -> DeliveryReport:
    """Send every mail that is due (by now); each failure is recorded and tried again later."""
    claimed = _claim(engine, now or utcnow())
    outcomes: dict[int, str | None] = {}
    for mail in claimed:
        try:
            transport.send(compose(mail, sender))
            outcomes[saved_id(mail)] = None
        except (smtplib.SMTPException, OSError) as error:
            outcomes[saved_id(mail)] = f"{type(error).__name__}: {error}"[:1000]
            logger.warning("mail: sending mail %s to %s failed: %s", mail.id, mail.to_address, error)
    if outcomes:
        _record(engine, outcomes)
    failed = sum(1 for error in outcomes.values() if error is not None)
    return DeliveryReport(sent=len(outcomes) - failed, failed=failed)


def _claim(engine: Engine, now: datetime) -> list[OutgoingMail]:
    with unit_of_work(engine) as session:
        query = (
            select(OutgoingMail)
            .where(col(OutgoingMail.sent_at).is_(None), col(OutgoingMail.next_attempt_at) <= now)
            .order_by(col(OutgoingMail.id))
            .limit(_BATCH)
            .with_for_update(skip_locked=True)
        )
        rows = list(session.exec(query).all())
        for row in rows:
            row.next_attempt_at = utcnow() + _LEASE
            session.add(row)
        session.flush()
        for row in rows:
            session.expunge(row)
    return rows


def _record(engine: Engine, outcomes: dict[int, str | None]) -> None:
    now = utcnow()
    with unit_of_work(engine) as session:
        for mail_id, error in outcomes.items():
            row = session.get(OutgoingMail, mail_id)
            if row is None:
                continue
            row.attempts += 1
            if error is None:
                row.sent_at, row.last_error = now, ""
            else:
                row.last_error, row.next_attempt_at = error, now + retry_delay(row.attempts)
            session.add(row)


class MailView(Schema):
    """A mail as the operators' outbox shows it."""

    id: int
    to_address: str
    subject: str
    body: str
    created_at: datetime
    sent_at: datetime | None
    attempts: int
    last_error: str
    next_attempt_at: datetime


def outbox(session: Session, actor: Actor, limit: int = 100) -> list[MailView]:
    """The latest mail, newest first, with what became of it (secretariat only: it is people's mail)."""
    require_secretariat(actor)
    rows = session.exec(select(OutgoingMail).order_by(col(OutgoingMail.id).desc()).limit(limit)).all()
    return [
        MailView(
            id=saved_id(r),
            to_address=r.to_address,
            subject=r.subject,
            body=r.body,
            created_at=r.created_at,
            sent_at=r.sent_at,
            attempts=r.attempts,
            last_error=r.last_error,
            next_attempt_at=r.next_attempt_at,
        )
        for r in rows
    ]


class MailSender:
    """One per application: a daemon thread that sends due mail when woken, and retries periodically."""

    def __init__(self, engine: Engine, settings: Settings, transport: Transport | None = None) -> None:
        self.engine = engine
        self.database = engine.url.render_as_string(hide_password=False)
        self.transport = transport or transport_for(settings)
        self.sender = settings.mail_from
        self.retry_seconds = settings.mail_retry_seconds
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        with _senders_lock:
            _senders.add(self)

    def wake(self) -> None:
        """Look for due mail now (starting the thread the first time)."""
        with self._lock:
            if self._stopping.is_set():
                return
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="accord-mail-sender", daemon=True)
                self._thread.start()
        self._wake.set()

    def close(self) -> None:
        """Stop the thread (mail still due stays queued for the next start or `accord digest`)."""
        self._stopping.set()
        self._wake.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._wake.wait(self.retry_seconds)
            self._wake.clear()
            if self._stopping.is_set():
                return
            try:
                deliver_due(self.engine, self.transport, self.sender)
            except Exception:  # the database was away: the mail stays queued, the next round tries again
                logger.exception("mail: a sending round failed")


_senders: "weakref.WeakSet[MailSender]" = weakref.WeakSet()
_senders_lock = threading.Lock()


@event.listens_for(OrmSession, "after_commit")
def _after_commit(session: OrmSession) -> None:
    if not session.info.pop(MAIL_QUEUED, False):
        return
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    database = engine.url.render_as_string(hide_password=False)
    with _senders_lock:
        senders = [s for s in _senders if s.database == database]
    for sender in senders:
        sender.wake()


@event.listens_for(OrmSession, "after_soft_rollback")
def _after_rollback(session: OrmSession, previous_transaction: SessionTransaction) -> None:
    if previous_transaction.parent is None:  # the queued mail was rolled back with everything else
        session.info.pop(MAIL_QUEUED, None)
