"""Watch mode, the channel helper: in a channel an admin turned it on, the bot answers new top-level
messages that are clearly questions it knows the answer to, in a thread, at most once per thread and
once per cooldown per channel. Off by default. Which messages to answer is decided here, for every
platform; the adapters only feed messages in and post what comes out. Admins turn it on and off with
``/whoswho-admin`` (:mod:`adapters.admin`)."""

from __future__ import annotations

import json
import logging
import re
import threading
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from adapters import platforms
from adapters.files import write_private
from adapters.records.settings import database_url
from adapters.turn import Inbound, Turns
from adapters.workspaces import STATE_FILE as WORKSPACES_FILE
from adapters.workspaces import WorkspaceSettings
from bot import ConfigError, Reply, ReplyKind

_log = logging.getLogger(__name__)

README_WATCH = "see README, section 'Channel helper'"
STATE_FILE = "watched-channels.json"
DEFAULT_THRESHOLD = 0.85
DEFAULT_COOLDOWN_MINUTES = 10.0
#: Intents never offered unasked: greetings, thanks and help are chat, and a fit check is one person's own.
SILENT_INTENT_PREFIXES = ("meta.", "fit.", "path.")
#: How long a thread stays answered (the store forgets it afterwards; a thread that old is quiet).
THREAD_MEMORY_SECONDS = 7 * 24 * 3600.0

NOTE = "Automatic suggestion: this channel's helper answered because it looked like a question it covers."
_QUESTION_WORDS = frozenset(
    "what whats what's how who whom whose which why when where is are was were do does did can could should "
    "would will any anyone anybody difference".split()
)
_MARKUP = re.compile(r"<[^>]*>")  # Slack's <@U123>, <#C123|name>, <https://...>, Discord's <@123>
_WORD = re.compile(r"[a-z']+")


def looks_like_question(text: str) -> bool:
    """Whether a message reads as a question: it ends with a question mark, or starts with a question
    word and has a few words (``"what does an MLE do at Quora"``); ``"data scientist"`` and chatter do not."""
    plain = _MARKUP.sub(" ", text).strip().lower()
    words = _WORD.findall(plain)
    if len(words) < 3:
        return False
    return plain.rstrip().endswith("?") or words[0] in _QUESTION_WORDS


def _problem(variable: str, what: str) -> ConfigError:
    return ConfigError(f"{variable}: {what} ({README_WATCH})")


@dataclass(frozen=True)
class WatchSettings:
    """Who may turn watch mode on, how sure an answer must be, and how long a channel rests between answers."""

    #: ``platform:user id`` entries, e.g. ``slack:U123`` and ``discord:456``.
    admins: frozenset[str] = frozenset()
    #: The least confidence an unasked answer needs (the matcher's ``certain`` level by default).
    threshold: float = DEFAULT_THRESHOLD
    #: Seconds a channel stays quiet after an answer.
    cooldown_seconds: float = DEFAULT_COOLDOWN_MINUTES * 60
    #: The recorded questions' database, for ``/whoswho-admin insights`` (``None``: not available).
    records_url: str | None = None

    def configured(self, platform: str) -> bool:
        """Whether an admin is named for ``platform`` (Discord then requests the Message Content intent)."""
        return any(admin.startswith(f"{platform}:") for admin in self.admins)

    def is_admin(self, platform: str, user: str) -> bool:
        """Whether ``user`` (an id on ``platform``) is an admin."""
        return f"{platform}:{user}" in self.admins

    @classmethod
    def from_env(cls, environ: Mapping[str, str], *, data_dir: Path | None = None) -> WatchSettings:
        """Settings from ``WHOSWHO_ADMINS``, ``WHOSWHO_WATCH_THRESHOLD`` and ``WHOSWHO_WATCH_COOLDOWN``; with
        ``data_dir``, the records' database too (``WHOSWHO_DATABASE_URL``, else the file in ``data_dir``)."""
        admins: set[str] = set()
        for entry in environ.get("WHOSWHO_ADMINS", "").split(","):
            entry = entry.strip()
            if not entry:
                continue
            platform, _, user = entry.partition(":")
            platform, user = platform.strip().lower(), user.strip()
            if platform not in platforms.names() or not user or any(c.isspace() or c == ":" for c in user):
                raise _problem("WHOSWHO_ADMINS", f"{entry!r} is not platform:user-id, e.g. "
                               f"{platforms.admin_examples()}")
            problem = platforms.spec(platform).user_id_problem(user)
            if problem is not None:
                raise _problem("WHOSWHO_ADMINS", f"{entry!r}: {problem}")
            admins.add(f"{platform}:{user}")
        raw = environ.get("WHOSWHO_WATCH_THRESHOLD", "").strip()
        try:
            threshold = float(raw) if raw else DEFAULT_THRESHOLD
        except ValueError:
            threshold = -1.0
        if not 0.0 < threshold <= 1.0:
            raise _problem("WHOSWHO_WATCH_THRESHOLD", f"{raw!r} is not a confidence above 0 and at most 1, e.g. 0.85")
        raw = environ.get("WHOSWHO_WATCH_COOLDOWN", "").strip()
        try:
            minutes = float(raw) if raw else DEFAULT_COOLDOWN_MINUTES
        except ValueError:
            minutes = -1.0
        if minutes < 0 or minutes != minutes:
            raise _problem("WHOSWHO_WATCH_COOLDOWN", f"{raw!r} is not a number of minutes (0: no cooldown)")
        records_url = None if data_dir is None else database_url(environ.get("WHOSWHO_DATABASE_URL"), data_dir,
                                                                 readme_section="Insights")
        return cls(admins=frozenset(admins), threshold=threshold, cooldown_seconds=minutes * 60,
                   records_url=records_url)


