"""Slack payloads as whoswho's inbound questions, built in one place: slash commands, events (mentions, DMs,
channel messages) and button clicks; and what makes a delivery the same one again."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from typing import Any

from adapters.turn import Inbound

PLATFORM = "slack"
#: Slack's markup for users, channels and groups: <@U123>, <@U123|name>, <#C123|general>, <!here>, <!subteam^S1>.
MARKUP = re.compile(r"<[@#!][^<>\s]{0,120}>")
DM_CHANNEL = re.compile(r"D[A-Z0-9]{2,40}")


def conversation_id(team: str, channel: str, key: str) -> str:
    """The advisor's conversation id: a thread, or one person in a DM or ephemeral exchange."""
    return f"slack:{team}:{channel}:{key}"


def to_inbound(body: Mapping[str, Any], *, text: str | None = None) -> Inbound:
    """The question in a slash command, an event (mention or DM) or a suggestion button click; ``text``
    instead of the payload's own when given."""
    if "command" in body:
        team, channel, user = body.get("team_id", ""), body.get("channel_id", ""), body.get("user_id", "")
        asked = body.get("text") or ""
        key = user
    elif body.get("type") == "message_action":
        # "Ask whoswho" on a message: its text, asked by the person who clicked, in a conversation of their own.
        team = (body.get("team") or {}).get("id", "")
        channel = (body.get("channel") or {}).get("id", "")
        user = (body.get("user") or {}).get("id", "")
        asked = (body.get("message") or {}).get("text") or ""
        key = user
    elif body.get("type") == "block_actions":
        team = (body.get("team") or {}).get("id") or (body.get("user") or {}).get("team_id", "")
        # A click on the Home tab comes from no channel: its view carries the app's DM with the clicker.
        channel = (body.get("channel") or {}).get("id") or home_channel(body) or ""
        user = (body.get("user") or {}).get("id", "")
        asked = body["actions"][0].get("value", "")
        key = thread_of(body) or user
    else:
        event = body["event"]
        team, channel, user = body.get("team_id", ""), event.get("channel", ""), event.get("user", "")
        asked = event.get("text") or ""
        # A mention starts (or continues) a thread's conversation; a DM is one person's, or a thread in it.
        key = event.get("thread_ts") or (event["ts"] if event["type"] == "app_mention" else user)
    asked = asked if text is None else text
    if body.get("type") != "block_actions":
        # A mention of the bot, a person or a channel addresses the question; it is not part of it.
        asked = MARKUP.sub(" ", asked).strip()
    return Inbound(asked, who=f"{team}:{user}", where=conversation_id(team, channel, key), platform=PLATFORM,
                   workspace=team or None)


def home_channel(body: Mapping[str, Any]) -> str | None:
    """The app's DM with the person a Home tab view was published for (its ``private_metadata``), if any."""
    view = body.get("view") or {}
    channel = view.get("private_metadata") if view.get("type") == "home" else None
    return channel if isinstance(channel, str) and DM_CHANNEL.fullmatch(channel) else None


def thread_of(body: Mapping[str, Any]) -> str | None:
    """The thread a clicked message lives in; ``None`` for ephemeral and top-level messages."""
    if (body.get("container") or {}).get("is_ephemeral"):
        return None
    message = body.get("message") or {}
    thread: str | None = message.get("thread_ts")
    return thread


def ignored(event: Mapping[str, Any], bot_user_id: str | None) -> bool:
    """Edits, deletions, joins, other bots and the bot itself: nothing to answer, and no reply loops."""
    # As of 2021 most bot messages no longer carry the bot_message subtype; bot_id is what marks them.
    return (event.get("subtype") is not None or event.get("bot_id") is not None
            or event.get("bot_profile") is not None or not event.get("user")
            or event.get("user") == bot_user_id)


def header_value(headers: Mapping[str, Sequence[str]], name: str) -> str:
    """The first value of a header in a Bolt request (Bolt lowercases the names), or ``""``."""
    return next(iter(headers.get(name) or ()), "")


def delivery_key(body: Mapping[str, Any], headers: Mapping[str, Sequence[str]]) -> str | None:
    """What makes a delivery the same one again: an event's ``event_id`` (Slack's retries carry it, newly
    signed), else a signed request's timestamp and signature (a command or a click replayed as it was);
    ``None`` for what has neither (Socket Mode's commands and clicks)."""
    if body.get("type") == "event_callback" and isinstance(body.get("event_id"), str):
        return f"slack:event:{body['event_id'][:100]}"
    timestamp = header_value(headers, "x-slack-request-timestamp")
    signature = header_value(headers, "x-slack-signature")
    if timestamp and signature:
        return f"slack:signed:{timestamp[:20]}:{signature[:100]}"
    return None


def plain_text(text: str) -> str:
    """A message's text as its writer typed it, for the records: Slack's markup for people, channels and groups
    taken out and its ``&amp;``, ``&lt;`` and ``&gt;`` read back."""
    return html.unescape(MARKUP.sub(" ", text)).strip()
