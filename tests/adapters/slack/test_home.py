"""The Home tab through the real Bolt app: what whoswho does, the topics, the fit check and the learning paths as
buttons answering in the app's DM, how to ask, and the workspace's settings for admins; within Block Kit's limits
and from the knowledge alone."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from adapters.slack.render import HOME_ABOUT, render_home
from tests.adapters.slack.conftest import FakeSlack, SlackSender, payload
from tests.adapters.slack.test_commands import header
from tests.adapters.slack.test_watch import admin

ADMIN = "U2147483697"  # steve, who opens the captured Home tab
DM = "D024BE91L"  # the app's DM with steve, in the captured app_home_opened


def assert_within_block_kit(view: dict[str, Any]) -> None:
    """Block Kit's limits for a Home tab: 100 blocks, 3,000 characters of section text, 75 of a button's,
    25 elements an actions block, and every action_id once."""
    blocks = view["blocks"]
    assert 1 <= len(blocks) <= 100
    action_ids = []
    for block in blocks:
        if block["type"] == "section":
            assert 0 < len(block["text"]["text"]) <= 3000
        elif block["type"] == "header":
            assert 0 < len(block["text"]["text"]) <= 150
        elif block["type"] == "context":
            assert 1 <= len(block["elements"]) <= 10 and all(0 < len(e["text"]) <= 3000 for e in block["elements"])
        elif block["type"] == "actions":
            assert 1 <= len(block["elements"]) <= 25
            for button in block["elements"]:
                assert button["type"] == "button" and 0 < len(button["text"]["text"]) <= 75
                assert len(button["value"]) <= 2000 and len(button["action_id"]) <= 255
                action_ids.append(button["action_id"])
        else:
            assert block["type"] == "divider"
        assert len(block.get("block_id", "")) <= 255
    block_ids = [b["block_id"] for b in blocks if "block_id" in b]
    assert len(action_ids) == len(set(action_ids)) and len(block_ids) == len(set(block_ids))


def sections(view: dict[str, Any]) -> str:
    return "\n".join(b["text"]["text"] for b in view["blocks"] if b["type"] == "section")


def buttons(view: dict[str, Any]) -> dict[str, tuple[dict[str, Any], str]]:
    """Each button by its label, with its block's id."""
    return {e["text"]["text"]: (e, b["block_id"]) for b in view["blocks"] if b["type"] == "actions"
            for e in b["elements"]}


async def opened(sender: SlackSender, fake: FakeSlack, **fields: str) -> dict[str, Any]:
    before = len(fake.calls_of("views.publish"))
    await sender.event("app_home_opened", **fields)
    view: dict[str, Any] = (await fake.wait_for("views.publish", before + 1))[-1].args["view"]
    return view


def click(view: dict[str, Any], label: str, **fields: Any) -> dict[str, Any]:
    button, block_id = buttons(view)[label]
    body = payload("block_actions_home")
    body["view"] = {**body["view"], "blocks": view["blocks"], "private_metadata": view.get("private_metadata", "")}
    body["actions"] = [{**button, "block_id": block_id, "action_ts": "1548426417.8"}]
    body.update(fields)
    return body


def test_the_home_tab_of_the_knowledge_fits_block_kit(advisor):
    view = render_home(advisor.knowledge)
    assert_within_block_kit(view)
    labels = buttons(view)
    assert {"Take the fit check", "Show me a learning path to ML engineer",
            "Show me a learning path to data scientist", "What an ML engineer does at Quora"} <= set(labels)
    assert labels["Take the fit check"][0]["value"] == "fit:start"
    topics = [intent for intent in advisor.knowledge.intents if intent.topic != "meta"]
    assert len(labels) == len(topics) + 1 + len(advisor.knowledge.paths)


def test_many_topics_still_fit(advisor):
    knowledge = advisor.knowledge
    many = tuple(replace(intent, id=f"{intent.id}.{n}", topic=f"topic {n % 60}", title=intent.title * 5)
                 for n in range(40) for intent in knowledge.intents)
    view = render_home(replace(knowledge, intents=many))
    assert_within_block_kit(view)
    assert view["blocks"][-1]["elements"][0]["text"] == "(More topics than fit on this page.)"


def test_what_whoswho_does_is_the_help_answers_opening_or_a_sentence_of_ours(advisor):
    view = render_home(advisor.knowledge)
    assert view["blocks"][1]["text"]["text"] == (
        "I answer questions about data scientists (DS) and machine-learning engineers (MLE), based on a 2017 slide "
        "deck and its sources.\nPick a topic below or just ask in your own words.")
    knowledge = advisor.knowledge
    without_help = replace(knowledge, intents=tuple(i for i in knowledge.intents if i.id != "meta.help"))
    assert render_home(without_help)["blocks"][1]["text"]["text"] == HOME_ABOUT


async def test_a_topic_and_the_fit_check_on_the_home_tab_answer_in_the_apps_dm(watching, fake_slack, fresh_advisor,
                                                                              monkeypatch):
    asked_in: list[str] = []
    ask = fresh_advisor.ask
    monkeypatch.setattr(fresh_advisor, "ask", lambda text, *, conversation_id="default": (
        asked_in.append(conversation_id), ask(text, conversation_id=conversation_id))[1])
    view = await opened(watching, fake_slack)
    assert view["type"] == "home" and view["private_metadata"] == DM
    assert_within_block_kit(view)
    assert "/whoswho your question" in sections(view)
    assert asked_in == [], "the Home tab is drawn from the knowledge, asking the advisor nothing"

    await watching.action(click(view, "What an ML engineer does at Quora"))
    [answer] = await fake_slack.wait_for("chat.postMessage")
    assert answer.args["channel"] == DM and header(answer.args)["block_id"] == "whoswho.answer.quora.ml-engineer"

    await watching.action(click(view, "Take the fit check"))
    [_, started] = await fake_slack.wait_for("chat.postMessage", 2)
    assert (started.args["channel"], header(started.args)["text"]["text"]) == (DM, "Fit check: question 1 of 7")
    first = next(e for b in started.args["blocks"] if b["type"] == "actions" for e in b["elements"])
    option = payload("block_actions_thread")
    option.update(user={**option["user"], "id": ADMIN}, channel={"id": DM, "name": "directmessage"},
                  container={"type": "message", "message_ts": "1.2", "channel_id": DM, "is_ephemeral": False},
                  message={"type": "message", "text": "", "ts": "1.2", "bot_id": "BBOT", "blocks": []},
                  actions=[{**first, "block_id": "whoswho.actions", "action_ts": "1548426417.9"}])
    await watching.action(option)
    [*_, second] = await fake_slack.wait_for("chat.postMessage", 3)
    assert (second.args["channel"], header(second.args)["text"]["text"]) == (DM, "Fit check: question 2 of 7"), \
        "the fit check started from the Home tab goes on in the DM"


async def test_admins_see_the_workspaces_settings_and_others_do_not(watching, fake_slack):
    assert "For admins" not in sections(await opened(watching, fake_slack, user="U0SOMEONE"))
    view = await opened(watching, fake_slack)
    assert "there is no mentor channel" in sections(view)
    await admin(watching, "mentors <#C0MENTORS|mentors>")
    await admin(watching, "watch on")
    view = await opened(watching, fake_slack)
    text = sections(view)
    assert "*For admins*" in text and "the mentor channel is <#C0MENTORS>" in text
    assert "the channel helper is on in <#C2147483705>" in text
    assert_within_block_kit(view)
