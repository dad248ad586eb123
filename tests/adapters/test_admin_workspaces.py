"""``/whoswho-admin mentors`` and ``threads``, platform-neutral: the channel as each platform's reference carries
it, off, the state; only admins; kept per workspace in a small file that survives a restart."""

from __future__ import annotations

import json
import stat

import pytest

from adapters import admin
from adapters.watch import STATE_FILE, Watch, WatchedChannels, WatchSettings
from adapters.workspaces import WorkspaceSettings, channel_id
from tests.backend import PLATFORM, TestBackend


@pytest.mark.parametrize(("reference", "channel"), [
    ("<#C0MENTORS|mentors>", "C0MENTORS"), ("<#C0MENTORS>", "C0MENTORS"), ("<#1234567890>", "1234567890"),
    ("C0MENTORS", "C0MENTORS"), ("1234567890", "1234567890"),
])
def test_the_mentor_channel_is_set_from_the_platforms_reference_or_an_id(testbot, reference, channel):
    assert testbot.admin(f"mentors {reference}") == admin.MENTORS_SET.format(channel=f"<#{channel}>")
    assert testbot.watch.workspaces.mentor_channel(PLATFORM, "team") == channel
    assert testbot.admin("mentors") == admin.MENTORS_IS.format(channel=f"<#{channel}>")


@pytest.mark.parametrize("text", ["mentors #mentors", "mentors <@U1>", "mentors <#C1|a> <#C2|b>", "mentors @here"])
def test_what_is_no_channel_is_refused_with_the_usage(testbot, text):
    assert testbot.admin(text) == admin.MENTORS_USAGE
    assert testbot.watch.workspaces.mentor_channel(PLATFORM, "team") is None


def test_mentors_off_and_the_state(testbot):
    assert testbot.admin("mentors") == admin.MENTORS_NONE
    testbot.admin("mentors <#M1>")
    assert testbot.admin("Mentors OFF") == admin.MENTORS_OFF
    assert testbot.admin("mentors") == admin.MENTORS_NONE


def test_each_workspace_has_its_own_settings(testbot):
    testbot.admin("mentors <#M1>")
    testbot.admin("threads on")
    other = TestBackend(testbot.turns, workspace="other", watch=testbot.watch)
    assert other.admin("mentors") == admin.MENTORS_NONE
    assert other.admin("threads") == admin.THREADS_IS_OFF
    assert testbot.admin("threads") == admin.THREADS_IS_ON


def test_threads_on_off_and_the_state(testbot):
    assert testbot.admin("threads") == admin.THREADS_IS_OFF
    assert testbot.admin("threads on") == admin.THREADS_ON
    assert testbot.watch.workspaces.threads(PLATFORM, "team")
    assert testbot.admin("threads off") == admin.THREADS_OFF
    assert not testbot.watch.workspaces.threads(PLATFORM, "team")
    assert testbot.admin("threads maybe") == admin.USAGE


def test_only_admins_change_a_workspaces_settings(testbot):
    for text in ("mentors <#M1>", "mentors", "threads on"):
        assert testbot.admin(text, user="ann") == admin.NOT_ADMIN_SETTINGS
    assert testbot.watch.workspaces.mentor_channel(PLATFORM, "team") is None
    assert not testbot.watch.workspaces.threads(PLATFORM, "team")


def test_the_usage_names_every_subcommand(testbot):
    usage = testbot.admin("help")
    for words in ("watch on", "mentors #channel", "mentors off", "threads on", "threads off", "insights"):
        assert f"/whoswho-admin {words}" in usage


def test_the_settings_survive_a_restart_in_a_private_file_next_to_the_watched_channels(tmp_path):
    settings = WatchSettings(admins=frozenset({f"{PLATFORM}:boss"}))
    watch = Watch(settings, WatchedChannels(tmp_path / STATE_FILE))
    admin.command(watch, "mentors <#M1|mentors>", platform=PLATFORM, user="boss", channel="c", workspace="W1")
    admin.command(watch, "threads on", platform=PLATFORM, user="boss", channel="c", workspace="W1")
    path = tmp_path / "workspaces.json"
    assert json.loads(path.read_text()) == {PLATFORM: {"W1": {"mentor_channel": "M1", "threads": True}}}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = Watch(settings, WatchedChannels(tmp_path / STATE_FILE))
    assert again.workspaces.mentor_channel(PLATFORM, "W1") == "M1" and again.workspaces.threads(PLATFORM, "W1")
    admin.command(again, "mentors off", platform=PLATFORM, user="boss", channel="c", workspace="W1")
    admin.command(again, "threads off", platform=PLATFORM, user="boss", channel="c", workspace="W1")
    assert json.loads(path.read_text()) == {}


def test_a_damaged_settings_file_is_read_as_far_as_it_makes_sense(tmp_path):
    path = tmp_path / "workspaces.json"
    path.write_text("{not json")
    assert WorkspaceSettings(path).mentor_channel(PLATFORM, "W1") is None
    path.write_text(json.dumps({PLATFORM: {"W1": {"mentor_channel": "<!here>", "threads": "yes"},
                                           "W2": {"mentor_channel": "M2", "threads": True}, "W3": 7}, "x": []}))
    read = WorkspaceSettings(path)
    assert read.mentor_channel(PLATFORM, "W1") is None and not read.threads(PLATFORM, "W1")
    assert read.mentor_channel(PLATFORM, "W2") == "M2" and read.threads(PLATFORM, "W2")
    assert read.mentor_channel(PLATFORM, None) is None and not read.threads(PLATFORM, None)


def test_a_channel_reference_is_read_strictly():
    assert channel_id(" <#C1|a b> ") == "C1"
    assert channel_id("<#C1|x") is None and channel_id("") is None and channel_id("<@U1>") is None
