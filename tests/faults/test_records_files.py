"""The records' SQLite file and the data directory: a file deleted or replaced while whoswho runs is noticed,
what went with it counted and logged, and recording goes on in a new file; the directory is its owner's alone
(0700) and so is every file whoswho writes in it (0600), also in a real ``whoswho chat`` subprocess."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import sqlalchemy
from sqlalchemy import select

from adapters.records import Records, RecordsSettings
from adapters.records.schema import questions, votes
from adapters.serve.metrics import Metrics
from adapters.turn import Inbound, Turns
from adapters.watch import WatchedChannels
from bot import Advisor

ROOT = Path(__file__).resolve().parents[2]


def stored_ids(file: Path) -> list[str]:
    engine = sqlalchemy.create_engine(f"sqlite:///{file}")
    try:
        with engine.connect() as connection:
            return [row[0] for row in connection.execute(select(questions.c.id).order_by(questions.c.at))]
    finally:
        engine.dispose()


def ask(turns: Turns, count: int) -> list[str]:
    ids = []
    for _ in range(count):
        ids.append(str(uuid.uuid4()))
        turns.respond(Inbound("what does a data scientist do", who="u", where="c", platform="slack",
                              question_id=ids[-1]))
    return ids


def mode(path: Path) -> str:
    return oct(stat.S_IMODE(path.stat().st_mode))


@pytest.fixture
def recording(tmp_path: Path, fresh_advisor: Advisor):
    file = tmp_path / "data" / "whoswho.sqlite3"
    metrics = Metrics()
    records = Records(RecordsSettings(database_url=f"sqlite:///{file}", salt="s"),
                      dropped_counter=metrics.records_dropped)
    yield file, records, Turns(fresh_advisor, records=records), metrics
    records.close()


@pytest.mark.parametrize("also_removed", [(), ("-wal", "-shm")], ids=["file-only", "with-wal-and-shm"])
def test_a_deleted_records_file_is_noticed_counted_and_started_again(recording, caplog, also_removed):
    file, records, turns, metrics = recording
    before = ask(turns, 5)
    turns.feedback.vote(before[0], user="u", platform="slack", helpful=True)
    assert records.flush()
    assert stored_ids(file) == before
    file.unlink()
    for suffix in also_removed:
        file.with_name(file.name + suffix).unlink(missing_ok=True)

    after = ask(turns, 3)
    assert records.flush()

    assert stored_ids(file) == after, "the new records went to the deleted file"
    assert records.dropped == 6  # the five questions and the vote the deleted file held
    assert b"whoswho_records_dropped_total 6.0" in metrics.exposition()
    [line] = [r.getMessage() for r in caplog.records if "was deleted or replaced" in r.getMessage()]
    assert str(file) in line and "the 6 question and vote record(s) in it are lost" in line
    assert sum(1 for r in caplog.records if "record(s) dropped" in r.getMessage()) == 0, "logged once, not twice"
    assert mode(file) == "0o600"


def test_a_records_file_replaced_by_another_is_noticed(recording, caplog, tmp_path):
    file, records, turns, _ = recording
    ask(turns, 2)
    assert records.flush()
    copy = tmp_path / "copy.sqlite3"
    shutil.copy(file, copy)
    os.replace(copy, file)  # an operator restores a backup over the live file: another inode, same name
    after = ask(turns, 1)
    assert records.flush()
    assert stored_ids(file)[-1:] == after
    assert "was deleted or replaced" in caplog.text


def test_the_data_directory_and_the_files_in_it_are_private(tmp_path: Path):
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    data.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WHOSWHO_", "SLACK_", "DISCORD_"))}
    env.update(WHOSWHO_DATA_DIR=str(data), NO_COLOR="1")
    done = subprocess.run([sys.executable, "-m", "adapters.cli", "chat"], input="what does a data scientist do\n+\n"
                          "quit\n", capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert mode(data) == "0o700"
    written = sorted(p.name for p in data.iterdir())
    assert {"whoswho.sqlite3", "hash_salt"} <= set(written)
    for path in data.iterdir():
        if path.is_file():
            assert mode(path) == "0o600", f"{path.name} is {mode(path)}"
    engine = sqlalchemy.create_engine(f"sqlite:///{data / 'whoswho.sqlite3'}")
    with engine.connect() as connection:
        assert connection.execute(select(sqlalchemy.func.count()).select_from(votes)).scalar() == 1
    engine.dispose()


def test_files_from_before_are_made_private_on_start(tmp_path: Path, fresh_advisor: Advisor):
    data = tmp_path / "data"
    data.mkdir()
    file = data / "whoswho.sqlite3"
    Records(RecordsSettings(database_url=f"sqlite:///{file}", salt="s")).close()
    for path in (data, *data.iterdir()):
        path.chmod(0o755 if path.is_dir() else 0o644)
    records = Records(RecordsSettings(database_url=f"sqlite:///{file}", salt="s"))
    ask(Turns(fresh_advisor, records=records), 1)
    assert records.flush()
    assert mode(data) == "0o700"
    assert {mode(p) for p in data.iterdir()} == {"0o600"}, sorted(data.iterdir())
    records.close()


def test_watched_channels_are_written_private(tmp_path: Path):
    path = tmp_path / "data" / "watched-channels.json"
    WatchedChannels(path).set("slack", "T1:C1", True)
    assert (mode(path.parent), mode(path)) == ("0o700", "0o600")
