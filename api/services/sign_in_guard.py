"""Throttling sign-in: how fast one client may guess, and how much password hashing runs at once.

Three limits, checked before any password is hashed (see docs/SECURITY.md for why these three):
- per (account, address): after `free` wrong passwords in a row, a wait of 1 s, 2 s, 4 s … capped at
  `max_lockout_seconds`; a right password clears it;
- per address, over every account: at most 30 wrong passwords a minute (a burst of 30), against spraying
  many accounts with a few guesses each;
- per account, over every address: at most 60 wrong passwords an hour (a burst of 20), against guessing one
  account from many addresses. Addresses where the account signed in before are exempt, so that an
  attacker elsewhere cannot keep its owner out.
Argon2id needs 64 MiB per check: a semaphore lets only `checks_at_once` run, the rest wait briefly or get
429, so parallel guessing cannot exhaust memory or the thread pool.
"""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from api.domain.errors import TooManyRequests, Unauthenticated
from api.domain.throttle import FailureBackoff, RateLimiter

T = TypeVar("T")
_QUEUE_SECONDS = 5.0
_KNOWN_ADDRESSES_PER_ACCOUNT = 16


class SignInGuard:
    """The sign-in limits of one app process."""

    def __init__(
        self,
        free_failures: int = 5,
        max_lockout_seconds: float = 300,
        checks_at_once: int = 1,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.pair = FailureBackoff(free=free_failures, cap_seconds=max_lockout_seconds)
        self.address = RateLimiter(rate=30, per_seconds=60, burst=30)
        self.account = RateLimiter(rate=60, per_seconds=3600, burst=20)
        self.clock = clock
        self._checks = threading.BoundedSemaphore(checks_at_once)
        self._known: OrderedDict[str, list[str]] = OrderedDict()
        self._known_lock = threading.Lock()

    def attempt(self, username: str, address: str, check: Callable[[], T]) -> T:
        """Run `check` (which raises Unauthenticated on a wrong password) within the limits."""
        account = username.strip().casefold()
        self._refuse_if_throttled(account, address)
        with self._hashing_slot():
            try:
                result = check()
            except Unauthenticated:
                self._failed(account, address)
                raise
        self.pair.succeeded(f"{account}\n{address}")
        self._remember(account, address)
        return result

    def _refuse_if_throttled(self, account: str, address: str) -> None:
        now = self.clock()
        waits = [self.pair.wait_for(f"{account}\n{address}", now), self.address.wait_for(address, now)]
        if not self._is_known(account, address):
            waits.append(self.account.wait_for(account, now))
        wait = max(waits)
        if wait > 0:
            raise TooManyRequests(f"too many wrong passwords; try again in {wait:.0f} s", wait)

    def _failed(self, account: str, address: str) -> None:
        now = self.clock()
        self.pair.failed(f"{account}\n{address}", now)
        self.address.take(address, now)
        if not self._is_known(account, address):
            self.account.take(account, now)

    @contextmanager
    def _hashing_slot(self) -> Iterator[None]:
        if not self._checks.acquire(timeout=_QUEUE_SECONDS):
            raise TooManyRequests("too many sign-ins at this moment; try again in a second", 1)
        try:
            yield
        finally:
            self._checks.release()

    def _is_known(self, account: str, address: str) -> bool:
        with self._known_lock:
            return address in self._known.get(account, ())

    def _remember(self, account: str, address: str) -> None:
        with self._known_lock:
            addresses = self._known.setdefault(account, [])
            self._known.move_to_end(account)
            if address not in addresses:
                addresses.append(address)
                del addresses[:-_KNOWN_ADDRESSES_PER_ACCOUNT]
            while len(self._known) > 10_000:
                self._known.popitem(last=False)
