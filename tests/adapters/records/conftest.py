"""Records databases: a SQLite file per test, and a real PostgreSQL server (Debian's package) started once
with initdb and pg_ctl on a free 127.0.0.1 port, as a non-root user, with a fresh database per test."""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from adapters.records import Records, RecordsSettings

SALT = "test-salt"
_databases = itertools.count(1)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def postgres_tool(name: str) -> str | None:
    """A PostgreSQL server tool: on PATH, or where Debian puts it (/usr/lib/postgresql/<version>/bin)."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


class PostgresServer:
    """A throwaway cluster: trust authentication, listening on 127.0.0.1 only."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.data = folder / "data"
        self.initdb = postgres_tool("initdb") or ""
        self.pg_ctl = postgres_tool("pg_ctl") or ""
        # PostgreSQL refuses to run as root: run it as nobody when we are root.
        self.prefix = ["runuser", "-u", "nobody", "--"] if os.geteuid() == 0 else []

    def _run(self, *args: str) -> None:
        done = subprocess.run([*self.prefix, *args], capture_output=True, text=True, timeout=60, cwd=self.folder)
        assert done.returncode == 0, f"{args[0]} failed: {done.stderr or done.stdout}"

    def start(self) -> None:
        if self.prefix:
            nobody = pwd.getpwnam("nobody")
            os.chown(self.folder, nobody.pw_uid, nobody.pw_gid)
        self._run(self.initdb, "-D", str(self.data), "-U", "whoswho", "-A", "trust", "-E", "UTF8",
                  "--no-sync")
        self._run(self.pg_ctl, "-D", str(self.data), "-l", str(self.folder / "log"), "-w", "-t", "30",
                  "-o", f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off", "start")

    def stop(self) -> None:
        self._run(self.pg_ctl, "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://whoswho@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        import psycopg

        name = f"records_{next(_databases)}"
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=whoswho dbname=postgres",
                             autocommit=True) as connection:
            connection.execute(f"CREATE DATABASE {name}")
        return self.url(name)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer | None]:
    """The session's PostgreSQL server, or ``None`` when it is not installed (the test asks require_tool)."""
    if postgres_tool("initdb") is None or postgres_tool("pg_ctl") is None:
        yield None
        return
    # Not under pytest's temporary folder: that is private to root, and the server may run as nobody.
    folder = Path(tempfile.mkdtemp(prefix="whoswho-postgres-"))
    server = PostgresServer(folder)
    try:
        server.start()
        yield server
        server.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path,
                 require_tool: Callable[[str, str], str]) -> str:
    """A fresh, empty database: a SQLite file, or a new database on the PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'whoswho.sqlite3'}"
    server: PostgresServer | None = request.getfixturevalue("postgres_server")
    if server is None:
        require_tool("initdb", "the PostgreSQL records tests (Debian: apt-get install postgresql)")
    assert server is not None
    return server.new_database()


@pytest.fixture
def open_records(database_url: str) -> Iterator[Callable[..., Records]]:
    """``open_records(store_questions=False, ...)``: a records store on the test's database, closed afterwards."""
    opened: list[Records] = []

    def make(**options: object) -> Records:
        settings = RecordsSettings(database_url=database_url, salt=SALT,
                                   store_questions=bool(options.pop("store_questions", True)),
                                   retention_days=int(options.pop("retention_days", 90)))  # type: ignore[call-overload]
        records = Records(settings, **options)  # type: ignore[arg-type]
        opened.append(records)
        return records

    yield make
    for records in opened:
        records.close()
