"""``whoswho serve`` as operators run it: both platforms in one process, health, readiness, metrics, a
graceful stop, knowledge reloads and logs."""

from __future__ import annotations

import json
import re
import signal
import time

from aiohttp import ClientSession

from adapters.cli import main
from tests.adapters.serve.conftest import BOT_TOKEN, DISCORD_TOKEN, SIGNING_SECRET, platform_environment
from tests.adapters.slack.conftest import SlackSender
from tests.adapters.slack.test_commands import header

QUESTION = "what does an ML engineer do at Quora"


def metric(text: str, name: str, **labels: str) -> float:
    """The value of one sample in Prometheus' text format (0 when absent)."""
    for line in text.splitlines():
        if line.startswith(name + "{") or line.startswith(name + " "):
            found = dict(re.findall(r'(\w+)="([^"]*)"', line.split("}")[0])) if "{" in line else {}
            if all(found.get(k) == v for k, v in labels.items()):
                return float(line.rsplit(" ", 1)[1])
    return 0.0


async def test_one_process_answers_on_slack_and_discord_and_stops_on_sigterm(
        run_serve, fake_slack, fake_discord, captured, tmp_path):
    env = platform_environment(slack=fake_slack, discord=fake_discord, WHOSWHO_DATA_DIR=str(tmp_path / "data"))
    served = await run_serve(env)
    await served.wait_for("Connected to Discord's gateway")
    await served.wait_for("the bot token is good")
    async with ClientSession() as session:
        async with session.get(served.url + "/healthz") as health:
            assert (health.status, await health.json()) == (200, {"ok": True})
        async with session.get(served.url + "/readyz") as ready:
            body = await ready.json()
            assert ready.status == 200, body
        assert body["platforms"] == {"slack": "connected", "discord": "connected"}
        assert body["knowledge"]["intents"] > 0 and body["store"] == "memory"

        # Slack, through the endpoints mounted on the same server.
        sent = await SlackSender(served.url, fake_slack, session).command(QUESTION)
        assert sent.status == 200
        assert header(sent.json)["block_id"] == "whoswho.answer.quora.ml-engineer"
        # Discord, through the gateway.
        interaction = captured("interaction_command")
        interaction["data"]["options"][0]["value"] = QUESTION
        callback = await fake_discord.interact(interaction, timeout=10)
        assert callback.json["data"]["embeds"][0]["title"] == "What an ML engineer does at Quora"

        async with session.get(served.url + "/metrics") as scraped:
            assert scraped.status == 200
            assert scraped.headers["Content-Type"].startswith("text/plain")
            text = await scraped.text()
    for platform in ("slack", "discord"):
        assert metric(text, "whoswho_questions_total", platform=platform, outcome="answer",
                      intent="quora.ml-engineer") == 1
        assert metric(text, "whoswho_answer_seconds_count", platform=platform) == 1
        assert metric(text, "whoswho_platform_connected", platform=platform) == 1
        assert metric(text, "whoswho_errors_total", platform=platform) == 0
    assert metric(text, "whoswho_ready") == 1

    started = time.monotonic()
    assert await served.stop(signal.SIGTERM) == 0, served.log
    assert time.monotonic() - started < 10
    assert "whoswho stopped" in served.log
    for secret in (BOT_TOKEN, SIGNING_SECRET, DISCORD_TOKEN):
        assert secret not in served.log
    assert QUESTION not in served.log, "question text is logged only with WHOSWHO_LOG_QUESTIONS=1"


ONCALL = """\
sources:
  notes: {title: Team notes}
intents:
  - id: team.oncall
    title: Who is on call for the ML platform
    questions: [who is on call for the ML platform this week, ml platform on-call rota]
    answer: %s
    sources: [notes]
"""


async def test_sighup_reloads_the_knowledge_and_a_bad_reload_keeps_the_last_good_one(
        run_serve, fake_slack, tmp_path):
    folder = tmp_path / "ours"
    folder.mkdir()
    (folder / "team.yml").write_text(ONCALL % "Ask in ml-platform.", encoding="utf-8")
    env = platform_environment(slack=fake_slack, WHOSWHO_DATA_DIR=str(tmp_path / "data"),
                               WHOSWHO_KNOWLEDGE=str(folder), WHOSWHO_LOG_QUESTIONS="1")
    served = await run_serve(env, "--log-format", "json")
    async with ClientSession() as session:
        slack = SlackSender(served.url, fake_slack, session)

        async def answer() -> str:
            sent = await slack.command("who is on call for the ML platform this week")
            return json.dumps(sent.json)

        assert "Ask in ml-platform." in await answer()
        (folder / "team.yml").write_text((ONCALL % "x").replace("sources: [notes]", "sources: [nowhere]"),
                                         encoding="utf-8")
        mark = len(served.lines)
        served.process.send_signal(signal.SIGHUP)
        failed = json.loads(await served.wait_for("reload", after=mark))
        assert failed["level"] == "error" and "still serving the last good knowledge" in failed["message"]
        assert f"{folder / 'team.yml'}, intent 'team.oncall', field 'sources'" in failed["message"]
        assert "Ask in ml-platform." in await answer()
        async with session.get(served.url + "/readyz") as ready:
            assert "field 'sources'" in (await ready.json())["knowledge"]["last_reload_error"]

        (folder / "team.yml").write_text(ONCALL % "Page the ML platform rota.", encoding="utf-8")
        mark = len(served.lines)
        served.process.send_signal(signal.SIGHUP)
        reloaded = json.loads(await served.wait_for("reload", after=mark))
        assert reloaded["level"] == "info" and "Knowledge reloaded (SIGHUP)" in reloaded["message"]
        assert "Page the ML platform rota." in await answer()
        async with session.get(served.url + "/metrics") as scraped:
            text = await scraped.text()
        assert metric(text, "whoswho_knowledge_reloads_total", result="failed") == 1
        assert metric(text, "whoswho_knowledge_reloads_total", result="ok") == 1
    assert await served.stop(signal.SIGINT) == 0
    entries = [json.loads(line) for line in served.lines]  # every line is one JSON object
    asked = [e for e in entries if e.get("question")]
    assert asked and asked[0]["question"] == "who is on call for the ML platform this week"
    assert asked[0]["platform"] == "slack" and asked[0]["intent"] == "team.oncall"
    assert BOT_TOKEN not in served.log and SIGNING_SECRET not in served.log


def test_with_no_platform_configured_serve_says_what_to_set(monkeypatch, capsys, tmp_path):
    for name in ("DISCORD_TOKEN", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_CLIENT_ID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("WHOSWHO_DATA_DIR", str(tmp_path))
    assert main(["serve"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("whoswho: no platform is configured")
    for variable in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "DISCORD_TOKEN"):
        assert variable in err
