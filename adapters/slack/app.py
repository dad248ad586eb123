"""The Slack app: Slack payloads become questions to the advisor, replies go back as Block Kit."""

from __future__ import annotations

import logging
import re
import weakref
from collections.abc import Awaitable, Callable
from functools import cache
from importlib import resources
from typing import Any

import yaml
from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from adapters.mentors import connect
from adapters.slack import listeners
from adapters.slack.inbound import delivery_key, header_value
from adapters.slack.render import (
    HOME_PATTERN,
    INSIGHTS_ACTION,
    MENTOR_PATTERN,
    SHARE_ACTION,
    SUGGEST_PATTERN,
    VOTE_PATTERN,
)
from adapters.slack.served import CONTEXT_KEY, Served
from adapters.slack.settings import SlackSettings
from adapters.slack.stores import SignedStateStore, SQLAlchemyStore
from adapters.turn import Turns, as_turns
from adapters.watch import Watch
from bot import Advisor

_log = logging.getLogger(__name__)

COMMAND = "/whoswho"
ADMIN_COMMAND = "/whoswho-admin"
COMMANDS = (COMMAND, ADMIN_COMMAND)
EVENTS = ("app_mention", "message", "app_home_opened")
#: The message shortcut "Ask whoswho" (its callback id in the manifest).
ASK_SHORTCUT = "whoswho.ask"
NOT_INSTALLED = "whoswho isn't installed in this workspace any more. Ask an admin to install it again."
WATCH_SCOPE = "channels:history"
#: How long a delivery is remembered as handled. Slack retries an event at once, a minute later and five
#: minutes after that, and a signed request stays valid for five minutes: a little over the retries' six minutes.
ONCE_SECONDS = 7 * 60
_COMMANDS_APPS: weakref.WeakKeyDictionary[AsyncApp, AsyncApp] = weakref.WeakKeyDictionary()


@cache
def manifest() -> dict[str, Any]:
    """The app manifest shipped next to this module (also what the README has people paste)."""
    text = resources.files("adapters.slack").joinpath("manifest.yml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def bot_scopes() -> list[str]:
    """The bot scopes the manifest asks for, requested again by the OAuth install flow."""
    return list(manifest()["oauth_config"]["scopes"]["bot"])


def register(app: AsyncApp, advisor: Advisor | Turns, *, watch: Watch | None = None,
             commands_app: AsyncApp | None = None) -> None:
    """Add whoswho's listeners to a Bolt app: the slash commands, mentions, DMs, watched channels, the Home
    tab and buttons (:mod:`adapters.slack.listeners`); the slash commands to ``commands_app`` too, when given.

    With :class:`~adapters.turn.Turns` the questions are rate limited per user and counted, and the
    knowledge can be reloaded while serving. ``watch`` is watch mode (off everywhere, and no admins, without it)."""
    turns = as_turns(advisor)
    side = Served(turns, watch or Watch())
    if turns.mentors.workspaces is not side.watch.workspaces:
        connect(turns, side.watch)
    side.home()

    async def serving(context: AsyncBoltContext, next: Callable[[], Awaitable[BoltResponse]]) -> BoltResponse:
        context[CONTEXT_KEY] = side
        return await next()

    handled = turns.events.handler
    for each in (app, commands_app) if commands_app is not None else (app,):
        each.middleware(serving)
        each.command(COMMAND)(handled(listeners.on_command))
        each.command(ADMIN_COMMAND)(handled(listeners.on_admin))
    app.event("app_mention")(handled(listeners.on_mention))
    app.event("message")(handled(listeners.on_message))
    app.event("app_home_opened")(listeners.on_home)
    app.shortcut(ASK_SHORTCUT)(handled(listeners.on_shortcut))
    app.action(SHARE_ACTION)(handled(listeners.on_share))
    app.action(SUGGEST_PATTERN)(handled(listeners.on_suggestion))
    app.action(VOTE_PATTERN)(handled(listeners.on_vote))
    app.action(MENTOR_PATTERN)(handled(listeners.on_mentor))
    app.action(HOME_PATTERN)(handled(listeners.on_home_click))
    app.action(INSIGHTS_ACTION)(handled(listeners.on_home_insights))


def commands_app(app: AsyncApp) -> AsyncApp | None:
    """The app answering ``app``'s slash commands over HTTP, when :func:`build_app` made one."""
    return _COMMANDS_APPS.get(app)


def web_client(settings: SlackSettings, *, timeout: float = 10.0) -> AsyncWebClient:
    """The Web API client: ``SLACK_API_URL`` as its base, retrying 429 (after ``Retry-After``),
    500/503 and dropped connections twice each."""
    return AsyncWebClient(
        token=None if settings.oauth else settings.bot_token,
        base_url=settings.api_url or AsyncWebClient.BASE_URL,
        timeout=timeout,  # type: ignore[arg-type]  # typed int, but aiohttp takes fractions of a second
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(max_retry_count=2),
            AsyncRateLimitErrorRetryHandler(max_retry_count=2),
            AsyncServerErrorRetryHandler(max_retry_count=2),
        ],
    )


