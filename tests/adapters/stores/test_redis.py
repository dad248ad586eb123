"""The Redis store against a real redis-server: shared context across replicas, the in-memory
store's expiry semantics, counters, and answering on without Redis until it comes back."""

from __future__ import annotations

import logging
import socket
import time

import pytest
import redis

from adapters.settings import CoreSettings
from adapters.stores import make_store
from adapters.stores.redis import RedisContextStore, redact
from bot import Advisor, ConfigError, ConversationState, MemoryContextStore, ReplyKind

FIRST = "what does an ML engineer do?"
FOLLOW_UP = "what do they need to learn?"




@pytest.fixture
def raw(redis_server) -> redis.Redis:
    """A plain client on the same server, to look at and age the keys."""
    client = redis.Redis.from_url(redis_server.url, decode_responses=True)
    yield client
    client.close()


def expire_now(client: redis.Redis, key: str) -> None:
    """As if the key's time had run out: Redis deletes a key whose expiry is in the past."""
    client.pexpireat(key, 1)


# -- two replicas ----------------------------------------------------------------------------------


def test_a_follow_up_on_replica_b_continues_the_question_asked_on_replica_a(advisor, redis_server):
    replica_a = Advisor(advisor.knowledge, memory=make_store(redis_server.url))
    replica_b = Advisor(advisor.knowledge, memory=make_store(redis_server.url))

    assert replica_a.ask(FIRST, conversation_id="slack:T1:C1:U1").intent == "role.ml-engineer"
    assert replica_b.ask(FOLLOW_UP, conversation_id="slack:T1:C1:U1").intent == "skills.ml-engineer"
    # ...and back again: "and data scientists?" on A follows B's answer.
    assert replica_a.ask("and data scientists?", conversation_id="slack:T1:C1:U1").intent == "skills.data-scientist"


def test_without_redis_each_replica_has_its_own_memory(advisor):
    replica_a = Advisor(advisor.knowledge, memory=make_store(None))
    replica_b = Advisor(advisor.knowledge, memory=make_store(None))
    assert isinstance(replica_a.memory, MemoryContextStore)
    replica_a.ask(FIRST, conversation_id="alice")
    assert replica_b.ask(FOLLOW_UP, conversation_id="alice").kind is ReplyKind.CLARIFY


def test_conversations_stay_apart(advisor, redis_server):
    replica_a = Advisor(advisor.knowledge, memory=make_store(redis_server.url))
    replica_b = Advisor(advisor.knowledge, memory=make_store(redis_server.url))
    replica_a.ask(FIRST, conversation_id="alice")
    assert replica_b.ask(FOLLOW_UP, conversation_id="bob").kind is ReplyKind.CLARIFY


def test_the_settings_put_the_advisor_on_redis(redis_server, tmp_path):
    settings = CoreSettings.from_env({"WHOSWHO_REDIS_URL": redis_server.url, "WHOSWHO_DATA_DIR": str(tmp_path)})
    assert settings.redis_url == redis_server.url
    memory = settings.load_advisor().memory
    assert isinstance(memory, RedisContextStore)
    assert memory.ping() and memory.available


def test_without_the_variable_the_advisor_remembers_in_memory(tmp_path):
    settings = CoreSettings.from_env({"WHOSWHO_DATA_DIR": str(tmp_path), "WHOSWHO_REDIS_URL": " "})
    assert settings.redis_url is None
    assert isinstance(settings.load_advisor().memory, MemoryContextStore)


def test_a_redis_url_that_is_not_one_names_the_variable():
    with pytest.raises(ConfigError, match="WHOSWHO_REDIS_URL"):
        CoreSettings.from_env({"WHOSWHO_REDIS_URL": "localhost:6379"})


# -- states and their expiry -----------------------------------------------------------------------


def test_a_state_comes_back_as_it_was_put(redis_server):
    store = RedisContextStore(redis_server.url)
    state = ConversationState(intent="skills.ml-engineer", topic="skills", role="ml-engineer", company=None,
                              options=("role.data-scientist", "role.ml-engineer"))
    assert store.get("alice") is None
    store.put("alice", state)
    assert store.get("alice") == state
    assert store.get("bob") is None


def test_a_state_lives_idle_seconds_from_its_last_write_and_reading_does_not_extend_it(redis_server, raw):
    store = RedisContextStore(redis_server.url, idle_seconds=600, prefix="t:")
    store.put("alice", ConversationState(intent="a1"))
    assert 599_000 < raw.pttl("t:ctx:alice") <= 600_000

    raw.pexpire("t:ctx:alice", 5_000)  # most of the idle time has passed
    assert store.get("alice") == ConversationState(intent="a1")
    assert raw.pttl("t:ctx:alice") <= 5_000  # a read is not a write, as in memory

    store.put("alice", ConversationState(intent="a2"))
    assert raw.pttl("t:ctx:alice") > 599_000

    expire_now(raw, "t:ctx:alice")
    assert store.get("alice") is None


def test_a_follow_up_after_the_idle_limit_starts_afresh(advisor, redis_server, raw):
    bot = Advisor(advisor.knowledge, memory=RedisContextStore(redis_server.url, idle_seconds=600))
    assert bot.ask(FIRST, conversation_id="alice").intent == "role.ml-engineer"
    assert bot.ask(FOLLOW_UP, conversation_id="alice").intent == "skills.ml-engineer"

    expire_now(raw, "whoswho:ctx:alice")
    later = bot.ask(FOLLOW_UP, conversation_id="alice")
    assert later.kind is ReplyKind.CLARIFY
    assert later.intent is None


