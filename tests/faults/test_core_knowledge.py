"""A knowledge file emptied while ``whoswho serve`` runs (an editor or a copy caught half way): the reload after
SIGHUP fails naming the file, the team's own answer stays in service, and ``whoswho check`` says the same."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from aiohttp import ClientSession

from tests.adapters.serve.conftest import platform_environment
from tests.adapters.slack.conftest import SlackSender

ROOT = Path(__file__).resolve().parents[2]
ONCALL = """\
sources:
  notes: {title: Team notes}
intents:
  - id: team.oncall
    title: Who is on call for the ML platform
    questions: [who is on call for the ML platform this week, ml platform on-call rota]
    answer: Ask in ml-platform; the rota is pinned there.
    sources: [notes]
"""


async def test_an_emptied_knowledge_file_fails_the_reload_and_keeps_the_last_good_knowledge(
        run_serve, fake_slack, tmp_path):
    folder = tmp_path / "ours"
    folder.mkdir()
    team = folder / "team.yml"
    team.write_text(ONCALL, encoding="utf-8")
    env = platform_environment(slack=fake_slack, WHOSWHO_DATA_DIR=str(tmp_path / "data"),
                               WHOSWHO_KNOWLEDGE=str(folder))
    served = await run_serve(env, "--log-format", "json")
    async with ClientSession() as session:
        slack = SlackSender(served.url, fake_slack, session)

        async def answer() -> str:
            sent = await slack.command("who is on call for the ML platform this week")
            assert sent.status == 200
            return json.dumps(sent.json)

        assert "the rota is pinned there" in await answer()
        team.write_bytes(b"")
        mark = len(served.lines)
        served.process.send_signal(signal.SIGHUP)
        failed = json.loads(await served.wait_for("reload", after=mark))
        assert failed["level"] == "error" and "still serving the last good knowledge" in failed["message"]
        assert f"{team}: is empty" in failed["message"]
        assert "the rota is pinned there" in await answer()
        async with session.get(served.url + "/readyz") as ready:
            assert f"{team}: is empty" in (await ready.json())["knowledge"]["last_reload_error"]
    assert await served.stop(signal.SIGTERM) == 0


def test_whoswho_check_names_an_empty_knowledge_file(tmp_path):
    folder = tmp_path / "ours"
    folder.mkdir()
    (folder / "team.yml").write_text(ONCALL, encoding="utf-8")
    (folder / "empty.yml").write_bytes(b"")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WHOSWHO_", "SLACK_", "DISCORD_"))}
    env["WHOSWHO_DATA_DIR"] = str(tmp_path / "data")
    done = subprocess.run([sys.executable, "-m", "adapters.cli", "check", str(folder)], capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=120)
    assert done.returncode == 1
    assert f"{folder / 'empty.yml'}: is empty" in done.stdout + done.stderr
