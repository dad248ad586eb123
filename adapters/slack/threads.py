"""Follow-ups in a thread without a mention. Once whoswho answered someone's mention in a thread, that person
may go on there without mentioning it again, with the thread's context; anyone else still mentions it. The bot
answers only what it answers confidently (the channel helper's threshold), stays silent on chatter, thanks and
messages addressed to other people, and stops following after a day or when the asker says thanks."""

from __future__ import annotations

import logging
import re
import uuid
from dataclasses import replace

from adapters.turn import Inbound, Turns
from adapters.watch import looks_like_question
from bot import Reply, ReplyKind

_log = logging.getLogger(__name__)

#: How long a person's thread is followed after their mention.
FOLLOW_SECONDS = 24 * 3600.0
THANKS_INTENT = "meta.thanks"
#: Greetings, thanks, help and "about": chat, never answered unasked.
CHAT_PREFIX = "meta."
#: Markup that addresses someone: a user (<@U123>), a group or everyone (<!here>, <!subteam^S1>).
_ADDRESSED = re.compile(r"<(@[UW][A-Z0-9]+|![^<>\s]+)(\|[^<>]*)?>")
# The store answers whether a key is claimed only by claiming it: a claim that lasts a millisecond asks
# without leaving anything that lasts.
_ASK_SECONDS = 0.001
_MAX_KEY = 300


class FollowedThreads:
    """The threads whoswho follows for one person each, as claims in the advisor's store: replicas sharing
    Redis share them, and the store forgets them a day after the mention (bounded like any claim)."""

    def __init__(self, turns: Turns) -> None:
        self.turns = turns

    def follow(self, thread: str, user: str) -> None:
        """Follow ``thread`` (``team:channel:thread ts``) for ``user`` (``team:user``), whose mention was answered."""
        self.turns.advisor.claim(_key("follow", thread, user), ttl_seconds=FOLLOW_SECONDS)

    def stop(self, thread: str, user: str) -> None:
        """Stop following ``thread`` for ``user`` (they said thanks)."""
        self.turns.advisor.claim(_key("done", thread, user), ttl_seconds=FOLLOW_SECONDS)

    def followed(self, thread: str, user: str) -> bool:
        """Whether ``thread`` was followed for ``user`` in the last day, thanked or not."""
        return self._held(_key("follow", thread, user))

    def following(self, thread: str, user: str) -> bool:
        """Whether ``user``'s messages in ``thread`` are follow-ups: followed, and not thanked."""
        return self.followed(thread, user) and not self._held(_key("done", thread, user))

    def _held(self, key: str) -> bool:
        return not self.turns.advisor.claim(key, ttl_seconds=_ASK_SECONDS)


def _key(kind: str, thread: str, user: str) -> str:
    return f"slack:{kind}:{thread}:{user}"[:_MAX_KEY]


def addresses_someone(text: str, bot_user_id: str | None) -> bool:
    """Whether a message mentions a person other than the bot, a group or everyone: people talking to people."""
    return any(match.group(1) != f"@{bot_user_id}" for match in _ADDRESSED.finditer(text))


def follow_up(turns: Turns, threads: FollowedThreads, inbound: Inbound, *, thread: str, text: str,
              bot_user_id: str | None, threshold: float) -> tuple[Reply, str] | None:
    """The answer to post for ``inbound``, a message without a mention in ``thread`` (its raw ``text``), with
    the question id its feedback buttons carry; ``None`` to stay silent: the thread is not followed for this
    person, the message addresses someone else, it is chatter or thanks (which also ends the following), or
    the answer is not confident (under ``threshold``) or is chat. Only the answered questions are recorded."""
    if addresses_someone(text, bot_user_id):
        return None
    if _thanks(turns, inbound.question, threshold):
        # Thanks ends it; the store is asked only whether the thread is followed, so the stop is not refused
        # by a question's own claim.
        if threads.followed(thread, inbound.who):
            threads.stop(thread, inbound.who)
        return None
    if not looks_like_question(inbound.question) or not threads.following(thread, inbound.who):
        return None  # chatter is silent at once, without asking the store
    reply = turns.respond(replace(inbound, question_id=None))
    if not isinstance(reply, Reply) or reply.kind is not ReplyKind.ANSWER or reply.intent is None:
        return None
    if reply.intent.startswith(CHAT_PREFIX) or reply.confidence < threshold:
        return None
    question_id = str(uuid.uuid4())
    turns.feedback.question(replace(inbound, question_id=question_id), reply)
    return reply, question_id


def _thanks(turns: Turns, text: str, threshold: float) -> bool:
    """Whether ``text`` on its own reads as thanks (the conversation is not touched)."""
    best = turns.advisor.likely_intents(text, limit=1, score_cutoff=threshold)
    return bool(best) and best[0].intent_id == THANKS_INTENT
