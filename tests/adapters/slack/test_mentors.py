"""Ask a mentor on Slack, through the real Bolt app over HTTP against the fake Slack: an admin names the mentor
channel, a fallback offers Ask a mentor, the click posts the question in that channel (escaped, mentioning only
the asker) and tells the asker the thread's link; a mentor's reply there ends up in ``whoswho insights --suggest``."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import ClientSession, ClientTimeout

from adapters import mentors
from adapters.admin import NOT_ADMIN_SETTINGS
from adapters.records import Records, RecordsSettings
from adapters.slack import SlackSettings, build_app
from adapters.slack.render import MENTOR_OFFER
from adapters.slack.server import start_http
from adapters.turn import Turns
from adapters.watch import Watch, WatchedChannels, WatchSettings
from bot import Advisor
from tests.adapters.slack.conftest import FakeSlack, LogWatcher, SlackSender, payload
from tests.adapters.slack.test_feedback import vote
from tests.adapters.slack.test_watch import admin
from tests.backend import suggested_new_intents

ASKER = "U2147483697"  # steve, who sends the captured command, clicks and is an admin here
MENTOR = "U0MENTOR"
MENTORS = "C0MENTORS"
QUESTION = "how do I negotiate my salary for a first data job? Me & <my boss> @everyone <!channel> <@U0999>"
ASKED = "how do I negotiate my salary for a first data job? Me & <my boss> @everyone"
#: The mentor's answer as recorded: Slack's markup out, its escapes read back.
ANSWER = "Ask for the range first, then anchor at its top & stay <calm>."
MENTION = re.compile(r"<[@!][^>]*>|@everyone|@here|@channel")


@pytest.fixture
def database(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'whoswho.sqlite3'}"


@pytest.fixture
async def app(fake_slack: FakeSlack, slack_settings: SlackSettings, fresh_advisor: Advisor, tmp_path: Path,
              database: str) -> AsyncIterator[tuple[SlackSender, Records]]:
    """The app with records and an admin; no mentor channel until the admin names one."""
    records = Records(RecordsSettings(database_url=database, salt="s"))
    watch = Watch(WatchSettings(admins=frozenset({f"slack:{ASKER}"})), WatchedChannels(tmp_path / "watched.json"))
    app = build_app(slack_settings, Turns(fresh_advisor, records=records), api_timeout=1.0, watch=watch)
    runner, port = await start_http(app, host="127.0.0.1", port=0)
    async with ClientSession(timeout=ClientTimeout(total=10)) as session:
        yield SlackSender(f"http://127.0.0.1:{port}", fake_slack, session), records
    await runner.cleanup()
    records.close()


def button(message: dict, action_id: str) -> tuple[dict, str]:
    """The button ``action_id`` in ``message`` and its block's id."""
    for block in message["blocks"]:
        for element in block.get("elements", []) if block["type"] == "actions" else []:
            if element["action_id"] == action_id:
                return element, block["block_id"]
    raise AssertionError(f"no {action_id} button")


def click(message: dict, action_id: str, *, user: str = ASKER) -> dict:
    element, block_id = button(message, action_id)
    body = payload("block_actions_ephemeral")
    body["user"] = {**body["user"], "id": user}
    body["actions"] = [{**element, "block_id": block_id, "action_ts": "1548426417.8"}]
    return body


