"""Loading and strict validation of the knowledge base (YAML files in folders)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, TypeGuard

import yaml

from bot.errors import KnowledgeError, KnowledgeIssue
from bot.fit import (
    LEANS,
    RESULTS,
    FitCheck,
    FitOption,
    FitQuestion,
    FitResult,
    LearningPath,
    NextSkill,
    PathStep,
    normalize,
)
from bot.reply import Block, Source, parse_blocks

#: The longest answer any platform shows in one piece (a Slack section).
MAX_ANSWER_CHARS = 3000
MAX_TITLE_CHARS = 150
ROLES = ("data-scientist", "ml-engineer", "both")

_ID = re.compile(r"^[a-z0-9]+(?:[.-][a-z0-9]+)*$")
_INTENT_FIELDS = {"id", "title", "topic", "role", "company", "questions", "answer", "sources", "related"}
_TOP_LEVEL = {"sources", "intents", "synonyms", "fillers", "out_of_scope", "outside", "fit", "paths"}
_OUTSIDE_FIELDS = {"id", "title", "answer", "questions", "related"}
_FIT_FIELDS = {"title", "intro", "caveat", "start", "stop", "restart", "offered_with", "balanced_below", "clear_from",
               "expire_minutes", "questions", "results"}
_FIT_QUESTION_FIELDS = {"id", "text", "why", "options", "sources"}
_FIT_OPTION_FIELDS = {"key", "label", "lean", "weight", "reason"}
_FIT_RESULT_FIELDS = {"title", "summary", "next_skills", "related", "sources", "path"}
_PATH_FIELDS = {"role", "title", "intro", "offer", "steps", "sources", "offered_with"}
_STEP_FIELDS = {"skill", "means", "practise", "intent"}
MAX_BUTTON_LABEL = 75  # Slack's button label; Discord allows 80


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
    def load(cls, *dirs: str | Path) -> KnowledgeBase:
        """Load and validate knowledge folders; later folders add to and override earlier ones.

        With no folder, the built-in knowledge is loaded. Raises :class:`KnowledgeError`
        listing every problem found.
        """
        return load_knowledge(dirs or (builtin_knowledge_dir(),))


def builtin_knowledge_dir() -> Path:
    """The folder of the knowledge base shipped with whoswho."""
    packaged = Path(str(resources.files("bot"))) / "knowledge"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "knowledge"


_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available


class _StrictLoader(_SafeLoader):  # type: ignore[valid-type,misc]
    """A safe YAML loader that refuses duplicate keys in a mapping."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    mapping: dict[Any, Any] = loader.construct_mapping(node, deep=deep)
    return mapping


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _line_of(node_error: yaml.YAMLError) -> int | None:
    mark = getattr(node_error, "problem_mark", None)
    return None if mark is None else int(mark.line) + 1


