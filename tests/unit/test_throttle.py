"""The in-memory rate limits, on a clock the test moves by hand."""

from api.domain.throttle import FailureBackoff, RateLimiter, retry_after_header


def test_a_token_bucket_allows_its_burst_then_one_call_per_interval() -> None:
    limiter = RateLimiter(rate=2, per_seconds=10, burst=3)
    assert [limiter.take("a", 0.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.take("a", 0.0) == 5.0  # one token every 5 s
    assert limiter.take("b", 0.0) == 0.0  # another key has its own bucket
    assert round(limiter.wait_for("a", 4.0), 6) == 1.0
    assert limiter.take("a", 5.0) == 0.0
    assert limiter.take("a", 5.0) > 0


def test_a_token_bucket_forgets_the_oldest_keys_beyond_its_size() -> None:
    limiter = RateLimiter(rate=1, per_seconds=60, burst=1, max_keys=2)
    limiter.take("old", 0.0)
    limiter.take("b", 0.0)
    limiter.take("c", 0.0)
    assert len(limiter._buckets) == 2 and limiter.wait_for("old", 0.0) == 0.0


def test_backoff_doubles_after_the_free_tries_and_stays_under_its_cap() -> None:
    backoff = FailureBackoff(free=2, cap_seconds=300)
    lockouts = [backoff.failed("k", 0.0) for _ in range(14)]
    assert lockouts[:6] == [0.0, 0.0, 1.0, 2.0, 4.0, 8.0]
    assert max(lockouts) == 300.0 and lockouts[-1] == 300.0
    assert backoff.wait_for("k", 100.0) == 200.0
    assert backoff.wait_for("k", 400.0) == 0.0  # the lockout ends, whatever happened before
    for _ in range(1000):
        backoff.failed("k", 0.0)
    assert backoff.wait_for("k", 0.0) == 300.0
    backoff.succeeded("k")
    assert backoff.wait_for("k", 0.0) == 0.0 and backoff.failed("k", 0.0) == 0.0


def test_retry_after_is_a_whole_number_of_seconds_at_least_one() -> None:
    assert [retry_after_header(s) for s in (0.0, 0.2, 1.0, 1.01, 299.5)] == ["1", "1", "1", "2", "300"]
