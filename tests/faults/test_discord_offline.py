"""Discord unreachable, refusing the token, or rate limiting the command sync while ``whoswho discord`` and
``whoswho serve`` start, as real subprocesses against the fake Discord: one line per failed attempt with the next
attempt's time, backing off, no traceback; SIGTERM ends them with exit 0 within 10 s; when Discord comes back they
connect and answer; a refused token is exit 2."""

from __future__ import annotations

import asyncio
import re
import signal
import time

import pytest

from tests.adapters.discord.conftest import TOKEN, FakeDiscord, payload
from tests.adapters.serve.conftest import platform_environment
from tests.faults.conftest import free_port

FAILED = "Logging in to Discord failed"
ATTEMPT = re.compile(r"Logging in to Discord failed \((.+)\); attempt (\d+), next in ([0-9.]+) s, at \d\d:\d\d:\d\d")
COMMANDS = {
    "discord": ("discord",),
    "serve": ("serve", "--host", "127.0.0.1", "--port", "0"),
}


def discord_environment(tmp_path, port: int, **more: str) -> dict[str, str]:
    """The Discord settings of a fake at ``port`` of 127.0.0.1, which may not be listening (yet)."""
    env = platform_environment(WHOSWHO_DATA_DIR=str(tmp_path / "data"), WHOSWHO_SEMANTIC="0", DISCORD_TOKEN=TOKEN,
                               DISCORD_API_URL=f"http://127.0.0.1:{port}/api/v10",
                               DISCORD_GATEWAY_URL=f"ws://127.0.0.1:{port}/gateway")
    env.update(more)
    return env


def attempts(log: str) -> list[tuple[str, int, float]]:
    return [(m.group(1), int(m.group(2)), float(m.group(3))) for m in ATTEMPT.finditer(log)]


async def sigterm_ends_it(served) -> None:
    started = time.monotonic()
    assert await served.stop(signal.SIGTERM, timeout=10) == 0, served.log
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("command", COMMANDS)
async def test_with_discord_unreachable_one_line_an_attempt_and_sigterm_ends_it(whoswho, tmp_path, command):
    served = await whoswho(discord_environment(tmp_path, free_port()), *COMMANDS[command])
    await served.wait_for(lambda line: "attempt 3," in line, timeout=60)
    await sigterm_ends_it(served)
    tried = attempts(served.log)
    assert [number for _, number, _ in tried] == [1, 2, 3]
    assert {reason for reason, _, _ in tried} == {"Discord is unreachable: ClientConnectorError"}
    delays = [delay for _, _, delay in tried]
    assert delays[0] < delays[1] < delays[2], delays  # backing off
    assert served.log.count(FAILED) == 3
    assert "Traceback" not in served.log and TOKEN not in served.log


async def test_whoswho_discord_connects_and_answers_once_discord_is_back(whoswho, tmp_path, monkeypatch):
    port = free_port()
    served = await whoswho(discord_environment(tmp_path, port), "discord")
    await served.wait_for(FAILED, timeout=60)
    fake = await FakeDiscord().start(port)
    try:
        await fake.wait_for(lambda: fake.identifies, timeout=30)
        interaction = payload("interaction_command")
        interaction["data"]["options"][0]["value"] = "what does an ML engineer do at Quora"
        callback = await fake.interact(interaction, timeout=10)
        assert callback.json["data"]["embeds"][0]["title"] == "What an ML engineer does at Quora"
        await sigterm_ends_it(served)
    finally:
        await fake.close()
    assert "Traceback" not in served.log


@pytest.mark.parametrize("command", COMMANDS)
async def test_a_refused_token_is_one_line_and_exit_2(whoswho, tmp_path, fake_discord, command):
    env = discord_environment(tmp_path, fake_discord.port, DISCORD_TOKEN=TOKEN.replace("G", "H"))
    served = await whoswho(env, *COMMANDS[command])
    code = await asyncio.wait_for(served.process.wait(), 60)
    await asyncio.wait_for(served._reader, 5)
    assert code == 2, served.log
    assert served.lines[-1].startswith("whoswho: DISCORD_TOKEN: Discord refused the token")
    assert "Traceback" not in served.log and FAILED not in served.log


@pytest.mark.parametrize("command", COMMANDS)
async def test_sigterm_while_the_command_sync_is_being_retried_exits_0(whoswho, tmp_path, fake_discord, command):
    # Discord rate limits the sync: discord.py waits half a minute before it tries again.
    fake_discord.rate_limit("PUT", r"/applications/\d+/commands", retry_after=30)
    served = await whoswho(discord_environment(tmp_path, fake_discord.port), *COMMANDS[command])
    await fake_discord.wait_for(lambda: fake_discord.limited, timeout=60)
    await sigterm_ends_it(served)
    assert "Session is closed" not in served.log and "Traceback" not in served.log
    assert "Stopped while starting up on Discord" in served.log
