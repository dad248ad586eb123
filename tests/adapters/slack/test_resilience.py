"""A misbehaving Slack: bad signatures, stale requests, 429s, 500s and timeouts."""

from __future__ import annotations

import json
import time

from tests.adapters.slack.conftest import SIGNING_SECRET, payload
from tests.adapters.slack.test_commands import header


async def test_a_bad_signature_gets_401_and_nothing_is_processed(slack, fake_slack):
    forged = await slack.post(json.dumps(payload("message_im")), "application/json", signature="v0=" + "0" * 64)
    assert forged.status == 401
    command = await slack.command("what does an ML engineer do at Quora", signature="v0=deadbeef")
    assert command.status == 401
    assert "blocks" not in command.body
    # The next, genuine message is the only one answered.
    await slack.event("message_im", text="what does a data scientist do?", ts="1355517599.000001")
    [only] = await fake_slack.wait_for("chat.postMessage")
    assert header(only.args)["block_id"] == "whoswho.answer.role.data-scientist"
    assert len(fake_slack.calls_of("chat.postMessage")) == 1


async def test_a_request_signed_over_five_minutes_ago_gets_401(slack, fake_slack):
    stale = int(time.time()) - 6 * 60
    sent = await slack.post(json.dumps(payload("message_im")), "application/json", timestamp=stale)
    assert sent.status == 401
    fresh = await slack.command("what does an ML engineer do at Quora")
    assert fresh.status == 200
    assert fake_slack.calls_of("chat.postMessage") == []
    assert SIGNING_SECRET not in sent.body


async def test_a_rate_limited_reply_is_retried_after_retry_after(slack, fake_slack):
    fake_slack.script("chat.postMessage", {"status": 429, "headers": {"Retry-After": "0"},
                                           "body": {"ok": False, "error": "ratelimited"}})
    await slack.event("app_mention")
    first, retried = await fake_slack.wait_for("chat.postMessage", 2)
    assert first.args == retried.args
    assert header(retried.args)["block_id"] == "whoswho.answer.role.compare"
    assert (await slack.command("what does an ML engineer do at Quora")).status == 200


async def test_a_failing_web_api_is_retried_then_logged_and_the_next_question_is_served(slack, fake_slack, logs):
    failure = {"status": 500, "body": {"ok": False, "error": "internal_error"}}
    fake_slack.script("chat.postMessage", failure, failure, failure)
    await slack.event("app_mention")
    record = await logs.wait_for("chat.postMessage failed")
    assert len(fake_slack.calls_of("chat.postMessage")) == 3  # the first try and two retries
    assert "internal_error" in record.getMessage()
    await slack.event("app_mention", ts="1515449600.000001", text="<@UBOT> what does a data scientist do at Quora?")
    served = (await fake_slack.wait_for("chat.postMessage", 4))[3]
    assert header(served.args)["block_id"] == "whoswho.answer.quora.data-scientist"
    assert (await slack.command("help")).status == 200


async def test_a_web_api_that_times_out_is_logged_and_the_next_question_is_served(slack, fake_slack, logs):
    fake_slack.script("chat.postMessage", {"delay": 1.5})  # the app's client gives up after 1 s
    await slack.event("message_im")
    record = await logs.wait_for("chat.postMessage failed")
    assert record.exc_info is not None
    await slack.event("message_im", text="what does a data scientist do?", ts="1355517599.000001")
    served = (await fake_slack.wait_for("chat.postMessage", 2))[1]
    assert header(served.args)["block_id"] == "whoswho.answer.role.data-scientist"


async def test_a_failed_response_url_is_logged_not_raised(slack, fake_slack, logs):
    click = payload("block_actions_ephemeral")
    click["actions"][0].update(action_id="whoswho.suggest.0", value="what does a data scientist do?")
    body = {**click, "response_url": "http://127.0.0.1:9/nowhere"}  # nothing listens on port 9
    from urllib.parse import urlencode

    sent = await slack.post(urlencode({"payload": json.dumps(body)}), "application/x-www-form-urlencoded")
    assert sent.status == 200
    await logs.wait_for("failed")
    assert (await slack.command("what does an ML engineer do at Quora")).status == 200
