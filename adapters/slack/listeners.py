"""whoswho's Bolt listeners, each a named function: the slash commands, mentions, DMs, watched channels,
the Home tab and the buttons. Each finds what it serves with (:class:`Served`) in Bolt's context, where
:func:`adapters.slack.app.register` puts it."""

from __future__ import annotations

import asyncio
import json
import logging
import re
from dataclasses import replace
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncRespond
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from adapters import admin
from adapters.mentors import NOT_HELPFUL, Escalation
from adapters.slack.inbound import PLATFORM, home_channel, ignored, plain_text, thread_of, to_inbound
from adapters.slack.render import (
    MENTOR_UNHELPFUL_ACTION,
    THANKS,
    escape,
    intent_of,
    mentor_offer,
    question_of,
    render,
    render_link_notice,
    render_notice,
    thank_in_place,
)
from adapters.slack.served import SORRY, served
from adapters.slack.threads import follow_up
from adapters.slack.webapi import permalink, slack_error
from adapters.watch import NOTE

_log = logging.getLogger(__name__)

CANNOT_POST = ("I couldn't post in this channel. Invite me with /invite @whoswho and share again, "
               "or copy the answer.")
CHANNEL_SHOWN = re.compile(r"&lt;#([A-Za-z0-9]{1,40})&gt;")
CANNOT_ASK_MENTORS = ("I couldn't post in the mentor channel. Ask an admin to invite me there "
                      "(/invite @whoswho), then choose Ask a mentor again.")


async def on_command(ack: AsyncAck, body: dict[str, Any], context: AsyncBoltContext) -> None:
    """``/whoswho QUESTION``: answered in the ack itself. The advisor takes under a millisecond, and Slack shows
    the ack's body as an ephemeral message, with no Web API call that could fail or be rate limited."""
    inbound = to_inbound(body)
    asked = inbound.question.strip()
    if asked.casefold() in ("", "help"):  # `/whoswho` alone or `/whoswho help`: the topics, nothing to share
        message = served(context).answer(replace(inbound, question="help"))
    else:
        message = served(context).answer(inbound, asked=asked, shareable=True)
    if message is None:
        await ack()  # an empty ack shows nothing: silence past the rate limit
        return
    await ack(response_type="ephemeral", **message)


async def on_shortcut(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond,
                      context: AsyncBoltContext) -> None:
    """"Ask whoswho" on a message: that message's text answered for the person who clicked, ephemerally,
    with Share."""
    await ack()
    inbound = to_inbound(body)
    message = served(context).answer(inbound, asked=inbound.question, shareable=True)
    if message is not None:
        await respond(response_type="ephemeral", replace_original=False, **message)


async def on_mention(body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext) -> None:
    """A mention in a channel, answered in its thread."""
    event = body["event"]
    if str(event.get("channel", "")).startswith("D") or ignored(event, context.bot_user_id):
        return  # a mention in a DM also arrives as message.im, answered there
    side = served(context)
    inbound = to_inbound(body)
    message = side.answer(inbound)
    thread = event.get("thread_ts") or event["ts"]
    if message is None:
        return
    # The asker may go on in this thread without a mention (adapters.slack.threads).
    side.threads.follow(f"{body.get('team_id', '')}:{event['channel']}:{thread}", inbound.who)
    await side.post(client, message, channel=event["channel"], thread_ts=thread)


async def on_message(body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext) -> None:
    """A DM, answered there; a reply in a channel's thread, maybe a follow-up; a channel message, for watch mode."""
    event = body["event"]
    if ignored(event, context.bot_user_id):
        return
    if event.get("channel_type") in ("channel", "group") and event.get("thread_ts"):
        if served(context).turns.mentors.escalated(PLATFORM, event["channel"], event["thread_ts"]):
            on_mentor_reply(body, context)
            return
        await on_thread_message(body, client, context)
        return
    if event.get("channel_type") == "channel":
        await on_channel_message(body, client, context)
        return
    if event.get("channel_type") != "im":
        return
    side = served(context)
    message = side.answer(to_inbound(body))
    if message is not None:
        await side.post(client, message, channel=event["channel"], thread_ts=event.get("thread_ts"))


async def on_channel_message(body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext) -> None:
    """message.channels: watch mode answers a clear question in a watched channel, in its thread."""
    event = body["event"]
    text = event.get("text") or ""
    if event.get("thread_ts") or (context.bot_user_id and f"<@{context.bot_user_id}>" in text):
        return  # replies in threads are conversations; a mention is answered as app_mention
    channel, ts = event["channel"], event["ts"]
    side = served(context)
    try:
        suggested = side.watch.suggest(side.turns, to_inbound(body), channel=f"{body.get('team_id', '')}:{channel}",
                                       thread=ts)
        if suggested is None:
            return
        reply, question_id = suggested
        message = render(reply, note=NOTE, question_id=question_id)
    except Exception:
        # Nobody asked us: an apology would be noise in the channel.
        _log.exception("watch mode could not consider a Slack message")
        side.turns.error("slack")
        return
    await side.post(client, message, channel=channel, thread_ts=ts)


