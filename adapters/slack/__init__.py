"""The Slack adapter: the advisor in slash commands, mentions, DMs and the Home tab (slack-bolt)."""

from adapters.slack.app import build_app, register
from adapters.slack.inbound import conversation_id, to_inbound
from adapters.slack.render import render, render_home
from adapters.slack.settings import SlackSettings

__all__ = ["SlackSettings", "build_app", "conversation_id", "register", "render", "render_home", "to_inbound"]
