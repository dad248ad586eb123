"""Fault and attack tests: the fakes and services of the adapters' own tests, re-exported so pytest finds them
here too (the fake Slack and Discord, the records databases on SQLite and a real PostgreSQL, a real redis-server),
and whoswho commands run as real subprocesses whose log can be waited on."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import sys
from collections.abc import AsyncIterator, Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from tests.adapters.discord.conftest import bot, captured, fake_discord, start, state_file
from tests.adapters.records.conftest import database_url, open_records, postgres_server
from tests.adapters.serve.conftest import Served, run_serve
from tests.adapters.slack.conftest import clean_slack_environment, fake_slack, logs, slack, slack_settings
from tests.adapters.stores.conftest import redis_server

__all__ = ["bot", "captured", "clean_slack_environment", "database_url", "fake_discord", "fake_slack", "logs",
           "open_records", "postgres_server", "redis_server", "run_serve", "slack", "slack_settings", "start",
           "state_file"]

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """A loopback port nothing listens on (yet): where a service that comes up late will be."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
async def whoswho() -> AsyncIterator[Callable[..., Any]]:
    """``await whoswho(env, "slack", "--port", "0")`` starts ``python -m adapters.cli ARGS``, its log (stderr)
    collected line by line to wait on (:class:`~tests.adapters.serve.conftest.Served`); every process still
    running after the test is killed."""
    started: list[Served] = []

    async def launch(env: Mapping[str, str], *args: str) -> Served:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "adapters.cli", *args, cwd=ROOT, env=dict(env),
            stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
        served = Served(process)
        started.append(served)
        return served

    yield launch
    for served in started:
        if served.process.returncode is None:
            served.process.kill()
            await served.process.wait()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(served._reader, 5)
