"""The turn every adapter takes: an :class:`Inbound` question in, an :data:`Outbound` out (a reply, a notice of
our own, or silence). :meth:`Turns.respond` asks the advisor through a chain of small steps (the per-user rate
limit, metrics, the log line, the curators' records), each a plain function that may answer on its own or
pass the question on. Adapters translate their payloads to an :class:`Inbound`, call ``respond``, render and
send what comes back; clicks and votes go to :class:`Feedback`; :class:`Events` lets a stop finish the events
being handled.

>>> from bot import Advisor
>>> turns = Turns(Advisor.load())
>>> turns.respond(Inbound("what does an ML engineer do at Quora?", who="me", where="doc:me", platform="doc")).intent
'quora.ml-engineer'
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine, Sequence
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
class Inbound:
    """A question as an adapter hands it over: its text, who asked (an id unique on ``platform``), where (the
    advisor's conversation id), and the id naming its record (a uuid4 the adapter also puts on the reply's
    feedback buttons; ``None``: not recorded), and the workspace it was asked in (the platform's team or server
    id; ``None`` where there is none: a direct message outside any, the terminal)."""

    question: str
    who: str
    where: str
    platform: str
    question_id: str | None = None
    workspace: str | None = None


@dataclass(frozen=True)
class Notice:
    """A sentence of our own to send instead of a reply (the rate limit's one notice)."""

    text: str


#: What a turn gives back: the advisor's reply, a notice, or ``None`` to stay silent.
Outbound = Reply | Notice | None
#: The rest of the chain, from one step's point of view.
Answer = Callable[[Inbound], Outbound]
#: A step around the advisor: it gets the turns it serves, the question and the rest of the chain.
Step = Callable[["Turns", Inbound, Answer], Outbound]


class Recorder(Protocol):
    """Where the turns report what happened (Prometheus metrics when serving; nothing otherwise)."""

    def question(self, *, platform: str, outcome: str, intent: str, seconds: float) -> None: ...

    def limited(self, *, platform: str) -> None: ...

    def error(self, *, platform: str) -> None: ...


def rate_limited(limit: int, *, window_seconds: float = WINDOW_SECONDS) -> Step:
    """A step letting one user ask ``limit`` questions in ``window_seconds``; past it the user gets one
    :class:`Notice`, then silence until the window passes; other users are not affected. The counters live in
    the advisor's store, so replicas sharing Redis share them."""
    if limit < 1:
        raise ValueError("the rate limit must be 1 or more (no step for no limit)")

    def step(turns: Turns, inbound: Inbound, answer: Answer) -> Outbound:
        hits = turns.advisor.count(f"rate:{inbound.platform}:{inbound.who}", window_seconds=window_seconds)
        if hits <= limit:
            return answer(inbound)
        if turns.recorder is not None:
            turns.recorder.limited(platform=inbound.platform)
        if hits == limit + 1:
            _log.info("rate limit reached on %s: one notice, then silence until the window passes",
                      inbound.platform, extra={"platform": inbound.platform})
            return Notice(SLOW_DOWN)
        return None

    return step


def measured(turns: Turns, inbound: Inbound, answer: Answer) -> Outbound:
    """A step timing the answer and counting it by outcome and intent in the turns' recorder."""
    started = time.perf_counter()
    outbound = answer(inbound)
    if turns.recorder is not None and isinstance(outbound, Reply):
        turns.recorder.question(platform=inbound.platform, outcome=outbound.kind.value,
                                intent=outbound.intent or "none", seconds=time.perf_counter() - started)
    return outbound


def logged(*, questions: bool = False) -> Step:
    """A step logging one line a reply (platform, outcome, intent, milliseconds); the question's text
    only with ``questions``."""

    def step(turns: Turns, inbound: Inbound, answer: Answer) -> Outbound:
        started = time.perf_counter()
        outbound = answer(inbound)
        if not isinstance(outbound, Reply):
            return outbound
        platform, kind, intent = inbound.platform, outbound.kind.value, outbound.intent
        extra: dict[str, Any] = {"platform": platform, "outcome": kind, "intent": intent,
                                 "ms": round((time.perf_counter() - started) * 1000, 3)}
        if questions:
            extra["question"] = inbound.question
            _log.info("%s question %r: %s %s", platform, inbound.question, kind, intent or "-", extra=extra)
        else:
            _log.info("%s question: %s %s", platform, kind, intent or "-", extra=extra)
        return outbound

    return step


def recorded(turns: Turns, inbound: Inbound, answer: Answer) -> Outbound:
    """A step recording a question that carries a ``question_id``, with its reply, for the curators."""
    outbound = answer(inbound)
    if isinstance(outbound, Reply):
        turns.feedback.question(inbound, outbound)
    return outbound


def mentor_offered(turns: Turns, inbound: Inbound, answer: Answer) -> Outbound:
    """A step offering Ask a mentor under a fallback where a mentor channel is set (:mod:`adapters.mentors`)."""
    return turns.mentors.offer(inbound, answer(inbound))


#: The steps of a turn without a rate limit: metrics, the log line, the records, the mentors' offer.
DEFAULT_STEPS: tuple[Step, ...] = (measured, logged(), recorded, mentor_offered)


def serving_steps(*, rate_limit: int | None, log_questions: bool) -> tuple[Step, ...]:
    """The steps of ``whoswho serve``: the rate limit (``None``: none) before metrics, the log line, records and
    the mentors' offer."""
    limit = () if rate_limit is None else (rate_limited(rate_limit),)
    return (*limit, measured, logged(questions=log_questions), recorded, mentor_offered)


class Feedback:
    """What the curators read: questions, suggestion clicks and votes, kept in ``records`` when there are any
    (off the reply path: see :mod:`adapters.records`). None of its methods raises."""

    def __init__(self, records: Records | None = None) -> None:
        self.records = records

    def question(self, inbound: Inbound, reply: Reply) -> None:
        """Record ``inbound`` (when it has a ``question_id``) and its reply."""
        if self.records is None or inbound.question_id is None:
            return
        try:
            self.records.question(question_id=inbound.question_id, platform=inbound.platform,
                                  user=f"{inbound.platform}:{inbound.who}", channel=inbound.where,
                                  outcome=reply.kind.value, intent=reply.intent, confidence=reply.confidence,
                                  runner_up=runner_up(reply), text=inbound.question)
        except Exception:
            _log.exception("could not record a %s question", inbound.platform)

    def click(self, question_id: str, intent: str | None) -> None:
        """Record that a suggestion (or a clarification's choice) for ``intent`` under ``question_id`` was clicked."""
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

    def escalated(self, question_id: str, *, reason: str) -> None:
        """Record that question ``question_id`` was taken to the mentors, and why (:mod:`adapters.mentors`)."""
        if self.records is None:
            return
        try:
            self.records.escalation(question_id, reason=reason)
        except Exception:
            _log.exception("could not record an escalation")

    def mentor_replied(self, question_id: str, *, mentor: str, text: str) -> None:
        """Record a mentor's first reply to question ``question_id`` (``mentor``: ``platform:user id``)."""
        if self.records is None:
            return
        try:
            self.records.mentor_reply(question_id, mentor=mentor, text=text)
        except Exception:
            _log.exception("could not record a mentor's reply")


class Events:
    """The events being handled, so a stop can refuse new ones and let these finish."""

    def __init__(self) -> None:
        self.accepting = True
        self._in_flight = 0
        self._idle = asyncio.Event()
        self._idle.set()

    def handler(self, function: Callable[P, Awaitable[T]]) -> Callable[P, Coroutine[Any, Any, T | None]]:
        """Wrap an event handler: counted while it runs, skipped once a stop began. The wrapper keeps the
        handler's signature (Bolt injects arguments by name)."""

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


class Turns:
    """The advisor as every adapter asks it, through ``steps`` (outermost first). One is shared by every
    platform of a process; ``advisor`` may be swapped while serving (a knowledge reload)."""

    def __init__(self, advisor: Advisor, *, steps: Sequence[Step] = DEFAULT_STEPS, recorder: Recorder | None = None,
                 records: Records | None = None) -> None:
        self.advisor = advisor
        self.recorder = recorder
        self.feedback = Feedback(records)
        self.events = Events()
        self.steps = tuple(steps)
        from adapters.mentors import Mentors  # it builds on this module's values

        #: Ask a mentor: the escalations of the questions these turns answer.
        self.mentors = Mentors(self)

    def respond(self, inbound: Inbound) -> Outbound:
        """The reply to ``inbound``, a notice, or ``None`` for silence."""
        answer: Answer = self._ask
        for step in reversed(self.steps):
            answer = self._bind(step, answer)
        return answer(inbound)

    def _bind(self, step: Step, rest: Answer) -> Answer:
        return lambda inbound: step(self, inbound, rest)

    def _ask(self, inbound: Inbound) -> Outbound:
        return self.advisor.ask(inbound.question, conversation_id=inbound.where)

    def error(self, platform: str) -> None:
        """Count a failure to handle an event on ``platform`` (the adapter logs it)."""
        if self.recorder is not None:
            self.recorder.error(platform=platform)


def runner_up(reply: Reply) -> list[str]:
    """The next best intents after the reply's own, best first: a clarification's choices, then the
    alternatives the advisor weighed."""
    ranked = [*reply.candidates, *(intent for intent, _ in reply.alternatives)]
    return [intent for intent in dict.fromkeys(ranked) if intent != reply.intent][:5]


def as_turns(advisor: Advisor | Turns) -> Turns:
    """The turns themselves, or plain ones (no limit, no metrics) around an advisor."""
    return advisor if isinstance(advisor, Turns) else Turns(advisor)
