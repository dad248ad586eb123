"""The Discord client: slash commands, autocomplete, mentions, DMs and persistent buttons."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import re
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import discord
import yarl
from discord import app_commands
from rapidfuzz import fuzz, process, utils

from adapters.asking import Asker, Notice, as_asker
from adapters.discord.render import (
    ASK_PREFIX,
    ASK_TEMPLATE,
    SAY_PREFIX,
    SAY_TEMPLATE,
    SHARE_TEMPLATE,
    THANKS_ID,
    VOTE_PREFIX,
    VOTE_TEMPLATE,
    clip,
    quote_user_text,
    render_buttons,
    render_embed,
    render_topics,
    thanked,
)
from adapters.discord.settings import DiscordSettings
from adapters.files import write_private
from adapters.retry import Stopped, WithoutTraceback, retrying, unless_stopped
from adapters.watch import NOTE, Watch
from bot import Advisor, Question, Reply

_log = logging.getLogger(__name__)
# discord.py logs each failed gateway (re)connection with its traceback, attempt after attempt while offline.
logging.getLogger("discord.client").addFilter(WithoutTraceback("Attempting a reconnect"))

FRIENDLY = "Sorry, something went wrong on my side and I couldn't answer that. Please try again in a moment."
GONE = "That answer is no longer in my knowledge base. Ask again with /whoswho."
NO_MENTIONS = discord.AllowedMentions.none()
CHOICE_LIMIT = 25  # autocomplete choices Discord shows
CHOICE_LENGTH = 100  # characters in a choice's name and value
COMMANDS_STATE = "discord-commands.json"
THREAD_NAME_LIMIT = 100
#: What watch mode needs in a watched channel: read it, start a thread (or reply), and post there.
WATCH_PERMISSIONS = ("view_channel", "read_message_history", "send_messages", "create_public_threads",
                     "send_messages_in_threads", "embed_links")

Button = discord.ui.Button[discord.ui.View]


def conversation_id(*, guild_id: int | None, channel_id: int | None, user_id: int) -> str:
    """The core's conversation for one person in one channel (or thread), or in their DMs with the bot."""
    if guild_id is None:
        return f"discord:dm:{user_id}"
    return f"discord:{guild_id}:{channel_id}:{user_id}"


def to_question(message: discord.Message, *, me: discord.abc.User) -> Question | None:
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
    text = re.sub(rf"<@!?{me.id}>", " ", message.content).strip()
    guild_id = None if direct else (message.guild.id if message.guild else getattr(message.channel, "guild_id", 0))
    return Question(text, conversation_id(guild_id=guild_id, channel_id=message.channel.id, user_id=message.author.id))


def interaction_conversation(interaction: discord.Interaction[Any]) -> str:
    """The conversation of the person behind an interaction, in the channel it came from."""
    return conversation_id(guild_id=interaction.guild_id, channel_id=interaction.channel_id,
                           user_id=interaction.user.id)


