"""Recording questions, clicks and votes off the reply path: a queue, one writer thread, batched transactions.

A database that is down, locked or full costs the records of that moment (counted and logged), never an
answer: :meth:`Records.question` and friends only put a tuple on a queue.
"""

from __future__ import annotations

import hashlib
import logging
import queue
import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

import sqlalchemy
from alembic import command
from alembic.config import Config
from sqlalchemy import and_, case, delete, event, insert, select, update
from sqlalchemy.engine import Connection, Engine

from adapters.records.schema import questions, votes
from adapters.records.settings import RecordsSettings

_log = logging.getLogger(__name__)

BATCH_SIZE = 500
MAX_QUEUE = 100_000
PURGE_EVERY_SECONDS = 24 * 3600.0
#: Alembic's bookkeeping table, under our own name: the same database may hold other apps' Alembic tables.
VERSION_TABLE = "whoswho_alembic_version"


class Counter(Protocol):
    """A Prometheus-style counter (``prometheus_client.Counter``)."""

    def inc(self, amount: float = 1) -> None: ...


def database_url(url: str) -> sqlalchemy.engine.URL:
    """``url`` parsed; a plain ``postgresql://`` uses psycopg 3, the driver whoswho installs."""
    parsed = sqlalchemy.engine.make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def make_engine(url: str) -> Engine:
    """An engine for ``url``; a SQLite file gets its folder created and WAL mode (readers never block the writer)."""
    parsed = database_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database not in (None, "", ":memory:"):
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = sqlalchemy.create_engine(parsed, connect_args={"timeout": 5})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    if parsed.drivername == "postgresql+psycopg":
        # A database host that drops packets must not hold up the start (or the writer) for minutes.
        return sqlalchemy.create_engine(parsed, pool_pre_ping=True, connect_args={"connect_timeout": 5})
    return sqlalchemy.create_engine(parsed, pool_pre_ping=True)


def migrate(engine: Engine) -> None:
    """Bring the records tables up to the newest migration (Alembic, from the migrations in this package)."""
    config = Config()
    config.set_main_option("script_location", str(resources.files("adapters.records").joinpath("migrations")))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def digest(salt: str, value: str) -> str:
    """The salted SHA-256 of an id, as stored instead of the id."""
    return hashlib.sha256(f"{salt}\x00{value}".encode()).hexdigest()


Op = tuple[str, dict[str, Any]]


