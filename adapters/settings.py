"""Settings every entry point shares, read once from the environment at the edge."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from bot import Advisor, ConfigError

README_KNOWLEDGE = "see README, section 'Your own knowledge'"


@dataclass(frozen=True)
class CoreSettings:
    """Where extra knowledge comes from and where state is kept."""

    knowledge_dirs: tuple[Path, ...]
    data_dir: Path

    @classmethod
    def from_env(cls, environ: Mapping[str, str], *, knowledge: Sequence[str] = ()) -> CoreSettings:
        """Settings from ``WHOSWHO_KNOWLEDGE`` and ``WHOSWHO_DATA_DIR``, plus ``--knowledge`` folders."""
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
        return cls(knowledge_dirs=tuple(dirs), data_dir=data_dir)

    def load_advisor(self) -> Advisor:
        """The advisor over the built-in knowledge and any extra folders."""
        return Advisor.load(*self.knowledge_dirs, with_builtin=True)
