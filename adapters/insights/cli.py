"""``whoswho insights``: the report in the terminal, as Markdown, JSON or an HTML page, or the suggestion patch;
and the summary ``/whoswho-admin insights`` posts."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

from adapters.insights.curation import SUGGEST_CONFIDENCE
from adapters.insights.html import to_html
from adapters.insights.mentors import drafts_yaml, proposals, read_mentor_replies
from adapters.insights.render import to_chat, to_json, to_markdown, to_text
from adapters.insights.report import (
    DEFAULT_SIMILARITY,
    InsightsError,
    NothingRecorded,
    Report,
    build_report,
    database_url,
    known_phrasings,
    read_records,
    suggest,
    suggestion_yaml,
)
from adapters.quoting import inert
from adapters.settings import CoreSettings
from bot import Advisor

_log = logging.getLogger(__name__)

NOTHING_YET = "No questions have been recorded yet."
UNREADABLE = "Sorry, I couldn't read the recorded questions just now. The server's log says why."


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``insights`` subcommand and its options."""
    insights = commands.add_parser("insights", help="report what people asked, what went unanswered, "
                                   "which answers did not help")
    insights.add_argument("--database", default=None, metavar="URL",
                          help="the records' database (default WHOSWHO_DATABASE_URL, else whoswho.sqlite3 "
                          "in the data folder)")
    insights.add_argument("--format", choices=("table", "markdown", "json"), default="table",
                          help="terminal table (default), Markdown for a wiki, or JSON for tools")
    insights.add_argument("--html", type=Path, default=None, metavar="FILE",
                          help="also write a self-contained HTML page with charts to FILE")
    insights.add_argument("--suggest", nargs="?", const="-", default=None, metavar="FILE",
                          help="write a YAML patch of proposed new questions per intent to FILE "
                          "(standard output without FILE) instead of the report")
    insights.add_argument("--min-confidence", type=float, default=SUGGEST_CONFIDENCE, metavar="0-1",
                          help="with --suggest, the least confidence a proposed phrasing needs for its intent "
                          f"(default {SUGGEST_CONFIDENCE:g})")
    insights.add_argument("--similarity", type=float, default=DEFAULT_SIMILARITY, metavar="0-100",
                          help=f"how alike unanswered questions must be to group (default {DEFAULT_SIMILARITY:g})")


def run(args: argparse.Namespace, settings: CoreSettings, environ: Mapping[str, str]) -> int:
    """Run ``whoswho insights``; the exit code."""
    url = database_url(environ, data_dir=settings.data_dir, override=args.database)
    advisor = settings.load_advisor()
    try:
        records, votes = read_records(url)
    except InsightsError as error:
        print(f"whoswho: {error}", file=sys.stderr)
        return 1
    report = build_report(records, votes, advisor=advisor, similarity=args.similarity)
    if args.suggest is not None:
        patch = suggestion_patch(url, report, advisor, min_confidence=args.min_confidence)
        if args.suggest == "-":
            sys.stdout.write(patch)
        else:
            Path(args.suggest).write_text(patch, encoding="utf-8")
            print(f"wrote {args.suggest}", file=sys.stderr)
        return 0
    if args.html is not None:
        args.html.write_text(to_html(report), encoding="utf-8")
        print(f"wrote {args.html}", file=sys.stderr)
    render = {"table": to_text, "markdown": to_markdown, "json": to_json}[args.format]
    print(render(report))
    return 0


def suggestion_patch(url: str, report: Report, advisor: Advisor, *, min_confidence: float) -> str:
    """The ``--suggest`` patch: phrasings from the questions people asked and the mentors answered, and drafts
    of new intents from the mentors' answers whoswho has no intent for."""
    patch = suggest(report, advisor, min_confidence=min_confidence)
    phrasings, drafts = proposals(read_mentor_replies(url), advisor, min_confidence=min_confidence,
                                  known=known_phrasings(advisor))
    for intent, texts in phrasings.items():
        patch[intent] = sorted({*patch.get(intent, ()), *texts}, key=str.lower)
    return suggestion_yaml(dict(sorted(patch.items())), report.titles, drafts=drafts_yaml(drafts))


def chat_summary(url: str, advisor: Advisor, *, quote: Callable[[str], str] = inert) -> str:
    """The private summary ``/whoswho-admin insights`` posts, the questions people wrote made inert by ``quote``;
    a fixed sentence when the records cannot be read."""
    try:
        records, votes = read_records(url)
    except NothingRecorded:
        return NOTHING_YET
    except InsightsError as error:
        _log.warning("insights for an admin: %s", error)
        return UNREADABLE
    return to_chat(build_report(records, votes, advisor=advisor), quote=quote)
