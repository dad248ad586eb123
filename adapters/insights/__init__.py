"""``whoswho insights``: what people asked, what the bot could not answer and which answers did not help,
read from the recorded ``questions`` and ``votes`` tables, for the people who curate the knowledge base.

:func:`read_records` loads the rows, :func:`build_report` turns them into a :class:`Report` (the unanswered
questions grouped by similarity), and :mod:`adapters.insights.render` writes it as a table, Markdown, JSON,
an HTML page with charts or a chat summary. :func:`suggest` proposes new phrasings as a YAML patch; nothing
here ever edits the knowledge base."""

from __future__ import annotations

from adapters.insights.report import (
    DEFAULT_SIMILARITY,
    FallbackGroup,
    InsightsError,
    Record,
    Report,
    Vote,
    build_report,
    database_url,
    read_records,
    suggest,
    suggestion_yaml,
)

__all__ = [
    "DEFAULT_SIMILARITY", "FallbackGroup", "InsightsError", "Record", "Report", "Vote", "build_report",
    "database_url", "read_records", "suggest", "suggestion_yaml",
]
