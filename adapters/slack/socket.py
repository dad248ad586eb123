"""Socket Mode: connecting to Slack's websocket while a stop can still come, one log line per failed attempt.

slack-sdk's own ``connect()`` retries forever, every ten seconds, with a traceback each time, and cannot be
interrupted by waiting on it; here each attempt asks for a websocket URL (``apps.connections.open``) and
connects within a bounded time, and a failure is retried with backoff (:mod:`adapters.retry`). Once connected,
slack-sdk keeps the connection up itself.
"""

from __future__ import annotations

import asyncio
import logging

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.retry import WithoutTraceback, retrying
from adapters.slack.settings import README_SLACK
from bot import ConfigError

_log = logging.getLogger(__name__)

#: Slack's answers that mean the token itself is wrong: retrying will not help.
REFUSED = {"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired"}
#: An attempt that neither connects nor fails in this long is given up and made again with a new URL.
ATTEMPT_SECONDS = 30.0


_client_log = logging.getLogger("adapters.slack.socket_mode")
# slack-sdk logs each failed connection with its traceback, every ten seconds while Slack is away.
_client_log.addFilter(WithoutTraceback("Failed to connect"))


def why_not_connected(error: Exception) -> str | None:
    """A few words on why an attempt failed, or ``None`` for an error not worth retrying."""
    if isinstance(error, ConfigError):
        return None
    if isinstance(error, SlackApiError):
        return f"apps.connections.open answered {str(error.response.get('error'))[:40]}"
    if isinstance(error, TimeoutError):
        return f"no connection within {ATTEMPT_SECONDS:.0f} s"
    return f"Slack is unreachable: {type(error).__name__}"


async def connect_socket_mode(app: AsyncApp, app_token: str, *, stop: asyncio.Event) -> AsyncSocketModeHandler:
    """A handler connected to Slack, after as many attempts as it takes; raises :class:`~adapters.retry.Stopped`
    when ``stop`` is set first, :class:`~bot.ConfigError` when Slack refuses the app-level token."""

    async def attempt() -> AsyncSocketModeHandler:
        # A Web API client of its own for apps.connections.open, without retries: the backoff here retries.
        opener = AsyncWebClient(base_url=app.client.base_url, timeout=app.client.timeout, retry_handlers=[])
        handler = AsyncSocketModeHandler(app, app_token, logger=_client_log, web_client=opener)
        try:
            try:
                handler.client.wss_uri = await handler.client.issue_new_wss_url()
            except SlackApiError as error:
                code = str(error.response.get("error"))
                if code in REFUSED:
                    raise ConfigError(f"SLACK_APP_TOKEN: Slack refused the token ({code}); generate a new "
                                      f"app-level token ({README_SLACK})") from None
                raise
            await asyncio.wait_for(handler.connect_async(), ATTEMPT_SECONDS)  # type: ignore[no-untyped-call]
        except BaseException:
            client = handler.client
            if client.current_session is None:  # never connected: only its HTTP session to close
                client.closed = True
                await client.aiohttp_client_session.close()
            else:
                await handler.close_async()  # type: ignore[no-untyped-call]
            raise
        return handler

    handler = await retrying(stop, attempt, what="Connecting to Slack in Socket Mode", reason=why_not_connected,
                             logger=_log)
    _log.info("Connected to Slack in Socket Mode")
    return handler
