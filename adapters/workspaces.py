"""Per-workspace settings an admin sets with ``/whoswho-admin`` (:mod:`adapters.admin`): the mentor channel
(``mentors #channel``, :mod:`adapters.mentors`) and whether a mention is answered in a new thread
(``threads on``). A workspace is a platform's own grouping of channels (a team, a server), named by its id.
Kept in a small JSON file in the data folder written atomically, like the watched channels (``None``: in
memory only), so a restart keeps them.

>>> workspaces = WorkspaceSettings()
>>> workspaces.set_mentor_channel("chat", "W1", "C42")
>>> workspaces.mentor_channel("chat", "W1"), workspaces.threads("chat", "W1")
('C42', False)
"""

from __future__ import annotations

import json
import logging
import re
import threading
from pathlib import Path
from typing import Any

from adapters.files import write_private

_log = logging.getLogger(__name__)

STATE_FILE = "workspaces.json"
#: What a channel id looks like on every platform served (letters and digits).
_CHANNEL_ID = re.compile(r"^[A-Za-z0-9]{1,40}$")
# A channel as a slash command's text carries it: <#C123|name>, <#C123>, <#123>, or the bare id.
_CHANNEL_REFERENCE = re.compile(r"^<#(?P<id>[A-Za-z0-9]{1,40})(\|[^>]*)?>$")


def channel_id(text: str) -> str | None:
    """The channel id in a reference to one (``<#C123|mentors>``, ``<#123>``, ``C123``), or ``None``.

    >>> channel_id("<#C0MENTORS|mentors>"), channel_id("<#1234>"), channel_id("C9"), channel_id("#mentors")
    ('C0MENTORS', '1234', 'C9', None)
    """
    text = text.strip()
    found = _CHANNEL_REFERENCE.match(text)
    if found is not None:
        return found.group("id")
    return text if _CHANNEL_ID.match(text) else None


class WorkspaceSettings:
    """The settings of every workspace, per platform: ``{platform: {workspace: {"mentor_channel": id,
    "threads": bool}}}`` in the file. Only admins write them, so their number stays small."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._settings: dict[str, dict[str, dict[str, Any]]] = {}
        if path is None:
            return
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            data = {}
        except (OSError, ValueError):
            _log.exception("Could not read the workspace settings from %s; starting with none", path)
            data = {}
        if not isinstance(data, dict):
            return
        for platform, workspaces in data.items():
            if not isinstance(workspaces, dict):
                continue
            for workspace, values in workspaces.items():
                if isinstance(values, dict):
                    self._settings.setdefault(str(platform), {})[str(workspace)] = _valid(values)

    def mentor_channel(self, platform: str, workspace: str | None) -> str | None:
        """The id of the mentor channel of ``workspace`` (``None``: none set, or no workspace)."""
        if workspace is None:
            return None
        channel = self._settings.get(platform, {}).get(workspace, {}).get("mentor_channel")
        return channel if isinstance(channel, str) else None

    def threads(self, platform: str, workspace: str | None) -> bool:
        """Whether mentions in ``workspace`` are answered in a new thread (off by default, and with no workspace)."""
        if workspace is None:
            return False
        return self._settings.get(platform, {}).get(workspace, {}).get("threads") is True

    def set_mentor_channel(self, platform: str, workspace: str, channel: str | None) -> None:
        """Name ``channel`` the mentor channel of ``workspace`` (``None``: no mentor channel), and save."""
        self._set(platform, workspace, "mentor_channel", channel)

    def set_threads(self, platform: str, workspace: str, on: bool) -> None:
        """Turn answering mentions in a new thread on or off in ``workspace``, and save."""
        self._set(platform, workspace, "threads", True if on else None)

    def _set(self, platform: str, workspace: str, key: str, value: object) -> None:
        with self._lock:
            values = self._settings.setdefault(platform, {}).setdefault(workspace, {})
            if value is None:
                values.pop(key, None)
            else:
                values[key] = value
            if not values:
                del self._settings[platform][workspace]
            self._save()

    def _save(self) -> None:
        if self.path is None:
            return
        data = {platform: workspaces for platform, workspaces in self._settings.items() if workspaces}
        write_private(self.path, json.dumps(data, indent=2, sort_keys=True))


def _valid(values: dict[str, Any]) -> dict[str, Any]:
    """The known settings of one workspace as read from the file, without anything malformed."""
    kept: dict[str, Any] = {}
    channel = values.get("mentor_channel")
    if isinstance(channel, str) and _CHANNEL_ID.match(channel):
        kept["mentor_channel"] = channel
    if values.get("threads") is True:
        kept["threads"] = True
    return kept
