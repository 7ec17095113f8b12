"""The live-update hub: audit notes fanned out to server-sent-event subscribers, per app process.

Every state change records an audit event, and `audit._announce` leaves a note of it (sequence, process
id, action) in `session.info["accord_events"]`; on PostgreSQL it also runs `pg_notify` in the same
transaction. A note reaches subscribers only once its transaction has committed:

- PostgreSQL: each hub holds one dedicated connection that LISTENs on the channel in a background
  thread, so every app process serving the database hears every commit, its own included.
- SQLite: an SQLAlchemy `after_commit` listener hands the session's notes to the hubs of this process
  that serve the same database (SQLite has no cross-process notification; run one process).

Subscribers live on an asyncio loop; the hub hands notes over with `call_soon_threadsafe`, so it can be
fed from request threads, the listener thread or a signal handler alike.
"""

import asyncio
import json
import logging
import signal
import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType
from typing import Any

import psycopg
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, SessionTransaction

from api.services.audit import LIVE_CHANNEL

logger = logging.getLogger(__name__)

# Waits of the listener thread: how often it checks for a stop, and before reconnecting.
_POLL_SECONDS = 0.5
_RECONNECT_SECONDS = 1.0
# A subscriber that falls this far behind is told to resynchronise instead of queueing more.
_MAX_BACKLOG = 200
RESYNC = "live.resync"


@dataclass(frozen=True)
class LiveNote:
    """A committed state change: the audit event's sequence, its process and what happened."""

    sequence: int
    process_id: int | None
    action: str


class Closed:
    """Marks the end of a subscription: the hub was closed (the server is shutting down)."""


CLOSED = Closed()


class Subscription:
    """One subscriber's queue of notes about one process (or every process when process_id is None)."""

    def __init__(self, process_id: int | None, loop: asyncio.AbstractEventLoop) -> None:
        self.process_id = process_id
        self.loop = loop
        self.queue: asyncio.Queue[LiveNote | Closed] = asyncio.Queue()
        self.closed = False

    def wants(self, note: LiveNote) -> bool:
        """Whether the note concerns this subscriber's process."""
        return self.process_id is None or note.process_id in (None, self.process_id)

    def offer(self, item: LiveNote | Closed) -> None:
        """Queue a note (or the end) from any thread."""
        try:
            self.loop.call_soon_threadsafe(self._put, item)
        except RuntimeError:  # the loop is closed: nobody is listening any more
            self.closed = True

    def _put(self, item: LiveNote | Closed) -> None:
        if self.closed:
            return
        if isinstance(item, Closed):
            self.closed = True
        elif self.queue.qsize() >= _MAX_BACKLOG:
            self._drain()
            item = LiveNote(0, self.process_id, RESYNC)
        self.queue.put_nowait(item)

    def _drain(self) -> None:
        while not self.queue.empty():
            self.queue.get_nowait()

    async def next(self, timeout: float) -> LiveNote | Closed | None:
        """The next note, CLOSED at the end, or None when nothing came within the timeout."""
        try:
            return await asyncio.wait_for(self.queue.get(), timeout)
        except TimeoutError:
            return None


class LiveHub:
    """Fans committed notes out to this process's subscribers; one per application."""

    def __init__(self, engine: Engine) -> None:
        self.database = _database_key(engine)
        self.is_postgresql = engine.dialect.name == "postgresql"
        self._conninfo = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._subscribers: set[Subscription] = set()
        self._lock = threading.Lock()
        self._closed = False
        self._listener: _Listener | None = None
        _register(self)

    @property
    def closed(self) -> bool:
        """True once the hub was closed: new subscriptions end at once."""
        return self._closed

    @contextmanager
    def subscribe(self, process_id: int | None) -> Iterator[Subscription]:
        """Subscribe the running event loop to notes about a process, for the duration of the block."""
        subscription = Subscription(process_id, asyncio.get_running_loop())
        with self._lock:
            if self._closed:
                subscription.offer(CLOSED)
            else:
                self._subscribers.add(subscription)
                self._start_listener()
        try:
            yield subscription
        finally:
            with self._lock:
                self._subscribers.discard(subscription)

    def subscriber_count(self, process_id: int | None = None) -> int:
        """How many streams are open (about one process, or in all)."""
        with self._lock:
            return sum(1 for s in self._subscribers if process_id is None or s.process_id == process_id)

    def start(self) -> None:
        """Start listening to the database now (PostgreSQL), so that no commit goes unheard."""
        with self._lock:
            if not self._closed:
                self._start_listener()

    def wait_until_listening(self, timeout: float) -> bool:
        """True once the PostgreSQL listener is in place (always True on SQLite)."""
        listener = self._listener
        if not self.is_postgresql:
            return True
        return listener is not None and listener.listening.wait(timeout)

    def publish(self, notes: list[LiveNote]) -> None:
        """Hand committed notes to every subscriber that wants them (thread-safe)."""
        with self._lock:
            subscribers = list(self._subscribers)
        for note in notes:
            for subscription in subscribers:
                if subscription.wants(note):
                    subscription.offer(note)

    def end_streams(self) -> None:
        """End every open stream and refuse new ones, so a shutting-down server has no request left."""
        with self._lock:
            self._closed = True
            subscribers, self._subscribers = list(self._subscribers), set()
        for subscription in subscribers:
            subscription.offer(CLOSED)

    def close(self) -> None:
        """End the streams and stop listening to the database."""
        self.end_streams()
        with self._lock:
            listener, self._listener = self._listener, None
        if listener is not None:
            listener.stop()

    def _start_listener(self) -> None:
        if self.is_postgresql and self._listener is None:
            self._listener = _Listener(self._conninfo, self.publish)
            self._listener.start()


