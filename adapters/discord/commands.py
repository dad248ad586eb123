"""whoswho's application commands: ``/whoswho`` (with autocomplete), ``/whoswho-topics``,
``/whoswho-admin watch|mentors|threads|insights`` and the message context-menu command "Ask whoswho". Each finds
the responder of the client that received it."""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord import app_commands

from adapters.discord.buttons import responder_of

_log = logging.getLogger(__name__)


@app_commands.command(name="whoswho", description="Ask about data scientists and machine-learning engineers")
@app_commands.describe(question="Your question, e.g. what does an ML engineer do at Quora?",
                       public="Post the answer in the channel for everyone (otherwise only you see it)")
async def whoswho(interaction: discord.Interaction[Any], question: app_commands.Range[str, 1, 2000],
                  public: bool = False) -> None:
    responder = responder_of(interaction.client)
    await responder.turns.events.handler(responder.on_command)(interaction, question, public=public)


@whoswho.autocomplete("question")
async def complete_question(interaction: discord.Interaction[Any], current: str) -> list[app_commands.Choice[str]]:
    return await responder_of(interaction.client).on_autocomplete(interaction, current)


@app_commands.command(name="whoswho-topics", description="The topics whoswho can answer")
async def topics(interaction: discord.Interaction[Any]) -> None:
    responder = responder_of(interaction.client)
    await responder.turns.events.handler(responder.on_topics)(interaction)


@app_commands.context_menu(name="Ask whoswho")
async def ask_whoswho(interaction: discord.Interaction[Any], message: discord.Message) -> None:
    responder = responder_of(interaction.client)
    await responder.turns.events.handler(responder.on_ask_message)(interaction, message)


admin = app_commands.Group(name="whoswho-admin", description="whoswho's admin commands")


@admin.command(name="watch", description="Admins: answer clear questions in this channel unasked, or stop")
@app_commands.describe(state="on, off, or status")
@app_commands.choices(state=[app_commands.Choice(name=name, value=name) for name in ("on", "off", "status")])
async def admin_watch(interaction: discord.Interaction[Any], state: str = "status") -> None:
    responder = responder_of(interaction.client)
    await responder.turns.events.handler(responder.on_admin)(interaction, state)


@admin.command(name="mentors", description="Admins: the channel where Ask a mentor posts questions")
@app_commands.describe(channel="The mentor channel to set", state="show it (the default), or off: no mentor channel")
@app_commands.choices(state=[app_commands.Choice(name=name, value=name) for name in ("show", "off")])
async def admin_mentors(interaction: discord.Interaction[Any], channel: discord.TextChannel | None = None,
                        state: str = "show") -> None:
    text = f"mentors {channel.id}" if channel is not None else ("mentors off" if state == "off" else "mentors")
    responder = responder_of(interaction.client)
    await responder.turns.events.handler(responder.on_admin_setting)(interaction, text)


@admin.command(name="threads", description="Admins: answer each mention in this server in a new thread, or not")
@app_commands.describe(state="on, off, or show")
@app_commands.choices(state=[app_commands.Choice(name=name, value=name) for name in ("on", "off", "show")])
async def admin_threads(interaction: discord.Interaction[Any], state: str = "show") -> None:
    responder = responder_of(interaction.client)
    await responder.turns.events.handler(responder.on_admin_setting)(
        interaction, "threads" if state == "show" else f"threads {state}")


@admin.command(name="insights", description="Admins: a private summary of what people asked and what went "
               "unanswered")
async def admin_insights(interaction: discord.Interaction[Any]) -> None:
    responder = responder_of(interaction.client)
    await responder.turns.events.handler(responder.on_admin_insights)(interaction)


async def on_command_error(interaction: discord.Interaction[Any], error: app_commands.AppCommandError) -> None:
    """A command that failed: logged, counted, and answered with the fixed apology."""
    command = interaction.command.name if interaction.command else "?"
    _log.error("Command /%s failed (interaction %s)", command, interaction.id, exc_info=error)
    responder = responder_of(interaction.client)
    responder.turns.error("discord")
    await responder.apologize(interaction)


def command_tree(client: discord.Client) -> app_commands.CommandTree[Any]:
    """A tree with whoswho's commands on ``client``, to sync."""
    tree: app_commands.CommandTree[Any] = app_commands.CommandTree(client)
    tree.add_command(whoswho)
    tree.add_command(topics)
    tree.add_command(admin)
    tree.add_command(ask_whoswho)
    tree.error(on_command_error)
    return tree
