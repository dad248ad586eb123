"""The one checker of a knowledge base's items: each check reports a problem naming the file, the item (an
intent, a topic, a fit question, a path step) and the field, and returns a usable value, so that every
problem is found in one pass."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from typing import Any, TypeGuard

from bot.errors import KnowledgeIssue
from bot.fit import normalize
from bot.reply import Source

#: An id: lowercase words joined by dots or dashes.
ID = re.compile(r"^[a-z0-9]+(?:[.-][a-z0-9]+)*$")


def nonempty(value: Any) -> TypeGuard[str]:
    """Whether ``value`` is text with something in it."""
    return isinstance(value, str) and bool(value.strip())


def string_list(value: Any) -> TypeGuard[list[str]]:
    """Whether ``value`` is a list of non-empty texts."""
    return isinstance(value, list) and all(nonempty(item) for item in value)


def part(limit: int | None, parts: int) -> int | None:
    """The room one of ``parts`` texts shown together has within ``limit``."""
    return None if limit is None else limit // parts


class Checker:
    """Checks the fields of one item of one file, adding each problem to ``issues``.

    ``item`` names what the problems are about (an intent id, ``"fit"``, ``"path 'ml-engineer'"``); a
    check given ``item=`` reports about a part of it instead (``"fit question 'enjoy', option #2"``).
    ``ok`` stays true while no problem was found.
    """

    def __init__(self, issues: list[KnowledgeIssue], file: str, item: str | None = None, *,
                 intents: Collection[str] = frozenset(), sources: Mapping[str, Source] | None = None) -> None:
        self.issues, self.file, self.item = issues, file, item
        #: The ids an intent reference may name, and the sources a citation may name.
        self.intents, self.known_sources = intents, sources or {}
        self.ok = True

    def bad(self, field: str | None, message: str, *, item: str | None = None, line: int | None = None) -> None:
        """Report a problem with ``field`` of the item (or of ``item``)."""
        self.ok = False
        self.issues.append(KnowledgeIssue(self.file, message, intent=item or self.item, field=field, line=line))

    def fields(self, raw: Mapping[Any, Any], known: Collection[str], *, item: str | None = None,
               kind: str = "field") -> None:
        """Report every key of ``raw`` that is not in ``known``."""
        for key in raw:
            if key not in known:
                self.bad(str(key), f"is not a known {kind} (known: {', '.join(sorted(known))})", item=item)

    def text(self, raw: Mapping[str, Any], key: str, *, item: str | None = None, limit: int | None = None,
             optional: bool = False) -> str:
        """A one-line text, its runs of white space made single spaces; ``""`` when missing and ``optional``."""
        value = raw.get(key)
        if value is None and optional:
            return ""
        if not nonempty(value):
            self.bad(key, "is missing or empty", item=item)
            return ""
        if limit is not None and len(value.strip()) > limit:
            self.bad(key, f"is {len(value.strip())} characters; the limit is {limit}", item=item)
        return " ".join(value.split())

    def markdown(self, raw: Mapping[str, Any], key: str, *, limit: int | None = None) -> str:
        """A text of paragraphs and bullets, as written."""
        value = raw.get(key)
        if not nonempty(value):
            self.bad(key, "is missing or empty")
            return ""
        if limit is not None and len(value) > limit:
            self.bad(key, f"is {len(value)} characters; the limit is {limit}")
        return value

    def questions(self, raw: Mapping[str, Any], key: str = "questions") -> tuple[str, ...]:
        """The phrasings people type for an intent or a topic."""
        value = raw.get(key)
        if not value:
            self.bad(key, "has no questions; give the phrasings people would type")
            return ()
        if not string_list(value):
            self.bad(key, "must be a list of non-empty strings")
            return ()
        return tuple(question.strip() for question in value)

    def phrases(self, raw: Mapping[str, Any], key: str) -> frozenset[str]:
        """Phrases compared as lowercase words (the fit check's start, stop and restart)."""
        value = raw.get(key)
        if not string_list(value):
            self.bad(key, "must be a list of phrases people type")
            return frozenset()
        return frozenset(normalize(v) for v in value)

    def word(self, raw: Mapping[str, Any], key: str) -> str | None:
        """An optional lowercase word such as a topic or a company."""
        value = raw.get(key)
        if value is None:
            return None
        if not (isinstance(value, str) and ID.match(value)):
            self.bad(key, "must be a lowercase word")
            return None
        return value

    def choice(self, raw: Mapping[str, Any], key: str, choices: Collection[str], *, item: str | None = None,
               optional: bool = False) -> str | None:
        """One of ``choices``; ``None`` when missing and ``optional``, or when it is none of them."""
        value = raw.get(key)
        if value is None and optional:
            return None
        if value not in choices:
            self.bad(key, f"is {value!r}; expected one of {', '.join(choices)}", item=item)
            return None
        return str(value)

    def number(self, raw: Mapping[str, Any], key: str, low: float, high: float, *, item: str | None = None) -> float:
        """A number from ``low`` to ``high``; ``low`` when it is not one."""
        value = raw.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
            self.bad(key, f"must be a number from {low:g} to {high:g}", item=item)
            return low
        return float(value)

    def sources(self, raw: Mapping[str, Any], *, item: str | None = None, required: bool = True) -> tuple[Source, ...]:
        """The sources cited under ``sources``, each a known key or ``{source, where}``; an empty list is
        allowed only when citing is not ``required``."""
        value = raw.get("sources")
        if value == [] and not required:
            return ()
        if not value:
            self.bad("sources", "is missing: every answer cites at least one source", item=item)
            return ()
        if not isinstance(value, list):
            self.bad("sources", "must be a list of source keys", item=item)
            return ()
        resolved: list[Source] = []
        for entry in value:
            key, where = (entry, None) if isinstance(entry, str) else (
                (entry.get("source"), entry.get("where")) if isinstance(entry, dict) else (None, None))
            source = self.known_sources.get(key) if isinstance(key, str) else None
            if source is None:
                known = ", ".join(sorted(self.known_sources)) or "none defined"
                self.bad("sources", f"cites {entry!r}, which is not a known source (known: {known})", item=item)
                continue
            if where is not None and not nonempty(where):
                self.bad("sources", f"'where' of {key!r} must be non-empty text", item=item)
                continue
            resolved.append(Source(key=source.key, title=source.title, url=source.url,
                                   where=where.strip() if where else None))
        return tuple(resolved)

    def intent_id(self, value: Any, key: str, *, item: str | None = None, itself: str | None = None) -> bool:
        """Whether ``value`` names a known intent other than ``itself``; the one check of every reference."""
        if itself is not None and value == itself:
            self.bad(key, "lists the intent itself", item=item)
            return False
        if value is None:
            self.bad(key, "must name an intent", item=item)
            return False
        if not isinstance(value, str) or value not in self.intents:
            self.bad(key, f"names {value!r}, which is not an intent", item=item)
            return False
        return True

    def intent_ids(self, raw: Mapping[str, Any], key: str, *, item: str | None = None,
                   itself: str | None = None) -> tuple[str, ...]:
        """A list of intent ids, each checked by :meth:`intent_id`; none when missing."""
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.bad(key, "must be a list of intent ids", item=item)
            return ()
        for intent_id in value:
            self.intent_id(intent_id, key, item=item, itself=itself)
        return tuple(value)

    def mappings(self, raw: Mapping[str, Any], key: str, *, known: Collection[str], count: tuple[int, int | None],
                 noun: str, each: Callable[[int], str], item: str | None = None) -> list[tuple[str, dict[str, Any]]]:
        """The mappings listed under ``key``, ``count`` of them (from, to; ``None``: no most), each with only
        ``known`` fields and returned with its name, ``each(number)``, for the checks of its fields."""
        value = raw.get(key)
        low, high = count
        if not isinstance(value, list) or len(value) < low or (high is not None and len(value) > high):
            if high is None:
                bounds = "a non-empty list of" if low == 1 else f"a list of at least {low}"
            else:
                bounds = f"a list of {low} to {high}"
            self.bad(key, f"must be {bounds} {noun}", item=item)
            return []
        found: list[tuple[str, dict[str, Any]]] = []
        for number, entry in enumerate(value, start=1):
            name = each(number)
            if not isinstance(entry, dict):
                self.bad(key, "must be a mapping", item=name)
                continue
            self.fields(entry, known, item=name)
            found.append((name, entry))
        return found