async def on_thread_message(body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext) -> None:
    """message.channels / message.groups in a thread: the asker of a mention there going on without one."""
    event = body["event"]
    text = event.get("text") or ""
    if context.bot_user_id and f"<@{context.bot_user_id}>" in text:
        return  # a mention is answered as app_mention
    channel, thread = event["channel"], event["thread_ts"]
    side = served(context)
    try:
        answered = follow_up(side.turns, side.threads, to_inbound(body), thread=f"{body.get('team_id', '')}:"
                             f"{channel}:{thread}", text=text, bot_user_id=context.bot_user_id,
                             threshold=side.watch.settings.threshold)
        if answered is None:
            return
        reply, question_id = answered
        message = render(reply, question_id=question_id)
    except Exception:
        # Nobody mentioned us: an apology would be noise in the thread.
        _log.exception("whoswho could not consider a Slack thread reply")
        side.turns.error("slack")
        return
    await side.post(client, message, channel=channel, thread_ts=thread)


def on_mentor_reply(body: dict[str, Any], context: AsyncBoltContext) -> None:
    """A message in the thread of a question taken to the mentors: maybe the mentor's answer, for the curators.
    The bot's own messages never get here (:func:`~adapters.slack.inbound.ignored`)."""
    event = body["event"]
    served(context).turns.mentors.replied(platform=PLATFORM, channel=event["channel"], thread=event["thread_ts"],
                                          mentor=f"{body.get('team_id', '')}:{event.get('user', '')}",
                                          text=plain_text(event.get("text") or ""))


async def on_admin(ack: AsyncAck, body: dict[str, Any], context: AsyncBoltContext) -> None:
    """``/whoswho-admin``, in a worker thread: ``insights`` reads the records database."""
    side = served(context)
    text = await asyncio.to_thread(
        admin.command, side.watch, body.get("text") or "", platform="slack", user=str(body.get("user_id", "")),
        channel=f"{body.get('team_id', '')}:{body.get('channel_id', '')}", advisor=side.turns.advisor,
        workspace=body.get("team_id") or None)
    message = render_notice(text)
    if (body.get("text") or "").lower().split()[:1] == ["mentors"]:
        # The mentor channel as a link to it: the id was checked (adapters.workspaces.channel_id).
        section = message["blocks"][0]["text"]
        section["text"] = CHANNEL_SHOWN.sub(r"<#\1>", section["text"])
    await ack(response_type="ephemeral", **message)


async def on_home(event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient,
                  context: AsyncBoltContext) -> None:
    """The Home tab, published when it is opened."""
    if event.get("tab") != "home":
        return
    side = served(context)
    try:
        view = side.home(user=str(event.get("user", "")), team=body.get("team_id") or None,
                         dm=event.get("channel"))
        await client.views_publish(user_id=event["user"], view=view)
    except Exception:
        _log.exception("views.publish failed for the Home tab")
        side.turns.error("slack")


async def on_home_insights(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient,
                           context: AsyncBoltContext) -> None:
    """Show insights, an admin's button on the Home tab: the summary of ``/whoswho-admin insights``, in the app's
    DM with them (anyone else is told it is for admins)."""
    await ack()
    side = served(context)
    user, team = (body.get("user") or {}).get("id", ""), (body.get("team") or {}).get("id", "")
    channel = home_channel(body) or user
    text = await asyncio.to_thread(admin.command, side.watch, "insights", platform=PLATFORM, user=user,
                                   channel=f"{team}:{channel}", advisor=side.turns.advisor, workspace=team or None)
    await side.post(client, render_notice(text), channel=channel)


async def on_home_click(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient,
                        context: AsyncBoltContext) -> None:
    """A question on the Home tab: answered in the app's DM with the person who clicked, where it goes on."""
    await ack()
    side = served(context)
    inbound = to_inbound(body)
    message = side.answer(inbound)
    if message is not None:
        # Posting to a user id reaches the app's DM with them too, when the view did not say which it is.
        channel = home_channel(body) or (body.get("user") or {}).get("id", "")
        await side.post(client, message, channel=channel)


