"""The chat platforms whoswho serves, one line each: a name and where its :class:`PlatformSpec` lives. A spec's
module is imported only when the platform is named or served, and imports its platform library only when it
runs, so ``whoswho --help`` and ``whoswho ask`` load neither Bolt nor discord.py. ``whoswho serve``, the
command line and ``/whoswho-admin`` read this registry; nothing else names a platform.

>>> names()
('slack', 'discord')
>>> spec("slack").configured({"SLACK_BOT_TOKEN": "xoxb-1"})
True
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from aiohttp import web

    from adapters.settings import CoreSettings
    from adapters.turn import Turns
    from adapters.watch import Watch
    from bot import TextLimits

#: name -> ``module:attribute`` of its spec.
REGISTRY: dict[str, str] = {
    "slack": "adapters.slack.spec:SPEC",
    "discord": "adapters.discord.spec:SPEC",
}


class Platform(Protocol):
    """One chat platform served by ``whoswho serve``, beside the others on one event loop."""

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


@dataclass(frozen=True)
class PlatformSpec:
    """What whoswho needs to know of a platform; every callable imports the platform's library itself."""

    name: str
    #: The line ``whoswho --help`` shows for ``whoswho NAME``.
    help: str
    #: What to set to serve it, for the message when no platform is configured.
    needs: str
    #: Whether the environment configures it (``whoswho serve`` then runs it).
    configured: Callable[[Mapping[str, str]], bool]
    #: Adds the options of ``whoswho NAME``.
    add_arguments: Callable[[argparse.ArgumentParser], None]
    #: Runs ``whoswho NAME`` until stopped; the exit code.
    run: Callable[[argparse.Namespace, CoreSettings, Mapping[str, str]], int]
    #: Its settings from the environment (a :class:`~bot.ConfigError` names a bad variable).
    settings: Callable[[Mapping[str, str], Path], Any]
    #: The secret values in its settings, for redacting logs.
    secrets: Callable[[Any], tuple[str, ...]]
    #: The platform ``whoswho serve`` runs: ``(settings, turns, data_dir=, watch=, **options)``.
    platform: Callable[..., Platform]
    #: A ``WHOSWHO_ADMINS`` entry for the messages, e.g. ``slack:U123``.
    admin_example: str
    #: Its credentials' shapes, masked in every log line wherever they appear: (regular expression, replacement).
    tokens: tuple[tuple[str, str], ...] = ()
    #: Why a user id is not one of this platform's (for ``WHOSWHO_ADMINS``), or ``None`` when it is.
    user_id_problem: Callable[[str], str | None] = lambda user: None
    #: The longest texts it shows in one piece, which the knowledge must keep within; ``None``: no limit.
    knowledge_limits: Callable[[], TextLimits | None] = lambda: None


def knowledge_limits() -> TextLimits:
    """The tightest text limits of every platform: knowledge loaded within them shows whole on each."""
    from bot import TextLimits

    return TextLimits.tightest(*(limits for each in specs() if (limits := each.knowledge_limits()) is not None))


def names() -> tuple[str, ...]:
    """The platforms' names, in the order they start."""
    return tuple(REGISTRY)


@cache
def spec(name: str) -> PlatformSpec:
    """The spec of platform ``name`` (imported on first use); :class:`KeyError` for an unknown name."""
    module, _, attribute = REGISTRY[name].partition(":")
    found: PlatformSpec = getattr(importlib.import_module(module), attribute)
    return found


def admin_examples() -> str:
    """An example ``WHOSWHO_ADMINS`` entry of each platform, for messages: ``slack:U123 or discord:456``."""
    return " or ".join(each.admin_example for each in specs())


def specs() -> list[PlatformSpec]:
    """Every platform's spec."""
    return [spec(name) for name in names()]


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``whoswho NAME`` for each platform."""
    for each in specs():
        each.add_arguments(commands.add_parser(each.name, help=each.help))


def configured(environ: Mapping[str, str]) -> list[PlatformSpec]:
    """The platforms the environment configures."""
    return [each for each in specs() if each.configured(environ)]


def build(settings: Mapping[str, Any], turns: Turns, *, data_dir: Path, watch: Watch | None = None,
          **options: Any) -> list[Platform]:
    """The platforms of ``settings`` (name -> its settings), in registry order, sharing ``turns``; ``options``
    go to each platform (tests pass the Discord client's ``guild_ready_timeout``)."""
    return [spec(name).platform(settings[name], turns, data_dir=data_dir, watch=watch, **options)
            for name in names() if name in settings]
