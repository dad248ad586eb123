"""Slack in whoswho's platform registry (:mod:`adapters.platforms`). Nothing here imports Bolt: each
function imports what it runs."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from adapters.platforms import Platform, PlatformSpec

if TYPE_CHECKING:
    from adapters.settings import CoreSettings
    from adapters.slack.settings import SlackSettings
    from bot import TextLimits

#: Any of these set: ``whoswho serve`` runs Slack.
VARIABLES = ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_CLIENT_ID")


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=3000, help="HTTP mode port (default 3000)")


def _run(args: argparse.Namespace, settings: CoreSettings, environ: Mapping[str, str]) -> int:
    from adapters.slack.cli import run

    return run(args, settings, environ)


def _settings(environ: Mapping[str, str], data_dir: Path) -> SlackSettings:
    from adapters.slack.settings import SlackSettings

    return SlackSettings.from_env(environ, data_dir=data_dir)


def _platform(settings: SlackSettings, turns: Any, **options: Any) -> Platform:
    from adapters.slack.platform import SlackPlatform

    return SlackPlatform(settings, turns, watch=options.get("watch"))


def _limits() -> TextLimits:
    from adapters.slack.render import KNOWLEDGE_LIMITS

    return KNOWLEDGE_LIMITS


SPEC = PlatformSpec(
    name="slack",
    help="run the Slack app (Socket Mode with SLACK_APP_TOKEN, else HTTP)",
    needs="SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (Slack, HTTP mode), SLACK_BOT_TOKEN and SLACK_APP_TOKEN (Slack, "
          "Socket Mode), SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET and SLACK_SIGNING_SECRET (Slack, "
          "OAuth for many workspaces)",
    configured=lambda environ: any(environ.get(name, "").strip() for name in VARIABLES),
    add_arguments=_arguments,
    run=_run,
    settings=_settings,
    secrets=lambda settings: tuple(settings.secrets),
    platform=_platform,
    admin_example="slack:U123",
    # Bot, user and app tokens; the prefix stays, so a log still says which kind it was.
    tokens=((r"\b(xox[a-z]|xapp)-[A-Za-z0-9-]+", r"\1-[redacted]"),),
    knowledge_limits=_limits,
)
