"""A real PostgreSQL server stopped under the recorder: every lost record is counted, the log gets at most one
warning line a minute saying how many, and recording resumes when the server is back."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy
from sqlalchemy import select

from adapters.records import Records, RecordsSettings
from adapters.records.schema import questions
from adapters.records.store import DROP_LOG_SECONDS
from adapters.serve.metrics import Metrics
from adapters.turn import Inbound, Turns
from bot import Advisor
from tests.adapters.records.conftest import PostgresServer, postgres_tool


class Server(PostgresServer):
    """A server of the test's own, which it stops and starts again."""

    def restart(self) -> None:
        self._run(self.pg_ctl, "-D", str(self.data), "-l", str(self.folder / "log"), "-w", "-t", "30",
                  "-o", f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off", "start")


@pytest.fixture
def server(require_tool: Callable[[str, str], str]) -> Iterator[Server]:
    if postgres_tool("initdb") is None:
        require_tool("initdb", "the PostgreSQL outage test (Debian: apt-get install postgresql)")
    folder = Path(tempfile.mkdtemp(prefix="whoswho-outage-"))
    running = Server(folder)
    running.start()
    try:
        yield running
    finally:
        with contextlib.suppress(AssertionError):  # already stopped by the test
            running.stop()
        shutil.rmtree(folder, ignore_errors=True)


def warnings_about_drops(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if "record(s) dropped" in r.getMessage()]


def test_while_postgresql_is_down_one_warning_a_minute_counts_the_lost_records(server, fresh_advisor: Advisor,
                                                                               clock, caplog):
    url = server.new_database()
    metrics = Metrics()
    records = Records(RecordsSettings(database_url=url, salt="s"), dropped_counter=metrics.records_dropped,
                      clock=clock)
    turns = Turns(fresh_advisor, records=records)

    def ask(count: int) -> None:
        for _ in range(count):
            reply = turns.respond(Inbound("what does an ML engineer do", who="u", where="c", platform="discord",
                                          question_id=str(uuid.uuid4())))
            assert reply.intent == "role.ml-engineer", "answers never wait for the database"
            assert records.flush(), "the writer keeps up, dropping what it cannot write"

    try:
        ask(1)
        server.stop()
        ask(40)
        assert records.dropped == 40
        assert len(warnings_about_drops(caplog)) == 1, warnings_about_drops(caplog)

        clock.advance(DROP_LOG_SECONDS / 2)
        ask(20)
        assert len(warnings_about_drops(caplog)) == 1, "at most one line a minute"

        clock.advance(DROP_LOG_SECONDS / 2)
        ask(1)
        first, second = warnings_about_drops(caplog)
        assert first.startswith("1 record(s) dropped: the database failed")
        assert second.startswith("60 record(s) dropped in the last 60 s: the database failed")
        assert records.dropped == 61
        assert b"whoswho_records_dropped_total 61.0" in metrics.exposition()

        server.restart()
        ask(2)
        assert records.dropped == 61
    finally:
        records.close()
    engine = sqlalchemy.create_engine(url)
    with engine.connect() as connection:
        assert len(connection.execute(select(questions.c.id)).all()) == 3  # before the outage, and after it
    engine.dispose()
