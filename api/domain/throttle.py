"""Rate limits kept in memory: token buckets per key, and a capped backoff after repeated failures.

Both take the current time from the caller (a monotonic clock in seconds), so they are pure and testable;
both keep at most `max_keys` keys (least recently used forgotten first) so that a flood of distinct keys
costs bounded memory. They are per process: with N app processes a limit is N times as generous.
"""

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """A token bucket per key: `burst` calls at once, then one every `per_seconds / rate` seconds."""

    def __init__(self, rate: float, per_seconds: float, burst: int, max_keys: int = 10_000) -> None:
        if rate <= 0 or per_seconds <= 0 or burst < 1:
            raise ValueError("a rate limit needs a positive rate, period and burst")
        self.refill_per_second = rate / per_seconds
        self.burst = burst
        self.max_keys = max_keys
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, key: str, now: float) -> float:
        """Spend one call for the key: 0.0 if allowed, else the seconds to wait before the next one."""
        with self._lock:
            bucket = self._refilled(key, now)
            if bucket.tokens >= 1:
                bucket.tokens -= 1
                return 0.0
            return (1 - bucket.tokens) / self.refill_per_second

    def wait_for(self, key: str, now: float) -> float:
        """The seconds until the key may call again (0.0 now), without spending anything."""
        with self._lock:
            bucket = self._refilled(key, now)
            return 0.0 if bucket.tokens >= 1 else (1 - bucket.tokens) / self.refill_per_second

    def _refilled(self, key: str, now: float) -> _Bucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = _Bucket(tokens=float(self.burst), updated=now)
            while len(self._buckets) > self.max_keys:
                self._buckets.popitem(last=False)
        else:
            self._buckets.move_to_end(key)
        elapsed = max(0.0, now - bucket.updated)
        bucket.tokens = min(float(self.burst), bucket.tokens + elapsed * self.refill_per_second)
        bucket.updated = now
        return bucket


@dataclass
class _Failures:
    count: int
    locked_until: float


class FailureBackoff:
    """After `free` failures in a row a key waits 1 s, then 2 s, 4 s … never more than `cap_seconds`.

    A success forgets the key. The cap is what keeps a lockout short: whoever fails on purpose can make
    the key wait at most `cap_seconds` between two tries, never lock it for good.
    """

    def __init__(self, free: int, cap_seconds: float, max_keys: int = 10_000) -> None:
        self.free = free
        self.cap_seconds = cap_seconds
        self.max_keys = max_keys
        self._keys: OrderedDict[str, _Failures] = OrderedDict()
        self._lock = threading.Lock()

    def wait_for(self, key: str, now: float) -> float:
        """The seconds the key must still wait before its next try (0.0: it may try now)."""
        with self._lock:
            failures = self._keys.get(key)
            return max(0.0, failures.locked_until - now) if failures else 0.0

    def failed(self, key: str, now: float) -> float:
        """Count a failure; returns the lockout it starts (0.0 while still within the free tries)."""
        with self._lock:
            failures = self._keys.get(key) or _Failures(count=0, locked_until=now)
            self._keys[key] = failures
            self._keys.move_to_end(key)
            while len(self._keys) > self.max_keys:
                self._keys.popitem(last=False)
            failures.count += 1
            over = failures.count - self.free
            # min() before the power: a long run of failures must not overflow the float
            lockout = 0.0 if over <= 0 else min(self.cap_seconds, 2.0 ** min(over - 1, 60))
            failures.locked_until = now + lockout
            return lockout

    def succeeded(self, key: str) -> None:
        """Forget the key's failures."""
        with self._lock:
            self._keys.pop(key, None)


def retry_after_header(seconds: float) -> str:
    """Seconds as a Retry-After value: a whole number, at least 1."""
    return str(max(1, math.ceil(seconds)))
