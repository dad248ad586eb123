"""Slack unreachable while ``whoswho slack`` (Socket Mode) and ``whoswho serve`` start, as real subprocesses: one
line per failed attempt with the next attempt's time, backing off, no traceback; SIGTERM ends them with exit 0
within 10 s; when Slack comes back they connect and answer; a refused app-level token stops them with exit 2."""

from __future__ import annotations

import asyncio
import re
import signal
import time

from tests.adapters.serve.conftest import platform_environment
from tests.adapters.slack.conftest import FakeSlack, payload
from tests.adapters.slack.test_commands import header
from tests.faults.conftest import free_port

APP_TOKEN = "xapp-1-A1-1-abc"
FAILED = "Connecting to Slack in Socket Mode failed"
ATTEMPT = re.compile(r"failed \((.+)\); attempt (\d+), next in ([0-9.]+) s, at \d\d:\d\d:\d\d")


def offline_environment(tmp_path, port: int, **more: str) -> dict[str, str]:
    """Socket Mode settings pointing at a port nothing listens on (yet)."""
    env = platform_environment(WHOSWHO_DATA_DIR=str(tmp_path / "data"), WHOSWHO_SEMANTIC="0",
                               SLACK_BOT_TOKEN="xoxb-1111-2222-testtokenvalue", SLACK_APP_TOKEN=APP_TOKEN,
                               SLACK_API_URL=f"http://127.0.0.1:{port}/api/")
    env.update(more)
    return env


def attempts(log: str) -> list[tuple[str, int, float]]:
    return [(m.group(1), int(m.group(2)), float(m.group(3))) for m in ATTEMPT.finditer(log)]


async def sigterm_ends_it(served) -> None:
    started = time.monotonic()
    assert await served.stop(signal.SIGTERM, timeout=10) == 0, served.log
    assert time.monotonic() - started < 10


async def test_socket_mode_with_slack_unreachable_logs_one_line_an_attempt_and_stops_on_sigterm(whoswho, tmp_path):
    served = await whoswho(offline_environment(tmp_path, free_port()), "slack")
    await served.wait_for(lambda line: "attempt 3," in line, timeout=60)
    await sigterm_ends_it(served)
    tried = attempts(served.log)
    assert [number for _, number, _ in tried] == [1, 2, 3]
    assert {reason for reason, _, _ in tried} == {"Slack is unreachable: ClientConnectorError"}
    delays = [delay for _, _, delay in tried]
    assert delays[0] < delays[1] < delays[2], delays  # backing off
    assert served.log.count(FAILED) == 3
    assert "Traceback" not in served.log
    assert "Stopped before Slack could be reached" in served.log


async def test_socket_mode_connects_and_answers_once_slack_is_back(whoswho, tmp_path):
    port = free_port()
    served = await whoswho(offline_environment(tmp_path, port), "slack")
    await served.wait_for(FAILED, timeout=60)
    slack = FakeSlack()
    await slack.start(port)
    try:
        await served.wait_for("connected to Slack in Socket Mode", timeout=30)
        command = {**payload("command"), "response_url": slack.response_url("socket")}
        await slack.socket_outbox.put({"envelope_id": "env-1", "type": "slash_commands",
                                       "accepts_response_payload": True, "payload": command})
        [ack] = await slack.wait_for("socket:ack", timeout=10)
        assert header(ack.args["payload"])["block_id"] == "whoswho.answer.quora.ml-engineer"
        await sigterm_ends_it(served)
    finally:
        await slack.stop()
    assert "Traceback" not in served.log


async def test_a_refused_app_token_stops_socket_mode_with_exit_2_and_one_line(whoswho, tmp_path, fake_slack):
    fake_slack.script("apps.connections.open", {"body": {"ok": False, "error": "invalid_auth"}})
    served = await whoswho(offline_environment(tmp_path, fake_slack.port), "slack")
    code = await asyncio.wait_for(served.process.wait(), 60)
    await asyncio.wait_for(served._reader, 5)
    assert code == 2, served.log
    assert served.lines[-1].startswith("whoswho: SLACK_APP_TOKEN: Slack refused the token (invalid_auth)")
    assert "Traceback" not in served.log and APP_TOKEN not in served.log


async def test_whoswho_serve_in_socket_mode_with_slack_unreachable_stops_on_sigterm(whoswho, tmp_path):
    served = await whoswho(offline_environment(tmp_path, free_port()), "serve", "--host", "127.0.0.1",
                           "--port", "0")
    await served.wait_for(lambda line: "attempt 2," in line, timeout=60)
    await sigterm_ends_it(served)
    assert [number for _, number, _ in attempts(served.log)] == [1, 2]
    assert "Traceback" not in served.log
    assert "whoswho stopped" in served.log
