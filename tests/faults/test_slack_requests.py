"""Forged, stale and malformed requests to Slack's endpoint, against the real Bolt app over HTTP: each is refused
with one short log line, whatever the log level, and never with its body, its question or its token in the log."""

from __future__ import annotations

import io
import json
import logging
import time
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from slack_sdk.signature import SignatureVerifier

from adapters.logs import configure_logging
from tests.adapters.slack.conftest import BOT_TOKEN, SIGNING_SECRET, SlackSender, payload
from tests.adapters.slack.test_commands import header

FORM = "application/x-www-form-urlencoded"
MEGABYTE = 1_000_000
QUESTION = "what does a data scientist do, asked a long while ago"


class DebugLog:
    """Everything logged, at DEBUG, through whoswho's own formatter (as ``whoswho slack`` logs)."""

    def __init__(self) -> None:
        self.stream = io.StringIO()

    @property
    def text(self) -> str:
        return self.stream.getvalue()

    @property
    def size(self) -> int:
        return len(self.text.encode())


@pytest.fixture
def debug_log() -> Iterator[DebugLog]:
    log = DebugLog()
    root = logging.getLogger()
    previous = root.level
    handler = configure_logging(secrets=(BOT_TOKEN, SIGNING_SECRET), stream=log.stream, level=logging.DEBUG)
    try:
        yield log
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)


def refused_lines(log: DebugLog) -> list[str]:
    return [line for line in log.text.splitlines() if "Refused a Slack request" in line]


async def send(slack: SlackSender, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
    async with slack.session.post(slack.url + "/slack/events", data=body, headers=headers) as response:
        return response.status, await response.text()


def signed(body: bytes, *, content_type: str, timestamp: int | None = None) -> dict[str, str]:
    stamp = str(timestamp if timestamp is not None else int(time.time()))
    return {"Content-Type": content_type, "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": SignatureVerifier(SIGNING_SECRET).generate_signature(timestamp=stamp, body=body)}


async def test_twenty_forged_one_megabyte_requests_add_under_20_kb_of_log_even_at_debug(slack, fake_slack, debug_log):
    body = ("text=" + "forged-question " * (MEGABYTE // 16)).encode()[:MEGABYTE]
    stamp = str(int(time.time()))
    for number in range(20):
        forged = {"Content-Type": FORM, "X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": f"v0={number:064x}"}
        status, answer = await send(slack, body, forged)
        assert (status, json.loads(answer)) == (401, {"error": "invalid request"})
    assert debug_log.size < 20_000, f"{debug_log.size} bytes of log"
    lines = refused_lines(debug_log)
    assert len(lines) == 20
    assert "POST /slack/events, bad signature, 1000000 bytes" in lines[0]
    assert "forged-question" not in debug_log.text
    # Nothing was processed, and the next genuine command is answered.
    assert fake_slack.calls == []
    assert (await slack.command("what does an ML engineer do at Quora")).status == 200


async def test_a_stale_signed_command_leaves_neither_its_text_nor_its_token_in_the_log(slack, debug_log):
    form = urlencode({**payload("command"), "text": QUESTION}).encode()
    status, _ = await send(slack, form, signed(form, content_type=FORM, timestamp=int(time.time()) - 6 * 60))
    assert status == 401
    [line] = refused_lines(debug_log)
    assert "stale timestamp" in line
    verification_token = payload("command")["token"]
    for secret in (QUESTION, "asked a long while ago", verification_token, SIGNING_SECRET):
        assert secret not in debug_log.text


UNSIGNED = {
    "a timestamp that is no number": (b"token=x&text=hi", {"Content-Type": FORM, "X-Slack-Request-Timestamp": "soon",
                                                          "X-Slack-Signature": "v0=" + "0" * 64}),
    "JSON that does not parse": (b"{{{", {"Content-Type": "application/json", "X-Slack-Request-Timestamp": "0",
                                          "X-Slack-Signature": "v0=" + "1" * 64}),
    "a payload that does not parse": (b"payload=%7B%7B%7B", {"Content-Type": FORM,
                                                            "X-Slack-Request-Timestamp": str(int(time.time())),
                                                            "X-Slack-Signature": "v0=" + "2" * 64}),
    "no signature at all": (b'{"type": "event_callback"}', {"Content-Type": "application/json"}),
    "bytes that are not UTF-8": (b"text=\xff\xfe\xfd", {"Content-Type": FORM,
                                                        "X-Slack-Request-Timestamp": str(int(time.time())),
                                                        "X-Slack-Signature": "v0=" + "3" * 64}),
    "a signature that is no signature": (b"{}", {"Content-Type": "application/json",
                                                 "X-Slack-Request-Timestamp": str(int(time.time())),
                                                 "X-Slack-Signature": "\u00e9" * 70}),
}


@pytest.mark.parametrize("case", UNSIGNED, ids=list(UNSIGNED))
async def test_an_unsigned_malformed_body_gets_401_one_line_and_no_traceback(slack, debug_log, case):
    body, headers = UNSIGNED[case]
    status, answer = await send(slack, body, headers)
    assert (status, json.loads(answer)) == (401, {"error": "invalid request"})
    assert len(refused_lines(debug_log)) == 1
    assert "Traceback" not in debug_log.text and "ERROR" not in debug_log.text


SIGNED_BUT_MALFORMED = {
    "JSON that does not parse": (b"{{{", "application/json"),
    "a payload that does not parse": (b"payload=%7B%7B%7B", FORM),
    "JSON that is not an object": (b"[1, 2, 3]", "application/json"),
}


@pytest.mark.parametrize("case", SIGNED_BUT_MALFORMED, ids=list(SIGNED_BUT_MALFORMED))
async def test_a_signed_malformed_body_gets_400_one_line_and_no_traceback(slack, debug_log, case):
    body, content_type = SIGNED_BUT_MALFORMED[case]
    status, _ = await send(slack, body, signed(body, content_type=content_type))
    assert status == 400
    [line] = refused_lines(debug_log)
    assert "(400)" in line and f"{len(body)} bytes" in line
    assert "Traceback" not in debug_log.text and "ERROR" not in debug_log.text


async def test_a_genuine_request_still_gets_through_after_the_refusals(slack, fake_slack):
    for body, headers in UNSIGNED.values():
        await send(slack, body, headers)
    sent = await slack.command("what does an ML engineer do at Quora")
    assert header(sent.json)["block_id"] == "whoswho.answer.quora.ml-engineer"
