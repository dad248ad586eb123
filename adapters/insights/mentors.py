"""What mentors answered, for ``whoswho insights --suggest``: each question taken to the mentors (see
:mod:`adapters.mentors`) that a mentor replied to becomes a proposal for the curators. A question close enough
to an intent is proposed as a new phrasing of it; any other becomes a draft of a new intent carrying the
mentor's answer, marked for review. Nothing enters the knowledge folder: a curator copies what they keep."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import yaml
from rapidfuzz.utils import default_process
from sqlalchemy import create_engine, inspect, select
from sqlalchemy.exc import SQLAlchemyError

from adapters.insights.curation import (
    SUGGEST_CONFIDENCE,
    confidence,
    looks_like_chatter,
    looks_like_follow_up,
    looks_like_instruction,
)
from adapters.records import schema
from bot import Advisor

_log = logging.getLogger(__name__)

#: How much of the question a draft's title keeps.
TITLE_CHARS = 80
REVIEW = ("A mentor's reply in the mentor channel, not reviewed: check it, write it in whoswho's voice, cite a "
          "source and choose the id before adding this intent.")
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class MentorReply:
    """A mentor's first reply to a question taken to the mentors."""

    question_id: str
    at: datetime
    #: The question as asked, and the mentor's reply (``None`` when questions are not stored).
    question: str | None
    answer: str | None
    #: Why the question went to the mentors: no answer, voted Not helpful.
    reason: str
    #: The intent whoswho answered with (``None`` for a fallback).
    intent: str | None


@dataclass(frozen=True)
class Draft:
    """A new intent proposed from a mentor's answer: for a curator to review, never loaded as it is."""

    id: str
    title: str
    questions: tuple[str, ...]
    answer: str
    #: The intent the question came nearest, and how near (0-1), for the curator to compare with.
    nearest: str | None
    score: float

    def to_dict(self) -> dict[str, object]:
        """The draft as the patch shows it."""
        found: dict[str, object] = {"id": self.id, "title": self.title, "questions": list(self.questions),
                                    "answer": self.answer, "review": REVIEW}
        if self.nearest is not None:
            found["nearest"] = {"intent": self.nearest, "confidence": round(self.score, 2)}
        return found


def read_mentor_replies(url: str) -> list[MentorReply]:
    """Every escalated question a mentor replied to, oldest reply first (none when the table is not there yet)."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            if not inspect(connection).has_table(schema.escalations.name):
                return []
            e, q = schema.escalations.c, schema.questions.c
            rows = connection.execute(
                select(e.question_id, e.replied_at, e.answer, e.reason, q.text, q.intent)
                .join_from(schema.escalations, schema.questions, e.question_id == q.id)
                .where(e.replied_at.is_not(None)).order_by(e.replied_at)).all()
    except SQLAlchemyError as error:
        _log.warning("Could not read the mentors' replies (%s)", type(error).__name__)
        return []
    finally:
        engine.dispose()
    return [MentorReply(question_id=r.question_id, at=r.replied_at, question=r.text, answer=r.answer,
                        reason=r.reason, intent=r.intent) for r in rows]


def proposals(replies: Sequence[MentorReply], advisor: Advisor, *, min_confidence: float = SUGGEST_CONFIDENCE,
              known: Mapping[str, set[str]] | None = None) -> tuple[dict[str, list[str]], list[Draft]]:
    """New phrasings per intent, and new intent drafts, from the mentors' replies. A question that reads as an
    instruction to the bot, or leans on an earlier one, is left out; one matching an intent with at least
    ``min_confidence`` is a phrasing of it (unless the intent has it: ``known``, normalized); any other, with
    the mentor's answer, a draft."""
    phrasings: dict[str, list[str]] = {}
    drafts: dict[str, Draft] = {}
    for reply in replies:
        if not reply.question or not reply.question.strip() or not reply.answer or not reply.answer.strip():
            continue
        question = " ".join(reply.question.split())
        if looks_like_instruction(question) or looks_like_follow_up(question) or looks_like_chatter(question):
            continue
        matches = advisor.likely_intents(question, limit=1, score_cutoff=0.0)
        nearest = matches[0].intent_id if matches else None
        score = confidence(question, nearest, advisor) if nearest is not None else 0.0
        if nearest is not None and score >= min_confidence:
            if _form(question) not in (known or {}).get(nearest, set()) \
                    and question not in phrasings.setdefault(nearest, []):
                phrasings[nearest].append(question)
            continue
        draft = Draft(id=draft_id(question), title=_title(question), questions=(question,),
                      answer=reply.answer.strip(), nearest=nearest, score=score)
        drafts.setdefault(draft.id, draft)
    return ({intent: sorted(texts, key=str.lower) for intent, texts in sorted(phrasings.items()) if texts},
            list(drafts.values()))


def draft_id(question: str) -> str:
    """An id for a draft, from the question's first words (the curator chooses the real one).

    >>> draft_id("How do I negotiate a raise, as a new data scientist?")
    'draft.how-do-i-negotiate-a-raise'
    """
    return "draft." + "-".join(_WORD.findall(question.lower())[:6])


def _title(question: str) -> str:
    title = question.rstrip("?!. ")
    return title if len(title) <= TITLE_CHARS else title[: TITLE_CHARS - 1].rstrip() + "\u2026"


def _form(text: str) -> str:
    """``text`` as the intents' known phrasings are compared (the report's normalization)."""
    return " ".join(default_process(text).split())


def drafts_yaml(drafts: Sequence[Draft]) -> str:
    """The drafts as the patch's ``new_intents`` list, under a comment saying they are unreviewed ("" for none)."""
    if not drafts:
        return ""
    header = ("# new_intents: drafts from mentors' answers to questions whoswho could not answer. Unreviewed: "
              "a curator\n# checks each one and writes it as an intent file in the knowledge folder, or drops it.\n")
    return header + yaml.safe_dump({"new_intents": [draft.to_dict() for draft in drafts]}, allow_unicode=True,
                                   default_flow_style=False, sort_keys=False, width=120)
