"""Conversation memory stays bounded: least recently used conversations go first, idle ones expire."""

from __future__ import annotations

import pytest

from bot import Advisor, ConversationState, MemoryContextStore, ReplyKind


def state(intent: str) -> ConversationState:
    return ConversationState(intent=intent)


def test_a_new_conversation_has_no_state(clock):
    assert MemoryContextStore(clock=clock).get("nobody") is None


def test_the_least_recently_used_conversation_is_dropped_past_the_bound(clock):
    store = MemoryContextStore(max_conversations=2, clock=clock)
    store.put("alice", state("a"))
    store.put("bob", state("b"))
    assert store.get("alice") == state("a")  # alice is now the most recently used

    store.put("carol", state("c"))

    assert len(store) == 2
    assert store.get("bob") is None
    assert store.get("alice") == state("a")
    assert store.get("carol") == state("c")


def test_writing_again_keeps_a_conversation_and_its_latest_state(clock):
    store = MemoryContextStore(max_conversations=2, clock=clock)
    store.put("alice", state("a1"))
    store.put("bob", state("b"))
    store.put("alice", state("a2"))
    store.put("carol", state("c"))
    assert store.get("alice") == state("a2")
    assert store.get("bob") is None


def test_a_conversation_is_kept_up_to_the_idle_limit_and_forgotten_after(clock):
    store = MemoryContextStore(idle_seconds=60, clock=clock)
    store.put("alice", state("a"))

    clock.advance(60)
    assert store.get("alice") == state("a")

    clock.advance(0.5)
    assert store.get("alice") is None
    assert len(store) == 0


def test_the_idle_limit_counts_from_the_last_write(clock):
    store = MemoryContextStore(idle_seconds=60, clock=clock)
    store.put("alice", state("a1"))
    clock.advance(50)
    store.put("alice", state("a2"))
    clock.advance(50)
    assert store.get("alice") == state("a2")


def test_idle_conversations_are_swept_when_others_write(clock):
    store = MemoryContextStore(idle_seconds=60, clock=clock)
    store.put("alice", state("a"))
    store.put("bob", state("b"))
    clock.advance(61)
    store.put("carol", state("c"))
    assert len(store) == 1
    assert store.get("carol") == state("c")


@pytest.mark.parametrize("bounds", [{"max_conversations": 0}, {"idle_seconds": 0}, {"idle_seconds": -1}])
def test_bounds_must_be_positive(bounds):
    with pytest.raises(ValueError, match="positive"):
        MemoryContextStore(**bounds)


def test_a_follow_up_after_the_idle_limit_starts_afresh(advisor, clock):
    store = MemoryContextStore(idle_seconds=600, clock=clock)
    bot = Advisor(advisor.knowledge, memory=store)

    assert bot.ask("what does an ML engineer do?", conversation_id="alice").intent == "role.ml-engineer"
    clock.advance(599)
    assert bot.ask("what do they need to learn?", conversation_id="alice").intent == "skills.ml-engineer"

    clock.advance(601)
    later = bot.ask("what do they need to learn?", conversation_id="alice")
    assert later.kind is ReplyKind.CLARIFY
    assert later.intent is None


def test_a_conversation_pushed_out_of_memory_starts_afresh(advisor, clock):
    bot = Advisor(advisor.knowledge, memory=MemoryContextStore(max_conversations=1, clock=clock))
    assert bot.ask("what does an ML engineer do?", conversation_id="alice").intent == "role.ml-engineer"
    bot.ask("hi", conversation_id="bob")
    assert bot.ask("what do they need to learn?", conversation_id="alice").kind is ReplyKind.CLARIFY


def test_a_counter_counts_hits_in_its_window_and_starts_again_after_it():
    now = [0.0]
    store = MemoryContextStore(clock=lambda: now[0])
    assert [store.count("alice", window_seconds=60) for _ in range(3)] == [1, 2, 3]
    assert store.count("bob", window_seconds=60) == 1
    now[0] = 59.0
    assert store.count("alice", window_seconds=60) == 4
    now[0] = 60.0
    assert store.count("alice", window_seconds=60) == 1
