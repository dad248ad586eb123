"""whoswho on Discord, driven through a real discord.py client against the fake Discord (no discord.com)."""

from __future__ import annotations

import json
import logging
import re
import time

import discord
import pytest

from adapters.discord.responder import FRIENDLY, NO_TEXT

QUESTION = "what does an ML engineer do at Quora"
APP = "1210000000000000001"
GUILD = "1220000000000000002"
CHANNEL = "1230000000000000003"
THREAD = "1230000000000000013"
MESSAGES = r"/channels/\d+/messages"


def ask(captured, text, *, user=None, channel=None):
    """A /whoswho interaction asking ``text``, by alice in #general unless told otherwise."""
    interaction = captured("interaction_command")
    interaction["data"]["options"][0]["value"] = text
    if user is not None:
        interaction["member"]["user"] = {**interaction["member"]["user"], "id": user, "username": f"user{user}"}
    if channel is not None:
        interaction["channel_id"] = interaction["channel"]["id"] = channel
    return interaction


def mention(captured, text, *, name="message_mention", channel=None):
    message = captured(name)
    message["content"] = f"<@{APP}> {text}"
    if channel is not None:
        message["channel_id"] = channel
    return message


def embed(request):
    data = request.json.get("data", request.json)
    [only] = data["embeds"]
    return only


def all_custom_ids(request):
    data = request.json.get("data", request.json)
    return [button["custom_id"] for row in data.get("components", []) for button in row["components"]]


def custom_ids(request):
    """The suggestion and Share buttons' ids, without the recorded question's id or the vote buttons."""
    return [re.sub(r":[0-9a-f\-]{36}$", "", i) for i in all_custom_ids(request) if not i.startswith("whoswho:vote:")]


# commands


async def test_commands_sync_once_and_not_again_on_restart_with_the_same_definitions(fake_discord, start, state_file):
    bot = await start()
    sync = await fake_discord.wait_for_request("PUT", f"/applications/{APP}/commands")
    definitions = {command["name"]: command for command in sync.json_list()}
    assert set(definitions) == {"whoswho", "whoswho-topics", "whoswho-admin", "Ask whoswho"}
    assert definitions["Ask whoswho"]["type"] == 3  # a message context-menu command
    question = next(o for o in definitions["whoswho"]["options"] if o["name"] == "question")
    assert question["autocomplete"] is True and question["required"] is True
    assert json.loads(state_file.read_text())  # the hash is kept
    await bot.stop()

    await start()
    puts = [r for r in fake_discord.requests if r.method == "PUT"]
    assert len(puts) == 1, "a restart with the same definitions must not sync again"

    state_file.write_text(json.dumps({f"{APP}:global": "an older definition"}))
    await start()
    assert len([r for r in fake_discord.requests if r.method == "PUT"]) == 2, "changed definitions sync again"


async def test_a_development_server_gets_its_commands_directly(fake_discord, start, captured):
    await start(guild_id=int(GUILD))
    await fake_discord.wait_for_request("PUT", f"/applications/{APP}/guilds/{GUILD}/commands")
    assert not [r for r in fake_discord.requests if r.path == f"/applications/{APP}/commands"]
    interaction = ask(captured, QUESTION)
    interaction["data"]["guild_id"] = GUILD  # Discord marks invocations of a server's own commands
    callback = await fake_discord.interact(interaction)
    assert embed(callback)["title"] == "What an ML engineer does at Quora"


async def test_slash_command_answers_ephemerally_with_embed_and_buttons_in_time(fake_discord, bot, captured):
    started = time.perf_counter()
    callback = await fake_discord.interact(ask(captured, QUESTION))
    elapsed = time.perf_counter() - started
    assert elapsed < 3.0, "Discord drops interactions not answered within 3 seconds"
    assert callback.json["type"] == 4  # CHANNEL_MESSAGE_WITH_SOURCE: answered directly, no defer
    data = callback.json["data"]
    assert data["flags"] & 64, "ephemeral by default"
    assert data["allowed_mentions"] == {"parse": []}
    assert embed(callback)["title"] == "What an ML engineer does at Quora"
    assert "recommendations" in embed(callback)["description"]
    assert [f["name"] for f in embed(callback)["fields"]] == ["Source", "Source"]
    ids = custom_ids(callback)
    assert "whoswho:ask:quora.data-scientist" in ids
    assert ids[-1] == "whoswho:share:quora.ml-engineer"