class Records:
    """The recorder of questions and votes on one database.

    Migrations run and old records are purged when it is built; a daemon thread then writes whatever is
    queued, up to ``batch_size`` operations per transaction, and purges again every day. ``dropped``
    counts the operations lost to database errors (and ``dropped_counter``, when given, is increased too).
    """

    def __init__(self, settings: RecordsSettings, *, dropped_counter: Counter | None = None,
                 batch_size: int = BATCH_SIZE, now: Callable[[], datetime] | None = None,
                 start: bool = True) -> None:
        self.settings = settings
        self.engine = make_engine(settings.database_url)
        self.dropped = 0
        self.dropped_counter = dropped_counter
        self.batch_size = batch_size
        self._now = now or (lambda: datetime.now(UTC))
        self._queue: queue.Queue[Op | None] = queue.Queue(maxsize=MAX_QUEUE)
        self._thread: threading.Thread | None = None
        migrate(self.engine)
        self.purge()
        self._last_purge = time.monotonic()
        if start:
            self.start()

    # -- what the asker calls (never blocks, never raises) -----------------------------------------

    def hash(self, value: str) -> str:
        """``value`` as stored: salted and hashed."""
        return digest(self.settings.salt, value)

    def question(self, *, question_id: str, platform: str, user: str, channel: str, outcome: str,
                 intent: str | None, confidence: float, runner_up: Sequence[str], text: str) -> None:
        """Record one question and the bot's reply to it."""
        self._put(("question", {
            "id": question_id, "at": self._now(), "platform": platform, "user_hash": self.hash(user),
            "channel_hash": self.hash(channel), "outcome": outcome, "intent": intent,
            "confidence": float(confidence), "runner_up": list(runner_up),
            "text": text if self.settings.store_questions else None, "clicked": None,
            "picked_after_clarify": False,
        }))

    def click(self, question_id: str, intent: str) -> None:
        """Record that the suggestion for ``intent`` under question ``question_id`` was clicked (the first click
        counts); a click under a clarification labels the question as a phrasing of that intent."""
        self._put(("click", {"id": question_id, "intent": intent}))

    def vote(self, question_id: str, *, user: str, helpful: bool) -> None:
        """Record a Helpful / Not helpful vote; the same person's next vote on that question replaces it."""
        self._put(("vote", {"question_id": question_id, "user_hash": self.hash(user), "helpful": helpful,
                            "at": self._now()}))

    def _put(self, op: Op) -> None:
        try:
            self._queue.put_nowait(op)
        except queue.Full:
            self._drop(1, "the records queue is full")

    def _drop(self, count: int, why: str) -> None:
        self.dropped += count
        if self.dropped_counter is not None:
            self.dropped_counter.inc(count)
        _log.warning("%d record(s) dropped: %s", count, why)

    # -- the writer ----------------------------------------------------------------------------------

    def start(self) -> None:
        """Start the writer thread (once)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="whoswho-records", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while True:
            try:
                first = self._queue.get(timeout=60.0)
            except queue.Empty:
                first = ("tick", {})
            if first is None:
                self._queue.task_done()
                return
            batch = [first]
            stop = False
            while len(batch) < self.batch_size:
                try:
                    op = self._queue.get_nowait()
                except queue.Empty:
                    break
                if op is None:
                    stop = True
                    self._queue.task_done()
                    break
                batch.append(op)
            real = [op for op in batch if op[0] != "tick"]
            try:
                if real:
                    self.write(real)
            except Exception as error:
                self._drop(len(real), f"the database failed ({type(error).__name__})")
                _log.debug("records write failed", exc_info=True)
            finally:
                for _ in batch if first[0] != "tick" else batch[1:]:
                    self._queue.task_done()
            if time.monotonic() - self._last_purge >= PURGE_EVERY_SECONDS:
                self._last_purge = time.monotonic()
                try:
                    self.purge()
                except Exception:
                    _log.exception("could not purge old records")
            if stop:
                return

    def write(self, batch: Sequence[Op]) -> None:
        """Apply ``batch`` in one transaction: all of it, or none of it."""
        with self.engine.begin() as connection:
            for kind, values in batch:
                if kind == "question":
                    connection.execute(insert(questions), values)
                elif kind == "click":
                    _click(connection, values)
                elif kind == "vote":
                    _vote(connection, values)

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait up to ``timeout`` seconds for everything queued so far to be written (or dropped)."""
        done = threading.Event()

        def wait() -> None:
            self._queue.join()
            done.set()

        threading.Thread(target=wait, daemon=True).start()
        return done.wait(timeout)

    def close(self, timeout: float = 10.0) -> None:
        """Write what is queued, stop the writer and release the database."""
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout)
            self._thread = None
        self.engine.dispose()

    def purge(self) -> int:
        """Delete questions (and their votes) older than the retention period; how many questions went."""
        cutoff = self._now() - timedelta(days=self.settings.retention_days)
        with self.engine.begin() as connection:
            old = select(questions.c.id).where(questions.c.at < cutoff)
            connection.execute(delete(votes).where(votes.c.question_id.in_(old)))
            removed = connection.execute(delete(questions).where(questions.c.at < cutoff)).rowcount
        if removed:
            _log.info("purged %d question record(s) older than %d days", removed, self.settings.retention_days)
        return int(removed or 0)


def _click(connection: Connection, values: dict[str, Any]) -> None:
    connection.execute(
        update(questions)
        .where(and_(questions.c.id == values["id"], questions.c.clicked.is_(None)))
        .values(clicked=values["intent"], picked_after_clarify=case((questions.c.outcome == "clarify", True),
                                                                     else_=False))
    )


def _vote(connection: Connection, values: dict[str, Any]) -> None:
    # Delete then insert in the batch's transaction: an upsert every database speaks the same way.
    if connection.execute(select(questions.c.id).where(questions.c.id == values["question_id"])).first() is None:
        return  # a vote on a question already purged (or never recorded): nothing to attach it to
    connection.execute(delete(votes).where(and_(votes.c.question_id == values["question_id"],
                                                votes.c.user_hash == values["user_hash"])))
    connection.execute(insert(votes), values)


def open_records(settings: RecordsSettings, *, dropped_counter: Counter | None = None) -> Records | None:
    """The records store, or ``None`` (logged) when its database cannot be reached or migrated at start:
    the bot answers all the same, unrecorded."""
    try:
        return Records(settings, dropped_counter=dropped_counter)
    except Exception as error:
        _log.error("Recording is off: the records database could not be opened (%s); whoswho answers all the "
                   "same (see README, section 'What whoswho stores')", type(error).__name__)
        return None
