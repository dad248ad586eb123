"""The fit-check policy: starts, answers, stops and restarts the role-fit check, and shows learning paths,
also when asked for in words ("quiz me", "a roadmap to ML engineer").

It runs before answering: a turn it does not claim (``None``) goes on to the answering policy.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from bot import fit
from bot.cues import ASKING, INSTEAD, OFF_TOPIC_WORDS, SHORT, WANTS
from bot.dialogue import Tracker
from bot.knowledge import KnowledgeBase
from bot.memory import ConversationState
from bot.reply import Paragraph, Reply, ReplyKind, Suggestion
from bot.requests import asks_for_fit, asks_for_path, asks_to_become, preferred
from bot.text import Analysis
from bot.tokens import (
    GETTING_STARTED_INTENT,
    OTHER_ROLE,
    PATH_PREFIX,
    RESTART_TOKEN,
    ROLES,
    START_TOKEN,
    STOP_TOKEN,
)

Turn = tuple[Reply, ConversationState]
#: The conversation's topic after a learning path.
PATH_TOPIC = "path"
_WORD = re.compile(r"[a-z0-9]+")
# Words that say nothing about which option is meant.
_NOISE = frozenset("i a an the my me it its to of and or with for on in is am are be do id like more "
                   "most mostly option one prefer rather would pick choose go say".split())


class FitPolicy:
    """The role-fit check over the knowledge base's ``fit`` data, and its learning paths."""

    def __init__(self, knowledge: KnowledgeBase, *,
                 suggest: Callable[[list[str]], tuple[Suggestion, ...]]) -> None:
        self.knowledge = knowledge
        self.suggest = suggest

    def expire(self, state: ConversationState, now: float) -> tuple[ConversationState, bool]:
        """The state without a check that has run out of time, and whether one did."""
        check = self.knowledge.fit
        expired = state.fit is not None and (check is None or now - (state.fit_at or 0.0) > check.expire_seconds)
        return (replace(state, fit=None, fit_at=None), True) if expired else (state, False)

    def step(self, text: str, analysis: Analysis | None, state: ConversationState, now: float, *,
             expired: bool = False) -> Turn | None:
        """The reply when ``text`` starts, answers, stops or restarts the check, or asks for a learning
        path by its token; ``None`` for anything else."""
        stripped = text.strip()
        if stripped.startswith(PATH_PREFIX) and len(stripped) <= fit.MAX_TOKEN_CHARS:
            path = self.knowledge.paths.get(stripped.removeprefix(PATH_PREFIX))
            return None if path is None else self.path_turn(path, state)
        check = self.knowledge.fit
        if check is None:
            return None
        said = fit.normalize(text[: fit.MAX_TOKEN_CHARS * 2])
        running = state.fit is not None
        idle = replace(state, fit=None, fit_at=None)
        if stripped == STOP_TOKEN or said in check.stop_phrases:
            if not running:
                return fit.notice_reply("No fit check running", "**stop** ends a fit check, and none is running. "
                                        "Type **fit** to start one."), idle
            return fit.notice_reply("Fit check stopped", "I've stopped the check and forgotten your answers. "
                                    "Type **fit** to start again."), idle
        if stripped == RESTART_TOKEN or said in check.restart_phrases:
            if not running and stripped != RESTART_TOKEN:
                return fit.notice_reply("No fit check running", "**restart** begins a fit check again, and none "
                                        "is running. Type **fit** to start one."), idle
            return fit.question_reply(check, ()), replace(state, fit=(), fit_at=now, options=())
        if stripped == START_TOKEN or said in check.start_phrases:
            if running and state.fit:
                note = "You're in the middle of the check; here is where you were. Type **restart** to begin again."
                return fit.question_reply(check, state.fit, note=note), replace(state, fit_at=now)
            return fit.question_reply(check, ()), replace(state, fit=(), fit_at=now, options=())
        answer = fit.parse_answer(stripped)
        if answer is None and running and analysis is not None:
            answer = self._typed_answer(stripped, analysis, state)
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
            note = ("That isn't one of this question's options; pick one of these." if number == position + 1
                    else "That button belongs to another question; here is where you are.")
            return fit.question_reply(check, state.fit, note=note), replace(state, fit_at=now)
        answers = (*state.fit, key)
        if len(answers) < len(check.questions):
            return fit.question_reply(check, answers), replace(state, fit=answers, fit_at=now)
        result = check.results[fit.score(check, answers)[0]]
        related = [*result.related, *(s.intent for s in result.next_skills if s.intent)]
        reply = fit.result_reply(check, answers, self.knowledge.paths, list(self.suggest(related)))
        return reply, replace(idle, options=tuple(s.intent for s in reply.suggestions if s.intent))

    def _typed_answer(self, text: str, analysis: Analysis, state: ConversationState) -> tuple[int, str] | None:
        """An answer typed during the check: "2", "the second one", or an option's own words ("prototypes").

        A number that is not an option is kept as an answer to the open question, so it is asked again.
        """
        check = self.knowledge.fit
        assert check is not None and state.fit is not None
        number = len(state.fit) + 1
        options = check.questions[number - 1].options
        if analysis.ordinal is not None:
            index = analysis.ordinal - 1 if analysis.ordinal > 0 else len(options) - 1
            return (number, options[index].key) if 0 <= index < len(options) else (number, "")
        said = set(_WORD.findall(text.casefold())) - _NOISE
        if not said or len(said) > 6:
            return None
        overlaps = [len(said & (set(_WORD.findall(option.label.casefold())) - _NOISE)) for option in options]
        best = max(overlaps)
        # Most of what was typed must be the option's words, and only one option's.
        if best == 0 or 2 * best < len(said) or overlaps.count(best) > 1:
            return None
        return number, options[overlaps.index(best)].key

    def asked(self, text: str, analysis: Analysis, state: ConversationState, now: float) -> Turn | None:
        """A learning path or the fit check asked for in words ("a roadmap to ML engineer", "quiz me")."""
        if asks_for_fit(analysis):
            check = self.knowledge.fit
            if check is not None:
                return self.step(START_TOKEN, None, state, now)
        # The roles asked about: those named, else the one the conversation is about.
        named = analysis.roles or (frozenset({state.role}) if state.role in ROLES else frozenset())
        if asks_for_path(text, analysis):
            roles = preferred(analysis) or named
            paths = [self.knowledge.paths[r] for r in ROLES if r in roles and r in self.knowledge.paths]
            if len(paths) == 1:
                return self.path_turn(paths[0], state)
            if self.knowledge.paths:
                reply = Reply(
                    kind=ReplyKind.CLARIFY, intent=None, confidence=1.0, title="Which learning path?",
                    body=(Paragraph("I have a learning path for each role. Which one do you want?"),),
                    suggestions=tuple(Suggestion(label=p.offer, query=PATH_PREFIX + p.role)
                                      for p in self.knowledge.paths.values()),
                )
                return reply, state
        if asks_to_become(analysis) and len(named) == 1:
            path = self.knowledge.paths.get(next(iter(named)))
            if path is not None:
                return self.path_turn(path, state)
        return None

    def path_follow_up(self, analysis: Analysis, state: ConversationState) -> Turn | None:
        """"and the other role?" or "and for data scientists?" after a learning path: that role's path; "why
        that order?" the same one."""
        if (state.intent == GETTING_STARTED_INTENT and len(analysis.roles) == 1 and len(analysis.words) <= SHORT
                and (analysis.slots_only or (WANTS.intersection(analysis.words)
                                             and not (ASKING | OFF_TOPIC_WORDS).intersection(analysis.words)))):
            # "and if I want MLE specifically?" after where a beginner starts: that role's path.
            path = self.knowledge.paths.get(next(iter(analysis.roles)))
            return None if path is None else self.path_turn(path, state)
        if state.topic != PATH_TOPIC or state.role not in OTHER_ROLE:
            return None
        if len(analysis.roles) == 1 and (analysis.slots_only or (
                len(analysis.words) <= SHORT + 2 and INSTEAD.intersection(analysis.words))):
            role = next(iter(analysis.roles))
        elif Tracker.asks_for_other(analysis):
            role = OTHER_ROLE[state.role]
        elif Tracker.asks_more(analysis, stepped=True):
            role = state.role  # "why that order?", "what's step 3?": the same path
        else:
            return None
        path = self.knowledge.paths.get(role)
        return None if path is None else self.path_turn(path, state)

    def path_turn(self, path: fit.LearningPath, state: ConversationState) -> Turn:
        """A learning path, and the state it leaves: "and the other role?" asks for the other path."""
        reply = self.path_reply(path)
        return reply, replace(state, intent=None, topic=PATH_TOPIC, role=path.role, company=None, aside=None,
                              options=tuple(s.intent for s in reply.suggestions if s.intent))

    def path_reply(self, path: fit.LearningPath) -> Reply:
        """A learning path, with its steps' intents as suggestions."""
        return fit.path_reply(path, list(self.suggest([s.intent for s in path.steps if s.intent])))

    def offers(self, intent_id: str) -> tuple[Suggestion, ...]:
        """The fit check and learning paths an intent's answer offers, after its related intents."""
        offers = [Suggestion(label=path.offer, query=PATH_PREFIX + path.role)
                  for path in self.knowledge.paths.values() if intent_id in path.offered_with]
        check = self.knowledge.fit
        if check is not None and intent_id in check.offered_with:
            offers.insert(0, Suggestion(label="Take the fit check", query=START_TOKEN))
        return tuple(offers)
