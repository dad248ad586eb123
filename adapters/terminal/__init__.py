"""The terminal adapter: one-off answers and an interactive chat, no tokens needed."""

from adapters.terminal.chat import run_chat
from adapters.terminal.render import render
from adapters.terminal.topics import topic_lines

__all__ = ["render", "run_chat", "topic_lines"]
