"""/whoswho-admin insights on Discord, through a real discord.py client against the fake gateway."""

from __future__ import annotations

from adapters.admin import NOT_ADMIN_INSIGHTS
from adapters.watch import Watch, WatchedChannels, WatchSettings
from tests.adapters.discord.test_watch import ADMIN
from tests.adapters.insights.conftest import write_records


def insights(captured, *, user=None):
    interaction = captured("interaction_admin")
    interaction["data"]["options"] = [{"name": "insights", "type": 1}]
    if user is not None:
        interaction["member"]["user"] = {**interaction["member"]["user"], "id": user}
    return interaction


async def ask_insights(fake_discord, captured, *, user=None) -> str:
    callback = await fake_discord.interact(insights(captured, user=user))
    data = callback.json["data"]
    assert data["flags"] & 64, "the summary is private (ephemeral)"
    content: str = data["content"]
    return content


async def test_an_admin_gets_the_summary_and_others_a_refusal(fake_discord, start, captured, tmp_path):
    watch = Watch(WatchSettings(admins=frozenset({f"discord:{ADMIN}"}),
                                records_url=write_records(tmp_path / "records.sqlite3")),
                  WatchedChannels(tmp_path / "watched.json"))
    await start(watch=watch)
    text = await ask_insights(fake_discord, captured)
    assert text.startswith("whoswho insights: 10 questions")
    assert "fallback 50%" in text and "(likely Moving between the roles)" in text
    assert len(text) <= 2000
    assert await ask_insights(fake_discord, captured, user="1250000000000000099") == NOT_ADMIN_INSIGHTS
