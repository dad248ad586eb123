"""An interactive chat with the advisor in the terminal."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TextIO

from adapters.terminal.banner import banner
from adapters.terminal.render import render
from adapters.turn import Inbound, Notice, Turns, as_turns
from bot import Advisor, Reply

THANKS = "  Thanks for the feedback."
NOTHING_TO_RATE = "  Ask a question first, then rate its answer with + or -."
_VOTES = {"+": True, "-": False}
_QUIT = {"quit", "exit", "bye", ":q", "/quit", "/exit"}


def run_chat(
    advisor: Advisor | Turns,
    *,
    read: Callable[[str], str] = input,
    out: TextIO,
    color: bool = False,
    conversation_id: str = "terminal:local",
) -> int:
    """Chat until the user quits or input ends; returns the number of questions answered.

    Through :class:`~adapters.turn.Turns` with records, questions, picks and ``+`` / ``-`` votes are
    recorded."""
    turns = as_turns(advisor)
    print(banner(turns.advisor.knowledge, turns.feedback.records), file=out)
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
                turns.feedback.vote(last_id, user=conversation_id, platform="terminal", helpful=_VOTES[text])
                print(THANKS, file=out)
            continue
        # At most a few digits: a pick, and never a string too long for int().
        if last and last_id and text.isdecimal() and len(text) <= 3 and 1 <= int(text) <= len(last.suggestions):
            picked = last.suggestions[int(text) - 1]
            turns.feedback.click(last_id, picked.intent)
            text = picked.query
            # A fit-check option's query is a token for the core: echo its label instead.
            print(f"  ({picked.label if picked.is_command else text})", file=out)
        question_id = str(uuid.uuid4())
        result = turns.respond(Inbound(text, who=conversation_id, where=conversation_id, platform="terminal",
                                       question_id=question_id))
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
