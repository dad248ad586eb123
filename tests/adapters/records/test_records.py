"""Recording questions, clicks and votes, on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy
from sqlalchemy import func, select

from adapters.records import Records, RecordsSettings, digest, migrate
from adapters.records.schema import questions, votes
from adapters.records.settings import salt_in
from adapters.records.store import VERSION_TABLE, make_engine
from adapters.turn import Inbound, Turns

ROOT = Path(__file__).resolve().parents[3]


def rows(records, table):
    assert records.flush(), "the writer did not catch up"
    with records.engine.connect() as connection:
        return [row._asdict() for row in connection.execute(select(table))]


def new_id() -> str:
    return str(uuid.uuid4())


def test_migrations_create_the_tables_beside_slacks_installation_store(database_url):
    from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore

    engine = make_engine(database_url)
    SQLAlchemyInstallationStore(client_id="C1", engine=engine).create_tables()
    migrate(engine)
    migrate(engine)  # applied on every start: the second time there is nothing to do
    names = set(sqlalchemy.inspect(engine).get_table_names())
    assert {"questions", "votes", "escalations", VERSION_TABLE, "slack_installations", "slack_bots"} <= names
    with engine.connect() as connection:
        assert connection.execute(sqlalchemy.text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar() == "0002"
    engine.dispose()


def test_a_question_is_recorded_with_hashed_ids_only(open_records, fresh_advisor):
    records = open_records()
    turns = Turns(fresh_advisor, records=records)
    question = new_id()
    turns.respond(Inbound("what does a data scientist do", who="T1:U0ALICE", where="slack:T1:C0SECRET:U0ALICE",
                          platform="slack", question_id=question))
    [row] = rows(records, questions)
    assert (row["id"], row["platform"], row["outcome"], row["intent"]) == (
        question, "slack", "answer", "role.data-scientist")
    assert row["confidence"] > 0.5
    assert row["runner_up"] and "role.data-scientist" not in row["runner_up"]
    assert row["text"] == "what does a data scientist do"
    assert row["user_hash"] == digest("test-salt", "slack:T1:U0ALICE")
    assert row["channel_hash"] == digest("test-salt", "slack:T1:C0SECRET:U0ALICE")
    turns.feedback.vote(question, user="T1:U0ALICE", platform="slack", helpful=True)
    stored = repr(rows(records, questions)) + repr(rows(records, votes))
    for raw in ("U0ALICE", "C0SECRET", "T1:"):
        assert raw not in stored, f"{raw} reached the database"


def test_question_text_is_not_stored_when_turned_off(open_records, fresh_advisor):
    records = open_records(store_questions=False)
    Turns(fresh_advisor, records=records).respond(Inbound("what does a data scientist do", who="u", where="c",
                                                          platform="terminal", question_id=new_id()))
    [row] = rows(records, questions)
    assert row["text"] is None
    assert row["intent"] == "role.data-scientist"


def test_a_second_vote_by_the_same_person_replaces_the_first(open_records, fresh_advisor):
    records = open_records()
    turns = Turns(fresh_advisor, records=records)
    question = new_id()
    turns.respond(Inbound("what does an ML engineer do", who="ana", where="c", platform="discord",
                          question_id=question))
    turns.feedback.vote(question, user="ana", platform="discord", helpful=True)
    turns.feedback.vote(question, user="ana", platform="discord", helpful=False)
    turns.feedback.vote(question, user="bo", platform="discord", helpful=True)
    turns.feedback.vote(new_id(), user="ana", platform="discord", helpful=True)  # an unknown question: ignored
    by_user = {row["user_hash"]: row["helpful"] for row in rows(records, votes)}
    assert by_user == {digest("test-salt", "discord:ana"): False, digest("test-salt", "discord:bo"): True}


def test_a_click_on_a_clarifications_choice_labels_the_question(open_records, fresh_advisor):
    records = open_records()
    turns = Turns(fresh_advisor, records=records)
    vague, clear = new_id(), new_id()
    clarify = turns.respond(Inbound("how about at Quora?", who="u", where="c1", platform="terminal", question_id=vague))
    assert clarify.kind.value == "clarify"
    picked = clarify.suggestions[0].intent
    turns.feedback.click(vague, picked)
    turns.feedback.click(vague, clarify.suggestions[1].intent)  # the first click is the one that counts
    answer = turns.respond(Inbound("what does a data scientist do", who="u", where="c2", platform="terminal",
                                   question_id=clear))
    turns.feedback.click(clear, answer.suggestions[0].intent)
    found = {row["id"]: row for row in rows(records, questions)}
    assert (found[vague]["clicked"], found[vague]["picked_after_clarify"]) == (picked, True)
    assert set(found[vague]["runner_up"]) >= {s.intent for s in clarify.suggestions if s.intent}
    assert (found[clear]["clicked"], found[clear]["picked_after_clarify"]) == (answer.suggestions[0].intent, False)


def test_records_older_than_the_retention_period_are_purged(open_records, fresh_advisor):
    now = [datetime(2026, 1, 1, tzinfo=UTC)]
    records = open_records(retention_days=30, now=lambda: now[0])
    turns = Turns(fresh_advisor, records=records)
    old, recent = new_id(), new_id()
    turns.respond(Inbound("what does a data scientist do", who="u", where="c", platform="terminal", question_id=old))
    turns.feedback.vote(old, user="u", platform="terminal", helpful=True)
    now[0] += timedelta(days=20)
    turns.respond(Inbound("what does an ML engineer do", who="u", where="c", platform="terminal", question_id=recent))
    assert records.flush()
    now[0] += timedelta(days=15)  # the first is 35 days old, the second 15
    assert records.purge() == 1
    assert [row["id"] for row in rows(records, questions)] == [recent]
    assert rows(records, votes) == []


class Counted:
    def __init__(self) -> None:
        self.total = 0.0

    def inc(self, amount: float = 1) -> None:
        self.total += amount


def test_a_database_that_goes_away_loses_only_those_records_and_answers_go_on(open_records, fresh_advisor, caplog):
    counter = Counted()
    records = open_records(dropped_counter=counter)
    turns = Turns(fresh_advisor, records=records)
    healthy = records.engine
    records.engine = sqlalchemy.create_engine("postgresql+psycopg://nobody@127.0.0.1:1/none",
                                              connect_args={"connect_timeout": 1})
    reply = turns.respond(Inbound("what does a data scientist do", who="u", where="c", platform="slack",
                                  question_id=new_id()))
    assert reply.intent == "role.data-scientist", "the answer does not wait for the database"
    assert records.flush()
    assert (records.dropped, counter.total) == (1, 1)
    assert "1 record(s) dropped" in caplog.text
    records.engine = healthy  # the database is back: recording resumes
    turns.respond(Inbound("what does an ML engineer do", who="u", where="c", platform="slack", question_id=new_id()))
    assert [row["intent"] for row in rows(records, questions)] == ["role.ml-engineer"]


WRITER = """
import sys, uuid
from adapters.records import Records, RecordsSettings
records = Records(RecordsSettings(database_url=sys.argv[1], salt="s"), batch_size=int(sys.argv[2]), start=False)
for batch in range(int(sys.argv[3])):
    for row in range(int(sys.argv[2])):
        records.question(question_id=f"{batch:06d}-{row:06d}", platform="terminal", user="u", channel="c",
                         outcome="fallback", intent=None, confidence=0.1, runner_up=["a", "b"], text="x" * 200)
