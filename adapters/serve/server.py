"""``whoswho serve``: every configured platform on one event loop, sharing one advisor, behind one HTTP server
with ``/healthz``, ``/readyz``, ``/metrics`` and, in Slack HTTP mode, Slack's endpoints."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from adapters import platforms as registry
from adapters.http import SHUTDOWN_SECONDS, RequestsInFlight, stop_http
from adapters.platforms import Platform
from adapters.records import Records, RecordsSettings, open_records
from adapters.serve.metrics import Metrics
from adapters.serve.reload import KnowledgeReloader
from adapters.serve.settings import ServeSettings
from adapters.settings import CoreSettings
from adapters.turn import Turns, serving_steps
from adapters.watch import STATE_FILE as WATCH_STATE
from adapters.watch import Watch, WatchedChannels
from bot import Advisor, ConfigError, ContextStore, builtin_knowledge_dir

_log = logging.getLogger(__name__)



@dataclass
class Service:
    """A running ``whoswho serve``: what the HTTP endpoints report on."""

    turns: Turns
    metrics: Metrics
    platforms: list[Platform]
    reloader: KnowledgeReloader
    #: The conversations' store, for readiness (``None``: in memory).
    store: ContextStore | None = None
    started_at: float = field(default_factory=time.time)
    stopping: bool = False

    async def readiness(self) -> tuple[bool, dict[str, Any]]:
        """Whether the process should receive traffic, and the details ``/readyz`` shows."""
        reasons: list[str] = []
        platforms: dict[str, str] = {}
        for platform in self.platforms:
            problem = await platform.problem()
            self.metrics.connected.labels(platform=platform.name).set(0 if problem else 1)
            platforms[platform.name] = problem or "connected"
            if problem:
                reasons.append(f"{platform.name}: {problem}")
        if self.stopping:
            reasons.insert(0, "stopping")
        knowledge = self.turns.advisor.knowledge
        store = await asyncio.to_thread(_store_state, self.store)
        ready = not reasons
        self.metrics.ready.set(1 if ready else 0)
        details: dict[str, Any] = {
            "ready": ready,
            "knowledge": {"intents": len(knowledge), "loaded_at": round(self.reloader.loaded_at, 3),
                          "last_reload_error": self.reloader.last_error},
            "platforms": platforms,
            "store": store,
        }
        if reasons:
            details["reasons"] = reasons
        return ready, details

    def web_application(self, requests: RequestsInFlight | None = None) -> web.Application:
        async def healthz(request: web.Request) -> web.Response:
            return web.json_response({"ok": True})

        async def readyz(request: web.Request) -> web.Response:
            ready, details = await self.readiness()
            return web.json_response(details, status=200 if ready else 503)

        async def metrics(request: web.Request) -> web.Response:
            await self.readiness()  # refreshes the connection and readiness gauges
            return web.Response(body=self.metrics.exposition(), headers={"Content-Type": self.metrics.content_type})

        app = web.Application(middlewares=[] if requests is None else [requests.middleware])
        app.add_routes([web.get("/healthz", healthz), web.get("/readyz", readyz), web.get("/metrics", metrics)])
        for platform in self.platforms:
            app.add_routes(platform.routes)
        return app


def _store_state(store: object) -> str:
    """``memory``, ``redis`` or ``degraded: why`` (a degraded store still answers, without shared context)."""
    if store is None or not hasattr(store, "degraded"):
        return "memory"
    ping = getattr(store, "ping", None)
    if getattr(store, "degraded", False) and callable(ping):
        ping()  # a readiness probe is a good moment to notice Redis is back
    if getattr(store, "degraded", False):
        return f"degraded: {getattr(store, 'error', None) or 'unreachable'}"
    return "redis"


def build_platforms(settings: ServeSettings, core: CoreSettings, turns: Turns, **options: Any) -> list[Platform]:
    """The configured platforms, in the order they start."""
    watch = Watch(settings.watch_mode, WatchedChannels(core.data_dir / WATCH_STATE))
    return registry.build(settings.platforms, turns, data_dir=core.data_dir, watch=watch, **options)


async def serve(settings: ServeSettings, core: CoreSettings, advisor: Advisor, *,
                stop: asyncio.Event | None = None, on_started: Callable[[int], None] | None = None,
                watch_interval: float = 1.0, records: RecordsSettings | None = None, store: ContextStore | None = None,
                shutdown_seconds: float = SHUTDOWN_SECONDS, **platform_options: Any) -> int:
    """Serve until ``stop`` is set or SIGTERM/SIGINT arrives; SIGHUP reloads the knowledge. Returns the exit code:
    0 after a stop, 1 when a platform could no longer serve. ``on_started`` gets the bound port; ``store`` is the
    advisor's store, for readiness. With ``records``
    questions and votes are recorded (losses counted in ``whoswho_records_dropped_total``).

    A stop closes the listening socket, answers every HTTP request already accepted, then lets the replies in
    flight be sent, for up to ``shutdown_seconds`` in all (aiohttp's graceful shutdown), then closes."""
    stop = stop or asyncio.Event()
    metrics = Metrics(settings.names)
    recording = None if records is None else open_records(records, dropped_counter=metrics.records_dropped)
    service = _service(settings, core, advisor, metrics, recording=recording, store=store, **platform_options)
    platforms, reloader = service.platforms, service.reloader
    requests = RequestsInFlight()
    runner = web.AppRunner(service.web_application(requests), access_log=None, handle_signals=False,
                           shutdown_timeout=shutdown_seconds)
    await runner.setup()
    background: set[asyncio.Task[Any]] = set()
    loop = asyncio.get_running_loop()

    def hang_up() -> None:
        task = loop.create_task(reloader.reload("SIGHUP"))
        background.add(task)
        task.add_done_callback(background.discard)

    installed = _install_signals(loop, stop=stop.set, hang_up=hang_up)
    try:
        site = web.TCPSite(runner, settings.host, settings.port)
        await site.start()
        bound = int(runner.addresses[0][1]) if runner.addresses else settings.port
        _log.info("whoswho is serving %s; health, readiness and metrics on http://%s:%d (/healthz, /readyz, "
                  "/metrics)%s", " and ".join(settings.names), settings.host, bound,
                  "; the platforms' own endpoints there too" if any(p.routes for p in platforms) else "")
        for platform in platforms:
            await platform.start()
        if settings.watch:
            watcher = loop.create_task(reloader.watch(interval=watch_interval), name="knowledge-watch")
            background.add(watcher)
        if on_started is not None:
            on_started(bound)
        return await _until_stopped(stop, platforms)
    finally:
        service.stopping = True
        deadline = loop.time() + shutdown_seconds
        for signum in installed:
            loop.remove_signal_handler(signum)
        # The HTTP requests already accepted (a platform's webhooks too) are answered while events still count.
        await stop_http(runner, requests)
        await _shut_down(service, background, deadline=deadline)
        if recording is not None:
            await asyncio.to_thread(recording.close)
        _log.info("whoswho stopped")


def _service(settings: ServeSettings, core: CoreSettings, advisor: Advisor, metrics: Metrics, *,
             recording: Records | None, store: ContextStore | None, **platform_options: Any) -> Service:
    """The turns (rate limit, metrics, log lines, records), the reloader and the platforms, sharing one advisor."""
    turns = Turns(advisor, steps=serving_steps(rate_limit=settings.rate_limit, log_questions=settings.log_questions),
                  recorder=metrics, records=recording)

    def loaded(ok: bool, intents: int) -> None:
        metrics.reloads.labels(result="ok" if ok else "failed").inc()
        metrics.intents.set(intents)

    reloader = KnowledgeReloader(turns, (builtin_knowledge_dir(), *core.knowledge_dirs), on_loaded=loaded)
    metrics.intents.set(len(advisor.knowledge))
    platforms = build_platforms(settings, core, turns, **platform_options)
    return Service(turns, metrics, platforms, reloader, store=store)


def _install_signals(loop: asyncio.AbstractEventLoop, *, stop: Callable[[], None],
                     hang_up: Callable[[], None]) -> list[signal.Signals]:
    """SIGTERM and SIGINT stop, SIGHUP reloads; the signals that could be handled."""
    installed: list[signal.Signals] = []
    for signum, action in ((signal.SIGTERM, stop), (signal.SIGINT, stop), (signal.SIGHUP, hang_up)):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):  # Windows, or not the main thread
            loop.add_signal_handler(signum, action)
            installed.append(signum)
    return installed