class Responder:
    """Turns Discord events into calls of the advisor and sends its replies back."""

    def __init__(self, advisor: Advisor | Asker, *, watch: Watch | None = None) -> None:
        self.asker = as_asker(advisor)
        self.watch = watch or Watch()
        self._indexed: Advisor | None = None
        self._index()
        self.ask_button: type[discord.ui.DynamicItem[Button]] = discord.ui.DynamicItem
        self.share_button: type[discord.ui.DynamicItem[Button]] = discord.ui.DynamicItem
        self.say_button: type[discord.ui.DynamicItem[Button]] = discord.ui.DynamicItem
        self.vote_button: type[discord.ui.DynamicItem[Button]] = discord.ui.DynamicItem

    @property
    def advisor(self) -> Advisor:
        """The advisor serving now (a knowledge reload replaces it)."""
        return self.asker.advisor

    def _index(self) -> None:
        """Index the phrasings for autocomplete, again whenever the knowledge was reloaded."""
        advisor = self.asker.advisor
        if self._indexed is advisor:
            return
        self._indexed = advisor
        intents = [i for i in advisor.knowledge.intents if i.topic != "meta"]
        self._canonical = {i.id: i.questions[0] for i in intents if len(i.questions[0]) <= CHOICE_LENGTH}
        # Every phrasing that fits a choice, indexed once for fuzzy completion.
        self._phrasings = list(dict.fromkeys(
            q for i in intents for q in i.questions if len(q) <= CHOICE_LENGTH
        ))
        self._processed = [utils.default_process(q) for q in self._phrasings]
        counts: dict[str, int] = {}
        for phrase in self._processed:
            for word in phrase.split():
                counts[word] = counts.get(word, 0) + 1
        # Most frequent first, so a half-typed word completes to the likeliest one.
        self._words = sorted(counts, key=lambda w: (-counts[w], w))

    def ask(self, text: str, *, conversation_id: str, user: int,
            question_id: str | None = None) -> Reply | Notice | None:
        """The advisor's reply, the rate limit's notice, or ``None`` for silence; recorded as ``question_id``."""
        return self.asker.ask(text, conversation_id=conversation_id, user=str(user), platform="discord",
                              question_id=question_id)

    # building messages

    def view(self, buttons: list[Button]) -> discord.ui.View:
        """A persistent view of dynamic items, so its buttons work after a restart without storing the view."""
        view = discord.ui.View(timeout=None)
        for button in buttons:
            custom_id = button.custom_id or ""
            if custom_id == THANKS_ID:
                view.add_item(button)  # disabled: nothing to dispatch
                continue
            if custom_id.startswith(VOTE_PREFIX):
                view.add_item(self.vote_button(button, row=button.row))
                continue
            factory = self.ask_button if custom_id.startswith(ASK_PREFIX) else (
                self.say_button if custom_id.startswith(SAY_PREFIX) else self.share_button)
            view.add_item(factory(button, row=button.row))
        return view

    async def send(self, interaction: discord.Interaction[Any], reply: Reply | Notice | None, *,
                   ephemeral: bool, question_id: str | None = None) -> None:
        """Answer an interaction with the rendered reply; an ephemeral one gets a Share button. A notice goes
        to the asker alone; ``None`` (a user past the rate limit) gets no response at all."""
        if reply is None:
            return
        if isinstance(reply, Notice):
            await interaction.response.send_message(reply.text, ephemeral=True, allowed_mentions=NO_MENTIONS)
            return
        await interaction.response.send_message(
            embed=render_embed(reply),
            view=self.view(render_buttons(reply, share=ephemeral, question_id=question_id)),
            ephemeral=ephemeral, allowed_mentions=NO_MENTIONS,
        )

    # events

    async def on_command(self, interaction: discord.Interaction[Any], question: str, *, public: bool) -> None:
        """``/whoswho question:``: answered at once (the core takes under a millisecond), ephemeral unless public."""
        question_id = str(uuid.uuid4())
        reply = self.ask(question, conversation_id=interaction_conversation(interaction), user=interaction.user.id,
                         question_id=question_id)
        await self.send(interaction, reply, ephemeral=not public, question_id=question_id)

    async def on_topics(self, interaction: discord.Interaction[Any]) -> None:
        """``/whoswho-topics``: the topic list, for the asker only."""
        await interaction.response.send_message(embed=render_topics(self.advisor.knowledge), ephemeral=True,
                                                allowed_mentions=NO_MENTIONS)

    def choices(self, current: str) -> list[str]:
        """Questions from the knowledge base for what has been typed: intents the core matches first, then
        phrasings close to the text; at most 25, each within 100 characters."""
        self._index()
        text = current.strip()
        if not text:
            return list(self._canonical.values())[:CHOICE_LIMIT]
        text = self._complete_last_word(text)
        picked: dict[str, str] = {}
        cutoff = self.advisor.settings.clarify_threshold
        for match in self.advisor.matcher.match(text, limit=8, score_cutoff=cutoff):
            if match.intent_id in self._canonical:
                question = self._canonical[match.intent_id]
                picked.setdefault(question.casefold(), question)
        close = process.extract(utils.default_process(text), self._processed, scorer=fuzz.WRatio,
                                processor=None, limit=CHOICE_LIMIT * 2, score_cutoff=60)
        for _, _, index in close:
            question = self._phrasings[index]
            picked.setdefault(question.casefold(), question)
        return list(picked.values())[:CHOICE_LIMIT]

    def _complete_last_word(self, text: str) -> str:
        """``mle at quo`` -> ``mle at quora``: people are mid-word while autocomplete runs."""
        head, _, last = text.rpartition(" ")
        last = last.lower()
        if len(last) < 2 or last in self._words:
            return text
        completion = next((word for word in self._words if word.startswith(last)), None)
        return f"{head} {completion}".strip() if completion else text

    async def on_autocomplete(self, interaction: discord.Interaction[Any],
                              current: str) -> list[app_commands.Choice[str]]:
        """Autocomplete for the question option; an error offers no choices rather than failing the box."""
        try:
            return [app_commands.Choice(name=q, value=q) for q in self.choices(current)]
        except Exception:
            _log.exception("Autocomplete failed (interaction %s)", interaction.id)
            return []

    async def on_ask_button(self, interaction: discord.Interaction[Any], intent_id: str, label: str | None,
                            clicked_under: str | None = None) -> None:
        """A suggestion or clarifying choice: asks its question in the clicker's conversation, as visible as
        the message the button is on; the click is recorded against ``clicked_under``, the question it was under."""
        if clicked_under:
            self.asker.click(clicked_under, intent_id)
        intent = self.advisor.knowledge.get(intent_id)
        # A button can outlive its intent when the knowledge changes; its label is still a fair question.
        text = intent.questions[0] if intent else (label or "help")
        question_id = str(uuid.uuid4())
        reply = self.ask(text, conversation_id=interaction_conversation(interaction), user=interaction.user.id,
                         question_id=question_id)
        ephemeral = bool(interaction.message and interaction.message.flags.ephemeral)
        await self.send(interaction, reply, ephemeral=ephemeral, question_id=question_id)

    async def on_say_button(self, interaction: discord.Interaction[Any], query: str) -> None:
        """A fit-check option or a learning path: its token goes to the core in the clicker's conversation."""
        question_id = str(uuid.uuid4())
        reply = self.ask(query, conversation_id=interaction_conversation(interaction), user=interaction.user.id,
                         question_id=question_id)
        ephemeral = bool(interaction.message and interaction.message.flags.ephemeral)
        await self.send(interaction, reply, ephemeral=ephemeral, question_id=question_id)

    async def on_vote_button(self, interaction: discord.Interaction[Any], question_id: str, helpful: bool) -> None:
        """Helpful / Not helpful: recorded (a second vote replaces the first), and the vote buttons become a
        thank-you in place."""
        self.asker.vote(question_id, user=str(interaction.user.id), platform="discord", helpful=helpful)
        rows = list(interaction.message.components) if interaction.message else []
        await interaction.response.edit_message(view=self.view(thanked(rows)))

    async def on_share_button(self, interaction: discord.Interaction[Any], intent_id: str) -> None:
        """Share: posts the answer in the channel for everyone."""
        if self.advisor.knowledge.get(intent_id) is None:
            await interaction.response.send_message(GONE, ephemeral=True, allowed_mentions=NO_MENTIONS)
            return
        await self.send(interaction, self.advisor.reply_for(intent_id), ephemeral=False)

    async def on_message(self, message: discord.Message, *, me: discord.abc.User) -> None:
        """A DM or a mention: answered in the DM, or as a reply to the message in its channel or thread."""
        question = to_question(message, me=me)
        if question is None:
            await self.on_channel_message(message, me=me)
            return
        try:
            question_id = str(uuid.uuid4())
            reply = self.ask(question.text, conversation_id=question.conversation_id, user=message.author.id,
                             question_id=question_id)
            if reply is None:
                return
            content: dict[str, Any] = {"content": reply.text} if isinstance(reply, Notice) else {
                "embed": render_embed(reply), "view": self.view(render_buttons(reply, question_id=question_id))}
            if isinstance(message.channel, discord.DMChannel):
                await message.channel.send(**content, allowed_mentions=NO_MENTIONS)
            else:
                await message.reply(**content, mention_author=False, allowed_mentions=NO_MENTIONS)
        except Exception:
            _log.exception("Failed to answer message %s in channel %s", message.id, message.channel.id)
            self.asker.error("discord")
            try:
                await message.channel.send(FRIENDLY, allowed_mentions=NO_MENTIONS)
            except Exception:
                _log.exception("Failed to apologize in channel %s", message.channel.id)

    async def on_channel_message(self, message: discord.Message, *, me: discord.abc.User) -> None:
        """Watch mode: a clear question in a watched channel gets an answer in a thread started from it
        (or, where the bot may not start threads, a reply). Nobody asked, so a failure stays silent."""
        channel = message.channel
        if message.guild is None or not isinstance(channel, discord.TextChannel):
            return  # threads, forums and DMs are conversations of their own
        if message.author.id == me.id or message.author.bot or message.webhook_id is not None \
                or message.type is not discord.MessageType.default or any(u.id == me.id for u in message.mentions):
            return
        try:
            suggested = self.watch.suggest(self.asker, message.content, platform="discord",
                                           channel=f"{message.guild.id}:{channel.id}", thread=str(message.id),
                                           user=str(message.author.id))
            if suggested is None:
                return
            reply, question_id = suggested
            embed, view = render_embed(reply), self.view(render_buttons(reply, question_id=question_id))
            try:
                thread = await message.create_thread(name=clip(reply.title, THREAD_NAME_LIMIT) or "whoswho",
                                                     auto_archive_duration=1440)
            except discord.HTTPException as error:
                _log.info("Could not start a thread in channel %s (HTTP %s); replying instead", channel.id,
                          error.status)
                await message.reply(NOTE, embed=embed, view=view, mention_author=False,
                                    allowed_mentions=NO_MENTIONS)
            else:
                await thread.send(NOTE, embed=embed, view=view, allowed_mentions=NO_MENTIONS)
        except Exception:
            _log.exception("Watch mode failed on message %s in channel %s", message.id, channel.id)
            self.asker.error("discord")

    async def on_admin(self, interaction: discord.Interaction[Any], state: str) -> None:
        """``/whoswho-admin watch state:``: admins turn watch mode on or off in this channel; others are refused."""
        channel = f"{interaction.guild_id}:{interaction.channel_id}"
        if interaction.guild_id is None:
            text = "Watch mode works in server channels, not in direct messages."
        else:
            text = self.watch.command("watch" if state == "status" else f"watch {state}", platform="discord",
                                      user=str(interaction.user.id), channel=channel)
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)

    async def on_admin_insights(self, interaction: discord.Interaction[Any]) -> None:
        """``/whoswho-admin insights``: admins get a private summary of the recorded questions; others a refusal."""
        # In a worker thread: the report reads the records database.
        text = await asyncio.to_thread(self.watch.command, "insights", platform="discord",
                                       user=str(interaction.user.id),
                                       channel=f"{interaction.guild_id}:{interaction.channel_id}",
                                       advisor=self.asker.advisor, quote=quote_user_text)
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)

    async def apologize(self, interaction: discord.Interaction[Any]) -> None:
        """The fixed friendly sentence, never the exception's text; nothing for autocomplete."""
        try:
            if interaction.type is discord.InteractionType.autocomplete:
                if not interaction.response.is_done():
                    await interaction.response.autocomplete([])
            elif interaction.response.is_done():
                await interaction.followup.send(FRIENDLY, ephemeral=True, allowed_mentions=NO_MENTIONS)
            else:
                await interaction.response.send_message(FRIENDLY, ephemeral=True, allowed_mentions=NO_MENTIONS)
        except Exception:
            _log.exception("Failed to apologize for interaction %s", interaction.id)

    async def guarded(self, interaction: discord.Interaction[Any], what: str,
                      action: Callable[[], Awaitable[None]]) -> None:
        """Run a button's action; an error is logged and answered with the friendly sentence."""
        try:
            await action()
        except Exception:
            _log.exception("%s failed (interaction %s)", what, interaction.id)
            self.asker.error("discord")
            await self.apologize(interaction)


