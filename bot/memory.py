"""Conversation context: what each conversation last talked about, bounded in size and age."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class ConversationState:
    """What a follow-up in a conversation can refer to."""

    #: The intent answered last, if any.
    intent: str | None = None
    #: The topic and slots of that exchange, carried into elliptical follow-ups.
    topic: str | None = None
    role: str | None = None
    company: str | None = None
    #: The out-of-scope topic the last turn was turned away on ("outside.pay"), for "and for a DS?".
    outside: str | None = None
    #: After a technical question turned away ("how does kNN work?"), the intent nearest it (what a data
    #: scientist needs of ML), for "do I need to know it as a DS?".
    aside: str | None = None
    #: Intent ids offered last, in order, for "the second one".
    options: tuple[str, ...] = ()
    #: The fit check under way: option keys answered so far, ``None`` when no check is running.
    fit: tuple[str, ...] | None = None
    #: When the fit check was last answered (seconds on the advisor's clock).
    fit_at: float | None = None


class ContextStore(Protocol):
    """Where conversation states and rate-limit counters live; in memory by default."""

    def get(self, conversation_id: str) -> ConversationState | None:
        """The state of a conversation, or ``None`` when it is new or has expired."""

    def put(self, conversation_id: str, state: ConversationState) -> None:
        """Remember the state of a conversation."""

    def count(self, key: str, *, window_seconds: float) -> int:
        """Add one to the counter ``key`` and return its value; the counter starts again at zero
        once ``window_seconds`` have passed since its first hit."""

    def claim(self, key: str, *, ttl_seconds: float) -> bool:
        """``True`` the first time ``key`` is claimed, ``False`` for any claim of it in the ``ttl_seconds``
        after that: what lets a delivery that arrives twice be handled once."""


class MemoryContextStore:
    """An in-process store: least recently used conversations are dropped past ``max_conversations``,
    and a conversation idle for ``idle_seconds`` is forgotten. Counters are forgotten when their window
    ends, and past ``max_counters`` of one window length the oldest go first."""

    def __init__(
        self,
        *,
        max_conversations: int = 10_000,
        idle_seconds: float = 3600.0,
        max_counters: int = 100_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if max_conversations < 1 or idle_seconds <= 0 or max_counters < 1:
            raise ValueError("max_conversations, idle_seconds and max_counters must be positive")
        self.max_conversations = max_conversations
        self.max_counters = max_counters
        self.idle_seconds = idle_seconds
        self._clock = clock
        self._states: OrderedDict[str, tuple[float, ConversationState]] = OrderedDict()
        #: Counters by window length, each in the order their windows started, which is the order they end:
        #: the ended ones are always at the front, so forgetting them costs O(1) a call, amortised.
        self._counters: dict[float, OrderedDict[str, tuple[float, int]]] = {}
        #: Claimed keys and when each claim ends, oldest first.
        self._claims: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, conversation_id: str) -> ConversationState | None:
        """The state of a conversation, or ``None`` when it is new or has expired."""
        now = self._clock()
        with self._lock:
            entry = self._states.get(conversation_id)
            if entry is None:
                return None
            if now - entry[0] > self.idle_seconds:
                del self._states[conversation_id]
                return None
            self._states.move_to_end(conversation_id)
            return entry[1]

    def put(self, conversation_id: str, state: ConversationState) -> None:
        """Remember the state of a conversation, dropping the oldest past the bounds."""
        now = self._clock()
        with self._lock:
            self._states[conversation_id] = (now, state)
            self._states.move_to_end(conversation_id)
            while len(self._states) > self.max_conversations:
                self._states.popitem(last=False)
            while self._states:
                oldest = next(iter(self._states.values()))
                if now - oldest[0] <= self.idle_seconds:
                    break
                self._states.popitem(last=False)

    def count(self, key: str, *, window_seconds: float) -> int:
        """Add one to the counter ``key`` in its current window and return its value."""
        now = self._clock()
        with self._lock:
            counters = self._counters.setdefault(window_seconds, OrderedDict())
            while counters:
                started, _ = next(iter(counters.values()))
                if now - started < window_seconds:
                    break
                counters.popitem(last=False)
            entry = counters.get(key)
            if entry is not None and now - entry[0] < window_seconds:
                hits = entry[1] + 1
                counters[key] = (entry[0], hits)  # an existing key keeps its place
                return hits
            counters.pop(key, None)  # ended (with a clock that went back), or new: starts at the end
            counters[key] = (now, 1)
            if len(counters) > self.max_counters:
                counters.popitem(last=False)
            return 1

    def counters(self) -> int:
        """How many counters are held: the live ones, at most ``max_counters`` per window length."""
        with self._lock:
            return sum(len(counters) for counters in self._counters.values())

    def claim(self, key: str, *, ttl_seconds: float) -> bool:
        """``True`` the first time ``key`` is claimed, ``False`` again until ``ttl_seconds`` have passed; at
        most ``max_conversations`` claims are kept, the oldest dropped first."""
        now = self._clock()
        with self._lock:
            claims = self._claims
            while claims:
                oldest, ends = next(iter(claims.items()))
                if ends > now and len(claims) < self.max_conversations:
                    break
                del claims[oldest]
            claimed = claims.get(key)
            if claimed is not None and claimed > now:
                return False
            claims[key] = now + ttl_seconds
            claims.move_to_end(key)
            return True

    def __len__(self) -> int:
        return len(self._states)
