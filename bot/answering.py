"""The answering policy: a question of its own, or a follow-up, turned into an answer, a
clarification or an honest "outside what I cover"."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from itertools import combinations

from bot import declining
from bot.cues import LIST_NOUNS, PART, THEY
from bot.dialogue import Tracker
from bot.fitcheck import PATH_TOPIC, FitPolicy
from bot.knowledge import Intent, KnowledgeBase, OutsideTopic
from bot.matcher import GENERIC_OUTSIDE, IntentMatcher, Match
from bot.memory import ConversationState
from bot.pointing import SHORT_FOLLOW_UP, THAT_FOLLOW_UP, THERE, LastAnswer
from bot.posts import after_interjection, foreign, question_sentence, set_aside
from bot.reply import Reply, ReplyKind, Suggestion
from bot.requests import (
    asks_which_fits,
    asks_which_is_more,
    becomes_another_role,
    describes_self_then_chooses,
    leaning,
    moves_from_a_job,
    names_own_job,
    switch_target,
)
from bot.semantic import Vectors
from bot.text import Analysis
from bot.tokens import (
    BOTH,
    GETTING_STARTED_INTENT,
    HELP_INTENT,
    META_PREFIX,
    OTHER_ROLES_TOPIC,
    ROLE_TOPIC,
    ROLES,
    SWITCH_INTENT,
    TECHNICAL_TOPIC,
    WHICH_ROLE_INTENT,
)

Turn = tuple[Reply, ConversationState]

#: Topics whose answer for both roles lists each role's side rather than comparing them.
_SIDE_BY_SIDE = frozenset({"tools"})
#: A post with an asking sentence is read whole from its last so many tokens, and the sentence on its own
#: from its last so many: both in one run of the model, whose cost grows with the longer of the two.
_BACKSTORY_TOKENS = 24
_ASKING_TOKENS = 24
#: Topics a self-description may touch and still ask which role fits ("...who loves Scala, which role?").
_FIT_DESPITE = frozenset({None, OTHER_ROLES_TOPIC, TECHNICAL_TOPIC})
#: Advice whose follow-ups ("and the roadmap?") take the role a self-description leans to.
_LEANS_ON = frozenset({WHICH_ROLE_INTENT, GETTING_STARTED_INTENT})


class AnswerPolicy:
    """Answers, clarifies or turns a question away, with the conversation's state as context."""

    def __init__(self, knowledge: KnowledgeBase, matcher: IntentMatcher, fit: FitPolicy, *,
                 max_suggestions: int = 6) -> None:
        self.knowledge = knowledge
        self.matcher = matcher
        self.settings = matcher.settings
        self.fit = fit
        self.tracker = Tracker(knowledge)
        self._last = LastAnswer(knowledge, self.tracker, self.settings, self.answered)
        self.max_suggestions = max_suggestions
        self._outside = {topic.id: topic for topic in knowledge.outside}
        # Answers "which of the two is for me?" is often taken for: a comparison of the roles, what whoswho does.
        self._not_a_fit = frozenset(i.id for i in knowledge.intents
                                    if i.topic == "meta" or (i.topic == ROLE_TOPIC and i.role == BOTH))
        help_intent = knowledge.get(HELP_INTENT)
        # What a fallback offers: the help topics (or every intent), worked out once.
        self._fallback_offers = list(help_intent.related if help_intent else (i.id for i in knowledge.intents))
        self._roles_by_company: dict[tuple[str, str | None], list[str]] = {}
        for intent in knowledge.intents:
            if intent.topic == ROLE_TOPIC and intent.role in ROLES:
                self._roles_by_company.setdefault((intent.role, intent.company), []).append(intent.id)

    def respond(self, text: str, analysis: Analysis, state: ConversationState, *, now: float) -> Turn:
        """The reply to one turn that the fit check did not claim (``now`` on the advisor's clock)."""
        help_intent = self.knowledge.get(HELP_INTENT)
        if not analysis.words and help_intent is not None:
            # Nothing but a mention, emoji or blank space: say what the bot can do.
            return self.answered(help_intent, 1.0, state)
        if foreign(text, analysis):
            return self._not_english(state)
        correction = self.tracker.correction(text) or after_interjection(text)
        if correction is not None:
            text, analysis = correction, self.matcher.analyze(correction)
        analysis = self.tracker.with_role_words(analysis, state)
        if analysis.ordinal is not None and not state.options and not LIST_NOUNS.intersection(analysis.words):
            return self._fallback(0.0, analysis, state)
        special = self.fit.asked(text, analysis, state, now) or self.fit.path_follow_up(analysis, state)
        if special is not None:
            return special
        aside = self.knowledge.get(state.aside or "")
        if aside is not None and self.tracker.about_aside(analysis):
            # "how does kNN work?" (turned away), then "ok, but do I need it as a DS?": what a DS needs of ML;
            # "do MLEs need that too?" after an eigenvector: what an ML engineer needs.
            if len(analysis.roles) == 1:
                aside = self.tracker.slots.for_role(aside, next(iter(analysis.roles)))
            return self.answered(aside, 1.0, state, named=analysis.roles)
        used = self.tracker.used_there(analysis, state)
        if used is not None:
            return self.answered(used, 1.0, state)
        still = self._outside.get(state.outside or "")
        if still is not None and still.id == OTHER_ROLES_TOPIC and analysis.slots_only and len(analysis.roles) == 1:
            # "what's a data engineer?" (turned away), then "and an ML engineer?": one of the two roles.
            (role,) = analysis.roles
            found = self.knowledge.get(next(iter(self._roles_by_company.get((role, analysis.company), [])), ""))
            if found is not None:
                return self.answered(found, 1.0, state, named=analysis.roles)
        if still is not None and self.tracker.stays_outside(analysis, state):
            # "how much does an MLE make?", then "and a DS?": pay again, for the other role.
            return self._outside_reply(still, 1.0, analysis, state)
        resolved = self.tracker.resolve(analysis, state)
        if isinstance(resolved, Intent):
            reply, new_state = self.answered(resolved, 1.0, state, named=analysis.roles)
            if analysis.ordinal is not None:
                # "the first one", then "and the last one?": both point into the list being walked through.
                new_state = replace(new_state, options=state.options)
            return reply, new_state
        if resolved:
            return self._clarified(resolved, 1.0, analysis, state)
        reply, new_state = self._question(text, analysis, state)
        target = (switch_target(analysis) if reply.intent == SWITCH_INTENT
                  else leaning(analysis) if reply.intent in _LEANS_ON and new_state.role not in ROLES else None)
        if target is not None:
            # "I'm a DS and want to be an MLE", then "what skills should I focus on?": the MLE's; "I love stats,
            # which role?", then "and the roadmap for that?": the data scientist's.
            new_state = replace(new_state, role=target)
        answered = self.knowledge.get(reply.intent or "")
        place = analysis.company or (state.company if THERE.intersection(analysis.words) else None)
        if (answered is not None and place and answered.company is None and not new_state.company
                and not any(i.company == place and i.topic == answered.topic for i in self.knowledge.intents)):
            # "how do they work together at Quora?": the general answer, and the conversation stays at Quora.
            new_state = replace(new_state, company=place)
        return reply, new_state

    def _question(self, text: str, analysis: Analysis, state: ConversationState) -> Turn:
        """A turn that is a question of its own, matched with the conversation as context."""
        context = self.tracker.context(analysis, state, text)
        asked = question_sentence(text)
        if asked is None:
            turn = self._matched(context.analysis, context.prefer_role, state)
        else:
            # A post with backstory ("I'm a backend engineer at a bank. ... What does an MLE do?"): the
            # sentence that asks is matched on its own too, with the roles and company the post names.
            found = self.matcher.analyze(asked)
            found = replace(found, roles=found.roles or context.analysis.roles,
                            company=found.company or context.analysis.company)
            # The model reads the post twice in one run: its last tokens, and its asking sentence on its own.
            whole, sentence = self.matcher.embed_many(
                [(context.analysis, _BACKSTORY_TOKENS), (found, _ASKING_TOKENS)])
            turn = self._matched(context.analysis, context.prefer_role, state, embedding=whole)
            alone = self._matched(found, context.prefer_role, state, embedding=sentence)
            narrower = self._narrower(turn, alone, state)
            if narrower is not None:
                turn = narrower
            elif (alone[0].confidence > turn[0].confidence and (alone[0].kind is ReplyKind.ANSWER
                                                               or turn[0].kind is not ReplyKind.ANSWER)) or (
                    alone[0].kind is ReplyKind.ANSWER and turn[0].kind is not ReplyKind.ANSWER
                    and set_aside(text) is not None):
                # "pay is off the table, so skip that - what does an MLE need?": the question, not the aside.
                turn = alone
        requested = self._requested(turn, analysis, state)
        if requested is not None:
            return requested
        about = self._last.about(turn, analysis, state)
        if about is not None:
            return about
        last = self.knowledge.get(state.intent or "")
        if (turn[0].kind is not ReplyKind.ANSWER and last is not None and len(analysis.words) <= SHORT_FOLLOW_UP
                and PART.intersection(analysis.words) and turn[0].confidence < self.settings.answer_threshold
                and not self.tracker.lists.listed(last)):
            # "whats the system design part about?": a part of the last answer, which says what it is.
            return self.answered(last, turn[0].confidence, state)
        if (turn[0].kind is not ReplyKind.ANSWER and turn[0].outside is None and last is not None
                and not (last.id.startswith(META_PREFIX) and analysis.roles) and len(analysis.words) <= THAT_FOLLOW_UP
                and (analysis.anaphora or len(analysis.words) <= SHORT_FOLLOW_UP)):
            # "where does it matter most?" means the last topic: read it with that topic's title.
            text = f"{context.text} ({last.title})"
            retry = self._matched(self.tracker.context(self.matcher.analyze(text), state, text).analysis,
                                  context.prefer_role, state)
            if retry[0].kind is ReplyKind.ANSWER:
                return retry
        return turn

    def _requested(self, turn: Turn, analysis: Analysis, state: ConversationState) -> Turn | None:
        """What a question's own words ask for, over what it was matched to: the asker's fit, a role other
        than the two, a move from a job, the two roles compared on a trait; ``None`` when the turn stands."""
        fits = self.knowledge.get(WHICH_ROLE_INTENT)
        if (fits is not None and turn[0].outside in _FIT_DESPITE and asks_which_fits(analysis)
                and (turn[0].kind is not ReplyKind.ANSWER or turn[0].intent in self._not_a_fit
                     or turn[0].confidence < self.settings.certain or describes_self_then_chooses(analysis))):
            # "qa tester here, I like making charts. which role?": the asker's own fit, however they describe it.
            return self.answered(fits, turn[0].confidence, state)
        other_roles = self._outside.get(OTHER_ROLES_TOPIC)
        if other_roles is not None and turn[0].intent is not None and becomes_another_role(analysis):
            # "how do I become a data analyst?": not a move between the two roles.
            return self._outside_reply(other_roles, turn[0].confidence, analysis, state)
        switch = self.knowledge.get(SWITCH_INTENT)
        if switch is not None and turn[0].intent == GETTING_STARTED_INTENT and moves_from_a_job(analysis):
            # "I'm a data analyst, how do I become a data scientist?": a move from a job, not a start from nothing.
            return self.answered(switch, turn[0].confidence, state)
        if (switch is not None and turn[0].intent != SWITCH_INTENT and turn[0].outside in (None, OTHER_ROLES_TOPIC)
                and not analysis.other_company and names_own_job(analysis)
                and (turn[0].kind is not ReplyKind.ANSWER or turn[0].confidence < self.settings.certain)
                and (state.topic == PATH_TOPIC or state.intent == GETTING_STARTED_INTENT)):
            # "I'm already a data scientist btw" after the path to ML engineer: a move between the roles.
            return self.answered(switch, 1.0, state, named=analysis.roles)
        if turn[0].intent == WHICH_ROLE_INTENT and asks_which_is_more(analysis):
            # "DS or MLE, which one is closer to research?": the two compared, not the asker's fit.
            compared = self.tracker.slots.role_answer(BOTH, analysis.company)
            if compared is not None:
                return self.answered(compared, turn[0].confidence, state)
        return None

    def _narrower(self, whole: Turn, alone: Turn, state: ConversationState) -> Turn | None:
        """"we're metrics-driven but not a data company: what type of DS job is that?": the asking sentence
        alone names the overview (the four job types), the whole post the one item it describes."""
        overview = self.knowledge.get(alone[0].intent or "")
        if overview is None or alone[0].kind is not ReplyKind.ANSWER:
            return None
        reply = whole[0]
        item_id = reply.intent if reply.kind is ReplyKind.ANSWER else (reply.candidates or (None,))[0]
        item = self.knowledge.get(item_id or "")
        if (item is None or item.id not in self.tracker.lists.listed(overview)
                or reply.confidence < self.settings.clarify_threshold):
            return None
        return whole if reply.kind is ReplyKind.ANSWER else self.answered(item, reply.confidence, state)

    def _matched(self, analysis: Analysis, prefer_role: str | None, state: ConversationState, *,
                 embedding: Vectors | None = None) -> Turn:
        matches = self.matcher.match(analysis, limit=6, prefer_role=prefer_role, embedding=embedding)
        reply, new_state = self._decide(matches, analysis, prefer_role, state)
        if not reply.alternatives:
            # What else the question may have meant, for every kind of reply (records and insights read it).
            alternatives = tuple((m.intent_id, round(m.score, 4)) for m in matches
                                 if m.intent_id is not None and m.intent_id != reply.intent)
            reply = replace(reply, alternatives=alternatives)
        return reply, new_state

    def _decide(self, matches: list[Match], analysis: Analysis, prefer_role: str | None,
                state: ConversationState) -> Turn:
        s = self.settings
        in_scope = [m for m in matches if m.intent_id is not None]
        if matches and matches[0].outside in (None, GENERIC_OUTSIDE) and prefer_role is None \
                and not analysis.roles and len(in_scope) > 1:
            first, second = (self.knowledge[m.intent_id or ""] for m in in_scope[:2])
            together = in_scope[0].score + in_scope[1].score
            if ((matches[0].intent_id is None or matches[0].score < s.clarify_threshold)
                    and _role_variants(first, second)
                    and together > matches[0].score and together >= s.clarify_threshold):
                # "what do they need to learn?" with no role anywhere: about one of the two roles, not nothing.
                return self._clarified((first, second), in_scope[0].score, analysis, state)
        if not matches or matches[0].score < s.clarify_threshold:
            return self._fallback(in_scope[0].score if in_scope else 0.0, analysis, state)
        top = matches[0]
        if top.intent_id is None:
            topic = self._outside.get(top.outside or "")
            if topic is not None:
                # The nearest answer is kept for a follow-up about the aside ("do I need it as a DS?"), unless it
                # is one about whoswho itself.
                near = next((m.intent_id for m in in_scope[:1]
                             if not (m.intent_id or META_PREFIX).startswith(META_PREFIX)), None)
                return self._outside_reply(topic, top.score, analysis, state, aside=near)
            reply, kept = self._fallback(in_scope[0].score if in_scope else 0.0, analysis, state)
            if top.score >= s.answer_threshold:
                # Recognized as unrelated ("tell me a joke"), not merely unmatched.
                reply = replace(reply, outside=top.outside)
            return reply, kept
        runner_up = in_scope[1].score if len(in_scope) > 1 else 0.0
        first = self.knowledge[top.intent_id]
        if analysis.other_company and (first.company is not None or (analysis.roles and first.topic == ROLE_TOPIC)):
            # "is Google's ML engineer role the same as Quora's?", "what do DSes do at Riot?": the sources
            # know only Quora's.
            outside = next((self._outside[m.outside] for m in matches
                            if m.outside in self._outside and m.score >= s.clarify_threshold), None)
            if outside is not None:
                return self._outside_reply(outside, top.score, analysis, state)
            return self._fallback(top.score, analysis, state)
        if prefer_role is None and not analysis.roles and len(in_scope) > 1:
            second = self.knowledge[in_scope[1].intent_id or ""]
            if _role_variants(first, second) and top.score - runner_up < s.role_margin:
                # "what do they need to learn?" with no role anywhere: ask which role.
                return self._clarified((first, second), top.score, analysis, state)
        picked = next((item for m in in_scope[:2] if m.score >= s.answer_threshold
                       and (item := self.tracker.lists.item(self.tracker.lists.overview_of(
                           self.knowledge[m.intent_id or ""]), analysis))), None)
        if picked is not None:
            # "the second kind of DS job", "the last type": that item of the overview's list, not the overview.
            return self.answered(picked, top.score, state, named=analysis.roles,
                                 alternatives=[m for m in in_scope if m.intent_id != picked.id])
        if top.score >= s.certain or (top.score >= s.answer_threshold and top.score - runner_up >= s.margin):
            return self.answered(first, top.score, state, named=analysis.roles,
                                 alternatives=[m for m in in_scope if m.intent_id != first.id])
        close = [self.knowledge[m.intent_id] for m in in_scope[:3] if m.intent_id and m.score >= top.score / 2]
        chosen = tuple(i for i, m in zip(close, in_scope, strict=False) if m.score >= s.clarify_threshold)
        if prefer_role is None and not analysis.roles and THEY.intersection(analysis.words):
            # "what do they need to learn?" with no role anywhere: "they" are one of the two roles.
            chosen = next(((a, b) for a, b in combinations(close, 2) if _role_variants(a, b)), chosen)
        return self._clarified(chosen, top.score, analysis, state)

    def answered(self, intent: Intent, confidence: float, state: ConversationState, *,
                 alternatives: Iterable[Match] = (), named: frozenset[str] = frozenset()) -> Turn:
        """The answer of an intent, and the state it leaves; ``named`` are the roles the question named."""
        reply = self.answer(intent, confidence, alternatives=alternatives)
        role = intent.role or state.role
        if intent.role not in ROLES and len(named) == 1:
            # "is MLE right for me?" answered by advice about both roles: the conversation is about MLEs.
            role = next(iter(named))
        elif intent.topic in _SIDE_BY_SIDE and not named and state.role in ROLES:
            # "and the tools?" about data scientists, answered with both roles' tools: still about data scientists.
            role = state.role
        new_state = ConversationState(
            intent=intent.id, topic=intent.topic, role=role, company=intent.company,
            # "the second one" points at what was shown: the suggestions, in order.
            options=tuple(s.intent for s in reply.suggestions if s.intent),
        )
        return reply, new_state

    def answer(self, intent: Intent, confidence: float, *, alternatives: Iterable[Match] = ()) -> Reply:
        """An intent's answer as a reply."""
        return Reply(
            kind=ReplyKind.ANSWER, intent=intent.id, confidence=confidence, title=intent.title,
            body=intent.answer, sources=intent.sources,
            suggestions=self.suggest(intent.related) + self.fit.offers(intent.id),
            alternatives=tuple((m.intent_id, round(m.score, 4)) for m in alternatives if m.intent_id),
        )

    def _clarified(self, choices: tuple[Intent, ...], confidence: float, analysis: Analysis,
                   state: ConversationState) -> Turn:
        return declining.clarification(choices, confidence, analysis, state,
                                       self.suggest(choice.id for choice in choices))

    def _outside_reply(self, topic: OutsideTopic, confidence: float, analysis: Analysis,
                       state: ConversationState, *, aside: str | None = None) -> Turn:
        return declining.outside(topic, confidence, analysis, state,
                                 self.suggest([*topic.related, *self._fallback_offers]), aside=aside)

    def _not_english(self, state: ConversationState) -> Turn:
        return declining.not_english(state, self.suggest(self._fallback_offers))

    def _fallback(self, confidence: float, analysis: Analysis, state: ConversationState) -> Turn:
        offered = [intent_id for role in sorted(analysis.roles) for company in dict.fromkeys((None, analysis.company))
                   for intent_id in self._roles_by_company.get((role, company), [])]
        return declining.fallback(confidence, analysis, state, self.suggest([*offered, *self._fallback_offers]))

    def suggest(self, intent_ids: Iterable[str]) -> tuple[Suggestion, ...]:
        """Suggestions for intents, in order, without repeats, at most ``max_suggestions``."""
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


def _role_variants(first: Intent, second: Intent) -> bool:
    """Two intents on one topic that differ only in which role they are about."""
    return {first.role, second.role} == set(ROLES) and first.topic == second.topic \
        and first.company == second.company
