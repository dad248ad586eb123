"""``/whoswho-admin``, the admins' command on every platform: ``watch on``, ``watch off`` and ``watch`` (watch
mode in this channel, :mod:`adapters.watch`), ``mentors #channel``, ``mentors off`` and ``mentors`` (the
workspace's mentor channel, :mod:`adapters.mentors`), ``threads on``, ``threads off`` and ``threads`` (answer
mentions in a new thread, in this workspace) and ``insights`` (a private summary of the recorded questions,
:mod:`adapters.insights`, loaded only when asked for). Only the admins named in ``WHOSWHO_ADMINS`` may use it."""

from __future__ import annotations

import logging
from collections.abc import Callable

from adapters.watch import Watch
from adapters.workspaces import channel_id
from bot import Advisor

_log = logging.getLogger(__name__)

USAGE = ("Usage: /whoswho-admin watch on, /whoswho-admin watch off, /whoswho-admin watch (to see the state); "
         "/whoswho-admin mentors #channel, /whoswho-admin mentors off, /whoswho-admin mentors; "
         "/whoswho-admin threads on, /whoswho-admin threads off, /whoswho-admin threads; "
         "or /whoswho-admin insights (a summary of what people asked).")
NOT_ADMIN = ("Sorry, only whoswho's admins can change watch mode. Ask one of them, "
             "or have your id added to WHOSWHO_ADMINS.")
NOT_ADMIN_SETTINGS = ("Sorry, only whoswho's admins can change this workspace's settings. Ask one of them, "
                      "or have your id added to WHOSWHO_ADMINS.")
NO_WORKSPACE = "This setting belongs to a workspace or server: use the command in one of its channels."
MENTORS_SET = ("Mentor channel set to {channel}. When I can't help, people can choose Ask a mentor: their question "
               "goes to that channel as a new thread. Make sure I'm in the channel (invite me).")
MENTORS_OFF = "There's no mentor channel any more: I won't offer Ask a mentor."
MENTORS_IS = "The mentor channel is {channel}: when I can't help, people can choose Ask a mentor."
MENTORS_NONE = "There's no mentor channel. Name one with /whoswho-admin mentors #channel."
MENTORS_USAGE = "Name the channel: /whoswho-admin mentors #channel (or mentors off)."
THREADS_ON = "Threads are on: I'll answer each mention in a new thread, so long answers don't flood channels."
THREADS_OFF = "Threads are off: I'll answer mentions in the channel."
THREADS_IS_ON = "Threads are on: mentions are answered in a new thread."
THREADS_IS_OFF = "Threads are off: mentions are answered in the channel."
TURNED_ON = ("Watch mode is on in this channel: I'll answer clear questions about data roles in a thread, "
             "at most once every {minutes} minutes. Make sure I'm in the channel (invite me).")
TURNED_OFF = "Watch mode is off in this channel: I'll only answer when asked directly."
IS_ON = "Watch mode is on in this channel."
IS_OFF = "Watch mode is off in this channel."
NOT_ADMIN_INSIGHTS = ("Sorry, the insights report is for whoswho's admins only. Ask one of them, "
                      "or have your id added to WHOSWHO_ADMINS.")
NO_RECORDS = "Insights are not available here: this process has no records database configured."


