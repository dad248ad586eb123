"""The same question with a slot changed: another role ("and the other one?", "and DS?"), another company ("how
about at Quora?"), another topic ("and the skills?"), or no company ("in general?")."""

from __future__ import annotations

from bot.cues import BESIDES, MUST, OPENERS, ROLE_SURFACE, TOPIC_FRAME, TOPIC_SHORT, TOPIC_WORDS
from bot.knowledge import Intent, KnowledgeBase
from bot.memory import ConversationState
from bot.text import Analysis, words
from bot.tokens import BOTH, OTHER_ROLE, ROLE_TOPIC, ROLES


class Slots:
    """Finds the answer on a topic for a role and company, over one knowledge base."""

    def __init__(self, knowledge: KnowledgeBase) -> None:
        self.knowledge = knowledge
        # What each answer is about: its topic, or the one topic word of its title when that is narrower
        # ("The basic tools a data scientist must know" is about tools, within a data scientist's skills).
        self.subjects: dict[str, str | None] = {}
        for intent in knowledge.intents:
            named = {TOPIC_WORDS[w] for w in words(intent.title) if w in TOPIC_WORDS}
            self.subjects[intent.id] = named.pop() if len(named) == 1 else intent.topic

    def on_subject(self, last: Intent | None, role: str | None, company: str | None) -> Intent | None:
        """After an answer on a narrower subject than its topic (a data scientist's tools), that subject for
        another role: its own answer, or the one answer for both roles ("and MLEs?" -> the tools of each role)."""
        if last is None or last.role not in ROLES or role not in ROLES or role == last.role:
            return None
        subject = self.subjects.get(last.id)
        if subject == last.topic:
            return None
        on_subject = [i for i in self.knowledge.intents if i.company == company and self.subjects.get(i.id) == subject]
        return next((i for wanted in (role, BOTH) for i in on_subject if i.role == wanted), None)

    def role_answer(self, role: str | None, company: str | None) -> Intent | None:
        """What a role does (or, for both, how the two differ) at a company, or in general for ``None``."""
        return next((i for i in self.knowledge.intents
                     if i.topic == ROLE_TOPIC and i.role == role and i.company == company), None)

    def for_role(self, intent: Intent, role: str) -> Intent:
        """An answer about one role, for another ("do MLEs need that too?" after a data scientist's maths): that
        subject or topic for the role named, else the answer as it is."""
        if intent.role not in ROLES or role not in ROLES or role == intent.role:
            return intent
        return self.on_subject(intent, role, intent.company) or next(
            (i for i in self.knowledge.intents
             if i.topic == intent.topic and i.company == intent.company and i.role == role), intent)

    def other_role(self, state: ConversationState) -> Intent | None:
        """The last intent's counterpart for the other role."""
        last = self.knowledge.get(state.intent or "")
        if last is not None and last.role == BOTH:
            # "is that true for the other role too?" after an answer about both roles: that answer.
            return last
        if last is None or last.role not in OTHER_ROLE:
            return None
        role = OTHER_ROLE[last.role]
        return self.on_subject(last, role, last.company) or next(
            (i for i in self.knowledge.intents
             if i.topic == last.topic and i.company == last.company and i.role == role), None)

    def switch(self, analysis: Analysis, state: ConversationState) -> Intent | tuple[Intent, ...] | None:
        """"and for ML engineers?" or "how about at Quora?": the last topic with a new role or company."""
        if not analysis.slots_only:
            return None
        intents = self.knowledge.intents
        if not (state.topic or state.role or state.company):
            if analysis.company and not analysis.roles:
                # "how about at Quora?" with nothing before it: ask which role.
                at_company = tuple(i for i in intents if i.company == analysis.company and i.role in ROLES)
                return at_company if len(at_company) > 1 else None
            return None
        role = BOTH if len(analysis.roles) == 2 else next(iter(analysis.roles), state.role)
        company = analysis.company or state.company
        last = self.knowledge.get(state.intent or "")
        if last is not None and last.role == role and last.company == company:
            # "and a data scientist?" after a data scientist's statistics: that answer, not the overview.
            return last
        narrower = self.on_subject(last, role, company)
        if narrower is not None:
            return narrower
        fitting = [i for i in intents if i.company == company and i.role == role]
        same_topic = [i for i in fitting if i.topic == state.topic]
        if same_topic:
            return same_topic[0]
        if last is not None and last.role == BOTH and last.company == company and role in ROLES:
            # "and DS?" after an answer about both roles: that answer already covers them.
            return last
        if not fitting and role == BOTH:
            fitting = [i for i in intents if i.company == company and i.role in ROLES]
            same = [i for i in fitting if i.topic == state.topic] or fitting
            return tuple(same[:3]) if len(same) > 1 else (same[0] if same else None)
        return fitting[0] if fitting else None

    def topic_switch(self, analysis: Analysis, state: ConversationState) -> Intent | None:
        """"and what about the skills?" after the tools, or "their tools?" after the skills: that topic for the
        conversation's role, at its company when an answer there covers the topic, else in general. With both
        roles in the conversation and no answer for both on that topic, the question is matched as it is."""
        said = analysis.words
        # "what skills besides languages?": the topic set aside is not the one asked for.
        aside = next((n for n, w in enumerate(said) if w in BESIDES), len(said))
        topics = {TOPIC_WORDS[w] for w in said[:aside] if w in TOPIC_WORDS}
        counted = [w for w in said if w not in OPENERS]
        # After a learning path the conversation has a role but no intent: "which skills are on that list?"
        if (not (state.intent or state.role in ROLES) or len(counted) > TOPIC_SHORT or len(topics) != 1
                or analysis.company
                or not all(w in TOPIC_WORDS or w in TOPIC_FRAME or (analysis.roles and w in ROLE_SURFACE)
                           for w in said)):
            return None
        (topic,) = topics
        last = self.knowledge.get(state.intent or "")
        # "what tools do they use?" is the topic's answer (the tools of each role); "what tools must they know?",
        # or "and their tools?" after what they need, the answer on that subject for the role (the basic tools
        # a data scientist must know).
        must = bool(MUST.intersection(said)) or (last is not None and last.topic == "skills")
        if last is not None and last.topic == topic and not analysis.roles and not must:
            return None  # already on that topic: matched as it is
        if last is not None and last.role == BOTH and self.subjects.get(last.id) == topic and not must:
            return last  # "and the data scientist's languages?" after both roles' tools: that answer covers them
        role = BOTH if len(analysis.roles) == 2 else next(iter(analysis.roles), state.role)
        on_topic = [i for i in self.knowledge.intents
                    if (self.subjects.get(i.id) if must else i.topic) == topic]
        for company in dict.fromkeys((state.company, None)):
            for wanted in dict.fromkeys((role, BOTH)):
                found = next((i for i in on_topic if i.company == company and i.role == wanted), None)
                if found is not None:
                    return found
        return None

    def in_general(self, analysis: Analysis, state: ConversationState) -> Intent | None:
        """The conversation's topic and role at no company in particular."""
        last = self.knowledge.get(state.intent or "")
        # After the two compared at Quora (even with one role named since), "in general" compares them too.
        kept = last.role if last is not None and last.role == BOTH else state.role
        role = next(iter(analysis.roles)) if len(analysis.roles) == 1 else kept
        topic = state.topic
        if role is None and topic is None:
            return None
        fitting = [i for i in self.knowledge.intents if i.company is None and i.role == role
                   and (topic is None or i.topic == topic)]
        return fitting[0] if fitting else None
