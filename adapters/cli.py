"""The ``whoswho`` command: chat (the default), ask, topics, check, eval, insights, serve, and one command per
platform in :mod:`adapters.platforms`. Each command imports what it runs, so ``whoswho --help`` and
``whoswho ask`` load no platform library and no database driver."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from adapters import platforms

if TYPE_CHECKING:
    from adapters.settings import CoreSettings
    from bot import Advisor, KnowledgeBase

INSIGHTS_HELP = "report what people asked, what went unanswered, which answers did not help"


def _color(stream: object) -> bool:
    return bool(getattr(stream, "isatty", lambda: False)()) and "NO_COLOR" not in os.environ


class _Version(argparse.Action):
    """``--version``: the installed distribution's version, looked up only when asked for."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help="show the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
                 option_string: str | None = None) -> None:
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version("whoswho")
        except PackageNotFoundError:  # run from a source tree that was never installed
            number = "unknown"
        print(f"whoswho {number}")
        parser.exit()


def _parser(*, insights: bool = False) -> argparse.ArgumentParser:
    """The command line; with ``insights``, the insights command's own options (which load its code)."""
    parser = argparse.ArgumentParser(
        prog="whoswho",
        description="A career advisor on data scientists and machine-learning engineers. "
                    "Without a command, a chat in the terminal.",
    )
    parser.add_argument("--version", action=_Version)
    parser.add_argument("--knowledge", action="append", default=[], metavar="DIR",
                        help="an extra knowledge folder layered on the built-in one (repeatable)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("chat", help="chat in the terminal, with follow-ups (the default)")
    ask = commands.add_parser("ask", help="answer one question")
    ask.add_argument("question", nargs="+")
    ask.add_argument("--json", action="store_true", help="print the reply as one JSON object")
    commands.add_parser("topics", help="list the topics")
    check = commands.add_parser("check", help="validate knowledge folders and report every problem")
    check.add_argument("dirs", nargs="*", metavar="DIR", help="folders layered on the built-in knowledge")
    check.add_argument("--only", action="store_true", help="check the folders alone, without the built-in ones")
    ev = commands.add_parser("eval", help="measure answers against labelled questions (JSON lines)")
    ev.add_argument("file", type=Path)
    ev.add_argument("--min", type=float, default=None, metavar="RATE",
                    help="exit non-zero when the overall rate is below RATE (0-1)")
    ev.add_argument("--json", action="store_true", help="print the report as JSON")
    ev.add_argument("--misses", action="store_true", help="list every miss")
    platforms.add_commands(commands)
    serve = commands.add_parser("serve", help="run every configured platform in one process, "
                                "with /healthz, /readyz and /metrics")
    serve.add_argument("--port", type=int, default=None, help="HTTP port (default WHOSWHO_PORT, else 8080)")
    serve.add_argument("--host", default=None, help="address to listen on (default WHOSWHO_HOST, else 0.0.0.0)")
    serve.add_argument("--log-format", choices=("text", "json"), default=None,
                       help="text lines (default) or JSON lines (WHOSWHO_LOG_FORMAT also sets it)")
    serve.add_argument("--watch", action="store_true", help="reload the knowledge when one of its files changes")
    if insights:
        from adapters.insights.cli import add_parser as add_insights

        add_insights(commands)
    else:
        # Its options are read by a second pass, so other commands never load the report's database code.
        commands.add_parser("insights", help=INSIGHTS_HELP, add_help=False)
    return parser


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = _parser()
    known, _ = parser.parse_known_args(argv)
    args = _parser(insights=True).parse_args(argv) if known.command == "insights" else parser.parse_args(argv)
    args.command = args.command or "chat"
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = _arguments(argv)
    from adapters.settings import CoreSettings
    from bot import ConfigError, KnowledgeError

    try:
        settings = CoreSettings.from_env(os.environ, knowledge=args.knowledge)
        if args.command == "check":
            return _check(settings, args.dirs, only=args.only)
        if args.command in platforms.names():
            return _run_platform(args, settings)
        if args.command == "serve":
            try:
                from adapters.serve import run as run_serve
            except ModuleNotFoundError as error:
                return _missing(error, "all")
            return run_serve(args, settings, os.environ)
        if args.command == "insights":
            from adapters.insights.cli import run as run_insights

            return run_insights(args, settings, os.environ)
        advisor = settings.load_advisor()
        if args.command == "ask":
            return _ask(advisor, " ".join(args.question), as_json=args.json)
        if args.command == "chat":
            return _chat(advisor, settings)
        if args.command == "topics":
            _topics(advisor.knowledge)
            return 0
        return _eval(advisor, args.file, minimum=args.min, as_json=args.json, misses=args.misses)
    except ConfigError as error:
        print(f"whoswho: {error}", file=sys.stderr)
        return 2
    except KnowledgeError as error:
        print(f"whoswho: {error}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader went away (`whoswho eval ... | head`): stop quietly, as other command-line tools do.
        sys.stderr.close()
        return 0


def _run_platform(args: argparse.Namespace, settings: CoreSettings) -> int:
    spec = platforms.spec(args.command)
    try:
        return spec.run(args, settings, os.environ)
    except ModuleNotFoundError as error:
        return _missing(error, spec.name)


def _missing(error: ModuleNotFoundError, extra: str) -> int:
    """A platform's library is not installed: say which extra brings it, without a traceback."""
    print(f"whoswho: {error.name or 'a module'} is not installed; install whoswho[{extra}] "
          "(see README, section 'Install')", file=sys.stderr)
    return 2


def _ask(advisor: Advisor, question: str, *, as_json: bool) -> int:
    from adapters.terminal.render import render

    reply = advisor.ask(question, conversation_id="cli:ask")
    if as_json:
        print(json.dumps(reply.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(render(reply, color=_color(sys.stdout)))
    return 0


def _chat(advisor: Advisor, settings: CoreSettings) -> int:
    from adapters.records import RecordsSettings, open_records
    from adapters.terminal import run_chat
    from adapters.turn import Turns

    records = open_records(RecordsSettings.from_env(os.environ, data_dir=settings.data_dir))
    try:
        run_chat(Turns(advisor, records=records), out=sys.stdout, color=_color(sys.stdout))
    finally:
        if records is not None:
            records.close()
    return 0


def _check(settings: CoreSettings, dirs: Sequence[str], *, only: bool) -> int:
    from bot import IntentMatcher, KnowledgeBase, KnowledgeError, MatchSettings, builtin_knowledge_dir

    folders = [Path(d) for d in dirs] or list(settings.knowledge_dirs)
    if not only:
        folders = [builtin_knowledge_dir(), *folders]
    try:
        knowledge = KnowledgeBase.load(*folders, limits=platforms.knowledge_limits())
    except KnowledgeError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"ok: {len(knowledge)} intents and {len(knowledge.outside)} out-of-scope topics in {len(folders)} "
          f"folder{'s' if len(folders) != 1 else ''}")
    matcher = IntentMatcher(knowledge, settings=MatchSettings(semantic=settings.semantic), cache_dir=settings.cache_dir)
    print(f"decision learned from {len(matcher.phrasings())} phrasings: {matcher.decider.cross_validated:.1%} "
          "of them matched to their own intent or topic in 5-fold cross-validation (each left out of the indexes)")
    return 0


def _topics(knowledge: KnowledgeBase) -> None:
    from adapters.terminal import topic_lines

    print("\n".join(topic_lines(knowledge)))


def _eval(advisor: Advisor, path: Path, *, minimum: float | None, as_json: bool, misses: bool) -> int:
    from bot.evaluation import EvalFileError, evaluate, read_cases

    try:
        with path.open(encoding="utf-8") as handle:
            dialogues = read_cases(handle)
    except OSError as error:
        print(f"whoswho: cannot read {path}: {error.strerror}", file=sys.stderr)
        return 2
    except EvalFileError as error:
        print(f"whoswho: {path}: {error}", file=sys.stderr)
        return 2
    report = evaluate(advisor, dialogues)
    summary = report.summary()
    if as_json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        print(f"cases: {summary['cases']} ({summary['in_scope']} in scope, {summary['out_of_scope']} out of scope)")
        print(f"in-scope accuracy:     {report.accuracy:.1%}")
        print(f"out-of-scope rejected: {report.rejection:.1%}")
        print(f"overall:               {report.overall:.1%}")
        if summary["misses_by_intent"]:
            print("misses by expected intent:")
            for intent, count in summary["misses_by_intent"].items():
                print(f"  {count:3}  {intent}")
            print("most confused (expected -> given):")
            for row in summary["confusions"]:
                print(f"  {row['count']:3}  {row['expected']} -> {row['given']}")
        if misses:
            print("misses:")
            for miss in summary["misses"]:
                turn = f".{miss['turn']}" if miss["turn"] else ""
                print(f"  line {miss['line']}{turn}: {miss['q']!r} expected {miss['expected'] or 'none'}, "
                      f"got {miss['given'] or miss['kind']} ({miss['confidence']:.2f})")
    if minimum is not None and report.overall < minimum:
        print(f"whoswho: overall {report.overall:.1%} is below the floor {minimum:.1%}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