class _Loader:
    """Collects documents from folders and every problem in them."""

    def __init__(self) -> None:
        self.issues: list[KnowledgeIssue] = []
        self.sources: dict[str, Source] = {}
        self.raw_intents: dict[str, tuple[str, dict[str, Any]]] = {}
        self.synonyms: dict[str, list[str]] = {}
        self.fillers: set[str] = set()
        self.out_of_scope: list[str] = []
        self.raw_fit: tuple[str, Any] | None = None
        self.raw_paths: dict[str, tuple[str, Any]] = {}
        self.raw_outside: dict[str, tuple[str, dict[str, Any]]] = {}

    def problem(self, file: str, message: str, *, intent: str | None = None,
                field: str | None = None, line: int | None = None) -> None:
        self.issues.append(KnowledgeIssue(file, message, intent=intent, field=field, line=line))

    def read_dir(self, directory: Path) -> None:
        if not directory.is_dir():
            self.problem(str(directory), "is not a folder")
            return
        files = sorted([*directory.glob("*.yml"), *directory.glob("*.yaml")])
        if not files:
            self.problem(str(directory), "holds no .yml files")
        layer_ids: set[str] = set()
        for path in files:
            self.read_file(path, layer_ids)

    def read_file(self, path: Path, layer_ids: set[str]) -> None:
        name = str(path)
        try:
            text = path.read_text(encoding="utf-8")
            document = yaml.load(text, Loader=_StrictLoader)
        except yaml.YAMLError as error:
            detail = getattr(error, "problem", None) or str(error)
            self.problem(name, f"is not valid YAML: {detail}", line=_line_of(error))
            return
        except (OSError, UnicodeDecodeError) as error:
            self.problem(name, f"cannot be read: {error}")
            return
        if not text.strip():
            # Most often a file caught while an editor or a copy was writing it; loading it as "nothing"
            # would silently drop a team's overrides.
            self.problem(name, "is empty; remove the file if it should hold nothing")
            return
        if document is None:
            return
        if not isinstance(document, dict):
            self.problem(name, "must be a mapping with keys such as 'intents' or 'sources'")
            return
        for key in document:
            if key not in _TOP_LEVEL:
                self.problem(name, f"unknown top-level key (expected one of {', '.join(sorted(_TOP_LEVEL))})",
                             field=str(key))
        self.read_sources(name, document.get("sources"))
        if "fit" in document:
            self.raw_fit = (name, document["fit"])  # a later folder's check replaces the built-in one
        paths = document.get("paths")
        if paths is not None:
            if not isinstance(paths, list):
                self.problem(name, "must be a list of learning paths", field="paths")
            else:
                for position, raw_path in enumerate(paths, start=1):
                    role = raw_path.get("role") if isinstance(raw_path, dict) else None
                    if role not in ("data-scientist", "ml-engineer"):
                        self.problem(name, "must be data-scientist or ml-engineer", intent=f"path #{position}",
                                     field="role")
                        continue
                    self.raw_paths[role] = (name, raw_path)
        self.read_language(name, document)
        self.read_outside(name, document.get("outside"))
        intents = document.get("intents", [])
        if not isinstance(intents, list):
            self.problem(name, "must be a list of intents", field="intents")
            return
        for position, raw in enumerate(intents, start=1):
            if not isinstance(raw, dict):
                self.problem(name, f"intent #{position} must be a mapping", field="intents")
                continue
            intent_id = raw.get("id")
            if not isinstance(intent_id, str) or not _ID.match(intent_id):
                self.problem(name, "must be lowercase words joined by dots or dashes, like 'role.compare'",
                             intent=f"#{position}" if not isinstance(intent_id, str) else intent_id, field="id")
                continue
            if intent_id in layer_ids:
                self.problem(name, "is defined twice in the same folder", intent=intent_id, field="id")
                continue
            layer_ids.add(intent_id)
            self.raw_intents.pop(intent_id, None)  # a later folder overrides and moves it last
            self.raw_intents[intent_id] = (name, raw)

    def read_outside(self, name: str, outside: Any) -> None:
        if outside is None:
            return
        if not isinstance(outside, list):
            self.problem(name, "must be a list of topics", field="outside")
            return
        for position, raw in enumerate(outside, start=1):
            topic_id = raw.get("id") if isinstance(raw, dict) else None
            if not isinstance(topic_id, str) or not _ID.match(topic_id):
                self.problem(name, "must be lowercase words joined by dots or dashes, like 'outside.pay'",
                             intent=f"outside #{position}", field="id")
                continue
            self.raw_outside.pop(topic_id, None)  # a later folder overrides and moves it last
            self.raw_outside[topic_id] = (name, raw)

    def read_sources(self, name: str, sources: Any) -> None:
        if sources is None:
            return
        if not isinstance(sources, dict):
            self.problem(name, "must map keys to {title, url}", field="sources")
            return
        for key, value in sources.items():
            if not isinstance(value, dict) or not _nonempty(value.get("title")):
                self.problem(name, f"source {key!r} needs a non-empty 'title'", field="sources")
                continue
            url = value.get("url")
            if url is not None and not (isinstance(url, str) and re.match(r"^https?://\S+$", url)):
                self.problem(name, f"source {key!r} has a 'url' that is not an http(s) address", field="sources")
                continue
            extra = set(value) - {"title", "url"}
            if extra:
                self.problem(name, f"source {key!r} has unknown keys {sorted(extra)}", field="sources")
            self.sources[str(key)] = Source(key=str(key), title=value["title"].strip(), url=url)

    def read_language(self, name: str, document: dict[str, Any]) -> None:
        synonyms = document.get("synonyms")
        if synonyms is not None:
            if not isinstance(synonyms, dict):
                self.problem(name, "must map a canonical word to a list of variants", field="synonyms")
            else:
                for canonical, variants in synonyms.items():
                    if not (isinstance(canonical, str) and re.match(r"^[a-z0-9]+$", canonical)):
                        self.problem(name, f"canonical word {canonical!r} must be lowercase letters and digits",
                                     field="synonyms")
                    elif not _string_list(variants):
                        self.problem(name, f"variants of {canonical!r} must be a list of non-empty strings",
                                     field="synonyms")
                    else:
                        self.synonyms.setdefault(canonical, []).extend(variants)
        fillers = document.get("fillers")
        if fillers is not None:
            if not _string_list(fillers):
                self.problem(name, "must be a list of words", field="fillers")
            else:
                self.fillers.update(word.strip().casefold() for word in fillers)
        out_of_scope = document.get("out_of_scope")
        if out_of_scope is not None:
            if not _string_list(out_of_scope):
                self.problem(name, "must be a list of phrasings", field="out_of_scope")
            else:
                self.out_of_scope.extend(out_of_scope)

    def build_intent(self, name: str, raw: dict[str, Any]) -> Intent | None:
        intent_id: str = raw["id"]
        before = len(self.issues)

        def bad(field_name: str, message: str) -> None:
            self.problem(name, message, intent=intent_id, field=field_name)

        for key in raw:
            if key not in _INTENT_FIELDS:
                bad(str(key), f"is not a known field (known: {', '.join(sorted(_INTENT_FIELDS))})")
        title = raw.get("title")
        if not _nonempty(title):
            bad("title", "is missing or empty")
        elif len(title) > MAX_TITLE_CHARS:
            bad("title", f"is {len(title)} characters; the limit is {MAX_TITLE_CHARS}")
        questions = raw.get("questions")
        if not questions:
            bad("questions", "has no questions; give the phrasings people would type")
        elif not _string_list(questions):
            bad("questions", "must be a list of non-empty strings")
        answer = raw.get("answer")
        if not _nonempty(answer):
            bad("answer", "is missing or empty")
        elif len(answer) > MAX_ANSWER_CHARS:
            bad("answer", f"is {len(answer)} characters; the limit is {MAX_ANSWER_CHARS} (a Slack section)")
        role = raw.get("role")
        if role is not None and role not in ROLES:
            bad("role", f"is {role!r}; expected one of {', '.join(ROLES)}")
        for optional in ("topic", "company"):
            value = raw.get(optional)
            if value is not None and not (isinstance(value, str) and _ID.match(value)):
                bad(optional, "must be a lowercase word")
        if raw.get("sources") == [] and raw.get("topic") == "meta":
            sources: tuple[Source, ...] = ()  # small talk ("hello", "thanks") says so with an empty list
        else:
            sources = self.resolve_sources(name, intent_id, raw.get("sources"))
        related = raw.get("related", [])
        if not isinstance(related, list) or not all(isinstance(r, str) for r in related):
            bad("related", "must be a list of intent ids")
            related = []
        if len(self.issues) > before or not (_nonempty(title) and _string_list(questions) and _nonempty(answer)):
            return None
        return Intent(
            id=intent_id,
            title=title.strip(),
            questions=tuple(q.strip() for q in questions),
            answer=parse_blocks(answer),
            sources=sources,
            related=tuple(related),
            topic=raw.get("topic"),
            role=role,
            company=raw.get("company"),
            file=name,
        )

    def resolve_sources(self, name: str, intent_id: str, raw: Any) -> tuple[Source, ...]:
        if not raw:
            self.problem(name, "is missing: every answer cites at least one source", intent=intent_id, field="sources")
            return ()
        if not isinstance(raw, list):
            self.problem(name, "must be a list of source keys", intent=intent_id, field="sources")
            return ()
        resolved: list[Source] = []
        for entry in raw:
            key, where = (entry, None) if isinstance(entry, str) else (
                (entry.get("source"), entry.get("where")) if isinstance(entry, dict) else (None, None))
            source = self.sources.get(key) if isinstance(key, str) else None
            if source is None:
                known = ", ".join(sorted(self.sources)) or "none defined"
                self.problem(name, f"cites {entry!r}, which is not a known source (known: {known})",
                             intent=intent_id, field="sources")
                continue
            if where is not None and not _nonempty(where):
                self.problem(name, f"'where' of {key!r} must be non-empty text", intent=intent_id, field="sources")
                continue
            resolved.append(Source(key=source.key, title=source.title, url=source.url,
                                   where=where.strip() if where else None))
        return tuple(resolved)


