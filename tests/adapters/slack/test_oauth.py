"""More than one workspace: the OAuth install flow stores installs in SQL, and they survive a restart."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
import sqlalchemy
from aiohttp import ClientSession
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore

from adapters.slack import SlackSettings, build_app
from adapters.slack.app import NOT_INSTALLED
from adapters.slack.server import start_http
from tests.adapters.slack.conftest import SIGNING_SECRET, SlackSender, payload
from tests.adapters.slack.test_commands import header

# slack-sdk's oauth.v2.access call still uses aiohttp's BasicAuth; nothing for us to change.
pytestmark = pytest.mark.filterwarnings("ignore:BasicAuth is deprecated:DeprecationWarning")

INSTALLED_TOKEN = payload("oauth_v2_access")["access_token"]


@pytest.fixture
def oauth_settings(fake_slack, tmp_path) -> SlackSettings:
    return SlackSettings(signing_secret=SIGNING_SECRET, api_url=fake_slack.api_url, client_id="111.222",
                         client_secret="client-secret-value", state_secret="state-secret-0123456789abcdef",
                         database_url=f"sqlite:///{tmp_path / 'data' / 'slack.sqlite3'}")


@asynccontextmanager
async def serving(settings: SlackSettings, advisor, fake) -> AsyncIterator[SlackSender]:
    runner, port = await start_http(build_app(settings, advisor), host="127.0.0.1", port=0)
    try:
        async with ClientSession() as session:
            yield SlackSender(f"http://127.0.0.1:{port}", fake, session)
    finally:
        await runner.cleanup()


async def install(slack: SlackSender, *, code: str = "install-code") -> tuple[int, str]:
    async with slack.session.get(slack.url + "/slack/install") as page:
        assert page.status == 200
        html = await page.text()
        cookie = page.headers["Set-Cookie"].split(";")[0]
    state = re.search(r"state=([^&\"']+)", html).group(1)
    assert "client_id=111.222" in html
    assert ("scope=app_mentions:read,channels:history,chat:write,chat:write.public,commands,groups:history,im:history"
            in html)
    # Bolt marks its state cookie Secure; over plain http on loopback we send it back by hand.
    async with slack.session.get(slack.url + "/slack/oauth_redirect", params={"code": code, "state": state},
                                 headers={"Cookie": cookie}) as done:
        return done.status, await done.text()


async def test_an_install_is_stored_and_still_answers_after_a_restart(oauth_settings, fake_slack, fresh_advisor):
    async with serving(oauth_settings, fresh_advisor, fake_slack) as slack:
        status, _ = await install(slack)
        assert status == 200
        [exchange] = fake_slack.calls_of("oauth.v2.access")
        assert exchange.args["code"] == "install-code"

    store = SQLAlchemyInstallationStore(client_id="111.222",
                                        engine=sqlalchemy.create_engine(oauth_settings.database_url))
    bot = store.find_bot(enterprise_id=None, team_id="T0002")
    assert bot is not None and bot.bot_token == INSTALLED_TOKEN

    # A new app over the same database: the workspace's token comes from the store.
    async with serving(oauth_settings, fresh_advisor, fake_slack) as slack:
        body = payload("app_mention")
        body["team_id"] = body["event"]["team"] = "T0002"
        body["authorizations"][0].update(team_id="T0002", user_id="UBOT2")
        await slack.event(body)
        [post] = await fake_slack.wait_for("chat.postMessage")
        assert post.headers["Authorization"] == f"Bearer {INSTALLED_TOKEN}"
        assert header(post.args)["block_id"] == "whoswho.answer.role.compare"
        assert (await slack.command("what does an ML engineer do at Quora", team_id="T0002")).status == 200


async def test_a_forged_state_stores_nothing(oauth_settings, fake_slack, fresh_advisor):
    async with serving(oauth_settings, fresh_advisor, fake_slack) as slack, slack.session.get(
            slack.url + "/slack/oauth_redirect", params={"code": "x", "state": "1700000000.abc.0000"}) as done:
        assert done.status >= 400
    assert fake_slack.calls_of("oauth.v2.access") == []


async def test_a_workspace_that_never_installed_is_not_answered(oauth_settings, fake_slack, fresh_advisor):
    async with serving(oauth_settings, fresh_advisor, fake_slack) as slack:
        sent = await slack.command("what does an ML engineer do at Quora", team_id="T0NEVER")
        assert "blocks" not in sent.body
        [notice] = await fake_slack.wait_for("respond:command")
        assert notice.args["text"] == NOT_INSTALLED