def register(client: discord.Client, advisor: Advisor | Asker, *,
             watch: Watch | None = None) -> app_commands.CommandTree[Any]:
    """Put the advisor on ``client``: the slash commands (returned as a tree to sync), the message
    listener, and the persistent buttons, registered now so they work from the first event on.

    With an :class:`~adapters.asking.Asker` questions are rate limited per user and counted, and each
    event runs through :meth:`Asker.handler`, so a shutdown stops taking events and lets these finish.
    ``watch`` is watch mode: ``/whoswho-admin watch`` and the watched channels (off everywhere without it)."""
    responder = Responder(advisor, watch=watch)
    handler = responder.asker.handler
    tree: app_commands.CommandTree[Any] = app_commands.CommandTree(client)

    @tree.command(name="whoswho", description="Ask about data scientists and machine-learning engineers")
    @app_commands.describe(question="Your question, e.g. what does an ML engineer do at Quora?",
                           public="Post the answer in the channel for everyone (otherwise only you see it)")
    async def whoswho(interaction: discord.Interaction[Any], question: app_commands.Range[str, 1, 2000],
                      public: bool = False) -> None:
        await handler(responder.on_command)(interaction, question, public=public)

    @whoswho.autocomplete("question")
    async def complete_question(interaction: discord.Interaction[Any],
                                current: str) -> list[app_commands.Choice[str]]:
        return await responder.on_autocomplete(interaction, current)

    @tree.command(name="whoswho-topics", description="The topics whoswho can answer")
    async def topics(interaction: discord.Interaction[Any]) -> None:
        await handler(responder.on_topics)(interaction)

    admin = app_commands.Group(name="whoswho-admin", description="whoswho's admin commands")

    @admin.command(name="watch", description="Admins: answer clear questions in this channel unasked, or stop")
    @app_commands.describe(state="on, off, or status")
    @app_commands.choices(state=[app_commands.Choice(name=name, value=name) for name in ("on", "off", "status")])
    async def admin_watch(interaction: discord.Interaction[Any], state: str = "status") -> None:
        await handler(responder.on_admin)(interaction, state)

    @admin.command(name="insights", description="Admins: a private summary of what people asked and what went "
                   "unanswered")
    async def admin_insights(interaction: discord.Interaction[Any]) -> None:
        await handler(responder.on_admin_insights)(interaction)

    tree.add_command(admin)

    async def on_ready() -> None:
        check_watch(client, responder.watch)

    client.event(on_ready)

    @tree.error
    async def on_command_error(interaction: discord.Interaction[Any], error: app_commands.AppCommandError) -> None:
        command = interaction.command.name if interaction.command else "?"
        _log.error("Command /%s failed (interaction %s)", command, interaction.id, exc_info=error)
        responder.asker.error("discord")
        await responder.apologize(interaction)

    class _FromItem:
        """Rebuilds a persistent button from the button Discord sends back; its custom_id says the rest."""

        @classmethod
        async def from_custom_id(cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any],
                                 match: re.Match[str], /) -> Any:
            assert isinstance(item, discord.ui.Button)
            return cls(item)  # type: ignore[call-arg]

    class AskButton(_FromItem, discord.ui.DynamicItem[Button], template=ASK_TEMPLATE):
        """A suggestion or clarifying choice; its custom_id names the intent, so it survives restarts."""

        async def callback(self, interaction: discord.Interaction[Any]) -> None:
            match = re.fullmatch(ASK_TEMPLATE, self.item.custom_id or "")
            intent = match["intent"] if match else (self.item.custom_id or "").removeprefix(ASK_PREFIX)
            under = match["question"] if match else None
            await handler(responder.guarded)(
                interaction, "Suggestion button",
                lambda: responder.on_ask_button(interaction, intent, self.item.label, under))

    class ShareButton(_FromItem, discord.ui.DynamicItem[Button], template=SHARE_TEMPLATE):
        """Share: posts an ephemeral answer publicly; its custom_id names the intent."""

        async def callback(self, interaction: discord.Interaction[Any]) -> None:
            match = re.fullmatch(SHARE_TEMPLATE, self.item.custom_id or "")
            intent = match["intent"] if match else ""
            await handler(responder.guarded)(interaction, "Share button",
                                             lambda: responder.on_share_button(interaction, intent))

    class SayButton(_FromItem, discord.ui.DynamicItem[Button], template=SAY_TEMPLATE):
        """A fit-check option or learning path; its custom_id holds the token the core recognises."""

        async def callback(self, interaction: discord.Interaction[Any]) -> None:
            query = (self.item.custom_id or "").removeprefix(SAY_PREFIX)
            await handler(responder.guarded)(interaction, "Fit button",
                                             lambda: responder.on_say_button(interaction, query))

    class VoteButton(_FromItem, discord.ui.DynamicItem[Button], template=VOTE_TEMPLATE):
        """Helpful / Not helpful under an answer; its custom_id holds the vote and the question's id."""

        async def callback(self, interaction: discord.Interaction[Any]) -> None:
            match = re.fullmatch(VOTE_TEMPLATE, self.item.custom_id or "")
            if match is None:
                return
            await handler(responder.guarded)(
                interaction, "Vote button",
                lambda: responder.on_vote_button(interaction, match["question"], match["vote"] == "yes"))

    responder.ask_button, responder.share_button, responder.say_button = AskButton, ShareButton, SayButton
    responder.vote_button = VoteButton
    client.add_dynamic_items(AskButton, ShareButton, SayButton, VoteButton)

    @handler
    async def on_message(message: discord.Message) -> None:
        if client.user is not None:
            await responder.on_message(message, me=client.user)

    client.event(on_message)
    return tree


