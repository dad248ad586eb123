"""Discord's side of the turn loop: interactions and messages in, the advisor's replies out as embeds with
persistent buttons, and the fixed apology when something fails."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

import discord
from discord import app_commands

from adapters import admin
from adapters.discord.buttons import persistent_view
from adapters.discord.complete import Completer
from adapters.discord.inbound import (
    PLATFORM,
    channel_message,
    conversation_id,
    from_interaction,
    replied_to,
    to_inbound,
    workspace_of,
)
from adapters.discord.render import (
    MENTOR_OFFER,
    clip,
    quote_user_text,
    render_buttons,
    render_embed,
    render_topics,
    thanked,
)
from adapters.mentors import NOT_HELPFUL, Escalation
from adapters.turn import Inbound, Notice, Outbound, Turns
from adapters.watch import NOTE, Watch
from bot import Advisor, Reply
from bot.reply import SuggestionAction

_log = logging.getLogger(__name__)

FRIENDLY = "Sorry, something went wrong on my side and I couldn't answer that. Please try again in a moment."
NO_TEXT = "That message has no text I can read, so there's nothing for me to answer."
GONE = "That answer is no longer in my knowledge base. Ask again with /whoswho."
NO_MENTIONS = discord.AllowedMentions.none()
THREAD_NAME_LIMIT = 100
CANNOT_ASK_MENTORS = ("I couldn't post in the mentor channel. Ask an admin to let me see and post in it (View "
                      "Channel, Send Messages, Create Public Threads), then choose Ask a mentor again.")
MENTOR_THREAD = "A question for the mentors"
#: How many of its answers the bot remembers the conversation of, so a reply to one is a follow-up there.
MAX_ANSWERED = 10_000


class Responder:
    """Turns Discord events into turns of the advisor and sends its replies back."""

    def __init__(self, turns: Turns, *, watch: Watch | None = None) -> None:
        self.turns = turns
        self.watch = watch or Watch()
        self._completer = Completer(turns.advisor)
        self._answered: OrderedDict[int, str] = OrderedDict()

    @property
    def advisor(self) -> Advisor:
        """The advisor serving now (a knowledge reload replaces it)."""
        return self.turns.advisor

    @property
    def completer(self) -> Completer:
        """Autocomplete over the knowledge served now (indexed again after a reload)."""
        if self._completer.advisor is not self.advisor:
            self._completer = Completer(self.advisor)
        return self._completer

    def answered(self, message_id: int, conversation: str) -> None:
        """Remember that the bot's message ``message_id`` answered in ``conversation`` (the newest 10,000)."""
        self._answered[message_id] = conversation
        self._answered.move_to_end(message_id)
        while len(self._answered) > MAX_ANSWERED:
            self._answered.popitem(last=False)

    def conversation_of(self, message_id: int | None) -> str | None:
        """The conversation the bot's message ``message_id`` answered in, when remembered."""
        return None if message_id is None else self._answered.get(message_id)

    def mentor_channel_of(self, message: discord.Message) -> str | None:
        """The mentor channel ``message``'s thread is in: its parent, or the server's mentor channel when the
        thread is not in the client's cache."""
        parent = getattr(message.channel, "parent_id", None)
        if parent is not None:
            return str(parent)
        guild = message.guild.id if message.guild else getattr(message.channel, "guild_id", None)
        return self.turns.mentors.workspaces.mentor_channel(PLATFORM, None if guild is None else str(guild))

    def in_mentor_thread(self, message: discord.Message) -> bool:
        """Whether ``message`` is in the thread of a question taken to the mentors."""
        channel = self.mentor_channel_of(message)
        return channel is not None and self.turns.mentors.escalated(PLATFORM, channel, str(message.channel.id))

    def respond(self, inbound: Inbound) -> tuple[Outbound, str]:
        """The turn's outcome for ``inbound``, recorded under a new question id (returned with it)."""
        question_id = str(uuid.uuid4())
        return self.turns.respond(replace(inbound, question_id=question_id)), question_id

    async def send(self, interaction: discord.Interaction[Any], outbound: Outbound, *, ephemeral: bool,
                   question_id: str | None = None) -> None:
        """Answer an interaction with the rendered reply; an ephemeral one gets a Share button. A notice goes
        to the asker alone; ``None`` (a user past the rate limit) gets no response at all."""
        if outbound is None:
            return
        if isinstance(outbound, Notice):
            await interaction.response.send_message(outbound.text, ephemeral=True, allowed_mentions=NO_MENTIONS)
            return
        await interaction.response.send_message(
            embed=render_embed(outbound),
            view=persistent_view(render_buttons(outbound, share=ephemeral, question_id=question_id)),
            ephemeral=ephemeral, allowed_mentions=NO_MENTIONS,
        )

    async def answer(self, interaction: discord.Interaction[Any], text: str, *, ephemeral: bool) -> None:
        """Ask ``text`` for the person behind ``interaction`` and answer it."""
        outbound, question_id = self.respond(from_interaction(interaction, text))
        await self.send(interaction, outbound, ephemeral=ephemeral, question_id=question_id)

    # commands

    async def on_command(self, interaction: discord.Interaction[Any], question: str, *, public: bool) -> None:
        """``/whoswho question:``: answered at once (the core takes under a millisecond), ephemeral unless public."""
        await self.answer(interaction, question, ephemeral=not public)

    async def on_ask_message(self, interaction: discord.Interaction[Any], message: discord.Message) -> None:
        """"Ask whoswho" on a message: its text answered for the person who clicked, ephemerally, with Share."""
        if not message.content.strip():
            await interaction.response.send_message(NO_TEXT, ephemeral=True, allowed_mentions=NO_MENTIONS)
            return
        await self.answer(interaction, message.content, ephemeral=True)

    async def on_topics(self, interaction: discord.Interaction[Any]) -> None:
        """``/whoswho-topics``: the topic list, for the asker only."""
        await interaction.response.send_message(embed=render_topics(self.advisor.knowledge), ephemeral=True,
                                                allowed_mentions=NO_MENTIONS)

    async def on_autocomplete(self, interaction: discord.Interaction[Any],
                              current: str) -> list[app_commands.Choice[str]]:
        """Autocomplete for the question option; an error offers no choices rather than failing the box."""
        try:
            return [app_commands.Choice(name=q, value=q) for q in self.completer.choices(current)]
        except Exception:
            _log.exception("Autocomplete failed (interaction %s)", interaction.id)
            return []

    async def on_admin(self, interaction: discord.Interaction[Any], state: str) -> None:
        """``/whoswho-admin watch state:``: admins turn watch mode on or off in this channel; others are refused."""
        channel = f"{interaction.guild_id}:{interaction.channel_id}"
        if interaction.guild_id is None:
            text = "Watch mode works in server channels, not in direct messages."
        else:
            text = admin.command(self.watch, "watch" if state == "status" else f"watch {state}", platform="discord",
                                 user=str(interaction.user.id), channel=channel)
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)

    async def on_admin_setting(self, interaction: discord.Interaction[Any], text: str) -> None:
        """``/whoswho-admin mentors`` and ``threads``: the server's settings, for admins; others are refused."""
        text = admin.command(self.watch, text, platform=PLATFORM, user=str(interaction.user.id),
                             channel=f"{interaction.guild_id}:{interaction.channel_id}",
                             workspace=workspace_of(interaction.guild_id))
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)

    async def on_admin_insights(self, interaction: discord.Interaction[Any]) -> None:
        """``/whoswho-admin insights``: admins get a private summary of the recorded questions; others a refusal."""
        # In a worker thread: the report reads the records database.
        text = await asyncio.to_thread(admin.command, self.watch, "insights", platform="discord",
                                       user=str(interaction.user.id),
                                       channel=f"{interaction.guild_id}:{interaction.channel_id}",
                                       advisor=self.advisor, quote=quote_user_text)
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)

    # buttons

    async def on_suggestion(self, interaction: discord.Interaction[Any], action: SuggestionAction, value: str, *,
                            label: str | None = None, clicked_under: str | None = None) -> None:
        """A suggestion or clarifying choice: asks its intent's question (``value`` is the intent) or says its
        command token (``value`` is the token) in the clicker's conversation, as visible as the message the
        button is on; an asked intent's click is recorded against ``clicked_under``, the question it was under."""
        text = value
        if action is SuggestionAction.ASK:
            if clicked_under:
                self.turns.feedback.click(clicked_under, value)
            intent = self.advisor.knowledge.get(value)
            # A button can outlive its intent when the knowledge changes; its label is still a fair question.
            text = intent.questions[0] if intent else (label or "help")
        ephemeral = bool(interaction.message and interaction.message.flags.ephemeral)
        await self.answer(interaction, text, ephemeral=ephemeral)

    async def on_vote(self, interaction: discord.Interaction[Any], question_id: str, helpful: bool) -> None:
        """Helpful / Not helpful: recorded (a second vote replaces the first), and the vote buttons become a
        thank-you in place."""
        self.turns.feedback.vote(question_id, user=str(interaction.user.id), platform="discord", helpful=helpful)
        rows = list(interaction.message.components) if interaction.message else []
        workspace = workspace_of(interaction.guild_id)
        offer = None if helpful or not self.turns.mentors.available(PLATFORM, workspace) else question_id
        await interaction.response.edit_message(content=MENTOR_OFFER if offer else discord.utils.MISSING,
                                                view=persistent_view(thanked(rows, offer=offer)))

    async def on_mentor(self, interaction: discord.Interaction[Any], question_id: str, *, voted: bool) -> None:
        """Ask a mentor: the question posted in the server's mentor channel as a new message naming only the asker
        and quoting what they wrote escaped, a thread started on it for the mentors; the asker, only them, gets
        the thread's link."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        mentors = self.turns.mentors
        user = interaction.user.id
        outbound = mentors.escalate(
            platform=PLATFORM, workspace=workspace_of(interaction.guild_id),
            question_id=question_id, user=str(user), mention=f"<@{user}>", quote=quote_user_text,
            reason=NOT_HELPFUL if voted else None)
        if not isinstance(outbound, Escalation):
            await interaction.followup.send(outbound.text, ephemeral=True, allowed_mentions=NO_MENTIONS)
            return
        client = interaction.client
        channel = client.get_channel(int(outbound.channel))
        if not isinstance(channel, discord.abc.Messageable):
            channel = client.get_partial_messageable(int(outbound.channel), guild_id=interaction.guild_id)
        try:
            post = await channel.send(outbound.text, suppress_embeds=True, allowed_mentions=discord.AllowedMentions(
                everyone=False, roles=False, replied_user=False, users=[discord.Object(user)]))
        except discord.HTTPException as error:
            _log.error("Could not post in the mentor channel %s (HTTP %s)", outbound.channel, error.status)
            self.turns.error("discord")
            mentors.failed(platform=PLATFORM, question_id=question_id)
            await interaction.followup.send(CANNOT_ASK_MENTORS, ephemeral=True, allowed_mentions=NO_MENTIONS)
            return
        link = post.jump_url
        try:
            thread = await post.create_thread(name=MENTOR_THREAD, auto_archive_duration=10080)
            link = thread.jump_url
        except (discord.HTTPException, ValueError) as error:
            # The post stays: mentors can still start the thread on it by hand.
            _log.warning("Could not start a thread on the mentor post in channel %s (%s)", outbound.channel,
                         getattr(error, "status", type(error).__name__))
        # A thread started on a message has the message's id.
        sentence = mentors.posted(platform=PLATFORM, question_id=question_id, channel=outbound.channel,
                                  thread=str(post.id), link=link)
        await interaction.followup.send(sentence, ephemeral=True, allowed_mentions=NO_MENTIONS)

    async def on_share(self, interaction: discord.Interaction[Any], intent_id: str) -> None:
        """Share: posts the answer in the channel for everyone."""
        if self.advisor.knowledge.get(intent_id) is None:
            await interaction.response.send_message(GONE, ephemeral=True, allowed_mentions=NO_MENTIONS)
            return
        await self.send(interaction, self.advisor.reply_for(intent_id), ephemeral=False)

    # messages

    async def on_message(self, message: discord.Message, *, me: discord.abc.User) -> None:
        """A DM, a mention or a reply to one of the bot's messages: answered in the DM, or as a reply to the
        message in its channel or thread. A reply is a follow-up in the conversation the answered message was in
        (or, when the bot no longer remembers it, the replier's conversation in that channel)."""
        if self.in_mentor_thread(message):
            if message.author.id != me.id and not message.author.bot and message.webhook_id is None:
                self.turns.mentors.replied(platform=PLATFORM, channel=self.mentor_channel_of(message) or "",
                                           thread=str(message.channel.id), mentor=str(message.author.id),
                                           text=message.content)
            return
        answered = replied_to(message, me=me)
        follows = self.conversation_of(answered)
        if answered is not None and follows is None and message.guild is not None:
            follows = conversation_id(guild_id=message.guild.id, channel_id=message.channel.id,
                                      user_id=message.author.id)
        inbound = to_inbound(message, me=me, follows=follows)
        if inbound is None:
            await self.on_channel_message(message, me=me)
            return
        threaded = follows is None and message.guild is not None and isinstance(message.channel, discord.TextChannel) \
            and self.watch.workspaces.threads(PLATFORM, str(message.guild.id))
        if threaded and message.guild is not None:
            # The conversation goes on in the thread, whose id is the message's.
            inbound = replace(inbound, where=conversation_id(guild_id=message.guild.id, channel_id=message.id,
                                                             user_id=message.author.id))
        try:
            outbound, question_id = self.respond(inbound)
            if outbound is None:
                return
            content: dict[str, Any] = {"content": outbound.text} if isinstance(outbound, Notice) else {
                "embed": render_embed(outbound),
                "view": persistent_view(render_buttons(outbound, question_id=question_id))}
            if isinstance(message.channel, discord.DMChannel):
                sent = await message.channel.send(**content, allowed_mentions=NO_MENTIONS)
            elif threaded:
                sent = await self._answer_in_thread(message, content, title=getattr(outbound, "title", ""))
            else:
                sent = await message.reply(**content, mention_author=False, allowed_mentions=NO_MENTIONS)
            self.answered(sent.id, inbound.where)
        except Exception:
            _log.exception("Failed to answer message %s in channel %s", message.id, message.channel.id)
            self.turns.error("discord")
            try:
                await message.channel.send(FRIENDLY, allowed_mentions=NO_MENTIONS)
            except Exception:
                _log.exception("Failed to apologize in channel %s", message.channel.id)

    async def _answer_in_thread(self, message: discord.Message, content: dict[str, Any], *,
                                title: str) -> discord.Message:
        """``content`` in a new thread started on ``message`` (threads on in its server); a reply to the message
        where the bot may not start threads."""
        try:
            thread = await message.create_thread(name=clip(title, THREAD_NAME_LIMIT) or "whoswho",
                                                 auto_archive_duration=1440)
        except discord.HTTPException as error:
            _log.info("Could not start a thread in channel %s (HTTP %s); replying instead", message.channel.id,
                      error.status)
            return await message.reply(**content, mention_author=False, allowed_mentions=NO_MENTIONS)
        return await thread.send(**content, allowed_mentions=NO_MENTIONS)

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
            suggested = self.watch.suggest(self.turns, channel_message(message),
                                           channel=f"{message.guild.id}:{channel.id}", thread=str(message.id))
            if suggested is not None:
                await self._post_in_thread(message, *suggested)
        except Exception:
            _log.exception("Watch mode failed on message %s in channel %s", message.id, channel.id)
            self.turns.error("discord")

    async def _post_in_thread(self, message: discord.Message, reply: Reply, question_id: str) -> None:
        embed, view = render_embed(reply), persistent_view(render_buttons(reply, question_id=question_id))
        try:
            thread = await message.create_thread(name=clip(reply.title, THREAD_NAME_LIMIT) or "whoswho",
                                                 auto_archive_duration=1440)
        except discord.HTTPException as error:
            _log.info("Could not start a thread in channel %s (HTTP %s); replying instead", message.channel.id,
                      error.status)
            await message.reply(NOTE, embed=embed, view=view, mention_author=False, allowed_mentions=NO_MENTIONS)
        else:
            await thread.send(NOTE, embed=embed, view=view, allowed_mentions=NO_MENTIONS)

    # failures

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
            self.turns.error("discord")
            await self.apologize(interaction)
