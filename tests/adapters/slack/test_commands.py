"""/whoswho and its buttons, driven through the real Bolt app with signed requests."""

from __future__ import annotations

import json
from typing import Any

from adapters.slack.app import build_app, commands_app
from adapters.slack.listeners import CANNOT_POST
from tests.adapters.slack.conftest import payload


def header(message: dict) -> dict:
    return next(b for b in message["blocks"] if b["type"] == "header")


def buttons(message: dict) -> list[dict]:
    return [e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]


def suggested_intents(message: dict) -> list[str]:
    return [b["action_id"].split(".", 3)[3] for b in buttons(message) if b["action_id"].startswith("whoswho.suggest.")]


def mrkdwn(message: dict) -> str:
    parts = []
    for block in message["blocks"]:
        if block["type"] == "section":
            parts.append(block["text"]["text"])
        elif block["type"] == "context":
            parts += [e["text"] for e in block["elements"]]
    return "\n".join(parts)


async def test_a_command_is_answered_ephemerally_in_the_ack_well_under_three_seconds(slack, fake_slack):
    sent = await slack.command("what does an ML engineer do at Quora")
    assert sent.status == 200
    assert sent.seconds < 1.0
    answer = sent.json
    assert answer["response_type"] == "ephemeral"
    assert header(answer)["block_id"] == "whoswho.answer.quora.ml-engineer"
    assert header(answer)["text"]["text"] == "What an ML engineer does at Quora"
    assert "You asked “what does an ML engineer do at Quora”" in mrkdwn(answer)
    assert "Source: How does Quora use machine learning in 2015? (Xavier Amatriain, Quora)" in mrkdwn(answer)
    assert answer["text"].startswith("What an ML engineer does at Quora")
    share = buttons(answer)[0]
    assert (share["action_id"], share["text"]["text"]) == ("whoswho.share", "Share in channel")
    assert json.loads(share["value"])["intent"] == "quora.ml-engineer"
    # Each suggestion button names the intent it asks for, so a click is recorded against it.
    assert [b["action_id"] for b in buttons(answer)[1:4]] == [
        f"whoswho.suggest.{n}.{intent}" for n, intent in enumerate(suggested_intents(answer))]
    assert [b["action_id"] for b in buttons(answer)[4:]] == ["whoswho.vote.helpful", "whoswho.vote.unhelpful"]
    assert fake_slack.calls_of("chat.postMessage") == []  # nothing else to send


async def test_an_empty_command_and_help_show_the_topics(slack):
    for text in ("", "help", "  HELP  "):
        answer = (await slack.command(text)).json
        assert header(answer)["block_id"] == "whoswho.answer.meta.help"
        assert "*Quora example*" in mrkdwn(answer)
        assert buttons(answer)[0]["action_id"].startswith("whoswho.suggest.0.")
    assert "whoswho.share" not in [b["action_id"] for b in buttons((await slack.command("")).json)]


async def test_share_posts_the_same_answer_in_the_channel_crediting_who_shared_it(slack, fake_slack):
    sent = await slack.action(payload("block_actions_ephemeral"), response_url="share")
    assert sent.status == 200
    [post] = await fake_slack.wait_for("chat.postMessage")
    assert post.args["channel"] == "C2147483705"
    assert "thread_ts" not in post.args
    assert post.headers["Authorization"] == "Bearer xoxb-1111-2222-testtokenvalue"
    assert header(post.args)["block_id"] == "whoswho.answer.quora.ml-engineer"
    assert "Shared by <@U2147483697>, who asked “what does an ML engineer do at Quora”" in mrkdwn(post.args)
    assert "whoswho.share" not in [b["action_id"] for b in buttons(post.args)]
    [cleanup] = await fake_slack.wait_for("respond:share")
    assert cleanup.args["delete_original"] is True


async def test_share_where_the_bot_cannot_post_tells_only_the_person(slack, fake_slack):
    fake_slack.script("chat.postMessage", {"body": {"ok": False, "error": "channel_not_found"}})
    await slack.action(payload("block_actions_ephemeral"), response_url="share")
    [notice] = await fake_slack.wait_for("respond:share")
    assert notice.args["response_type"] == "ephemeral"
    assert notice.args["replace_original"] is False
    assert notice.args["text"] == CANNOT_POST


async def test_the_answer_from_the_share_button_survives_a_forged_value(slack, fake_slack):
    click = payload("block_actions_ephemeral")
    click["actions"][0]["value"] = '{"intent": "no.such-intent"}'
    await slack.action(click, response_url="forged")
    [notice] = await fake_slack.wait_for("respond:forged")
    assert notice.args["text"].startswith("Sorry, something went wrong")
    assert fake_slack.calls_of("chat.postMessage") == []