async def test_public_option_posts_for_everyone_without_share(fake_discord, bot, captured):
    interaction = ask(captured, QUESTION)
    interaction["data"]["options"].append({"name": "public", "type": 5, "value": True})
    callback = await fake_discord.interact(interaction)
    assert not callback.json["data"].get("flags", 0) & 64
    assert not any(i.startswith("whoswho:share:") for i in custom_ids(callback))


async def test_topics_command_lists_the_topics(fake_discord, bot, captured):
    callback = await fake_discord.interact(captured("interaction_topics"))
    topics = embed(callback)
    assert callback.json["data"]["flags"] & 64
    assert {"Role", "Skills", "Advice"} <= {field["name"] for field in topics["fields"]}
    assert "What an ML engineer does at Quora" in json.dumps(topics)


async def test_autocomplete_offers_relevant_questions_at_most_25(fake_discord, bot, captured):
    callback = await fake_discord.interact(captured("interaction_autocomplete"))  # typed "mle at quo"
    assert callback.json["type"] == 8
    choices = callback.json["data"]["choices"]
    assert 1 <= len(choices) <= 25
    assert all(len(c["name"]) <= 100 and len(c["value"]) <= 100 for c in choices)
    advisor_answers = [c["value"] for c in choices[:3]]
    assert any("quora" in value.lower() and ("ml" in value.lower() or "machine" in value.lower())
               for value in advisor_answers), advisor_answers

    empty = captured("interaction_autocomplete")
    empty["data"]["options"][0]["value"] = ""
    callback = await fake_discord.interact(empty)
    assert 1 <= len(callback.json["data"]["choices"]) <= 25


async def test_ask_whoswho_on_a_message_answers_its_text_for_the_clicker_ephemerally_with_share(
        fake_discord, bot, captured):
    callback = await fake_discord.interact(captured("interaction_message_command"))
    assert callback.json["type"] == 4
    data = callback.json["data"]
    assert data["flags"] & 64, "only the person who clicked sees it"
    assert data["allowed_mentions"] == {"parse": []}
    assert embed(callback)["title"] == "What a data scientist does at Quora"
    assert custom_ids(callback)[-1] == "whoswho:share:quora.data-scientist"
    follow_up = await fake_discord.interact(ask(captured, "and ML engineers?"))
    assert embed(follow_up)["title"] == "What an ML engineer does at Quora", "it joined the clicker's conversation"

    empty = captured("interaction_message_command")
    [target] = empty["data"]["resolved"]["messages"].values()
    target["content"] = ""
    callback = await fake_discord.interact(empty)
    assert callback.json["data"]["content"] == NO_TEXT


# buttons


async def test_suggestion_button_asks_the_follow_up_in_the_clickers_conversation(fake_discord, bot, captured):
    callback = await fake_discord.interact(captured("interaction_button"))  # on an ephemeral answer
    assert callback.json["type"] == 4
    assert embed(callback)["title"] == "What a data scientist does at Quora"
    assert callback.json["data"]["flags"] & 64, "a follow-up to an ephemeral answer stays ephemeral"
    assert custom_ids(callback)[-1] == "whoswho:share:quora.data-scientist"
    follow_up = await fake_discord.interact(ask(captured, "and for ML engineers?"))
    assert embed(follow_up)["title"] == "What an ML engineer does at Quora", "the click joined the conversation"


async def test_share_posts_the_answer_publicly(fake_discord, bot, captured):
    callback = await fake_discord.interact(captured("interaction_share"))
    assert callback.json["type"] == 4
    assert not callback.json["data"].get("flags", 0) & 64
    assert embed(callback)["title"] == "What an ML engineer does at Quora"
    assert not any(i.startswith("whoswho:share:") for i in custom_ids(callback))
    assert callback.json["data"]["allowed_mentions"] == {"parse": []}


