"""Group commit for SQLite: a write is answered once the write-ahead log holding it is on disk.

With `synchronous=FULL` SQLite fsyncs the log inside every commit, while it holds the database's one
write lock: writers then queue behind each other's fsync, a few milliseconds each on the project's disk,
whatever little they write. Accord's connections run `synchronous=NORMAL` instead (the commit writes
the log, SQLite syncs it before each checkpoint and the database after it), and `unit_of_work` waits
here, after the commit and outside the write lock, until an fsync of the log that began after the commit
has finished. One fsync then covers every commit made while the one before it ran, and a writer is
answered only when its commit would survive a power cut, as with FULL.

Why this is as durable as FULL: the log's frames of a commit are in the file (the page cache) when
COMMIT returns; fsync of the log file (any descriptor of it: it flushes the inode) puts them on disk;
recovery replays every complete commit in the log. A log that SQLite has since checkpointed was synced
before the checkpoint, and the database after it. The directory is synced once for each new log file,
so that the file itself is found after a crash.
"""

import os
import threading
from pathlib import Path


class WalSync:
    """The fsyncs of one database's log, shared by the threads of a process."""

    def __init__(self, database: Path) -> None:
        self.log = Path(f"{database}-wal")
        self.fsyncs = 0
        self._condition = threading.Condition()
        self._committed = 0  # commits that asked to be made durable
        self._synced = 0  # of those, how many a finished fsync covers
        self._syncing = False
        self._log_inode: int | None = None

    @property
    def committed(self) -> int:
        """How many commits asked to be made durable."""
        return self._committed

    @property
    def synced(self) -> int:
        """How many of them a finished fsync covers (in the order they asked)."""
        return self._synced

    def wait_durable(self) -> int:
        """Return once a sync that began after the caller's commit has finished; the caller's number."""
        with self._condition:
            self._committed += 1
            mine = self._committed
            while self._synced < mine:
                if self._syncing:
                    self._condition.wait()
                    continue
                self._sync_as_leader()
            return mine

    def _sync_as_leader(self) -> None:
        # Called with the condition held; the fsync itself runs without it, so that commits made
        # meanwhile can register for the next one.
        self._syncing = True
        covered = self._committed
        self._condition.release()
        try:
            self._fsync()
        finally:
            self._condition.acquire()
            self._syncing = False
            self._condition.notify_all()
        self._synced = max(self._synced, covered)

    def _fsync(self) -> None:
        try:
            descriptor = os.open(self.log, os.O_RDONLY)
        except FileNotFoundError:
            return  # no log: the last connection checkpointed it into the (synced) database and removed it
        try:
            os.fsync(descriptor)
            inode = os.fstat(descriptor).st_ino
        finally:
            os.close(descriptor)
        self.fsyncs += 1
        if inode != self._log_inode:
            directory = os.open(self.log.parent, os.O_RDONLY)
            try:
                os.fsync(directory)
            finally:
                os.close(directory)
            self._log_inode = inode


_syncs: dict[Path, WalSync] = {}
_syncs_guard = threading.Lock()


def wal_sync(database: Path) -> WalSync:
    """The process's WalSync of a database file."""
    path = database.resolve()
    with _syncs_guard:
        return _syncs.setdefault(path, WalSync(path))
