"""The Discord adapter: slash commands with autocomplete, mentions, DMs and persistent buttons.

The package is ``adapters.discord``; inside it ``import discord`` is discord.py (absolute imports).
"""

from adapters.discord.client import create_client, register, serve, sync_commands
from adapters.discord.inbound import conversation_id, to_inbound
from adapters.discord.render import render_buttons, render_embed, render_topics
from adapters.discord.responder import Responder
from adapters.discord.settings import DiscordSettings

__all__ = [
    "DiscordSettings", "Responder", "conversation_id", "create_client", "register", "render_buttons",
    "render_embed", "render_topics", "serve", "sync_commands", "to_inbound",
]
