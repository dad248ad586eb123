"""``whoswho slack``: Socket Mode when ``SLACK_APP_TOKEN`` is set, otherwise HTTP mode on ``--port``."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
from collections.abc import Mapping

from adapters.asking import Asker
from adapters.logs import RedactingFormatter, configure_logging
from adapters.records import RecordsSettings, open_records
from adapters.settings import CoreSettings
from adapters.slack.app import build_app, check_watch
from adapters.slack.server import EVENTS_PATH, start_http
from adapters.slack.settings import SlackSettings
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
    asker = Asker(settings.load_advisor(), records=records)
    try:
        asyncio.run(serve(slack, asker, port=args.port, watch=watch))
    finally:
        if records is not None:
            records.close()
    return 0


async def serve(slack: SlackSettings, advisor: Advisor | Asker, *, port: int, host: str = "0.0.0.0",
                stop: asyncio.Event | None = None, watch: Watch | None = None) -> None:
    """Serve until ``stop`` is set, or SIGINT/SIGTERM arrives; ``watch`` is watch mode (off without it)."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # Windows, or not the main thread
            loop.add_signal_handler(signum, stop.set)
    app = build_app(slack, advisor, watch=watch)
    if watch is not None and not slack.oauth:
        await check_watch(app.client, watch)
    if slack.socket_mode:
        # Imported here: only Socket Mode needs the websocket client.
        from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

        handler = AsyncSocketModeHandler(app, slack.app_token)
        await handler.connect_async()  # type: ignore[no-untyped-call]
        _log.info("whoswho is connected to Slack in Socket Mode; Ctrl-C stops it")
        try:
            await stop.wait()
        finally:
            await handler.close_async()  # type: ignore[no-untyped-call]
        return
    runner, bound = await start_http(app, host=host, port=port)
    _log.info("whoswho is listening on http://%s:%d%s (HTTP mode%s); Ctrl-C stops it", host, bound, EVENTS_PATH,
              ", OAuth install at /slack/install" if slack.oauth else "")
    try:
        await stop.wait()
    finally:
        await runner.cleanup()
