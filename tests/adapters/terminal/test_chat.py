"""The terminal chat, driven by a scripted reader: questions, numbered suggestions, follow-ups, quitting."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import pytest

from adapters.terminal import run_chat

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def scripted(*lines: str) -> tuple[Callable[[str], str], list[str]]:
    """A ``read`` function that types ``lines`` one by one, then ends input like Ctrl-D; and its prompts."""
    remaining = list(lines)
    prompts: list[str] = []

    def read(prompt: str) -> str:
        prompts.append(prompt)
        if not remaining:
            raise EOFError
        return remaining.pop(0)

    return read, prompts


@pytest.fixture
def conversation_id(request) -> str:
    return f"chat:{request.node.nodeid}"


def test_a_question_a_picked_suggestion_and_a_follow_up(advisor, conversation_id):
    read, _ = scripted("what does an ML engineer do?", "2", "and for data scientists?", "quit", "never read")
    out = io.StringIO()

    asked = run_chat(advisor, read=read, out=out, conversation_id=conversation_id)

    text = out.getvalue()
    assert asked == 3
    assert text.startswith("whoswho: ask about data scientists and machine-learning engineers.")
    first = advisor.ask("what does an ML engineer do?", conversation_id=f"{conversation_id}:check")
    second = first.suggestions[1]
    assert f"You could ask next:\n  1. {first.suggestions[0].label}\n  2. {second.label}\n" in text
    assert f"  ({second.query})\n\nWhat an ML engineer does at Quora\n" in text
    assert "\nWhat a data scientist does at Quora\n" in text
    assert text.rstrip().endswith("Bye!")
    assert "never read" not in text


def test_the_end_of_input_ends_the_chat(advisor, conversation_id):
    read, prompts = scripted("hi")
    out = io.StringIO()
    assert run_chat(advisor, read=read, out=out, conversation_id=conversation_id) == 1
    assert len(prompts) == 2
    assert out.getvalue().endswith("\nBye!\n")


def test_blank_lines_are_skipped_and_a_number_without_suggestions_is_a_question(advisor, conversation_id):
    read, _ = scripted("", "   ", "7", "exit")
    out = io.StringIO()
    assert run_chat(advisor, read=read, out=out, conversation_id=conversation_id) == 1
    assert not re.search(r"^  \(.*\)$", out.getvalue(), re.MULTILINE), "nothing was picked, so nothing is echoed"


def test_without_colour_there_are_no_escape_codes(advisor, conversation_id):
    read, prompts = scripted("what skills does a data scientist need?", "1")
    out = io.StringIO()
    run_chat(advisor, read=read, out=out, color=False, conversation_id=conversation_id)
    text = out.getvalue()
    assert re.search(r"^  1\. ", text, re.MULTILINE)
    assert "\x1b" not in text
    assert all("\x1b" not in prompt for prompt in prompts)


def test_with_colour_there_are_escape_codes(advisor, conversation_id):
    read, prompts = scripted("what skills does a data scientist need?", "1")
    out = io.StringIO()
    run_chat(advisor, read=read, out=out, color=True, conversation_id=conversation_id)
    text = out.getvalue()
    assert ANSI.search(text)
    assert "\x1b" in prompts[0]
    plain = ANSI.sub("", text)
    assert "The skills a data scientist needs" in plain
    assert re.search(r"^  1\. ", plain, re.MULTILINE)


def test_the_fit_check_completed_with_numbered_choices(fresh_advisor):
    read, _ = scripted("fit", "2", "2", "2", "2", "2", "3", "2", "quit")
    out = io.StringIO()
    run_chat(fresh_advisor, read=read, out=out, conversation_id="chat:fit")
    text = out.getvalue()
    assert "Fit check: question 1 of 7" in text and "Your answer:" in text
    assert "(Computer science and programming)" in text, "the chosen label is echoed, not its token"
    assert "Your fit check: ML engineer" in text
    assert "From your answers:" in text and "Skills to build next:" in text


def test_plus_and_minus_rate_the_last_answer_and_picks_are_recorded(fresh_advisor, tmp_path):
    from sqlalchemy import select

    from adapters.records import Records, RecordsSettings
    from adapters.records.schema import questions, votes
    from adapters.turn import Turns

    records = Records(RecordsSettings(database_url=f"sqlite:///{tmp_path / 'whoswho.sqlite3'}", salt="s"))
    try:
        read, _ = scripted("+", "how about at Quora?", "1", "-", "+", "what is the weather like", "quit")
        out = io.StringIO()
        assert run_chat(Turns(fresh_advisor, records=records), read=read, out=out, conversation_id="t") == 3
        text = out.getvalue()
        assert "Ask a question first, then rate its answer with + or -." in text
        assert text.count("Thanks for the feedback.") == 2
        assert records.flush()
        with records.engine.connect() as connection:
            asked = [row._asdict() for row in connection.execute(select(questions))]
            voted = [row._asdict() for row in connection.execute(select(votes))]
    finally:
        records.close()
    by_text = {row["text"]: row for row in asked}
    clarify = by_text["how about at Quora?"]
    assert (clarify["outcome"], clarify["picked_after_clarify"]) == ("clarify", True)
    picked = next(row for row in asked if row["id"] != clarify["id"] and row["outcome"] == "answer")
    assert clarify["clicked"] == picked["intent"]
    assert by_text["what is the weather like"]["outcome"] == "fallback"
    # "-" then "+" on the same answer: one vote, the second.
    assert [(row["question_id"], row["helpful"]) for row in voted] == [(picked["id"], True)]


def test_a_chat_without_records_says_it_records_nothing(advisor, conversation_id):
    read, _ = scripted("quit")
    out = io.StringIO()
    run_chat(advisor, read=read, out=out, conversation_id=conversation_id)
    assert out.getvalue().endswith("\nQuestions are not recorded in this chat.\nBye!\n")
    assert "\nType 'fit' for the fit check" in out.getvalue()
