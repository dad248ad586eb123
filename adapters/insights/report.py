"""The insights report as plain values: read the recorded rows, count them, group the unanswered questions."""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process
from sqlalchemy import create_engine, inspect, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from adapters.insights.curation import SUGGEST_CONFIDENCE, is_curatable
from adapters.records import schema
from adapters.records.settings import database_url as records_database_url
from bot import Advisor, ReplyKind, WhoswhoError
from bot.tokens import ANSWER_PREFIX, FIT_NOTICE, FIT_QUESTION, FIT_RESULT, PATH_INTENT_PREFIX, is_token

_log = logging.getLogger(__name__)

DATABASE_FILE = "whoswho.sqlite3"
#: token_set_ratio (0-100) two unanswered questions need to land in the same group.
DEFAULT_SIMILARITY = 70.0
OUTCOMES = tuple(kind.value for kind in ReplyKind)
EXAMPLES = 3
TOP = 10
#: The replies of the fit check's steps: counted apart from the questions.
FIT_STEPS = frozenset({FIT_QUESTION, FIT_RESULT, FIT_NOTICE})


class InsightsError(WhoswhoError):
    """The records cannot be read (no database yet, no tables, the server refused)."""


class NothingRecorded(InsightsError):
    """No database or no tables yet: nothing was recorded."""


@dataclass(frozen=True)
class Record:
    """One recorded question (a row of ``questions``)."""

    id: str
    at: datetime
    platform: str
    outcome: str
    intent: str | None
    confidence: float
    text: str | None
    clicked: str | None = None
    picked_after_clarify: bool = False

    @property
    def fit_step(self) -> bool:
        """A step of the fit check (a question of it, an option picked, its result), not a question."""
        token = self.text is not None and is_token(self.text) and self.text.startswith(ANSWER_PREFIX)
        return self.intent in FIT_STEPS or token

    @property
    def unanswered(self) -> bool:
        """A fallback, or a clarification nobody picked a choice of."""
        return self.outcome == ReplyKind.FALLBACK or (
            self.outcome == ReplyKind.CLARIFY and not self.picked_after_clarify)


@dataclass(frozen=True)
class Vote:
    """One person's vote on one answer (a row of ``votes``)."""

    question_id: str
    helpful: bool


@dataclass(frozen=True)
class FallbackGroup:
    """Unanswered questions that read alike: how many, a few examples, and the intent they most likely
    belong to (``None`` when the matcher finds none in scope)."""

    count: int
    examples: tuple[str, ...]
    texts: tuple[str, ...]
    likely_intent: str | None
    score: float


@dataclass(frozen=True)
class Report:
    """Everything ``whoswho insights`` shows. The questions leave out the fit check's steps, which are counted
    in ``fit_steps`` (``fit_results`` of them showed a result)."""

    total: int
    first: datetime | None
    last: datetime | None
    per_day: dict[str, int]
    per_platform: dict[str, int]
    outcomes: dict[str, int]
    top_intents: list[tuple[str, int]]
    #: ``(intent, votes, not helpful)`` for answers with at least one not-helpful vote, worst share first.
    least_helpful: list[tuple[str, int, int]]
    groups: list[FallbackGroup]
    #: Unanswered questions whose text was not stored (``WHOSWHO_STORE_QUESTIONS=0``).
    unanswered_without_text: int = 0
    votes: int = 0
    picks: list[tuple[str, str]] = field(default_factory=list)
    #: Questions per hour of the day (0-23, every hour) when all of them were asked on one day; else empty.
    per_hour: dict[int, int] = field(default_factory=dict)
    fit_steps: int = 0
    fit_results: int = 0
    #: The title people read for each intent id (and learning path, ``path.<role>``) the advisor knows.
    titles: dict[str, str] = field(default_factory=dict)

    def rate(self, outcome: str) -> float:
        """The share of questions with ``outcome`` (0 without questions)."""
        return self.outcomes.get(outcome, 0) / self.total if self.total else 0.0

    def title(self, intent: str) -> str:
        """The intent's title, or its id when the advisor does not know it (any more)."""
        return self.titles.get(intent, intent)

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready values (times in ISO 8601, to the second)."""
        return {
            "total": self.total,
            "first": self.first.isoformat(timespec="seconds") if self.first else None,
            "last": self.last.isoformat(timespec="seconds") if self.last else None,
            "per_day": self.per_day,
            "per_hour": {f"{hour:02d}": count for hour, count in self.per_hour.items()},
            "per_platform": self.per_platform,
            "outcomes": self.outcomes,
            "rates": {outcome: round(self.rate(outcome), 4) for outcome in OUTCOMES},
            "fit_check": {"steps": self.fit_steps, "results": self.fit_results},
            "top_intents": [{"intent": intent, "count": count} for intent, count in self.top_intents],
            "votes": self.votes,
            "least_helpful": [
                {"intent": intent, "votes": votes, "not_helpful": bad, "share": round(bad / votes, 4)}
                for intent, votes, bad in self.least_helpful
            ],
            "unanswered_groups": [
                {"count": group.count, "likely_intent": group.likely_intent, "score": group.score,
                 "examples": list(group.examples)} for group in self.groups
            ],
            "unanswered_without_text": self.unanswered_without_text,
            "titles": {intent: self.title(intent) for intent in sorted(self.mentioned)},
        }

    @property
    def mentioned(self) -> set[str]:
        """The intent ids the report names."""
        return {intent for intent, _ in self.top_intents} | {intent for intent, _, _ in self.least_helpful} \
            | {group.likely_intent for group in self.groups if group.likely_intent}


def database_url(environ: Mapping[str, str], *, data_dir: Path, override: str | None = None) -> str:
    """``--database``, else ``WHOSWHO_DATABASE_URL``, else the SQLite file in the data directory."""
    if override:
        return records_database_url(override, data_dir, variable="--database", readme_section="Insights")
    return records_database_url(environ.get("WHOSWHO_DATABASE_URL"), data_dir, readme_section="Insights")


def _utc(value: datetime) -> datetime:
    # SQLite hands back naive datetimes even for DateTime(timezone=True); the recorder writes UTC.
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def read_records(url: str) -> tuple[list[Record], list[Vote]]:
    """Every recorded question (oldest first) and vote in the database at ``url``."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:" \
            and not Path(parsed.database).exists():
        raise NothingRecorded(f"nothing recorded yet: {parsed.database} does not exist")
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            if not inspect(connection).has_table(schema.questions.name):
                raise NothingRecorded("nothing recorded yet: the database has no questions table")
            q = schema.questions.c
            rows = connection.execute(select(
                q.id, q.at, q.platform, q.outcome, q.intent, q.confidence, q.text, q.clicked,
                q.picked_after_clarify).order_by(q.at)).all()
            records = [Record(id=r.id, at=_utc(r.at), platform=r.platform, outcome=r.outcome, intent=r.intent,
                              confidence=float(r.confidence), text=r.text, clicked=r.clicked,
                              picked_after_clarify=bool(r.picked_after_clarify)) for r in rows]
            v = schema.votes.c
            votes = [Vote(question_id=r.question_id, helpful=bool(r.helpful))
                     for r in connection.execute(select(v.question_id, v.helpful))]
    except SQLAlchemyError as error:
        _log.warning("Could not read the records (%s)", type(error).__name__)
        raise InsightsError(f"could not read the records ({type(error).__name__})") from error
    finally:
        engine.dispose()
    return records, votes


