"""The insights report as a terminal table, Markdown, JSON, a self-contained HTML page with SVG charts,
and a short chat summary."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Sequence
from html import escape

from adapters.insights.report import OUTCOMES, Report
from adapters.quoting import inert

COLORS = {"answer": "#2e7d32", "clarify": "#f9a825", "fallback": "#c62828"}
BAR = "#3f51b5"
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


def _table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    cells = [[str(h) for h in headers], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return ["  " + line for line in lines]


def _group_rows(report: Report) -> list[tuple[object, ...]]:
    return [(g.count, g.likely_intent or "-", f"{g.score:.2f}" if g.likely_intent else "-",
             " | ".join(_terminal(e) for e in g.examples)) for g in report.groups]


def to_text(report: Report) -> str:
    """The report as aligned plain-text tables for a terminal."""
    if not report.total:
        return "No questions recorded yet."
    lines = [f"{report.total} questions from {report.first} to {report.last}", "", "Outcomes"]
    lines += _table(("outcome", "count", "rate"),
                    [(o, report.outcomes.get(o, 0), _pct(report.rate(o))) for o in OUTCOMES])
    lines += ["", "Questions per platform"]
    lines += _table(("platform", "count"), list(report.per_platform.items()))
    lines += ["", "Questions per day"]
    lines += _table(("day", "count"), list(report.per_day.items()))
    lines += ["", "Most asked intents"]
    lines += _table(("intent", "count"), report.top_intents) if report.top_intents else ["  none answered yet"]
    lines += ["", f"Least helpful answers ({report.votes} votes)"]
    lines += (_table(("intent", "not helpful", "votes", "share"),
                     [(i, bad, n, _pct(bad / n)) for i, n, bad in report.least_helpful])
              if report.least_helpful else ["  no not-helpful votes"])
    lines += ["", "Unanswered questions, grouped"]
    lines += (_table(("count", "likely intent", "score", "examples"), _group_rows(report))
              if report.groups else ["  none"])
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
    if not report.total:
        return "\n".join([*lines, "No questions recorded yet.", ""])
    lines += [f"{report.total} questions from {report.first} to {report.last}.", "", "## Outcomes", ""]
    lines += _md_table(("outcome", "count", "rate"),
                       [(o, report.outcomes.get(o, 0), _pct(report.rate(o))) for o in OUTCOMES])
    lines += ["", "## Questions per platform", ""]
    lines += _md_table(("platform", "count"), list(report.per_platform.items()))
    lines += ["", "## Questions per day", ""]
    lines += _md_table(("day", "count"), list(report.per_day.items()))
    lines += ["", "## Most asked intents", ""]
    lines += _md_table(("intent", "count"), [(f"`{i}`", n) for i, n in report.top_intents])
    lines += ["", f"## Least helpful answers ({report.votes} votes)", ""]
    lines += _md_table(("intent", "not helpful", "votes", "share"),
                       [(f"`{i}`", bad, n, _pct(bad / n)) for i, n, bad in report.least_helpful])
    lines += ["", "## Unanswered questions, grouped", ""]
    lines += _md_table(("count", "likely intent", "score", "examples"),
                       [(g.count, f"`{g.likely_intent}`" if g.likely_intent else "-",
                         f"{g.score:.2f}" if g.likely_intent else "-", "<br>".join(_markdown(e) for e in g.examples))
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
    if report.top_intents:
        lines.append("Most asked: " + ", ".join(f"{i} ({n})" for i, n in report.top_intents[:5]) + ".")
    if report.least_helpful:
        lines.append("Least helpful: " + ", ".join(f"{i} ({bad} of {n} not helpful)"
                                                   for i, n, bad in report.least_helpful[:3]) + ".")
    if report.groups:
        lines.append("Unanswered, grouped:")
        for g in report.groups[:5]:
            likely = f" (likely {g.likely_intent})" if g.likely_intent else ""
            lines.append(f"• {g.count} x \"{quote(g.examples[0])}\"{likely}")
    lines.append("Full report: `whoswho insights` (or --html FILE) on the server.")
    text = "\n".join(lines)
    return text if len(text) <= CHAT_LIMIT else text[:CHAT_LIMIT - 1] + "…"


# --- HTML -------------------------------------------------------------------------------------------------

def _svg_columns(chart_id: str, points: Sequence[tuple[str, int]], *, width: int = 720, height: int = 240) -> str:
    """A column chart (questions per day), labels under the first, middle and last column."""
    pad_left, pad_bottom, pad_top = 40, 30, 10
    top = max((n for _, n in points), default=0) or 1
    inner_w, inner_h = width - pad_left - 10, height - pad_bottom - pad_top
    step = inner_w / max(len(points), 1)
    parts = [f'<svg id="{chart_id}" class="chart" xmlns="http://www.w3.org/2000/svg" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="questions per day">',
             f'<line x1="{pad_left}" y1="{pad_top + inner_h}" x2="{width - 10}" y2="{pad_top + inner_h}" '
             'stroke="#999"/>',
             f'<text x="{pad_left - 6}" y="{pad_top + 10}" text-anchor="end" class="axis">{top}</text>',
             f'<text x="{pad_left - 6}" y="{pad_top + inner_h}" text-anchor="end" class="axis">0</text>']
    labelled = {0, len(points) // 2, len(points) - 1}
    for i, (label, n) in enumerate(points):
        h = inner_h * n / top
        x = pad_left + i * step + step * 0.1
        parts.append(f'<rect class="bar" x="{x:.1f}" y="{pad_top + inner_h - h:.1f}" width="{step * 0.8:.1f}" '
                     f'height="{h:.1f}" fill="{BAR}"><title>{escape(label)}: {n}</title></rect>')
        if i in labelled:
            parts.append(f'<text x="{x + step * 0.4:.1f}" y="{height - 10}" text-anchor="middle" '
                         f'class="axis">{escape(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _svg_outcomes(chart_id: str, report: Report, *, width: int = 720, height: int = 90) -> str:
    """One stacked bar of the outcome mix, with a legend."""
    parts = [f'<svg id="{chart_id}" class="chart" xmlns="http://www.w3.org/2000/svg" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="outcome mix">']
    x = 0.0
    for outcome in OUTCOMES:
        w = width * report.rate(outcome)
        if w > 0:
            parts.append(f'<rect class="bar" x="{x:.1f}" y="0" width="{w:.1f}" height="40" '
                         f'fill="{COLORS[outcome]}"><title>{outcome}: {report.outcomes.get(outcome, 0)}'
                         '</title></rect>')
        x += w
    for i, outcome in enumerate(OUTCOMES):
        lx = 10 + i * 200
        parts.append(f'<rect x="{lx}" y="58" width="14" height="14" fill="{COLORS[outcome]}"/>'
                     f'<text x="{lx + 20}" y="70" class="legend">{outcome} {report.outcomes.get(outcome, 0)} '
                     f'({_pct(report.rate(outcome))})</text>')
    parts.append("</svg>")
    return "".join(parts)


def _svg_bars(chart_id: str, rows: Sequence[tuple[str, int]], *, width: int = 720) -> str:
    """Horizontal bars (the most asked intents), the label left of each bar."""
    row_h, label_w = 26, 300
    height = max(len(rows), 1) * row_h + 10
    top = max((n for _, n in rows), default=0) or 1
    parts = [f'<svg id="{chart_id}" class="chart" xmlns="http://www.w3.org/2000/svg" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="most asked intents">']
    for i, (label, n) in enumerate(rows):
        y = 5 + i * row_h
        w = (width - label_w - 50) * n / top
        parts.append(f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end" class="label">{escape(label)}</text>'
                     f'<rect class="bar" x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row_h - 8}" '
                     f'fill="{BAR}"><title>{escape(label)}: {n}</title></rect>'
                     f'<text x="{label_w + w + 6:.1f}" y="{y + 17}" class="label">{n}</text>')
    parts.append("</svg>")
    return "".join(parts)


CSS = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 60rem;
       color: #222; padding: 0 1rem; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: .5rem 0; } th, td { text-align: left; padding: .25rem .8rem;
       border-bottom: 1px solid #eee; vertical-align: top; } th { background: #f5f5f5; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.chart { display: block; margin: .5rem 0; } .axis, .legend, .label { font: 12px system-ui, sans-serif; fill: #333; }
.muted { color: #666; } ul.examples { margin: 0; padding-left: 1.1rem; }
"""


