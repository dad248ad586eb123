"""Helpful / Not helpful under Discord answers, and suggestion clicks, recorded through the real client."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from adapters.records import Records, RecordsSettings, digest
from adapters.records.schema import questions, votes
from adapters.turn import Turns
from tests.adapters.discord.test_bot import QUESTION, all_custom_ids, ask


@pytest.fixture
def records(tmp_path):
    records = Records(RecordsSettings(database_url=f"sqlite:///{tmp_path / 'whoswho.sqlite3'}", salt="s"))
    yield records
    records.close()


def table(records, which):
    assert records.flush()
    with records.engine.connect() as connection:
        return [row._asdict() for row in connection.execute(select(which))]


def click_on(captured, answer, custom_id, *, user=None):
    """A click on ``custom_id`` among the buttons of ``answer`` (the callback that sent it)."""
    click = captured("interaction_button")
    click["data"]["custom_id"] = custom_id
    click["message"]["components"] = answer.json["data"]["components"]
    click["message"]["flags"] = answer.json["data"].get("flags", 0)
    if user is not None:
        click["member"]["user"] = {**click["member"]["user"], "id": user}
    return click


async def test_a_vote_is_recorded_and_acknowledged_in_place_and_a_second_vote_replaces_it(
        fake_discord, start, fresh_advisor, captured, records):
    await start(Turns(fresh_advisor, records=records))
    answer = await fake_discord.interact(ask(captured, QUESTION))
    helpful, unhelpful = (i for i in all_custom_ids(answer) if i.startswith("whoswho:vote:"))
    assert helpful.startswith("whoswho:vote:yes:") and unhelpful.startswith("whoswho:vote:no:")
    [question] = table(records, questions)
    assert helpful.endswith(question["id"])

    thanked = await fake_discord.interact(click_on(captured, answer, unhelpful))
    assert thanked.json["type"] == 7  # UPDATE_MESSAGE: the same message, edited
    buttons = [b for row in thanked.json["data"]["components"] for b in row["components"]]
    assert not any(b["custom_id"].startswith("whoswho:vote:") for b in buttons)
    [thanks] = [b for b in buttons if b["custom_id"] == "whoswho:thanks"]
    assert (thanks["label"], thanks["disabled"]) == ("Thanks for the feedback", True)
    assert any(b["custom_id"].startswith("whoswho:share:") for b in buttons), "the other buttons stay"

    await fake_discord.interact(click_on(captured, answer, helpful))  # changed their mind
    await fake_discord.interact(click_on(captured, answer, helpful, user="1250000000000000099"))
    by_user = {row["user_hash"]: row["helpful"] for row in table(records, votes)}
    assert by_user == {digest("s", "discord:1250000000000000005"): True,
                       digest("s", "discord:1250000000000000099"): True}


async def test_a_suggestion_click_is_recorded_against_the_answer_it_was_under(
        fake_discord, start, fresh_advisor, captured, records):
    await start(Turns(fresh_advisor, records=records))
    answer = await fake_discord.interact(ask(captured, QUESTION))
    [first] = table(records, questions)
    suggestion = next(i for i in all_custom_ids(answer) if i.startswith("whoswho:ask:"))
    assert suggestion.endswith(":" + first["id"])
    await fake_discord.interact(click_on(captured, answer, suggestion))
    found = {row["id"]: row for row in table(records, questions)}
    assert len(found) == 2, "the click asked the suggestion's question, recorded too"
    intent = suggestion.removeprefix("whoswho:ask:").rsplit(":", 1)[0]
    assert (found[first["id"]]["clicked"], found[first["id"]]["picked_after_clarify"]) == (intent, False)
