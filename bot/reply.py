"""The plain values at the seam between the core and the adapters."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from bot.tokens import is_token


class ReplyKind(StrEnum):
    """What sort of reply the advisor gave."""

    ANSWER = "answer"
    CLARIFY = "clarify"
    FALLBACK = "fallback"


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of text in the Markdown subset (``**bold**``, ``[text](url)``)."""

    text: str


@dataclass(frozen=True)
class BulletList:
    """A list of bullet items, each in the Markdown subset."""

    items: tuple[str, ...]


Block = Paragraph | BulletList


@dataclass(frozen=True)
class Source:
    """A cited source: its title, its address when it has one, and where in it."""

    key: str
    title: str
    url: str | None = None
    where: str | None = None

    @property
    def label(self) -> str:
        """The title with the location, as shown to people."""
        return f"{self.title}, {self.where}" if self.where else self.title


class SuggestionAction(StrEnum):
    """What clicking a suggestion does."""

    #: Ask ``query``, a question (the first phrasing of ``intent`` when it names one).
    ASK = "ask"
    #: Send ``query``, one of the core's tokens (a fit-check option, a learning path), back as it is.
    COMMAND = "command"
    #: Ask for the question this reply answers to be taken to a person (a mentor): nothing is sent to the
    #: advisor; the adapter escalates the question whose id is on the reply's feedback buttons.
    MENTOR = "mentor"


@dataclass(frozen=True)
class Suggestion:
    """A follow-up offered under a reply: the label shown, what it sends, and whether that is a question
    or a command token (``action``, told by the token's syntax when not given).

    >>> Suggestion("Take the fit check", "fit:start").action.value, Suggestion("Hi", "hello").action.value
    ('command', 'ask')
    """

    label: str
    query: str
    intent: str | None = None
    action: SuggestionAction = None  # type: ignore[assignment]  # set in __post_init__ when not given

    def __post_init__(self) -> None:
        if self.action is None:
            command = self.intent is None and is_token(self.query)
            object.__setattr__(self, "action", SuggestionAction.COMMAND if command else SuggestionAction.ASK)

    @property
    def is_command(self) -> bool:
        """Whether clicking sends a command token rather than a question (show the label, not the query)."""
        return self.action is SuggestionAction.COMMAND


@dataclass(frozen=True)
class Reply:
    """The advisor's reply, rendered natively by each adapter.

    ``intent`` is the answering intent's id for an answer and ``None`` for a
    clarification or a fallback; ``confidence`` lies in [0, 1]. A fit check's steps are
    answers with the intents ``fit.question``, ``fit.result`` and ``fit.notice``, and a
    learning path one with ``path.<role>``.
    """

    kind: ReplyKind
    intent: str | None
    confidence: float
    title: str
    body: tuple[Block, ...]
    sources: tuple[Source, ...] = ()
    suggestions: tuple[Suggestion, ...] = ()
    candidates: tuple[str, ...] = field(default=(), compare=False)
    #: The line introducing the suggestions when the default ("You could ask next:") would not fit.
    lead: str | None = None
    #: Whether the reply can be shared as it is (a fit check's steps are one person's own).
    shareable: bool = True
    #: Other intents the question may have meant, with their confidences, best first.
    alternatives: tuple[tuple[str, float], ...] = field(default=(), compare=False)
    #: For a question outside what whoswho covers: the out-of-scope topic it was recognized as
    #: (``"language"`` for a question in another language), when one was.
    outside: str | None = None

    @property
    def text(self) -> str:
        """The whole reply as plain text, without markup."""
        lines = [self.title, ""]
        for block in self.body:
            if isinstance(block, Paragraph):
                lines += [plain(block.text), ""]
            else:
                lines += [f"- {plain(item)}" for item in block.items]
                lines.append("")
        if self.sources:
            lines.append("Sources:")
            for source in self.sources:
                lines.append(f"- {source.label}" + (f" <{source.url}>" if source.url else ""))
            lines.append("")
        return "\n".join(lines).rstrip()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping of the reply."""
        return {
            "kind": str(self.kind),
            "intent": self.intent,
            "confidence": round(self.confidence, 4),
            "title": self.title,
            "text": self.text,
            "body": [
                {"paragraph": block.text}
                if isinstance(block, Paragraph)
                else {"bullets": list(block.items)}
                for block in self.body
            ],
            "sources": [
                {"title": s.title, "url": s.url, "where": s.where} for s in self.sources
            ],
            "suggestions": [
                {"label": s.label, "query": s.query, "intent": s.intent, "action": s.action.value}
                for s in self.suggestions
            ],
        }


@dataclass(frozen=True)
class Span:
    """A run of inline text: plain, bold, or a link to ``url``."""

    text: str
    bold: bool = False
    url: str | None = None


_INLINE = re.compile(r"\*\*(?P<bold>.+?)\*\*|\[(?P<label>[^\]]+)\]\((?P<url>https?://[^)\s]+)\)")


def spans(text: str) -> list[Span]:
    """Split text in the Markdown subset into spans that adapters render natively.

    >>> [(s.text, s.bold, s.url) for s in spans("see **this** [post](https://example.org)")]
    [('see ', False, None), ('this', True, None), (' ', False, None), ('post', False, 'https://example.org')]
    """
    result: list[Span] = []
    position = 0
    for match in _INLINE.finditer(text):
        if match.start() > position:
            result.append(Span(text[position : match.start()]))
        if match.group("bold") is not None:
            result.append(Span(match.group("bold"), bold=True))
        else:
            result.append(Span(match.group("label"), url=match.group("url")))
        position = match.end()
    if position < len(text):
        result.append(Span(text[position:]))
    return result


def plain(text: str) -> str:
    """Text in the Markdown subset without its markup; links keep their address."""
    return "".join(s.text if s.url is None else f"{s.text} ({s.url})" for s in spans(text))


def parse_blocks(text: str) -> tuple[Block, ...]:
    """Parse an answer: paragraphs separated by blank lines, ``- `` lines as bullets."""
    blocks: list[Block] = []
    paragraph: list[str] = []
    bullets: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(Paragraph(" ".join(paragraph)))
            paragraph.clear()
        if bullets:
            blocks.append(BulletList(tuple(bullets)))
            bullets.clear()

    for raw in text.strip().splitlines():
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith(("- ", "* ")):
            if paragraph:
                flush()
            bullets.append(line[2:].strip())
        elif bullets and raw.startswith((" ", "\t")):
            bullets[-1] = f"{bullets[-1]} {line}"
        else:
            if bullets:
                flush()
            paragraph.append(line)
    flush()
    return tuple(blocks)
