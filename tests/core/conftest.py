"""What the core's tests share: the built-in advisor, and new conversations with it."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest

from bot import Advisor, Reply

_conversations = itertools.count()


@pytest.fixture(scope="module")
def advisor() -> Advisor:
    return Advisor.load()


@pytest.fixture
def chat(advisor: Advisor) -> Callable[..., list[Reply]]:
    """Asks each turn in one new conversation and gives the replies."""
    def ask(*turns: str) -> list[Reply]:
        conversation = f"chat:{next(_conversations)}"
        return [advisor.ask(turn, conversation_id=conversation) for turn in turns]
    return ask


@pytest.fixture
def intents(chat: Callable[..., list[Reply]]) -> Callable[..., list[str | None]]:
    """Asks each turn in one new conversation and gives the intents answered (``None`` when none was)."""
    return lambda *turns: [reply.intent for reply in chat(*turns)]
