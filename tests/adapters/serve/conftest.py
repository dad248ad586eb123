"""``whoswho serve`` fixtures: the fake Slack and the fake Discord of the adapters' own tests, side by side,
and a subprocess whose log can be waited on line by line."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import sys
from collections.abc import AsyncIterator, Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from tests.adapters.discord.conftest import TOKEN as DISCORD_TOKEN
from tests.adapters.discord.conftest import FakeDiscord, captured, fake_discord
from tests.adapters.slack.conftest import BOT_TOKEN, SIGNING_SECRET, FakeSlack, clean_slack_environment, fake_slack

ROOT = Path(__file__).resolve().parents[3]
TIMEOUT = 30.0

# Fixtures and fakes of the adapters' own tests, re-exported so pytest finds them here too.
__all__ = ["BOT_TOKEN", "DISCORD_TOKEN", "SIGNING_SECRET", "FakeDiscord", "FakeSlack", "captured",
           "clean_slack_environment", "fake_discord", "fake_slack"]


def platform_environment(*, slack: FakeSlack | None = None, discord: FakeDiscord | None = None,
                         **more: str) -> dict[str, str]:
    """This process's environment without any platform or whoswho variable, then the fakes' settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_", "WHOSWHO_"))}
    if slack is not None:
        env.update(SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET, SLACK_API_URL=slack.api_url)
    if discord is not None:
        env.update(DISCORD_TOKEN=DISCORD_TOKEN, DISCORD_API_URL=discord.api_url,
                   DISCORD_GATEWAY_URL=discord.gateway_url)
    env.update(more)
    return env


class Served:
    """``whoswho serve`` in a subprocess; its log (stderr) is collected as it comes."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.lines: list[str] = []
        self._changed = asyncio.Condition()
        self._reader = asyncio.create_task(self._read())
        self.port = 0

    async def _read(self) -> None:
        assert self.process.stderr is not None
        while line := await self.process.stderr.readline():
            async with self._changed:
                self.lines.append(line.decode())
                self._changed.notify_all()
        async with self._changed:
            self._changed.notify_all()

    @property
    def log(self) -> str:
        return "".join(self.lines)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def wait_for(self, needle: str | Callable[[str], bool], *, after: int = 0,
                       timeout: float = TIMEOUT) -> str:
        """The first log line (from line ``after`` on) containing ``needle``; fails if the process ends first."""
        test = needle if callable(needle) else (lambda line: needle in line)

        def found() -> str | None:
            hit = next((line for line in self.lines[after:] if test(line)), None)
            if hit is None and self._reader.done():
                raise AssertionError(f"whoswho ended before logging {needle!r}:\n{self.log}")
            return hit

        async with self._changed:
            line: str = await asyncio.wait_for(self._changed.wait_for(found), timeout)
        return line

    async def stop(self, signum: int = signal.SIGTERM, timeout: float = 10.0) -> int:
        """Send ``signum`` and wait up to ``timeout`` seconds for the exit code."""
        self.process.send_signal(signum)
        code = await asyncio.wait_for(self.process.wait(), timeout)
        await asyncio.wait_for(self._reader, timeout)
        return code


@pytest.fixture
async def run_serve() -> AsyncIterator[Callable[..., Any]]:
    """``await run_serve(env, *args)`` starts ``whoswho serve --host 127.0.0.1 --port 0 ARGS`` and waits until
    it listens; every process started is killed after the test if it is still running."""
    started: list[Served] = []

    async def launch(env: Mapping[str, str], *args: str) -> Served:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "adapters.cli", "serve", "--host", "127.0.0.1", "--port", "0", *args,
            cwd=ROOT, env=dict(env), stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE)
        served = Served(process)
        started.append(served)
        line = await served.wait_for("http://127.0.0.1:")
        port = re.search(r"http://127\.0\.0\.1:(\d+)", line)
        assert port is not None, line
        served.port = int(port.group(1))
        return served

    yield launch
    for served in started:
        if served.process.returncode is None:
            served.process.kill()
            await served.process.wait()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(served._reader, 5)
