"""The advisor: answers a question in a conversation with a :class:`~bot.reply.Reply`."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from bot import fit
from bot.knowledge import Intent, KnowledgeBase, builtin_knowledge_dir
from bot.matcher import IntentMatcher, Match, MatchSettings
from bot.memory import ContextStore, ConversationState, MemoryContextStore
from bot.reply import BulletList, Paragraph, Question, Reply, ReplyKind, Suggestion
from bot.text import Analysis

SCOPE = (
    "I answer questions about data scientists and machine-learning engineers: what each does, "
    "how they differ and work together, the Quora example, the kinds of data-science jobs, "
    "the skills each role needs, and which path might fit you."
)
ONE_COMPANY = "My sources describe one company's example, Quora's, so I can't speak for other companies."


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
        max_suggestions: int = 6,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.knowledge = knowledge
        self.matcher = IntentMatcher(knowledge, settings=settings)
        self.settings = self.matcher.settings
        self.memory: ContextStore = memory if memory is not None else MemoryContextStore()
        self.max_suggestions = max_suggestions
        # Wall-clock time: a fit check may be continued on another replica sharing the store.
        self.clock = clock

    @classmethod
    def load(
        cls,
        *dirs: str | Path,
        with_builtin: bool = False,
        settings: MatchSettings | None = None,
        memory: ContextStore | None = None,
    ) -> Advisor:
        """An advisor over knowledge folders: the built-in knowledge when none is given,
        and under the given folders too when ``with_builtin`` is true."""
        folders: Iterable[str | Path] = dirs
        if not dirs or with_builtin:
            folders = (builtin_knowledge_dir(), *dirs)
        return cls(KnowledgeBase.load(*folders), settings=settings, memory=memory)

    def answer(self, question: Question) -> Reply:
        """The reply to a question; never raises for any text."""
        return self.ask(question.text, conversation_id=question.conversation_id)

    def ask(self, text: str, *, conversation_id: str = "default") -> Reply:
        """The reply to ``text`` in the conversation ``conversation_id``; never raises for any text."""
        state = self.memory.get(conversation_id) or ConversationState()
        reply, new_state = self._reply(text, state, self.clock())
        self.memory.put(conversation_id, new_state)
        return reply

    def _reply(self, text: str, state: ConversationState, now: float) -> tuple[Reply, ConversationState]:
        check = self.knowledge.fit
        expired = state.fit is not None and (check is None or now - (state.fit_at or 0.0) > check.expire_seconds)
        if expired:
            state = replace(state, fit=None, fit_at=None)
        handled = self._fit_step(text, state, now, expired=expired)
        if handled is not None:
            return handled
        analysis = self.matcher.analyze(text)
        token = self._fit_option(analysis, state)
        if token is not None:
            handled = self._fit_step(token, state, now, expired=False)
            if handled is not None:
                return handled
        reply, new_state = self._respond(analysis, state)
        # A question asked in the middle of the check leaves it open: its buttons still work.
        return reply, replace(new_state, fit=state.fit, fit_at=state.fit_at)

    def _fit_option(self, analysis: Analysis, state: ConversationState) -> str | None:
        """"2" or "the second one" during the check: the answer token of that option of the open question."""
        check = self.knowledge.fit
        if state.fit is None or analysis.ordinal is None or check is None:
            return None
        options = check.questions[len(state.fit)].options
        if not 0 < analysis.ordinal <= len(options):
            return None
        return fit.answer_token(len(state.fit) + 1, options[analysis.ordinal - 1].key)

    def _fit_step(self, text: str, state: ConversationState, now: float, *,
                  expired: bool) -> tuple[Reply, ConversationState] | None:
        """The reply when ``text`` starts, answers, stops or restarts the fit check, or asks for a
        learning path; ``None`` for anything else."""
        stripped = text.strip()
        if stripped.startswith(fit.PATH_PREFIX):
            path = self.knowledge.paths.get(stripped.removeprefix(fit.PATH_PREFIX))
            return None if path is None else (self._path_reply(path), state)
        check = self.knowledge.fit
        if check is None:
            return None
        said = fit.normalize(text)
        running = state.fit is not None
        stop = stripped == fit.STOP_TOKEN or (running and said in check.stop_phrases)
        restart = stripped == fit.RESTART_TOKEN or (running and said in check.restart_phrases)
        start = stripped == fit.START_TOKEN or said in check.start_phrases
        answer = fit.parse_answer(stripped)
        idle = replace(state, fit=None, fit_at=None)
        if stop:
            if not running:
                return fit.notice_reply("No fit check running", "There's no fit check to stop."), idle
            return fit.notice_reply("Fit check stopped", "I've stopped the check and forgotten your answers. "
                                    "Type **fit** to start again."), idle
        if restart or start:
            if start and running and state.fit:
                note = "You're in the middle of the check; here is where you were. Type **restart** to begin again."
                return fit.question_reply(check, state.fit, note=note), replace(state, fit_at=now)
            return fit.question_reply(check, ()), replace(state, fit=(), fit_at=now)
        if answer is None:
            return None
        if state.fit is None:
            title = "That fit check has expired" if expired else "That fit check has ended"
            return fit.notice_reply(title, "That button belongs to a check that is no longer running. "
                                    "Start a new one when you're ready.", start_label="Start a new fit check"), idle
        number, key = answer
        position = len(state.fit)
        option = check.questions[position].option(key) if number == position + 1 else None
        if option is None:
            note = "That button belongs to another question; here is where you are."
            return fit.question_reply(check, state.fit, note=note), replace(state, fit_at=now)
        answers = (*state.fit, key)
        if len(answers) < len(check.questions):
            return fit.question_reply(check, answers), replace(state, fit=answers, fit_at=now)
        outcome_related = self._fit_related(check, answers)
        reply = fit.result_reply(check, answers, self.knowledge.paths, list(self._suggest(outcome_related)))
        return reply, replace(idle, options=tuple(s.intent for s in reply.suggestions if s.intent))

    @staticmethod
    def _fit_related(check: fit.FitCheck, answers: tuple[str, ...]) -> tuple[str, ...]:
        """The intents the result links to, with those explaining its next skills."""
        result = check.results[fit.score(check, answers)[0]]
        return (*result.related, *(s.intent for s in result.next_skills))

    def _path_reply(self, path: fit.LearningPath) -> Reply:
        steps = [s.intent for s in path.steps if s.intent]
        return fit.path_reply(path, list(self._suggest(steps)))

    def reply_for(self, intent_id: str, *, confidence: float = 1.0) -> Reply:
        """The answer of one intent (or learning path, ``path.<role>``), as :meth:`ask` would give it."""
        path = self.knowledge.paths.get(intent_id.removeprefix("path.")) if intent_id.startswith("path.") else None
        if path is not None:
            return self._path_reply(path)
        return self._answer(self.knowledge[intent_id], confidence)

    def _respond(self, analysis: Analysis, state: ConversationState) -> tuple[Reply, ConversationState]:
        if not analysis.words:
            # Nothing but a mention, emoji or blank space: say what the bot can do.
            help_intent = self.knowledge.get("meta.help")
            if help_intent is not None:
                return self._answered(help_intent, 1.0, state)
        if analysis.ordinal is not None and not state.options:
            return self._fallback(0.0, analysis, state)
        picked = self._pick_option(analysis, state) or self._switch_slots(analysis, state)
        if isinstance(picked, Intent):
            return self._answered(picked, 1.0, state)
        if picked:
            return self._clarified(picked, 1.0, analysis, state)
        prefer_role = None
        if not analysis.roles and state.role in ("data-scientist", "ml-engineer"):
            prefer_role = state.role
        matches = self.matcher.match(analysis, limit=6, prefer_role=prefer_role)
        s = self.settings
        in_scope = [m for m in matches if m.intent_id is not None]
        top = matches[0] if matches else None
        if top is None or top.intent_id is None or top.score < s.clarify_threshold:
            best = in_scope[0].score if in_scope else 0.0
            return self._fallback(best, analysis, state)
        runner_up = in_scope[1].score if len(in_scope) > 1 else 0.0
        if prefer_role is None and not analysis.roles and len(in_scope) > 1:
            first, second = self.knowledge[in_scope[0].intent_id or ""], self.knowledge[in_scope[1].intent_id or ""]
            if self._role_variants(first, second) and top.score - runner_up < s.role_margin:
                # "what do they need to learn?" with no role anywhere: ask which role.
                return self._clarified((first, second), top.score, analysis, state)
        if top.score >= s.certain or (top.score >= s.answer_threshold and top.score - runner_up >= s.margin):
            return self._answered(self.knowledge[top.intent_id], top.score, state)
        close = tuple(
            self.knowledge[m.intent_id] for m in in_scope[:3]
            if m.intent_id is not None and m.score >= max(s.clarify_threshold, top.score - 0.15)
        )
        return self._clarified(close, top.score, analysis, state)

    @staticmethod
    def _role_variants(first: Intent, second: Intent) -> bool:
        """Two intents on one topic that differ only in which role they are about."""
        roles = {first.role, second.role}
        return roles == {"data-scientist", "ml-engineer"} and first.topic == second.topic \
            and first.company == second.company

    def _pick_option(self, analysis: Analysis, state: ConversationState) -> Intent | None:
        """"the second one" after a list picks the second option offered."""
        if analysis.ordinal is None or not state.options:
            return None
        position = analysis.ordinal - 1 if analysis.ordinal > 0 else len(state.options) - 1
        if not 0 <= position < len(state.options):
            return None
        return self.knowledge.get(state.options[position])

    def _switch_slots(self, analysis: Analysis, state: ConversationState) -> Intent | tuple[Intent, ...] | None:
        """"and for ML engineers?" or "how about at Quora?": the last topic with a new role or company."""
        if not analysis.slots_only:
            return None
        if not (state.topic or state.role or state.company):
            if analysis.company and not analysis.roles:
                # "how about at Quora?" with nothing before it: ask which role.
                at_company = tuple(i for i in self.knowledge.intents if i.company == analysis.company)
                return at_company if len(at_company) > 1 else None
            return None
        role = "both" if len(analysis.roles) == 2 else next(iter(analysis.roles), state.role)
        company = analysis.company or state.company
        fitting = [i for i in self.knowledge.intents if i.company == company and i.role == role]
        if not fitting and role == "both":
            fitting = [i for i in self.knowledge.intents
                       if i.company == company and i.role in ("data-scientist", "ml-engineer")]
            same = [i for i in fitting if i.topic == state.topic] or fitting
            return tuple(same[:3]) if len(same) > 1 else (same[0] if same else None)
        same_topic = [i for i in fitting if i.topic == state.topic] or fitting
        return same_topic[0] if same_topic else None

    def _answered(self, intent: Intent, confidence: float,
                  state: ConversationState) -> tuple[Reply, ConversationState]:
        reply = self._answer(intent, confidence)
        new_state = ConversationState(
            intent=intent.id,
            topic=intent.topic,
            role=intent.role or state.role,
            company=intent.company,
            # "the second one" points at what was shown: the suggestions, in order.
            options=tuple(s.intent for s in reply.suggestions if s.intent),
        )
        return reply, new_state

    def _answer(self, intent: Intent, confidence: float) -> Reply:
        return Reply(
            kind=ReplyKind.ANSWER,
            intent=intent.id,
            confidence=confidence,
            title=intent.title,
            body=intent.answer,
            sources=intent.sources,
            suggestions=self._suggest(intent.related) + self._offers(intent.id),
        )

    def _offers(self, intent_id: str) -> tuple[Suggestion, ...]:
        """The fit check and learning paths this intent's answer offers, after its related intents."""
        offers = [Suggestion(label=path.offer, query=fit.PATH_PREFIX + path.role)
                  for path in self.knowledge.paths.values() if intent_id in path.offered_with]
        check = self.knowledge.fit
        if check is not None and intent_id in check.offered_with:
            offers.insert(0, Suggestion(label="Take the fit check", query=fit.START_TOKEN))
        return tuple(offers)

    def _clarified(self, choices: tuple[Intent, ...], confidence: float, analysis: Analysis,
                   state: ConversationState) -> tuple[Reply, ConversationState]:
        reply = Reply(
            kind=ReplyKind.CLARIFY,
            intent=None,
            confidence=confidence,
            title="Which of these do you mean?",
            body=(
                Paragraph("I'm not sure which of these you mean. Pick one, or ask again in other words:"),
                BulletList(tuple(choice.title for choice in choices)),
            ),
            suggestions=self._suggest(choice.id for choice in choices),
            candidates=tuple(choice.id for choice in choices),
        )
        roles = analysis.roles
        new_state = ConversationState(
            intent=state.intent,
            topic=state.topic,
            role=next(iter(roles)) if len(roles) == 1 else state.role,
            company=analysis.company or state.company,
            options=tuple(choice.id for choice in choices),
        )
        return reply, new_state

    def _fallback(self, confidence: float, analysis: Analysis,
                  state: ConversationState) -> tuple[Reply, ConversationState]:
        paragraphs = [Paragraph("I can't answer that from what I know. " + SCOPE)]
        if analysis.other_company and analysis.roles:
            paragraphs.append(Paragraph(ONE_COMPANY))
        paragraphs.append(Paragraph("Try one of these, or type **help** for the list of topics."))
        offered: list[str] = [
            i.id for i in self.knowledge.intents
            if i.topic == "role" and i.role in analysis.roles and i.company in (None, analysis.company)
        ]
        help_intent = self.knowledge.get("meta.help")
        offered += help_intent.related if help_intent else [i.id for i in self.knowledge.intents]
        suggestions = self._suggest(offered)
        reply = Reply(
            kind=ReplyKind.FALLBACK,
            intent=None,
            confidence=min(1.0, max(0.0, confidence)),
            title="That's outside what I cover",
            body=tuple(paragraphs),
            suggestions=suggestions,
        )
        roles = analysis.roles
        new_state = ConversationState(
            role=next(iter(roles)) if len(roles) == 1 else state.role,
            company=analysis.company,
            options=tuple(s.intent for s in suggestions if s.intent),
        )
        return reply, new_state

    def _suggest(self, intent_ids: Iterable[str]) -> tuple[Suggestion, ...]:
        suggestions: list[Suggestion] = []
        seen: set[str] = set()
        for intent_id in intent_ids:
            intent = self.knowledge.get(intent_id)
            if intent is None or intent_id in seen:
                continue
            seen.add(intent_id)
            suggestions.append(Suggestion(label=intent.title, query=intent.questions[0], intent=intent.id))
            if len(suggestions) == self.max_suggestions:
                break
        return tuple(suggestions)


__all__ = ["Advisor", "Match"]