async def on_share(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond,
                   context: AsyncBoltContext) -> None:
    """Share: the answer of an ephemeral message posted in the channel for everyone."""
    await ack()
    side = served(context)
    try:
        value = json.loads(body["actions"][0]["value"])
        reply = side.turns.advisor.reply_for(str(value["intent"]))
        message = render(reply, asked=str(value.get("asked") or ""), shared_by=body["user"]["id"])
    except Exception:
        _log.exception("whoswho could not share an answer")
        side.turns.error("slack")
        await respond(response_type="ephemeral", replace_original=False, **render_notice(SORRY))
        return
    if await side.post(client, message, channel=body["channel"]["id"]):
        await respond(delete_original=True)
    else:
        await respond(response_type="ephemeral", replace_original=False, **render_notice(CANNOT_POST))


async def on_suggestion(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond,
                        context: AsyncBoltContext) -> None:
    """A suggestion or a clarification's choice: its question asked in the clicker's conversation."""
    await ack()
    side = served(context)
    inbound = to_inbound(body)
    action = body["actions"][0]
    clicked_under = question_of(str(action.get("block_id", "")))
    if clicked_under is not None:
        side.turns.feedback.click(clicked_under, intent_of(str(action.get("action_id", ""))))
    channel = (body.get("channel") or {}).get("id", "")
    thread = thread_of(body)
    ephemeral = bool((body.get("container") or {}).get("is_ephemeral"))
    in_the_open = not ephemeral and (thread is not None or channel.startswith("D"))
    # In a thread or a DM the conversation goes on in the open, where it started; an ephemeral answer,
    # or an answer someone shared, answers only the person who clicked.
    message = side.answer(inbound, asked=inbound.question, shareable=not in_the_open)
    if message is None:
        return
    if in_the_open:
        await side.post(client, message, channel=channel, thread_ts=thread)
    else:
        await respond(response_type="ephemeral", replace_original=False, **message)


async def on_vote(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, context: AsyncBoltContext) -> None:
    """Helpful / Not helpful: recorded, and the vote buttons become a thank-you in place."""
    await ack()
    side = served(context)
    action = body["actions"][0]
    inbound = to_inbound(body)
    question_id = str(action.get("value", ""))
    helpful = action.get("action_id") == "whoswho.vote.helpful"
    side.turns.feedback.vote(question_id, user=inbound.who, platform="slack", helpful=helpful)
    offer = [] if helpful or not side.turns.mentors.available(PLATFORM, inbound.workspace) else \
        mentor_offer(question_id)
    message = body.get("message") or {}
    try:
        if message.get("blocks"):
            await respond(replace_original=True, text=message.get("text") or THANKS,
                          blocks=thank_in_place(message["blocks"]) + offer)
        else:
            # Slack sends no copy of an ephemeral message with its clicks: thank the person beside it.
            thanks = render_notice(THANKS)
            await respond(response_type="ephemeral", replace_original=False, text=thanks["text"],
                          blocks=thanks["blocks"] + offer)
    except Exception:
        _log.exception("could not acknowledge a vote")
        side.turns.error("slack")


async def on_mentor(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond,
                    context: AsyncBoltContext) -> None:
    """Ask a mentor: the question posted as a new message in the workspace's mentor channel, naming only the
    asker and quoting what they wrote escaped; the asker gets the thread's link, only them."""
    await ack()
    side = served(context)
    mentors = side.turns.mentors
    action = body["actions"][0]
    question_id = str(action.get("value", ""))
    inbound = to_inbound(body)
    user = (body.get("user") or {}).get("id", "")
    outbound = mentors.escalate(
        platform=PLATFORM, workspace=inbound.workspace, question_id=question_id, user=inbound.who,
        mention=f"<@{user}>", quote=escape,
        reason=NOT_HELPFUL if action.get("action_id") == MENTOR_UNHELPFUL_ACTION else None)
    if not isinstance(outbound, Escalation):
        await respond(response_type="ephemeral", replace_original=False, **render_notice(outbound.text))
        return
    try:
        posted = await client.chat_postMessage(channel=outbound.channel, text=outbound.text,
                                               unfurl_links=False, unfurl_media=False)
        thread = str(posted["ts"])
    except Exception as error:
        code = slack_error(error)
        _log.error("chat.postMessage failed in the mentor channel %s: %s", outbound.channel, code)
        side.turns.error("slack")
        mentors.failed(platform=PLATFORM, question_id=question_id)
        await respond(response_type="ephemeral", replace_original=False, **render_notice(CANNOT_ASK_MENTORS))
        return
    link = await permalink(client, body, channel=outbound.channel, ts=thread)
    sentence = mentors.posted(platform=PLATFORM, question_id=question_id, channel=outbound.channel, thread=thread,
                              link=link)
    await respond(response_type="ephemeral", replace_original=False, **render_link_notice(sentence, link))
