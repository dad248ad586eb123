"""Slack's retries and replayed requests, through the real Bolt app over HTTP against the fake Slack: each event
and each signed command is handled once, on one replica and on two replicas sharing a real redis-server; every
repeat is acknowledged with an empty 200 and nothing else."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
import redis
from aiohttp import ClientSession, ClientTimeout
from slack_sdk.signature import SignatureVerifier

from adapters.slack import build_app
from adapters.slack.app import ONCE_SECONDS
from adapters.slack.server import start_http
from adapters.stores.redis import RedisContextStore
from bot import Advisor, MemoryContextStore
from tests.adapters.slack.conftest import SIGNING_SECRET, FakeSlack, SlackSender, fresh_id, payload
from tests.adapters.slack.test_commands import header

QUESTION = "what does an ML engineer do at Quora"


async def deliver(slack: SlackSender, body: dict[str, Any], *, retry: int = 0, age: int = 0) -> tuple[int, str]:
    """An Events API delivery as Slack makes it: signed now (minus ``age`` seconds), with Slack's retry headers
    from the first retry on."""
    text = json.dumps(body)
    stamp = str(int(time.time()) - age)
    headers = {"Content-Type": "application/json", "X-Slack-Request-Timestamp": stamp,
               "X-Slack-Signature": SignatureVerifier(SIGNING_SECRET).generate_signature(timestamp=stamp, body=text)}
    if retry:
        headers.update({"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"})
    async with slack.session.post(slack.url + "/slack/events", data=text.encode(), headers=headers) as response:
        return response.status, await response.text()


async def replay(slack: SlackSender, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
    """The same bytes with the same headers again, as a captured request is replayed."""
    async with slack.session.post(slack.url + "/slack/events", data=body, headers=headers) as response:
        return response.status, await response.text()


def signed_command(fake: FakeSlack, text: str) -> tuple[bytes, dict[str, str]]:
    from urllib.parse import urlencode

    body = urlencode({**payload("command"), "text": text, "response_url": fake.response_url("command"),
                      "trigger_id": fresh_id("13345224609.738474920.")}).encode()
    stamp = str(int(time.time()))
    return body, {"Content-Type": "application/x-www-form-urlencoded", "X-Slack-Request-Timestamp": stamp,
                  "X-Slack-Signature": SignatureVerifier(SIGNING_SECRET).generate_signature(timestamp=stamp,
                                                                                             body=body)}


@pytest.fixture
async def replicas(fake_slack: FakeSlack, slack_settings, advisor: Advisor
                   ) -> AsyncIterator[Callable[..., Any]]:
    """``await replicas(store, store)``: one Bolt app over HTTP per store (each its own advisor on it), in front
    of the same fake Slack; a signed sender for each."""
    runners = []
    async with ClientSession(timeout=ClientTimeout(total=10)) as session:

        async def start(*stores: Any) -> list[SlackSender]:
            senders = []
            for store in stores:
                app = build_app(slack_settings, Advisor(advisor.knowledge, memory=store), api_timeout=1.0)
                runner, port = await start_http(app, host="127.0.0.1", port=0)
                runners.append(runner)
                senders.append(SlackSender(f"http://127.0.0.1:{port}", fake_slack, session))
            return senders

        yield start
        for runner in runners:
            await runner.cleanup()


async def one_event_three_times(first: SlackSender, second: SlackSender, fake: FakeSlack) -> None:
    """The same event (one ``event_id``) delivered, then retried twice, each retry newly signed; then another
    event, whose answer is the only other post."""
    event = payload("message_im")
    event["event_id"] = fresh_id("Ev")
    for sender, retry, age in ((first, 0, 120), (second, 1, 60), (first, 2, 0)):
        status, body = await deliver(sender, event, retry=retry, age=age)
        assert status == 200
        if retry:
            assert body == ""
    other = payload("message_im")
    other["event_id"] = fresh_id("Ev")
    other["event"].update(text="what does a data scientist do?", ts="1355517599.000001")
    assert (await deliver(second, other))[0] == 200
    posts = await fake.wait_for("chat.postMessage", 2)
    assert sorted(header(p.args)["block_id"] for p in posts) == ["whoswho.answer.role.data-scientist",
                                                                 "whoswho.answer.role.ml-engineer"]
    assert len(fake.calls_of("chat.postMessage")) == 2


async def one_command_replayed(first: SlackSender, second: SlackSender, fake: FakeSlack) -> None:
    body, headers = signed_command(fake, QUESTION)
    status, answered = await replay(first, body, headers)
    assert status == 200
    assert header(json.loads(answered))["block_id"] == "whoswho.answer.quora.ml-engineer"
    for sender in (second, first):
        assert await replay(sender, body, headers) == (200, "")
    # The same words in a new command are a new question, answered again.
    again = await first.command(QUESTION)
    assert header(again.json)["block_id"] == "whoswho.answer.quora.ml-engineer"
    assert [c for c in fake.calls if c.method.startswith("respond:")] == []


async def test_one_replica_handles_a_retried_event_and_a_replayed_command_once(replicas, fake_slack, logs):
    [only] = await replicas(MemoryContextStore())
    await one_event_three_times(only, only, fake_slack)
    await one_command_replayed(only, only, fake_slack)
    repeats = [r for r in logs.records if "repeated Slack delivery" in r.getMessage()]
    assert len(repeats) == 4
    assert "(retry 1, http_timeout)" in repeats[0].getMessage()


async def test_two_replicas_sharing_redis_handle_each_delivery_once(replicas, fake_slack, redis_server):
    stores = [RedisContextStore(redis_server.url, prefix="faults:") for _ in range(2)]
    first, second = await replicas(*stores)
    await one_event_three_times(first, second, fake_slack)
    await one_command_replayed(first, second, fake_slack)
    client = redis.Redis.from_url(redis_server.url)
    claims = client.keys("faults:once:*")
    assert len(claims) == 4  # the two events, the replayed command and the new one
    for key in claims:
        assert ONCE_SECONDS * 1000 - 60_000 < client.pttl(key) <= ONCE_SECONDS * 1000
    client.close()


def test_a_claim_in_memory_holds_for_its_time_and_memory_stays_bounded(clock):
    store = MemoryContextStore(max_conversations=3, clock=clock)
    assert store.claim("slack:event:Ev1", ttl_seconds=ONCE_SECONDS)
    assert not store.claim("slack:event:Ev1", ttl_seconds=ONCE_SECONDS)
    clock.advance(ONCE_SECONDS - 1)
    assert not store.claim("slack:event:Ev1", ttl_seconds=ONCE_SECONDS)
    clock.advance(2)
    assert store.claim("slack:event:Ev1", ttl_seconds=ONCE_SECONDS)
    for number in range(2, 10):
        assert store.claim(f"slack:event:Ev{number}", ttl_seconds=ONCE_SECONDS)
    assert len(store._claims) <= 3
    assert not store.claim("slack:event:Ev9", ttl_seconds=ONCE_SECONDS)  # the newest are the ones kept


def test_a_claim_in_redis_is_shared_and_redis_down_means_handle_it(redis_server):
    first, second = (RedisContextStore(redis_server.url, prefix="claims:") for _ in range(2))
    assert first.claim("slack:event:Ev1", ttl_seconds=60)
    assert not second.claim("slack:event:Ev1", ttl_seconds=60)
    redis_server.stop()
    # Better to answer a repeat twice than to answer nothing while Redis is away.
    assert second.claim("slack:event:Ev2", ttl_seconds=60)
    assert second.degraded
    first.close()
    second.close()
