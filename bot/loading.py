"""Loading the knowledge base: YAML files in folders, read strictly, validated into a :class:`KnowledgeBase`.

Later folders add to and override earlier ones. Every problem found is collected, so a curator reads all of
them at once in the :class:`~bot.errors.KnowledgeError` raised.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from bot.checker import ID, Checker, nonempty, string_list
from bot.errors import KnowledgeError, KnowledgeIssue
from bot.knowledge import Intent, KnowledgeBase, Language, LearningPath, OutsideTopic, TextLimits
from bot.reply import Source
from bot.tokens import ROLES
from bot.validation import (
    build_fit,
    build_intent,
    build_outside,
    build_path,
    check_links,
    check_unique_questions,
)

TOP_LEVEL = {"sources", "intents", "synonyms", "fillers", "out_of_scope", "outside", "fit", "paths"}
_URL = re.compile(r"^https?://\S+$")
_WORD = re.compile(r"^[a-z0-9]+$")

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


class _Documents:
    """The parts of every file read, by kind and in load order, and every problem met reading them."""

    def __init__(self) -> None:
        self.issues: list[KnowledgeIssue] = []
        self.sources: dict[str, Source] = {}
        #: Raw intents, topics and paths with the file each comes from: a later folder's replaces an earlier's.
        self.intents: dict[str, tuple[str, dict[str, Any]]] = {}
        self.outside: dict[str, tuple[str, dict[str, Any]]] = {}
        self.paths: dict[str, tuple[str, dict[str, Any]]] = {}
        self.fit: tuple[str, Any] | None = None
        self.synonyms: dict[str, list[str]] = {}
        self.fillers: set[str] = set()
        self.out_of_scope: list[str] = []

    def read_dir(self, directory: Path) -> None:
        if not directory.is_dir():
            Checker(self.issues, str(directory)).bad(None, "is not a folder")
            return
        files = sorted([*directory.glob("*.yml"), *directory.glob("*.yaml")])
        if not files:
            Checker(self.issues, str(directory)).bad(None, "holds no .yml files")
        layer_ids: set[str] = set()
        for path in files:
            check = Checker(self.issues, str(path))
            document = _parse(check, path)
            if document is not None:
                self.read_document(check, document, layer_ids)

    def read_document(self, check: Checker, document: dict[str, Any], layer_ids: set[str]) -> None:
        check.fields(document, TOP_LEVEL, kind="top-level key")
        self.read_sources(check, document.get("sources"))
        if "fit" in document:
            self.fit = (check.file, document["fit"])  # a later folder's check replaces the built-in one
        self.read_paths(check, document.get("paths"))
        self.read_language(check, document)
        self.read_outside(check, document.get("outside"))
        self.read_intents(check, document.get("intents", []), layer_ids)

    def read_intents(self, check: Checker, intents: Any, layer_ids: set[str]) -> None:
        if not isinstance(intents, list):
            check.bad("intents", "must be a list of intents")
            return
        for position, raw in enumerate(intents, start=1):
            if not isinstance(raw, dict):
                check.bad("intents", f"intent #{position} must be a mapping")
                continue
            intent_id = raw.get("id")
            if not isinstance(intent_id, str) or not ID.match(intent_id):
                check.bad("id", "must be lowercase words joined by dots or dashes, like 'role.compare'",
                          item=f"#{position}" if not isinstance(intent_id, str) else intent_id)
                continue
            if intent_id in layer_ids:
                check.bad("id", "is defined twice in the same folder", item=intent_id)
                continue
            layer_ids.add(intent_id)
            self.intents.pop(intent_id, None)  # a later folder overrides and moves it last
            self.intents[intent_id] = (check.file, raw)

    def read_paths(self, check: Checker, paths: Any) -> None:
        if paths is None:
            return
        if not isinstance(paths, list):
            check.bad("paths", "must be a list of learning paths")
            return
        for position, raw in enumerate(paths, start=1):
            role = raw.get("role") if isinstance(raw, dict) else None
            if role not in ROLES:
                check.bad("role", f"must be {' or '.join(ROLES)}", item=f"path #{position}")
                continue
            self.paths[role] = (check.file, raw)

    def read_outside(self, check: Checker, outside: Any) -> None:
        if outside is None:
            return
        if not isinstance(outside, list):
            check.bad("outside", "must be a list of topics")
            return
        for position, raw in enumerate(outside, start=1):
            topic_id = raw.get("id") if isinstance(raw, dict) else None
            if not isinstance(topic_id, str) or not ID.match(topic_id):
                check.bad("id", "must be lowercase words joined by dots or dashes, like 'outside.pay'",
                          item=f"outside #{position}")
                continue
            self.outside.pop(topic_id, None)  # a later folder overrides and moves it last
            self.outside[topic_id] = (check.file, raw)

    def read_sources(self, check: Checker, sources: Any) -> None:
        if sources is None:
            return
        if not isinstance(sources, dict):
            check.bad("sources", "must map keys to {title, url}")
            return
        for key, value in sources.items():
            if not isinstance(value, dict) or not nonempty(value.get("title")):
                check.bad("sources", f"source {key!r} needs a non-empty 'title'")
                continue
            url = value.get("url")
            if url is not None and not (isinstance(url, str) and _URL.match(url)):
                check.bad("sources", f"source {key!r} has a 'url' that is not an http(s) address")
                continue
            extra = set(value) - {"title", "url"}
            if extra:
                check.bad("sources", f"source {key!r} has unknown keys {sorted(extra)}")
            self.sources[str(key)] = Source(key=str(key), title=value["title"].strip(), url=url)

    def read_language(self, check: Checker, document: dict[str, Any]) -> None:
        synonyms = document.get("synonyms")
        if synonyms is not None and not isinstance(synonyms, dict):
            check.bad("synonyms", "must map a canonical word to a list of variants")
        elif synonyms is not None:
            for canonical, variants in synonyms.items():
                if not (isinstance(canonical, str) and _WORD.match(canonical)):
                    check.bad("synonyms", f"canonical word {canonical!r} must be lowercase letters and digits")
                elif not string_list(variants):
                    check.bad("synonyms", f"variants of {canonical!r} must be a list of non-empty strings")
                else:
                    self.synonyms.setdefault(canonical, []).extend(variants)
        fillers = document.get("fillers")
        if fillers is not None and not string_list(fillers):
            check.bad("fillers", "must be a list of words")
        elif fillers is not None:
            self.fillers.update(word.strip().casefold() for word in fillers)
        out_of_scope = document.get("out_of_scope")
        if out_of_scope is not None and not string_list(out_of_scope):
            check.bad("out_of_scope", "must be a list of phrasings")
        elif out_of_scope is not None:
            self.out_of_scope.extend(out_of_scope)


def _parse(check: Checker, path: Path) -> dict[str, Any] | None:
    """The mapping a file holds, or ``None`` (a problem reported unless the file holds only comments)."""
    try:
        text = path.read_text(encoding="utf-8")
        document = yaml.load(text, Loader=_StrictLoader)
    except yaml.YAMLError as error:
        detail = getattr(error, "problem", None) or str(error)
        check.bad(None, f"is not valid YAML: {detail}", line=_line_of(error))
        return None
    except (OSError, UnicodeDecodeError) as error:
        check.bad(None, f"cannot be read: {error}")
        return None
    if not text.strip():
        # Most often a file caught while an editor or a copy was writing it; loading it as "nothing"
        # would silently drop a team's overrides.
        check.bad(None, "is empty; remove the file if it should hold nothing")
        return None
    if document is not None and not isinstance(document, dict):
        check.bad(None, "must be a mapping with keys such as 'intents' or 'sources'")
        return None
    return document


def load_knowledge(dirs: Iterable[str | Path], *, limits: TextLimits | None = None) -> KnowledgeBase:
    """Load knowledge folders in order into one validated :class:`KnowledgeBase`; texts longer than
    ``limits`` allow are problems (no limit by default)."""
    limits = limits or TextLimits()
    dirs = list(dirs)
    documents = _Documents()
    for directory in dirs:
        documents.read_dir(Path(directory))
    known = frozenset(documents.intents)

    def checker(file: str, item: str) -> Checker:
        return Checker(documents.issues, file, item, intents=known, sources=documents.sources)

    intents: list[Intent] = [intent for file, raw in documents.intents.values()
                             if (intent := build_intent(checker(file, raw["id"]), raw, limits)) is not None]
    paths: dict[str, LearningPath] = {role: path for role, (file, raw) in documents.paths.items()
                                      if (path := build_path(checker(file, f"path {role!r}"), raw, limits)) is not None}
    outside: list[OutsideTopic] = [topic for file, raw in documents.outside.values()
                                   if (topic := build_outside(checker(file, raw["id"]), raw, limits)) is not None]
    check_unique_questions(documents.issues, [*intents, *outside])
    fit = None
    files = {role: file for role, (file, _) in documents.paths.items()}
    if documents.fit is not None:
        files["fit"] = documents.fit[0]
        fit = build_fit(checker(documents.fit[0], "fit"), documents.fit[1], limits, set(documents.paths))
    check_links(documents.issues, intents, paths, fit, files)
    if not intents and not documents.issues:
        Checker(documents.issues, ", ".join(str(d) for d in dirs) or "(none)").bad(None, "holds no intents")
    if documents.issues:
        raise KnowledgeError(documents.issues)
    language = Language(
        synonyms={k: tuple(v) for k, v in documents.synonyms.items()},
        fillers=frozenset(documents.fillers),
        out_of_scope=tuple(documents.out_of_scope),
    )
    return KnowledgeBase(intents=tuple(intents), language=language, sources=dict(documents.sources), fit=fit,
                         paths=paths, outside=tuple(outside))
