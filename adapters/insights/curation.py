"""Which recorded questions a curator would keep as a new phrasing of an intent: a question that stands on its
own, about what whoswho covers, asked of it rather than telling it what to do or laughing with it, and close enough
to the intent.

The confidence floor was measured on the records of a scripted session (see README, section 'Insights')."""

from __future__ import annotations

import re

from bot import Advisor

#: The least confidence, for the intent proposed, of a phrasing worth proposing (0-1).
SUGGEST_CONFIDENCE = 0.3

# A question that leans on the one before it: opened by a connective, or naming its subject only by a
# pronoun ("and the other one?", "what about at Quora?", "what do they need to learn?").
_CONNECTIVE = re.compile(
    r"^\W*(and|also|but|so|or|then|plus|what about|how about|same|ok(ay)?|sorry|i meant|"
    r"the other|that one|this one|which one|the (first|second|third|last|next) one)\b", re.IGNORECASE)
_PRONOUN = re.compile(r"\b(they|them|their|theirs|it|its|that|those|these|this|there|he|she|him|her|"
                      r"the other( one| role)?|either|both|each)\b", re.IGNORECASE)
# What names a subject on its own: the roles, the jobs and the company the knowledge talks about.
_SUBJECT = re.compile(r"\b(data scien\w*|ds|mles?|ml|machine[- ]learning|engineer\w*|analyst\w*|quora|"
                      r"jobs?|roles?|skills?|statistics|math\w*|python|beginner|career)\b", re.IGNORECASE)
# Laughter and reactions: what people type to each other, not a phrasing of a question.
_CHATTER = re.compile(r"\b(ha(ha)+|he(he)+|lol|lmao|rofl|xd)\b", re.IGNORECASE)
#: At most so many other words beside the laughter make a reaction.
_REACTION_WORDS = 3
# Text addressed to the bot about how to behave, not a question about the roles.
_INSTRUCTION = re.compile(
    r"\b(ignore|disregard|forget|override|bypass)\b.{0,40}\b(instructions?|rules|prompts?|previous|above|"
    r"everything|guidelines|restrictions)\b"
    r"|\b(you are now|from now on|act as|pretend (to be|you)|roleplay|jailbreak|developer mode|system prompt|"
    r"your (instructions|prompt|rules|programming)|new instructions|repeat after me)\b"
    r"|^\W*(say|print|reply|respond|repeat|write|output|answer|tell me)\b.{0,60}\b(only|exactly|verbatim|"
    r"in (all )?caps|backwards)\b"
    r"|<\s*/?\s*(script|system|img|iframe)\b|```",
    re.IGNORECASE | re.DOTALL)


def looks_like_follow_up(text: str) -> bool:
    """Whether ``text`` only makes sense after another question."""
    if _CONNECTIVE.search(text):
        return True
    return bool(_PRONOUN.search(text)) and not _SUBJECT.search(text)


def looks_like_chatter(text: str) -> bool:
    """Whether ``text`` is a reaction ("haha nice one", "lol ok") rather than a question to learn from; "lol what
    does an MLE do?" is still a question."""
    return bool(_CHATTER.search(text)) and len(_CHATTER.sub(" ", text).split()) <= _REACTION_WORDS


def looks_like_instruction(text: str) -> bool:
    """Whether ``text`` tells the bot what to do or be, rather than asking about the roles."""
    return bool(_INSTRUCTION.search(text))


def confidence(text: str, intent: str, advisor: Advisor) -> float:
    """How strongly ``text`` on its own, outside any conversation, matches ``intent``; 0 when a topic whoswho
    does not cover matches it better."""
    matches = advisor.likely_intents(text, limit=5, score_cutoff=0.0)
    score = next((m.score for m in matches if m.intent_id == intent), 0.0)
    if matches and matches[0].intent_id is None and matches[0].score > score:
        return 0.0  # out of scope: salaries, other companies, another language...
    return score


def is_curatable(text: str, intent: str, advisor: Advisor, *, min_confidence: float = SUGGEST_CONFIDENCE) -> bool:
    """Whether a curator would keep ``text`` as a new phrasing of ``intent``."""
    if looks_like_instruction(text) or looks_like_follow_up(text) or looks_like_chatter(text):
        return False
    return confidence(text, intent, advisor) >= min_confidence
