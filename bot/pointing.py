"""A turn that points back at the last answer ("is that good for juniors?", "what skills do they want?")."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Protocol

from bot.cues import OFF_TOPIC_WORDS, SUITS, THEY, TOPIC_WORDS
from bot.dialogue import Tracker
from bot.knowledge import Intent, KnowledgeBase
from bot.matcher import Match, MatchSettings
from bot.memory import ConversationState
from bot.reply import Reply, ReplyKind
from bot.text import Analysis
from bot.tokens import BOTH, DATA_SCIENTIST, JOBS_TOPIC, META_PREFIX, ROLES

Turn = tuple[Reply, ConversationState]


class Answered(Protocol):
    """The answering policy's way of turning an intent into the reply and state that answer it."""

    def __call__(self, intent: Intent, confidence: float, state: ConversationState, *,
                 alternatives: Iterable[Match] = (), named: frozenset[str] = frozenset()) -> Turn: ...


#: A turn this short, or one that says "it" or "they", may lean on the last answer's topic.
SHORT_FOLLOW_UP = 6
#: Words that point back at the last answer ("is that good for juniors?"), in a turn of at most so many words.
_THAT = frozenset({"that", "it", "this", "those", "these"})
THAT_FOLLOW_UP = 12
#: "there" with no company talked about is the last answer's place: "what would I do there?" after a job type.
THERE = frozenset({"there"})
# "what would I do in that one?": the last answer, however sure the matcher is of another.
_THAT_ONE = re.compile(r"\b(?:that|this) (?:one|job|type|kind|role)\b")
#: "where should a beginner start?" asks a question of its own; "good for a beginner?" leans on the last answer.
_ASKING = frozenset({"where", "what", "how", "who", "which", "when", "why"})


class LastAnswer:
    """Reads a turn as a follow-up on the last answer when it points back at it."""

    def __init__(self, knowledge: KnowledgeBase, tracker: Tracker, settings: MatchSettings,
                 answered: Answered) -> None:
        self._knowledge = knowledge
        self._tracker = tracker
        self._settings = settings
        #: Turns an intent into the reply and state that answer it (the answering policy's).
        self._answered = answered

    def about(self, turn: Turn, analysis: Analysis, state: ConversationState) -> Turn | None:
        """"is that a good idea for a junior?" right after an answer is about that answer, unless the
        question clearly says something else; ``None`` when the turn stands as matched."""
        reply, words = turn[0], analysis.words
        last = self._knowledge.get(state.intent or "")
        if (last is None or reply.intent == last.id or last.id.startswith(META_PREFIX)
                or (reply.intent or "").startswith(META_PREFIX)):
            return None
        one_job = last.topic == JOBS_TOPIC and not self._tracker.lists.listed(last)
        if reply.outside is not None and not (
                one_job and len(words) <= SHORT_FOLLOW_UP and SUITS.intersection(words)
                and not OFF_TOPIC_WORDS.intersection(words)):
            # Turned away stays turned away, but "is it good for learning?" after one kind of job asks about it.
            return None
        pointing = _THAT if state.company or analysis.company else _THAT | THERE
        if one_job:
            # After one kind of job, "they" are its employers: "what skills do they want?"
            pointing = pointing | THEY
        # "good for a beginner?" after one kind of job asks how that job suits someone.
        suits = one_job and len(words) <= SHORT_FOLLOW_UP and bool(SUITS.intersection(words))
        if ((not pointing.intersection(words) and not suits) or len(words) > THAT_FOLLOW_UP or "who" in words[:2]
                or (last.role in ROLES and analysis.roles - {last.role})):
            return None
        matched = self._knowledge.get(reply.intent or "")
        # "what language do they rewrite it in?": a subject the question names (tools, skills).
        named = {TOPIC_WORDS[w] for w in words if w in TOPIC_WORDS}
        # "what do data scientists focus on there?" after one kind of job: its data scientists.
        its_people = not analysis.roles or (analysis.roles == {DATA_SCIENTIST} and bool(THERE.intersection(words)))
        if (one_job and its_people and (matched is None or matched.topic != JOBS_TOPIC)
                and not (reply.kind is ReplyKind.ANSWER and reply.confidence >= self._settings.certain
                         and matched is not None and ((matched.role == BOTH and not named) or (
                             not pointing.intersection(words) and words[0] in _ASKING)))):
            # "is it good for a beginner?", "what skills does it need then?" after one kind of job: that job
            # (but "how do they work together?" is still the teamwork answer).
            return self._answered(last, reply.confidence, state)
        if matched is not None and last.role not in ROLES and matched.role in analysis.roles:
            # "is that the data scientists' job?" after how Quora checks its models: the role's own answer.
            return None
        moved = self._same_role_new_topic(reply, last, state)
        if moved is not None and not analysis.roles and not (THERE & set(words) and pointing is not _THAT):
            # "what skills does that need?" after what a data scientist does: the role, on a new topic.
            return turn if reply.kind is ReplyKind.ANSWER else self._answered(moved, reply.confidence, state)
        pointed = bool(_THAT_ONE.search(" ".join(words))) and not analysis.roles
        if reply.confidence >= self._settings.certain and not pointed:
            return None
        subject = self._tracker.slots.subjects.get
        offered = self._knowledge.get(
            next((c for c in (reply.intent, *reply.candidates) if c and subject(c) in named), ""))
        if offered is not None and subject(last.id) not in named:
            # "what language do they usually rewrite it in?" after who takes a prototype to production: the
            # tools, which the question names, not the last answer again.
            return turn if reply.kind is ReplyKind.ANSWER else self._answered(offered, reply.confidence, state)
        return self._answered(last, reply.confidence, state, named=analysis.roles)

    def _same_role_new_topic(self, reply: Reply, last: Intent, state: ConversationState) -> Intent | None:
        """The intent a reply answers (or, clarifying, offers first) on another topic for the role
        talked about ("what skills does that need?" after what a data scientist does)."""
        found_id = reply.intent if reply.kind is ReplyKind.ANSWER else (reply.candidates or (None,))[0]
        found = self._knowledge.get(found_id or "")
        if found is not None and found.topic != last.topic and state.role in ROLES and found.role == state.role:
            return found
        return None
