"""What the Slack listeners answer with, kept in Bolt's context: the turns, watch mode and the Home tab."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field, replace
from typing import Any

from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.inbound import DM_CHANNEL, PLATFORM
from adapters.slack.render import home_admin, render, render_home, render_notice
from adapters.slack.threads import FollowedThreads
from adapters.turn import Inbound, Notice, Turns
from adapters.watch import Watch
from bot import Advisor

_log = logging.getLogger(__name__)

SORRY = "Sorry, something went wrong on my side. Please try again in a moment."
#: Where Bolt's context keeps the :class:`Served`.
CONTEXT_KEY = "whoswho"


@dataclass
class Served:
    """What the listeners answer with: the turns, watch mode, and the Home tab of the knowledge served now."""

    turns: Turns
    watch: Watch
    _home: tuple[Advisor, dict[str, Any]] | None = field(default=None, repr=False)
    threads: FollowedThreads = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.threads = FollowedThreads(self.turns)

    def home(self, *, user: str | None = None, team: str | None = None, dm: str | None = None) -> dict[str, Any]:
        """The Home tab of the knowledge served now (it changes on a reload), for ``user`` in ``team`` when given:
        with the workspace's settings for an admin, and its buttons answering in ``dm``, the app's DM with them."""
        current = self.turns.advisor
        if self._home is None or self._home[0] is not current:
            self._home = (current, render_home(current.knowledge))
        view = self._home[1]
        if user is not None and self.watch.settings.is_admin(PLATFORM, user):
            prefix = f"{team or ''}:"
            view = home_admin(view, mentor_channel=self.watch.workspaces.mentor_channel(PLATFORM, team),
                              watched=[c[len(prefix):] for c in self.watch.channels.channels(PLATFORM)
                                       if c.startswith(prefix)],
                              threads=self.watch.workspaces.threads(PLATFORM, team))
        if dm is not None and DM_CHANNEL.fullmatch(dm):
            view = {**view, "private_metadata": dm}
        return view

    def answer(self, inbound: Inbound, **options: Any) -> dict[str, Any] | None:
        """The message to send, or ``None`` to stay silent (a user past the rate limit)."""
        try:
            question_id = str(uuid.uuid4())
            asked = inbound.question.strip() or "help"
            result = self.turns.respond(replace(inbound, question=asked, question_id=question_id))
            if result is None:
                return None
            if isinstance(result, Notice):
                return render_notice(result.text)
            return render(result, question_id=question_id, **options)
        except Exception:
            _log.exception("whoswho could not answer a Slack question")
            self.turns.error("slack")
            return render_notice(SORRY)

    async def post(self, client: AsyncWebClient, message: dict[str, Any], *, channel: str,
                   thread_ts: str | None = None) -> bool:
        """Post ``message`` in ``channel``; whether it went (a failure is logged and counted)."""
        try:
            await client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=message["text"],
                                          blocks=message["blocks"], unfurl_links=False, unfurl_media=False)
            return True
        except SlackApiError as error:
            _log.error("chat.postMessage failed in %s: %s", channel, error.response.get("error"))
        except Exception:
            _log.exception("chat.postMessage failed in %s", channel)
        self.turns.error("slack")
        return False


def served(context: AsyncBoltContext) -> Served:
    """The :class:`Served` in Bolt's context."""
    value: Served = context[CONTEXT_KEY]
    return value
