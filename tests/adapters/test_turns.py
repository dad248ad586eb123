"""The turn loop every platform shares, tested once through the test backend (no platform library): answers
and follow-ups, suggestions that ask or send a command token, the per-user rate limit, metrics, and records
that never get in the way of a reply."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from adapters.turn import SLOW_DOWN, Events, Inbound, Notice, Turns, rate_limited, serving_steps
from bot import Advisor, MemoryContextStore, Reply
from tests.backend import TestBackend


def test_a_question_and_its_follow_up(testbot):
    assert testbot.ask("what does an ML engineer do at Quora?").startswith("What an ML engineer does at Quora")
    reply = testbot.say("and data scientists?")
    assert isinstance(reply, Reply) and reply.intent == "quora.data-scientist"


def test_people_in_one_room_have_conversations_of_their_own(testbot):
    testbot.say("what does an ML engineer do at Quora?", user="ann")
    reply = testbot.say("and data scientists?", user="bob")
    assert not (isinstance(reply, Reply) and reply.intent == "quora.data-scientist")


def test_a_suggestion_asks_its_intent_and_a_fit_option_sends_its_token(testbot):
    testbot.say("what does an ML engineer do at Quora?")
    [label] = [s.label for s in testbot.last["ann"][0].suggestions if s.intent == "quora.data-scientist"]
    picked = testbot.click(label)
    assert isinstance(picked, Reply) and picked.intent == "quora.data-scientist"
    started = testbot.say("fit")
    assert isinstance(started, Reply) and started.title == "Fit check: question 1 of 7"
    assert all(s.is_command for s in started.suggestions)
    second = testbot.click(testbot.labels()[1])
    assert isinstance(second, Reply) and second.title == "Fit check: question 2 of 7"


def test_the_rate_limit_limits_each_user_in_a_window_of_its_own(advisor):
    now = [0.0]
    store = MemoryContextStore(clock=lambda: now[0])
    turns = Turns(Advisor(advisor.knowledge, memory=store), steps=(rate_limited(2),))

    def ask(user: str) -> object:
        return turns.respond(Inbound("hi", who=user, where=user, platform="test"))

    assert [type(ask("ann")).__name__ for _ in range(4)] == ["Reply", "Reply", "Notice", "NoneType"]
    assert type(ask("bob")).__name__ == "Reply"
    now[0] = 61.0
    assert type(ask("ann")).__name__ == "Reply"
    assert isinstance(Notice(SLOW_DOWN).text, str)


def test_past_the_limit_the_backend_sends_one_notice_then_nothing(advisor):
    bot = TestBackend(Turns(Advisor(advisor.knowledge), steps=(rate_limited(1),)))
    bot.ask("hi")
    assert bot.ask("hi") == SLOW_DOWN
    assert bot.ask("hi") == ""
    assert len(bot.sent) == 2


class Counting:
    """A recorder that keeps what it is told."""

    def __init__(self) -> None:
        self.questions: list[tuple[str, str, str]] = []
        self.limits: list[str] = []
        self.errors: list[str] = []

    def question(self, *, platform: str, outcome: str, intent: str, seconds: float) -> None:
        assert seconds >= 0
        self.questions.append((platform, outcome, intent))

    def limited(self, *, platform: str) -> None:
        self.limits.append(platform)

    def error(self, *, platform: str) -> None:
        self.errors.append(platform)


def test_metrics_count_each_reply_and_each_question_past_the_limit(advisor):
    counting = Counting()
    turns = Turns(Advisor(advisor.knowledge), steps=serving_steps(rate_limit=1, log_questions=False),
                  recorder=counting)
    bot = TestBackend(turns)
    bot.ask("what does a data scientist do")
    bot.ask("hi")
    turns.error("test")
    assert counting.questions == [("test", "answer", "role.data-scientist")]
    assert counting.limits == ["test"] and counting.errors == ["test"]


class Broken:
    """Records that fail at every call, like a database that went away."""

    def __getattr__(self, name: str) -> Any:
        def fail(*args: object, **kwargs: object) -> None:
            raise OSError("the records database is gone")

        return fail


class Kept:
    """Records kept in lists."""

    def __init__(self) -> None:
        self.questions: list[dict[str, Any]] = []
        self.clicks: list[tuple[str, str]] = []
        self.votes: list[tuple[str, str, bool]] = []

    def question(self, **row: Any) -> None:
        self.questions.append(row)

    def click(self, question_id: str, intent: str) -> None:
        self.clicks.append((question_id, intent))

    def vote(self, question_id: str, *, user: str, helpful: bool) -> None:
        self.votes.append((question_id, user, helpful))


def test_questions_clicks_and_votes_reach_the_records(advisor):
    kept = Kept()
    bot = TestBackend(Turns(Advisor(advisor.knowledge), records=kept))  # type: ignore[arg-type]
    bot.say("what does an ML engineer do at Quora?")
    label = next(s.label for s in bot.last["ann"][0].suggestions if s.intent)
    first = bot.last["ann"][1]
    bot.click(label)
    voted = bot.vote(True)
    assert [row["question_id"] for row in kept.questions] == [first, voted]
    assert kept.questions[0]["user"] == "test:ann" and kept.questions[0]["intent"] == "quora.ml-engineer"
    assert kept.clicks[0][0] == first and kept.votes == [(voted, "test:ann", True)]


def test_records_that_fail_never_keep_a_reply_from_being_sent(advisor, caplog):
    bot = TestBackend(Turns(Advisor(advisor.knowledge), records=Broken()))  # type: ignore[arg-type]
    assert bot.ask("what does a data scientist do").startswith("What a data scientist does")
    bot.vote(False)
    bot.turns.feedback.click("q", "role.data-scientist")
    assert "could not record a test question" in caplog.text and "could not record a vote" in caplog.text


async def test_a_stop_refuses_new_events_and_waits_for_those_in_flight():
    events = Events()
    started, release = asyncio.Event(), asyncio.Event()
    handled: list[str] = []

    @events.handler
    async def handle(name: str) -> str:
        started.set()
        await release.wait()
        handled.append(name)
        return name

    running = asyncio.create_task(handle("first"))
    await asyncio.wait_for(started.wait(), 5)
    assert events.in_flight == 1
    draining = asyncio.create_task(events.drain(timeout=5))
    await asyncio.sleep(0)  # one turn of the loop: the drain begins
    assert not events.accepting
    assert await handle("late") is None  # refused once the stop began
    release.set()
    assert await draining is True and await running == "first"
    assert handled == ["first"] and events.in_flight == 0


async def test_a_drain_gives_up_after_its_timeout():
    events = Events()
    started, never = asyncio.Event(), asyncio.Event()

    @events.handler
    async def handle() -> None:
        started.set()
        await never.wait()

    task = asyncio.create_task(handle())
    await asyncio.wait_for(started.wait(), 5)
    assert await events.drain(timeout=0.01) is False
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