def _nonempty(value: Any) -> TypeGuard[str]:
    return isinstance(value, str) and bool(value.strip())


def _string_list(value: Any) -> TypeGuard[list[str]]:
    return isinstance(value, list) and all(_nonempty(item) for item in value)


class _Checker:
    """Validates the fit check and learning paths once the intents and sources are known."""

    def __init__(self, loader: _Loader, name: str, item: str, intents: set[str]) -> None:
        self.loader, self.name, self.item, self.intents = loader, name, item, intents
        self.ok = True

    def bad(self, field_name: str, message: str, *, item: str | None = None) -> None:
        self.ok = False
        self.loader.problem(self.name, message, intent=item or self.item, field=field_name)

    def fields(self, raw: dict[str, Any], known: set[str], *, item: str | None = None) -> None:
        for key in raw:
            if key not in known:
                self.bad(str(key), f"is not a known field (known: {', '.join(sorted(known))})", item=item)

    def text(self, raw: dict[str, Any], key: str, *, item: str | None = None, limit: int | None = None,
             optional: bool = False) -> str:
        value = raw.get(key)
        if value is None and optional:
            return ""
        if not _nonempty(value):
            self.bad(key, "is missing or empty", item=item)
            return ""
        if limit is not None and len(value.strip()) > limit:
            self.bad(key, f"is {len(value.strip())} characters; the limit is {limit}", item=item)
        return " ".join(value.split())

    def intent_ids(self, raw: dict[str, Any], key: str, *, item: str | None = None) -> tuple[str, ...]:
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.bad(key, "must be a list of intent ids", item=item)
            return ()
        for intent_id in value:
            if intent_id not in self.intents:
                self.bad(key, f"names {intent_id!r}, which is not an intent", item=item)
        return tuple(value)

    def sources(self, raw: dict[str, Any], *, item: str | None = None) -> tuple[Source, ...]:
        before = len(self.loader.issues)
        resolved = self.loader.resolve_sources(self.name, item or self.item, raw.get("sources"))
        if len(self.loader.issues) > before:
            self.ok = False
        return resolved

    def phrases(self, raw: dict[str, Any], key: str) -> frozenset[str]:
        value = raw.get(key)
        if not _string_list(value):
            self.bad(key, "must be a list of phrases people type")
            return frozenset()
        return frozenset(normalize(v) for v in value)

    def number(self, raw: dict[str, Any], key: str, low: float, high: float, *, item: str | None = None) -> float:
        value = raw.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
            self.bad(key, f"must be a number from {low:g} to {high:g}", item=item)
            return low
        return float(value)


