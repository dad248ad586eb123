"""The Discord adapter's settings, read once from the environment at the edge."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from adapters.urls import masked
from bot import ConfigError

README_DISCORD = "see README, section 'Discord'"


def _problem(variable: str, what: str) -> ConfigError:
    return ConfigError(f"{variable}: {what} ({README_DISCORD})")


def _url(environ: Mapping[str, str], variable: str, schemes: tuple[str, ...]) -> str | None:
    raw = environ.get(variable, "").strip()
    if not raw:
        return None
    try:
        parts = urlsplit(raw)
        usable = parts.scheme in schemes and bool(parts.hostname) and (parts.port or 0) >= 0
    except ValueError:  # a port that is not a number
        usable = False
    if not usable:
        raise _problem(variable, f"{masked(raw)!r} is not a {' or '.join(schemes)} URL")
    return raw.rstrip("/")


def _snowflake(environ: Mapping[str, str], variable: str) -> int | None:
    raw = environ.get(variable, "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise _problem(variable, f"{raw!r} is not a server id (a number: right-click the server, Copy Server ID)")
    return int(raw)


@dataclass(frozen=True)
class DiscordSettings:
    """How to reach Discord and which shards to run.

    ``shard_count`` is ``None`` for one unsharded connection, ``0`` for as many shards as Discord
    recommends (``DISCORD_SHARD_COUNT=auto``), else the total number of shards; ``shard_ids`` are
    the shards this process runs (``None``: all of them).
    """

    token: str = field(repr=False)
    guild_id: int | None = None
    api_url: str | None = None
    gateway_url: str | None = None
    shard_count: int | None = None
    shard_ids: tuple[int, ...] | None = None

    @property
    def sharded(self) -> bool:
        """Whether to run an ``AutoShardedClient`` rather than one plain connection."""
        return self.shard_count is not None

    @classmethod
    def from_env(cls, environ: Mapping[str, str], *, shards: int | None = None) -> DiscordSettings:
        """Settings from the ``DISCORD_*`` variables; ``shards`` (``--shards``) overrides ``DISCORD_SHARD_COUNT``."""
        token = environ.get("DISCORD_TOKEN", "").strip()
        if not token:
            raise _problem("DISCORD_TOKEN", "is not set: copy the bot token from the Developer Portal, Bot page")
        if any(c.isspace() for c in token) or token.lower().startswith("bot "):
            raise _problem("DISCORD_TOKEN", "should be the token alone, without 'Bot ' or spaces")
        count: int | None
        raw_count = environ.get("DISCORD_SHARD_COUNT", "").strip()
        if shards is not None:
            if shards < 1:
                raise _problem("--shards", f"{shards} is not a number of shards (1 or more)")
            count = shards
        elif not raw_count:
            count = None
        elif raw_count.lower() == "auto":
            count = 0
        elif raw_count.isdigit() and int(raw_count) >= 1:
            count = int(raw_count)
        else:
            raise _problem("DISCORD_SHARD_COUNT", f"{raw_count!r} is not a number of shards (1 or more, or 'auto')")
        ids: tuple[int, ...] | None = None
        raw_ids = environ.get("DISCORD_SHARD_IDS", "").strip()
        if raw_ids:
            entries = [entry.strip() for entry in raw_ids.split(",")]
            if not all(entry.isdigit() for entry in entries):
                raise _problem("DISCORD_SHARD_IDS", f"{raw_ids!r} is not a comma-separated list of shard numbers")
            if not count:
                raise _problem("DISCORD_SHARD_IDS", "needs DISCORD_SHARD_COUNT (or --shards) set to the total number")
            ids = tuple(sorted({int(entry) for entry in entries}))
            if ids[-1] >= count:
                raise _problem("DISCORD_SHARD_IDS", f"shard {ids[-1]} is out of range (0-{count - 1})")
        return cls(
            token=token,
            guild_id=_snowflake(environ, "DISCORD_GUILD_ID"),
            api_url=_url(environ, "DISCORD_API_URL", ("http", "https")),
            gateway_url=_url(environ, "DISCORD_GATEWAY_URL", ("ws", "wss")),
            shard_count=count,
            shard_ids=ids,
        )
