"""/whoswho-admin insights on Slack, through the real Bolt app: admins get the summary privately."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import ClientSession, ClientTimeout

from adapters.admin import NO_RECORDS, NOT_ADMIN_INSIGHTS
from adapters.admin import command as admin_command
from adapters.slack import SlackSettings, build_app
from adapters.slack.render import INSIGHTS_LABEL
from adapters.slack.server import start_http
from adapters.watch import Watch, WatchedChannels, WatchSettings
from bot import Advisor
from tests.adapters.insights.conftest import write_records
from tests.adapters.slack.conftest import FakeSlack, SlackSender
from tests.adapters.slack.test_home import DM, click, opened
from tests.adapters.slack.test_watch import ADMIN, admin


@pytest.fixture
async def with_records(fake_slack: FakeSlack, slack_settings: SlackSettings, fresh_advisor: Advisor,
                       tmp_path: Path) -> AsyncIterator[SlackSender]:
    watch = Watch(WatchSettings(admins=frozenset({f"slack:{ADMIN}"}),
                                records_url=write_records(tmp_path / "records.sqlite3")),
                  WatchedChannels(tmp_path / "watched.json"))
    app = build_app(slack_settings, fresh_advisor, api_timeout=1.0, watch=watch)
    runner, port = await start_http(app, host="127.0.0.1", port=0)
    async with ClientSession(timeout=ClientTimeout(total=10)) as session:
        yield SlackSender(f"http://127.0.0.1:{port}", fake_slack, session)
    await runner.cleanup()


async def test_an_admin_gets_the_summary_privately(with_records):
    text = await admin(with_records, "insights")  # admin() checks the answer is ephemeral
    assert text.startswith("whoswho insights: 10 questions (slack 5, discord 3, terminal 2)")
    assert "answer 30%, clarify 20%, fallback 50%" in text
    assert "What an ML engineer does at Quora (2 of 4 not helpful)" in text
    assert "(likely Moving between the roles)" in text


async def test_everyone_else_is_refused_politely(with_records):
    assert await admin(with_records, "insights", user_id="U0SOMEONE") == NOT_ADMIN_INSIGHTS


def test_without_a_records_database_an_admin_is_told_so(fresh_advisor):
    watch = Watch(WatchSettings(admins=frozenset({"slack:U1"})))
    assert admin_command(watch, "insights", platform="slack", user="U1", channel="T:C",
                         advisor=fresh_advisor) == NO_RECORDS


async def test_show_insights_on_an_admins_home_tab_sends_the_summary_to_their_dm(with_records, fake_slack):
    view = await opened(with_records, fake_slack)
    await with_records.action(click(view, INSIGHTS_LABEL))
    [summary] = await fake_slack.wait_for("chat.postMessage")
    assert summary.args["channel"] == DM
    assert summary.args["text"].startswith("whoswho insights: 10 questions")
    # Only admins see the button; a click sent by anyone else gets the refusal, not the summary.
    assert INSIGHTS_LABEL not in str(await opened(with_records, fake_slack, user="U0SOMEONE"))
    await with_records.action(click(view, INSIGHTS_LABEL, user={"id": "U0SOMEONE", "team_id": "T0001"}))
    [_, refused] = await fake_slack.wait_for("chat.postMessage", 2)
    assert refused.args["text"] == NOT_ADMIN_INSIGHTS
