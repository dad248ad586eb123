"""An interactive chat with the advisor in the terminal."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from adapters.terminal.render import render
from bot import Advisor, Reply

BANNER = (
    "whoswho: ask about data scientists and machine-learning engineers.\n"
    "Type a question, a number to pick a suggestion, 'help' for the topics, or 'quit' to leave."
)
_QUIT = {"quit", "exit", "bye", ":q", "/quit", "/exit"}


def run_chat(
    advisor: Advisor,
    *,
    read: Callable[[str], str] = input,
    out: TextIO,
    color: bool = False,
    conversation_id: str = "terminal:local",
) -> int:
    """Chat until the user quits or input ends; returns the number of questions answered."""
    print(BANNER, file=out)
    last: Reply | None = None
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
        if last and text.isdecimal() and 1 <= int(text) <= len(last.suggestions):
            picked = last.suggestions[int(text) - 1]
            text = picked.query
            # A fit-check option's query is a token for the core: echo its label instead.
            print(f"  ({text if picked.intent or ' ' in text else picked.label})", file=out)
        last = advisor.ask(text, conversation_id=conversation_id)
        asked += 1
        print(file=out)
        print(render(last, color=color), file=out)
    print("Bye!", file=out)
    return asked
