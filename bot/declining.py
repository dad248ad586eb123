"""Replies that answer nothing: a topic the sources do not cover, another language, a question not understood,
and the clarification that asks which answer was meant.

Each keeps the conversation's topic, so a follow-up after it ("and for data scientists?") still refers to it.
"""

from __future__ import annotations

from dataclasses import replace

from bot.knowledge import Intent, OutsideTopic
from bot.memory import ConversationState
from bot.reply import BulletList, Paragraph, Reply, ReplyKind, Suggestion
from bot.text import Analysis
from bot.tokens import BOTH, OTHER_COMPANIES_TOPIC, ROLE_TOPIC, TECHNICAL_TOPIC

Turn = tuple[Reply, ConversationState]

SCOPE = (
    "I answer questions about data scientists and machine-learning engineers: what each does, "
    "how they differ and work together, the Quora example, the kinds of data-science jobs, "
    "the skills each role needs, and which path might fit you."
)
ONE_COMPANY = "My sources describe one company's example, Quora's, so I can't speak for other companies."
ENGLISH_ONLY = ("I only understand English, so I can't answer that yet. "
                "Ask me in English about data scientists and machine-learning engineers.")
_TRY = "Try one of these, or type **help** for the list of topics."


def kept(state: ConversationState, suggestions: tuple[Suggestion, ...]) -> ConversationState:
    """The state after a turn that answered nothing: the topic stays, the options are what was shown (an
    out-of-scope topic, an aside and a fit check under way are not kept)."""
    return ConversationState(intent=state.intent, topic=state.topic, role=state.role, company=state.company,
                             options=tuple(s.intent for s in suggestions if s.intent))


def outside(topic: OutsideTopic, confidence: float, analysis: Analysis, state: ConversationState,
            suggestions: tuple[Suggestion, ...], *, aside: str | None = None) -> Turn:
    """The honest reply for a near-domain topic the sources do not cover ("my sources don't cover pay");
    ``aside`` is the intent nearest a technical question, kept for a follow-up about it."""
    reply = Reply(
        kind=ReplyKind.FALLBACK, intent=None, confidence=confidence, title=topic.title,
        body=(*topic.answer, Paragraph(_TRY)), suggestions=suggestions, outside=topic.id,
    )
    # A role the question named is the one talked about ("what does a DS do at Google?", then "and at Quora?").
    state = replace(kept(state, suggestions), outside=topic.id, aside=aside if topic.id == TECHNICAL_TOPIC else None)
    if len(analysis.roles) == 1:
        state = replace(state, role=next(iter(analysis.roles)))
        if analysis.other_company and not state.topic and topic.id == OTHER_COMPANIES_TOPIC:
            state = replace(state, topic=ROLE_TOPIC)
    elif len(analysis.roles) == 2:
        state = replace(state, role=BOTH)
    if analysis.company:
        # "what's Quora's revenue?", then "ok, what do their ML engineers do?"
        state = replace(state, company=analysis.company)
    return reply, state


def not_english(state: ConversationState, suggestions: tuple[Suggestion, ...]) -> Turn:
    """The reply to a question in another language: only English is understood, and what is covered."""
    reply = Reply(kind=ReplyKind.FALLBACK, intent=None, confidence=0.0, title="English only, for now",
                  body=(Paragraph(ENGLISH_ONLY), Paragraph(SCOPE)), suggestions=suggestions, outside="language")
    return reply, kept(state, suggestions)


def fallback(confidence: float, analysis: Analysis, state: ConversationState,
             suggestions: tuple[Suggestion, ...]) -> Turn:
    """The reply to a question not understood: what is covered, and what to try."""
    paragraphs = [Paragraph("I can't answer that from what I know. " + SCOPE)]
    if analysis.other_company and analysis.roles:
        paragraphs.append(Paragraph(ONE_COMPANY))
    paragraphs.append(Paragraph(_TRY))
    reply = Reply(
        kind=ReplyKind.FALLBACK, intent=None, confidence=min(1.0, max(0.0, confidence)),
        title="That's outside what I cover", body=tuple(paragraphs), suggestions=suggestions,
    )
    after = kept(state, suggestions)
    if len(analysis.roles) == 1:
        after = replace(after, role=next(iter(analysis.roles)))
    return reply, after


def clarification(choices: tuple[Intent, ...], confidence: float, analysis: Analysis, state: ConversationState,
                  suggestions: tuple[Suggestion, ...]) -> Turn:
    """The reply that asks which of a few answers was meant; with one, "did you mean X?" with that one button."""
    if len(choices) == 1:
        body: tuple[Paragraph | BulletList, ...] = (
            Paragraph(f"Did you mean **{choices[0].title}**? Pick it below, or ask again in other words."),)
        title = "Did you mean this?"
    else:
        body = (Paragraph("I'm not sure which of these you mean. Pick one, or ask again in other words:"),
                BulletList(tuple(choice.title for choice in choices)))
        title = "Which of these do you mean?"
    reply = Reply(kind=ReplyKind.CLARIFY, intent=None, confidence=confidence, title=title, body=body,
                  suggestions=suggestions, candidates=tuple(choice.id for choice in choices))
    roles = analysis.roles
    new_state = ConversationState(
        intent=state.intent, topic=state.topic, role=next(iter(roles)) if len(roles) == 1 else state.role,
        company=analysis.company or state.company, options=tuple(choice.id for choice in choices),
    )
    return reply, new_state
