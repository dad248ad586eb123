"""Discord as one of ``whoswho serve``'s platforms: the gateway (one connection, or shards), with readiness."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import discord
from aiohttp import web

from adapters.discord.client import COMMANDS_STATE, create_client, use_endpoints
from adapters.discord.client import serve as serve_discord
from adapters.discord.settings import README_DISCORD, DiscordSettings
from adapters.turn import Turns
from adapters.watch import Watch
from bot import ConfigError


class DiscordPlatform:
    """Discord's gateway (one connection, or shards), through discord.py."""

    name = "discord"

    def __init__(self, settings: DiscordSettings, turns: Turns, *, data_dir: Path, watch: Watch | None = None,
                 **client_options: Any) -> None:
        self.settings = settings
        use_endpoints(api_url=settings.api_url, gateway_url=settings.gateway_url)
        # discord.py logs every gateway event at DEBUG; INFO is plenty for operators.
        logging.getLogger("discord").setLevel(logging.INFO)
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
