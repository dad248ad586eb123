"""Rendering a reply as terminal text, coloured when the output is a terminal."""

from __future__ import annotations

import textwrap

from bot import BulletList, Reply, ReplyKind, spans

_BOLD, _DIM, _CYAN, _YELLOW, _UNDERLINE, _RESET = "\x1b[1m", "\x1b[2m", "\x1b[36m", "\x1b[33m", "\x1b[4m", "\x1b[0m"
WIDTH = 88


def _inline(text: str, color: bool) -> str:
    out: list[str] = []
    for span in spans(text):
        if span.url:
            out.append(f"{_UNDERLINE}{span.text}{_RESET} ({span.url})" if color else f"{span.text} ({span.url})")
        elif span.bold and color:
            out.append(f"{_BOLD}{span.text}{_RESET}")
        else:
            out.append(span.text)
    return "".join(out)


def _wrap(text: str, *, indent: str = "", first: str = "") -> list[str]:
    # Wrap before colouring would be exact; wrapping the plain width is close enough for escapes.
    return textwrap.wrap(text, width=WIDTH, initial_indent=first or indent, subsequent_indent=indent,
                         break_long_words=False, break_on_hyphens=False) or [first.rstrip()]


def render(reply: Reply, *, color: bool = False, numbered: bool = True) -> str:
    """The reply as lines of text: title, paragraphs, bullets, sources and numbered suggestions."""
    title_color = _YELLOW if reply.kind is not ReplyKind.ANSWER else _CYAN
    lines = [f"{_BOLD}{title_color}{reply.title}{_RESET}" if color else reply.title]
    for block in reply.body:
        lines.append("")
        if isinstance(block, BulletList):
            for item in block.items:
                lines += _wrap(_inline(item, color), first="  • ", indent="    ")
        else:
            lines += _wrap(_inline(block.text, color))
    if reply.sources:
        lines.append("")
        for source in reply.sources:
            cite = f"Source: {source.label}" + (f" <{source.url}>" if source.url else "")
            lines += [f"{_DIM}{line}{_RESET}" if color else line for line in _wrap(cite, indent="  ")]
    if reply.suggestions:
        lines.append("")
        lines.append(reply.lead or ("You could ask next:" if reply.kind is ReplyKind.ANSWER else "Choose one:"))
        for number, suggestion in enumerate(reply.suggestions, start=1):
            marker = f"  {number}. " if numbered else "  - "
            lines.append(f"{marker}{suggestion.label}")
    return "\n".join(lines)
