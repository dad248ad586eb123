"""The advisor as every chat adapter asks it: a per-user rate limit, a hook for metrics, the question
log, knowledge that can be swapped while serving, and a count of the events being handled so a
shutdown can let them finish. One :class:`Asker` is shared by every platform in a process."""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ParamSpec, Protocol, TypeVar

from bot import Advisor, Reply

if TYPE_CHECKING:
    from adapters.records import Records

_log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")

WINDOW_SECONDS = 60.0
DEFAULT_RATE_LIMIT = 20
SLOW_DOWN = ("You're asking faster than I can keep up with, so I'll take a short break from your questions. "
             "Ask again in a minute.")


@dataclass(frozen=True)
class Notice:
    """A sentence of our own to send instead of a reply (the rate limit's one notice)."""

    text: str


class Recorder(Protocol):
    """Where the asker reports what happened (Prometheus metrics when serving; nothing otherwise)."""

    def question(self, *, platform: str, outcome: str, intent: str, seconds: float) -> None: ...

    def limited(self, *, platform: str) -> None: ...

    def error(self, *, platform: str) -> None: ...


class Asker:
    """Asks the advisor for the adapters.

    ``rate_limit`` is the number of questions one user may ask in ``window_seconds`` (``None``: no
    limit); the counters live in the advisor's store, so replicas sharing Redis share them. Past the
    limit a user gets one :class:`Notice`, then nothing until the window passes; other users are not
    affected. Question text reaches the log only with ``log_questions``. With ``records`` every question,
    suggestion click and vote is recorded for the curators (off the reply path: see :mod:`adapters.records`).
    """

    def __init__(self, advisor: Advisor, *, rate_limit: int | None = None, window_seconds: float = WINDOW_SECONDS,
                 recorder: Recorder | None = None, log_questions: bool = False,
                 records: Records | None = None) -> None:
        if rate_limit is not None and rate_limit < 1:
            raise ValueError("rate_limit must be 1 or more (None for no limit)")
        self.advisor = advisor
        self.rate_limit = rate_limit
        self.window_seconds = window_seconds
        self.recorder = recorder
        self.log_questions = log_questions
        self.records = records
        self.accepting = True
        self._in_flight = 0
        self._idle = asyncio.Event()
        self._idle.set()

    def ask(self, text: str, *, conversation_id: str, user: str, platform: str,
            question_id: str | None = None) -> Reply | Notice | None:
        """The reply to ``text`` from ``user`` (an id unique on ``platform``), a notice when the user has just
        gone past the rate limit, or ``None`` when the bot should stay silent. ``question_id`` (a uuid4 the
        adapter also puts on the reply's feedback buttons) names the question's record."""
        if self.rate_limit is not None:
            hits = self.advisor.memory.count(f"rate:{platform}:{user}", window_seconds=self.window_seconds)
            if hits > self.rate_limit:
                if self.recorder is not None:
                    self.recorder.limited(platform=platform)
                if hits == self.rate_limit + 1:
                    _log.info("rate limit reached on %s: one notice, then silence until the window passes",
                              platform, extra={"platform": platform})
                    return Notice(SLOW_DOWN)
                return None
        started = time.perf_counter()
        reply = self.advisor.ask(text, conversation_id=conversation_id)
        seconds = time.perf_counter() - started
        if self.recorder is not None:
            self.recorder.question(platform=platform, outcome=reply.kind.value, intent=reply.intent or "none",
                                   seconds=seconds)
        extra: dict[str, Any] = {"platform": platform, "outcome": reply.kind.value, "intent": reply.intent,
                                 "ms": round(seconds * 1000, 3)}
        if self.log_questions:
            extra["question"] = text
            _log.info("%s question %r: %s %s", platform, text, reply.kind.value, reply.intent or "-", extra=extra)
        else:
            _log.info("%s question: %s %s", platform, reply.kind.value, reply.intent or "-", extra=extra)
        if question_id is not None:
            self.record(question_id, text, reply, conversation_id=conversation_id, user=user, platform=platform)
        return reply

    def record(self, question_id: str, text: str, reply: Reply, *, conversation_id: str, user: str,
               platform: str) -> None:
        """Record a question and its reply as ``question_id``, when records are kept; never raises."""
        if self.records is None:
            return
        try:
            self.records.question(question_id=question_id, platform=platform, user=f"{platform}:{user}",
                                  channel=conversation_id, outcome=reply.kind.value, intent=reply.intent,
                                  confidence=reply.confidence, runner_up=runner_up(reply),
                                  text=text)
        except Exception:
            _log.exception("could not record a %s question", platform)

    def click(self, question_id: str, intent: str | None) -> None:
        """Record that a suggestion (or a clarification's choice) for ``intent`` under question ``question_id``
        was clicked."""
        if self.records is None or not intent:
            return
        try:
            self.records.click(question_id, intent)
        except Exception:
            _log.exception("could not record a click")

    def vote(self, question_id: str, *, user: str, platform: str, helpful: bool) -> None:
        """Record ``user``'s Helpful (``True``) / Not helpful vote on question ``question_id``."""
        if self.records is None:
            return
        try:
            self.records.vote(question_id, user=f"{platform}:{user}", helpful=helpful)
        except Exception:
            _log.exception("could not record a vote")

    def error(self, platform: str) -> None:
        """Count a failure to handle an event on ``platform`` (the adapter logs it)."""
        if self.recorder is not None:
            self.recorder.error(platform=platform)

    def handler(self, function: Callable[P, Awaitable[T]]) -> Callable[P, Coroutine[Any, Any, T | None]]:
        """Wrap an event handler: counted while it runs, skipped once the asker stops accepting events.
        The wrapper keeps the handler's signature (Bolt injects arguments by name)."""

        @functools.wraps(function)
        async def handle(*args: P.args, **kwargs: P.kwargs) -> T | None:
            if not self.accepting:
                return None
            self._in_flight += 1
            self._idle.clear()
            try:
                return await function(*args, **kwargs)
            finally:
                self._in_flight -= 1
                if self._in_flight == 0:
                    self._idle.set()

        return handle

    @property
    def in_flight(self) -> int:
        """How many events are being handled now."""
        return self._in_flight

    async def drain(self, timeout: float) -> bool:
        """Stop accepting events and wait up to ``timeout`` seconds for those in flight; whether they all ended."""
        self.accepting = False
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
        except TimeoutError:
            return False
        return True


def runner_up(reply: Reply) -> list[str]:
    """The next best intents after the reply's own, best first: a clarification's choices, then the
    alternatives the advisor weighed."""
    ranked = [*reply.candidates, *(intent for intent, _ in reply.alternatives)]
    return [intent for intent in dict.fromkeys(ranked) if intent != reply.intent][:5]


def as_asker(advisor: Advisor | Asker) -> Asker:
    """The asker itself, or a plain one (no limit, no metrics) around an advisor."""
    return advisor if isinstance(advisor, Asker) else Asker(advisor)
