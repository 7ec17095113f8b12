"""Engines and sessions: SQLite (WAL, foreign keys, busy timeout) by default, PostgreSQL in production."""

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url
from sqlmodel import Session, create_engine

from api.settings import get_settings
from api.wal_sync import wal_sync

SQLITE_BUSY_TIMEOUT_MS = 10_000
WRITE_OPTION = "accord_write"


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own would be deferred, too late).
    dbapi_connection.isolation_level = None
    # WAL lets readers go on while one writer commits; the busy timeout makes a second writer wait
    # instead of failing with "database is locked" (DESIGN §8: timeout=0 loses writes).
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    # NORMAL: the commit does not fsync the log under the write lock; unit_of_work waits for a shared
    # fsync after it instead (api/wal_sync.py), so that a commit still survives a power cut.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _on_sqlite_begin(connection: Any) -> None:
    # A deferred transaction that reads and then writes cannot wait for the write lock once another
    # writer committed (SQLITE_BUSY_SNAPSHOT); writers take it at BEGIN and queue on the busy timeout.
    mode = "IMMEDIATE" if connection.get_execution_options().get(WRITE_OPTION) else "DEFERRED"
    connection.exec_driver_sql(f"BEGIN {mode}")


def make_engine(url: str) -> Engine:
    """Create an engine for the URL with the connection settings Accord relies on."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
    )
    event.listen(engine, "connect", _on_sqlite_connect)
    event.listen(engine, "begin", _on_sqlite_begin)
    return engine


@lru_cache
def get_engine() -> Engine:
    """The process-wide engine for the configured database."""
    return make_engine(get_settings().database_url)


_writer_locks: dict[str, threading.Lock] = {}
_writer_locks_guard = threading.Lock()


@contextmanager
def _sqlite_writer_turn(engine: Engine) -> Iterator[None]:
    """Queue this process's SQLite writers on a mutex before BEGIN IMMEDIATE.

    SQLite's busy handler polls with sleeps of up to 100 ms, so threads of one process waiting on each
    other's write lock lose most of their time asleep; on a mutex the next one starts as soon as the
    last commits. Writers of other processes still wait on SQLite's lock. A plain Lock (a request's
    transaction may end on another thread of the pool than it began on), with a bound: a writer that
    cannot have its turn in time goes on to SQLite's own wait, as before."""
    with _writer_locks_guard:
        lock = _writer_locks.setdefault(str(engine.url), threading.Lock())
    acquired = lock.acquire(timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
    try:
        yield
    finally:
        if acquired:
            lock.release()


def _writer_turn(engine: Engine, write: bool) -> AbstractContextManager[None]:
    if write and engine.dialect.name == "sqlite":
        return _sqlite_writer_turn(engine)
    return nullcontext()


def sqlite_file(engine: Engine) -> Path | None:
    """The database file of a SQLite engine (None for PostgreSQL and in-memory databases)."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        return None
    return Path(database)


@contextmanager
def unit_of_work(engine: Engine | None = None, *, write: bool = True) -> Iterator[Session]:
    """One transaction: commit when the block ends normally, roll back on any error.

    A write returns only once its commit is on disk (SQLite: after the shared fsync of the log)."""
    engine = engine or get_engine()
    with _writer_turn(engine, write), Session(engine, expire_on_commit=False) as session:
        if write:
            session.connection(execution_options={WRITE_OPTION: True})
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
    if write:
        make_durable(engine)  # outside the write lock: the next writer goes on meanwhile


def make_durable(engine: Engine) -> None:
    """Return once what was committed on the engine is on disk (PostgreSQL syncs at commit itself)."""
    database = sqlite_file(engine)
    if database is not None:
        wal_sync(database).wait_durable()
