"""whoswho's persistent buttons: dynamic items matched by their custom_id, so a button works after a restart
without storing its view. Each finds the responder of the client that received the click."""

from __future__ import annotations

import re
import weakref
from typing import TYPE_CHECKING, Any

import discord

from adapters.discord.render import (
    ASK_PREFIX,
    MENTOR_PREFIX,
    MENTOR_TEMPLATE,
    SAY_PREFIX,
    SHARE_TEMPLATE,
    SUGGESTION_TEMPLATE,
    THANKS_ID,
    VOTE_PREFIX,
    VOTE_TEMPLATE,
)
from bot.reply import SuggestionAction

if TYPE_CHECKING:
    from adapters.discord.responder import Responder

Button = discord.ui.Button[discord.ui.View]

_responders: weakref.WeakKeyDictionary[discord.Client, Responder] = weakref.WeakKeyDictionary()


def attach(client: discord.Client, responder: Responder) -> None:
    """Make ``responder`` the one answering the clicks ``client`` receives, and register the buttons on it."""
    _responders[client] = responder
    client.add_dynamic_items(SuggestionButton, ShareButton, VoteButton, MentorButton)


def responder_of(client: discord.Client) -> Responder:
    """The responder attached to ``client``."""
    return _responders[client]


class _FromItem:
    """Rebuilds a persistent button from the button Discord sends back; its custom_id says the rest."""

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any],
                             match: re.Match[str], /) -> Any:
        assert isinstance(item, discord.ui.Button)
        return cls(item)  # type: ignore[call-arg]


class SuggestionButton(_FromItem, discord.ui.DynamicItem[Button], template=SUGGESTION_TEMPLATE):
    """A suggestion or clarifying choice: ``whoswho:ask:<intent>[:<question id>]`` asks an intent,
    ``whoswho:say:<token>`` says a command token (a fit-check option, a learning path)."""

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        custom_id = self.item.custom_id or ""
        match = re.fullmatch(SUGGESTION_TEMPLATE, custom_id)
        if match is not None and match["query"] is not None:
            action, value, under = SuggestionAction.COMMAND, match["query"], None
        else:
            action = SuggestionAction.ASK
            value = match["intent"] if match else custom_id.removeprefix(ASK_PREFIX)
            under = match["question"] if match else None
        responder = responder_of(interaction.client)
        await responder.turns.events.handler(responder.guarded)(
            interaction, "Suggestion button",
            lambda: responder.on_suggestion(interaction, action, value, label=self.item.label, clicked_under=under))


class ShareButton(_FromItem, discord.ui.DynamicItem[Button], template=SHARE_TEMPLATE):
    """Share: posts an ephemeral answer publicly; its custom_id names the intent."""

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        match = re.fullmatch(SHARE_TEMPLATE, self.item.custom_id or "")
        intent = match["intent"] if match else ""
        responder = responder_of(interaction.client)
        await responder.turns.events.handler(responder.guarded)(
            interaction, "Share button", lambda: responder.on_share(interaction, intent))


class VoteButton(_FromItem, discord.ui.DynamicItem[Button], template=VOTE_TEMPLATE):
    """Helpful / Not helpful under an answer; its custom_id holds the vote and the question's id."""

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        match = re.fullmatch(VOTE_TEMPLATE, self.item.custom_id or "")
        if match is None:
            return
        responder = responder_of(interaction.client)
        await responder.turns.events.handler(responder.guarded)(
            interaction, "Vote button",
            lambda: responder.on_vote(interaction, match["question"], match["vote"] == "yes"))


class MentorButton(_FromItem, discord.ui.DynamicItem[Button], template=MENTOR_TEMPLATE):
    """Ask a mentor; its custom_id holds the question's id and whether it was offered after a Not helpful vote."""

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        match = re.fullmatch(MENTOR_TEMPLATE, self.item.custom_id or "")
        if match is None:
            return
        responder = responder_of(interaction.client)
        await responder.turns.events.handler(responder.guarded)(
            interaction, "Ask a mentor button",
            lambda: responder.on_mentor(interaction, match["question"], voted=match["why"] == "vote"))


def persistent_view(buttons: list[Button]) -> discord.ui.View:
    """A persistent view of dynamic items, so its buttons work after a restart without storing the view."""
    view = discord.ui.View(timeout=None)
    for button in buttons:
        custom_id = button.custom_id or ""
        if custom_id == THANKS_ID:
            view.add_item(button)  # disabled: nothing to dispatch
        elif custom_id.startswith(VOTE_PREFIX):
            view.add_item(VoteButton(button, row=button.row))
        elif custom_id.startswith(MENTOR_PREFIX):
            view.add_item(MentorButton(button, row=button.row))
        elif custom_id.startswith((ASK_PREFIX, SAY_PREFIX)):
            view.add_item(SuggestionButton(button, row=button.row))
        else:
            view.add_item(ShareButton(button, row=button.row))
    return view
