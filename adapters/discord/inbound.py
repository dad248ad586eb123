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


def workspace_of(guild_id: int | None) -> str | None:
    """The workspace a server's questions belong to (its id), ``None`` in a DM."""
    return None if guild_id is None else str(guild_id)


def replied_to(message: discord.Message, *, me: discord.abc.User) -> int | None:
    """The id of the bot's own message that ``message`` replies to, or ``None``."""
    reference = message.reference
    if reference is None or reference.message_id is None:
        return None
    resolved = reference.resolved
    if isinstance(resolved, discord.Message) and resolved.author.id == me.id:
        return resolved.id
    return None


def to_inbound(message: discord.Message, *, me: discord.abc.User, follows: str | None = None) -> Inbound | None:
    """The question a message puts to the bot, or ``None`` when the bot should stay quiet.

    The bot answers direct messages, server messages that mention it, and replies to its own messages:
    ``follows`` is then the conversation the answered message was in (a follow-up there, without a mention).
    It ignores itself, other bots, webhooks and system messages.
    """
    if message.author.id == me.id or message.author.bot or message.webhook_id is not None:
        return None
    if message.type not in (discord.MessageType.default, discord.MessageType.reply):
        return None
    direct = isinstance(message.channel, discord.DMChannel)
    mentioned = any(user.id == me.id for user in message.mentions)
    if not direct and not mentioned and follows is None:
        return None
    # Without the Message Content intent, Discord still sends the content of DMs and of messages that mention us.
    # A mention of the bot, a person, a role or a channel addresses the question; it is not part of it.
    text = MARKUP.sub(" ", message.content).strip()
    if not direct and not mentioned and not text:
        return None  # a reply without a ping whose text Discord withheld (no Message Content intent)
    guild_id = None if direct else (message.guild.id if message.guild else getattr(message.channel, "guild_id", 0))
    where = follows or conversation_id(guild_id=guild_id, channel_id=message.channel.id, user_id=message.author.id)
    return Inbound(text, who=str(message.author.id), where=where, platform=PLATFORM,
                   workspace=workspace_of(guild_id))


def from_interaction(interaction: discord.Interaction[Any], text: str) -> Inbound:
    """``text`` asked by the person behind an interaction, in the conversation of the channel it came from."""
    where = conversation_id(guild_id=interaction.guild_id, channel_id=interaction.channel_id,
                            user_id=interaction.user.id)
    return Inbound(MARKUP.sub(" ", text).strip(), who=str(interaction.user.id), where=where, platform=PLATFORM,
                   workspace=workspace_of(interaction.guild_id))


def channel_message(message: discord.Message) -> Inbound:
    """A message nobody addressed to the bot, for watch mode (its conversation is chosen there)."""
    return Inbound(MARKUP.sub(" ", message.content).strip(), who=str(message.author.id), where="", platform=PLATFORM)
