"""The Discord adapter: slash commands with autocomplete, mentions, DMs and persistent buttons.

The package is ``adapters.discord``; inside it ``import discord`` is discord.py (absolute imports). Its names
are imported on first use, so the platform registry can read :mod:`adapters.discord.spec` without loading
discord.py."""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "DiscordSettings": "adapters.discord.settings", "Responder": "adapters.discord.responder",
    "conversation_id": "adapters.discord.inbound", "to_inbound": "adapters.discord.inbound",
    "create_client": "adapters.discord.client", "register": "adapters.discord.client",
    "serve": "adapters.discord.client", "sync_commands": "adapters.discord.client",
    "render_buttons": "adapters.discord.render", "render_embed": "adapters.discord.render",
    "render_topics": "adapters.discord.render",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)
