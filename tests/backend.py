"""A test backend: a chat platform with no library at all, driving the shared turn loop (:mod:`adapters.turn`)
the way every adapter does, so platform-neutral behaviour is tested once, in the words of a chat:

    def test_hello(testbot):
        assert "whoswho" in testbot.ask("hi")

It is also the smallest adapter there is: a message becomes an :class:`~adapters.turn.Inbound`, the outbound
becomes text, a click sends a suggestion's action, a vote goes to the curators' feedback.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from adapters.turn import Inbound, Notice, Outbound, Turns
from bot import Advisor, Reply

PLATFORM = "test"


@dataclass
class TestBackend:
    """One room of a chat platform in memory: people say things, the bot's messages are kept in ``sent``."""

    __test__ = False  # not a test class, despite its name

    turns: Turns
    room: str = "room"
    #: Every message the bot sent, as text.
    sent: list[str] = field(default_factory=list)
    #: The last reply per person, with the question id its buttons carry.
    last: dict[str, tuple[Reply, str]] = field(default_factory=dict)

    def say(self, text: str, *, user: str = "ann") -> Outbound:
        """``user`` says ``text`` to the bot; its reply, notice, or ``None`` for silence."""
        question_id = str(uuid.uuid4())
        outbound = self.turns.respond(Inbound(text, who=user, where=f"{PLATFORM}:{self.room}:{user}",
                                              platform=PLATFORM, question_id=question_id))
        if isinstance(outbound, Reply):
            self.last[user] = (outbound, question_id)
        if outbound is not None:
            self.sent.append(render(outbound))
        return outbound

    def ask(self, text: str, *, user: str = "ann") -> str:
        """What the bot says back to ``text``, as text (``""`` for silence)."""
        outbound = self.say(text, user=user)
        return "" if outbound is None else render(outbound)

    def click(self, label: str, *, user: str = "ann") -> Outbound:
        """``user`` clicks the suggestion labelled ``label`` under the bot's last reply to them."""
        reply, question_id = self.last[user]
        [suggestion] = [s for s in reply.suggestions if s.label == label]
        self.turns.feedback.click(question_id, suggestion.intent)
        return self.say(suggestion.query, user=user)

    def labels(self, *, user: str = "ann") -> list[str]:
        """The suggestions under the last reply to ``user``."""
        return [s.label for s in self.last[user][0].suggestions]

    def vote(self, helpful: bool, *, user: str = "ann") -> str:
        """``user`` votes on the last answer they got; its question id."""
        question_id = self.last[user][1]
        self.turns.feedback.vote(question_id, user=user, platform=PLATFORM, helpful=helpful)
        return question_id


def render(outbound: Reply | Notice) -> str:
    """A reply as the plain text a text-only platform shows (title, body, sources); a notice as it is."""
    return outbound.text


@pytest.fixture
def testbot(advisor: Advisor) -> Iterator[TestBackend]:
    """The test backend over a fresh advisor of the built-in knowledge, with plain turns (no limit, no records)."""
    yield TestBackend(Turns(Advisor(advisor.knowledge)))