def create_client(advisor: Advisor | Asker, settings: DiscordSettings, *, watch: Watch | None = None,
                  **options: Any) -> tuple[discord.Client, app_commands.CommandTree[Any]]:
    """A client with the advisor registered: ``AutoShardedClient`` when sharding is configured.

    It asks for no privileged intent (slash commands, DMs and mentions need none) unless ``watch`` names a
    Discord admin: watch mode reads messages nobody addressed to the bot, which needs Message Content. Mentions are off
    for everything it sends, so a question quoting ``@everyone`` or a role can never ping through it.
    ``options`` go to the client (tests pass ``guild_ready_timeout``).
    """
    intents = discord.Intents.none()
    intents.guilds = intents.guild_messages = intents.dm_messages = True
    if watch is not None and watch.settings.configured("discord"):
        intents.message_content = True
    common: dict[str, Any] = {
        "intents": intents, "allowed_mentions": NO_MENTIONS, "max_messages": None,
        "chunk_guilds_at_startup": False, **options,
    }
    client: discord.Client
    if settings.sharded:
        if settings.shard_ids:
            common["shard_ids"] = list(settings.shard_ids)
        client = discord.AutoShardedClient(shard_count=settings.shard_count or None, **common)
    else:
        client = discord.Client(**common)
    return client, register(client, advisor, watch=watch)


