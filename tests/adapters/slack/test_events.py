"""Mentions, direct messages and the Home tab: Events API callbacks through the real Bolt app."""

from __future__ import annotations

from tests.adapters.slack.conftest import BOT_USER, payload
from tests.adapters.slack.test_commands import header


async def test_a_mention_is_answered_in_a_thread_under_the_question(slack, fake_slack):
    sent = await slack.event("app_mention")
    assert sent.status == 200
    [post] = await fake_slack.wait_for("chat.postMessage")
    assert (post.args["channel"], post.args["thread_ts"]) == ("C2147483705", "1515449522.000016")
    assert header(post.args)["block_id"] == "whoswho.answer.role.compare"
    assert post.args["text"].startswith("The difference between a data scientist and an ML engineer")
    assert post.args["unfurl_links"] is False
    assert post.headers["Authorization"] == "Bearer xoxb-1111-2222-testtokenvalue"


async def test_follow_ups_in_a_thread_keep_its_context_and_other_threads_do_not_share_it(slack, fake_slack):
    await slack.event("app_mention", text="<@UBOT> what does an ML engineer do?", ts="100.000001")
    await fake_slack.wait_for("chat.postMessage", 1)
    await slack.event("app_mention", text="<@UBOT> how about at Quora?", ts="100.000005", thread_ts="100.000001",
                      user="U0SOMEONEELSE")
    follow_up = (await fake_slack.wait_for("chat.postMessage", 2))[1]
    assert follow_up.args["thread_ts"] == "100.000001"
    assert header(follow_up.args)["block_id"] == "whoswho.answer.quora.ml-engineer"
    # The same words in another thread start from nothing: which role at Quora?
    await slack.event("app_mention", text="<@UBOT> how about at Quora?", ts="200.000001")
    other = (await fake_slack.wait_for("chat.postMessage", 3))[2]
    assert other.args["thread_ts"] == "200.000001"
    assert header(other.args)["block_id"] == "whoswho.clarify.none"


async def test_a_direct_message_is_answered_in_the_conversation_with_follow_ups(slack, fake_slack):
    await slack.event("message_im")
    [first] = await fake_slack.wait_for("chat.postMessage")
    assert first.args["channel"] == "D024BE91L"
    assert "thread_ts" not in first.args
    assert header(first.args)["block_id"] == "whoswho.answer.role.ml-engineer"
    await slack.event("message_im", text="what do they need to learn?", ts="1355517524.000001")
    second = (await fake_slack.wait_for("chat.postMessage", 2))[1]
    assert header(second.args)["block_id"] == "whoswho.answer.skills.ml-engineer"
    # Another person's DM has no ML engineer to refer back to.
    await slack.event("message_im", text="what do they need to learn?", user="U0OTHER", channel="D0OTHER",
                      ts="1355517525.000001")
    third = (await fake_slack.wait_for("chat.postMessage", 3))[2]
    assert header(third.args)["block_id"] != "whoswho.answer.skills.ml-engineer"


async def test_the_bot_ignores_itself_other_bots_edits_and_other_subtypes(slack, fake_slack):
    ignored = [
        ("message_im", {"user": BOT_USER, "text": "What an ML engineer does"}),      # its own message
        ("message_im", {"bot_id": "BBOT", "text": "What an ML engineer does"}),      # its own, by bot id
        ("bot_message", {}),                                                          # another bot
        ("message_changed", {}),                                                      # an edit
        ("message_im", {"subtype": "message_deleted", "hidden": True}),
        ("message_im", {"subtype": "channel_join", "text": "<@U2147483697> has joined"}),
        ("message_im", {"channel_type": "channel", "channel": "C2147483705"}),        # not a DM
        ("app_mention", {"bot_id": "B0OTHERBOT"}),                                    # a bot mentioning us
        ("app_mention", {"channel": "D024BE91L"}),  # in a DM: answered once, as message.im
    ]
    for name, fields in ignored:
        assert (await slack.event(name, **fields)).status == 200
    await slack.event("message_im", text="what does a data scientist do?", ts="1355517599.000001")
    [only] = await fake_slack.wait_for("chat.postMessage")
    assert header(only.args)["block_id"] == "whoswho.answer.role.data-scientist"
    assert len(fake_slack.calls_of("chat.postMessage")) == 1


async def test_the_home_tab_shows_what_the_bot_covers_and_how_to_ask(slack, fake_slack):
    await slack.event("app_home_opened")
    [publish] = await fake_slack.wait_for("views.publish")
    assert publish.args["user_id"] == "U2147483697"
    view = publish.args["view"]
    assert view["type"] == "home"
    assert len(view["blocks"]) <= 100
    text = "\n".join(b["text"]["text"] for b in view["blocks"] if b["type"] == "section")
    assert "/whoswho your question" in text
    labels = [e["text"]["text"] for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert "What an ML engineer does at Quora" in labels


async def test_the_messages_tab_does_not_publish_the_home_view(slack, fake_slack):
    await slack.event("app_home_opened", tab="messages")
    await slack.event("app_home_opened")
    await fake_slack.wait_for("views.publish")
    assert len(fake_slack.calls_of("views.publish")) == 1


def test_captured_payloads_are_well_formed():
    for name in ("app_mention", "message_im", "app_home_opened", "bot_message", "message_changed"):
        assert payload(name)["type"] == "event_callback"


async def test_slack_markup_for_people_channels_and_groups_is_not_part_of_the_question(slack, fake_slack):
    await slack.event("app_mention", text="<@UBOT> <!here> <#C0GENERAL|general> what does an ML engineer do at Quora?")
    [post] = await fake_slack.wait_for("chat.postMessage")
    assert header(post.args)["block_id"] == "whoswho.answer.quora.ml-engineer"