async def test_buttons_keep_working_after_a_restart(fake_discord, start, captured):
    first = await start()
    await fake_discord.interact(ask(captured, QUESTION))
    await first.stop()
    await start()
    for name, title in (("interaction_button", "What a data scientist does at Quora"),
                        ("interaction_share", "What an ML engineer does at Quora")):
        callback = await fake_discord.interact(captured(name))
        assert embed(callback)["title"] == title


async def test_a_button_whose_intent_is_gone_asks_its_label(fake_discord, bot, captured):
    interaction = captured("interaction_button")
    interaction["data"]["custom_id"] = "whoswho:ask:quora.retired-intent"
    interaction["message"]["components"][0]["components"][0]["custom_id"] = "whoswho:ask:quora.retired-intent"
    callback = await fake_discord.interact(interaction)
    assert embed(callback)["title"] == "What a data scientist does at Quora"  # the button's label, asked


# mentions and DMs


async def test_mention_in_a_channel_is_answered_as_a_reply_and_follow_ups_keep_context(fake_discord, bot, captured):
    question = captured("message_mention")
    answer = await fake_discord.say(question)
    assert answer.path == f"/channels/{CHANNEL}/messages"
    assert str(answer.json["message_reference"]["message_id"]) == fake_discord.said["id"]
    assert str(answer.json["message_reference"]["channel_id"]) == CHANNEL
    assert embed(answer)["title"] == "What an ML engineer does at Quora"
    assert answer.json["allowed_mentions"] == {"parse": [], "replied_user": False}
    follow_up = await fake_discord.say(mention(captured, "and data scientists?"))
    assert embed(follow_up)["title"] == "What a data scientist does at Quora"


def reply_to(captured, answered, text, *, user=None):
    """A message replying to ``answered`` (a message the bot sent) without mentioning it, by alice unless told."""
    message = captured("message_unmentioned")
    message.update(content=text, type=19, channel_id=answered["channel_id"], referenced_message=answered,
                   message_reference={"type": 0, "message_id": answered["id"], "channel_id": answered["channel_id"],
                                      "guild_id": GUILD})
    if user is not None:
        message["author"] = {**message["author"], "id": user, "username": f"user{user}"}
    return message


async def test_a_reply_to_an_answer_is_a_follow_up_there_without_a_mention(fake_discord, bot, captured):
    await fake_discord.say(mention(captured, QUESTION, channel=THREAD))
    answered = fake_discord.sent[-1]
    follow_up = await fake_discord.say(reply_to(captured, answered, "and data scientists?"))
    assert follow_up.path == f"/channels/{THREAD}/messages"
    assert str(follow_up.json["message_reference"]["message_id"]) == fake_discord.said["id"]
    assert embed(follow_up)["title"] == "What a data scientist does at Quora"
    # A reply to that follow-up goes on in the same conversation, whoever replies.
    again = await fake_discord.say(reply_to(captured, fake_discord.sent[-1], "what skills for that?",
                                            user="1250000000000000006"))
    assert "data scientist" in embed(again)["title"].lower()


async def test_a_reply_to_someone_else_or_without_text_stays_silent(fake_discord, bot, captured):
    await fake_discord.say(mention(captured, QUESTION))
    answered = fake_discord.sent[-1]
    theirs = {**answered, "author": captured("message_mention")["author"], "id": fake_discord.new_id()}
    await fake_discord.say_nothing_back(reply_to(captured, theirs, "and data scientists?"),
                                        then=mention(captured, "what does a data scientist do"))
    await fake_discord.say_nothing_back(reply_to(captured, answered, ""),
                                        then=mention(captured, "what does a data scientist do"))


async def test_discord_markup_for_people_roles_and_channels_is_not_part_of_the_question(fake_discord, bot, captured):
    asked = "<@&123456789> <#987654321> <@!555> what does a data scientist do?"
    answer = await fake_discord.say(mention(captured, asked))
    assert embed(answer)["title"] == "What a data scientist does"


async def test_mention_in_a_thread_is_answered_in_the_thread(fake_discord, bot, captured):
    answer = await fake_discord.say(mention(captured, QUESTION, channel=THREAD))
    assert answer.path == f"/channels/{THREAD}/messages"
    assert embed(answer)["title"] == "What an ML engineer does at Quora"


