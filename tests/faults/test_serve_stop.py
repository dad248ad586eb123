"""SIGTERM in the middle of a burst of signed Slack commands, sent to ``whoswho serve`` and to ``whoswho slack`` in
HTTP mode as real subprocesses: every request that reached the server is answered, then the process exits 0. A
reply still being sent when the signal comes is sent."""

from __future__ import annotations

import asyncio
import json
import re
import signal
import time
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest
from aiohttp import ClientSession, ClientTimeout, TCPConnector
from slack_sdk.signature import SignatureVerifier

from tests.adapters.serve.conftest import Served, platform_environment
from tests.adapters.slack.conftest import SIGNING_SECRET, FakeSlack, SlackSender, fresh_id, payload
from tests.adapters.slack.test_commands import header

QUESTION = "what does an ML engineer do at Quora"
BURST = 200
COMMANDS = {
    "serve": ("serve", "--host", "127.0.0.1", "--port", "0"),
    "slack": ("slack", "--port", "0"),
}
#: What a client sees of a request that never reached the server: refused once the listening socket is closed,
#: or reset by the kernel while still waiting to be accepted. Not ServerDisconnected: the server never closes a
#: connection it accepted without answering it.
NEVER_ARRIVED = (aiohttp.ClientConnectorError, aiohttp.ClientOSError)


async def start(whoswho, fake_slack: FakeSlack, command: str, tmp_path) -> Served:
    # Without the sentence model each answer costs well under a millisecond, so what is measured is the stop,
    # not how fast a loaded machine answers 200 questions.
    env = platform_environment(slack=fake_slack, WHOSWHO_DATA_DIR=str(tmp_path / "data"), WHOSWHO_SEMANTIC="0")
    served = await whoswho(env, *COMMANDS[command])
    line = await served.wait_for(re.compile(r"http://[0-9.]+:\d+").search)
    served.port = int(re.search(r"http://[0-9.]+:(\d+)", line).group(1))
    if command == "serve":
        await served.wait_for("the bot token is good")
    async with ClientSession() as session:  # a server in service has answered before
        warm = await SlackSender(f"http://127.0.0.1:{served.port}", fake_slack, session).command("help")
        assert warm.status == 200
    return served


def commands(fake: FakeSlack, count: int) -> list[tuple[bytes, dict[str, str]]]:
    """``count`` signed commands, each from a user of its own (the rate limit is per user)."""
    verifier = SignatureVerifier(SIGNING_SECRET)
    signed = []
    for number in range(count):
        body = urlencode({**payload("command"), "text": QUESTION, "user_id": f"U{number:08d}",
                          "response_url": fake.response_url("command"),
                          "trigger_id": fresh_id("13345224609.738474920.")}).encode()
        stamp = str(int(time.time()))
        signed.append((body, {"Content-Type": "application/x-www-form-urlencoded",
                              "X-Slack-Request-Timestamp": stamp,
                              "X-Slack-Signature": verifier.generate_signature(timestamp=stamp, body=body)}))
    return signed


def stopped_line(served: Served) -> tuple[int, int]:
    """How many requests the server says it answered in all, and how many it cut off."""
    found = re.search(r"HTTP server stopped: (\d+) requests answered in all, \d+ of them while stopping; "
                      r"(\d+) cut off", served.log)
    assert found, served.log
    return int(found.group(1)), int(found.group(2))


@pytest.mark.parametrize("delay", [0.0, 0.05, 0.25], ids=["0ms", "50ms", "250ms"])
@pytest.mark.parametrize("command", COMMANDS)
async def test_sigterm_during_a_burst_answers_every_request_that_reached_the_server(
        whoswho, fake_slack, tmp_path, command, delay):
    served = await start(whoswho, fake_slack, command, tmp_path)
    signed = commands(fake_slack, BURST)
    url = f"http://127.0.0.1:{served.port}/slack/events"
    loop = asyncio.get_running_loop()
    async with ClientSession(connector=TCPConnector(limit=0, force_close=True),
                             timeout=ClientTimeout(total=30)) as session:

        async def one(body: bytes, headers: dict[str, str]) -> Any:
            async with session.post(url, data=body, headers=headers) as response:
                return response.status, await response.text()

        sent = [asyncio.create_task(one(body, headers)) for body, headers in signed]
        signalled = time.monotonic()
        loop.call_later(delay, served.process.send_signal, signal.SIGTERM)
        results = await asyncio.gather(*sent, return_exceptions=True)
    code = await asyncio.wait_for(served.process.wait(), 15)
    await asyncio.wait_for(served._reader, 5)
    assert code == 0, served.log
    assert time.monotonic() - signalled < 15  # the 10 s bound of the stop, and the start of the exit
    answered = [r for r in results if not isinstance(r, BaseException)]
    for status, body in answered:
        assert status == 200, body
        assert header(json.loads(body))["block_id"] == "whoswho.answer.quora.ml-engineer"
    failures = [r for r in results if isinstance(r, BaseException)]
    assert all(isinstance(f, NEVER_ARRIVED) and not isinstance(f, aiohttp.ServerDisconnectedError)
               for f in failures), failures[:3]
    reported, cut_off = stopped_line(served)
    assert (reported, cut_off) == (len(answered) + 1, 0), served.log  # and the warm-up command
    if delay >= 0.25:
        assert answered, f"nothing reached the server in a quarter of a second: {failures[:2]}\n{served.log}"
    assert "Traceback" not in served.log


@pytest.mark.parametrize("command", COMMANDS)
async def test_sigterm_while_a_reply_is_being_sent_still_sends_it(whoswho, fake_slack, tmp_path, command):
    served = await start(whoswho, fake_slack, command, tmp_path)
    # Slack makes the app wait a second before it may post: the reply is in flight when SIGTERM comes.
    fake_slack.script("chat.postMessage", {"status": 429, "headers": {"Retry-After": "1"},
                                           "body": {"ok": False, "error": "ratelimited"}})
    async with ClientSession() as session:
        acked = await SlackSender(f"http://127.0.0.1:{served.port}", fake_slack, session).event("message_im")
    assert acked.status == 200
    await fake_slack.wait_for("chat.postMessage", 1, timeout=10)
    served.process.send_signal(signal.SIGTERM)
    first, retried = await fake_slack.wait_for("chat.postMessage", 2, timeout=10)
    assert retried.args == first.args
    assert await asyncio.wait_for(served.process.wait(), 15) == 0