def known_phrasings(advisor: Advisor) -> dict[str, set[str]]:
    """The phrasings each intent has already, normalized as proposals are compared with them."""
    return {intent.id: {_normalize(q) for q in intent.questions} for intent in advisor.knowledge.intents}


def _normalize(text: str) -> str:
    return " ".join(default_process(text).split())


def group_texts(texts: Sequence[str], *, similarity: float = DEFAULT_SIMILARITY) -> list[list[str]]:
    """Group ``texts`` by similarity, biggest group first: leader clustering over ``token_set_ratio`` of the
    normalized texts. The most frequent texts lead; each text joins the first leader it is at least
    ``similarity`` (0-100) like, or leads a group of its own."""
    by_form: dict[str, list[str]] = defaultdict(list)
    for text in texts:
        form = _normalize(text)
        if form:
            by_form[form].append(text)
    forms = sorted(by_form, key=lambda f: (-len(by_form[f]), f))
    if not forms:
        return []
    scores = process.cdist(forms, forms, scorer=fuzz.token_set_ratio, workers=1)
    leaders: list[int] = []
    members: dict[int, list[int]] = {}
    for i in range(len(forms)):
        leader = next((j for j in leaders if scores[i, j] >= similarity), None)
        if leader is None:
            leaders.append(i)
            members[i] = [i]
        else:
            members[leader].append(i)
    groups = [[text for i in members[leader] for text in by_form[forms[i]]] for leader in leaders]
    return sorted(groups, key=lambda group: -len(group))


def _likely_intent(advisor: Advisor | None, texts: Sequence[str]) -> tuple[str | None, float]:
    """The intent the group's texts match best (summed over its distinct texts), and its best score."""
    if advisor is None:
        return None, 0.0
    totals: dict[str, float] = defaultdict(float)
    best: dict[str, float] = {}
    for text in dict.fromkeys(texts):
        matches = advisor.likely_intents(text, limit=1, score_cutoff=0.0)
        if matches and matches[0].intent_id is not None:  # None: a known out-of-scope phrasing
            intent, score = matches[0].intent_id, matches[0].score
            totals[intent] += score
            best[intent] = max(best.get(intent, 0.0), score)
    if not totals:
        return None, 0.0
    intent = max(totals, key=lambda i: (totals[i], i))
    return intent, round(best[intent], 4)


def titles(advisor: Advisor) -> dict[str, str]:
    """The title of every intent and learning path the advisor knows, by id."""
    knowledge = advisor.knowledge
    named = {intent.id: intent.title for intent in knowledge.intents}
    named.update({f"{PATH_INTENT_PREFIX}{role}": path.title for role, path in knowledge.paths.items()})
    return named