def check_watch(client: discord.Client, watch: Watch) -> list[str]:
    """Warn, naming the channel, for each watched channel this client serves that watch mode cannot work in:
    no Message Content intent, or a missing permission. The warnings logged."""
    warnings: list[str] = []
    for key in watch.channels.channels("discord"):
        guild_id, _, channel_id = key.partition(":")
        guild = client.get_guild(int(guild_id)) if guild_id.isdigit() else None
        if guild is None:
            continue  # a server this process does not serve (another shard) or has left
        channel = guild.get_channel(int(channel_id)) if channel_id.isdigit() else None
        if not client.intents.message_content:
            warnings.append(f"Watch mode is on in Discord channel {channel_id} ({guild.name}), but the bot did not "
                            "request the Message Content intent, so it cannot read questions there: name a Discord "
                            "admin in WHOSWHO_ADMINS and turn on Message Content on the Bot page "
                            "(see README, section 'Channel helper')")
        if channel is None:
            warnings.append(f"Watch mode is on in Discord channel {channel_id}, which the bot cannot see in "
                            f"{guild.name}: give it View Channels there, or turn watch mode off")
            continue
        permissions = channel.permissions_for(guild.me)
        missing = [name for name in WATCH_PERMISSIONS if not getattr(permissions, name)]
        if missing:
            warnings.append(f"Watch mode is on in Discord channel #{channel.name} ({channel_id}), but the bot lacks "
                            f"the permission(s) {', '.join(missing)} there (see README, section 'Channel helper')")
    for warning in warnings:
        _log.warning("%s", warning)
    return warnings


