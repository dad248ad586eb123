"""Fault and attack tests: the fakes and services of the adapters' own tests, re-exported so pytest finds them
here too (the fake Slack and Discord, the records databases on SQLite and a real PostgreSQL)."""

from __future__ import annotations

from tests.adapters.discord.conftest import bot, captured, fake_discord, start, state_file
from tests.adapters.records.conftest import database_url, open_records, postgres_server
from tests.adapters.slack.conftest import clean_slack_environment, fake_slack, logs, slack, slack_settings

__all__ = ["bot", "captured", "clean_slack_environment", "database_url", "fake_discord", "fake_slack", "logs",
           "open_records", "postgres_server", "slack", "slack_settings", "start", "state_file"]
