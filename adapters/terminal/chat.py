"""An interactive chat with the advisor in the terminal."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TextIO

from adapters.asking import Asker, Notice, as_asker
from adapters.terminal.render import render
from bot import Advisor, Reply

BANNER = (
    "whoswho: ask about data scientists and machine-learning engineers.\n"
    "Type a question, a number to pick a suggestion, + or - to say whether the last answer helped, "
    "'help' for the topics, or 'quit' to leave."
)
THANKS = "  Thanks for the feedback."
NOTHING_TO_RATE = "  Ask a question first, then rate its answer with + or -."
_VOTES = {"+": True, "-": False}
_QUIT = {"quit", "exit", "bye", ":q", "/quit", "/exit"}


def run_chat(
    advisor: Advisor | Asker,
    *,
    read: Callable[[str], str] = input,
    out: TextIO,
    color: bool = False,
    conversation_id: str = "terminal:local",
) -> int:
    """Chat until the user quits or input ends; returns the number of questions answered.

    Through an :class:`~adapters.asking.Asker` with records, questions, picks and ``+`` / ``-`` votes are
    recorded."""
    asker = as_asker(advisor)
    print(BANNER, file=out)
    last: Reply | None = None
    last_id: str | None = None
    asked = 0
    while True:
        try:
            line = read("\n> " if not color else "\n\x1b[1m>\x1b[0m ")
        except (EOFError, KeyboardInterrupt):
            print(file=out)
            break
        text = line.strip()
        if text.casefold() in _QUIT:
            break
        if not text:
            continue
        if text in _VOTES:
            if last_id is None:
                print(NOTHING_TO_RATE, file=out)
            else:
                asker.vote(last_id, user=conversation_id, platform="terminal", helpful=_VOTES[text])
                print(THANKS, file=out)
            continue
        # At most a few digits: a pick, and never a string too long for int().
        if last and last_id and text.isdecimal() and len(text) <= 3 and 1 <= int(text) <= len(last.suggestions):
            picked = last.suggestions[int(text) - 1]
            asker.click(last_id, picked.intent)
            text = picked.query
            # A fit-check option's query is a token for the core: echo its label instead.
            print(f"  ({text if picked.intent or ' ' in text else picked.label})", file=out)
        question_id = str(uuid.uuid4())
        result = asker.ask(text, conversation_id=conversation_id, user=conversation_id, platform="terminal",
                           question_id=question_id)
        if not isinstance(result, Reply):
            if isinstance(result, Notice):
                print(file=out)
                print(result.text, file=out)
            continue
        last, last_id = result, question_id
        asked += 1
        print(file=out)
        print(render(last, color=color), file=out)
    print("Bye!", file=out)
    return asked
