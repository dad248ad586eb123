"""Ask a mentor on Discord, through the real discord.py client against the fake gateway: an admin names the
server's mentor channel, a fallback offers Ask a mentor, the click posts the question in that channel (escaped,
mentioning only the asker) and starts a thread on it, the asker alone gets the thread's link, and a mentor's reply
there ends up in ``whoswho insights --suggest``. And the server's other setting: with threads on, a mention is
answered in a thread started on it."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

from adapters import mentors
from adapters.admin import MENTORS_NONE, NOT_ADMIN_SETTINGS, THREADS_IS_OFF, THREADS_ON
from adapters.discord.render import MENTOR_OFFER
from adapters.records import Records, RecordsSettings
from adapters.turn import Turns
from adapters.watch import Watch, WatchedChannels, WatchSettings
from tests.adapters.discord.conftest import TIMEOUT
from tests.adapters.discord.test_bot import APP, CHANNEL, GUILD, QUESTION, all_custom_ids, ask, embed, mention
from tests.adapters.discord.test_feedback import click_on
from tests.backend import suggested_new_intents

ASKER = "1250000000000000005"  # alice, who sends the captured interactions and is an admin here
SOMEONE = "1250000000000000006"
MENTOR = "1250000000000000007"
MENTORS = "1230000000000000030"
SALARY = "how do I negotiate my salary for a first data job? Me & **my boss** @everyone <@1250000000000000099>"
ASKED = "how do I negotiate my salary for a first data job? Me & **my boss** @everyone"
ANSWER = "Ask for the range first, then anchor at its top."
MENTION = re.compile(r"<@[!&]?\d+>|@everyone|@here")
WEBHOOKS = rf"/webhooks/{APP}/[^/]+"


@pytest.fixture
def database(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'whoswho.sqlite3'}"


@pytest.fixture
async def running(fake_discord, start, fresh_advisor, tmp_path, database):
    """whoswho with records and alice as its admin, in a server that has a #mentors channel."""
    records = Records(RecordsSettings(database_url=database, salt="s"))
    watch = Watch(WatchSettings(admins=frozenset({f"discord:{ASKER}"})), WatchedChannels(tmp_path / "watched.json"))
    bot = await start(Turns(fresh_advisor, records=records), watch=watch)
    created = asyncio.ensure_future(bot.client.wait_for("guild_channel_create", timeout=TIMEOUT))
    await fake_discord.dispatch("CHANNEL_CREATE", mentor_channel())
    await created
    yield records
    records.close()


def mentor_channel() -> dict:
    return {"id": MENTORS, "type": 0, "guild_id": GUILD, "name": "mentors", "position": 1,
            "permission_overwrites": [], "parent_id": None, "topic": None, "nsfw": False, "last_message_id": None,
            "rate_limit_per_user": 0, "flags": 0}


def admin(captured, command, *, user=None, **options):
    """``/whoswho-admin COMMAND`` with ``options`` (``channel`` a channel id), by alice unless told otherwise."""
    interaction = captured("interaction_admin")
    interaction["data"]["options"] = [{"name": command, "type": 1, "options": [
        {"name": name, "type": 7 if name == "channel" else 3, "value": value} for name, value in options.items()]}]
    if "channel" in options:
        interaction["data"]["resolved"] = {"channels": {options["channel"]: {
            **mentor_channel(), "permissions": "2248473465835073"}}}
    if user is not None:
        interaction["member"]["user"] = {**interaction["member"]["user"], "id": user}
    return interaction


async def said(fake_discord, interaction) -> str:
    callback = await fake_discord.interact(interaction)
    data = callback.json["data"]
    assert data["flags"] & 64, "admin answers are ephemeral"
    content: str = data["content"]
    return content


async def clicked(fake_discord, click):
    """Send a click that the bot defers; the follow-up it then sends (ephemeral)."""
    after = len(fake_discord.requests)
    deferred = await fake_discord.interact(click)
    assert deferred.json["type"] == 5 and deferred.json["data"]["flags"] & 64
    followup = await fake_discord.wait_for_request("POST", WEBHOOKS, after=after)
    assert followup.json["flags"] & 64, "only the clicker sees it"
    return followup


