"""The insights report as a terminal table, Markdown, JSON and a short chat summary (the HTML page is in
:mod:`adapters.insights.html`); intents by their titles, times as people read them."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date
from html import escape

from adapters.insights.report import OUTCOMES, Report
from adapters.quoting import inert

#: About how many characters of a question an example shows (the HTML page opens the rest).
EXAMPLE_CHARS = 120
CHAT_LIMIT = 1900  # Discord's message limit is 2000 characters; Slack's section text 3000
# Markdown's inline syntax (emphasis, code, links, images, headings, strikethrough), escaped with a backslash.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+!~])")
# Text direction overrides and isolates, which reorder what a terminal or a page shows around them.
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _visible(text: str) -> str:
    """Control characters (a terminal's escape sequences and links) and direction overrides spelled out."""
    return "".join(f"\\x{ord(ch):02x}" if unicodedata.category(ch) == "Cc" else
                   f"\\u{ord(ch):04x}" if ch in _BIDI else ch for ch in text)


def _terminal(text: str) -> str:
    """A person's words for the terminal table: inert, and no escape sequence reaches the terminal."""
    return _visible(inert(text))


def _markdown(text: str) -> str:
    """A person's words for Markdown: inert, HTML escaped, and links, images and emphasis shown as typed."""
    return _MARKDOWN.sub(r"\\\1", escape(_visible(inert(text)), quote=False))


def _pct(value: float) -> str:
    return f"{value:.0%}"


def day(value: date) -> str:
    """A day as people read it: ``Wed 1 May 2024``."""
    return f"{value:%a} {value.day} {value:%b %Y}"


def span(report: Report) -> str:
    """When the questions were asked: ``from Wed 1 May 2024, 09:00 to Thu 2 May 2024, 15:30 UTC``, or
    ``on Wed 1 May 2024, 09:00 to 15:30 UTC`` within a day."""
    first, last = report.first, report.last
    if first is None or last is None:
        return ""
    if first.date() == last.date():
        return f"on {day(first)}, {first:%H:%M} to {last:%H:%M} UTC"
    return f"from {day(first)}, {first:%H:%M} to {day(last)}, {last:%H:%M} UTC"


def summary(report: Report) -> str:
    """The first line: how many questions, and when."""
    return f"{report.total} question{'' if report.total == 1 else 's'} {span(report)}"


def fit_line(report: Report) -> str:
    """The fit check's steps, counted apart from the questions."""
    results = f"{report.fit_results} result{'' if report.fit_results == 1 else 's'}"
    return f"{report.fit_steps} fit-check step{'' if report.fit_steps == 1 else 's'} ({results} shown), " \
        "not counted as questions"


def cut(text: str, limit: int = EXAMPLE_CHARS) -> str:
    """``text`` on one line, cut at a word to about ``limit`` characters, with an ellipsis when cut."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    head = flat[:limit - 1]
    if " " in head[limit // 2:]:
        head = head[:head.rindex(" ")]
    return head.rstrip(" ,;:.") + "…"


def timeline(report: Report) -> tuple[str, str, list[tuple[str, int]]]:
    """The heading, the first column's name and the rows of the questions over time: per hour within one
    day, else per day."""
    if report.per_hour and report.first is not None:
        return (f"Questions per hour, {day(report.first)} (UTC)", "hour",
                [(f"{hour:02d}:00", n) for hour, n in report.per_hour.items()])
    return "Questions per day", "day", [(day(date.fromisoformat(d)), n) for d, n in report.per_day.items()]


def _table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    cells = [[str(h) for h in headers], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return ["  " + line for line in lines]


OUTCOME_HEADERS = ("outcome", "questions", "share")
TOP_HEADERS = ("topic", "answers")
LEAST_HEADERS = ("answer", "not helpful", "votes", "share not helpful")
GROUP_HEADERS = ("questions", "likely topic", "confidence", "examples")


def _group_rows(report: Report) -> list[tuple[object, ...]]:
    return [(g.count, _terminal(report.title(g.likely_intent)) if g.likely_intent else "-",
             f"{g.score:.2f}" if g.likely_intent else "-",
             " | ".join(_terminal(cut(e)) for e in g.examples)) for g in report.groups]


def to_text(report: Report) -> str:
    """The report as aligned plain-text tables for a terminal."""
    if not report.total and not report.fit_steps:
        return "No questions recorded yet."
    lines = [summary(report)]
    if report.fit_steps:
        lines.append(fit_line(report))
    lines += ["", "Outcomes"]
    lines += _table(OUTCOME_HEADERS, [(o, report.outcomes.get(o, 0), _pct(report.rate(o))) for o in OUTCOMES])
    lines += ["", "Questions per platform"]
    lines += _table(("platform", "questions"), list(report.per_platform.items()))
    heading, column, rows = timeline(report)
    lines += ["", heading]
    lines += _table((column, "questions"), [row for row in rows if row[1]] if report.per_hour else rows)
    lines += ["", "Most asked topics"]
    lines += (_table(TOP_HEADERS, [(_terminal(report.title(i)), n) for i, n in report.top_intents])
              if report.top_intents else ["  none answered yet"])
    lines += ["", "Least helpful answers"]
    lines += (_table(LEAST_HEADERS, [(_terminal(report.title(i)), bad, n, _pct(bad / n))
                                     for i, n, bad in report.least_helpful])
              if report.least_helpful else ["  no not-helpful votes"])
    lines.append(f"  ({report.votes} vote{'' if report.votes == 1 else 's'} in all)")
    lines += ["", "Unanswered questions, grouped"]
    lines += _table(GROUP_HEADERS, _group_rows(report)) if report.groups else ["  none"]
    if report.unanswered_without_text:
        lines.append(f"  (+{report.unanswered_without_text} without stored text)")
    return "\n".join(lines)


def _md_cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def _md_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
    return lines


def to_markdown(report: Report) -> str:
    """The report as a Markdown page for a wiki."""
    lines = ["# whoswho insights", ""]
    if not report.total and not report.fit_steps:
        return "\n".join([*lines, "No questions recorded yet.", ""])
    lines += [summary(report) + "."]
    if report.fit_steps:
        lines += ["", fit_line(report) + "."]
    lines += ["", "## Outcomes", ""]
    lines += _md_table(OUTCOME_HEADERS, [(o, report.outcomes.get(o, 0), _pct(report.rate(o))) for o in OUTCOMES])
    lines += ["", "## Questions per platform", ""]
    lines += _md_table(("platform", "questions"), list(report.per_platform.items()))
    heading, column, rows = timeline(report)
    lines += ["", f"## {heading}", ""]
    lines += _md_table((column, "questions"), [row for row in rows if row[1]] if report.per_hour else rows)
    lines += ["", "## Most asked topics", ""]
    lines += _md_table(TOP_HEADERS, [(_markdown(report.title(i)), n) for i, n in report.top_intents])
    lines += ["", "## Least helpful answers", ""]
    lines += _md_table(LEAST_HEADERS, [(_markdown(report.title(i)), bad, n, _pct(bad / n))
                                       for i, n, bad in report.least_helpful])
    lines += ["", f"{report.votes} vote{'' if report.votes == 1 else 's'} in all."]
    lines += ["", "## Unanswered questions, grouped", ""]
    lines += _md_table(GROUP_HEADERS,
                       [(g.count, _markdown(report.title(g.likely_intent)) if g.likely_intent else "-",
                         f"{g.score:.2f}" if g.likely_intent else "-",
                         "<br>".join(_markdown(cut(e)) for e in g.examples))
                        for g in report.groups])
    if report.unanswered_without_text:
        lines += ["", f"{report.unanswered_without_text} more unanswered questions have no stored text."]
    return "\n".join(lines) + "\n"


def to_json(report: Report) -> str:
    """The report as one JSON object."""
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2)


def to_chat(report: Report, *, quote: Callable[[str], str] = inert) -> str:
    """A short summary for a private chat message (plain text, within Discord's length limit); ``quote`` makes
    the questions people wrote inert in the platform's own markup (Slack escapes the whole message itself)."""
    if not report.total:
        return "No questions have been recorded yet."
    rates = ", ".join(f"{o} {_pct(report.rate(o))}" for o in OUTCOMES)
    platforms = ", ".join(f"{p} {n}" for p, n in report.per_platform.items())
    lines = [f"whoswho insights: {report.total} questions ({platforms}); {rates}."]
    if report.fit_steps:
        lines.append(fit_line(report) + ".")
    if report.top_intents:
        lines.append("Most asked: " + ", ".join(f"{report.title(i)} ({n})" for i, n in report.top_intents[:5]) + ".")
    if report.least_helpful:
        lines.append("Least helpful: " + ", ".join(f"{report.title(i)} ({bad} of {n} not helpful)"
                                                   for i, n, bad in report.least_helpful[:3]) + ".")
    if report.groups:
        lines.append("Unanswered, grouped:")
        for g in report.groups[:5]:
            likely = f" (likely {report.title(g.likely_intent)})" if g.likely_intent else ""
            lines.append(f"• {g.count} x \"{quote(cut(g.examples[0]))}\"{likely}")
    lines.append("Full report: `whoswho insights` (or --html FILE) on the server.")
    text = "\n".join(lines)
    return text if len(text) <= CHAT_LIMIT else text[:CHAT_LIMIT - 1] + "…"
