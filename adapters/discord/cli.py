"""``whoswho discord``: runs the bot until it is stopped."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
from collections.abc import Mapping

import discord

from adapters.discord.client import COMMANDS_STATE, create_client, serve, use_endpoints
from adapters.discord.settings import README_DISCORD, DiscordSettings
from adapters.records import RecordsSettings, open_records
from adapters.settings import CoreSettings
from adapters.turn import Turns, as_turns
from adapters.watch import Watch
from bot import Advisor, ConfigError

_log = logging.getLogger(__name__)

#: A stop lets the replies in flight finish for at most this long before the gateway is closed.
DRAIN_SECONDS = 5.0


def run(args: argparse.Namespace, settings: CoreSettings, environ: Mapping[str, str]) -> int:
    """Run the Discord bot with settings from the environment; returns the exit code.

    A missing or malformed setting raises :class:`~bot.ConfigError` naming the variable.
    """
    discord_settings = DiscordSettings.from_env(environ, shards=getattr(args, "shards", None))
    watch = Watch.from_env(environ, data_dir=settings.data_dir)
    records = open_records(RecordsSettings.from_env(environ, data_dir=settings.data_dir))
    advisor = Turns(settings.load_advisor(), records=records)
    discord.utils.setup_logging(level=logging.INFO)
    use_endpoints(api_url=discord_settings.api_url, gateway_url=discord_settings.gateway_url)
    try:
        asyncio.run(_serve(discord_settings=discord_settings, settings=settings, advisor=advisor, watch=watch))
    except KeyboardInterrupt:
        return 0
    except discord.LoginFailure:
        raise ConfigError(f"DISCORD_TOKEN: Discord refused the token; reset it on the Bot page ({README_DISCORD})") \
            from None
    except discord.PrivilegedIntentsRequired:  # pragma: no cover - needs Discord's own gateway
        raise ConfigError("WHOSWHO_ADMINS: watch mode needs the Message Content intent; turn it on in the Developer "
                          "Portal's Bot page, or name no Discord admin (see README, section 'Channel helper')") \
            from None
    finally:
        if records is not None:
            records.close()
    return 0


async def _serve(*, discord_settings: DiscordSettings, settings: CoreSettings, advisor: Advisor | Turns,
                 watch: Watch) -> None:
    client, tree = create_client(advisor, discord_settings, watch=watch)
    turns = as_turns(advisor)
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    # SIGTERM (docker stop, systemd) and Ctrl-C end it at once while it is still starting, and once it is
    # connected let the replies in flight be sent before the gateway is closed.
    for signum in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stop.set)
    shards = discord_settings.shard_count
    _log.info("Starting whoswho on Discord (%s)", "unsharded" if shards is None else
              f"{shards or 'auto'} shards, running {list(discord_settings.shard_ids or []) or 'all'}")

    async def finish_replies() -> None:
        if not await turns.events.drain(DRAIN_SECONDS):
            _log.warning("Stopping with %d replies still in flight", turns.events.in_flight)

    await serve(client, tree, token=discord_settings.token, guild_id=discord_settings.guild_id,
                state_file=settings.data_dir / COMMANDS_STATE, stop=stop, on_stop=finish_replies)
