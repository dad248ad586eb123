"""What `whoswho slack` and `whoswho discord` print when a setting is missing or malformed: one line, the
variable first, then the same wording for the same problem whichever the variable."""

from __future__ import annotations

import pytest

from adapters.cli import main

BOT_TOKEN = "xoxb-1-2-abc"
SECRET = "0123456789abcdef"
PLATFORM_VARIABLES = (
    "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "SLACK_API_URL", "SLACK_CLIENT_ID",
    "SLACK_CLIENT_SECRET", "SLACK_STATE_SECRET", "DISCORD_TOKEN", "DISCORD_GUILD_ID", "DISCORD_API_URL",
    "DISCORD_GATEWAY_URL", "DISCORD_SHARD_COUNT", "DISCORD_SHARD_IDS", "WHOSWHO_DATABASE_URL",
)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path):
    for name in PLATFORM_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("WHOSWHO_DATA_DIR", str(tmp_path / "data"))


def start(command: str, environ: dict[str, str], monkeypatch, capsys) -> str:
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    assert main([command]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    return err


@pytest.mark.parametrize(("command", "environ", "expected"), [
    ("slack", {"SLACK_BOT_TOKEN": "xoxp-a-user-token", "SLACK_SIGNING_SECRET": SECRET},
     "whoswho: SLACK_BOT_TOKEN: should start with 'xoxb-' (see README, section 'Slack')"),
    ("slack", {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": "xoxb-not-an-app-token"},
     "whoswho: SLACK_APP_TOKEN: should start with 'xapp-' (see README, section 'Slack')"),
    ("discord", {"DISCORD_TOKEN": "Bot abc.def"},
     "whoswho: DISCORD_TOKEN: should be the token alone, without 'Bot ' or spaces (see README, section 'Discord')"),
])
def test_a_malformed_token_says_what_it_should_look_like(command, environ, expected, monkeypatch, capsys):
    err = start(command, environ, monkeypatch, capsys)
    assert err.rstrip("\n") == expected
    assert "is not a bot token" not in err and "it starts with" not in err


@pytest.mark.parametrize(("command", "environ", "variable"), [
    ("slack", {}, "SLACK_BOT_TOKEN"),
    ("slack", {"SLACK_BOT_TOKEN": BOT_TOKEN}, "SLACK_SIGNING_SECRET"),
    ("slack", {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SECRET, "SLACK_CLIENT_ID": "1.2",
               "SLACK_CLIENT_SECRET": "s3cr3t-value"}, "SLACK_STATE_SECRET"),
    ("slack", {"SLACK_SIGNING_SECRET": SECRET, "SLACK_CLIENT_ID": "1.2", "SLACK_STATE_SECRET": SECRET},
     "SLACK_CLIENT_SECRET"),
    ("discord", {}, "DISCORD_TOKEN"),
])
def test_every_missing_variable_is_worded_the_same(command, environ, variable, monkeypatch, capsys):
    err = start(command, environ, monkeypatch, capsys)
    assert err.startswith(f"whoswho: {variable}: is not set: "), err
    assert "see README, section" in err
    assert BOT_TOKEN not in err and SECRET not in err
