"""The fit check takes what people type: numbers, ordinals and an option's own words."""

from __future__ import annotations

import itertools

import pytest

from bot import Advisor, ReplyKind

_conversations = itertools.count()


@pytest.fixture(scope="module")
def advisor() -> Advisor:
    return Advisor.load()


@pytest.fixture
def ask(advisor):
    conversation = f"fit-typed:{next(_conversations)}"
    return lambda text: advisor.ask(text, conversation_id=conversation)


def test_an_options_own_words_pick_it(ask):
    first = ask("fit")
    assert (first.intent, first.title) == ("fit.question", "Fit check: question 1 of 7")
    second = ask("statistics")
    assert second.title == "Fit check: question 2 of 7"
    third = ask("building the system")
    assert third.title == "Fit check: question 3 of 7"


def test_a_number_that_is_no_option_asks_the_same_question_again(ask):
    ask("fit")
    again = ask("7")
    assert (again.intent, again.title) == ("fit.question", "Fit check: question 1 of 7")
    assert "isn't one of this question's options" in again.text
    assert ask("2").title == "Fit check: question 2 of 7"


def test_a_number_never_picks_from_an_older_list(ask):
    skills = ask("what skills does a data scientist need?")
    assert skills.intent == "skills.data-scientist" and len(skills.suggestions) >= 2
    ask("take the fit check")
    step = ask("2")
    # The second option of the check's first question, not the second skill suggested before it.
    assert (step.intent, step.title) == ("fit.question", "Fit check: question 2 of 7")


@pytest.mark.parametrize("word", ["stop", "restart"])
def test_stop_and_restart_outside_a_check_say_what_they_do(ask, word):
    reply = ask(word)
    assert (reply.kind, reply.intent) == (ReplyKind.ANSWER, "fit.notice")
    assert "fit check" in reply.text and "fit" in [s.query.split(":")[0] for s in reply.suggestions]


def test_fit_outside_a_check_starts_one(ask):
    assert ask("fit").intent == "fit.question"


def test_a_check_asked_for_in_words_runs_like_one_started_by_its_button(ask):
    first = ask("can you quiz me to see which role suits me?")
    assert (first.intent, first.title) == ("fit.question", "Fit check: question 1 of 7")
    # The check was started now, so it is still running at the next answer.
    assert ask("statistics").title == "Fit check: question 2 of 7"
