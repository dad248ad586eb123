"""What people typed, shown back: in ``/whoswho-admin insights`` on Slack (real Bolt over HTTP against the fake
Web API) and Discord (a real discord.py client against the fake gateway), in ``whoswho insights`` as Markdown
and as a terminal table (subprocesses), and quoted under a shared Slack answer, the platform's mention and link
syntax stays inert, the Markdown carries no HTML, and the terminal gets no escape sequence."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiohttp import ClientSession, ClientTimeout
from sqlalchemy import create_engine, insert

from adapters.records import schema
from adapters.slack import build_app
from adapters.slack.server import start_http
from adapters.watch import Watch, WatchedChannels, WatchSettings
from tests.adapters.discord.test_insights import ask_insights
from tests.adapters.discord.test_watch import ADMIN as DISCORD_ADMIN
from tests.adapters.slack.conftest import SlackSender, payload
from tests.adapters.slack.test_commands import buttons, mrkdwn
from tests.adapters.slack.test_watch import ADMIN as SLACK_ADMIN

ROOT = Path(__file__).resolve().parents[2]
#: Questions nobody could answer, each asked a few times so it leads a group of the summary.
HOSTILE = [
    "<!channel> wake up, is anyone there",
    "[click](https://evil.example) for the real answer",
    "<script>alert('owned')</script> what is a data lake",
    "@everyone free pizza in the kitchen",
    "<@U0BOSS> and <@123456789012345678> and <#C0GENERAL|general> look here",
    "\x1b[31mred\x1b[0m \x1b]8;;https://evil.example\x07link\x1b]8;;\x07 \u202etxet",
]
RAW = ["<!channel>", "[click](https://evil.example)", "<script>", "@everyone", "<@U0BOSS>",
       "<@123456789012345678>", "<#C0GENERAL|general>"]
#: Slack's mrkdwn has no [label](url) links: only <url|label>, which escaping the brackets takes care of.
SLACK_RAW = [raw for raw in RAW if not raw.startswith("[")]


@pytest.fixture
def hostile_records(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'records.sqlite3'}"
    engine = create_engine(url)
    schema.metadata.create_all(engine)
    start = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    rows = [{"id": f"q{n}-{copy}", "at": start + timedelta(minutes=n * 10 + copy), "platform": "slack",
             "outcome": "fallback", "intent": None, "confidence": 0.1, "runner_up": [], "text": text,
             "user_hash": "a" * 64, "channel_hash": "b" * 64, "clicked": None, "picked_after_clarify": False}
            for n, text in enumerate(HOSTILE) for copy in range(len(HOSTILE) - n)]
    with engine.begin() as connection:
        connection.execute(insert(schema.questions), rows)
    engine.dispose()
    return url


def assert_inert(text: str, raws: list[str] = RAW) -> None:
    for raw in raws:
        assert not re.search(r"(?<!\\)" + re.escape(raw), text), f"{raw!r} shown raw in {text!r}"
    assert "\x1b" not in text and "\u202e" not in text


def watch_for(platform: str, admin: str, url: str, tmp_path: Path) -> Watch:
    return Watch(WatchSettings(admins=frozenset({f"{platform}:{admin}"}), records_url=url),
                 WatchedChannels(tmp_path / "watched.json"))


@pytest.fixture
async def slack_admin(fake_slack, slack_settings, fresh_advisor, hostile_records,
                      tmp_path) -> AsyncIterator[SlackSender]:
    app = build_app(slack_settings, fresh_advisor, api_timeout=1.0,
                    watch=watch_for("slack", SLACK_ADMIN, hostile_records, tmp_path))
    runner, port = await start_http(app, host="127.0.0.1", port=0)
    async with ClientSession(timeout=ClientTimeout(total=30)) as session:
        yield SlackSender(f"http://127.0.0.1:{port}", fake_slack, session)
    await runner.cleanup()


async def test_the_slack_admin_summary_escapes_what_people_wrote(slack_admin):
    sent = await slack_admin.command("insights", command="/whoswho-admin")
    assert sent.status == 200
    summary = sent.json
    assert summary["response_type"] == "ephemeral"
    assert summary["text"].startswith("whoswho insights: ")
    assert "&lt;!channel&gt; wake up" in summary["text"], "the question is still there, escaped"
    [section] = summary["blocks"]
    assert section["text"]["verbatim"] is True
    for text in (summary["text"], section["text"]["text"]):
        assert_inert(text, SLACK_RAW)


async def test_the_discord_admin_summary_escapes_what_people_wrote(fake_discord, start, captured,
                                                                   hostile_records, tmp_path):
    await start(watch=watch_for("discord", DISCORD_ADMIN, hostile_records, tmp_path))
    content = await ask_insights(fake_discord, captured)
    assert content.startswith("whoswho insights: ")
    assert "\\[click](https://evil.example)" in content, "the masked link shows as typed"
    assert_inert(content)


def insights(url: str, *options: str, tmp_path: Path) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WHOSWHO_", "SLACK_", "DISCORD_"))}
    env.update(WHOSWHO_DATA_DIR=str(tmp_path / "data"), NO_COLOR="1")
    done = subprocess.run([sys.executable, "-m", "adapters.cli", "insights", "--database", url, *options],
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_the_insights_markdown_escapes_html_links_and_mentions(hostile_records, tmp_path):
    page = insights(hostile_records, "--format", "markdown", tmp_path=tmp_path)
    assert "&lt;script&gt;alert\\('owned'\\)&lt;/script&gt;" in page
    assert "\\[click\\]\\(https://evil.example\\)" in page
    assert_inert(page)


def test_the_insights_table_sends_no_escape_sequence_to_the_terminal(hostile_records, tmp_path):
    table = insights(hostile_records, tmp_path=tmp_path)
    assert "\\x1b[31mred" in table, "the escape is shown, not sent"
    assert "\x1b" not in table and "\x07" not in table and "\u202e" not in table
    assert "@everyone" not in table


async def test_the_question_quoted_under_a_shared_slack_answer_is_inert(slack, fake_slack):
    asked = "<!channel> what does an ML engineer do at Quora? see https://evil.example #general @here"
    answer = (await slack.command(asked)).json
    [share] = [b for b in buttons(answer) if b["action_id"] == "whoswho.share"]
    click = payload("block_actions_ephemeral")
    click["actions"][0]["value"] = share["value"]
    await slack.action(click, response_url="share")
    [post] = await fake_slack.wait_for("chat.postMessage")
    [quoted] = [e for b in post.args["blocks"] if b["type"] == "context" for e in b["elements"]
                if "who asked" in e["text"]]
    assert quoted["verbatim"] is True, "Slack would turn the URL and #general into links of its own"
    # Slack's own markup addresses the question and is not part of it: the quote starts at the question.
    assert "who asked “what does an ML engineer do at Quora?" in quoted["text"]
    assert "<!channel>" not in json.dumps(post.args) and "@here" not in mrkdwn(post.args)
