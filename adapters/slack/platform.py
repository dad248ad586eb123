"""Slack as one of ``whoswho serve``'s platforms: Socket Mode (a websocket to Slack) or HTTP mode (Slack's
endpoints on the shared server), with readiness."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from slack_sdk.errors import SlackApiError

from adapters.retry import Stopped
from adapters.slack.app import build_app, check_watch
from adapters.slack.server import slack_routes
from adapters.slack.settings import README_SLACK, SlackSettings
from adapters.slack.socket import REFUSED
from adapters.turn import Turns
from adapters.watch import Watch
from bot import ConfigError

_log = logging.getLogger(__name__)

VERIFY_RETRY_SECONDS = 15.0


class SlackPlatform:
    """Slack in Socket Mode (a websocket to Slack) or in HTTP mode (Slack's endpoints on our server)."""

    name = "slack"

    def __init__(self, settings: SlackSettings, turns: Turns, *, watch: Watch | None = None) -> None:
        self.settings = settings
        self.watch = watch
        self.app = build_app(settings, turns, watch=watch)
        self.routes = [] if settings.socket_mode else slack_routes(self.app, signing_secret=settings.signing_secret)
        self.task: asyncio.Task[None] | None = None
        self._handler: Any = None
        self._problem: str | None = "starting"
        self._stop = asyncio.Event()

    async def start(self) -> None:
        if self.settings.socket_mode:
            # Connecting goes on in the background, so a stop can come while Slack is unreachable.
            self.task = asyncio.create_task(self._connect_socket_mode(), name="slack-socket-mode")
            return
        if self.settings.oauth:
            # Each workspace has its own token, checked on its first event; nothing to verify up front.
            self._problem = None
            _log.info("Serving Slack in HTTP mode with the OAuth install flow")
            return
        if not await self._verify():
            self.task = asyncio.create_task(self._keep_verifying(), name="slack-verify")
        elif self.watch is not None:
            await check_watch(self.app.client, self.watch)

    async def _verify(self) -> bool:
        """auth.test with the bot token: the token is good and Slack's Web API is reachable."""
        try:
            await self.app.client.auth_test()
        except SlackApiError as error:
            code = str(error.response.get("error"))
            if code in REFUSED:
                raise ConfigError(f"SLACK_BOT_TOKEN: Slack refused the token ({code}); copy it again "
                                  f"({README_SLACK})") from None
            self._problem = f"auth.test failed: {code}"
        except Exception as error:  # the network: retried
            self._problem = f"Slack's Web API is unreachable ({type(error).__name__})"
        else:
            self._problem = None
            _log.info("Serving Slack in HTTP mode; the bot token is good")
            return True
        _log.warning("Slack: %s; retrying every %.0f s", self._problem, VERIFY_RETRY_SECONDS)
        return False

    async def _connect_socket_mode(self) -> None:
        # Imported here: only Socket Mode needs the websocket client.
        from adapters.slack.socket import connect_socket_mode

        self._problem = "connecting to Slack in Socket Mode"
        with contextlib.suppress(Stopped):
            self._handler = await connect_socket_mode(self.app, self.settings.app_token or "", stop=self._stop)
            self._problem = None
        # Connected (slack-sdk reconnects by itself from now on), or stopped: nothing more to watch.
        await asyncio.Event().wait()

    async def _keep_verifying(self) -> None:
        while self._problem is not None:
            await asyncio.sleep(VERIFY_RETRY_SECONDS)
            with contextlib.suppress(ConfigError):  # a token refused later shows in readiness, not as a crash
                await self._verify()
        # Verified: nothing more to watch; a finished task is not a failure.
        await asyncio.Event().wait()

    async def problem(self) -> str | None:
        connected = not self.settings.socket_mode or (
            self._handler is not None and await self._handler.client.is_connected())
        if self._problem is None and not connected:
            return "Socket Mode websocket is not connected"
        return self._problem

    async def stop(self) -> None:
        self._stop.set()
        if self._handler is not None:
            await self._handler.close_async()
            self._handler = None
        if self.task is not None:
            self.task.cancel()

    async def close(self) -> None:
        await self.stop()
