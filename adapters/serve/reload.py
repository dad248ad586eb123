"""Reloading the knowledge while serving: on SIGHUP, or when a file in a knowledge folder changes."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from adapters.turn import Turns
from bot import KnowledgeBase, KnowledgeError

_log = logging.getLogger(__name__)

Snapshot = tuple[tuple[str, int, int], ...]


def snapshot(folders: Sequence[Path]) -> Snapshot:
    """Every file under the folders with its modification time and size: what changes on an edit."""
    entries: list[tuple[str, int, int]] = []
    for folder in folders:
        for path in folder.rglob("*"):
            try:
                stat = path.stat()
            except OSError:  # removed while walking
                continue
            if path.is_file():
                entries.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(sorted(entries))


class KnowledgeReloader:
    """Loads the knowledge folders again and swaps the turns' advisor; a failure keeps the last good one.

    The new advisor keeps the old one's store and match settings, so conversations and rate limits
    carry over a reload.
    """

    def __init__(self, turns: Turns, folders: Sequence[Path], *,
                 on_loaded: Callable[[bool, int], None] | None = None) -> None:
        self.turns = turns
        self.folders = tuple(folders)
        self.on_loaded = on_loaded
        self.loaded_at = time.time()
        self.last_error: str | None = None
        self._lock = asyncio.Lock()
        # The files as they were when the knowledge being served was loaded, for the watcher to compare.
        self._seen = snapshot(self.folders)

    async def reload(self, why: str) -> bool:
        """Load the folders (in a worker thread) and serve them; whether it worked."""
        async with self._lock:
            current = self.turns.advisor
            self._seen = await asyncio.to_thread(snapshot, self.folders)
            try:
                knowledge = await asyncio.to_thread(KnowledgeBase.load, *self.folders, limits=current.limits)
                advisor = await asyncio.to_thread(current.reloaded, knowledge)
            except KnowledgeError as error:
                self.last_error = str(error)
                _log.error("Knowledge reload (%s) failed; still serving the last good knowledge (%d intents):\n%s",
                           why, len(current.knowledge), error)
                if self.on_loaded is not None:
                    self.on_loaded(False, len(current.knowledge))
                return False
            self.turns.advisor = advisor
            self.loaded_at = time.time()
            self.last_error = None
            _log.info("Knowledge reloaded (%s): %d intents", why, len(knowledge))
            if self.on_loaded is not None:
                self.on_loaded(True, len(knowledge))
            return True

    async def watch(self, *, interval: float = 1.0) -> None:
        """Poll the folders every ``interval`` seconds and reload after a change; runs until cancelled."""
        while True:
            await asyncio.sleep(interval)
            now = await asyncio.to_thread(snapshot, self.folders)
            if now != self._seen:
                self._seen = now
                await self.reload("a knowledge file changed")