async def test_direct_messages_are_a_conversation(fake_discord, bot, captured):
    first = await fake_discord.say(captured("message_dm"))  # what does a data scientist do?
    assert embed(first)["title"].startswith("What a data scientist does")
    assert "message_reference" not in first.json or first.json["message_reference"] is None
    follow_up = captured("message_dm")
    follow_up["content"] = "how about at Quora?"
    assert embed(await fake_discord.say(follow_up))["title"] == "What a data scientist does at Quora"


async def test_two_people_and_two_channels_never_share_context(fake_discord, bot, captured):
    await fake_discord.interact(ask(captured, QUESTION))  # alice, #general
    bob = await fake_discord.interact(ask(captured, "and data scientists?", user="1250000000000000006"))
    assert embed(bob)["title"] != "What a data scientist does at Quora"
    elsewhere = await fake_discord.interact(ask(captured, "and data scientists?", channel=THREAD))
    assert embed(elsewhere)["title"] != "What a data scientist does at Quora"
    alice = await fake_discord.interact(ask(captured, "and data scientists?"))
    assert embed(alice)["title"] == "What a data scientist does at Quora"


async def test_own_messages_other_bots_and_unmentioned_messages_are_ignored(fake_discord, bot, captured):
    own = captured("message_mention")
    own["author"] = captured("user_me")
    for ignored in (own, captured("message_from_bot"), captured("message_unmentioned")):
        answer = await fake_discord.say_nothing_back(ignored, then=captured("message_mention"))
        assert embed(answer)["title"] == "What an ML engineer does at Quora"


async def test_everyone_role_and_user_mentions_in_a_question_never_ping(fake_discord, bot, captured):
    answer = await fake_discord.say(captured("message_everyone"))
    assert answer.json["allowed_mentions"] == {"parse": [], "replied_user": False}
    assert not answer.json.get("content")
    assert embed(answer)["title"].startswith("What a data scientist does")
    interaction = ask(captured, "@everyone <@&1220000000000000002> what does a data scientist do?")
    callback = await fake_discord.interact(interaction)
    assert callback.json["data"]["allowed_mentions"] == {"parse": []}


# resilience


async def test_a_429_is_retried_after_retry_after(fake_discord, bot, captured):
    fake_discord.rate_limit("POST", MESSAGES, retry_after=0.05)
    answer = await fake_discord.say(captured("message_mention"))
    assert len(fake_discord.limited) == 1
    assert embed(answer)["title"] == "What an ML engineer does at Quora"


async def test_a_429_on_an_interaction_callback_is_retried(fake_discord, bot, captured):
    fake_discord.rate_limit("POST", r"/interactions/.*/callback", retry_after=0.05)
    callback = await fake_discord.interact(ask(captured, QUESTION))
    assert len(fake_discord.limited) == 1
    assert embed(callback)["title"] == "What an ML engineer does at Quora"


async def test_after_a_gateway_disconnect_the_client_resumes_and_answers(fake_discord, bot, captured):
    await fake_discord.disconnect(code=4000)
    await fake_discord.wait_for(lambda: fake_discord.resumes)
    assert fake_discord.resumes[0]["session_id"] == captured("ready")["session_id"]
    callback = await fake_discord.interact(ask(captured, QUESTION))
    assert embed(callback)["title"] == "What an ML engineer does at Quora"


async def test_after_a_clean_close_the_client_connects_again_and_answers(fake_discord, bot, captured):
    await fake_discord.disconnect(code=1000)  # a clean close cannot be resumed: a new IDENTIFY
    await fake_discord.wait_for(lambda: len(fake_discord.identifies) + len(fake_discord.resumes) >= 2)
    answer = await fake_discord.say(captured("message_mention"))
    assert embed(answer)["title"] == "What an ML engineer does at Quora"


