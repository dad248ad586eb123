"""``whoswho serve``'s settings: the HTTP server, logs, the rate limit, and which platforms to run."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from adapters import platforms as registry
from adapters.turn import DEFAULT_RATE_LIMIT
from adapters.watch import WatchSettings
from bot import ConfigError

README_OPERATING = "see README, section 'Operating whoswho'"
DEFAULT_PORT = 8080


def nothing_to_serve() -> str:
    """The message when no platform is configured: what to set for each."""
    return "no platform is configured: set " + ", and/or ".join(spec.needs for spec in registry.specs())


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
    #: The platforms to run: name -> its settings (see :mod:`adapters.platforms`), in registry order.
    platforms: dict[str, Any] = field(default_factory=dict)
    #: Watch mode, the channel helper: its admins, threshold and cooldown.
    watch_mode: WatchSettings = field(default_factory=WatchSettings)

    @property
    def names(self) -> tuple[str, ...]:
        """The names of the platforms to run, in the order they start."""
        return tuple(name for name in registry.names() if name in self.platforms)

    @property
    def secrets(self) -> tuple[str, ...]:
        """Every secret value, for redacting logs."""
        return tuple(secret for name in self.names for secret in registry.spec(name).secrets(self.platforms[name]))

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
        platforms = {spec.name: spec.settings(environ, data_dir) for spec in registry.configured(environ)}
        if not platforms:
            raise ConfigError(f"{nothing_to_serve()} ({README_OPERATING})")
        return cls(
            port=port,
            host=host or environ.get("WHOSWHO_HOST", "").strip() or "0.0.0.0",
            json_logs=log_format == "json",
            log_questions=_flag(environ, "WHOSWHO_LOG_QUESTIONS"),
            rate_limit=limit or None,
            watch=watch or _flag(environ, "WHOSWHO_WATCH"),
            platforms=platforms,
            watch_mode=WatchSettings.from_env(environ, data_dir=data_dir),
        )
