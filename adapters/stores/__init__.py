"""Where conversation context and rate-limit counters live: in memory, or in Redis shared by replicas."""

from __future__ import annotations

from typing import Any

from bot import ContextStore, MemoryContextStore


def make_store(
    redis_url: str | None,
    *,
    idle_seconds: float = 3600.0,
    max_conversations: int = 10_000,
    **redis_options: Any,
) -> ContextStore:
    """A :class:`~bot.MemoryContextStore` when ``redis_url`` is ``None``, else a
    :class:`~adapters.stores.redis.RedisContextStore` with ``redis_options`` (``prefix``,
    ``timeout_seconds``, ``retry_seconds``, ...). Both forget a conversation ``idle_seconds``
    after its last write; ``max_conversations`` bounds the memory store only (Redis bounds by expiry).
    Nothing connects here: a Redis that is down at start-up makes a degraded store, not an error.
    """
    if redis_url is None:
        return MemoryContextStore(max_conversations=max_conversations, idle_seconds=idle_seconds)
    from adapters.stores.redis import RedisContextStore

    return RedisContextStore(redis_url, idle_seconds=idle_seconds, **redis_options)


__all__ = ["make_store"]