class _Listener:
    """A dedicated PostgreSQL connection that LISTENs in a daemon thread and reconnects after a failure."""

    def __init__(self, conninfo: str, deliver: Callable[[list[LiveNote]], None]) -> None:
        self.conninfo = conninfo
        self.deliver = deliver
        self.stopping = threading.Event()
        self.listening = threading.Event()
        self.thread = threading.Thread(target=self._run, name="accord-live-listener", daemon=True)

    def start(self) -> None:
        """Start listening in the background."""
        self.thread.start()

    def stop(self) -> None:
        """Stop and wait (briefly) for the thread to end."""
        self.stopping.set()
        if self.thread.is_alive() and self.thread is not threading.current_thread():
            self.thread.join(timeout=5 * _POLL_SECONDS)

    def _run(self) -> None:
        first = True
        while not self.stopping.is_set():
            try:
                self._listen(resync=not first)
            except psycopg.Error as error:
                logger.warning("live updates: lost the PostgreSQL listener (%s); reconnecting", error)
            first = False
            self.listening.clear()
            self.stopping.wait(_RECONNECT_SECONDS)

    def _listen(self, resync: bool) -> None:
        with psycopg.connect(self.conninfo, autocommit=True) as connection:
            connection.execute(f"LISTEN {LIVE_CHANNEL}")
            self.listening.set()
            if resync:  # notes may have been missed while disconnected: pages refresh what they show
                self.deliver([LiveNote(0, None, RESYNC)])
            while not self.stopping.is_set():
                notes = [_parse(n.payload) for n in connection.notifies(timeout=_POLL_SECONDS)]
                if notes:
                    self.deliver([note for note in notes if note is not None])


def _parse(payload: str) -> LiveNote | None:
    try:
        data: dict[str, Any] = json.loads(payload)
        return LiveNote(int(data["sequence"]), data.get("process_id"), str(data["action"]))
    except (ValueError, KeyError, TypeError):
        logger.warning("live updates: ignored a malformed notification %r", payload[:200])
        return None


# --- the hubs of this process, and the SQLite path -----------------------------------------------------

_hubs: "weakref.WeakSet[LiveHub]" = weakref.WeakSet()
_hubs_lock = threading.Lock()


def _database_key(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def _register(hub: LiveHub) -> None:
    with _hubs_lock:
        _hubs.add(hub)


def _hubs_for(database: str) -> list[LiveHub]:
    with _hubs_lock:
        return [hub for hub in _hubs if hub.database == database]


def _notes_of(session: Session) -> list[LiveNote]:
    raw: list[dict[str, Any]] = session.info.pop(LIVE_CHANNEL, None) or []
    return [LiveNote(int(n["sequence"]), n.get("process_id"), str(n["action"])) for n in raw]


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    notes = _notes_of(session)
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    if not notes or engine.dialect.name == "postgresql":
        return  # PostgreSQL delivers through LISTEN/NOTIFY, to every process
    for hub in _hubs_for(_database_key(engine)):
        hub.publish(notes)


@event.listens_for(Session, "after_soft_rollback")
def _after_rollback(session: Session, previous_transaction: SessionTransaction) -> None:
    if previous_transaction.parent is None:  # the whole transaction is gone, and its events with it
        session.info.pop(LIVE_CHANNEL, None)


# --- shutting down -------------------------------------------------------------------------------------

_SHUTDOWN_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def end_streams_on_exit_signals(hub: LiveHub) -> None:
    """Chain the server's SIGINT/SIGTERM handlers so that open streams end before it waits for requests.

    uvicorn waits for every open request before it runs the application's shutdown, and a stream never
    ends by itself; only the main thread may install signal handlers, so elsewhere this does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        return
    for number in _SHUTDOWN_SIGNALS:
        previous = signal.getsignal(number)
        if callable(previous):
            signal.signal(number, _chained(hub, previous))


def _chained(
    hub: LiveHub, previous: Callable[[int, FrameType | None], Any]
) -> Callable[[int, FrameType | None], None]:
    def handler(number: int, frame: FrameType | None) -> None:
        hub.end_streams()
        previous(number, frame)

    return handler
