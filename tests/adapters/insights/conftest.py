"""A records database with a scripted set of questions and votes, written as the recorder would."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, insert

from adapters.records import schema

DAY1 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
DAY2 = datetime(2024, 5, 2, 15, 30, tzinfo=UTC)

#: id, day, platform, outcome, intent, text, clicked, picked after clarify
ROWS = [
    ("q1", DAY1, "slack", "answer", "quora.ml-engineer", "what does an mle do at quora", None, False),
    ("q2", DAY1, "discord", "answer", "quora.ml-engineer", "What does an ML engineer do at Quora?", None, False),
    ("q3", DAY1, "terminal", "answer", "role.compare", "ds vs mle", None, False),
    ("q4", DAY1, "slack", "fallback", None, "how do I move from data science to ML engineering", None, False),
    ("q5", DAY1, "slack", "fallback", None, "How can I move from data science into ML engineering?", None, False),
    ("q6", DAY2, "discord", "fallback", None, "how much does a data scientist earn in berlin", None, False),
    ("q7", DAY2, "discord", "fallback", None, "how much do data scientists earn in munich", None, False),
    ("q8", DAY2, "slack", "clarify", None, "ds or mle, what's different", "role.compare", True),
    ("q9", DAY2, "terminal", "clarify", None, "lunch anyone? I am starving today", None, False),
    ("q10", DAY2, "slack", "fallback", None, None, None, False),  # WHOSWHO_STORE_QUESTIONS=0
]
#: question id, voter, helpful
VOTES = [("q1", "u1", True), ("q1", "u2", False), ("q1", "u3", False), ("q3", "u1", True), ("q2", "u1", True)]


def write_records(path: Path, rows: list[tuple] | None = None, votes: list[tuple] | None = None) -> str:
    """Create the tables in a SQLite file at ``path``, insert ``rows`` and ``votes`` (:data:`ROWS` and
    :data:`VOTES` by default); the URL."""
    url = f"sqlite:///{path}"
    engine = create_engine(url)
    schema.metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(insert(schema.questions), [
            {"id": qid, "at": at, "platform": platform, "outcome": outcome, "intent": intent,
             "confidence": 0.9 if outcome == "answer" else 0.2, "runner_up": [], "text": text,
             "user_hash": "a" * 64, "channel_hash": "b" * 64, "clicked": clicked, "picked_after_clarify": picked}
            for qid, at, platform, outcome, intent, text, clicked, picked in (ROWS if rows is None else rows)])
        chosen = VOTES if votes is None else votes
        if chosen:
            connection.execute(insert(schema.votes), [
                {"question_id": qid, "user_hash": user, "helpful": helpful, "at": DAY2}
                for qid, user, helpful in chosen])
    engine.dispose()
    return url


#: One day's questions at three different hours, one of them long, asked at times with microseconds.
LONG = ("I have been a backend developer for six years, mostly Java and some Go, and I keep hearing that the "
        "ML platform team wants people like me, but nobody can tell me whether my on-call experience counts "
        "for anything or whether I should study statistics first")
ONE_DAY = [
    ("d1", datetime(2024, 5, 6, 9, 5, 12, 345678, tzinfo=UTC), "slack", "answer", "quora.ml-engineer",
     "what does an mle do at quora", None, False),
    ("d2", datetime(2024, 5, 6, 9, 40, 0, 1, tzinfo=UTC), "slack", "fallback", None, LONG, None, False),
    ("d3", datetime(2024, 5, 6, 13, 15, tzinfo=UTC), "discord", "answer", "role.compare", "ds vs mle", None, False),
    ("d4", datetime(2024, 5, 6, 17, 59, 59, 999999, tzinfo=UTC), "terminal", "answer", "role.compare",
     "DS vs MLE?", None, False),
]


@pytest.fixture
def one_day_url(tmp_path: Path) -> str:
    """The URL of a SQLite file holding :data:`ONE_DAY`."""
    return write_records(tmp_path / "day.sqlite3", ONE_DAY, [])


@pytest.fixture
def records_url(tmp_path: Path) -> str:
    """The URL of a SQLite file holding the scripted records."""
    return write_records(tmp_path / "records.sqlite3")