def build_app(settings: SlackSettings, advisor: Advisor | Turns, *, api_timeout: float = 10.0,
              watch: Watch | None = None) -> AsyncApp:
    """A Bolt ``AsyncApp`` for the settings, with whoswho's listeners registered (``watch``: watch mode)."""
    client = web_client(settings, timeout=api_timeout)
    common: dict[str, Any] = {
        "name": "whoswho",
        "client": client,
        "signing_secret": settings.signing_secret or "",
        # adapters.slack.server checks each request's signature before Bolt parses its body; Bolt's own check
        # would parse first and log a refused body whole.
        "request_verification_enabled": False,
        "logger": logging.getLogger("adapters.slack.bolt"),
    }
    if settings.oauth:
        if settings.bot_token:
            _log.warning("SLACK_BOT_TOKEN is ignored: the OAuth install flow keeps a token per workspace")
        store = SQLAlchemyStore(client_id=settings.client_id or "", database_url=settings.database_url)
        oauth = AsyncOAuthSettings(
            client_id=settings.client_id,
            client_secret=settings.client_secret,
            scopes=bot_scopes(),
            installation_store=store,
            state_store=SignedStateStore(secret=settings.state_secret or ""),
            authorization_url=_authorization_url(settings.api_url),
        )
        common.update(installation_store=store, oauth_settings=oauth, user_facing_authorize_error_message=NOT_INSTALLED)
    turns = as_turns(advisor)
    app = _guarded(AsyncApp(**common), turns)
    # Slash commands are answered in the ack: processed before the response, Bolt sends the ack as soon as the
    # listener returns, instead of polling for it every 10 ms. Events and clicks stay on the normal path, where
    # the response goes at the ack and posting the answer follows.
    fast = _guarded(AsyncApp(**common, process_before_response=True), turns)
    _COMMANDS_APPS[app] = fast
    register(app, turns, watch=watch, commands_app=fast)
    return app


def _guarded(app: AsyncApp, turns: Turns) -> AsyncApp:
    """``app`` handling each delivery once, with failures logged and counted."""

    @app.middleware
    async def once(req: AsyncBoltRequest, next: Callable[[], Awaitable[BoltResponse]]) -> BoltResponse:
        # Slack re-delivers an event it thinks failed (X-Slack-Retry-Num), and a signed request can be replayed
        # within its five minutes: the first delivery is handled, any other is acknowledged and dropped. The key
        # lives in the conversation store, so replicas sharing Redis drop each other's repeats.
        key = delivery_key(req.body, req.headers)
        if key is not None and not turns.advisor.claim(key, ttl_seconds=ONCE_SECONDS):
            # Headers outside the signature: only digits and a reason's letters reach the log.
            retry = re.sub(r"[^0-9]", "", header_value(req.headers, "x-slack-retry-num"))[:3]
            reason = re.sub(r"[^a-z_]", "", header_value(req.headers, "x-slack-retry-reason"))[:30]
            _log.info("Acknowledged a repeated Slack delivery without handling it again%s",
                      f" (retry {retry}, {reason})" if retry else "")
            return BoltResponse(status=200, body="")
        return await next()

    @app.error
    async def on_error(error: Exception) -> None:
        # Never log the body: it carries the (deprecated) verification token.
        _log.error("a Slack listener failed", exc_info=error)
        turns.error("slack")

    return app


def _authorization_url(api_url: str | None) -> str | None:
    """The authorize page beside a Slack-compatible Web API: ``.../api/`` -> ``.../oauth/v2/authorize``."""
    if api_url is None:
        return None
    root = api_url[: -len("api/")] if api_url.endswith("/api/") else api_url
    return root + "oauth/v2/authorize"


async def check_watch(client: AsyncWebClient, watch: Watch) -> list[str]:
    """Warn, naming each watched channel, when the bot token lacks what watch mode needs (the
    ``channels:history`` scope, which brings the ``message.channels`` event); the warnings logged."""
    channels = watch.channels.channels("slack")
    if not channels:
        return []
    try:
        response = await client.auth_test()
    except Exception as error:
        _log.warning("Could not check the scopes watch mode needs (%s)", type(error).__name__)
        return []
    # Slack lists a token's scopes in this header of every Web API response.
    granted = (response.headers or {}).get("x-oauth-scopes") or (response.headers or {}).get("X-OAuth-Scopes")
    if granted is None:
        return []
    scopes = {scope.strip() for scope in str(granted).split(",")}
    warnings = []
    if WATCH_SCOPE not in scopes:
        for channel in channels:
            warnings.append(f"Watch mode is on in Slack channel {channel.partition(':')[2] or channel}, but the "
                            f"bot token lacks the {WATCH_SCOPE} scope, so no message from it will arrive: add the "
                            f"scope and the message.channels event (see README, section 'Channel helper') "
                            f"and reinstall the app")
    for warning in warnings:
        _log.warning("%s", warning)
    return warnings