records.start()
records.flush(600)
"""


def test_a_writer_killed_mid_batch_keeps_every_committed_batch_and_no_part_of_the_next(database_url):
    batch, batches = 2000, 40
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-c", WRITER, database_url, str(batch), str(batches)], env=env,
                               cwd=ROOT, stderr=subprocess.PIPE)
    engine = make_engine(database_url)
    try:
        deadline = time.monotonic() + 60
        count = 0
        while count == 0 and time.monotonic() < deadline and process.poll() is None:
            try:
                with engine.connect() as connection:
                    count = connection.execute(select(func.count()).select_from(questions)).scalar() or 0
            except (sqlalchemy.exc.OperationalError, sqlalchemy.exc.ProgrammingError):
                pass  # the tables are not there yet
            time.sleep(0.02)
        assert count > 0, "the writer committed nothing"
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        with engine.connect() as connection:
            ids = [row[0] for row in connection.execute(select(questions.c.id))]
    finally:
        if process.poll() is None:
            process.kill()
        engine.dispose()
    assert 0 < len(ids) < batch * batches, "killed before the end"
    assert len(ids) % batch == 0, "a batch was half written"
    per_batch: dict[str, int] = {}
    for question_id in ids:
        per_batch[question_id[:6]] = per_batch.get(question_id[:6], 0) + 1
    assert set(per_batch.values()) == {batch}


def test_settings_generate_the_salt_once_and_read_the_variables(tmp_path):
    settings = RecordsSettings.from_env({}, data_dir=tmp_path)
    assert settings.database_url == f"sqlite:///{tmp_path / 'whoswho.sqlite3'}"
    assert (settings.store_questions, settings.retention_days) == (True, 90)
    assert settings.salt == salt_in(tmp_path) == RecordsSettings.from_env({}, data_dir=tmp_path).salt
    assert oct((tmp_path / "hash_salt").stat().st_mode & 0o777) == "0o600"
    chosen = RecordsSettings.from_env({"WHOSWHO_HASH_SALT": "pepper", "WHOSWHO_STORE_QUESTIONS": "0",
                                       "WHOSWHO_RETENTION_DAYS": "7",
                                       "WHOSWHO_DATABASE_URL": "postgresql+psycopg://u@db/whoswho"},
                                      data_dir=tmp_path)
    assert (chosen.salt, chosen.store_questions, chosen.retention_days) == ("pepper", False, 7)
    assert chosen.database_url == "postgresql+psycopg://u@db/whoswho"


def test_bad_settings_name_their_variable(tmp_path):
    import pytest

    from bot import ConfigError

    for name, value in (("WHOSWHO_RETENTION_DAYS", "0"), ("WHOSWHO_RETENTION_DAYS", "soon"),
                        ("WHOSWHO_STORE_QUESTIONS", "maybe"), ("WHOSWHO_DATABASE_URL", "not a url")):
        with pytest.raises(ConfigError, match=name):
            RecordsSettings.from_env({name: value, "WHOSWHO_HASH_SALT": "s"}, data_dir=tmp_path)


def test_serves_metrics_count_dropped_records(tmp_path):
    from adapters.serve.metrics import Metrics

    metrics = Metrics()
    records = Records(RecordsSettings(database_url=f"sqlite:///{tmp_path / 'w.sqlite3'}", salt="s"),
                      dropped_counter=metrics.records_dropped, start=False)
    records._drop(3, "a test")
    records.close()
    assert b"whoswho_records_dropped_total 3.0" in metrics.exposition()
