"""The live-update hub: committed changes reach subscribers (SQLite in process, PostgreSQL by NOTIFY)."""

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import pytest
from sqlalchemy import Engine

from api.db import unit_of_work
from api.services.actors import Actor
from api.services.audit import record_event
from api.services.live import CLOSED, LiveHub, LiveNote

SYSTEM = Actor(user_id=None, username="system")
T = TypeVar("T")


def run(scenario: Coroutine[Any, Any, T]) -> T:
    """Run a scenario in an event loop of its own thread: a sync Playwright test that ran earlier in
    this process leaves its loop marked running on the main thread, where asyncio.run would refuse."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, scenario).result()


def _change(engine: Engine, action: str, commit: bool = True) -> None:
    """Record an audit event in a transaction that commits, or fails and rolls back."""
    try:
        with unit_of_work(engine) as session:
            record_event(session, SYSTEM, action, "test", 1)
            if not commit:
                raise RuntimeError("the use case failed after recording its event")
    except RuntimeError:
        pass


def test_committed_changes_reach_subscribers_and_rolled_back_ones_never(engine: Engine) -> None:
    hub = LiveHub(engine)

    async def scenario() -> list[LiveNote | object]:
        with hub.subscribe(None) as subscription:
            assert await asyncio.to_thread(hub.wait_until_listening, 10)
            await asyncio.to_thread(_change, engine, "test.first")
            await asyncio.to_thread(_change, engine, "test.failed", False)
            await asyncio.to_thread(_change, engine, "test.second")
            received = [await subscription.next(10), await subscription.next(10)]
            received.append(await subscription.next(0.3))
            return received

    try:
        first, second, nothing = run(scenario())
    finally:
        hub.close()
    assert isinstance(first, LiveNote) and isinstance(second, LiveNote)
    assert (first.action, second.action) == ("test.first", "test.second")
    assert second.sequence == first.sequence + 1  # the failed change left no event behind
    assert nothing is None


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_subscribers_hear_only_their_process(engine: Engine) -> None:
    hub = LiveHub(engine)

    async def scenario() -> list[LiveNote | object]:
        with hub.subscribe(7) as mine, hub.subscribe(8) as other:
            hub.publish([LiveNote(1, 7, "proposal.tabled"), LiveNote(2, None, "live.resync")])
            return [await mine.next(1), await mine.next(1), await other.next(1), await other.next(0.2)]

    received = run(scenario())
    hub.close()
    assert [getattr(n, "sequence", None) for n in received] == [1, 2, 2, None]


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_closing_the_hub_ends_streams_and_refuses_new_ones(engine: Engine) -> None:
    hub = LiveHub(engine)

    async def scenario() -> tuple[object, object]:
        with hub.subscribe(None) as open_stream:
            hub.end_streams()
            ended = await open_stream.next(1)
        with hub.subscribe(None) as late:
            refused = await late.next(1)
        return ended, refused

    assert run(scenario()) == (CLOSED, CLOSED)
    assert hub.subscriber_count() == 0
