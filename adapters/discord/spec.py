"""Discord in whoswho's platform registry (:mod:`adapters.platforms`). Nothing here imports discord.py: each
function imports what it runs."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from adapters.platforms import Platform, PlatformSpec
from adapters.urls import credentials

if TYPE_CHECKING:
    from adapters.discord.settings import DiscordSettings
    from adapters.settings import CoreSettings


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--shards", type=int, default=None, metavar="N",
                        help="run N shards in this process (AutoShardedClient); DISCORD_SHARD_COUNT also sets it")


def _run(args: argparse.Namespace, settings: CoreSettings, environ: Mapping[str, str]) -> int:
    from adapters.discord.cli import run

    return run(args, settings, environ)


def _settings(environ: Mapping[str, str], data_dir: Path) -> DiscordSettings:
    from adapters.discord.settings import DiscordSettings

    return DiscordSettings.from_env(environ)


def _secrets(settings: DiscordSettings) -> tuple[str, ...]:
    return (settings.token, *credentials(settings.api_url), *credentials(settings.gateway_url))


def _platform(settings: DiscordSettings, turns: Any, *, data_dir: Path, **options: Any) -> Platform:
    from adapters.discord.platform import DiscordPlatform

    return DiscordPlatform(settings, turns, data_dir=data_dir, **options)


def _user_id_problem(user: str) -> str | None:
    return None if user.isdigit() else "a Discord user id is a number (right-click the user, Copy User ID)"


SPEC = PlatformSpec(
    name="discord",
    help="run the Discord bot",
    needs="DISCORD_TOKEN (Discord)",
    configured=lambda environ: bool(environ.get("DISCORD_TOKEN", "").strip()),
    add_arguments=_arguments,
    run=_run,
    settings=_settings,
    secrets=_secrets,
    platform=_platform,
    admin_example="discord:456",
    # Bot tokens: a base64 user id, a timestamp and an HMAC.
    tokens=((r"\b[MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,}", "[redacted]"),),
    user_id_problem=_user_id_problem,
)