def _build_fit(loader: _Loader, name: str, raw: Any, intents: set[str],
               paths: set[str]) -> FitCheck | None:
    check = _Checker(loader, name, "fit", intents)
    if not isinstance(raw, dict):
        check.bad("fit", "must be a mapping with title, intro, questions and results")
        return None
    check.fields(raw, _FIT_FIELDS)
    title = check.text(raw, "title", limit=MAX_TITLE_CHARS // 2)
    intro, caveat = check.text(raw, "intro"), check.text(raw, "caveat")
    start, stop, restart = (check.phrases(raw, key) for key in ("start", "stop", "restart"))
    offered_with = check.intent_ids(raw, "offered_with")
    balanced_below = check.number(raw, "balanced_below", 0.0, 1.0)
    clear_from = check.number(raw, "clear_from", 0.0, 1.0)
    if clear_from < balanced_below:
        check.bad("clear_from", "must not be below balanced_below")
    expire_minutes = check.number(raw, "expire_minutes", 1, 24 * 60)
    questions: list[FitQuestion] = []
    raw_questions = raw.get("questions")
    if not isinstance(raw_questions, list) or not 2 <= len(raw_questions) <= 10:
        check.bad("questions", "must be a list of 2 to 10 questions")
        raw_questions = []
    seen_ids: set[str] = set()
    for position, raw_question in enumerate(raw_questions, start=1):
        item = f"fit question #{position}"
        if not isinstance(raw_question, dict):
            check.bad("questions", "must be a mapping", item=item)
            continue
        question_id = raw_question.get("id")
        if isinstance(question_id, str) and _ID.match(question_id) and question_id not in seen_ids:
            item = f"fit question {question_id!r}"
            seen_ids.add(question_id)
        else:
            check.bad("id", "must be a unique lowercase word, like 'strength'", item=item)
        check.fields(raw_question, _FIT_QUESTION_FIELDS, item=item)
        text = check.text(raw_question, "text", item=item, limit=MAX_ANSWER_CHARS // 4)
        why = check.text(raw_question, "why", item=item, limit=MAX_ANSWER_CHARS // 4)
        sources = check.sources(raw_question, item=item)
        options: list[FitOption] = []
        raw_options = raw_question.get("options")
        if not isinstance(raw_options, list) or not 2 <= len(raw_options) <= 5:
            check.bad("options", "must be a list of 2 to 5 options", item=item)
            raw_options = []
        keys: set[str] = set()
        for number, raw_option in enumerate(raw_options, start=1):
            where = f"{item}, option #{number}"
            if not isinstance(raw_option, dict):
                check.bad("options", "must be a mapping", item=where)
                continue
            check.fields(raw_option, _FIT_OPTION_FIELDS, item=where)
            key = raw_option.get("key")
            if not (isinstance(key, str) and re.match(r"^[a-z0-9-]+$", key)) or key in keys:
                check.bad("key", "must be a unique short lowercase key, like 'a'", item=where)
                key = ""
            keys.add(key)
            label = check.text(raw_option, "label", item=where, limit=MAX_BUTTON_LABEL)
            reason = check.text(raw_option, "reason", item=where, limit=MAX_ANSWER_CHARS // 6)
            lean = raw_option.get("lean")
            if lean not in LEANS:
                check.bad("lean", f"is {lean!r}; expected one of {', '.join(LEANS)}", item=where)
            weight = check.number(raw_option, "weight", 0, 3, item=where)
            if lean == "none" and weight:
                check.bad("weight", "must be 0 for an option that leans to neither role", item=where)
            options.append(FitOption(key=key, label=label, lean=str(lean), weight=int(weight), reason=reason))
        questions.append(FitQuestion(id=str(question_id), text=text, why=why, options=tuple(options),
                                     sources=sources))
    results: dict[str, FitResult] = {}
    raw_results = raw.get("results")
    if not isinstance(raw_results, dict):
        check.bad("results", f"must map each of {', '.join(RESULTS)} to its texts")
        raw_results = {}
    for outcome in RESULTS:
        item = f"fit result {outcome!r}"
        raw_result = raw_results.get(outcome)
        if not isinstance(raw_result, dict):
            check.bad("results", "is missing", item=item)
            continue
        check.fields(raw_result, _FIT_RESULT_FIELDS, item=item)
        skills: list[NextSkill] = []
        raw_skills = raw_result.get("next_skills")
        if not isinstance(raw_skills, list) or not raw_skills:
            check.bad("next_skills", "must list the skills to build next, each {text, intent}", item=item)
            raw_skills = []
        for raw_skill in raw_skills:
            if not isinstance(raw_skill, dict) or set(raw_skill) != {"text", "intent"} \
                    or not _nonempty(raw_skill.get("text")) or raw_skill.get("intent") not in intents:
                check.bad("next_skills", f"{raw_skill!r} must be {{text, intent}} naming an intent", item=item)
                continue
            skills.append(NextSkill(text=raw_skill["text"].strip(), intent=raw_skill["intent"]))
        path = raw_result.get("path")
        if path is not None and path not in paths:
            check.bad("path", f"names {path!r}, which is not a learning path's role", item=item)
        results[outcome] = FitResult(
            title=check.text(raw_result, "title", item=item, limit=MAX_TITLE_CHARS),
            summary=check.text(raw_result, "summary", item=item, limit=MAX_ANSWER_CHARS // 3),
            next_skills=tuple(skills), related=check.intent_ids(raw_result, "related", item=item),
            sources=check.sources(raw_result, item=item), path=path,
        )
    for extra in set(raw_results) - set(RESULTS):
        check.bad("results", f"has an unknown outcome {extra!r} (expected {', '.join(RESULTS)})")
    if not check.ok:
        return None
    return FitCheck(title=title, intro=intro, questions=tuple(questions), results=results, start_phrases=start,
                    stop_phrases=stop, restart_phrases=restart, offered_with=offered_with,
                    balanced_below=balanced_below, clear_from=clear_from, expire_seconds=expire_minutes * 60,
                    caveat=caveat)


def _build_path(loader: _Loader, name: str, raw: dict[str, Any], intents: set[str]) -> LearningPath | None:
    role: str = raw["role"]
    check = _Checker(loader, name, f"path {role!r}", intents)
    check.fields(raw, _PATH_FIELDS)
    title = check.text(raw, "title", limit=MAX_TITLE_CHARS)
    intro = check.text(raw, "intro")
    offer = check.text(raw, "offer", limit=MAX_BUTTON_LABEL)
    offered_with = check.intent_ids(raw, "offered_with")
    sources = check.sources(raw)
    steps: list[PathStep] = []
    raw_steps = raw.get("steps")
    if not isinstance(raw_steps, list) or not 2 <= len(raw_steps) <= 10:
        check.bad("steps", "must be a list of 2 to 10 steps")
        raw_steps = []
    for number, raw_step in enumerate(raw_steps, start=1):
        item = f"path {role!r}, step #{number}"
        if not isinstance(raw_step, dict):
            check.bad("steps", "must be a mapping", item=item)
            continue
        check.fields(raw_step, _STEP_FIELDS, item=item)
        intent = raw_step.get("intent")
        if intent is not None and intent not in intents:
            check.bad("intent", f"names {intent!r}, which is not an intent", item=item)
        steps.append(PathStep(skill=check.text(raw_step, "skill", item=item),
                              means=check.text(raw_step, "means", item=item),
                              practise=check.text(raw_step, "practise", item=item), intent=intent))
    total = len(intro) + sum(len(s.skill) + len(s.means) + len(s.practise) + 20 for s in steps)
    if total > MAX_ANSWER_CHARS:
        check.bad("steps", f"the path is {total} characters; the limit is {MAX_ANSWER_CHARS} (a Slack section)")
    if not check.ok:
        return None
    return LearningPath(role=role, title=title, intro=intro, offer=offer, steps=tuple(steps), sources=sources,
                        offered_with=offered_with)


def _build_outside(loader: _Loader, name: str, raw: dict[str, Any], intents: set[str]) -> OutsideTopic | None:
    topic_id: str = raw["id"]
    check = _Checker(loader, name, topic_id, intents)
    check.fields(raw, _OUTSIDE_FIELDS)
    if topic_id in intents:
        check.bad("id", "is also the id of an intent")
    title = check.text(raw, "title", limit=MAX_TITLE_CHARS)
    check.text(raw, "answer", limit=MAX_ANSWER_CHARS)
    questions = raw.get("questions")
    if not _string_list(questions):
        check.bad("questions", "must be a non-empty list of phrasings people type")
        questions = []
    related = check.intent_ids(raw, "related")
    if not check.ok:
        return None
    return OutsideTopic(id=topic_id, title=title, questions=tuple(q.strip() for q in questions),
                        answer=parse_blocks(str(raw["answer"])), related=related, file=name)


def _check_links(loader: _Loader, intents: Iterable[Intent], paths: Mapping[str, LearningPath],
                 fit: FitCheck | None) -> None:
    """Every link names an intent on a fitting topic: a learning-path step or a fit result's next skill
    names a ``skills`` intent, and a link made for one role (its path, its fit result) names an intent
    about that role, both roles or neither. An intent about one role links to the other role's intents
    only on its own topic, as "what a data scientist does" links to "what an ML engineer does"."""
    one_role = ("data-scientist", "ml-engineer")
    by_id = {intent.id: intent for intent in intents}

    def check(file: str, item: str, field_name: str, target_id: str, *, role: str, skill: bool) -> None:
        target = by_id.get(target_id)
        if target is None:
            return  # an unknown id is reported where it is read
        if skill and target.topic != "skills":
            loader.problem(file, f"names {target_id!r}, whose topic is {target.topic!r}; a skill to learn "
                           "names an intent on the 'skills' topic", intent=item, field=field_name)
        if role in one_role and target.role in one_role and target.role != role:
            loader.problem(file, f"names {target_id!r}, which is about the {target.role} role; a link for the "
                           f"{role} role names an intent about that role, both roles or neither",
                           intent=item, field=field_name)

    for role, path in paths.items():
        for number, step in enumerate(path.steps, start=1):
            if step.intent is not None:
                check(loader.raw_paths[role][0], f"path {role!r}, step #{number}", "intent", step.intent,
                      role=role, skill=True)
    if fit is not None and loader.raw_fit is not None:
        for outcome, result in fit.results.items():
            for next_skill in result.next_skills:
                check(loader.raw_fit[0], f"fit result {outcome!r}", "next_skills", next_skill.intent,
                      role=outcome, skill=True)
            for intent_id in result.related:
                check(loader.raw_fit[0], f"fit result {outcome!r}", "related", intent_id, role=outcome, skill=False)
    for intent in by_id.values():
        for target_id in intent.related:
            target = by_id.get(target_id)
            if target is not None and intent.role in one_role and target.role in one_role \
                    and target.role != intent.role and target.topic != intent.topic:
                loader.problem(intent.file, f"names {target_id!r}, about the {target.role} role on the "
                               f"{target.topic!r} topic; an intent about the {intent.role} role links to the "
                               f"other role only on its own topic ({intent.topic!r})",
                               intent=intent.id, field="related")


def load_knowledge(dirs: Iterable[str | Path]) -> KnowledgeBase:
    """Load knowledge folders in order into one validated :class:`KnowledgeBase`."""
    loader = _Loader()
    for directory in dirs:
        loader.read_dir(Path(directory))
    intents: list[Intent] = []
    for name, raw in loader.raw_intents.values():
        intent = loader.build_intent(name, raw)
        if intent is not None:
            intents.append(intent)
    known = set(loader.raw_intents)
    for intent_id, (name, raw) in loader.raw_intents.items():
        related = raw.get("related")
        for related_id in related if isinstance(related, list) else ():
            if related_id == intent_id:
                loader.problem(name, "lists the intent itself", intent=intent_id, field="related")
            elif isinstance(related_id, str) and related_id not in known:
                loader.problem(name, f"names {related_id!r}, which is not an intent", intent=intent_id, field="related")
    seen_questions: dict[str, str] = {}
    for intent in intents:
        for question in intent.questions:
            key = " ".join(re.findall(r"\w+", question.casefold()))
            owner = seen_questions.setdefault(key, intent.id)
            if owner != intent.id:
                loader.problem(intent.file, f"{question!r} is also a question of {owner!r}",
                               intent=intent.id, field="questions")
    paths: dict[str, LearningPath] = {}
    for role, (name, raw_path) in loader.raw_paths.items():
        path = _build_path(loader, name, raw_path, known)
        if path is not None:
            paths[role] = path
    outside = [topic for name, raw in loader.raw_outside.values()
               if (topic := _build_outside(loader, name, raw, known)) is not None]
    for topic in outside:
        for question in topic.questions:
            key = " ".join(re.findall(r"\w+", question.casefold()))
            owner = seen_questions.setdefault(key, topic.id)
            if owner != topic.id:
                loader.problem(topic.file, f"{question!r} is also a question of {owner!r}",
                               intent=topic.id, field="questions")
    fit = None
    if loader.raw_fit is not None:
        fit = _build_fit(loader, loader.raw_fit[0], loader.raw_fit[1], known, set(loader.raw_paths))
    _check_links(loader, intents, paths, fit)
    if not intents and not loader.issues:
        loader.problem(", ".join(str(d) for d in dirs) or "(none)", "holds no intents")
    if loader.issues:
        raise KnowledgeError(loader.issues)
    language = Language(
        synonyms={k: tuple(v) for k, v in loader.synonyms.items()},
        fillers=frozenset(loader.fillers),
        out_of_scope=tuple(loader.out_of_scope),
    )
    return KnowledgeBase(intents=tuple(intents), language=language, sources=dict(loader.sources), fit=fit,
                         paths=paths, outside=tuple(outside))
