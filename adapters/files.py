"""whoswho's data directory and the files in it are its owner's alone: the directory 0700, each file 0600.

What it keeps there (the records database, the hashing salt, the watched channels, Discord's command hash)
says who asked what; nobody else on the machine has a reason to read it."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

_log = logging.getLogger(__name__)

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
#: The files SQLite keeps beside a database; it creates them with the database file's own permissions.
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def _restrict(path: Path, mode: int) -> None:
    try:
        if stat.S_IMODE(path.stat().st_mode) != mode:
            os.chmod(path, mode)
    except FileNotFoundError:
        pass
    except PermissionError:  # someone else's folder or file: whoswho can use it, not change it
        _log.warning("Could not make %s private (mode %o): it belongs to another user", path, mode)


def private_dir(path: Path) -> Path:
    """``path`` as a folder readable by its owner only (0700), created with its parents if need be."""
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    _restrict(path, PRIVATE_DIR)
    return path


def private_file(path: Path) -> Path:
    """``path`` as a file readable by its owner only (0600), created empty if it does not exist, in a private
    folder."""
    private_dir(path.parent)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE))
    _restrict(path, PRIVATE_FILE)
    return path


def private_sqlite(path: Path) -> Path:
    """A SQLite database file and its companions (``-wal``, ``-shm``) readable by their owner only; an empty
    file is a valid empty database, so creating it first gives SQLite the permissions to copy."""
    private_file(path)
    for suffix in SQLITE_COMPANIONS:
        _restrict(path.with_name(path.name + suffix), PRIVATE_FILE)
    return path


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically (a scratch file, then a rename), readable by its owner only."""
    private_dir(path.parent)
    scratch = path.with_name(path.name + ".tmp")
    descriptor = os.open(scratch, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    if hasattr(os, "fchmod"):
        os.fchmod(descriptor, PRIVATE_FILE)  # a scratch file left over from before keeps its old mode otherwise
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text)
    os.replace(scratch, path)
