"""Conversation context and rate-limit counters in Redis, shared by every replica.

The core's :meth:`~bot.Advisor.ask` is sync, so this store uses redis-py's sync client: on
loopback or in one data centre a command takes well under a millisecond, less than a thread hop
or an event-loop round would. What keeps a slow or dead Redis from stalling answers is the short
socket timeouts and the back-off below, not async.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import math
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import redis
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.retry import Retry

from bot import ConversationState

_log = logging.getLogger(__name__)

#: INCR, and start the window's clock on the first hit: atomic and one round trip.
_COUNT_SCRIPT = """
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return hits
"""
_STATE_FIELDS = frozenset(field.name for field in dataclasses.fields(ConversationState))


def redact(url: str) -> str:
    """``url`` with any password replaced by ``***``, fit for a log line."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


class RedisContextStore:
    """A :class:`bot.memory.ContextStore` in Redis, with the in-memory store's expiry semantics.

    A conversation's state is JSON under ``{prefix}ctx:{conversation_id}`` and is forgotten
    ``idle_seconds`` after its last write; a counter is an integer under ``{prefix}count:{key}``
    whose window starts at its first hit; a claim is ``{prefix}once:{key}`` until its expiry. Redis bounds
    the number of conversations by their expiry (and its own ``maxmemory``), so there is no
    ``max_conversations`` here.

    When Redis is down or unreachable nothing raises: ``get`` returns ``None``, ``put`` is dropped
    and ``count`` returns 0, so the bot keeps answering without context. The store is then
    :attr:`degraded`, says so in the log at most once every ``log_every_seconds``, and leaves Redis
    alone for ``retry_seconds`` before trying again, so a Redis that hangs costs one timeout per
    retry, not one per question. The first command that succeeds makes it :attr:`available` again.
    """

    def __init__(
        self,
        url: str,
        *,
        idle_seconds: float = 3600.0,
        prefix: str = "whoswho:",
        timeout_seconds: float = 0.25,
        retry_seconds: float = 1.0,
        log_every_seconds: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if idle_seconds <= 0 or timeout_seconds <= 0 or retry_seconds < 0:
            raise ValueError("idle_seconds and timeout_seconds must be positive, retry_seconds not negative")
        self.url = redact(url)
        self.idle_seconds = idle_seconds
        self.prefix = prefix
        self.retry_seconds = retry_seconds
        self.log_every_seconds = log_every_seconds
        self._clock = clock
        self._client = redis.Redis.from_url(
            url,
            socket_timeout=timeout_seconds,
            socket_connect_timeout=timeout_seconds,
            # One immediate reconnect, for a pooled connection that a Redis restart closed;
            # never a retry after a timeout, which would double the stall.
            retry=Retry(NoBackoff(), 1, supported_errors=(RedisConnectionError,)),
        )
        self._count = self._client.register_script(_COUNT_SCRIPT)
        self._lock = threading.Lock()
        self._failed_at: float | None = None
        self._logged_at: float | None = None
        #: Why Redis was last unusable, for a readiness check; ``None`` while it works.
        self.error: str | None = None

    @property
    def available(self) -> bool:
        """Whether the last command reached Redis (true until one has failed)."""
        return self._failed_at is None

    @property
    def degraded(self) -> bool:
        """Whether the store is answering without Redis, after a command failed."""
        return self._failed_at is not None

    def ping(self) -> bool:
        """Try Redis now (unless still backing off) and return :attr:`available`."""
        self._call(self._client.ping)
        return self.available

    def get(self, conversation_id: str) -> ConversationState | None:
        """The state of a conversation, or ``None`` when it is new, has expired or Redis is unreachable."""
        raw = self._call(self._client.get, self._state_key(conversation_id))
        if raw is None:
            return None
        try:
            data = json.loads(raw)
            known = {name: value for name, value in data.items() if name in _STATE_FIELDS}
            known["options"] = tuple(known.get("options") or ())
            if known.get("fit") is not None:
                known["fit"] = tuple(known["fit"])
            return ConversationState(**known)
        except (ValueError, TypeError, AttributeError):
            _log.warning("Ignoring an unreadable conversation state in Redis under %r", conversation_id)
            return None

    def put(self, conversation_id: str, state: ConversationState) -> None:
        """Remember the state of a conversation for ``idle_seconds`` from now (dropped when Redis is unreachable)."""
        value = json.dumps(dataclasses.asdict(state), separators=(",", ":"))
        self._call(self._client.set, self._state_key(conversation_id), value, px=_milliseconds(self.idle_seconds))

    def count(self, key: str, *, window_seconds: float) -> int:
        """Add one to the counter ``key`` in its current window and return its value (0 when Redis is unreachable)."""
        hits = self._call(self._count, keys=[f"{self.prefix}count:{key}"], args=[_milliseconds(window_seconds)])
        return int(hits) if hits is not None else 0

    def claim(self, key: str, *, ttl_seconds: float) -> bool:
        """``True`` the first time ``key`` is claimed by any replica, ``False`` again until ``ttl_seconds`` have
        passed (``SET NX PX``: atomic, one round trip); ``True`` when Redis is unreachable, since answering a
        repeated delivery twice is better than answering none."""
        claimed = self._call(self._client.set, f"{self.prefix}once:{key}", b"1", nx=True,
                             px=_milliseconds(ttl_seconds))
        return bool(claimed) or self.degraded

    def close(self) -> None:
        """Close the connections to Redis."""
        self._client.close()

    def _state_key(self, conversation_id: str) -> str:
        return f"{self.prefix}ctx:{conversation_id}"

    def _call(self, command: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run one Redis command; ``None`` when Redis is unusable, never an exception."""
        failed_at = self._failed_at
        if failed_at is not None and self._clock() - failed_at < self.retry_seconds:
            return None
        try:
            result = command(*args, **kwargs)
        except RedisError as exc:
            self._failed(exc)
            return None
        if failed_at is not None:
            with self._lock:
                self._failed_at, self.error = None, None
            _log.info("Redis at %s is back: conversation context is shared again", self.url)
        return result

    def _failed(self, exc: RedisError) -> None:
        now = self._clock()
        with self._lock:
            self._failed_at = now
            self.error = f"Redis at {self.url} unreachable: {type(exc).__name__}"
            quiet = self._logged_at is not None and now - self._logged_at < self.log_every_seconds
            if not quiet:
                self._logged_at = now
        if not quiet:
            _log.warning("Redis at %s unreachable (%s): answering without conversation context", self.url, exc)


def _milliseconds(seconds: float) -> int:
    return max(1, math.ceil(seconds * 1000))
