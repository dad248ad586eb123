"""Connecting while a stop can still come: an attempt and the stop signal are waited on together, and a failed
attempt is logged in one line (the reason and when the next one starts) and retried with exponential backoff."""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")

#: The first retry comes after about a second, then twice as late each time, at most a minute apart.
FIRST_DELAY_SECONDS = 1.0
MAX_DELAY_SECONDS = 60.0


class Stopped(Exception):
    """The stop signal came before what was awaited."""


async def unless_stopped(stop: asyncio.Event, awaitable: Awaitable[T]) -> T:
    """The result of ``awaitable``, unless ``stop`` is set first: then it is cancelled and :class:`Stopped` raised."""
    work = asyncio.ensure_future(awaitable)
    stopping = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({work, stopping}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopping.cancel()
        if not work.done():
            work.cancel()
            # Let it unwind (close what it opened) before the caller goes on.
            await asyncio.wait({work})
    if work.cancelled():
        if stop.is_set():
            raise Stopped
        raise asyncio.CancelledError
    return work.result()


class Backoff:
    """Delays between attempts: ``first`` seconds, doubling up to ``cap``, each shortened by up to a fifth at
    random so that replicas that failed together do not retry together."""

    def __init__(self, *, first: float = FIRST_DELAY_SECONDS, cap: float = MAX_DELAY_SECONDS) -> None:
        self.first = first
        self.cap = cap
        self.failures = 0
        self._random = random.Random()

    def next_delay(self) -> float:
        """The delay before the next attempt, after one more failure."""
        delay: float = min(self.cap, self.first * 2.0 ** min(self.failures, 30))
        self.failures += 1
        jitter: float = self._random.uniform(0.8, 1.0)
        return delay * jitter


async def retrying(stop: asyncio.Event, attempt: Callable[[], Awaitable[T]], *, what: str,
                   reason: Callable[[Exception], str | None], logger: logging.Logger,
                   backoff: Backoff | None = None) -> T:
    """Run ``attempt`` until it succeeds, waiting on ``stop`` throughout; raises :class:`Stopped` when the stop
    comes first. ``reason(error)`` says why a failed attempt failed, in a few words, or ``None`` for an error not
    worth retrying, which is raised. Each failure is one line: ``what``, the reason, and the next attempt."""
    backoff = backoff or Backoff()
    while True:
        try:
            return await unless_stopped(stop, attempt())
        except Stopped:
            raise
        except Exception as error:
            why = reason(error)
            if why is None:
                raise
            delay = backoff.next_delay()
            at = time.strftime("%H:%M:%S", time.localtime(time.time() + delay))
            logger.warning("%s failed (%s); attempt %d, next in %.1f s, at %s", what, why, backoff.failures,
                           delay, at)
        try:
            await asyncio.wait_for(stop.wait(), delay)
        except TimeoutError:
            continue
        raise Stopped


class WithoutTraceback(logging.Filter):
    """Keeps a library's line about a failed connection attempt, with the error's name, but not its traceback:
    the attempts repeat, and the traceback says nothing the line does not."""

    def __init__(self, *prefixes: str) -> None:
        super().__init__()
        self.prefixes = prefixes

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and str(record.msg).startswith(self.prefixes):
            error = record.exc_info[1]
            message = record.getMessage()
            if error is not None and type(error).__name__ not in message:
                message = f"{message} ({type(error).__name__})"
            record.msg, record.args, record.exc_info, record.exc_text = message, None, None, None
        return True