def mentor_post(fake_discord):
    [post] = [r for r in fake_discord.requests if r.method == "POST" and r.path == f"/channels/{MENTORS}/messages"]
    return post


def in_thread(captured, thread: str, text: str, *, user: str, bot: bool = False) -> dict:
    message = captured("message_unmentioned")
    message.update(content=text, channel_id=thread, channel_type=11)
    message["author"] = {**message["author"], "id": user, "username": f"user{user}", **({"bot": True} if bot else {})}
    return message


async def test_a_fallback_goes_to_the_mentors_and_their_reply_to_the_curators(fake_discord, running, captured,
                                                                              database, capsys, monkeypatch,
                                                                              tmp_path):
    assert await said(fake_discord, admin(captured, "mentors")) == MENTORS_NONE
    assert await said(fake_discord, admin(captured, "mentors", channel=MENTORS, user=SOMEONE)) == NOT_ADMIN_SETTINGS
    set_to = await said(fake_discord, admin(captured, "mentors", channel=MENTORS))
    assert set_to.startswith(f"Mentor channel set to <#{MENTORS}>.")
    assert (await said(fake_discord, admin(captured, "mentors", state="show"))).startswith(
        f"The mentor channel is <#{MENTORS}>")

    answer = await fake_discord.interact(ask(captured, SALARY))
    [ask_mentor] = [i for i in all_custom_ids(answer) if i.startswith("whoswho:mentor:")]
    assert ask_mentor.startswith("whoswho:mentor:ask:")
    [button] = [b for row in answer.json["data"]["components"] for b in row["components"]
                if b["custom_id"] == ask_mentor]
    assert button["label"] == mentors.LABEL

    refused = await clicked(fake_discord, click_on(captured, answer, ask_mentor, user=SOMEONE))
    assert refused.json["content"] == mentors.NOT_YOURS
    told = await clicked(fake_discord, click_on(captured, answer, ask_mentor))
    post = mentor_post(fake_discord)
    assert MENTION.findall(post.json["content"]) == [f"<@{ASKER}>"], "the asker, and nobody else, is mentioned"
    assert post.json["allowed_mentions"] == {"parse": [], "users": [int(ASKER)]}
    assert "> how do I negotiate my salary for a first data job? Me & \\*\\*my boss\\*\\* @\u2060everyone\n" \
        in post.json["content"]
    assert "message_reference" not in post.json or post.json["message_reference"] is None
    [started] = [r for r in fake_discord.requests if r.method == "POST" and r.path.startswith(
        f"/channels/{MENTORS}/messages/") and r.path.endswith("/threads")]
    thread = started.path.split("/")[4]
    assert told.json["content"] == mentors.POSTED.format(link=f"https://discord.com/channels/{GUILD}/{thread}")
    assert told.json["allowed_mentions"] == {"parse": []}

    again = await clicked(fake_discord, click_on(captured, answer, ask_mentor))
    assert again.json["content"].startswith("That question went to the mentors already")

    # The asker's own message and another bot's are not a mentor's reply; nothing is said back in the thread.
    await fake_discord.say_nothing_back(in_thread(captured, thread, "anyone?", user=ASKER),
                                        then={**captured("message_mention"), "content": f"<@{APP}> {QUESTION}"})
    await fake_discord.say_nothing_back(in_thread(captured, thread, "a bot", user="1250000000000000077", bot=True),
                                        then={**captured("message_mention"), "content": f"<@{APP}> {QUESTION}"})
    await fake_discord.say_nothing_back(in_thread(captured, thread, ANSWER, user=MENTOR),
                                        then={**captured("message_mention"), "content": f"<@{APP}> {QUESTION}"})
    assert not [r for r in fake_discord.requests if r.path == f"/channels/{thread}/messages"]

    assert running.flush()
    [draft] = suggested_new_intents(database, tmp_path, monkeypatch, capsys)
    assert draft["questions"] == [ASKED] and draft["answer"] == ANSWER