async def test_a_fallback_goes_to_the_mentors_and_their_reply_to_the_curators(app, fake_slack, logs: LogWatcher,
                                                                              database, capsys, monkeypatch,
                                                                              tmp_path):
    slack, records = app
    assert await admin(slack, "mentors") == "There's no mentor channel. Name one with /whoswho-admin mentors #channel."
    set_to = (await slack.command(f"mentors <#{MENTORS}|mentors>", command="/whoswho-admin")).json
    assert set_to["text"].startswith(f"Mentor channel set to &lt;#{MENTORS}&gt;.")
    assert set_to["blocks"][0]["text"]["text"].startswith(f"Mentor channel set to <#{MENTORS}>.")
    assert await admin(slack, "mentors", user_id="U0SOMEONE") == NOT_ADMIN_SETTINGS
    assert await admin(slack, "mentors") == f"The mentor channel is &lt;#{MENTORS}&gt;: when I can't help, people " \
                                            "can choose Ask a mentor."

    answer = (await slack.command(QUESTION)).json
    ask, _ = button(answer, "whoswho.mentor")
    assert ask["text"]["text"] == mentors.LABEL

    await slack.action(click(answer, "whoswho.mentor"), response_url="ask")
    [post] = [c.args for c in await fake_slack.wait_for("chat.postMessage") if c.args["channel"] == MENTORS]
    assert MENTION.findall(post["text"]) == [f"<@{ASKER}>"], "the asker, and nobody else, is mentioned"
    assert "> how do I negotiate my salary for a first data job? Me &amp; &lt;my boss&gt; @\u2060everyone\n" \
        in post["text"]
    assert "thread_ts" not in post, "a new message: its thread is the mentors'"
    [told] = await fake_slack.wait_for("respond:ask")
    link = f"https://example.slack.com/archives/{MENTORS}/p"
    assert told.args["response_type"] == "ephemeral" and told.args["text"].startswith("I asked the mentors")
    assert f"<{link}" in told.args["blocks"][0]["text"]["text"]
    [permalink] = fake_slack.calls_of("chat.getPermalink")
    thread = permalink.args["message_ts"]

    await slack.action(click(answer, "whoswho.mentor"), response_url="again")
    [again] = await fake_slack.wait_for("respond:again")
    assert again.args["text"].startswith("That question went to the mentors already")

    await slack.event("message_channel", channel=MENTORS, thread_ts=thread, ts="1355517700.000001", user=ASKER,
                      text="anyone?")
    await slack.event("message_channel", channel=MENTORS, thread_ts=thread, ts="1355517700.000002", user="UBOT",
                      bot_id="BBOT", text="a bot")
    await slack.event("message_channel", channel=MENTORS, thread_ts=thread, ts="1355517700.000003", user=MENTOR,
                      text="<@U0ASKER> Ask for the range first, then anchor at its top &amp; stay &lt;calm&gt;.")
    await logs.wait_for("slack mentor replied to question")

    assert records.flush()
    [draft] = suggested_new_intents(database, tmp_path, monkeypatch, capsys)
    assert draft["questions"] == [ASKED] and draft["answer"] == ANSWER


async def test_an_answer_voted_not_helpful_offers_a_mentor_where_there_are_some(app, fake_slack):
    slack, _ = app
    answer = (await slack.command("what does an ML engineer do at Quora")).json
    await slack.action(vote(answer, 1), response_url="before")
    [thanked] = await fake_slack.wait_for("respond:before")
    assert MENTOR_OFFER not in str(thanked.args["blocks"]), "no mentor channel yet"

    await admin(slack, f"mentors <#{MENTORS}>")
    answer = (await slack.command("what does an ML engineer do at Quora")).json
    await slack.action(vote(answer, 1), response_url="vote")
    [thanked] = await fake_slack.wait_for("respond:vote")
    assert thanked.args["blocks"][-2]["elements"][0]["text"] == MENTOR_OFFER
    offer = {"blocks": thanked.args["blocks"]}
    await slack.action(click(offer, "whoswho.mentor.unhelpful", user="U0SOMEONE"), response_url="other")
    [refused] = await fake_slack.wait_for("respond:other")
    assert refused.args["text"] == mentors.NOT_YOURS
    await slack.action(click(offer, "whoswho.mentor.unhelpful"), response_url="ask")
    [post] = [c.args for c in await fake_slack.wait_for("chat.postMessage") if c.args["channel"] == MENTORS]
    assert "Why it was not enough: the asker voted it Not helpful." in post["text"]


async def test_a_post_that_failed_tells_the_asker_and_may_be_tried_again(app, fake_slack):
    slack, _ = app
    await admin(slack, f"mentors <#{MENTORS}|mentors>")
    answer = (await slack.command("blorp zzkx qqq")).json
    fake_slack.script("chat.postMessage", {"body": {"ok": False, "error": "not_in_channel"}})
    await slack.action(click(answer, "whoswho.mentor"), response_url="failed")
    [failed] = await fake_slack.wait_for("respond:failed")
    assert "couldn't post in the mentor channel" in failed.args["text"] and "not_in_channel" not in str(failed.args)
    await slack.action(click(answer, "whoswho.mentor"), response_url="retry")
    [told] = await fake_slack.wait_for("respond:retry")
    assert told.args["text"].startswith("I asked the mentors")
