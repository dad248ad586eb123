"""A scripted terminal session with votes, then `whoswho insights` over what it recorded (SQLite and PostgreSQL)."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator

import pytest

from adapters.cli import main
from adapters.records.store import Records
from adapters.terminal import run_chat
from adapters.turn import Turns
from bot import Advisor

SESSION = [
    "what do they need to learn?",  # no role anywhere yet: a clarification
    "2",  # ... picked: recorded as a labelled phrasing for that intent
    "what does an ML engineer do at Quora?",
    "+",
    "what skills does a data scientist need?",
    "-",
    "-",  # a second vote by the same person replaces the first
    "how much do data scientists earn?",
    "how much do data scientists earn in Europe?",
    "who won the football match yesterday?",
    "quit",
]


def scripted(lines: list[str]) -> Callable[[str], str]:
    remaining = iter(lines)
    return lambda prompt: next(remaining)


@pytest.fixture
def recorded(fresh_advisor: Advisor, open_records: Callable[..., Records], database_url: str) -> Iterator[str]:
    records = open_records()
    out = io.StringIO()
    run_chat(Turns(fresh_advisor, records=records), read=scripted(SESSION), out=out, conversation_id="terminal:ana")
    assert records.flush(), "the records were written"
    yield database_url


def insights(url: str, *options: str, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["insights", "--database", url, *options]) == 0
    return capsys.readouterr().out


def test_insights_counts_the_session_and_groups_what_was_not_answered(recorded, capsys, monkeypatch, tmp_path):
    monkeypatch.delenv("WHOSWHO_KNOWLEDGE", raising=False)
    monkeypatch.setenv("WHOSWHO_DATA_DIR", str(tmp_path))
    report = json.loads(insights(recorded, "--format", "json", capsys=capsys))

    # Seven questions: the clarification, the answer picked from it, two more answers, three fallbacks.
    assert report["total"] == 7
    assert report["per_platform"] == {"terminal": 7}
    assert report["outcomes"] == {"answer": 3, "clarify": 1, "fallback": 3}
    assert {row["intent"] for row in report["top_intents"]} == {
        "skills.ml-engineer", "quora.ml-engineer", "skills.data-scientist"}
    # Two votes, one per rated answer: the second vote on skills.data-scientist replaced the first.
    assert report["votes"] == 2
    assert report["least_helpful"] == [
        {"intent": "skills.data-scientist", "votes": 1, "not_helpful": 1, "share": 1.0}]
    # The two pay questions fall into one group of unanswered questions; the football one stands apart.
    groups = sorted((group["count"], sorted(group["examples"])) for group in report["unanswered_groups"])
    assert groups == [
        (1, ["who won the football match yesterday?"]),
        (2, ["how much do data scientists earn in Europe?", "how much do data scientists earn?"]),
    ]
    table = insights(recorded, capsys=capsys)
    assert "What an ML engineer does at Quora" in table
    assert "football" in table


def test_a_follow_up_clarified_then_picked_is_not_proposed(recorded, capsys, monkeypatch, tmp_path):
    monkeypatch.delenv("WHOSWHO_KNOWLEDGE", raising=False)
    monkeypatch.setenv("WHOSWHO_DATA_DIR", str(tmp_path))
    patch = insights(recorded, "--suggest", "-", capsys=capsys)
    assert "what do they need to learn?" not in patch  # "they" needs the question before it
