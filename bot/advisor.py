"""The advisor: answers a question in a conversation with a :class:`~bot.reply.Reply`.

Each turn goes through the dialogue policies in order: the fit check (its tokens, its answers typed
or clicked, stop and restart), then answering (follow-ups resolved against the conversation's state,
everything else matched by the learned decision).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from bot.answering import AnswerPolicy
from bot.fitcheck import FitPolicy
from bot.knowledge import KnowledgeBase, TextLimits, builtin_knowledge_dir
from bot.matcher import IntentMatcher, Match, MatchSettings
from bot.memory import ContextStore, ConversationState, MemoryContextStore
from bot.reply import Reply, Suggestion
from bot.text import MAX_INPUT_CHARS
from bot.tokens import FIT_QUESTION, PATH_INTENT_PREFIX

#: How many suggestions a reply offers at most, unless the advisor is given another number.
MAX_SUGGESTIONS = 6


class Advisor:
    """Answers questions from a knowledge base, keeping each conversation's context.

    >>> advisor = Advisor.load()
    >>> reply = advisor.ask("what does an ML engineer do at Quora?", conversation_id="cli:me")
    >>> reply.intent, reply.kind.value
    ('quora.ml-engineer', 'answer')
    >>> advisor.ask("and data scientists?", conversation_id="cli:me").intent
    'quora.data-scientist'
    """

    def __init__(
        self,
        knowledge: KnowledgeBase,
        *,
        settings: MatchSettings | None = None,
        memory: ContextStore | None = None,
        max_suggestions: int = MAX_SUGGESTIONS,
        clock: Callable[[], float] = time.time,
        cache_dir: Path | None = None,
        limits: TextLimits | None = None,
    ) -> None:
        self.knowledge = knowledge
        #: The text limits the knowledge was loaded within, for loading it again.
        self.limits = limits or TextLimits()
        self.matcher = IntentMatcher(knowledge, settings=settings, cache_dir=cache_dir)
        self.settings = self.matcher.settings
        self.memory: ContextStore = memory if memory is not None else MemoryContextStore()
        self.max_suggestions = max_suggestions
        self.cache_dir = cache_dir
        # Wall-clock time: a fit check may be continued on another replica sharing the store.
        self.clock = clock
        self._answering = AnswerPolicy(knowledge, self.matcher, FitPolicy(knowledge, suggest=self._suggest),
                                       max_suggestions=max_suggestions)
        self._fit = self._answering.fit

    @classmethod
    def load(
        cls,
        *dirs: str | Path,
        with_builtin: bool = False,
        settings: MatchSettings | None = None,
        memory: ContextStore | None = None,
        cache_dir: Path | None = None,
        limits: TextLimits | None = None,
    ) -> Advisor:
        """An advisor over knowledge folders: the built-in knowledge when none is given,
        and under the given folders too when ``with_builtin`` is true. ``cache_dir`` keeps what
        is learned from a knowledge base (phrasing embeddings, the decision) across starts; ``limits``
        are the longest texts the platforms served show (none by default)."""
        folders: Iterable[str | Path] = dirs
        if not dirs or with_builtin:
            folders = (builtin_knowledge_dir(), *dirs)
        return cls(KnowledgeBase.load(*folders, limits=limits), settings=settings, memory=memory,
                   cache_dir=cache_dir, limits=limits)

    def ask(self, text: str, *, conversation_id: str = "default") -> Reply:
        """The reply to ``text`` in the conversation ``conversation_id``; never raises for any text."""
        state = self.memory.get(conversation_id) or ConversationState()
        reply, new_state = self._reply(text[:MAX_INPUT_CHARS], state, self.clock())
        self.memory.put(conversation_id, new_state)
        return reply

    def _reply(self, text: str, state: ConversationState, now: float) -> tuple[Reply, ConversationState]:
        state, expired = self._fit.expire(state, now)
        analysis = self.matcher.analyze(text)
        handled = self._fit.step(text, analysis, state, now, expired=expired)
        if handled is not None:
            # The check's steps keep the conversation's topic, not what a technical aside left for one turn.
            return handled[0], replace(handled[1], aside=None)
        reply, new_state = self._answering.respond(text, analysis, state, now=now)
        if reply.intent == FIT_QUESTION:
            return reply, new_state  # the check asked for in words ("quiz me")
        # A question asked in the middle of the check leaves it open: its buttons still work.
        return reply, replace(new_state, fit=state.fit, fit_at=state.fit_at)

    def reply_for(self, intent_id: str, *, confidence: float = 1.0) -> Reply:
        """The answer of one intent (or learning path, ``path.<role>``), as :meth:`ask` would give it."""
        if intent_id.startswith(PATH_INTENT_PREFIX):
            path = self.knowledge.paths.get(intent_id.removeprefix(PATH_INTENT_PREFIX))
            if path is not None:
                return self._fit.path_reply(path)
        return self._answering.answer(self.knowledge[intent_id], confidence)

    def likely_intents(self, text: str, *, limit: int = 3, score_cutoff: float | None = None) -> list[Match]:
        """The best few intents for ``text``, best first, without answering it or touching a conversation
        (for autocomplete and reports); ``score_cutoff`` defaults to the least confidence worth a clarification."""
        cutoff = self.settings.clarify_threshold if score_cutoff is None else score_cutoff
        return self.matcher.match(text, limit=limit, score_cutoff=cutoff)

    def count(self, key: str, *, window_seconds: float) -> int:
        """Count one more event under ``key`` in the conversations' store and return how many happened in the
        last ``window_seconds`` (rate limits; shared by the replicas that share the store)."""
        return self.memory.count(key, window_seconds=window_seconds)

    def claim(self, key: str, *, ttl_seconds: float) -> bool:
        """Whether ``key`` is claimed now for the first time in ``ttl_seconds`` (a delivery handled once)."""
        return self.memory.claim(key, ttl_seconds=ttl_seconds)

    def reloaded(self, knowledge: KnowledgeBase) -> Advisor:
        """An advisor over new ``knowledge`` (loaded within :attr:`limits`) with this one's settings, store and
        cache, so conversations and counters carry over a reload."""
        return Advisor(knowledge, settings=self.settings, memory=self.memory, max_suggestions=self.max_suggestions,
                       clock=self.clock, cache_dir=self.cache_dir, limits=self.limits)

    def _suggest(self, intent_ids: Iterable[str]) -> tuple[Suggestion, ...]:
        return self._answering.suggest(intent_ids)


__all__ = ["Advisor", "Match"]
