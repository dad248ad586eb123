"""Watch mode on Discord, through a real discord.py client against the fake gateway."""

from __future__ import annotations

import copy
import logging
from pathlib import Path

import pytest

from adapters.admin import NOT_ADMIN
from adapters.watch import NOTE, Watch, WatchedChannels, WatchSettings

ADMIN = "1250000000000000005"  # alice, who sends the captured interactions
GUILD = "1220000000000000002"
CHANNEL = "1230000000000000003"
APP = "1210000000000000001"
MESSAGE_CONTENT = 1 << 15


def watch_for(tmp_path: Path, **settings) -> Watch:
    return Watch(WatchSettings(admins=frozenset({f"discord:{ADMIN}"}), **settings),
                 WatchedChannels(tmp_path / "watched.json"))


def admin(captured, state, *, user=None):
    interaction = captured("interaction_admin")
    interaction["data"]["options"][0]["options"][0]["value"] = state
    if user is not None:
        interaction["member"]["user"] = {**interaction["member"]["user"], "id": user}
    return interaction


def said(captured, text, **fields):
    message = captured("message_unmentioned")
    message["content"] = text
    message.update(fields)
    return message


async def turn(fake_discord, captured, state, *, user=None) -> str:
    callback = await fake_discord.interact(admin(captured, state, user=user))
    data = callback.json["data"]
    assert data["flags"] & 64, "admin answers are ephemeral"
    content: str = data["content"]
    return content


async def answered_in_thread(fake_discord, message):
    """Send ``message``; the answer posted in the thread started from it."""
    message = copy.deepcopy(message)
    message["id"] = message["nonce"] = fake_discord.new_id()
    after = len(fake_discord.requests)
    await fake_discord.dispatch("MESSAGE_CREATE", message)
    started = await fake_discord.wait_for_request("POST", f"/channels/{CHANNEL}/messages/{message['id']}/threads",
                                                  after=after)
    answer = await fake_discord.wait_for_request("POST", f"/channels/{message['id']}/messages", after=after)
    return started, answer


async def silent(fake_discord, captured, message) -> None:
    """``message`` gets nothing: the mention sent after it is the first thing answered."""
    then = captured("message_mention")
    await fake_discord.say_nothing_back(message, then=then)


async def test_a_watched_channel_gets_one_threaded_answer_for_a_clear_question(fake_discord, start, captured,
                                                                              tmp_path):
    await start(watch=watch_for(tmp_path))
    assert "on in this channel" in await turn(fake_discord, captured, "on")
    started, answer = await answered_in_thread(fake_discord, said(captured, "What does an ML engineer do at Quora?"))
    assert started.json["name"] == "What an ML engineer does at Quora"
    assert answer.json["content"] == NOTE
    assert answer.json["embeds"][0]["title"] == "What an ML engineer does at Quora"
    assert answer.json["allowed_mentions"] == {"parse": []}
    # The automatic answer carries the feedback buttons, like any other answer.
    custom_ids = [c["custom_id"] for row in answer.json["components"] for c in row["components"]]
    assert any(i.startswith("whoswho:vote:yes:") for i in custom_ids)
    assert any(i.startswith("whoswho:vote:no:") for i in custom_ids)


async def test_chatter_out_of_scope_bots_and_mentions_get_nothing_from_watch_mode(fake_discord, start, captured,
                                                                                 tmp_path):
    await start(watch=watch_for(tmp_path))
    await turn(fake_discord, captured, "on")
    for text in ("lunch anyone? I'm starving today", "data scientist", "how much do data scientists earn?",
                 "thanks, what a great help you are?"):
        await silent(fake_discord, captured, said(captured, text))
    bot_message = captured("message_from_bot")
    bot_message["content"] = "What does a data scientist do?"
    bot_message["mentions"] = []
    await silent(fake_discord, captured, bot_message)
    assert not [r for r in fake_discord.requests if r.path.endswith("/threads")]


async def test_nothing_when_watch_mode_is_off(fake_discord, start, captured, tmp_path):
    await start(watch=watch_for(tmp_path))
    await silent(fake_discord, captured, said(captured, "What does a data scientist do?"))
    await turn(fake_discord, captured, "on")
    assert "off in this channel" in await turn(fake_discord, captured, "off")
    assert "off in this channel" in await turn(fake_discord, captured, "status")
    await silent(fake_discord, captured, said(captured, "What does a data scientist do?"))


async def test_only_admins_turn_watch_mode_on(fake_discord, start, captured, tmp_path):
    watch = watch_for(tmp_path)
    await start(watch=watch)
    assert await turn(fake_discord, captured, "on", user="1250000000000000099") == NOT_ADMIN
    assert not watch.watched("discord", f"{GUILD}:{CHANNEL}")
    await silent(fake_discord, captured, said(captured, "What does a data scientist do?"))


async def test_the_cooldown_and_a_reply_where_threads_are_not_allowed(fake_discord, start, captured, tmp_path):
    await start(watch=watch_for(tmp_path, cooldown_seconds=600))
    await turn(fake_discord, captured, "on")
    fake_discord.threads_forbidden = True
    reply = await fake_discord.say(said(captured, "What does a data scientist do?"))
    assert reply.json["content"] == NOTE
    assert str(reply.json["message_reference"]["message_id"]) == fake_discord.said["id"]
    await silent(fake_discord, captured, said(captured, "What does an ML engineer do?"))  # cooling down


async def test_watched_channels_survive_a_restart_and_need_message_content(fake_discord, start, captured, tmp_path):
    bot = await start(watch=watch_for(tmp_path))
    await turn(fake_discord, captured, "on")
    assert fake_discord.identifies[-1]["intents"] & MESSAGE_CONTENT
    await bot.stop()
    await start(watch=watch_for(tmp_path))
    await answered_in_thread(fake_discord, said(captured, "What does a data scientist do?"))


async def test_start_up_warns_naming_a_watched_channel_it_cannot_read(fake_discord, start, tmp_path, caplog):
    channels = WatchedChannels(tmp_path / "watched.json")
    channels.set("discord", f"{GUILD}:{CHANNEL}", True)
    with caplog.at_level(logging.WARNING, logger="adapters.discord.bot"):
        await start(watch=Watch(WatchSettings(), channels))  # no Discord admin: no Message Content
        await fake_discord.wait_for(lambda: "Message Content" in caplog.text)
    assert CHANNEL in caplog.text
    assert not fake_discord.identifies[-1]["intents"] & MESSAGE_CONTENT


@pytest.mark.parametrize("admins", ["", "slack:U1"])
def test_no_discord_admin_asks_for_no_privileged_intent(admins):
    assert not WatchSettings.from_env({"WHOSWHO_ADMINS": admins}).configured("discord")
