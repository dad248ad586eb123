"""`whoswho slack`: settings from the environment, HTTP mode end to end, Socket Mode, and logs without tokens."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
import signal
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from aiohttp import ClientSession

from adapters.cli import main
from adapters.slack import SlackSettings
from adapters.slack.cli import configure_logging, serve
from tests.adapters.slack.conftest import BOT_TOKEN, SIGNING_SECRET, SlackSender, payload
from tests.adapters.slack.test_commands import header

ROOT = Path(__file__).resolve().parents[3]
GOOD = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET}


def settings_from(env: dict[str, str], tmp_path: Path) -> SlackSettings:
    return SlackSettings.from_env(env, data_dir=tmp_path)


@pytest.mark.parametrize(("env", "variable"), [
    ({}, "SLACK_BOT_TOKEN"),
    ({"SLACK_BOT_TOKEN": "xoxp-user-token"}, "SLACK_BOT_TOKEN"),
    ({"SLACK_BOT_TOKEN": BOT_TOKEN}, "SLACK_SIGNING_SECRET"),
    ({**GOOD, "SLACK_APP_TOKEN": "xoxb-not-an-app-token"}, "SLACK_APP_TOKEN"),
    ({**GOOD, "SLACK_API_URL": "slack.example.com/api"}, "SLACK_API_URL"),
    ({**GOOD, "SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "s3cr3t-value"}, "SLACK_STATE_SECRET"),
    ({**GOOD, "SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "x", "SLACK_STATE_SECRET": "short"},
     "SLACK_STATE_SECRET"),
    ({**GOOD, "WHOSWHO_DATABASE_URL": "not a url"}, "WHOSWHO_DATABASE_URL"),
])
def test_a_bad_setting_stops_start_up_with_one_line_naming_it(env, variable, monkeypatch, capsys, tmp_path):
    for name, value in {**env, "WHOSWHO_DATA_DIR": str(tmp_path)}.items():
        monkeypatch.setenv(name, value)
    assert main(["slack"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(f"whoswho: {variable}: ")
    assert "(see README, section 'Slack')" in err
    assert BOT_TOKEN not in err and SIGNING_SECRET not in err


def test_settings_defaults_and_modes(tmp_path):
    http = settings_from({**GOOD, "SLACK_API_URL": "http://127.0.0.1:9/api"}, tmp_path)
    assert (http.socket_mode, http.oauth) == (False, False)
    assert http.api_url == "http://127.0.0.1:9/api/"
    assert http.database_url == f"sqlite:///{tmp_path / 'whoswho.sqlite3'}"
    socket = settings_from({"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": "xapp-1-A1-1-abc"}, tmp_path)
    assert socket.socket_mode and socket.signing_secret is None
    oauth = settings_from({"SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_CLIENT_ID": "1.2",
                           "SLACK_CLIENT_SECRET": "client-secret", "SLACK_STATE_SECRET": "0123456789abcdef!"},
                          tmp_path)
    assert oauth.oauth and oauth.bot_token is None
    for value in (repr(http), repr(socket), repr(oauth)):
        assert "xoxb" not in value and SIGNING_SECRET not in value and "client-secret" not in value


async def read_until(stream: asyncio.StreamReader, needle: str, timeout: float = 20.0) -> str:
    seen = ""
    while needle not in seen:
        line = await asyncio.wait_for(stream.readline(), timeout)
        if not line:
            raise AssertionError(f"the process ended before printing {needle!r}:\n{seen}")
        seen += line.decode()
    return seen


async def test_whoswho_slack_in_http_mode_answers_a_signed_command_with_block_kit(fake_slack, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "WHOSWHO_"))}
    env.update(GOOD, SLACK_API_URL=fake_slack.api_url, WHOSWHO_DATA_DIR=str(tmp_path))
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "adapters.cli", "slack", "--port", "0", cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        started = await read_until(process.stderr, "listening on")
        port = int(started.split("listening on http://0.0.0.0:")[1].split("/")[0])
        async with ClientSession() as session:
            async with session.get(f"http://127.0.0.1:{port}/healthz") as health:
                assert (health.status, await health.json()) == (200, {"ok": True})
            slack = SlackSender(f"http://127.0.0.1:{port}", fake_slack, session)
            sent = await slack.command("what does an ML engineer do at Quora")
        assert sent.status == 200 and sent.seconds < 3
        assert sent.json["response_type"] == "ephemeral"
        assert header(sent.json)["block_id"] == "whoswho.answer.quora.ml-engineer"
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 10) == 0
        logged = started + (await process.stderr.read()).decode()
        assert BOT_TOKEN not in logged and SIGNING_SECRET not in logged
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def test_socket_mode_answers_a_command_over_the_websocket(fake_slack, fresh_advisor, tmp_path):
    settings = settings_from({"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": "xapp-1-A1-1-abc",
                              "SLACK_API_URL": fake_slack.api_url}, tmp_path)
    stop = asyncio.Event()
    running = asyncio.create_task(serve(settings, fresh_advisor, port=0, host="127.0.0.1", stop=stop))
    try:
        await fake_slack.wait_for("apps.connections.open", timeout=10)
        command = {**payload("command"), "response_url": fake_slack.response_url("socket")}
        await fake_slack.socket_outbox.put({"envelope_id": "env-1", "type": "slash_commands",
                                            "accepts_response_payload": True, "payload": command})
        [ack] = await fake_slack.wait_for("socket:ack", timeout=10)
        assert ack.args["envelope_id"] == "env-1"
        assert header(ack.args["payload"])["block_id"] == "whoswho.answer.quora.ml-engineer"
        [opened] = fake_slack.calls_of("apps.connections.open")
        assert opened.headers["Authorization"] == "Bearer xapp-1-A1-1-abc"
    finally:
        stop.set()
        await asyncio.wait_for(running, 10)


async def test_tokens_never_reach_the_logs_even_at_debug(slack, fake_slack, tmp_path, fresh_advisor):
    installed = payload("oauth_v2_access")["access_token"]
    stream = io.StringIO()
    settings = SlackSettings(bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET, api_url=fake_slack.api_url,
                             client_secret="client-secret-value", state_secret="state-secret-0123456789abcdef")
    root = logging.getLogger()
    previous = root.level
    handler = configure_logging(secrets=settings.secrets, stream=stream, level=logging.DEBUG)
    try:
        fake_slack.script("chat.postMessage", {"status": 500, "body": {"ok": False, "error": "internal_error"}})
        await slack.command("what does an ML engineer do at Quora")
        await slack.event("app_mention")
        await slack.action(payload("block_actions_ephemeral"))
        await fake_slack.wait_for("chat.postMessage", 3)
        await fake_slack.wait_for("respond:action")
        # slack-sdk logs whole Web API responses at DEBUG, tokens included; the formatter masks them.
        logging.getLogger("slack_sdk.web.async_base_client").debug(
            "Received the following response - body: %s", json.dumps(payload("oauth_v2_access")))
        logging.getLogger("adapters.slack").info("headers: %s", {"Authorization": f"Bearer {BOT_TOKEN}"})
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)
    text = stream.getvalue()
    assert "Sending a request" in text and "xoxb-[redacted]" in text  # it did log, at DEBUG
    for secret in (BOT_TOKEN, SIGNING_SECRET, installed, "client-secret-value", "state-secret-0123456789abcdef"):
        assert secret not in text


async def test_nothing_the_app_logs_at_info_carries_a_token(slack, fake_slack, logs):
    fake_slack.script("chat.postMessage", *[{"status": 500, "body": {"ok": False, "error": "internal_error"}}] * 3)
    await slack.event("app_mention")
    await logs.wait_for("chat.postMessage failed")
    await slack.post(urlencode(payload("command")), "application/x-www-form-urlencoded", timestamp=int(time.time()))
    assert BOT_TOKEN not in logs.text and SIGNING_SECRET not in logs.text
    assert payload("command")["token"] not in logs.text
