"""Slack Web API calls whose failure the listeners handle alike: what to log of an error, and a message's link."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

_log = logging.getLogger(__name__)


async def permalink(client: AsyncWebClient, body: dict[str, Any], *, channel: str, ts: str) -> str:
    """The link to message ``ts`` in ``channel``: chat.getPermalink's, else built from the workspace's domain."""
    try:
        found = await client.chat_getPermalink(channel=channel, message_ts=ts)
        return str(found["permalink"])
    except Exception as error:
        code = slack_error(error)
        _log.warning("chat.getPermalink failed in %s (%s); building the link", channel, code)
    domain = (body.get("team") or {}).get("domain") or "app"
    return f"https://{domain}.slack.com/archives/{channel}/p{ts.replace('.', '')}"


def slack_error(error: Exception) -> str:
    """What to log of a failed Web API call: Slack's error code, or the kind of failure."""
    if isinstance(error, SlackApiError) and isinstance(error.response.data, dict):
        return str(error.response.data.get("error"))
    return type(error).__name__
