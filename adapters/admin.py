"""``/whoswho-admin``, the admins' command on every platform: ``watch on``, ``watch off`` and ``watch`` (watch
mode in this channel, :mod:`adapters.watch`) and ``insights`` (a private summary of the recorded questions,
:mod:`adapters.insights`, loaded only when asked for). Only the admins named in ``WHOSWHO_ADMINS`` may use it."""

from __future__ import annotations

import logging
from collections.abc import Callable

from adapters.watch import Watch
from bot import Advisor

_log = logging.getLogger(__name__)

USAGE = ("Usage: /whoswho-admin watch on, /whoswho-admin watch off, /whoswho-admin watch (to see the state), "
         "or /whoswho-admin insights (a summary of what people asked).")
NOT_ADMIN = ("Sorry, only whoswho's admins can change watch mode. Ask one of them, "
             "or have your id added to WHOSWHO_ADMINS.")
TURNED_ON = ("Watch mode is on in this channel: I'll answer clear questions about data roles in a thread, "
             "at most once every {minutes} minutes. Make sure I'm in the channel (invite me).")
TURNED_OFF = "Watch mode is off in this channel: I'll only answer when asked directly."
IS_ON = "Watch mode is on in this channel."
IS_OFF = "Watch mode is off in this channel."
NOT_ADMIN_INSIGHTS = ("Sorry, the insights report is for whoswho's admins only. Ask one of them, "
                      "or have your id added to WHOSWHO_ADMINS.")
NO_RECORDS = "Insights are not available here: this process has no records database configured."


def command(watch: Watch, text: str, *, platform: str, user: str, channel: str, advisor: Advisor | None = None,
            quote: Callable[[str], str] | None = None) -> str:
    """The answer to ``/whoswho-admin TEXT`` from ``user`` in ``channel``, after doing what it asks. ``insights``
    reads the records (blocking: adapters call this in a worker thread), names likely intents with ``advisor``
    and shows the questions people wrote through ``quote``, the platform's way of making text inert."""
    words = text.lower().split()
    if not watch.settings.is_admin(platform, user):
        _log.info("%s user %s was refused /whoswho-admin", platform, user, extra={"platform": platform})
        return NOT_ADMIN_INSIGHTS if words[:1] == ["insights"] else NOT_ADMIN
    if words == ["insights"]:
        return insights(watch, platform=platform, user=user, advisor=advisor, quote=quote)
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
