"""How recording is configured: the database, the hashing salt, whether question text is kept, and for how long."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from adapters.files import private_dir
from bot import ConfigError

DEFAULT_RETENTION_DAYS = 90
SALT_FILE = "hash_salt"


def default_database_url(data_dir: Path) -> str:
    """The embedded default: a SQLite file in the data directory (shared with Slack's installation store)."""
    return f"sqlite:///{data_dir / 'whoswho.sqlite3'}"


def database_url(raw: str | None, data_dir: Path, *, variable: str = "WHOSWHO_DATABASE_URL",
                 readme_section: str = "What whoswho stores") -> str:
    """The database URL from ``variable`` checked, or the default; raises :class:`ConfigError` naming it.

    The records, the Slack installation store and ``whoswho insights`` all read it through here."""
    if raw is None or not raw.strip():
        return default_database_url(data_dir)
    try:
        make_url(raw.strip())
    except ArgumentError:
        raise ConfigError(f"{variable}: not a database URL such as sqlite:///path/to/file.db "
                          f"or postgresql+psycopg://user@host/db (see README, section '{readme_section}')") from None
    return raw.strip()


@dataclass(frozen=True)
class RecordsSettings:
    """Where and how questions and votes are recorded."""

    database_url: str = field(repr=False)
    salt: str = field(repr=False)
    store_questions: bool = True
    retention_days: int = DEFAULT_RETENTION_DAYS

    @classmethod
    def from_env(cls, environ: Mapping[str, str], *, data_dir: Path) -> RecordsSettings:
        """Settings from ``WHOSWHO_DATABASE_URL``, ``WHOSWHO_HASH_SALT``, ``WHOSWHO_STORE_QUESTIONS`` and
        ``WHOSWHO_RETENTION_DAYS``; without a salt one is generated once into ``data_dir``."""
        store = environ.get("WHOSWHO_STORE_QUESTIONS", "1").strip().casefold()
        if store not in ("0", "1", "true", "false", "yes", "no", "on", "off", ""):
            raise ConfigError("WHOSWHO_STORE_QUESTIONS: expected 1 (keep question text, the default) or 0")
        raw_days = environ.get("WHOSWHO_RETENTION_DAYS", "").strip() or str(DEFAULT_RETENTION_DAYS)
        try:
            days = int(raw_days)
        except ValueError:
            days = 0
        if days < 1:
            raise ConfigError(f"WHOSWHO_RETENTION_DAYS: expected a whole number of days, 1 or more (got {raw_days!r})")
        salt = environ.get("WHOSWHO_HASH_SALT", "").strip() or salt_in(data_dir)
        return cls(database_url=database_url(environ.get("WHOSWHO_DATABASE_URL"), data_dir), salt=salt,
                   store_questions=store not in ("0", "false", "no", "off"), retention_days=days)


def salt_in(data_dir: Path) -> str:
    """The salt kept in ``data_dir``, generated (readable by its owner only) on first use."""
    path = data_dir / SALT_FILE
    private_dir(data_dir)
    if path.is_file():
        existing = path.read_text(encoding="utf-8").strip()
        if existing:
            return existing
    salt = secrets.token_hex(32)
    # O_EXCL: two processes starting together keep whichever salt was written first.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip() or salt
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        file.write(salt + "\n")
    return salt
