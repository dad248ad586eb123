"""Dialogue state tracking: what a follow-up refers to, from the conversation so far.

The state (:class:`~bot.memory.ConversationState`) holds the last topic, role, company and intent and
the options shown. Elliptical follow-ups are resolved against it: "the second one", "and the other
role?", "and DS?", "what do they do there?", "sorry, I meant ML engineers". Anything that says more
than that is a new question, matched on its own with the state's role and company as context.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from bot.cues import (
    AND_IN,
    ASKS_TO_LEARN,
    COMPARED_ON,
    COMPARING,
    CORRECTION,
    DEICTIC,
    DEICTIC_ALL,
    DIFFERENCE_FRAME,
    DO_THEY,
    GENERAL,
    GENERAL_WORDS,
    HANDED_OVER,
    HANDOFF_VERBS,
    LEANING,
    LIKE_ROLE,
    MEANT_AFTER,
    MORE,
    NEED,
    NEXT,
    NOT_THERE,
    OFF_TOPIC_WORDS,
    OPENERS,
    OTHER,
    OTHER_WAY,
    OTHERS,
    PEOPLE,
    PLACE,
    PRODUCTION,
    ROLE_TOPICS,
    ROLE_WORDS,
    SAME_THING,
    SHORT,
    SLOT_FRAME,
    STEP,
    STEP_SHORT,
    STEPPED,
    THAT_SHORT,
    THE_ROLE,
    THE_TWO,
    THEN_WHAT,
    THEY,
    TOGETHER,
    TOPIC_FRAME,
    TOPIC_SHORT,
    USE,
    WEIGHING,
    WHAT_EACH,
    WHAT_IT_INVOLVES,
    WHAT_THEY_DO,
    WHICH_MORE,
    WHO_THEN,
    WHO_VERBS,
    WRITES_IN,
)
from bot.knowledge import Intent, KnowledgeBase
from bot.lists import Lists
from bot.memory import ConversationState
from bot.slots import Slots
from bot.text import Analysis
from bot.tokens import (
    BOTH,
    DATA_SCIENTIST,
    ML_ENGINEER,
    OTHER_ROLE,
    ROLE_NAMES,
    ROLE_TOPIC,
    ROLES,
    TECHNICAL_TOPIC,
)

#: The asker, in "do I need that?".
_ASKER = frozenset({"i", "me", "my", "im"})
#: At most so many characters for a turn to be read as a correction said before "I mean".
SHORT_TEXT = 160
#: "which role uses it more?": the roles asked about, without naming one.
ASKS_WHICH_ROLE = re.compile(r"\b(?:which (?:role|one|of them|of the two)|who)\b")


@dataclass(frozen=True)
class Context:
    """How to read a turn: the analysis to match (slots filled in from the state) and the role to prefer."""

    analysis: Analysis
    prefer_role: str | None
    #: The text to match, without a correction's preamble ("sorry, I meant").
    text: str


class Tracker:
    """Resolves follow-ups against a conversation's state, over one knowledge base."""

    def __init__(self, knowledge: KnowledgeBase) -> None:
        self.knowledge = knowledge
        self.lists = Lists(knowledge)
        self.slots = Slots(knowledge)

    def with_role_words(self, analysis: Analysis, state: ConversationState) -> Analysis:
        """"the engineers" as the ML engineers, once the conversation is under way and no role is named."""
        if analysis.roles or not (state.intent or state.role):
            return analysis
        found = THE_ROLE.search(" ".join(analysis.words))
        if found is None:
            return analysis
        role = ROLE_WORDS[found["word"]]
        return replace(analysis, roles=frozenset({role}), normalized=f"{analysis.normalized} ({ROLE_NAMES[role]})")

    def correction(self, text: str) -> str | None:
        """What a correction says instead ("sorry, I meant ML engineers" -> "ML engineers")."""
        said = text.strip()
        folded = said.casefold()
        # "wait, at Quora I mean" is short; the look for "I mean" at the end is not run on long posts.
        found = CORRECTION.match(folded) or (MEANT_AFTER.match(folded) if len(folded) <= SHORT_TEXT else None)
        if found is None or not found["rest"].strip():
            return None
        start, end = found.span("rest")
        # The words as typed where folding kept the length (it nearly always does), else as folded.
        return (said[start:end] if len(folded) == len(said) else found["rest"]).strip()

    def resolve(self, analysis: Analysis, state: ConversationState) -> Intent | tuple[Intent, ...] | None:
        """The intent (or intents to choose from) a follow-up refers to; ``None`` when it is a question
        of its own."""
        picked = self.lists.picked(analysis, state)
        if picked is not None:
            return picked
        if state.intent and self.asks_for_other(analysis):
            other = self.slots.other_role(state)
            if other is not None:
                return other
        said = " ".join(analysis.words)
        compared = self._compared_with_other(analysis, state)
        if compared is not None:
            return compared
        role_words = [w for w in analysis.words if w in ROLE_WORDS]
        if (state.intent and len(role_words) == 1 and len([w for w in analysis.words if w not in OPENERS]) <= 4
                and all(w in ROLE_WORDS or w in SLOT_FRAME or w in OPENERS for w in analysis.words)):
            analysis = replace(analysis, roles=frozenset({ROLE_WORDS[role_words[0]]}), slots_only=True)
            return self.slots.switch(analysis, state)
        builder = self._who_there(analysis, state)
        if builder is not None:
            return builder
        handoff = self._handoff(analysis, state)
        if handoff is not None:
            return handoff
        difference = self._difference(analysis, state)
        if difference is not None:
            return difference
        topic = self.slots.topic_switch(analysis, state)
        if topic is not None:
            return topic
        stays = self._stays(analysis, state)
        if stays is not None:
            return stays
        if state.intent and NEXT.match(said):
            following = self.lists.following(state)
            if following is not None:
                return following
        counted = len([w for w in analysis.words if w not in OPENERS])
        if (counted <= GENERAL_WORDS or (counted <= GENERAL_WORDS + 3 and SAME_THING.intersection(analysis.words))) \
                and GENERAL.search(said) and (
                not analysis.company or NOT_THERE.search(said) or _left_behind(analysis)):
            general = self.slots.in_general(analysis, state)
            if general is not None:
                return general
        if (analysis.company and state.intent and len(analysis.words) <= SHORT and not analysis.roles
                and SAME_THING.intersection(analysis.words)):
            last = self.knowledge.get(state.intent)
            if last is not None and last.company != analysis.company:
                return self.slots.switch(replace(analysis, slots_only=True), state)
        return self.slots.switch(self._with_place(analysis, state), state)

    @staticmethod
    def stays_outside(analysis: Analysis, state: ConversationState) -> bool:
        """Whether a turn after one turned away asks the same of another role ("and a DS?" after pay, with no
        topic before it) or compares what was turned away ("how's that different from an ML engineer?")."""
        short = len(analysis.words) <= SHORT
        if analysis.slots_only and not state.topic and not analysis.company:
            return True
        return short and bool(DEICTIC.intersection(analysis.words)) and bool(COMPARING.intersection(analysis.words))

    @staticmethod
    def about_aside(analysis: Analysis) -> bool:
        """Whether a turn after a technical question asks whether a role needs it ("do I need that as a DS?")."""
        said = set(analysis.words)
        return (len(analysis.words) <= THAT_SHORT and bool(DEICTIC_ALL & said) and bool(NEED & said)
                and bool(analysis.roles or _ASKER & said or ASKS_WHICH_ROLE.search(" ".join(analysis.words))))

    def used_there(self, analysis: Analysis, state: ConversationState) -> Intent | None:
        """"does Quora use it?" after a technical question turned away: how that company uses machine learning."""
        said = set(analysis.words)
        if (state.outside != TECHNICAL_TOPIC or not analysis.company or analysis.roles or len(analysis.words) > SHORT
                or not DEICTIC_ALL & said or not USE & said):
            return None
        return next((i for i in self.knowledge.intents if i.company == analysis.company and i.role is None), None)

    @staticmethod
    def asks_more(analysis: Analysis, stepped: bool) -> bool:
        """Whether a turn asks for more of the last answer: "why?", "tell me more", or, after an answer that
        goes step by step, "what's step 2 exactly?"."""
        said = " ".join(analysis.words)
        return bool(MORE.match(said)) or (stepped and len(analysis.words) <= STEP_SHORT and bool(STEP.search(said)))

    def _stays(self, analysis: Analysis, state: ConversationState) -> Intent | None:
        """The last answer again for "why?" or "what happens next?"; the comparison for "which one is more
        creative?"; the tools of each role for "why not Python like the DS?"; the overview for "what other
        skills?"; the other role for "who does then?"; the role's own answer for "do they deploy it?"; the two
        compared for "what does each of them do?"; the role talked about for "what do they actually do?"; an
        overview's item named by its own words ("the stats part")."""
        last = self.knowledge.get(state.intent or "")
        said = " ".join(analysis.words)
        if last is not None and last.topic != "meta" and (
                self.asks_more(analysis, last.topic in STEPPED)
                or (last.topic in STEPPED and len(analysis.words) <= THAT_SHORT and THEN_WHAT.search(said))):
            return last
        about_roles = (last.role is not None and last.topic in ROLE_TOPICS) if last is not None else state.role == BOTH
        if (about_roles and len(analysis.words) <= SHORT and not analysis.roles and WHICH_MORE.match(said)
                and not (OFF_TOPIC_WORDS | WEIGHING).intersection(analysis.words)):
            # "ok which one is more creative?" after one role, the two compared or a move between them (or after
            # a question about both that was turned away): the comparison.
            return self.slots.role_answer(BOTH, last.company if last is not None else state.company)
        compared_on = AND_IN.match(said)
        if (last is not None and last.topic == ROLE_TOPIC and last.role == BOTH and not analysis.roles
                and not analysis.company and compared_on and set(compared_on["subject"].split()) <= COMPARED_ON):
            # "and in statistics?" after who is stronger in computer science: the comparison again.
            return last
        if (last is not None and last.role == BOTH and self.slots.subjects.get(last.id) == "tools"
                and len(analysis.words) <= SHORT + 2
                and (LIKE_ROLE.search(said) or (analysis.roles and WRITES_IN.intersection(analysis.words)))):
            # "why not just Python like the DS?", "and the DS, what does he use?" after the tools of each role:
            # that answer, which has both.
            return last
        if last is not None and OTHERS.match(said):
            return next((i for i in self.knowledge.intents if last.id in self.lists.listed(i)), None)
        if last is not None and last.role in OTHER_ROLE and WHO_THEN.match(said):
            return self.slots.other_role(state)
        if (last is not None and last.topic == ROLE_TOPIC and last.role == state.role in ROLES and not analysis.roles
                and len(analysis.words) <= SHORT + 2 and DO_THEY.match(said)
                and not (NEED | USE | ASKS_TO_LEARN | COMPARING | OFF_TOPIC_WORDS).intersection(analysis.words)):
            # "do they run the experiments?" after what Quora's ML engineers do: that answer says whether they do.
            return last
        if (not analysis.roles and WHAT_EACH.match(said)
                and (last is None or last.topic in ROLE_TOPICS or state.role == BOTH)):
            return self.slots.role_answer(BOTH, analysis.company or state.company)
        if state.role in ROLES and not analysis.roles and (
                WHAT_THEY_DO.match(said) or ((last is None or state.outside) and WHAT_IT_INVOLVES.match(said))):
            return self.slots.role_answer(state.role, analysis.company or state.company)
        return self.lists.by_words(analysis, last) if last is not None else None

    @staticmethod
    def asks_for_other(analysis: Analysis) -> bool:
        """Whether a short turn asks about the other role ("and the other one?")."""
        said = " ".join(analysis.words)
        return bool((len(analysis.words) <= SHORT and OTHER.search(said))
                    or (len(analysis.words) <= SHORT + 3 and OTHER_WAY.search(said)))

    def context(self, analysis: Analysis, state: ConversationState, text: str) -> Context:
        """How to match a question of its own in this conversation: "they" and "there" are the role and
        the company talked about, so a sentence model reads them too."""
        analysis = self._with_place(analysis, state)
        left = _left_behind(analysis)
        if left is not None:
            # "the difference in general, not at Quora": the company named is the one left behind.
            analysis = replace(analysis, company=None, normalized=left.sub("", analysis.normalized),
                               terms=tuple(term for term in analysis.terms if term != analysis.company))
        prefer_role = None
        together = bool(TOGETHER.search(" ".join(analysis.words)))
        if not analysis.roles and state.role in ROLES and not together:
            prefer_role = state.role
        named = [ROLE_NAMES[prefer_role]] if prefer_role and PEOPLE.intersection(analysis.words) else []
        the_two = not analysis.roles and bool(THE_TWO.search(" ".join(analysis.words)))
        if the_two:
            # "how do the two differ in general?": both roles, whichever one was talked about last.
            prefer_role = None
        if not analysis.roles and (state.role == BOTH or together or the_two) and (
                the_two or PEOPLE.intersection(analysis.words)):
            named = [f"{ROLE_NAMES[DATA_SCIENTIST]}s and {ROLE_NAMES[ML_ENGINEER]}s"]
        if analysis.company and analysis.company not in analysis.normalized.split():
            named.append(f"at {analysis.company}")
        if named:
            analysis = replace(analysis, normalized=f"{analysis.normalized} ({' '.join(named)})")
        return Context(analysis, prefer_role, text)

    def _with_place(self, analysis: Analysis, state: ConversationState) -> Analysis:
        """"there", or "it" after a company was named, means that company; so does "their" before a role
        ("what do their ML engineers do?"), "they" (the company or its people, unless asked what to learn: the
        skills are no company's), a short "what about ...?", and a follow-up that opens with "and" or "so"."""
        if analysis.company is None and state.company and (
                PLACE.intersection(analysis.words) or (analysis.roles and "their" in analysis.words)
                or (not analysis.roles and THEY.intersection(analysis.words)
                    and not ASKS_TO_LEARN.intersection(analysis.words)
                    and not analysis.other_company
                    and not GENERAL.search(" ".join(analysis.words)))
                or (analysis.roles and len(analysis.words) <= SHORT and DEICTIC.intersection(analysis.words))
                or (len(analysis.words) <= SHORT and " ".join(analysis.words[:2]) in ("what about", "how about")
                    and not analysis.other_company and not GENERAL.search(" ".join(analysis.words)))
                or (analysis.words[:1] and (analysis.words[0] == "who" or (
                        analysis.words[0] in LEANING and ("who" in analysis.words[:3] or bool(analysis.roles))))
                    and not analysis.other_company
                    and not GENERAL.search(" ".join(analysis.words)))):
            return replace(analysis, company=state.company)
        return analysis

    def _compared_with_other(self, analysis: Analysis, state: ConversationState) -> Intent | None:
        """"how's that different from a DS?" after what an ML engineer does: the answer comparing the two on
        that topic; "how does that compare with what an MLE needs?" after a data scientist's skills: the ML
        engineer's, when no answer compares the two on that topic."""
        last = self.knowledge.get(state.intent or "")
        if (last is None or last.role not in OTHER_ROLE or len(analysis.words) > THAT_SHORT
                or analysis.roles != {OTHER_ROLE[last.role]} or not COMPARING.intersection(analysis.words)):
            return None
        both = next((i for i in self.knowledge.intents
                     if i.topic == last.topic and i.company == last.company and i.role == BOTH), None)
        return both if both is not None else self.slots.other_role(state)

    def _who_there(self, analysis: Analysis, state: ConversationState) -> Intent | None:
        """"and who builds those ranking systems?" after how Quora uses ML: the role that builds (the ML
        engineer) or the one that checks the results (the data scientist), at that company."""
        said = [w for w in analysis.words if w not in OPENERS]
        last = self.knowledge.get(state.intent or "")
        if (last is None or not state.company or last.company != state.company
                or analysis.roles or analysis.company not in (None, state.company) or len(said) > SHORT + 2
                or not ("who" in said[:6] or "which role" in " ".join(said[:5]))):
            return None
        verbs = {WHO_VERBS[w] for w in said if w in WHO_VERBS}
        if len(verbs) != 1:
            return None
        (role,) = verbs
        return self.slots.role_answer(role, state.company)

    def _handoff(self, analysis: Analysis, state: ConversationState) -> Intent | None:
        """"and who turns it into production code?" after the prototyping tools: how the two roles work
        together; "who checks the metrics at the end?" after that answer: the same answer."""
        said = [w for w in analysis.words if w not in OPENERS]
        last = self.knowledge.get(state.intent or "")
        if (last is None or analysis.roles or analysis.company or analysis.other_company or "who" not in said[:2]
                or len(said) > SHORT + 4 or not HANDOFF_VERBS.intersection(said)
                or OFF_TOPIC_WORDS.intersection(said)):
            return None
        if last.topic == "teamwork":
            # "who builds the frameworks?" after how they work together at Quora: that role there.
            verbs = {WHO_VERBS[w] for w in said if w in WHO_VERBS}
            if state.company and len(verbs) == 1:
                (role,) = verbs
                return self.slots.role_answer(role, state.company) or last
            return last
        if not (PRODUCTION.intersection(said) and HANDED_OVER.intersection(said)):
            return None
        return next((i for i in self.knowledge.intents if i.topic == "teamwork" and i.company is None), None)

    def _difference(self, analysis: Analysis, state: ConversationState) -> Intent | None:
        """"so what's the real difference?" after one role's answer: the two compared on that topic, at the
        conversation's company; with no answer before it ("first tell me the difference between the two"),
        the two roles compared."""
        said = [w for w in analysis.words if w not in OPENERS]
        last = self.knowledge.get(state.intent or "")
        if ((last is not None and last.role not in (*ROLES, BOTH)) or analysis.roles or analysis.company
                or len(said) > TOPIC_SHORT + 4 or not COMPARING.intersection(said)
                or not all(w in COMPARING or w in TOPIC_FRAME or w in DIFFERENCE_FRAME for w in said)):
            return None
        # "first tell me the difference between the two", with nothing before it: the two roles compared.
        compared = [i for i in self.knowledge.intents if i.role == BOTH and i.company == state.company]
        return next((i for i in compared if last is not None and i.topic == last.topic),
                    next((i for i in compared if i.topic == ROLE_TOPIC), None))






def _left_behind(analysis: Analysis) -> re.Pattern[str] | None:
    """The words that leave the company a turn names behind ("not Quora", "outside of Quora"), if they do."""
    if not analysis.company:
        return None
    left = re.compile(rf"\b(?:not|outside(?: of)?|besides|other than|apart from)(?: just| only)?(?: at| in)?(?: the)? "
                      rf"{re.escape(analysis.company)}\b", re.IGNORECASE)
    return left if left.search(" ".join(analysis.words)) else None
