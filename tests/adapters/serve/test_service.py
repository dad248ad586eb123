"""The serving process in this test's event loop: the rate limit on both platforms, readiness, a refused
token, a graceful stop with a reply in flight, the knowledge watcher, and the log formats."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import socket
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import ClientSession

from adapters.discord.settings import DiscordSettings
from adapters.logs import configure_logging
from adapters.serve import KnowledgeReloader, ServeSettings, serve
from adapters.settings import CoreSettings
from adapters.slack.settings import SlackSettings
from adapters.turn import SLOW_DOWN, Turns
from bot import Advisor, ConfigError, builtin_knowledge_dir
from tests.adapters.serve.conftest import BOT_TOKEN, DISCORD_TOKEN, SIGNING_SECRET
from tests.adapters.serve.test_serve import ONCALL, QUESTION, metric
from tests.adapters.slack.conftest import LogWatcher, SlackSender, logs

__all__ = ["logs"]


class Running:
    """``serve()`` running as a task, with its port once it listens."""

    def __init__(self, task: asyncio.Task[int], port: int, stop: asyncio.Event) -> None:
        self.task, self.port, self.stop = task, port, stop
        self.url = f"http://127.0.0.1:{port}"

    async def get(self, path: str) -> tuple[int, Any]:
        async with ClientSession() as session, session.get(self.url + path) as response:
            return response.status, (await response.json() if path != "/metrics" else await response.text())


@pytest.fixture
async def start_serving(tmp_path, fresh_advisor) -> AsyncIterator[Any]:
    stops: list[tuple[asyncio.Event, asyncio.Task[int]]] = []

    async def start(**options: Any) -> Running:
        stop = asyncio.Event()
        listening: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        settings = ServeSettings(port=0, host="127.0.0.1", **options)
        core = CoreSettings(knowledge_dirs=(), data_dir=tmp_path / "data")
        task = asyncio.create_task(serve(settings, core, fresh_advisor, stop=stop, on_started=listening.set_result,
                                         guild_ready_timeout=0.01))
        stops.append((stop, task))
        done, _ = await asyncio.wait({task, listening}, timeout=10, return_when=asyncio.FIRST_COMPLETED)
        if task in done:
            task.result()
        return Running(task, await listening, stop)

    yield start
    for stop, task in stops:
        stop.set()
        if not task.done():
            await asyncio.wait_for(task, 10)


def slack_settings(api_url: str) -> SlackSettings:
    return SlackSettings(bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET, api_url=api_url)


async def test_past_the_rate_limit_one_notice_then_silence_on_both_platforms_and_others_still_answered(
        start_serving, fake_slack, fake_discord, captured, logs: LogWatcher):
    running = await start_serving(rate_limit=2, platforms={"slack": slack_settings(fake_slack.api_url),
                                                                "discord": DiscordSettings(token=DISCORD_TOKEN)})
    await logs.wait_for("Connected to Discord's gateway")
    async with ClientSession() as session:
        slack = SlackSender(running.url, fake_slack, session)
        sent = [await slack.command(QUESTION) for _ in range(4)]
        assert [s.status for s in sent] == [200] * 4
        assert all("What an ML engineer does at Quora" in s.body for s in sent[:2])
        assert sent[2].json["text"] == SLOW_DOWN
        assert sent[3].body == "", "an empty ack: Slack shows nothing"
        other = await slack.command(QUESTION, user_id="U0THER")
        assert "What an ML engineer does at Quora" in other.body

    dm = captured("message_dm")
    dm["content"] = QUESTION
    for _ in range(2):
        assert (await fake_discord.say(dm)).json["embeds"]
    assert (await fake_discord.say(dm)).json["content"] == SLOW_DOWN
    someone_else = {**dm, "author": {**dm["author"], "id": "1250000000000000999"}}
    answer = await fake_discord.say_nothing_back(dm, then=someone_else)
    assert answer.json["embeds"], "the limited user gets silence; the next user an answer"

    status, text = await running.get("/metrics")
    assert status == 200
    for platform in ("slack", "discord"):
        assert metric(text, "whoswho_rate_limited_total", platform=platform) == 2
    assert metric(text, "whoswho_questions_total", platform="slack", intent="quora.ml-engineer") == 3
    assert metric(text, "whoswho_questions_total", platform="discord", intent="quora.ml-engineer") == 3


async def test_readyz_says_why_not_while_slack_is_unreachable(start_serving):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    running = await start_serving(platforms={"slack": slack_settings(f"http://127.0.0.1:{port}/api/")})
    assert await running.get("/healthz") == (200, {"ok": True})
    status, body = await running.get("/readyz")
    assert status == 503
    assert body["ready"] is False
    assert body["reasons"] == ["slack: Slack's Web API is unreachable (ClientConnectorError)"]
    _, text = await running.get("/metrics")
    assert metric(text, "whoswho_platform_connected", platform="slack") == 0
    assert metric(text, "whoswho_ready") == 0


async def test_a_refused_token_stops_start_up_with_a_config_error(start_serving, fake_slack):
    fake_slack.script("auth.test", {"body": {"ok": False, "error": "invalid_auth"}})
    with pytest.raises(ConfigError, match=r"^SLACK_BOT_TOKEN: Slack refused the token \(invalid_auth\)"):
        await start_serving(platforms={"slack": slack_settings(fake_slack.api_url)})


async def test_a_stop_finishes_the_reply_in_flight(start_serving, fake_discord, captured, logs):
    running = await start_serving(platforms={"discord": DiscordSettings(token=DISCORD_TOKEN)})
    await logs.wait_for("Connected to Discord's gateway")
    # Discord makes the bot wait before it may post: the reply is in flight when the stop comes.
    fake_discord.rate_limit("POST", r"/channels/\d+/messages", retry_after=0.3)
    dm = captured("message_dm")
    dm["content"] = QUESTION
    replied = asyncio.create_task(fake_discord.say(dm))
    await fake_discord.wait_for(lambda: fake_discord.limited)
    running.stop.set()  # as SIGTERM does
    assert (await replied).json["embeds"], "the reply in flight was sent"
    assert await asyncio.wait_for(running.task, 10) == 0


async def test_the_watcher_reloads_after_a_file_changes(advisor, tmp_path, logs):
    folder = tmp_path / "ours"
    folder.mkdir()
    (folder / "team.yml").write_text(ONCALL % "Ask in ml-platform.", encoding="utf-8")
    turns = Turns(Advisor.load(folder, with_builtin=True))
    reloader = KnowledgeReloader(turns, (builtin_knowledge_dir(), folder))
    watching = asyncio.create_task(reloader.watch(interval=0.02))
    try:
        (folder / "team.yml").write_text(ONCALL % "Page the ML platform rota now.", encoding="utf-8")
        await logs.wait_for("Knowledge reloaded (a knowledge file changed)")
    finally:
        watching.cancel()
    reply = turns.advisor.ask("who is on call for the ML platform this week", conversation_id="w")
    assert "Page the ML platform rota now." in json.dumps(reply.to_dict())


def test_json_logs_are_one_object_a_line_without_tokens():
    stream = io.StringIO()
    root = logging.getLogger()
    previous = root.level
    handler = configure_logging(secrets=["s3cret-value"], stream=stream, json_lines=True)
    try:
        log = logging.getLogger("adapters.test")
        log.info("token %s and %s and s3cret-value", BOT_TOKEN, DISCORD_TOKEN, extra={"platform": "slack"})
        try:
            raise RuntimeError(f"failed with {DISCORD_TOKEN}")
        except RuntimeError:
            log.exception("it failed")
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert (first["level"], first["logger"], first["platform"]) == ("info", "adapters.test", "slack")
    assert "xoxb-[redacted]" in first["message"]
    assert "RuntimeError" in second["exception"]
    for secret in (BOT_TOKEN, DISCORD_TOKEN, "s3cret-value"):
        assert secret not in stream.getvalue()
