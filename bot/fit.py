"""The role-fit check and learning paths (their data is in :mod:`bot.knowledge`), turned into replies.

A fit check is a few questions with options; each option leans towards one role with a weight. The
answers so far travel in :class:`~bot.memory.ConversationState` (``fit``, ``fit_at``), so the check
lives in the same store as conversation context and expires with it or after ``expire_seconds``.
Options are suggestions whose query is a token the core recognises: ``fit:<question>:<option>``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from bot.knowledge import BALANCED, NO_LEAN, FitCheck, FitOption, LearningPath
from bot.reply import Block, BulletList, Paragraph, Reply, ReplyKind, Suggestion
from bot.tokens import (
    DATA_SCIENTIST,
    FIT_NOTICE,
    FIT_QUESTION,
    FIT_RESULT,
    ML_ENGINEER,
    PATH_PREFIX,
    RESTART_TOKEN,
    ROLE_NAMES,
    ROLES,
    START_TOKEN,
)

#: The longest text read as a token: a check has at most 10 questions and its option keys are short, so anything
#: longer is plain text (and its digits never reach ``int``, which refuses strings of over 4,300 of them).
MAX_TOKEN_CHARS = 100
__all__ = [
    "MAX_TOKEN_CHARS", "FitCheck", "LearningPath", "answer_token", "normalize", "notice_reply", "parse_answer",
    "path_reply", "question_reply", "result_reply", "score",
]
_ANSWER_TOKEN = re.compile(r"^fit:(?P<number>[0-9]{1,3}):(?P<key>[a-z0-9-]{1,80})$")


def normalize(text: str) -> str:
    """Lowercase words joined by single spaces: how start, stop and restart phrases are compared."""
    return " ".join(re.findall(r"[a-z0-9]+", text.casefold()))


def answer_token(number: int, key: str) -> str:
    """The query of the button answering question ``number`` (from 1) with option ``key``."""
    return f"fit:{number}:{key}"


def parse_answer(text: str) -> tuple[int, str] | None:
    """``fit:3:b`` -> ``(3, "b")``; ``None`` for anything else, however long."""
    if len(text) > MAX_TOKEN_CHARS:
        return None
    match = _ANSWER_TOKEN.match(text.strip())
    return (int(match["number"]), match["key"]) if match else None


def _picked(check: FitCheck, answers: tuple[str, ...]) -> list[FitOption]:
    chosen = [q.option(key) for q, key in zip(check.questions, answers, strict=False)]
    return [o for o in chosen if o is not None]


def score(check: FitCheck, answers: tuple[str, ...]) -> tuple[str, float, dict[str, int]]:
    """The outcome (a role or ``balanced``), how strongly the answers lean (0 to 1, as a share of the
    most points any role could get), and the points each role got."""
    picked = _picked(check, answers)
    points = {role: sum(o.weight for o in picked if o.lean == role) for role in ROLES}
    most = sum(max((o.weight for o in q.options), default=0) for q in check.questions) or 1
    lean = (points[DATA_SCIENTIST] - points[ML_ENGINEER]) / most
    strength = abs(lean)
    outcome = BALANCED if strength < check.balanced_below else (DATA_SCIENTIST if lean > 0 else ML_ENGINEER)
    return outcome, strength, points


def question_reply(check: FitCheck, answers: tuple[str, ...], *, note: str | None = None) -> Reply:
    """The next question of the check, given the answers so far."""
    number = len(answers) + 1
    question = check.questions[number - 1]
    body: list[Block] = []
    if note:
        body.append(Paragraph(note))
    if not answers:
        body.append(Paragraph(check.intro))
    body += [
        Paragraph(f"**{question.text}**"),
        Paragraph(f"Why I ask: {question.why}"),
        Paragraph("Pick the answer closest to you. Type **stop** to leave the check or **restart** to begin again."),
    ]
    return Reply(
        kind=ReplyKind.ANSWER,
        intent=FIT_QUESTION,
        confidence=1.0,
        title=f"{check.title}: question {number} of {len(check.questions)}",
        body=tuple(body),
        sources=question.sources,
        suggestions=tuple(Suggestion(label=o.label, query=answer_token(number, o.key)) for o in question.options),
        lead="Your answer:",
        shareable=False,
    )


def result_reply(check: FitCheck, answers: tuple[str, ...], paths: Mapping[str, LearningPath],
                 suggest: list[Suggestion]) -> Reply:
    """The outcome: which role leans closer and how strongly, why, and what to learn next.

    ``suggest`` holds the suggestions for the result's related intents, built by the advisor.
    """
    outcome, strength, points = score(check, answers)
    picked = _picked(check, answers)
    result = check.results[outcome]
    tally = f"{points[DATA_SCIENTIST]} points towards data scientist, {points[ML_ENGINEER]} towards ML engineer"
    if outcome == BALANCED:
        how = f"Your answers are **balanced** between the two roles ({tally}), so I won't pick one for you."
    else:
        degree = "clearly" if strength >= check.clear_from else "slightly"
        how = f"Your answers lean **{degree}** towards **{ROLE_NAMES[outcome]}** ({tally})."
    body: list[Block] = [Paragraph(how), Paragraph(result.summary)]
    toward = [o for o in picked if o.lean == outcome and o.weight > 0]
    other = [o for o in picked if o.lean not in (outcome, NO_LEAN) and o.weight > 0]
    if outcome == BALANCED:
        toward, other = [o for o in picked if o.lean != NO_LEAN and o.weight > 0], []
    if toward:
        body += [Paragraph("From your answers:"),
                 BulletList(tuple(o.reason for o in sorted(toward, key=lambda o: -o.weight)))]
    if other:
        body += [Paragraph("Pulling the other way:"),
                 BulletList(tuple(o.reason for o in sorted(other, key=lambda o: -o.weight)))]
    if result.next_skills:
        body += [Paragraph("Skills to build next:"), BulletList(tuple(s.text for s in result.next_skills))]
    body.append(Paragraph(check.caveat))
    suggestions = list(suggest)
    path = paths.get(result.path) if result.path else None
    if path is not None:
        suggestions.append(Suggestion(label=path.offer, query=PATH_PREFIX + path.role))
    suggestions.append(Suggestion(label="Take the check again", query=RESTART_TOKEN))
    return Reply(
        kind=ReplyKind.ANSWER,
        intent=FIT_RESULT,
        confidence=1.0,
        title=result.title,
        body=tuple(body),
        sources=result.sources,
        suggestions=tuple(suggestions),
        shareable=False,
    )


def notice_reply(title: str, text: str, *, start_label: str = "Start the fit check") -> Reply:
    """A short reply about the check itself (stopped, expired), offering to start it."""
    return Reply(
        kind=ReplyKind.ANSWER,
        intent=FIT_NOTICE,
        confidence=1.0,
        title=title,
        body=(Paragraph(text),),
        suggestions=(Suggestion(label=start_label, query=START_TOKEN),),
        shareable=False,
    )


def path_reply(path: LearningPath, suggest: list[Suggestion]) -> Reply:
    """A learning path: ordered steps, each with what it means and how to practise."""
    body: list[Block] = [Paragraph(path.intro)]
    for number, step in enumerate(path.steps, start=1):
        body.append(Paragraph(f"**{number}. {step.skill}**: {step.means}"))
        body.append(BulletList((f"Practise: {step.practise}",)))
    return Reply(
        kind=ReplyKind.ANSWER,
        intent=path.id,
        confidence=1.0,
        title=path.title,
        body=tuple(body),
        sources=path.sources,
        suggestions=tuple(suggest),
    )
