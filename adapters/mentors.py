"""Ask a mentor: when whoswho can't help, the person who asked gets to a human. Platform-neutral; each platform's
adapter only renders the button, posts what :meth:`Mentors.escalate` gives and reports back.

The flow, and what an adapter calls (every :class:`~adapters.turn.Turns` has ``turns.mentors``):

1. ``mentors = connect(turns, watch)`` once when the platform registers: the mentors read the mentor channels
   an admin set with ``/whoswho-admin mentors #channel`` (``watch.workspaces``, :mod:`adapters.workspaces`).
2. Fill :attr:`Inbound.workspace <adapters.turn.Inbound.workspace>` (the team / server id) and a
   ``question_id``. In a workspace with a mentor channel, a fallback (and a reply outside what whoswho covers)
   then carries ``Suggestion("Ask a mentor", "mentor:ask", action=SuggestionAction.MENTOR)``; every reply's
   question is remembered for a day (at most 10,000) so a "Not helpful" vote can offer it too:
   ``mentors.available(platform, workspace) -> bool``.
3. A click on it (or on the vote's offer): ``mentors.escalate(*, platform, workspace, question_id, user,
   mention, quote, reason=None) -> Escalation | Notice``. ``user`` is the clicker's id, ``mention`` the
   platform's mention of that one person (``<@U1>``), ``quote`` the platform's escaping of text a person wrote;
   ``reason``: :data:`NO_ANSWER` or :data:`NOT_HELPFUL` (``None``: told by the reply). An
   ``Escalation(channel, text, question_id, user)`` is to be posted in ``channel`` as a new thread's first
   message; a :class:`~adapters.turn.Notice` (only to the clicker) when there is no mentor channel, the question
   is unknown or too old, someone other than the asker clicked, it went to the mentors already (once per
   question), or the clicker asked the mentors :data:`PER_HOUR` times in the last hour.
4. Once posted: ``mentors.posted(*, platform, question_id, channel, thread, link) -> str``, the sentence with
   the thread's link to send the asker (only them). A post that failed: ``mentors.failed(*, platform,
   question_id)`` (the question may be escalated again).
5. Each message in a thread of a mentor channel: ``mentors.replied(*, platform, channel, thread, mentor, text)
   -> bool``; the first one by someone other than the asker (the adapter leaves out the bot's own) is recorded
   with the question for ``whoswho insights --suggest`` (its text only when ``WHOSWHO_STORE_QUESTIONS``
   allows); later ones are not. ``mentors.escalated(platform, channel, thread) -> bool`` says whether a thread
   is one of them.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Generic, TypeVar

from adapters.quoting import inert
from adapters.turn import Inbound, Notice, Outbound
from adapters.workspaces import WorkspaceSettings
from bot import Reply, ReplyKind, Suggestion
from bot.reply import SuggestionAction

if TYPE_CHECKING:
    from adapters.turn import Turns
    from adapters.watch import Watch

_log = logging.getLogger(__name__)

K = TypeVar("K")
V = TypeVar("V")

LABEL = "Ask a mentor"
QUERY = "mentor:ask"
#: Why whoswho was not enough, as the mentor channel's post says it.
NO_ANSWER = "no answer"
NOT_HELPFUL = "voted Not helpful"
#: How many questions one person may take to the mentors in an hour.
PER_HOUR = 3
#: How long, and how many, questions stay ready to be escalated.
PENDING_SECONDS = 24 * 3600.0
MAX_PENDING = 10_000
#: How long, and how many, escalation threads are followed for a mentor's first reply.
THREAD_SECONDS = 7 * 24 * 3600.0
MAX_THREADS = 10_000
#: How much of the question the post quotes.
QUOTE_LINES = 12
QUOTE_CHARS = 1_500

NO_MENTORS = ("There's no mentor channel here yet. An admin can name one with "
              "/whoswho-admin mentors #channel.")
UNKNOWN = ("I can't take that question to a mentor any more: it's too old. Ask it again, then choose "
           "Ask a mentor.")
NOT_YOURS = "Only the person who asked can take this question to a mentor."
ALREADY = "That question went to the mentors already."
ALREADY_AT = "That question went to the mentors already: {link}"
TOO_MANY = ("You've asked the mentors {count} times in the last hour. Please wait a while before asking "
            "them again.")
POSTED = "I asked the mentors for you, in this thread: {link}. Answers will come there."


@dataclass(frozen=True)
class Escalation:
    """A post for the mentor channel: the first message of a new thread there."""

    channel: str
    text: str
    question_id: str
    #: The asker's id on the platform: the one person the post may mention.
    user: str


@dataclass
class _Question:
    """What escalating a question later needs."""

    text: str
    platform: str
    workspace: str
    user: str
    reply: Reply
    escalated: bool = False
    reason: str | None = None
    link: str | None = None


@dataclass
class _Thread:
    question_id: str
    asker: str
    replied: bool = False


class _Recent(Generic[K, V]):
    """A map keeping at most ``size`` entries, each for ``seconds``; the oldest go first."""

    def __init__(self, *, size: int, seconds: float, clock: Callable[[], float]) -> None:
        self.size, self.seconds, self.clock = size, seconds, clock
        self._items: OrderedDict[K, tuple[float, V]] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, key: K, value: V) -> None:
        with self._lock:
            self._items[key] = (self.clock(), value)
            self._items.move_to_end(key)
            self._expire()
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def get(self, key: K) -> V | None:
        with self._lock:
            self._expire()
            found = self._items.get(key)
            return None if found is None else found[1]

    def _expire(self) -> None:
        cutoff = self.clock() - self.seconds
        while self._items and next(iter(self._items.values()))[0] < cutoff:
            self._items.popitem(last=False)


def connect(turns: Turns, watch: Watch) -> Mentors:
    """``turns.mentors``, reading the mentor channels an admin sets through ``watch`` (its ``workspaces``)."""
    turns.mentors.workspaces = watch.workspaces
    return turns.mentors


class Mentors:
    """The escalations of the questions a :class:`~adapters.turn.Turns` answers. None of its methods raises
    for what people do; only admins set the channels, so nothing keyed by a person's input grows unbounded."""

    def __init__(self, turns: Turns, *, workspaces: WorkspaceSettings | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.turns = turns
        self.workspaces = workspaces or WorkspaceSettings()
        self._questions: _Recent[tuple[str, str], _Question] = _Recent(size=MAX_PENDING, seconds=PENDING_SECONDS,
                                                                       clock=clock)
        self._threads: _Recent[tuple[str, str, str], _Thread] = _Recent(size=MAX_THREADS, seconds=THREAD_SECONDS,
                                                                        clock=clock)
        self._lock = threading.Lock()

    def available(self, platform: str, workspace: str | None) -> bool:
        """Whether questions asked in ``workspace`` can be taken to a mentor (it has a mentor channel)."""
        return self.workspaces.mentor_channel(platform, workspace) is not None

    def offer(self, inbound: Inbound, outbound: Outbound) -> Outbound:
        """``outbound`` with Ask a mentor among its suggestions when it is a fallback (or outside what whoswho
        covers) in a workspace with a mentor channel; the question is remembered for an escalation either way."""
        if not isinstance(outbound, Reply) or inbound.question_id is None or inbound.workspace is None:
            return outbound
        if not self.available(inbound.platform, inbound.workspace):
            return outbound
        self._questions.put((inbound.platform, inbound.question_id), _Question(
            inbound.question, inbound.platform, inbound.workspace, inbound.who, outbound))
        if not _unanswered(outbound) or any(s.action is SuggestionAction.MENTOR for s in outbound.suggestions):
            return outbound
        ask = Suggestion(LABEL, QUERY, action=SuggestionAction.MENTOR)
        return replace(outbound, suggestions=(*outbound.suggestions, ask))

    def escalate(self, *, platform: str, workspace: str | None, question_id: str, user: str, mention: str,
                 quote: Callable[[str], str], reason: str | None = None) -> Escalation | Notice:
        """The post taking question ``question_id`` to the mentor channel for ``user``, or why not."""
        channel = self.workspaces.mentor_channel(platform, workspace)
        if channel is None:
            return Notice(NO_MENTORS)
        question = self._questions.get((platform, question_id))
        if question is None or question.workspace != workspace:
            return Notice(UNKNOWN)
        if question.user != user:
            return Notice(NOT_YOURS)
        with self._lock:
            if question.escalated:
                return Notice(ALREADY if question.link is None else ALREADY_AT.format(link=question.link))
            hits = self.turns.advisor.count(f"mentor:{platform}:{user}", window_seconds=3600.0)
            if hits > PER_HOUR:
                _log.info("%s user asked the mentors too often; refused", platform, extra={"platform": platform})
                return Notice(TOO_MANY.format(count=PER_HOUR))
            question.escalated = True
            question.reason = reason or (NO_ANSWER if _unanswered(question.reply) else NOT_HELPFUL)
        _log.info("%s question %s escalated to the mentors", platform, question_id, extra={"platform": platform})
        return Escalation(channel, post(question, mention=mention, quote=quote), question_id, user)

    def failed(self, *, platform: str, question_id: str) -> None:
        """The post of ``question_id`` failed: it may be escalated again."""
        question = self._questions.get((platform, question_id))
        if question is not None:
            with self._lock:
                question.escalated = False

    def posted(self, *, platform: str, question_id: str, channel: str, thread: str, link: str) -> str:
        """Remember the thread ``question_id`` was posted in (``thread``, in ``channel``), record the escalation,
        and give the sentence, with ``link``, that tells the asker where the mentors answer."""
        question = self._questions.get((platform, question_id))
        if question is not None:
            question.link = link
            self._threads.put((platform, channel, thread), _Thread(question_id, question.user))
            self.turns.feedback.escalated(question_id, reason=question.reason or NO_ANSWER)
        return POSTED.format(link=link)

    def escalated(self, platform: str, channel: str, thread: str) -> bool:
        """Whether ``thread`` in ``channel`` is an escalation's thread, still followed."""
        return self._threads.get((platform, channel, thread)) is not None

    def replied(self, *, platform: str, channel: str, thread: str, mentor: str, text: str) -> bool:
        """A message by ``mentor`` in ``thread``: whether it was recorded as the mentor's reply to the question
        (the first message there by someone other than the asker)."""
        followed = self._threads.get((platform, channel, thread))
        if followed is None or mentor == followed.asker or not text.strip():
            return False
        with self._lock:
            if followed.replied:
                return False
            followed.replied = True
        self.turns.feedback.mentor_replied(followed.question_id, mentor=f"{platform}:{mentor}", text=text)
        _log.info("%s mentor replied to question %s", platform, followed.question_id, extra={"platform": platform})
        return True


def _unanswered(reply: Reply) -> bool:
    """Whether whoswho had no answer: a fallback, or a question outside what it covers."""
    return reply.kind is ReplyKind.FALLBACK or reply.outside is not None


def post(question: _Question, *, mention: str, quote: Callable[[str], str]) -> str:
    """The mentor channel's post: who asked, the question quoted, what whoswho offered and why it was not enough.
    Everything a person wrote goes through ``quote`` after its mentions were broken (``@everyone``)."""
    lines = [inert(line, limit=QUOTE_CHARS) for line in question.text.splitlines() if line.strip()]
    quoted = "\n".join(f"> {quote(line)}" for line in lines[:QUOTE_LINES])[: QUOTE_CHARS + 4 * QUOTE_LINES]
    reply = question.reply
    title = quote(inert(reply.title))
    if reply.outside is not None:
        offered = f"whoswho said this is outside what it covers (\u201c{title}\u201d)"
    elif reply.kind is ReplyKind.FALLBACK:
        offered = f"whoswho had no answer (\u201c{title}\u201d)"
    else:
        offered = f"whoswho answered \u201c{title}\u201d"
    why = "the asker voted it Not helpful" if question.reason == NOT_HELPFUL else "no answer"
    return (f"{mention} asked a question whoswho could not help with:\n{quoted}\n"
            f"{offered}. Why it was not enough: {why}.\n"
            "Mentors, please answer in this thread. The first reply is kept for whoswho's curators, "
            "to improve its answers.")