def command(watch: Watch, text: str, *, platform: str, user: str, channel: str, advisor: Advisor | None = None,
            quote: Callable[[str], str] | None = None, workspace: str | None = None) -> str:
    """The answer to ``/whoswho-admin TEXT`` from ``user`` in ``channel`` of ``workspace`` (the team or server
    id; ``None`` outside any), after doing what it asks. ``insights`` reads the records (blocking: adapters call
    this in a worker thread), names likely intents with ``advisor`` and shows the questions people wrote through
    ``quote``, the platform's way of making text inert. ``mentors`` takes the channel as the platform's
    reference (``<#C123|name>``, ``<#123>``) or a bare id, and shows it back as ``<#id>``."""
    words = text.lower().split()
    if not watch.settings.is_admin(platform, user):
        _log.info("%s user %s was refused /whoswho-admin", platform, user, extra={"platform": platform})
        if words[:1] == ["insights"]:
            return NOT_ADMIN_INSIGHTS
        return NOT_ADMIN_SETTINGS if words[:1] in (["mentors"], ["threads"]) else NOT_ADMIN
    if words == ["insights"]:
        return insights(watch, platform=platform, user=user, advisor=advisor, quote=quote)
    if words[:1] == ["mentors"]:
        return mentors(watch, text.split()[1:], platform=platform, user=user, workspace=workspace)
    if words[:1] == ["threads"]:
        return threads(watch, words[1:], platform=platform, user=user, workspace=workspace)
    if not words or words[0] != "watch" or len(words) > 2:
        return USAGE
    if len(words) == 1:
        return IS_ON if watch.watched(platform, channel) else IS_OFF
    if words[1] not in ("on", "off"):
        return USAGE
    on = words[1] == "on"
    watch.channels.set(platform, channel, on)
    _log.info("Watch mode turned %s in %s channel %s by %s", words[1], platform, channel, user,
              extra={"platform": platform})
    minutes = watch.settings.cooldown_seconds / 60
    return TURNED_ON.format(minutes=f"{minutes:g}") if on else TURNED_OFF


def mentors(watch: Watch, arguments: list[str], *, platform: str, user: str, workspace: str | None) -> str:
    """``/whoswho-admin mentors [#channel | off]`` from an admin."""
    if len(arguments) > 1:
        return MENTORS_USAGE
    if workspace is None:
        return NO_WORKSPACE
    current = watch.workspaces.mentor_channel(platform, workspace)
    if not arguments:
        return MENTORS_NONE if current is None else MENTORS_IS.format(channel=f"<#{current}>")
    if arguments[0].lower() == "off":
        watch.workspaces.set_mentor_channel(platform, workspace, None)
        _log.info("Mentor channel turned off in %s workspace %s by %s", platform, workspace, user,
                  extra={"platform": platform})
        return MENTORS_OFF
    chosen = channel_id(arguments[0])
    if chosen is None:
        return MENTORS_USAGE
    watch.workspaces.set_mentor_channel(platform, workspace, chosen)
    _log.info("Mentor channel set to %s in %s workspace %s by %s", chosen, platform, workspace, user,
              extra={"platform": platform})
    return MENTORS_SET.format(channel=f"<#{chosen}>")


def threads(watch: Watch, arguments: list[str], *, platform: str, user: str, workspace: str | None) -> str:
    """``/whoswho-admin threads [on | off]`` from an admin."""
    if len(arguments) > 1 or arguments[:1] not in ([], ["on"], ["off"]):
        return USAGE
    if workspace is None:
        return NO_WORKSPACE
    if not arguments:
        return THREADS_IS_ON if watch.workspaces.threads(platform, workspace) else THREADS_IS_OFF
    on = arguments[0] == "on"
    watch.workspaces.set_threads(platform, workspace, on)
    _log.info("Threads turned %s in %s workspace %s by %s", arguments[0], platform, workspace, user,
              extra={"platform": platform})
    return THREADS_ON if on else THREADS_OFF


def insights(watch: Watch, *, platform: str, user: str, advisor: Advisor | None,
             quote: Callable[[str], str] | None) -> str:
    """``/whoswho-admin insights`` from an admin: the summary of the records, or why there is none."""
    if watch.settings.records_url is None or advisor is None:
        return NO_RECORDS
    from adapters.insights.cli import chat_summary  # the report's code loads only when asked for

    _log.info("%s admin %s asked for insights", platform, user, extra={"platform": platform})
    if quote is None:
        return chat_summary(watch.settings.records_url, advisor)
    return chat_summary(watch.settings.records_url, advisor, quote=quote)
