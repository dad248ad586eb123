"""Escalations in the records, on SQLite and PostgreSQL: a question taken to the mentors and the first mentor's
reply, written by the real recorder after the flow through the test backend; migration 0002 on a database
holding 0001's records; the mentor's words kept only when questions are; purged with their question."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from importlib import resources

import sqlalchemy
from alembic import command
from alembic.config import Config
from sqlalchemy import insert, select

from adapters.mentors import LABEL, NOT_HELPFUL
from adapters.records.schema import escalations, questions
from adapters.records.store import VERSION_TABLE, digest, make_engine, migrate
from adapters.turn import Turns
from tests.adapters.records.conftest import SALT
from tests.backend import PLATFORM, TestBackend


def rows(records, table):
    assert records.flush(), "the writer did not catch up"
    with records.engine.connect() as connection:
        return [row._asdict() for row in connection.execute(select(table))]


def escalated(records, fresh_advisor) -> TestBackend:
    bot = TestBackend(Turns(fresh_advisor, records=records))
    bot.admin("mentors <#M1|mentors>")
    bot.say("blorp zzkx qqq")
    assert bot.click(LABEL) is not None
    return bot


def test_an_escalation_and_the_first_mentors_reply_are_recorded(open_records, fresh_advisor):
    records = open_records()
    bot = escalated(records, fresh_advisor)
    [row] = rows(records, escalations)
    assert row["question_id"] == bot.last["ann"][1] and row["reason"] == "no answer"
    assert row["replied_at"] is None and row["answer"] is None
    bot.reply_in(("M1", "t1"), "Me first", user="ann")
    bot.reply_in(("M1", "t1"), "Start with the statistics course.", user="mia")
    bot.reply_in(("M1", "t1"), "Or Kaggle.", user="bob")
    [row] = rows(records, escalations)
    assert row["answer"] == "Start with the statistics course."
    assert row["mentor_hash"] == digest(SALT, f"{PLATFORM}:mia") and row["replied_at"] is not None


def test_a_not_helpful_answer_escalated_says_so(open_records, fresh_advisor):
    records = open_records()
    bot = TestBackend(Turns(fresh_advisor, records=records))
    bot.admin("mentors <#M1>")
    bot.say("what does an ML engineer do at Quora?")
    bot.vote(False)
    bot.ask_mentor(reason=NOT_HELPFUL)
    [row] = rows(records, escalations)
    assert row["reason"] == NOT_HELPFUL


def test_the_mentors_words_are_kept_only_when_questions_are(open_records, fresh_advisor):
    records = open_records(store_questions=False)
    bot = escalated(records, fresh_advisor)
    assert bot.reply_in(("M1", "t1"), "Start with the statistics course.", user="mia")
    [row] = rows(records, escalations)
    assert row["replied_at"] is not None and row["answer"] is None
    [question] = rows(records, questions)
    assert question["text"] is None


def test_an_escalation_of_a_question_never_recorded_is_left_out(open_records):
    records = open_records()
    records.escalation("no-such-question", reason="no answer")
    records.mentor_reply("no-such-question", mentor="test:mia", text="hi")
    records.escalation("no-such-question", reason="no answer")
    assert rows(records, escalations) == []


def test_escalations_are_purged_with_their_question(open_records, fresh_advisor):
    now = [datetime.now(UTC) - timedelta(days=200)]
    records = open_records(now=lambda: now[0])
    escalated(records, fresh_advisor)
    assert len(rows(records, escalations)) == 1
    now[0] = datetime.now(UTC)
    assert records.purge() == 1
    assert rows(records, escalations) == [] and rows(records, questions) == []


def test_migration_0002_keeps_the_records_of_0001(database_url):
    engine = make_engine(database_url)
    config = Config()
    config.set_main_option("script_location", str(resources.files("adapters.records").joinpath("migrations")))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
    assert "escalations" not in sqlalchemy.inspect(engine).get_table_names()
    with engine.begin() as connection:
        connection.execute(insert(questions), {
            "id": "q1", "at": datetime.now(UTC), "platform": "test", "user_hash": "a" * 64, "channel_hash": "b" * 64,
            "outcome": "fallback", "intent": None, "confidence": 0.1, "runner_up": [], "text": "old",
            "clicked": None, "picked_after_clarify": False})
    migrate(engine)
    assert "escalations" in sqlalchemy.inspect(engine).get_table_names()
    with engine.connect() as connection:
        assert connection.execute(sqlalchemy.text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar() == "0002"
        assert connection.execute(select(questions.c.text)).scalar() == "old"
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0001")
    assert "escalations" not in sqlalchemy.inspect(engine).get_table_names()
    engine.dispose()
