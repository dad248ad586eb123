"""Recording questions, clicks, votes and escalations off the reply path: a queue, one writer thread, batched
transactions.

A database that is down, locked or full costs the records of that moment (counted and logged), never an
answer: :meth:`Records.question` and friends only put a tuple on a queue.
"""

from __future__ import annotations

import hashlib
import logging
import os
import queue
import threading
import time
from collections import Counter as Tally
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

import sqlalchemy
from alembic import command
from alembic.config import Config
from sqlalchemy import delete, event, insert, select
from sqlalchemy.engine import Engine

from adapters.files import SQLITE_COMPANIONS, private_sqlite
from adapters.records.schema import escalations, questions, votes
from adapters.records.settings import RecordsSettings
from adapters.records.writes import WRITES
from bot.text import MAX_INPUT_CHARS

_log = logging.getLogger(__name__)

BATCH_SIZE = 500
MAX_QUEUE = 100_000
PURGE_EVERY_SECONDS = 24 * 3600.0
#: While records are being lost, one warning line at most this often, with how many.
DROP_LOG_SECONDS = 60.0
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


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite ``url``; ``None`` for an in-memory SQLite or another database."""
    parsed = database_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(str(parsed.database)).expanduser()


def make_engine(url: str) -> Engine:
    """An engine for ``url``; a SQLite file gets its private folder and file created (0700, 0600) and WAL mode
    (readers never block the writer)."""
    parsed = database_url(url)
    if parsed.get_backend_name() == "sqlite":
        file = sqlite_file(url)
        if file is not None:
            private_sqlite(file)
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
    counts the operations lost to database errors (and ``dropped_counter``, when given, is increased too);
    while they are being lost, one warning a minute at most says how many. A SQLite file deleted or replaced
    while in use is noticed before the next write: the records it held are counted as lost, and recording goes
    on in a new file.
    """

    def __init__(self, settings: RecordsSettings, *, dropped_counter: Counter | None = None,
                 batch_size: int = BATCH_SIZE, now: Callable[[], datetime] | None = None,
                 clock: Callable[[], float] = time.monotonic, start: bool = True) -> None:
        self.settings = settings
        self.engine = make_engine(settings.database_url)
        self.dropped = 0
        self.dropped_counter = dropped_counter
        self.batch_size = batch_size
        self._now = now or (lambda: datetime.now(UTC))
        self._clock = clock
        self._queue: queue.Queue[Op | None] = queue.Queue(maxsize=MAX_QUEUE)
        self._thread: threading.Thread | None = None
        self._drops_lock = threading.Lock()
        self._unlogged: Tally[str] = Tally()  # dropped records not yet in the log, by reason
        self._logged_at: float | None = None
        self._file = sqlite_file(settings.database_url)
        migrate(self.engine)
        self._identity = _identity(self._file)
        self.purge()
        self._last_purge = self._clock()
        if start:
            self.start()

    # -- what the turns call (never blocks, never raises) -----------------------------------------

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
            # What the core reads of a question, and no more (it answers the first 2,000 characters).
            "text": text[:MAX_INPUT_CHARS] if self.settings.store_questions else None, "clicked": None,
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

    def escalation(self, question_id: str, *, reason: str) -> None:
        """Record that question ``question_id`` was taken to the mentors (once: a second one is ignored)."""
        self._put(("escalation", {"question_id": question_id, "at": self._now(), "reason": reason[:32]}))

    def mentor_reply(self, question_id: str, *, mentor: str, text: str) -> None:
        """Record the first mentor's reply to escalated question ``question_id`` (its text only when questions
        are stored; later replies are ignored)."""
        self._put(("mentor_reply", {"question_id": question_id, "replied_at": self._now(),
                                    "mentor_hash": self.hash(mentor),
                                    "answer": text[:MAX_INPUT_CHARS] if self.settings.store_questions else None}))

    def _put(self, op: Op) -> None:
        try:
            self._queue.put_nowait(op)
        except queue.Full:
            self._drop(1, "the records queue is full")

    def _drop(self, count: int, why: str, *, logged: bool = False) -> None:
        """Count ``count`` lost records; the warning saying so comes at most once a minute (none when ``logged``)."""
        with self._drops_lock:
            self.dropped += count
            if self.dropped_counter is not None:
                self.dropped_counter.inc(count)
            if not logged:
                self._unlogged[why] += count
        self._log_drops()

    def _log_drops(self, *, force: bool = False) -> None:
        """One warning line for the records dropped since the last one, when a minute has passed (or ``force``)."""
        with self._drops_lock:
            now = self._clock()
            if not self._unlogged or not (force or self._logged_at is None
                                          or now - self._logged_at >= DROP_LOG_SECONDS):
                return
            total = sum(self._unlogged.values())
            why = "; ".join(f"{reason} ({count})" if len(self._unlogged) > 1 else reason
                            for reason, count in self._unlogged.most_common())
            since = "" if self._logged_at is None else f" in the last {now - self._logged_at:.0f} s"
            self._unlogged.clear()
            self._logged_at = now
        _log.warning("%d record(s) dropped%s: %s", total, since, why)

    def _next_wake(self) -> float:
        """How long the writer may wait for work: until the next drop warning is due, at most a minute."""
        with self._drops_lock:
            if not self._unlogged or self._logged_at is None:
                return 60.0
            return min(60.0, max(0.05, self._logged_at + DROP_LOG_SECONDS - self._clock()))

    # -- the writer ----------------------------------------------------------------------------------

    def start(self) -> None:
        """Start the writer thread (once)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="whoswho-records", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while True:
            try:
                first = self._queue.get(timeout=self._next_wake())
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
                    self._reopen_if_replaced()
                    self.write(real)
            except Exception as error:
                self._drop(len(real), f"the database failed ({type(error).__name__})")
                _log.debug("records write failed", exc_info=True)
            finally:
                for _ in batch if first[0] != "tick" else batch[1:]:
                    self._queue.task_done()
            self._log_drops()
            if self._clock() - self._last_purge >= PURGE_EVERY_SECONDS:
                self._last_purge = self._clock()
                try:
                    self.purge()
                except Exception:
                    _log.exception("could not purge old records")
            if stop:
                return

    def _reopen_if_replaced(self) -> None:
        """When the SQLite file was deleted or replaced since it was opened, count what went with it and start a
        new file: an open connection would otherwise go on writing into the deleted one, where nothing reads."""
        if self._file is None or _identity(self._file) == self._identity:
            return
        gone = self._count_rows()
        self.engine.dispose()  # closing the last connection also removes the old file's -wal and -shm
        if not self._file.exists():
            for suffix in SQLITE_COMPANIONS:  # left by another process: they belong to the deleted file
                self._file.with_name(self._file.name + suffix).unlink(missing_ok=True)
        self.engine = make_engine(self.settings.database_url)
        migrate(self.engine)
        self._identity = _identity(self._file)
        _log.error("The records file %s was deleted or replaced while in use: the %d question and vote record(s) "
                   "in it are lost (counted as dropped); recording goes on in the file now at that path",
                   self._file, gone)
        self._drop(gone, "the records file was deleted", logged=True)

    def _count_rows(self) -> int:
        """The questions and votes in the file the engine's pooled connections still have open (0 when none is)."""
        pool: Any = self.engine.pool
        if not callable(getattr(pool, "checkedin", None)) or pool.checkedin() == 0:
            return 0  # a new connection would open (and create) a file at the path instead
        try:
            with self.engine.connect() as connection:
                return sum(int(connection.execute(select(sqlalchemy.func.count()).select_from(table)).scalar() or 0)
                           for table in (questions, votes, escalations))
        except Exception:
            _log.debug("could not count the records of the replaced file", exc_info=True)
            return 0

    def write(self, batch: Sequence[Op]) -> None:
        """Apply ``batch`` in one transaction: all of it, or none of it."""
        with self.engine.begin() as connection:
            for kind, values in batch:
                if kind == "question":
                    connection.execute(insert(questions), values)
                else:
                    WRITES[kind](connection, values)

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
        self._log_drops(force=True)
        self.engine.dispose()

    def purge(self) -> int:
        """Delete questions (and their votes) older than the retention period; how many questions went."""
        cutoff = self._now() - timedelta(days=self.settings.retention_days)
        with self.engine.begin() as connection:
            old = select(questions.c.id).where(questions.c.at < cutoff)
            connection.execute(delete(votes).where(votes.c.question_id.in_(old)))
            connection.execute(delete(escalations).where(escalations.c.question_id.in_(old)))
            removed = connection.execute(delete(questions).where(questions.c.at < cutoff)).rowcount
        if removed:
            _log.info("purged %d question record(s) older than %d days", removed, self.settings.retention_days)
        return int(removed or 0)


def _identity(file: Path | None) -> tuple[int, int] | None:
    """What tells one file from another that took its name: its device and inode (``None`` when it is gone)."""
    if file is None:
        return None
    try:
        found = os.stat(file)
    except OSError:
        return None
    return found.st_dev, found.st_ino


def open_records(settings: RecordsSettings, *, dropped_counter: Counter | None = None) -> Records | None:
    """The records store, or ``None`` (logged) when its database cannot be reached or migrated at start:
    the bot answers all the same, unrecorded."""
    try:
        return Records(settings, dropped_counter=dropped_counter)
    except Exception as error:
        _log.error("Recording is off: the records database could not be opened (%s); whoswho answers all the "
                   "same (see README, section 'What whoswho stores')", type(error).__name__)
        return None