def use_endpoints(*, api_url: str | None, gateway_url: str | None) -> None:
    """Point discord.py at a Discord-compatible server instead of discord.com (process-wide)."""
    if api_url:
        discord.http.Route.BASE = api_url.rstrip("/")
    if gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)


def command_digest(tree: app_commands.CommandTree[Any], guild: discord.abc.Snowflake | None) -> str:
    """A hash of the command definitions as Discord receives them."""
    definitions = [command.to_dict(tree) for command in tree.get_commands(guild=guild)]
    return hashlib.sha256(json.dumps(definitions, sort_keys=True).encode()).hexdigest()


async def sync_commands(tree: app_commands.CommandTree[Any], *, guild_id: int | None, state_file: Path) -> bool:
    """Sync the commands, to one server when ``guild_id`` is set (instant) or globally, only when their
    definitions changed since the last sync recorded in ``state_file``: Discord allows 200 command
    creates a day, and a restart loop would burn them. Returns whether it synced."""
    guild = discord.Object(guild_id) if guild_id else None
    if guild is not None:
        tree.copy_global_to(guild=guild)
    digest = command_digest(tree, guild)
    key = f"{tree.client.application_id}:{guild_id or 'global'}"
    try:
        state = json.loads(state_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        state = {}
    if not isinstance(state, dict):
        state = {}
    if state.get(key) == digest:
        _log.info("Slash commands unchanged since the last sync; not syncing")
        return False
    synced = await tree.sync(guild=guild)
    _log.info("Synced %d slash commands %s", len(synced), f"to server {guild_id}" if guild_id else "globally")
    state[key] = digest
    write_private(state_file, json.dumps(state, indent=2, sort_keys=True))
    return True


def why_not_logged_in(error: Exception) -> str | None:
    """A few words on why logging in failed, or ``None`` when retrying will not help (a refused token)."""
    if isinstance(error, discord.LoginFailure):
        return None
    if isinstance(error, discord.HTTPException):
        return f"Discord answered HTTP {error.status}" if error.status >= 500 or error.status == 429 else None
    if isinstance(error, OSError | aiohttp.ClientError | TimeoutError):
        return f"Discord is unreachable: {type(error).__name__}"
    return None


async def log_in(client: discord.Client, token: str) -> None:
    """One attempt at logging in; a failed one leaves nothing open for the next."""
    try:
        await client.login(token)
    except BaseException:
        # discord.py opens a new HTTP session at each login; the failed one's goes, with its connector.
        await client.http.close()
        client.http.connector = discord.utils.MISSING
        client.http.clear()
        raise


async def serve(client: discord.Client, tree: app_commands.CommandTree[Any], *, token: str,
                guild_id: int | None, state_file: Path, stop: asyncio.Event | None = None,
                on_stop: Callable[[], Awaitable[Any]] | None = None) -> None:
    """Log in (retried with backoff while Discord is unreachable), sync the commands when they changed, and serve
    until the client is closed or ``stop`` is set. A stop while starting up ends it at once; once connected,
    ``on_stop`` runs (to let replies in flight finish) before the gateway is closed. Raises
    :class:`discord.LoginFailure` when Discord refuses the token."""
    stop = stop or asyncio.Event()
    async with client:
        try:
            await retrying(stop, lambda: log_in(client, token), what="Logging in to Discord",
                           reason=why_not_logged_in, logger=_log)
            try:
                await unless_stopped(stop, sync_commands(tree, guild_id=guild_id, state_file=state_file))
            except discord.HTTPException as error:
                # Mentions and DMs still work; the commands stay as they were.
                _log.error("Could not sync the slash commands (HTTP %s); was the bot invited with the "
                           "applications.commands scope?", error.status)
        except Stopped:
            _log.info("Stopped while starting up on Discord")
            return
        connecting = asyncio.create_task(client.connect(), name="discord-gateway")
        stopping = asyncio.create_task(stop.wait())
        await asyncio.wait({connecting, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if not connecting.done():
            if on_stop is not None:
                await on_stop()
            await client.close()
        await connecting
