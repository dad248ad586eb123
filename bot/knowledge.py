"""The knowledge base as validated values: intents, near-domain topics, language data, the role-fit check
and learning paths. Reading and validating the YAML folders is :mod:`bot.loading`'s job."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from bot.reply import Block, Source
from bot.tokens import DATA_SCIENTIST, ML_ENGINEER, PATH_INTENT_PREFIX

#: Where a fit option leans: one of the two roles, or neither.
NO_LEAN = "none"
LEANS = (DATA_SCIENTIST, ML_ENGINEER, NO_LEAN)
#: A fit check's outcomes: one of the two roles, or balanced between them.
BALANCED = "balanced"
RESULTS = (DATA_SCIENTIST, ML_ENGINEER, BALANCED)


@dataclass(frozen=True)
class TextLimits:
    """The longest texts a knowledge base may hold, in characters; ``None`` is no limit.

    The core shows any length; an adapter passes the limits of what its platform shows in one piece,
    so that a curator hears of a text too long at load time instead of seeing it cut in a chat.
    """

    #: An answer, and a learning path as a whole.
    answer: int | None = None
    #: A reply's title.
    title: int | None = None
    #: A button's label (a fit check's options, a learning path's offer).
    label: int | None = None

    @classmethod
    def tightest(cls, *limits: TextLimits) -> TextLimits:
        """The limits within which a text fits every one of ``limits`` (several platforms served at once)."""

        def least(values: list[int | None]) -> int | None:
            known = [value for value in values if value is not None]
            return min(known) if known else None

        return cls(answer=least([each.answer for each in limits]), title=least([each.title for each in limits]),
                   label=least([each.label for each in limits]))


@dataclass(frozen=True)
class Intent:
    """One thing whoswho can answer: its phrasings, its answer and where that comes from."""

    id: str
    title: str
    questions: tuple[str, ...]
    answer: tuple[Block, ...]
    sources: tuple[Source, ...]
    related: tuple[str, ...]
    topic: str | None = None
    role: str | None = None
    company: str | None = None
    file: str = ""


@dataclass(frozen=True)
class OutsideTopic:
    """A near-domain topic the sources do not cover ("pay"), with its phrasings and an honest reply."""

    id: str
    title: str
    questions: tuple[str, ...]
    answer: tuple[Block, ...]
    #: Intents offered instead, as suggestions.
    related: tuple[str, ...]
    file: str = ""


@dataclass(frozen=True)
class Language:
    """How people write: synonyms (variant phrase to canonical word), filler words, out-of-scope phrasings."""

    synonyms: Mapping[str, tuple[str, ...]]
    fillers: frozenset[str]
    out_of_scope: tuple[str, ...]


@dataclass(frozen=True)
class FitOption:
    """One answer to a fit question: its label, which role it leans to, how much, and why."""

    key: str
    label: str
    lean: str
    weight: int
    reason: str


@dataclass(frozen=True)
class FitQuestion:
    """One step of the check: the question, why it is asked, its options and sources."""

    id: str
    text: str
    why: str
    options: tuple[FitOption, ...]
    sources: tuple[Source, ...]

    def option(self, key: str) -> FitOption | None:
        """The option with this key, or ``None``."""
        return next((o for o in self.options if o.key == key), None)


@dataclass(frozen=True)
class NextSkill:
    """A skill to build next, and the intent that explains it."""

    text: str
    intent: str


@dataclass(frozen=True)
class FitResult:
    """The texts of one outcome: a leaning role, or balanced."""

    title: str
    summary: str
    next_skills: tuple[NextSkill, ...]
    related: tuple[str, ...]
    sources: tuple[Source, ...]
    path: str | None = None


@dataclass(frozen=True)
class FitCheck:
    """The whole check as the knowledge base defines it."""

    title: str
    intro: str
    questions: tuple[FitQuestion, ...]
    results: Mapping[str, FitResult]
    start_phrases: frozenset[str]
    stop_phrases: frozenset[str]
    restart_phrases: frozenset[str]
    offered_with: tuple[str, ...]
    balanced_below: float
    clear_from: float
    expire_seconds: float
    caveat: str


@dataclass(frozen=True)
class PathStep:
    """One step of a learning path: the skill, what it means, how to practise, and where to read more."""

    skill: str
    means: str
    practise: str
    intent: str | None = None


@dataclass(frozen=True)
class LearningPath:
    """Ordered steps towards a role, drawn from its skill list."""

    role: str
    title: str
    intro: str
    offer: str
    steps: tuple[PathStep, ...]
    sources: tuple[Source, ...]
    offered_with: tuple[str, ...]

    @property
    def id(self) -> str:
        """The reply's intent id for this path, ``path.<role>``."""
        return f"{PATH_INTENT_PREFIX}{self.role}"


@dataclass(frozen=True)
class KnowledgeBase:
    """The validated knowledge base: intents in load order, by id, with their language data."""

    intents: tuple[Intent, ...]
    language: Language
    sources: Mapping[str, Source]
    #: The role-fit check, when the knowledge defines one.
    fit: FitCheck | None = None
    #: Learning paths by role.
    paths: Mapping[str, LearningPath] = field(default_factory=dict)
    #: Near-domain topics the sources do not cover, in load order.
    outside: tuple[OutsideTopic, ...] = ()

    _by_id: Mapping[str, Intent] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {intent.id: intent for intent in self.intents})

    def get(self, intent_id: str) -> Intent | None:
        """The intent with this id, or ``None``."""
        return self._by_id.get(intent_id)

    def __getitem__(self, intent_id: str) -> Intent:
        intent = self.get(intent_id)
        if intent is None:
            raise KeyError(intent_id)
        return intent

    def __len__(self) -> int:
        return len(self.intents)

    @classmethod
    def load(cls, *dirs: str | Path, limits: TextLimits | None = None) -> KnowledgeBase:
        """Load and validate knowledge folders; later folders add to and override earlier ones.

        With no folder, the built-in knowledge is loaded. Texts longer than ``limits`` allow are problems
        (no limit by default). Raises :class:`~bot.errors.KnowledgeError` listing every problem found.
        """
        from bot.loading import load_knowledge  # loading builds these values, so it imports this module

        return load_knowledge(dirs or (builtin_knowledge_dir(),), limits=limits)


def builtin_knowledge_dir() -> Path:
    """The folder of the knowledge base shipped with whoswho."""
    packaged = Path(str(resources.files("bot"))) / "knowledge"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "knowledge"