def build_report(records: Iterable[Record], votes: Iterable[Vote], *, advisor: Advisor | None = None,
                 similarity: float = DEFAULT_SIMILARITY, top: int = TOP) -> Report:
    """Count ``records`` and ``votes`` and group the unanswered questions; ``advisor`` names the intent each
    group most likely belongs to, and the title of every intent."""
    everything = sorted(records, key=lambda r: r.at)
    steps = [r for r in everything if r.fit_step]
    records = [r for r in everything if not r.fit_step]
    per_day: Counter[str] = Counter(r.at.date().isoformat() for r in records)
    per_hour: dict[int, int] = {}
    if len(per_day) == 1:
        per_hour = dict.fromkeys(range(24), 0)
        for r in records:
            per_hour[r.at.hour] += 1
    per_platform: Counter[str] = Counter(r.platform for r in records)
    outcomes: Counter[str] = Counter({outcome: 0 for outcome in OUTCOMES})
    outcomes.update(r.outcome for r in records)
    asked: Counter[str] = Counter(r.intent for r in records if r.outcome == ReplyKind.ANSWER and r.intent)
    by_id = {r.id: r for r in records}
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    vote_count = 0
    for vote in votes:
        record = by_id.get(vote.question_id)
        if record is None or not record.intent:
            continue
        vote_count += 1
        tally[record.intent][0] += 1
        tally[record.intent][1] += 0 if vote.helpful else 1
    least = sorted(((intent, n, bad) for intent, (n, bad) in tally.items() if bad),
                   key=lambda row: (-row[2] / row[1], -row[2], row[0]))
    unanswered = [r for r in records if r.unanswered]
    texts = [r.text for r in unanswered if r.text]
    groups = []
    for members in group_texts(texts, similarity=similarity):
        intent, score = _likely_intent(advisor, members)
        examples = tuple(text for text, _ in Counter(members).most_common(EXAMPLES))
        groups.append(FallbackGroup(count=len(members), examples=examples, texts=tuple(members),
                                    likely_intent=intent, score=score))
    picks = [(r.text, r.clicked) for r in records if r.picked_after_clarify and r.text and r.clicked]
    return Report(
        total=len(records),
        first=everything[0].at.replace(microsecond=0) if everything else None,
        last=everything[-1].at.replace(microsecond=0) if everything else None,
        per_day=dict(sorted(per_day.items())),
        per_platform=dict(per_platform.most_common()),
        outcomes=dict(outcomes),
        top_intents=sorted(asked.items(), key=lambda item: (-item[1], item[0]))[:top],
        least_helpful=least[:top],
        groups=groups,
        unanswered_without_text=sum(1 for r in unanswered if not r.text),
        votes=vote_count,
        picks=picks,
        per_hour=per_hour,
        fit_steps=len(steps),
        fit_results=sum(1 for r in steps if r.intent == FIT_RESULT),
        titles=titles(advisor) if advisor is not None else {},
    )


def suggest(report: Report, advisor: Advisor, *, min_confidence: float = SUGGEST_CONFIDENCE) -> dict[str, list[str]]:
    """Proposed new ``questions`` per existing intent, from the texts people clarified and then picked that
    intent for and the unanswered groups' texts for the group's likely intent: only those a curator would keep
    (see :func:`~adapters.insights.curation.is_curatable`: no follow-up, nothing out of scope or addressed to
    the bot, matched to the intent with at least ``min_confidence``). Phrasings the intent already has are
    left out."""
    known = known_phrasings(advisor)
    proposed: dict[str, dict[str, str]] = defaultdict(dict)

    def propose(intent: str, text: str) -> None:
        form = _normalize(text)
        if intent in known and form and form not in known[intent] \
                and is_curatable(text, intent, advisor, min_confidence=min_confidence):
            proposed[intent].setdefault(form, " ".join(text.split()))

    for text, intent in report.picks:
        propose(intent, text)
    for group in report.groups:
        if group.likely_intent is not None:
            for text in group.texts:
                propose(group.likely_intent, text)
    return {intent: sorted(texts.values(), key=str.lower) for intent, texts in sorted(proposed.items())}


def suggestion_yaml(patch: Mapping[str, Sequence[str]], titles: Mapping[str, str] | None = None, *,
                    drafts: str = "") -> str:
    """The patch as YAML a curator reviews: intent id (its title in a comment above) -> new questions to add
    to that intent; then ``drafts``, the YAML of new intents' drafts (``new_intents``), when there are any."""
    header = ("# whoswho insights --suggest: proposed new `questions` for existing intents.\n"
              "# Review each line, then add the ones you keep to the intent's file in your knowledge folder.\n")
    if not patch:
        return header + (drafts or "{}\n")
    parts = [header]
    for intent in sorted(patch):
        title = (titles or {}).get(intent)
        if title:
            parts.append(f"# {' '.join(title.split())}\n")
        parts.append(yaml.safe_dump({intent: list(patch[intent])}, allow_unicode=True, default_flow_style=False,
                                    width=120))
    return "".join(parts) + drafts
