"""``whoswho serve``'s settings: the HTTP server, logs, the rate limit, and which platforms to run."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from adapters.discord.settings import DiscordSettings
from adapters.slack.settings import SlackSettings
from adapters.turn import DEFAULT_RATE_LIMIT
from adapters.urls import credentials
from adapters.watch import WatchSettings
from bot import ConfigError

README_OPERATING = "see README, section 'Operating whoswho'"
DEFAULT_PORT = 8080
SLACK_VARIABLES = ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_CLIENT_ID")
NOTHING_TO_SERVE = (
    "no platform is configured: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (Slack, HTTP mode), "
    "SLACK_BOT_TOKEN and SLACK_APP_TOKEN (Slack, Socket Mode), SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, "
    "SLACK_STATE_SECRET and SLACK_SIGNING_SECRET (Slack, OAuth for many workspaces), "
    "and/or DISCORD_TOKEN (Discord)"
)


def _problem(variable: str, what: str) -> ConfigError:
    return ConfigError(f"{variable}: {what} ({README_OPERATING})")


def _flag(environ: Mapping[str, str], name: str) -> bool:
    raw = environ.get(name, "").strip().lower()
    if raw in ("", "0", "false", "no", "off"):
        return False
    if raw in ("1", "true", "yes", "on"):
        return True
    raise _problem(name, f"{raw!r} is neither 1 nor 0")


@dataclass(frozen=True)
class ServeSettings:
    """Everything ``whoswho serve`` needs beyond the core settings; ``None`` for a platform left unconfigured."""

    port: int = DEFAULT_PORT
    host: str = "0.0.0.0"
    json_logs: bool = False
    log_questions: bool = False
    #: Questions one user may ask a minute; ``None``: no limit.
    rate_limit: int | None = DEFAULT_RATE_LIMIT
    watch: bool = False
    slack: SlackSettings | None = None
    discord: DiscordSettings | None = None
    #: Watch mode, the channel helper: its admins, threshold and cooldown.
    watch_mode: WatchSettings = field(default_factory=WatchSettings)

    @property
    def platforms(self) -> tuple[str, ...]:
        """The names of the platforms to run."""
        return tuple(name for name, s in (("slack", self.slack), ("discord", self.discord)) if s is not None)

    @property
    def secrets(self) -> tuple[str, ...]:
        """Every secret value, for redacting logs."""
        discord = (self.discord.token, *credentials(self.discord.api_url), *credentials(self.discord.gateway_url)) \
            if self.discord else ()
        return (*(self.slack.secrets if self.slack else ()), *discord)

    @classmethod
    def from_env(cls, environ: Mapping[str, str], *, data_dir: Path, port: int | None = None,
                 host: str | None = None, log_format: str | None = None, watch: bool = False) -> ServeSettings:
        """Settings from ``WHOSWHO_PORT``, ``WHOSWHO_HOST``, ``WHOSWHO_LOG_FORMAT``, ``WHOSWHO_LOG_QUESTIONS``,
        ``WHOSWHO_RATE_LIMIT`` and the platforms' variables; the options given override the variables."""
        if port is None:
            raw = environ.get("WHOSWHO_PORT", "").strip()
            if raw and not (raw.isdigit() and int(raw) < 65536):
                raise _problem("WHOSWHO_PORT", f"{raw!r} is not a port number")
            port = int(raw) if raw else DEFAULT_PORT
        elif not 0 <= port < 65536:
            raise _problem("--port", f"{port} is not a port number")
        log_format = log_format or environ.get("WHOSWHO_LOG_FORMAT", "").strip().lower() or "text"
        if log_format not in ("text", "json"):
            raise _problem("WHOSWHO_LOG_FORMAT", f"{log_format!r} is neither text nor json")
        raw_limit = environ.get("WHOSWHO_RATE_LIMIT", "").strip()
        if raw_limit and not raw_limit.isdigit():
            raise _problem("WHOSWHO_RATE_LIMIT", f"{raw_limit!r} is not a number of questions a minute (0: no limit)")
        limit = int(raw_limit) if raw_limit else DEFAULT_RATE_LIMIT
        slack = discord = None
        if any(environ.get(name, "").strip() for name in SLACK_VARIABLES):
            slack = SlackSettings.from_env(environ, data_dir=data_dir)
        if environ.get("DISCORD_TOKEN", "").strip():
            discord = DiscordSettings.from_env(environ)
        if slack is None and discord is None:
            raise ConfigError(f"{NOTHING_TO_SERVE} ({README_OPERATING})")
        return cls(
            port=port,
            host=host or environ.get("WHOSWHO_HOST", "").strip() or "0.0.0.0",
            json_logs=log_format == "json",
            log_questions=_flag(environ, "WHOSWHO_LOG_QUESTIONS"),
            rate_limit=limit or None,
            watch=watch or _flag(environ, "WHOSWHO_WATCH"),
            slack=slack,
            discord=discord,
            watch_mode=WatchSettings.from_env(environ, data_dir=data_dir),
        )
