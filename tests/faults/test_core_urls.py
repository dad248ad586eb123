"""A URL setting with a password in it that is wrong some other way: ``whoswho slack``, ``discord`` and
``serve`` stop with one line naming the variable, the URL shown with its credentials masked; and the log
formatter masks those credentials wherever they turn up."""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from adapters.logs import RedactingFormatter
from adapters.serve.settings import ServeSettings
from tests.adapters.discord.conftest import TOKEN as DISCORD_TOKEN
from tests.adapters.slack.conftest import BOT_TOKEN, SIGNING_SECRET

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "hunter2-s3cret"

SLACK = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET}
DISCORD = {"DISCORD_TOKEN": DISCORD_TOKEN}
CASES = {
    "slack-api-not-http": ("slack", {**SLACK, "SLACK_API_URL": f"ftp://proxy:{PASSWORD}@slack.example/api/"},
                           "SLACK_API_URL"),
    "slack-api-no-host": ("slack", {**SLACK, "SLACK_API_URL": f"https://proxy:{PASSWORD}@/api/"}, "SLACK_API_URL"),
    "slack-api-bad-port": ("serve", {**SLACK, "SLACK_API_URL": f"https://proxy:{PASSWORD}@slack.example:api/"},
                           "SLACK_API_URL"),
    "slack-api-token-as-user": ("slack", {**SLACK, "SLACK_API_URL": f"gopher://{PASSWORD}@slack.example/"},
                                "SLACK_API_URL"),
    "discord-api": ("discord", {**DISCORD, "DISCORD_API_URL": f"ftp://proxy:{PASSWORD}@discord.example/api/v10"},
                    "DISCORD_API_URL"),
    "discord-gateway": ("serve", {**DISCORD, "DISCORD_GATEWAY_URL": f"http://proxy:{PASSWORD}@gw.example/"},
                        "DISCORD_GATEWAY_URL"),
}


@pytest.mark.parametrize(("command", "variables", "named"), CASES.values(), ids=CASES.keys())
def test_a_bad_url_setting_is_named_with_its_credentials_masked(command, variables, named, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WHOSWHO_", "SLACK_", "DISCORD_"))}
    env.update(variables, WHOSWHO_DATA_DIR=str(tmp_path / "data"))
    options = [] if command == "discord" else ["--port", "0"]
    done = subprocess.run([sys.executable, "-m", "adapters.cli", command, *options], capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=120)
    assert done.returncode == 2, done.stderr[-2000:]
    assert done.stderr.startswith(f"whoswho: {named}: ") and "***@" in done.stderr, done.stderr
    assert PASSWORD not in done.stderr + done.stdout


def test_the_log_masks_the_credentials_of_every_configured_url(tmp_path):
    environ = {**SLACK, "SLACK_API_URL": f"http://proxy:{PASSWORD}@127.0.0.1:9/api/", **DISCORD,
               "DISCORD_API_URL": "http://discord-proxy:other-pass-42@127.0.0.1:9/api/v10",
               "DISCORD_GATEWAY_URL": "ws://127.0.0.1:9/gateway?token=gateway-token-7",
               "WHOSWHO_DATABASE_URL": "postgresql+psycopg://records:db-pass-99@db.example/whoswho"}
    secrets = ServeSettings.from_env(environ, data_dir=tmp_path).secrets
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(RedactingFormatter(secrets=secrets))
    logger = logging.getLogger("whoswho.test.urls")
    logger.addHandler(handler)
    try:
        try:
            raise ConnectionError(f"cannot reach {environ['SLACK_API_URL']} or {environ['DISCORD_API_URL']}")
        except ConnectionError:
            logger.exception("request to %s failed (%s, %s)", environ["WHOSWHO_DATABASE_URL"],
                             environ["DISCORD_GATEWAY_URL"], environ["SLACK_API_URL"])
    finally:
        logger.removeHandler(handler)
    text = stream.getvalue()
    assert "request to" in text and "Traceback" in text
    for secret in (PASSWORD, "other-pass-42", "gateway-token-7", "db-pass-99"):
        assert secret not in text
