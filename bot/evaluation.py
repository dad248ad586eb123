"""Measuring answer quality on labelled questions and dialogues (JSON lines)."""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from bot.advisor import Advisor
from bot.errors import WhoswhoError


class EvalFileError(WhoswhoError):
    """A labelled-questions file is malformed; the message names the line."""


@dataclass(frozen=True)
class Case:
    """One labelled question; ``expected`` is empty when the question is out of scope."""

    question: str
    expected: frozenset[str]
    line: int
    turn: int = 0


@dataclass(frozen=True)
class Outcome:
    """What the advisor replied to one case."""

    case: Case
    intent: str | None
    kind: str
    confidence: float

    @property
    def correct(self) -> bool:
        """In scope: answered with an expected intent. Out of scope: no intent given."""
        if not self.case.expected:
            return self.intent is None
        return self.intent in self.case.expected


@dataclass
class EvalReport:
    """Rates over every case, in scope and out of scope, with the misses."""

    outcomes: list[Outcome] = field(default_factory=list)

    def _rate(self, outcomes: list[Outcome]) -> float:
        return sum(o.correct for o in outcomes) / len(outcomes) if outcomes else 1.0

    @property
    def in_scope(self) -> list[Outcome]:
        """Outcomes of questions the knowledge base covers."""
        return [o for o in self.outcomes if o.case.expected]

    @property
    def out_of_scope(self) -> list[Outcome]:
        """Outcomes of questions it does not cover."""
        return [o for o in self.outcomes if not o.case.expected]

    @property
    def accuracy(self) -> float:
        """Share of in-scope questions answered with an expected intent."""
        return self._rate(self.in_scope)

    @property
    def rejection(self) -> float:
        """Share of out-of-scope questions not given an intent."""
        return self._rate(self.out_of_scope)

    @property
    def overall(self) -> float:
        """Share of all questions handled correctly."""
        return self._rate(self.outcomes)

    @property
    def misses(self) -> list[Outcome]:
        """Every outcome that was wrong."""
        return [o for o in self.outcomes if not o.correct]

    def misses_by_intent(self) -> Counter[str]:
        """How often each expected intent (or ``(out of scope)``) was missed."""
        return Counter(
            "(out of scope)" if not o.case.expected else "|".join(sorted(o.case.expected))
            for o in self.misses
        )

    def confusions(self) -> Counter[tuple[str, str]]:
        """Pairs (expected, given) of the misses, most common first."""
        return Counter(
            ("|".join(sorted(o.case.expected)) or "(out of scope)", o.intent or f"({o.kind})")
            for o in self.misses
        )

    def summary(self) -> dict[str, Any]:
        """The figures as a JSON-ready mapping."""
        return {
            "cases": len(self.outcomes),
            "in_scope": len(self.in_scope),
            "out_of_scope": len(self.out_of_scope),
            "accuracy": round(self.accuracy, 4),
            "rejection": round(self.rejection, 4),
            "overall": round(self.overall, 4),
            "misses_by_intent": dict(self.misses_by_intent().most_common()),
            "confusions": [
                {"expected": e, "given": g, "count": n} for (e, g), n in self.confusions().most_common(10)
            ],
            "misses": [
                {"line": o.case.line, "turn": o.case.turn, "q": o.case.question,
                 "expected": sorted(o.case.expected), "given": o.intent, "kind": o.kind,
                 "confidence": round(o.confidence, 3)}
                for o in self.misses
            ],
        }


def _labels(value: Any, line: int) -> frozenset[str]:
    if value is None:
        return frozenset()
    if isinstance(value, str) and value:
        return frozenset({value})
    if isinstance(value, list) and value and all(isinstance(v, str) and v for v in value):
        return frozenset(value)
    raise EvalFileError(f"line {line}: 'intent' must be an intent id, a list of ids, or null")


def read_cases(lines: Iterable[str]) -> list[list[Case]]:
    """Parse JSON lines into dialogues; a single question is a dialogue of one turn."""
    dialogues: list[list[Case]] = []
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            record = json.loads(text)
        except json.JSONDecodeError as error:
            raise EvalFileError(f"line {number}: not JSON ({error.msg})") from None
        if isinstance(record, dict) and isinstance(record.get("q"), str) and "intent" in record:
            dialogues.append([Case(record["q"], _labels(record["intent"], number), number)])
        elif isinstance(record, dict) and isinstance(record.get("turns"), list) and record["turns"]:
            turns = []
            for turn, pair in enumerate(record["turns"], start=1):
                if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str)):
                    raise EvalFileError(f"line {number}: turn {turn} must be [question, intent]")
                turns.append(Case(pair[0], _labels(pair[1], number), number, turn))
            dialogues.append(turns)
        else:
            raise EvalFileError(f'line {number}: expected {{"q": ..., "intent": ...}} or {{"turns": [...]}}')
    return dialogues


def evaluate(advisor: Advisor, dialogues: Iterable[list[Case]]) -> EvalReport:
    """Ask every case, each dialogue in a conversation of its own, and collect the outcomes."""
    report = EvalReport()
    run = uuid.uuid4().hex
    for number, dialogue in enumerate(dialogues):
        conversation = f"eval:{run}:{number}"
        for case in dialogue:
            reply = advisor.ask(case.question, conversation_id=conversation)
            report.outcomes.append(Outcome(case, reply.intent, str(reply.kind), reply.confidence))
    return report
