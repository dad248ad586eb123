"""The Discord client's start-up: the client with whoswho on it, logging in (retried while Discord is
unreachable), syncing the commands only when they changed, serving until stopped, and the start-up checks
of watch mode."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import discord
import yarl
from discord import app_commands

from adapters.discord.buttons import attach
from adapters.discord.commands import command_tree
from adapters.discord.responder import NO_MENTIONS, Responder
from adapters.discord.settings import DiscordSettings
from adapters.files import write_private
from adapters.mentors import connect
from adapters.retry import Stopped, WithoutTraceback, retrying, unless_stopped
from adapters.turn import Turns, as_turns
from adapters.watch import Watch
from bot import Advisor

_log = logging.getLogger(__name__)
# discord.py logs each failed gateway (re)connection with its traceback, attempt after attempt while offline.
logging.getLogger("discord.client").addFilter(WithoutTraceback("Attempting a reconnect"))

COMMANDS_STATE = "discord-commands.json"
#: What watch mode needs in a watched channel: read it, start a thread (or reply), and post there.
WATCH_PERMISSIONS = ("view_channel", "read_message_history", "send_messages", "create_public_threads",
                     "send_messages_in_threads", "embed_links")


def register(client: discord.Client, advisor: Advisor | Turns, *,
             watch: Watch | None = None) -> app_commands.CommandTree[Any]:
    """Put the advisor on ``client``: the slash commands (returned as a tree to sync), the message
    listener, and the persistent buttons, registered now so they work from the first event on.

    With :class:`~adapters.turn.Turns` questions are rate limited per user and counted, and each event is
    counted in its :class:`~adapters.turn.Events`, so a shutdown stops taking events and lets these finish.
    ``watch`` is watch mode: ``/whoswho-admin watch`` and the watched channels (off everywhere without it)."""
    responder = Responder(as_turns(advisor), watch=watch)
    connect(responder.turns, responder.watch)
    attach(client, responder)
    tree = command_tree(client)

    async def on_ready() -> None:
        # Also after a reconnect that could not resume the session.
        _log.info("Connected to Discord's gateway (%d servers)", len(client.guilds))
        check_watch(client, responder.watch)

    @responder.turns.events.handler
    async def on_message(message: discord.Message) -> None:
        if client.user is not None:
            await responder.on_message(message, me=client.user)

    client.event(on_ready)
    client.event(on_message)
    return tree


def create_client(advisor: Advisor | Turns, settings: DiscordSettings, *, watch: Watch | None = None,
                  **options: Any) -> tuple[discord.Client, app_commands.CommandTree[Any]]:
    """A client with the advisor registered: ``AutoShardedClient`` when sharding is configured.

    It asks for no privileged intent (slash commands, DMs and mentions need none) unless ``watch`` names a
    Discord admin: watch mode reads messages nobody addressed to the bot, which needs Message Content. Mentions are off
    for everything it sends, so a question quoting ``@everyone`` or a role can never ping through it.
    ``options`` go to the client (tests pass ``guild_ready_timeout``).
    """
    intents = discord.Intents.none()
    intents.guilds = intents.guild_messages = intents.dm_messages = True
    if watch is not None and watch.settings.configured("discord"):
        intents.message_content = True
    common: dict[str, Any] = {
        "intents": intents, "allowed_mentions": NO_MENTIONS, "max_messages": None,
        "chunk_guilds_at_startup": False, **options,
    }
    client: discord.Client
    if settings.sharded:
        if settings.shard_ids:
            common["shard_ids"] = list(settings.shard_ids)
        client = discord.AutoShardedClient(shard_count=settings.shard_count or None, **common)
    else:
        client = discord.Client(**common)
    return client, register(client, advisor, watch=watch)


def check_watch(client: discord.Client, watch: Watch) -> list[str]:
    """Warn, naming the channel, for each watched channel this client serves that watch mode cannot work in:
    no Message Content intent, or a missing permission. The warnings logged."""
    warnings: list[str] = []
    for key in watch.channels.channels("discord"):
        guild_id, _, channel_id = key.partition(":")
        guild = client.get_guild(int(guild_id)) if guild_id.isdigit() else None
        if guild is None:
            continue  # a server this process does not serve (another shard) or has left
        channel = guild.get_channel(int(channel_id)) if channel_id.isdigit() else None
        if not client.intents.message_content:
            warnings.append(f"Watch mode is on in Discord channel {channel_id} ({guild.name}), but the bot did not "
                            "request the Message Content intent, so it cannot read questions there: name a Discord "
                            "admin in WHOSWHO_ADMINS and turn on Message Content on the Bot page "
                            "(see README, section 'Channel helper')")
        if channel is None:
            warnings.append(f"Watch mode is on in Discord channel {channel_id}, which the bot cannot see in "
                            f"{guild.name}: give it View Channels there, or turn watch mode off")
            continue
        permissions = channel.permissions_for(guild.me)
        missing = [name for name in WATCH_PERMISSIONS if not getattr(permissions, name)]
        if missing:
            warnings.append(f"Watch mode is on in Discord channel #{channel.name} ({channel_id}), but the bot lacks "
                            f"the permission(s) {', '.join(missing)} there (see README, section 'Channel helper')")
    for warning in warnings:
        _log.warning("%s", warning)
    return warnings


def use_endpoints(*, api_url: str | None, gateway_url: str | None) -> None:
    """Point discord.py at a Discord-compatible server instead of discord.com (process-wide)."""
    if api_url:
        discord.http.Route.BASE = api_url.rstrip("/")
    if gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)


def command_digest(tree: app_commands.CommandTree[Any], guild: discord.abc.Snowflake | None) -> str:
    """A hash of the command definitions as Discord receives them."""
    definitions = [command.to_dict(tree) for command in tree.get_commands(guild=guild)]
    return hashlib.sha256(json.dumps(definitions, sort_keys=True).encode()).hexdigest()


async def sync_commands(tree: app_commands.CommandTree[Any], *, guild_id: int | None, state_file: Path) -> bool:
    """Sync the commands, to one server when ``guild_id`` is set (instant) or globally, only when their
    definitions changed since the last sync recorded in ``state_file``: Discord allows 200 command
    creates a day, and a restart loop would burn them. Returns whether it synced."""
    guild = discord.Object(guild_id) if guild_id else None
    if guild is not None:
        tree.copy_global_to(guild=guild)
    digest = command_digest(tree, guild)
    key = f"{tree.client.application_id}:{guild_id or 'global'}"
    try:
        state = json.loads(state_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        state = {}
    if not isinstance(state, dict):
        state = {}
    if state.get(key) == digest:
        _log.info("Slash commands unchanged since the last sync; not syncing")
        return False
    synced = await tree.sync(guild=guild)
    _log.info("Synced %d application commands %s", len(synced), f"to server {guild_id}" if guild_id else "globally")
    state[key] = digest
    write_private(state_file, json.dumps(state, indent=2, sort_keys=True))
    return True


def why_not_logged_in(error: Exception) -> str | None:
    """A few words on why logging in failed, or ``None`` when retrying will not help (a refused token)."""
    if isinstance(error, discord.LoginFailure):
        return None
    if isinstance(error, discord.HTTPException):
        return f"Discord answered HTTP {error.status}" if error.status >= 500 or error.status == 429 else None
    if isinstance(error, OSError | aiohttp.ClientError | TimeoutError):
        return f"Discord is unreachable: {type(error).__name__}"
    return None


async def log_in(client: discord.Client, token: str) -> None:
    """One attempt at logging in; a failed one leaves nothing open for the next."""
    try:
        await client.login(token)
    except BaseException:
        # discord.py opens a new HTTP session at each login; the failed one's goes, with its connector.
        await client.http.close()
        client.http.connector = discord.utils.MISSING
        client.http.clear()
        raise


async def serve(client: discord.Client, tree: app_commands.CommandTree[Any], *, token: str,
                guild_id: int | None, state_file: Path, stop: asyncio.Event | None = None,
                on_stop: Callable[[], Awaitable[Any]] | None = None) -> None:
    """Log in (retried with backoff while Discord is unreachable), sync the commands when they changed, and serve
    until the client is closed or ``stop`` is set. A stop while starting up ends it at once; once connected,
    ``on_stop`` runs (to let replies in flight finish) before the gateway is closed. Raises
    :class:`discord.LoginFailure` when Discord refuses the token."""
    stop = stop or asyncio.Event()
    async with client:
        try:
            await retrying(stop, lambda: log_in(client, token), what="Logging in to Discord",
                           reason=why_not_logged_in, logger=_log)
            try:
                await unless_stopped(stop, sync_commands(tree, guild_id=guild_id, state_file=state_file))
            except discord.HTTPException as error:
                # Mentions and DMs still work; the commands stay as they were.
                _log.error("Could not sync the slash commands (HTTP %s); was the bot invited with the "
                           "applications.commands scope?", error.status)
        except Stopped:
            _log.info("Stopped while starting up on Discord")
            return
        connecting = asyncio.create_task(client.connect(), name="discord-gateway")
        stopping = asyncio.create_task(stop.wait())
        await asyncio.wait({connecting, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if not connecting.done():
            if on_stop is not None:
                await on_stop()
            await client.close()
        await connecting
