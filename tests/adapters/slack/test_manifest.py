"""The app manifest and the registered listeners agree: what Slack sends, the app handles."""

from __future__ import annotations

from adapters.slack.app import ASK_SHORTCUT, COMMANDS, EVENTS, bot_scopes, manifest
from tests.adapters.slack.conftest import payload

# Manifest event names as the Events API delivers them (message.im, .channels and .groups arrive as "message").
DELIVERED = {"message.im": "message", "message.channels": "message", "message.groups": "message",
             "app_mention": "app_mention",
             "app_home_opened": "app_home_opened"}
NEEDS_SCOPE = {"app_mention": "app_mentions:read", "message.im": "im:history", "message.channels": "channels:history",
               "message.groups": "groups:history"}


def test_the_manifest_declares_the_command_events_scopes_and_interactivity_the_app_registers():
    data = manifest()
    assert [c["command"] for c in data["features"]["slash_commands"]] == list(COMMANDS)
    subscribed = data["settings"]["event_subscriptions"]["bot_events"]
    assert {DELIVERED[e] for e in subscribed} == set(EVENTS)
    assert data["settings"]["interactivity"]["is_enabled"] is True
    assert data["settings"]["socket_mode_enabled"] is True
    assert data["features"]["app_home"]["home_tab_enabled"] is True
    assert data["features"]["app_home"]["messages_tab_enabled"] is True
    assert [(s["type"], s["callback_id"]) for s in data["features"]["shortcuts"]] == [("message", ASK_SHORTCUT)]
    scopes = set(bot_scopes())
    assert {"commands", "chat:write"} <= scopes
    assert {NEEDS_SCOPE[e] for e in subscribed if e in NEEDS_SCOPE} <= scopes


async def test_every_subscribed_event_and_the_command_reach_a_listener(slack, fake_slack):
    bodies = {"app_mention": payload("app_mention"), "message.im": payload("message_im"),
              "message.channels": payload("message_channel"), "message.groups": payload("message_group"),
              "app_home_opened": payload("app_home_opened")}
    for event in manifest()["settings"]["event_subscriptions"]["bot_events"]:
        assert (await slack.event(bodies[event])).status == 200, event
    for command in COMMANDS:
        assert (await slack.command("hi", command=command)).status == 200, command
    # An event nobody subscribed to has no listener: Bolt answers 404, so the check above means something.
    unsubscribed = payload("app_mention")
    unsubscribed["event"] = {"type": "reaction_added", "user": "U2147483697", "reaction": "thumbsup",
                             "item": {"type": "message", "channel": "C2147483705", "ts": "1.2"}, "event_ts": "1.3"}
    assert (await slack.event(unsubscribed)).status == 404
    await fake_slack.wait_for("views.publish")
