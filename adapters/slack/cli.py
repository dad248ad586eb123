"""``whoswho slack``: Socket Mode when ``SLACK_APP_TOKEN`` is set, otherwise HTTP mode on ``--port``."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
from collections.abc import Mapping

from adapters.http import SHUTDOWN_SECONDS, RequestsInFlight, stop_http
from adapters.logs import RedactingFormatter, configure_logging
from adapters.records import RecordsSettings, open_records
from adapters.retry import Stopped, unless_stopped
from adapters.settings import CoreSettings
from adapters.slack.app import build_app, check_watch
from adapters.slack.server import EVENTS_PATH, start_http
from adapters.slack.settings import SlackSettings
from adapters.slack.socket import connect_socket_mode
from adapters.turn import Turns, as_turns
from adapters.watch import Watch
from bot import Advisor

_log = logging.getLogger("adapters.slack")

__all__ = ["RedactingFormatter", "configure_logging", "run", "serve"]


def run(args: argparse.Namespace, settings: CoreSettings, environ: Mapping[str, str]) -> int:
    """Run the Slack app until interrupted; raises :class:`~bot.ConfigError` for a bad setting."""
    slack = SlackSettings.from_env(environ, data_dir=settings.data_dir)
    configure_logging(secrets=slack.secrets)
    watch = Watch.from_env(environ, data_dir=settings.data_dir)
    records = open_records(RecordsSettings.from_env(environ, data_dir=settings.data_dir))
    turns = Turns(settings.load_advisor(), records=records)
    try:
        asyncio.run(serve(slack, turns, port=args.port, watch=watch))
    finally:
        if records is not None:
            records.close()
    return 0


async def serve(slack: SlackSettings, advisor: Advisor | Turns, *, port: int, host: str = "0.0.0.0",
                stop: asyncio.Event | None = None, watch: Watch | None = None,
                shutdown_seconds: float = SHUTDOWN_SECONDS) -> None:
    """Serve until ``stop`` is set, or SIGINT/SIGTERM arrives; ``watch`` is watch mode (off without it).

    A stop, even while Slack is still unreachable, ends it at once; in HTTP mode the requests already accepted
    are answered first, and the replies they started sent, for up to ``shutdown_seconds`` in all."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # Windows, or not the main thread
            loop.add_signal_handler(signum, stop.set)
    turns = as_turns(advisor)
    app = build_app(slack, turns, watch=watch)
    try:
        if watch is not None and not slack.oauth:
            await unless_stopped(stop, check_watch(app.client, watch))
        if slack.socket_mode:
            handler = await connect_socket_mode(app, slack.app_token or "", stop=stop)
            _log.info("whoswho is connected to Slack in Socket Mode; Ctrl-C stops it")
            try:
                await stop.wait()
            finally:
                await handler.close_async()  # type: ignore[no-untyped-call]
            return
    except Stopped:
        _log.info("Stopped before Slack could be reached")
        return
    requests = RequestsInFlight()
    runner, bound = await start_http(app, host=host, port=port, signing_secret=slack.signing_secret,
                                     shutdown_seconds=shutdown_seconds, requests=requests)
    _log.info("whoswho is listening on http://%s:%d%s (HTTP mode%s); Ctrl-C stops it", host, bound, EVENTS_PATH,
              ", OAuth install at /slack/install" if slack.oauth else "")
    try:
        await stop.wait()
    finally:
        deadline = loop.time() + shutdown_seconds
        await stop_http(runner, requests)
        # Events are acknowledged at once and answered after: let the replies they started be sent.
        if not await turns.events.drain(max(0.5, deadline - loop.time())):
            _log.warning("Stopping with %d replies still in flight", turns.events.in_flight)
