"""Helpful / Not helpful under Slack answers, and suggestion clicks, recorded through the real Bolt app."""

from __future__ import annotations

import pytest
from aiohttp import ClientSession, ClientTimeout
from sqlalchemy import select

from adapters.records import Records, RecordsSettings, digest
from adapters.records.schema import questions, votes
from adapters.slack.app import build_app
from adapters.slack.server import start_http
from adapters.turn import Turns
from tests.adapters.slack.conftest import SlackSender, payload


@pytest.fixture
def records(tmp_path):
    records = Records(RecordsSettings(database_url=f"sqlite:///{tmp_path / 'whoswho.sqlite3'}", salt="s"))
    yield records
    records.close()


@pytest.fixture
async def slack(fake_slack, slack_settings, fresh_advisor, records):
    app = build_app(slack_settings, Turns(fresh_advisor, records=records), api_timeout=1.0)
    runner, port = await start_http(app, host="127.0.0.1", port=0)
    async with ClientSession(timeout=ClientTimeout(total=10)) as session:
        yield SlackSender(f"http://127.0.0.1:{port}", fake_slack, session)
    await runner.cleanup()


def table(records, which):
    assert records.flush()
    with records.engine.connect() as connection:
        return [row._asdict() for row in connection.execute(select(which))]


def feedback(message):
    return next(b for b in message["blocks"] if b.get("block_id", "").startswith("whoswho.feedback."))


def vote(answer, which, *, where="block_actions_thread", user=None):
    """A click on Helpful (``which=0``) or Not helpful under ``answer``, on a message in a thread by default."""
    block = feedback(answer)
    body = payload(where)
    if "message" in body:
        body["message"]["blocks"] = answer["blocks"]
    body["actions"] = [{**block["elements"][which], "block_id": block["block_id"], "action_ts": "1548426417.8"}]
    if user is not None:
        body["user"] = {**body["user"], "id": user}
    return body


async def test_a_vote_is_recorded_and_acknowledged_in_place_and_a_second_vote_replaces_it(slack, fake_slack,
                                                                                           records):
    answer = (await slack.command("what does an ML engineer do at Quora")).json
    [question] = table(records, questions)
    block = feedback(answer)
    assert block["block_id"] == f"whoswho.feedback.{question['id']}"
    assert [(b["action_id"], b["text"]["text"], b["value"]) for b in block["elements"]] == [
        ("whoswho.vote.helpful", "Helpful", question["id"]), ("whoswho.vote.unhelpful", "Not helpful", question["id"])]

    await slack.action(vote(answer, 1), response_url="vote")
    [thanked] = await fake_slack.wait_for("respond:vote")
    assert thanked.args["replace_original"] is True
    assert not any(b.get("block_id", "").startswith("whoswho.feedback.") for b in thanked.args["blocks"])
    assert {"type": "mrkdwn", "text": "Thanks for the feedback."} in thanked.args["blocks"][-1]["elements"]
    assert thanked.args["blocks"][0] == answer["blocks"][0], "the answer itself stays"

    await slack.action(vote(answer, 0), response_url="vote")  # changed their mind
    await slack.action(vote(answer, 0, user="U0BO"), response_url="vote")
    await fake_slack.wait_for("respond:vote", 3)
    by_user = {row["user_hash"]: row["helpful"] for row in table(records, votes)}
    assert by_user == {digest("s", "slack:T0001:U2147483698"): True, digest("s", "slack:T0001:U0BO"): True}


async def test_a_vote_on_an_ephemeral_answer_is_thanked_beside_it(slack, fake_slack, records):
    answer = (await slack.command("what does an ML engineer do at Quora")).json
    await slack.action(vote(answer, 0, where="block_actions_ephemeral"), response_url="vote")
    [thanked] = await fake_slack.wait_for("respond:vote")
    assert (thanked.args["response_type"], thanked.args["replace_original"]) == ("ephemeral", False)
    assert thanked.args["text"] == "Thanks for the feedback."
    assert [row["helpful"] for row in table(records, votes)] == [True]


async def test_a_click_on_a_clarifications_choice_is_recorded_as_a_labelled_phrasing(slack, fake_slack, records):
    clarify = (await slack.command("how about at Quora?")).json
    [question] = table(records, questions)
    assert question["outcome"] == "clarify"
    actions = next(b for b in clarify["blocks"] if b.get("block_id", "").startswith("whoswho.actions."))
    assert actions["block_id"] == f"whoswho.actions.{question['id']}"
    choice = actions["elements"][0]
    click = payload("block_actions_ephemeral")
    click["actions"] = [{**choice, "block_id": actions["block_id"], "action_ts": "1548426417.8"}]
    await slack.action(click, response_url="pick")
    await fake_slack.wait_for("respond:pick")
    found = {row["id"]: row for row in table(records, questions)}
    intent = choice["action_id"].split(".", 3)[3]
    assert (found[question["id"]]["clicked"], found[question["id"]]["picked_after_clarify"]) == (intent, True)
    assert len(found) == 2
