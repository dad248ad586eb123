"""``whoswho discord``: settings from the environment, and the real command against the fake Discord."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys

import pytest

from adapters.cli import main
from adapters.discord.settings import DiscordSettings
from bot import ConfigError

VARIABLES = ("DISCORD_TOKEN", "DISCORD_GUILD_ID", "DISCORD_API_URL", "DISCORD_GATEWAY_URL", "DISCORD_SHARD_COUNT",
             "DISCORD_SHARD_IDS")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for name in (*VARIABLES, "WHOSWHO_KNOWLEDGE", "WHOSWHO_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)


def test_a_missing_token_stops_with_one_line_naming_it(capsys):
    assert main(["discord"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("whoswho: DISCORD_TOKEN: is not set: ")
    assert "see README, section 'Discord'" in err


@pytest.mark.parametrize(("environ", "variable"), [
    ({"DISCORD_TOKEN": "Bot abc.def"}, "DISCORD_TOKEN"),
    ({"DISCORD_GUILD_ID": "my-server"}, "DISCORD_GUILD_ID"),
    ({"DISCORD_API_URL": "127.0.0.1:8080"}, "DISCORD_API_URL"),
    ({"DISCORD_GATEWAY_URL": "http://127.0.0.1:8080"}, "DISCORD_GATEWAY_URL"),
    ({"DISCORD_SHARD_COUNT": "many"}, "DISCORD_SHARD_COUNT"),
    ({"DISCORD_SHARD_IDS": "0,1"}, "DISCORD_SHARD_IDS"),
    ({"DISCORD_SHARD_COUNT": "2", "DISCORD_SHARD_IDS": "0,2"}, "DISCORD_SHARD_IDS"),
    ({"DISCORD_SHARD_COUNT": "2", "DISCORD_SHARD_IDS": "zero"}, "DISCORD_SHARD_IDS"),
])
def test_a_malformed_setting_names_its_variable(environ, variable):
    with pytest.raises(ConfigError, match=rf"^{variable}: .*\(see README, section 'Discord'\)$") as error:
        DiscordSettings.from_env({"DISCORD_TOKEN": "abc.def.ghi", **environ})
    assert "abc.def" not in str(error.value), "the token never appears in a message"


def test_settings_from_the_environment():
    settings = DiscordSettings.from_env({
        "DISCORD_TOKEN": " abc.def.ghi\n", "DISCORD_GUILD_ID": "1220000000000000002",
        "DISCORD_API_URL": "http://127.0.0.1:8080/api/v10/", "DISCORD_GATEWAY_URL": "ws://127.0.0.1:8080/gateway",
        "DISCORD_SHARD_COUNT": "4", "DISCORD_SHARD_IDS": "3, 1",
    })
    assert (settings.token, settings.guild_id) == ("abc.def.ghi", 1220000000000000002)
    assert settings.api_url == "http://127.0.0.1:8080/api/v10"
    assert (settings.shard_count, settings.shard_ids, settings.sharded) == (4, (1, 3), True)
    assert "abc.def.ghi" not in repr(settings)
    assert DiscordSettings.from_env({"DISCORD_TOKEN": "t"}).sharded is False
    assert DiscordSettings.from_env({"DISCORD_TOKEN": "t", "DISCORD_SHARD_COUNT": "auto"}).shard_count == 0
    assert DiscordSettings.from_env({"DISCORD_TOKEN": "t", "DISCORD_SHARD_COUNT": "2"}, shards=6).shard_count == 6


async def test_whoswho_discord_as_a_subprocess_syncs_and_answers(fake_discord, captured, tmp_path):
    environ = {
        **os.environ, "DISCORD_TOKEN": fake_discord.token, "DISCORD_API_URL": fake_discord.api_url,
        "DISCORD_GATEWAY_URL": fake_discord.gateway_url, "WHOSWHO_DATA_DIR": str(tmp_path / "data"),
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "adapters.cli", "discord", env=environ, cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    try:
        sync = await fake_discord.wait_for_request("PUT", r"/applications/\d+/commands", timeout=30)
        assert {c["name"] for c in sync.json_list()} == {"whoswho", "whoswho-topics", "whoswho-admin", "Ask whoswho"}
        await fake_discord.wait_for(lambda: fake_discord.shards, timeout=30)
        interaction = captured("interaction_command")
        interaction["data"]["options"][0]["value"] = "what does an ML engineer do at Quora"
        callback = await fake_discord.interact(interaction)
        [embed] = callback.json["data"]["embeds"]
        assert embed["title"] == "What an ML engineer does at Quora"
        ids = [b["custom_id"] for row in callback.json["data"]["components"] for b in row["components"]]
        assert "whoswho:share:quora.ml-engineer" in ids  # the embed comes from quora.ml-engineer
        assert ids[-1].startswith("whoswho:vote:no:"), "an answer carries Helpful / Not helpful buttons"
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 30)
    log = stderr.decode()
    assert process.returncode == 0, log
    assert re.search(r"Synced 4 application commands globally", log)
    assert fake_discord.token not in log
    assert (tmp_path / "data" / "discord-commands.json").exists()
