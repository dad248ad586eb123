"""Settings every entry point shares, read once from the environment at the edge."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import platformdirs

from adapters import platforms
from adapters.stores import make_store
from bot import Advisor, ConfigError, ContextStore, MatchSettings

README_KNOWLEDGE = "see README, section 'Your own knowledge'"
REDIS_SCHEMES = ("redis", "rediss", "unix")


@dataclass(frozen=True)
class CoreSettings:
    """Where extra knowledge comes from and where state is kept."""

    knowledge_dirs: tuple[Path, ...]
    data_dir: Path
    #: Redis for conversation context and rate-limit counters shared by replicas; in memory when ``None``.
    redis_url: str | None = None
    #: Whether to run the sentence-embedding model (``WHOSWHO_SEMANTIC=0`` turns it off, for lean replicas).
    semantic: bool = True

    @property
    def cache_dir(self) -> Path:
        """Where what is learned from the knowledge (phrasing embeddings, the decision) is kept across starts."""
        return self.data_dir / "cache"

    @classmethod
    def from_env(cls, environ: Mapping[str, str], *, knowledge: Sequence[str] = ()) -> CoreSettings:
        """Settings from ``WHOSWHO_KNOWLEDGE``, ``WHOSWHO_DATA_DIR`` and ``WHOSWHO_REDIS_URL``, plus ``--knowledge``
        folders."""
        dirs: list[Path] = []
        raw = environ.get("WHOSWHO_KNOWLEDGE", "")
        for entry in raw.split(os.pathsep):
            if entry.strip():
                path = Path(entry.strip()).expanduser()
                if not path.is_dir():
                    raise ConfigError(f"WHOSWHO_KNOWLEDGE: {entry.strip()!r} is not a folder ({README_KNOWLEDGE})")
                dirs.append(path)
        for entry in knowledge:
            path = Path(entry).expanduser()
            if not path.is_dir():
                raise ConfigError(f"--knowledge: {entry!r} is not a folder ({README_KNOWLEDGE})")
            dirs.append(path)
        data = environ.get("WHOSWHO_DATA_DIR", "").strip()
        data_dir = Path(data).expanduser() if data else Path(platformdirs.user_data_dir("whoswho", appauthor=False))
        redis_url = environ.get("WHOSWHO_REDIS_URL", "").strip() or None
        if redis_url is not None and urlsplit(redis_url).scheme not in REDIS_SCHEMES:
            raise ConfigError(
                "WHOSWHO_REDIS_URL: expected a redis://HOST:PORT/DB, rediss:// or unix:// URL "
                "(see README, section 'Operating whoswho')"
            )
        semantic = environ.get("WHOSWHO_SEMANTIC", "1").strip().casefold()
        if semantic not in ("0", "1", "on", "off", "true", "false", "yes", "no", ""):
            raise ConfigError("WHOSWHO_SEMANTIC: expected 1 (on) or 0 (off)")
        return cls(knowledge_dirs=tuple(dirs), data_dir=data_dir, redis_url=redis_url,
                   semantic=semantic not in ("0", "off", "false", "no"))

    def make_store(self) -> ContextStore:
        """The conversations' store: in Redis when ``redis_url`` is set, else in memory."""
        return make_store(self.redis_url)

    def load_advisor(self, store: ContextStore | None = None) -> Advisor:
        """The advisor over the built-in knowledge and any extra folders, remembering conversations in
        ``store`` (by default a new :meth:`make_store`)."""
        return Advisor.load(*self.knowledge_dirs, with_builtin=True, memory=store or self.make_store(),
                            settings=MatchSettings(semantic=self.semantic), cache_dir=self.cache_dir,
                            limits=platforms.knowledge_limits())