async def test_an_error_is_logged_and_answered_with_a_friendly_sentence(fake_discord, bot, fresh_advisor, captured,
                                                                       monkeypatch, caplog):
    real_ask = fresh_advisor.ask

    def broken(text, **kwargs):
        if "boom" in text:
            raise RuntimeError("secret internal detail")
        return real_ask(text, **kwargs)

    monkeypatch.setattr(fresh_advisor, "ask", broken)
    caplog.set_level(logging.ERROR)
    callback = await fake_discord.interact(ask(captured, "boom"))
    assert callback.json["data"]["content"] == FRIENDLY
    assert callback.json["data"]["flags"] & 64
    assert "secret internal detail" not in json.dumps(callback.json)
    reply = await fake_discord.say(mention(captured, "boom"))
    assert reply.json["content"] == FRIENDLY
    assert "secret internal detail" in caplog.text, "the error is logged with its traceback"

    button = captured("interaction_button")
    button["data"]["custom_id"] = button["message"]["components"][0]["components"][0]["custom_id"] = \
        "whoswho:ask:boom"
    button["message"]["components"][0]["components"][0]["label"] = "boom"
    assert (await fake_discord.interact(button)).json["data"]["content"] == FRIENDLY

    callback = await fake_discord.interact(ask(captured, QUESTION))
    assert embed(callback)["title"] == "What an ML engineer does at Quora", "the client keeps serving"


async def test_the_token_never_reaches_the_logs(fake_discord, start, captured, caplog):
    caplog.set_level(logging.DEBUG)
    bot = await start()
    await fake_discord.interact(ask(captured, QUESTION))
    await fake_discord.say(captured("message_mention"))
    await fake_discord.disconnect(code=4000)
    await fake_discord.wait_for(lambda: fake_discord.resumes)
    await bot.stop()
    assert fake_discord.identifies[0]["token"] == fake_discord.token  # it was used...
    assert caplog.records
    assert fake_discord.token not in caplog.text  # ...and never logged
    assert fake_discord.token.split(".")[-1] not in caplog.text
    assert fake_discord.token not in repr(bot.client.http.__dict__.get("_settings", ""))


async def test_sharded_client_runs_every_shard_and_answers(fake_discord, start, captured, monkeypatch):
    async def no_wait(self, shard_id, *, initial=False):  # discord.py waits 5 s between shards (Discord's rule)
        return None

    monkeypatch.setattr(discord.AutoShardedClient, "before_identify_hook", no_wait)
    bot = await start(shard_count=2)
    assert isinstance(bot.client, discord.AutoShardedClient)
    await fake_discord.wait_for(lambda: len(fake_discord.identifies) == 2)
    assert sorted(tuple(i["shard"]) for i in fake_discord.identifies) == [(0, 2), (1, 2)]
    callback = await fake_discord.interact(ask(captured, QUESTION))
    assert embed(callback)["title"] == "What an ML engineer does at Quora"


async def test_no_privileged_intent_is_requested(fake_discord, bot):
    intents = discord.Intents._from_value(fake_discord.identifies[0]["intents"])
    assert not (intents.message_content or intents.members or intents.presences)
    assert intents.guild_messages and intents.dm_messages


@pytest.mark.parametrize("name", ["message_mention", "message_dm"])
async def test_a_bare_mention_or_empty_dm_gets_a_reply(fake_discord, bot, captured, name):
    message = captured(name)
    message["content"] = f"<@{APP}>" if name == "message_mention" else " "
    answer = await fake_discord.say(message)
    assert embed(answer)["title"]


async def test_the_fit_check_completed_with_component_interactions(fake_discord, bot, captured):
    callback = await fake_discord.interact(ask(captured, "fit"))
    assert embed(callback)["title"] == "Fit check: question 1 of 7"
    for number, key in enumerate(["b", "b", "b", "b", "b", "c", "b"], start=1):
        custom_id = f"whoswho:say:fit:{number}:{key}"
        assert custom_id in custom_ids(callback)
        click = captured("interaction_button")
        click["data"]["custom_id"] = custom_id
        click["message"]["components"][0]["components"][0]["custom_id"] = custom_id
        callback = await fake_discord.interact(click)
    result = embed(callback)
    assert result["title"] == "Your fit check: ML engineer"
    assert "From your answers:" in result["description"] and "Skills to build next:" in result["description"]
    assert not any(i.startswith("whoswho:share:") for i in custom_ids(callback))