async def test_not_helpful_offers_a_mentor_where_there_are_some(fake_discord, running, captured):
    answer = await fake_discord.interact(ask(captured, QUESTION))
    assert embed(answer)["title"] == "What an ML engineer does at Quora"
    assert not [i for i in all_custom_ids(answer) if i.startswith("whoswho:mentor:")], "an answer has no button"
    unhelpful = next(i for i in all_custom_ids(answer) if i.startswith("whoswho:vote:no:"))
    thanked = await fake_discord.interact(click_on(captured, answer, unhelpful))
    assert not [i for i in all_custom_ids(thanked) if i.startswith("whoswho:mentor:")], "no mentor channel yet"

    await said(fake_discord, admin(captured, "mentors", channel=MENTORS))
    answer = await fake_discord.interact(ask(captured, QUESTION))
    unhelpful = next(i for i in all_custom_ids(answer) if i.startswith("whoswho:vote:no:"))
    thanked = await fake_discord.interact(click_on(captured, answer, unhelpful))
    assert thanked.json["data"]["content"] == MENTOR_OFFER
    question_id = unhelpful.rsplit(":", 1)[1]
    assert f"whoswho:mentor:vote:{question_id}" in all_custom_ids(thanked)
    told = await clicked(fake_discord, click_on(captured, thanked, f"whoswho:mentor:vote:{question_id}"))
    assert told.json["content"].startswith("I asked the mentors for you")
    content = mentor_post(fake_discord).json["content"]
    assert "the asker voted it Not helpful" in content and "What an ML engineer does at Quora" in content


async def test_a_failed_post_says_so_and_may_be_tried_again(fake_discord, running, captured):
    await said(fake_discord, admin(captured, "mentors", channel=MENTORS))
    answer = await fake_discord.interact(ask(captured, SALARY))
    [ask_mentor] = [i for i in all_custom_ids(answer) if i.startswith("whoswho:mentor:")]
    fake_discord.posts_forbidden = {MENTORS}
    failed = await clicked(fake_discord, click_on(captured, answer, ask_mentor))
    assert failed.json["content"].startswith("I couldn't post in the mentor channel")
    fake_discord.posts_forbidden = set()
    told = await clicked(fake_discord, click_on(captured, answer, ask_mentor))
    assert told.json["content"].startswith("I asked the mentors for you")


async def test_with_threads_on_a_mention_is_answered_in_a_thread_started_on_it(fake_discord, running, captured):
    assert await said(fake_discord, admin(captured, "threads")) == THREADS_IS_OFF
    assert await said(fake_discord, admin(captured, "threads", state="on", user=SOMEONE)) == NOT_ADMIN_SETTINGS
    in_channel = await fake_discord.say(mention(captured, QUESTION))
    assert in_channel.path == f"/channels/{CHANNEL}/messages", "threads are off until an admin turns them on"

    assert await said(fake_discord, admin(captured, "threads", state="on")) == THREADS_ON
    after = len(fake_discord.requests)
    await fake_discord.dispatch("MESSAGE_CREATE", {**mention(captured, QUESTION), "id": fake_discord.new_id()})
    started = await fake_discord.wait_for_request("POST", rf"/channels/{CHANNEL}/messages/\d+/threads", after=after)
    thread = started.path.split("/")[4]
    assert started.json["name"] == "What an ML engineer does at Quora"
    answer = await fake_discord.wait_for_request("POST", f"/channels/{thread}/messages", after=after)
    assert embed(answer)["title"] == "What an ML engineer does at Quora"

    # In the thread, a mention goes on with the same conversation.
    follow_up = await fake_discord.say(mention(captured, "and data scientists?", channel=thread))
    assert follow_up.path == f"/channels/{thread}/messages"
    assert embed(follow_up)["title"] == "What a data scientist does at Quora"

    fake_discord.threads_forbidden = True
    replied = await fake_discord.say(mention(captured, QUESTION))
    assert replied.path == f"/channels/{CHANNEL}/messages"
    assert str(replied.json["message_reference"]["message_id"]) == fake_discord.said["id"]