def _html_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(
        f'<td class="n">{c}</td>' if isinstance(c, int | float) else f"<td>{c}</td>" for c in row) + "</tr>"
        for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def to_html(report: Report) -> str:
    """One self-contained page: inline CSS and SVG charts, no scripts, nothing fetched."""
    sections = []
    if not report.total:
        sections.append("<p>No questions recorded yet.</p>")
    else:
        sections.append(f'<p class="muted">{report.total} questions from {escape(report.first or "")} '
                        f'to {escape(report.last or "")}.</p>')
        sections.append("<h2>Questions over time</h2>" + _svg_columns("chart-days", list(report.per_day.items())))
        sections.append("<h2>Outcome mix</h2>" + _svg_outcomes("chart-outcomes", report))
        sections.append(_html_table(("platform", "questions"), [(escape(p), n)
                                                                  for p, n in report.per_platform.items()]))
        sections.append("<h2>Most asked intents</h2>"
                        + (_svg_bars("chart-intents", report.top_intents) if report.top_intents
                           else "<p>None answered yet.</p>"))
        sections.append(f"<h2>Least helpful answers ({report.votes} votes)</h2>"
                        + (_html_table(("intent", "not helpful", "votes", "share"),
                                       [(f"<code>{escape(i)}</code>", bad, n, _pct(bad / n))
                                        for i, n, bad in report.least_helpful])
                           if report.least_helpful else "<p>No not-helpful votes.</p>"))
        rows = [(g.count, f"<code>{escape(g.likely_intent)}</code> ({g.score:.2f})" if g.likely_intent else "-",
                 '<ul class="examples">' + "".join(f"<li>{escape(e)}</li>" for e in g.examples) + "</ul>")
                for g in report.groups]
        sections.append("<h2>Unanswered questions, grouped</h2>"
                        + (_html_table(("count", "likely intent", "examples"), rows) if rows else "<p>None.</p>"))
        if report.unanswered_without_text:
            sections.append(f'<p class="muted">{report.unanswered_without_text} more unanswered questions '
                            "have no stored text.</p>")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>whoswho insights</title><style>{CSS}</style></head><body><h1>whoswho insights</h1>"
            + "\n".join(sections) + "</body></html>\n")
