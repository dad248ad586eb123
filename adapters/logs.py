"""Logging for the long-running commands: human-readable lines or JSON lines, never a token."""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from functools import cache
from typing import Any, TextIO

from adapters import platforms

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# What a LogRecord carries of its own: anything else in its __dict__ came through ``extra=``.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class Redactor:
    """Masks every Slack or Discord token (each platform's token shapes, from the registry) and every configured
    secret in a text."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._secrets = sorted((s for s in secrets if s), key=len, reverse=True)
        self._tokens = _token_patterns()

    def redact(self, text: str) -> str:
        """The text with every token and secret replaced by ``[redacted]``."""
        for secret in self._secrets:
            text = text.replace(secret, "[redacted]")
        for pattern, replacement in self._tokens:
            text = pattern.sub(replacement, text)
        return text


@cache
def _token_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(pattern), replacement)
                 for spec in platforms.specs() for pattern, replacement in spec.tokens)


class RedactingFormatter(logging.Formatter):
    """Formats log records with tokens and the configured secrets masked, tracebacks included.

    slack-sdk logs Web API responses at DEBUG, and ``oauth.v2.access`` answers with tokens.
    """

    def __init__(self, fmt: str = TEXT_FORMAT, *, secrets: Iterable[str] = ()) -> None:
        super().__init__(fmt)
        self._redactor = Redactor(secrets)

    def format(self, record: logging.LogRecord) -> str:
        return self.redact(super().format(record))

    def redact(self, text: str) -> str:
        """The text with every token and secret replaced by ``[redacted]``."""
        return self._redactor.redact(text)


class JsonFormatter(logging.Formatter):
    """One JSON object a line: ``time``, ``level``, ``logger``, ``message``, the record's ``extra=`` fields
    and ``exception``; tokens and secrets masked in all of them."""

    def __init__(self, *, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._redactor = Redactor(secrets)

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value if isinstance(value, str | int | float | bool | None) else str(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        return self._redactor.redact(json.dumps(entry, ensure_ascii=False, default=str))


def configure_logging(*, secrets: Iterable[str], stream: TextIO | None = None, level: int = logging.INFO,
                      json_lines: bool = False) -> logging.Handler:
    """Log to ``stream`` (stderr) as text or JSON lines with every secret masked; returns the handler."""
    handler = logging.StreamHandler(stream if stream is not None else sys.stderr)
    formatter = JsonFormatter(secrets=secrets) if json_lines else RedactingFormatter(TEXT_FORMAT, secrets=secrets)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    return handler
