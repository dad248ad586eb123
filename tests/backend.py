"""A test backend: a chat platform with no library at all, driving the shared turn loop (:mod:`adapters.turn`)
the way every adapter does, so platform-neutral behaviour is tested once, in the words of a chat:

    def test_hello(testbot):
        assert "whoswho" in testbot.ask("hi")

It is also the smallest adapter there is: a message becomes an :class:`~adapters.turn.Inbound`, the outbound
becomes text, a click sends a suggestion's action, a vote goes to the curators' feedback, ``/whoswho-admin``
goes to :mod:`adapters.admin`, and Ask a mentor posts in a mentor channel's new thread (:mod:`adapters.mentors`):

    def test_mentor(testbot):
        testbot.admin("mentors <#M1|mentors>")
        testbot.ask("how do I negotiate a raise?")
        assert "https://chat.test/M1/" in testbot.ask_mentor()
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from adapters import admin
from adapters.cli import main
from adapters.mentors import Escalation, connect
from adapters.turn import Inbound, Notice, Outbound, Turns
from adapters.watch import Watch, WatchSettings
from bot import Advisor, Reply
from bot.reply import SuggestionAction

PLATFORM = "test"
#: The admin of the test platform.
ADMIN = "boss"


def escape(text: str) -> str:
    """The test platform's escaping of text a person wrote: its markup is ``<...>`` and ``&``, as on most."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@dataclass
class TestBackend:
    """One room of a chat platform in memory: people say things, the bot's messages are kept in ``sent``."""

    __test__ = False  # not a test class, despite its name

    turns: Turns
    room: str = "room"
    #: The workspace the room belongs to (``None``: none, like a direct message outside any).
    workspace: str | None = "team"
    #: Watch mode and the workspaces' settings, with :data:`ADMIN` as the admin.
    watch: Watch = field(default_factory=lambda: Watch(WatchSettings(admins=frozenset({f"{PLATFORM}:{ADMIN}"}))))
    #: Every message the bot sent, as text.
    sent: list[str] = field(default_factory=list)
    #: The last reply per person, with the question id its buttons carry.
    last: dict[str, tuple[Reply, str]] = field(default_factory=dict)
    #: The threads the bot started in other channels: (channel, thread) -> the messages in it, first to last.
    threads: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        connect(self.turns, self.watch)

    def say(self, text: str, *, user: str = "ann") -> Outbound:
        """``user`` says ``text`` to the bot; its reply, notice, or ``None`` for silence."""
        question_id = str(uuid.uuid4())
        outbound = self.turns.respond(Inbound(text, who=user, where=f"{PLATFORM}:{self.room}:{user}",
                                              platform=PLATFORM, question_id=question_id, workspace=self.workspace))
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
        if suggestion.action is SuggestionAction.MENTOR:
            return Notice(self.ask_mentor(user=user))
        self.turns.feedback.click(question_id, suggestion.intent)
        return self.say(suggestion.query, user=user)

    def ask_mentor(self, *, user: str = "ann", asker: str | None = None, reason: str | None = None) -> str:
        """``user`` asks for the last question ``asker`` (``user`` by default) asked to go to the mentors; what
        the bot tells ``user`` (the thread's link, or why not). The post opens a thread in the mentor channel."""
        question_id = self.last[asker or user][1]
        mentors = self.turns.mentors
        outbound = mentors.escalate(platform=PLATFORM, workspace=self.workspace, question_id=question_id,
                                    user=user, mention=f"<@{user}>", quote=escape, reason=reason)
        if isinstance(outbound, Notice):
            return outbound.text
        thread = f"t{len(self.threads) + 1}"
        self.threads[(outbound.channel, thread)] = [outbound.text]
        return mentors.posted(platform=PLATFORM, question_id=question_id, channel=outbound.channel, thread=thread,
                              link=f"https://chat.test/{outbound.channel}/{thread}")

    def reply_in(self, escalation: tuple[str, str], text: str, *, user: str) -> bool:
        """``user`` writes ``text`` in the thread ``(channel, thread)``; whether it was recorded as a mentor's reply."""
        self.threads.setdefault(escalation, []).append(text)
        channel, thread = escalation
        return self.turns.mentors.replied(platform=PLATFORM, channel=channel, thread=thread, mentor=user, text=text)

    def admin(self, text: str, *, user: str = ADMIN) -> str:
        """``user`` runs ``/whoswho-admin TEXT`` in the room; the bot's private answer."""
        return admin.command(self.watch, text, platform=PLATFORM, user=user, channel=self.room,
                             workspace=self.workspace, advisor=self.turns.advisor)

    def labels(self, *, user: str = "ann") -> list[str]:
        """The suggestions under the last reply to ``user``."""
        return [s.label for s in self.last[user][0].suggestions]

    def vote(self, helpful: bool, *, user: str = "ann") -> str:
        """``user`` votes on the last answer they got; its question id."""
        question_id = self.last[user][1]
        self.turns.feedback.vote(question_id, user=user, platform=PLATFORM, helpful=helpful)
        return question_id


def posts(escalation: Escalation | Notice) -> str:
    """The text of an escalation's post, or of the notice given instead."""
    return escalation.text


def render(outbound: Reply | Notice) -> str:
    """A reply as the plain text a text-only platform shows (title, body, sources); a notice as it is."""
    return outbound.text


@pytest.fixture
def testbot(advisor: Advisor) -> Iterator[TestBackend]:
    """The test backend over a fresh advisor of the built-in knowledge, with plain turns (no limit, no records)."""
    yield TestBackend(Turns(Advisor(advisor.knowledge)))


def suggested_new_intents(database: str, data_dir: Path, monkeypatch: pytest.MonkeyPatch,
                          capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    """The new intent drafts ``whoswho insights --suggest`` proposes from the records at ``database``, as a
    curator would run it (only the built-in knowledge, ``data_dir`` as the data folder)."""
    monkeypatch.delenv("WHOSWHO_KNOWLEDGE", raising=False)
    monkeypatch.setenv("WHOSWHO_DATA_DIR", str(data_dir))
    capsys.readouterr()
    assert main(["insights", "--database", database, "--suggest"]) == 0
    drafts: list[dict[str, object]] = yaml.safe_load(capsys.readouterr().out)["new_intents"]
    return drafts