async def _until_stopped(stop: asyncio.Event, platforms: list[Platform]) -> int:
    """Wait for a stop (exit code 0) or a platform that can no longer serve (1; a refused credential raises)."""
    stopped = asyncio.get_running_loop().create_task(stop.wait())
    ending = {stopped, *(p.task for p in platforms if p.task is not None)}
    done, _ = await asyncio.wait(ending, return_when=asyncio.FIRST_COMPLETED)
    stopped.cancel()
    code = 0
    for task in done - {stopped}:
        error = None if task.cancelled() else task.exception()
        if isinstance(error, ConfigError):
            raise error
        _log.error("%s stopped serving; stopping whoswho", task.get_name(), exc_info=error)
        code = 1
    return code


async def _shut_down(service: Service, background: set[asyncio.Task[Any]], *, deadline: float) -> None:
    """The platforms stop taking events, the replies in flight finish (until ``deadline``), then all closes."""
    turns = service.turns
    for platform in service.platforms:
        with contextlib.suppress(Exception):
            await platform.stop()
    drain = max(0.5, deadline - asyncio.get_running_loop().time())
    _log.info("Finishing the replies in flight (%d)", turns.events.in_flight)
    if not await turns.events.drain(drain):
        _log.warning("Stopping with %d replies still in flight after %.1f s", turns.events.in_flight, drain)
    for task in background:
        task.cancel()
    for platform in service.platforms:
        try:
            await platform.close()
        except Exception:
            _log.exception("Closing %s failed", platform.name)
