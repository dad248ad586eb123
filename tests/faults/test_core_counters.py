"""Rate-limit and watch counters in memory: a call costs the same at 50,000 keys as at 1,000, their number is
bounded, and a watched thread's counter is forgotten when its seven days are over (driven through Slack)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from aiohttp import ClientSession, ClientTimeout

from adapters.slack import build_app
from adapters.slack.server import start_http
from adapters.watch import THREAD_MEMORY_SECONDS, Watch, WatchedChannels, WatchSettings
from bot import Advisor, MemoryContextStore
from tests.adapters.slack.conftest import SlackSender, payload
from tests.adapters.slack.test_watch import ADMIN, CHANNEL, admin

RATE_WINDOW = 60.0


def per_call_seconds(store: MemoryContextStore, keys: Callable[[int], str], window: float, *,
                     calls: int = 2_000) -> float:
    """The best of five rounds of ``calls`` counts, per call."""
    best = float("inf")
    for round_ in range(5):
        started = time.perf_counter()
        for i in range(calls):
            store.count(keys(round_ * calls + i), window_seconds=window)
        best = min(best, (time.perf_counter() - started) / calls)
    return best


def filled(clock: Callable[[], float], keys: Callable[[int], str], count: int, window: float) -> MemoryContextStore:
    store = MemoryContextStore(clock=clock)
    for i in range(count):
        store.count(keys(i), window_seconds=window)
    return store


def test_a_rate_limit_count_costs_the_same_at_50000_users_as_at_1000(clock):
    def users(n: int) -> Callable[[int], str]:
        return lambda i: f"rate:slack:T1:U{i % n}"  # the same people asking again within their minute

    small = per_call_seconds(filled(clock, users(1_000), 1_000, RATE_WINDOW), users(1_000), RATE_WINDOW)
    large = per_call_seconds(filled(clock, users(50_000), 50_000, RATE_WINDOW), users(50_000), RATE_WINDOW)
    assert large < 50e-6, f"{large * 1e6:.1f} µs a call at 50,000 users"
    assert large < 5 * small, f"{large * 1e6:.1f} µs at 50,000 users against {small * 1e6:.1f} µs at 1,000"


def test_a_watched_thread_count_costs_the_same_at_30000_threads_as_at_1000(clock):
    def threads(i: int) -> str:
        return f"watch:thread:slack:T1:C1:{i}"

    def new_threads(i: int) -> str:
        return f"watch:thread:slack:T1:C1:new-{i}"

    small = filled(clock, threads, 1_000, THREAD_MEMORY_SECONDS)
    large = filled(clock, threads, 30_000, THREAD_MEMORY_SECONDS)
    small_cost = per_call_seconds(small, new_threads, THREAD_MEMORY_SECONDS)
    large_cost = per_call_seconds(large, new_threads, THREAD_MEMORY_SECONDS)
    assert large_cost < 50e-6, f"{large_cost * 1e6:.1f} µs a call at 30,000 threads"
    assert large_cost < 5 * small_cost


def test_counters_are_bounded_and_the_oldest_go_first(clock):
    store = MemoryContextStore(max_counters=1_000, clock=clock)
    for i in range(5_000):
        clock.advance(0.001)
        store.count(f"rate:discord:{i}", window_seconds=RATE_WINDOW)
    assert store.counters() == 1_000
    assert store.count("rate:discord:4999", window_seconds=RATE_WINDOW) == 2  # the newest are kept
    assert store.count("rate:discord:0", window_seconds=RATE_WINDOW) == 1  # the oldest went first


def test_ended_windows_are_forgotten_and_counting_starts_again(clock):
    store = MemoryContextStore(clock=clock)
    for i in range(100):
        store.count(f"rate:slack:{i}", window_seconds=RATE_WINDOW)
    assert store.count("rate:slack:7", window_seconds=RATE_WINDOW) == 2
    clock.advance(RATE_WINDOW)
    assert store.count("rate:slack:7", window_seconds=RATE_WINDOW) == 1
    assert store.counters() == 1


async def test_watched_threads_are_forgotten_after_seven_days(fake_slack, slack_settings, fresh_advisor: Advisor,
                                                              clock, tmp_path: Path):
    store = MemoryContextStore(clock=clock)
    advisor = Advisor(fresh_advisor.knowledge, memory=store)
    watch = Watch(WatchSettings(admins=frozenset({f"slack:{ADMIN}"}), cooldown_seconds=0),
                  WatchedChannels(tmp_path / "watched.json"))
    app = build_app(slack_settings, advisor, api_timeout=1.0, watch=watch)
    runner, port = await start_http(app, host="127.0.0.1", port=0)

    async def question(ts: str) -> None:
        body = payload("message_channel")
        body["event_id"] = f"Ev{ts.replace('.', '')}"
        body["event"].update(text="What does an ML engineer do at Quora?", ts=ts, event_ts=ts)
        assert (await sender.event(body)).status == 200

    try:
        async with ClientSession(timeout=ClientTimeout(total=10)) as session:
            sender = SlackSender(f"http://127.0.0.1:{port}", fake_slack, session)
            assert "on in this channel" in await admin(sender, "watch on")
            for n in range(1, 21):
                await question(f"1700000000.{n:06d}")
            posts = await fake_slack.wait_for("chat.postMessage", 20)
            assert {p.args["channel"] for p in posts} == {CHANNEL}
            assert store.counters() == 20

            clock.advance(THREAD_MEMORY_SECONDS)
            await question("1700600000.000001")
            await fake_slack.wait_for("chat.postMessage", 21)
            assert store.counters() == 1
    finally:
        await runner.cleanup()
