"""Watch mode on Slack: message.channels events and /whoswho-admin through the real Bolt app."""

from __future__ import annotations

from aiohttp import ClientSession, ClientTimeout

from adapters.admin import NOT_ADMIN
from adapters.slack import build_app
from adapters.slack.app import check_watch
from adapters.slack.server import start_http
from adapters.watch import NOTE, Watch, WatchedChannels, WatchSettings
from bot import Advisor
from tests.adapters.slack.conftest import FakeSlack, SlackSender
from tests.adapters.slack.test_commands import header

ADMIN = "U2147483697"  # steve, who sends the captured command
CHANNEL = "C2147483705"


async def admin(sender: SlackSender, text: str, **fields: str) -> str:
    sent = await sender.command(text, command="/whoswho-admin", **fields)
    assert sent.status == 200
    assert sent.json["response_type"] == "ephemeral"
    message: str = sent.json["text"]
    return message


async def posts_after(sender: SlackSender, fake: FakeSlack, *messages: dict[str, str]) -> list[dict[str, str]]:
    """Send channel messages, then a DM as a marker; the channel posts made before the marker's answer."""
    for fields in messages:
        assert (await sender.event("message_channel", **fields)).status == 200
    before = len(fake.calls_of("chat.postMessage"))
    await sender.event("message_im", text="what does a data scientist do?", ts="1355599999.000001")
    posts = await fake.wait_for("chat.postMessage", before + 1)
    return [p.args for p in posts if p.args["channel"] == CHANNEL]


async def test_a_watched_channel_gets_one_threaded_answer_for_a_clear_question(watching, fake_slack):
    assert "on in this channel" in await admin(watching, "watch on")
    await watching.event("message_channel", text="What does an ML engineer do at Quora?", ts="1355517600.000001")
    [post] = await fake_slack.wait_for("chat.postMessage")
    assert (post.args["channel"], post.args["thread_ts"]) == (CHANNEL, "1355517600.000001")
    assert header(post.args)["block_id"] == "whoswho.answer.quora.ml-engineer"
    assert NOTE in str(post.args["blocks"])
    # The automatic answer carries the feedback buttons, like any other answer.
    assert "whoswho.vote.helpful" in str(post.args["blocks"])
    assert "whoswho.vote.unhelpful" in str(post.args["blocks"])
    # Slack redelivers an event it thinks was lost: the thread is not answered twice.
    posts = await posts_after(watching, fake_slack, {"text": "What does an ML engineer do at Quora?",
                                                     "ts": "1355517600.000001"})
    assert len(posts) == 1


async def test_chatter_out_of_scope_questions_bots_threads_and_mentions_get_nothing(watching, fake_slack):
    await admin(watching, "watch on")
    silent = [
        {"text": "lunch anyone? I'm starving today", "ts": "1.000001"},       # chatter that is a question
        {"text": "data scientist", "ts": "1.000002"},                          # no question
        {"text": "great, see you all tomorrow", "ts": "1.000003"},
        {"text": "how much do data scientists earn?", "ts": "1.000004"},       # out of scope
        {"text": "thanks, what a great help you are?", "ts": "1.000005"},     # chat, not a topic
        {"text": "What does a data scientist do?", "ts": "1.000006", "bot_id": "B0OTHER"},  # a bot
        {"text": "What does a data scientist do?", "ts": "1.000007", "user": "UBOT"},      # itself
        {"text": "What does a data scientist do?", "ts": "1.000008", "thread_ts": "1.000001"},  # a reply
        {"text": "<@UBOT> what does a data scientist do?", "ts": "1.000009"},  # answered as app_mention
    ]
    assert await posts_after(watching, fake_slack, *silent) == []


async def test_an_unwatched_channel_gets_nothing_and_off_stops_it(watching, fake_slack):
    assert await posts_after(watching, fake_slack, {"text": "What does a data scientist do?", "ts": "2.1"}) == []
    await admin(watching, "watch on")
    assert "on in this channel" in await admin(watching, "watch")
    assert "off in this channel" in await admin(watching, "watch off")
    assert await posts_after(watching, fake_slack, {"text": "What does a data scientist do?", "ts": "2.2"}) == []


