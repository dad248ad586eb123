"""The error family of whoswho: library code raises these, entry points turn them into exit codes."""

from __future__ import annotations

from dataclasses import dataclass


class WhoswhoError(Exception):
    """Root of every error whoswho raises on purpose."""


class ConfigError(WhoswhoError):
    """A setting is missing or malformed; the message names the variable."""


@dataclass(frozen=True)
class KnowledgeIssue:
    """One problem in the knowledge base, located by file, intent and field."""

    file: str
    message: str
    intent: str | None = None
    field: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        parts = [where]
        if self.intent:
            parts.append(f"intent {self.intent!r}")
        if self.field:
            parts.append(f"field {self.field!r}")
        return f"{', '.join(parts)}: {self.message}"


class KnowledgeError(WhoswhoError):
    """The knowledge base failed validation; ``issues`` holds every problem found."""

    def __init__(self, issues: list[KnowledgeIssue]) -> None:
        self.issues = tuple(issues)
        count = len(self.issues)
        head = f"{count} problem{'s' if count != 1 else ''} in the knowledge base"
        super().__init__("\n".join([head, *(f"  {issue}" for issue in self.issues)]))