class WatchedChannels:
    """The channels watch mode is on in, per platform, kept in a small JSON file written atomically
    (``None``: in memory only), so a restart keeps them."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._channels: dict[str, set[str]] = {platform: set() for platform in platforms.names()}
        if path is not None:
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except FileNotFoundError:
                data = {}
            except (OSError, ValueError):
                _log.exception("Could not read the watched channels from %s; starting with none", path)
                data = {}
            if isinstance(data, dict):
                for platform, channels in data.items():
                    if isinstance(channels, list):
                        self._channels.setdefault(str(platform), set()).update(str(c) for c in channels)

    def channels(self, platform: str) -> list[str]:
        """The watched channels on ``platform``, sorted."""
        return sorted(self._channels.get(platform, ()))

    def __contains__(self, key: tuple[str, str]) -> bool:
        platform, channel = key
        return channel in self._channels.get(platform, ())

    def set(self, platform: str, channel: str, on: bool) -> None:
        """Turn watch mode on or off in a channel, and save."""
        with self._lock:
            channels = self._channels.setdefault(platform, set())
            if on:
                channels.add(channel)
            else:
                channels.discard(channel)
            self._save()

    def _save(self) -> None:
        if self.path is None:
            return
        data = {platform: sorted(channels) for platform, channels in self._channels.items() if channels}
        write_private(self.path, json.dumps(data, indent=2, sort_keys=True))


class Watch:
    """Watch mode for every platform of a process: its settings, the watched channels, and the decision
    whether to answer a message unasked; beside them, the per-workspace settings the same admins set
    (``workspaces``: the mentor channel, answering in threads), kept in ``workspaces.json`` next to the watched
    channels' file (in memory when those are)."""

    def __init__(self, settings: WatchSettings | None = None, channels: WatchedChannels | None = None,
                 workspaces: WorkspaceSettings | None = None) -> None:
        self.settings = settings or WatchSettings()
        self.channels = channels or WatchedChannels()
        if workspaces is None:
            path = self.channels.path
            workspaces = WorkspaceSettings(None if path is None else path.with_name(WORKSPACES_FILE))
        self.workspaces = workspaces

    @classmethod
    def from_env(cls, environ: Mapping[str, str], *, data_dir: Path) -> Watch:
        """Settings from the environment; the watched channels from ``DATA_DIR/watched-channels.json``, the
        workspaces' settings from ``DATA_DIR/workspaces.json``."""
        return cls(WatchSettings.from_env(environ, data_dir=data_dir), WatchedChannels(data_dir / STATE_FILE),
                   WorkspaceSettings(data_dir / WORKSPACES_FILE))

    def watched(self, platform: str, channel: str) -> bool:
        """Whether watch mode is on in ``channel``."""
        return (platform, channel) in self.channels

    def suggest(self, turns: Turns, inbound: Inbound, *, channel: str, thread: str) -> tuple[Reply, str] | None:
        """The answer to post in ``thread`` (a new top-level message's own thread) for ``inbound``, with the
        question id its feedback buttons carry, or ``None`` to stay silent: when the channel is not watched,
        the text is no clear question, the answer is not certain enough (or is chat like thanks or help), the
        thread was answered, or the channel answered less than the cooldown ago. Counters live in the
        advisor's store, so replicas share them. Only the questions answered are recorded: the channel's
        other messages were not addressed to the bot."""
        platform = inbound.platform
        if not self.watched(platform, channel) or not looks_like_question(inbound.question):
            return None
        inbound = replace(inbound, where=f"{platform}:watch:{channel}:{thread}", question_id=None)
        reply = turns.respond(inbound)
        if not isinstance(reply, Reply) or reply.kind is not ReplyKind.ANSWER or reply.intent is None:
            return None
        if reply.confidence < self.settings.threshold or reply.intent.startswith(SILENT_INTENT_PREFIXES):
            return None
        advisor = turns.advisor
        if advisor.count(f"watch:thread:{platform}:{channel}:{thread}", window_seconds=THREAD_MEMORY_SECONDS) > 1:
            return None  # answered already (Slack retries an event it thinks was lost)
        if self.settings.cooldown_seconds > 0 and advisor.count(
                f"watch:channel:{platform}:{channel}", window_seconds=self.settings.cooldown_seconds) > 1:
            _log.info("Watch mode: %s channel %s is cooling down; not answering", platform, channel,
                      extra={"platform": platform})
            return None
        question_id = str(uuid.uuid4())
        turns.feedback.question(replace(inbound, question_id=question_id), reply)
        return reply, question_id