def test_an_unreadable_state_is_no_state(redis_server, raw, caplog):
    store = RedisContextStore(redis_server.url)
    raw.set("whoswho:ctx:alice", "not json")
    raw.set("whoswho:ctx:bob", '{"intent": "a", "from_a_later_version": 1}')
    with caplog.at_level(logging.WARNING):
        assert store.get("alice") is None
    assert store.get("bob") == ConversationState(intent="a")  # unknown fields from a newer replica are ignored


# -- counters --------------------------------------------------------------------------------------


def test_a_counter_counts_hits_in_its_window_and_starts_again_after_it(redis_server, raw):
    store = RedisContextStore(redis_server.url, prefix="t:")
    assert [store.count("alice", window_seconds=60) for _ in range(3)] == [1, 2, 3]
    assert store.count("bob", window_seconds=60) == 1

    # The window starts at the first hit; later hits do not push it back.
    raw.pexpire("t:count:alice", 1_000)
    assert store.count("alice", window_seconds=60) == 4
    assert raw.pttl("t:count:alice") <= 1_000

    expire_now(raw, "t:count:alice")
    assert store.count("alice", window_seconds=60) == 1
    assert 59_000 < raw.pttl("t:count:alice") <= 60_000


def test_replicas_share_one_counter(redis_server):
    replica_a, replica_b = RedisContextStore(redis_server.url), RedisContextStore(redis_server.url)
    assert [replica_a.count("alice", window_seconds=60), replica_b.count("alice", window_seconds=60)] == [1, 2]


def test_a_fraction_of_a_second_is_a_window_of_milliseconds(redis_server, raw):
    store = RedisContextStore(redis_server.url)
    store.count("alice", window_seconds=0.25)
    assert 0 < raw.pttl("whoswho:count:alice") <= 250


# -- Redis down, and back ----------------------------------------------------------------------------


def test_the_bot_answers_without_context_while_redis_is_down_and_recovers_when_it_returns(
    advisor, redis_server, clock, caplog
):
    store = RedisContextStore(redis_server.url, clock=clock)
    bot = Advisor(advisor.knowledge, memory=store)
    assert bot.ask(FIRST, conversation_id="alice").intent == "role.ml-engineer"
    assert store.available

    redis_server.stop()
    with caplog.at_level(logging.WARNING, logger="adapters.stores.redis"):
        reply = bot.ask(FOLLOW_UP, conversation_id="alice")
    assert reply.kind is ReplyKind.CLARIFY  # answered, without the context Redis held
    assert store.degraded and not store.available
    assert store.error is not None and "unreachable" in store.error
    assert store.count("alice", window_seconds=60) == 0
    assert bot.ask(FIRST, conversation_id="bob").intent == "role.ml-engineer"

    redis_server.start()
    clock.advance(store.retry_seconds)
    assert bot.ask(FIRST, conversation_id="alice").intent == "role.ml-engineer"
    assert store.available and store.error is None
    assert bot.ask(FOLLOW_UP, conversation_id="alice").intent == "skills.ml-engineer"
    assert store.count("alice", window_seconds=60) == 1


def test_an_outage_is_logged_once_a_minute(redis_server, clock, caplog):
    store = RedisContextStore(redis_server.url, clock=clock, retry_seconds=0)
    redis_server.stop()
    with caplog.at_level(logging.WARNING, logger="adapters.stores.redis"):
        for _ in range(5):
            store.get("alice")
            clock.advance(10)
        clock.advance(15)  # a minute since the first line
        store.put("alice", ConversationState())
    lines = [r for r in caplog.records if r.name == "adapters.stores.redis"]
    assert len(lines) == 2
    assert "unreachable" in lines[0].getMessage()


def test_a_redis_down_at_start_up_is_degraded_not_an_error(advisor, clock):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nothing listens once the probe closes
    store = make_store(f"redis://127.0.0.1:{port}/0", clock=clock)
    assert isinstance(store, RedisContextStore)
    assert store.ping() is False and store.degraded
    assert Advisor(advisor.knowledge, memory=store).ask(FIRST).intent == "role.ml-engineer"


def test_a_redis_that_hangs_costs_one_timeout_then_nothing_until_the_retry(clock):
    # A listener that never accepts: connecting succeeds (the kernel's backlog) but no reply ever comes.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        store = RedisContextStore(f"redis://127.0.0.1:{silent.getsockname()[1]}/0", timeout_seconds=0.1, clock=clock)
        started = time.perf_counter()
        assert store.get("alice") is None
        first = time.perf_counter() - started
        started = time.perf_counter()
        for _ in range(100):
            assert store.get("alice") is None
        rest = time.perf_counter() - started
    assert store.degraded
    assert first < 2.0
    assert rest < 0.05  # backing off: no socket touched


def test_the_password_never_reaches_the_log():
    assert redact("redis://:s3cret@cache:6379/0") == "redis://:***@cache:6379/0"
    assert redact("rediss://bot:s3cret@cache/1") == "rediss://bot:***@cache/1"
    assert redact("redis://cache:6379/0") == "redis://cache:6379/0"
    store = RedisContextStore("redis://bot:s3cret@127.0.0.1:1/0")
    assert "s3cret" not in store.url
