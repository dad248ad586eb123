"""The HTTP server's stop, for every server whoswho runs (``whoswho serve``'s, and Slack's in HTTP mode): the
requests being handled are counted, and a stop lets those already accepted finish before it closes."""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Awaitable, Callable, Sequence

from aiohttp import web
from aiohttp.web_protocol import RequestHandler

_log = logging.getLogger(__name__)

#: How long a stop waits for the requests already accepted before it cuts them off.
SHUTDOWN_SECONDS = 10.0
#: How long a connection accepted just before a stop has to deliver its request.
DELIVERY_GRACE_SECONDS = 1.0


class RequestsInFlight:
    """Counts the HTTP requests being handled, so a stop can wait for them and say how it went, and knows which
    connections have delivered a request."""

    def __init__(self) -> None:
        self.started = 0
        self.answered = 0
        self.cut_off = 0
        #: The connections (by transport) that have delivered a request.
        self._delivered: weakref.WeakSet[asyncio.BaseTransport] = weakref.WeakSet()
        self._arrived = asyncio.Event()

    @property
    def active(self) -> int:
        """Requests being handled now."""
        return self.started - self.answered - self.cut_off

    @web.middleware
    async def middleware(self, request: web.Request,
                         handler: Callable[[web.Request], Awaitable[web.StreamResponse]]) -> web.StreamResponse:
        self.started += 1
        if request.transport is not None:
            self._delivered.add(request.transport)
        self._arrived.set()
        try:
            response = await handler(request)
        except asyncio.CancelledError:
            self.cut_off += 1
            raise
        except BaseException:
            self.answered += 1  # aiohttp answers it (an HTTP error or a 500)
            raise
        self.answered += 1
        return response


    async def delivered(self, connections: Callable[[], Sequence[RequestHandler]], *, timeout: float) -> None:
        """Wait up to ``timeout`` seconds until each of the open ``connections`` has delivered a request."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while any(c.transport is not None and c.transport not in self._delivered for c in connections()):
            self._arrived.clear()
            try:
                await asyncio.wait_for(self._arrived.wait(), deadline - loop.time())
            except TimeoutError:
                return


async def stop_http(runner: web.AppRunner, requests: RequestsInFlight, *, what: str = "requests",
                    grace_seconds: float = DELIVERY_GRACE_SECONDS) -> None:
    """Stop listening, let the requests already accepted finish (up to the runner's shutdown timeout), close."""
    for site in list(runner.sites):
        await site.stop()
    # aiohttp closes every connection without a request in progress: one accepted a moment ago may not have
    # been read yet, though its request is on its way. Each gets a moment to be read.
    server = runner.server
    if server is not None:
        await requests.delivered(lambda: server.connections, timeout=grace_seconds)
    answered = requests.answered
    _log.info("Stopping: no new connections; finishing %d %s in flight", requests.active, what)
    await runner.cleanup()
    _log.info("HTTP server stopped: %d %s answered in all, %d of them while stopping; %d cut off",
              requests.answered, what, requests.answered - answered, requests.cut_off)


__all__ = ["DELIVERY_GRACE_SECONDS", "SHUTDOWN_SECONDS", "RequestsInFlight", "stop_http"]
