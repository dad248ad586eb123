"""Discord messages and interactions as whoswho's inbound questions, built in one place."""

from __future__ import annotations

import re
from typing import Any

import discord

from adapters.turn import Inbound

PLATFORM = "discord"
#: Discord's markup for users, roles and channels: <@123>, <@!123>, <@&123>, <#123>.
MARKUP = re.compile(r"<(?:@[!&]?|#)\d{1,24}>")


def conversation_id(*, guild_id: int | None, channel_id: int | None, user_id: int) -> str:
    """The core's conversation for one person in one channel (or thread), or in their DMs with the bot."""
    if guild_id is None:
        return f"discord:dm:{user_id}"
    return f"discord:{guild_id}:{channel_id}:{user_id}"


def to_inbound(message: discord.Message, *, me: discord.abc.User) -> Inbound | None:
    """The question a message puts to the bot, or ``None`` when the bot should stay quiet.

    The bot answers direct messages and server messages that mention it (a reply to the bot pings it
    by default, so reply chains count); it ignores itself, other bots, webhooks and system messages.
    """
    if message.author.id == me.id or message.author.bot or message.webhook_id is not None:
        return None
    if message.type not in (discord.MessageType.default, discord.MessageType.reply):
        return None
    direct = isinstance(message.channel, discord.DMChannel)
    if not direct and not any(user.id == me.id for user in message.mentions):
        return None
    # Without the Message Content intent, Discord still sends the content of DMs and of messages that mention us.
    # A mention of the bot, a person, a role or a channel addresses the question; it is not part of it.
    text = MARKUP.sub(" ", message.content).strip()
    guild_id = None if direct else (message.guild.id if message.guild else getattr(message.channel, "guild_id", 0))
    where = conversation_id(guild_id=guild_id, channel_id=message.channel.id, user_id=message.author.id)
    return Inbound(text, who=str(message.author.id), where=where, platform=PLATFORM)


def from_interaction(interaction: discord.Interaction[Any], text: str) -> Inbound:
    """``text`` asked by the person behind an interaction, in the conversation of the channel it came from."""
    where = conversation_id(guild_id=interaction.guild_id, channel_id=interaction.channel_id,
                            user_id=interaction.user.id)
    return Inbound(MARKUP.sub(" ", text).strip(), who=str(interaction.user.id), where=where, platform=PLATFORM)


def channel_message(message: discord.Message) -> Inbound:
    """A message nobody addressed to the bot, for watch mode (its conversation is chosen there)."""
    return Inbound(MARKUP.sub(" ", message.content).strip(), who=str(message.author.id), where="", platform=PLATFORM)