async def test_the_app_without_watch_mode_ignores_channel_messages_and_refuses_admins(slack, fake_slack):
    assert await admin(slack, "watch on") == NOT_ADMIN
    assert await posts_after(slack, fake_slack, {"text": "What does a data scientist do?", "ts": "2.3"}) == []


async def test_only_admins_turn_watch_mode_on_or_off(watching, fake_slack, watch):
    assert await admin(watching, "watch on", user_id="U0SOMEONE") == NOT_ADMIN
    assert not watch.watched("slack", f"T0001:{CHANNEL}")
    assert "Usage" in await admin(watching, "watch maybe")
    await admin(watching, "watch on")
    assert watch.watched("slack", f"T0001:{CHANNEL}")
    assert await admin(watching, "watch off", user_id="U0SOMEONE") == NOT_ADMIN
    assert watch.watched("slack", f"T0001:{CHANNEL}")


async def test_a_channel_answers_at_most_once_per_cooldown(fake_slack, slack_settings, fresh_advisor, tmp_path):
    watch = Watch(WatchSettings(admins=frozenset({f"slack:{ADMIN}"}), cooldown_seconds=600),
                  WatchedChannels(tmp_path / "watched.json"))
    app = build_app(slack_settings, fresh_advisor, api_timeout=1.0, watch=watch)
    runner, port = await start_http(app, host="127.0.0.1", port=0)
    async with ClientSession(timeout=ClientTimeout(total=10)) as session:
        sender = SlackSender(f"http://127.0.0.1:{port}", fake_slack, session)
        await admin(sender, "watch on")
        posts = await posts_after(sender, fake_slack, {"text": "What does a data scientist do?", "ts": "3.1"},
                                  {"text": "What does an ML engineer do?", "ts": "3.2"})
        assert [p["thread_ts"] for p in posts] == ["3.1"]
    await runner.cleanup()


async def test_watched_channels_survive_a_restart(fake_slack, slack_settings, fresh_advisor, tmp_path, watch):
    app = build_app(slack_settings, fresh_advisor, api_timeout=1.0, watch=watch)
    runner, port = await start_http(app, host="127.0.0.1", port=0)
    async with ClientSession(timeout=ClientTimeout(total=10)) as session:
        await admin(SlackSender(f"http://127.0.0.1:{port}", fake_slack, session), "watch on")
    await runner.cleanup()

    restarted = Watch(watch.settings, WatchedChannels(tmp_path / "watched.json"))
    app = build_app(slack_settings, Advisor(fresh_advisor.knowledge), api_timeout=1.0, watch=restarted)
    runner, port = await start_http(app, host="127.0.0.1", port=0)
    async with ClientSession(timeout=ClientTimeout(total=10)) as session:
        sender = SlackSender(f"http://127.0.0.1:{port}", fake_slack, session)
        posts = await posts_after(sender, fake_slack, {"text": "What does a data scientist do?", "ts": "4.1"})
        assert [p["thread_ts"] for p in posts] == ["4.1"]
    await runner.cleanup()


async def test_start_up_warns_naming_a_watched_channel_when_the_scope_is_missing(fake_slack, slack_settings,
                                                                                 fresh_advisor, watch, logs):
    watch.channels.set("slack", f"T0001:{CHANNEL}", True)
    app = build_app(slack_settings, fresh_advisor, api_timeout=1.0, watch=watch)
    fake_slack.script("auth.test", {"status": 200, "headers": {"x-oauth-scopes": "chat:write,commands"},
                                    "body": {"ok": True, "team_id": "T0001", "user_id": "UBOT"}})
    [warning] = await check_watch(app.client, watch)
    assert CHANNEL in warning and "channels:history" in warning
    assert CHANNEL in logs.text
    fake_slack.script("auth.test", {"status": 200, "headers": {"x-oauth-scopes": "chat:write,channels:history"},
                                    "body": {"ok": True, "team_id": "T0001", "user_id": "UBOT"}})
    assert await check_watch(app.client, watch) == []
