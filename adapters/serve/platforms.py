"""The platforms ``whoswho serve`` runs side by side on one event loop, each behind the same small interface."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path
from typing import Any, Protocol

import discord
from aiohttp import web
from slack_sdk.errors import SlackApiError

from adapters.discord.client import COMMANDS_STATE, create_client, use_endpoints
from adapters.discord.client import serve as serve_discord
from adapters.discord.settings import README_DISCORD, DiscordSettings
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


class Platform(Protocol):
    """One chat platform served by the process."""

    name: str
    #: Routes mounted on the shared HTTP server (Slack's endpoints in HTTP mode).
    routes: list[web.RouteDef]
    #: Ends only when the platform can no longer serve (the process then stops); ``None`` before start.
    task: asyncio.Task[None] | None

    async def start(self) -> None:
        """Connect; raises :class:`~bot.ConfigError` when the platform refuses the credentials."""

    async def problem(self) -> str | None:
        """``None`` while connected, else why not."""

    async def stop(self) -> None:
        """Stop taking events (replies in flight may still be sent)."""

    async def close(self) -> None:
        """Close every connection."""


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


class DiscordPlatform:
    """Discord's gateway (one connection, or shards), through discord.py."""

    name = "discord"

    def __init__(self, settings: DiscordSettings, turns: Turns, *, data_dir: Path, watch: Watch | None = None,
                 **client_options: Any) -> None:
        self.settings = settings
        use_endpoints(api_url=settings.api_url, gateway_url=settings.gateway_url)
        # whoswho never joins voice: discord.py's warnings about missing voice libraries are noise in its log.
        discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
        self.client, self.tree = create_client(turns, settings, watch=watch, **client_options)
        self.state_file = data_dir / COMMANDS_STATE
        self._stop = asyncio.Event()
        self.routes: list[web.RouteDef] = []
        self.task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self.task = asyncio.create_task(self._run(), name="discord")

    async def _run(self) -> None:
        try:
            await serve_discord(self.client, self.tree, token=self.settings.token, guild_id=self.settings.guild_id,
                                state_file=self.state_file, stop=self._stop)
        except discord.LoginFailure:
            raise ConfigError(f"DISCORD_TOKEN: Discord refused the token; reset it on the Bot page "
                              f"({README_DISCORD})") from None

    async def problem(self) -> str | None:
        client = self.client
        if client.is_closed():
            return "closed"
        if not client.is_ready():
            return "not connected to the gateway yet"
        if isinstance(client, discord.AutoShardedClient):
            down = sorted(shard_id for shard_id, shard in client.shards.items() if shard.is_closed())
            return f"shards {down} are disconnected" if down else None
        if client.ws is None or not client.ws.open:
            return "gateway connection lost; reconnecting"
        return None

    async def stop(self) -> None:
        """Events are refused by the turns while stopping; the gateway stays open for replies in flight."""

    async def close(self) -> None:
        # Still logging in or syncing: serve() gives up; connected: it closes the gateway.
        self._stop.set()
        if self.task is not None:
            await asyncio.wait({self.task}, timeout=3)
        await self.client.close()
        if self.task is not None and self.task.done() and not self.task.cancelled():
            self.task.exception()  # already reported by serve() if it is why the process stops