async def test_a_suggestion_under_an_ephemeral_answer_answers_ephemerally_with_context(slack, fake_slack):
    await slack.command("what does an ML engineer do?")
    click = payload("block_actions_ephemeral")
    click["actions"][0].update(action_id="whoswho.suggest.0", value="what do they need to learn?")
    await slack.action(click, response_url="suggest")
    [answer] = await fake_slack.wait_for("respond:suggest")
    assert answer.args["response_type"] == "ephemeral"
    assert answer.args["replace_original"] is False
    # "they" is the ML engineer the person asked about with /whoswho: the same conversation.
    assert header(answer.args)["block_id"] == "whoswho.answer.skills.ml-engineer"
    assert buttons(answer.args)[0]["action_id"] == "whoswho.share"


async def test_clarifying_replies_offer_their_choices_as_buttons(slack, fake_slack):
    clarify = (await slack.command("how about at Quora?")).json
    assert header(clarify)["block_id"] == "whoswho.clarify.none"
    choices = buttons(clarify)
    assert [c["text"]["text"] for c in choices] == ["What a data scientist does at Quora",
                                                     "What an ML engineer does at Quora"]
    click = payload("block_actions_ephemeral")
    click["actions"][0].update(action_id=choices[1]["action_id"], value=choices[1]["value"])
    await slack.action(click, response_url="choice")
    [answer] = await fake_slack.wait_for("respond:choice")
    assert header(answer.args)["block_id"] == "whoswho.answer.quora.ml-engineer"


async def test_a_suggestion_in_a_thread_answers_in_that_thread(slack, fake_slack):
    await slack.action(payload("block_actions_thread"))
    [post] = await fake_slack.wait_for("chat.postMessage")
    assert (post.args["channel"], post.args["thread_ts"]) == ("C2147483705", "1515449522.000016")
    assert header(post.args)["block_id"] == "whoswho.answer.team.workflow"
    assert fake_slack.calls_of("respond:action") == []


async def test_the_fit_check_completed_with_button_clicks(slack, fake_slack):
    first = (await slack.command("fit")).json
    assert header(first)["text"]["text"] == "Fit check: question 1 of 7"
    assert "whoswho.share" not in [b["action_id"] for b in buttons(first)]
    choices = buttons(first)
    for number, key in enumerate(["b", "b", "b", "b", "b", "c", "b"], start=1):
        assert f"fit:{number}:{key}" in [b["value"] for b in choices]
        click = payload("block_actions_ephemeral")
        click["actions"][0].update(action_id="whoswho.suggest.1", value=f"fit:{number}:{key}")
        await slack.action(click, response_url=f"fit{number}")
        [answer] = await fake_slack.wait_for(f"respond:fit{number}")
        choices = buttons(answer.args)
    assert header(answer.args)["text"]["text"] == "Your fit check: ML engineer"
    text = mrkdwn(answer.args)
    assert "From your answers:" in text and "Skills to build next:" in text
    assert "whoswho.share" not in [b["action_id"] for b in choices]


async def test_commands_are_answered_as_soon_as_processed_and_events_keep_the_normal_path(slack_settings,
                                                                                           fresh_advisor):
    app = build_app(slack_settings, fresh_advisor, api_timeout=1.0)
    fast = commands_app(app)
    assert fast is not None and fast.process_before_response
    assert not app.process_before_response  # an event's response must not wait for the answer to be posted


def message_shortcut(text: str) -> dict[str, Any]:
    """A message_action payload: "Ask whoswho" clicked on someone's message."""
    return {"type": "message_action", "callback_id": "whoswho.ask", "token": "x", "action_ts": "1.5",
            "team": {"id": "T061EG9R6", "domain": "example"}, "user": {"id": "U2147483697", "name": "sam"},
            "channel": {"id": "C2147483705", "name": "mentoring"},
            "message": {"type": "message", "user": "U0SOMEONE", "ts": "100.000001", "text": text},
            "message_ts": "100.000001"}


async def test_ask_whoswho_on_a_message_answers_its_text_for_the_clicker_only_with_share(slack, fake_slack):
    sent = await slack.action(message_shortcut("<@U0OTHER> what does an ML engineer do at Quora?"),
                              response_url="shortcut")
    assert sent.status == 200
    [answer] = await fake_slack.wait_for("respond:shortcut")
    assert answer.args["response_type"] == "ephemeral"
    assert header(answer.args)["block_id"] == "whoswho.answer.quora.ml-engineer"
    assert "whoswho.share" in [b["action_id"] for b in buttons(answer.args)]
    assert not fake_slack.calls_of("chat.postMessage"), "nothing is posted for everyone"
