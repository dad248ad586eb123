"""The Slack adapter: the advisor in slash commands, mentions, DMs and the Home tab (slack-bolt).

Its names are imported on first use, so the platform registry can read :mod:`adapters.slack.spec` without
loading Bolt."""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "SlackSettings": "adapters.slack.settings", "build_app": "adapters.slack.app", "register": "adapters.slack.app",
    "conversation_id": "adapters.slack.inbound", "to_inbound": "adapters.slack.inbound",
    "render": "adapters.slack.render", "render_home": "adapters.slack.render",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)
