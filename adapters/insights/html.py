"""The insights report as one self-contained HTML page: inline CSS and SVG charts, no scripts, nothing
fetched. A long example shows its first words, and the whole question behind a toggle."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from adapters.insights.render import (
    GROUP_HEADERS,
    LEAST_HEADERS,
    OUTCOME_HEADERS,
    TOP_HEADERS,
    cut,
    fit_line,
    summary,
    timeline,
)
from adapters.insights.report import OUTCOMES, Report
from bot import ReplyKind

COLORS: dict[str, str] = {ReplyKind.ANSWER: "#2e7d32", ReplyKind.CLARIFY: "#f9a825", ReplyKind.FALLBACK: "#c62828"}
BAR = "#3f51b5"
def _pct(value: float) -> str:
    return f"{value:.0%}"


def _svg_columns(chart_id: str, points: Sequence[tuple[str, int]], *, label: str, every: int = 0,
                 width: int = 720, height: int = 240) -> str:
    """A column chart (questions per day or per hour), labels under the first, middle and last column, or
    under every ``every``-th one."""
    pad_left, pad_bottom, pad_top = 40, 30, 10
    top = max((n for _, n in points), default=0) or 1
    inner_w, inner_h = width - pad_left - 10, height - pad_bottom - pad_top
    step = inner_w / max(len(points), 1)
    parts = [f'<svg id="{chart_id}" class="chart" xmlns="http://www.w3.org/2000/svg" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}">',
             f'<line x1="{pad_left}" y1="{pad_top + inner_h}" x2="{width - 10}" y2="{pad_top + inner_h}" '
             'stroke="#999"/>',
             f'<text x="{pad_left - 6}" y="{pad_top + 10}" text-anchor="end" class="axis">{top}</text>',
             f'<text x="{pad_left - 6}" y="{pad_top + inner_h}" text-anchor="end" class="axis">0</text>']
    labelled = set(range(0, len(points), every)) if every else {0, len(points) // 2, len(points) - 1}
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


def _svg_bars(chart_id: str, rows: Sequence[tuple[str, int]], *, width: int = 900) -> str:
    """Horizontal bars (the most asked topics), the label left of each bar."""
    row_h, label_w = 26, 430
    height = max(len(rows), 1) * row_h + 10
    top = max((n for _, n in rows), default=0) or 1
    parts = [f'<svg id="{chart_id}" class="chart" xmlns="http://www.w3.org/2000/svg" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="most asked topics">']
    for i, (label, n) in enumerate(rows):
        y = 5 + i * row_h
        w = (width - label_w - 50) * n / top
        parts.append(f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end" class="label">'
                     f'{escape(cut(label, 62))}</text>'
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
details summary { cursor: pointer; } details[open] summary { color: #666; }
details p { margin: .25rem 0 .5rem; white-space: pre-wrap; overflow-wrap: anywhere; }
"""


def _html_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(
        f'<td class="n">{c}</td>' if isinstance(c, int | float) else f"<td>{c}</td>" for c in row) + "</tr>"
        for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _example(text: str) -> str:
    """An example question: whole when short, else its first words with the whole text behind a toggle."""
    short = cut(text)
    if short == text:
        return escape(text)
    return f"<details><summary>{escape(short)}</summary><p>{escape(text)}</p></details>"


def _sections(report: Report) -> list[str]:
    sections = [f'<p class="muted">{escape(summary(report))}.</p>']
    if report.fit_steps:
        sections.append(f'<p class="muted">{escape(fit_line(report))}.</p>')
    heading, _, rows = timeline(report)
    chart = _svg_columns("chart-hours", rows, label="questions per hour", every=3) if report.per_hour \
        else _svg_columns("chart-days", rows, label="questions per day")
    sections.append(f"<h2>{escape(heading)}</h2>" + chart)
    sections.append("<h2>Outcomes</h2>" + _svg_outcomes("chart-outcomes", report)
                    + _html_table(OUTCOME_HEADERS, [(o, report.outcomes.get(o, 0), _pct(report.rate(o)))
                                                    for o in OUTCOMES]))
    sections.append("<h2>Questions per platform</h2>"
                    + _html_table(("platform", "questions"), [(escape(p), n) for p, n in report.per_platform.items()]))
    sections.append("<h2>Most asked topics</h2>"
                    + (_svg_bars("chart-intents", [(report.title(i), n) for i, n in report.top_intents])
                       + _html_table(TOP_HEADERS, [(escape(report.title(i)), n) for i, n in report.top_intents])
                       if report.top_intents else "<p>None answered yet.</p>"))
    sections.append("<h2>Least helpful answers</h2>"
                    + (_html_table(LEAST_HEADERS, [(escape(report.title(i)), bad, n, _pct(bad / n))
                                                   for i, n, bad in report.least_helpful])
                       if report.least_helpful else "<p>No not-helpful votes.</p>")
                    + f'<p class="muted">{report.votes} vote{"" if report.votes == 1 else "s"} in all.</p>')
    rows_html = [(g.count, escape(report.title(g.likely_intent)) if g.likely_intent else "-",
                  f"{g.score:.2f}" if g.likely_intent else "-",
                  '<ul class="examples">' + "".join(f"<li>{_example(e)}</li>" for e in g.examples) + "</ul>")
                 for g in report.groups]
    sections.append("<h2>Unanswered questions, grouped</h2>"
                    + (_html_table(GROUP_HEADERS, rows_html) if rows_html else "<p>None.</p>"))
    if report.unanswered_without_text:
        sections.append(f'<p class="muted">{report.unanswered_without_text} more unanswered questions '
                        "have no stored text.</p>")
    return sections


def to_html(report: Report) -> str:
    """One self-contained page: inline CSS and SVG charts, no scripts, nothing fetched."""
    empty = not report.total and not report.fit_steps
    sections = ["<p>No questions recorded yet.</p>"] if empty else _sections(report)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>whoswho insights</title><style>{CSS}</style></head><body><h1>whoswho insights</h1>"
            + "\n".join(sections) + "</body></html>\n")
