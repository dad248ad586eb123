"""The Slack app: Slack payloads become questions to the advisor, replies go back as Block Kit."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from functools import cache
from importlib import resources
from typing import Any

import yaml
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from adapters.asking import Asker, Notice, as_asker
from adapters.slack.render import (
    SHARE_ACTION,
    SUGGEST_PATTERN,
    THANKS,
    VOTE_PATTERN,
    intent_of,
    question_of,
    render,
    render_home,
    render_notice,
    thank_in_place,
)
from adapters.slack.settings import SlackSettings
from adapters.slack.stores import SignedStateStore, SQLAlchemyStore
from adapters.watch import NOTE, Watch
from bot import Advisor, Question

_log = logging.getLogger(__name__)

COMMAND = "/whoswho"
ADMIN_COMMAND = "/whoswho-admin"
COMMANDS = (COMMAND, ADMIN_COMMAND)
EVENTS = ("app_mention", "message", "app_home_opened")
SORRY = "Sorry, something went wrong on my side. Please try again in a moment."
NOT_INSTALLED = "whoswho isn't installed in this workspace any more. Ask an admin to install it again."
WATCH_SCOPE = "channels:history"
CANNOT_POST = ("I couldn't post in this channel. Invite me with /invite @whoswho and share again, "
               "or copy the answer.")
#: How long a delivery is remembered as handled. Slack retries an event at once, a minute later and five
#: minutes after that, and a signed request stays valid for five minutes: a little over the retries' six minutes.
ONCE_SECONDS = 7 * 60


@cache
def manifest() -> dict[str, Any]:
    """The app manifest shipped next to this module (also what the README has people paste)."""
    text = resources.files("adapters.slack").joinpath("manifest.yml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def bot_scopes() -> list[str]:
    """The bot scopes the manifest asks for, requested again by the OAuth install flow."""
    return list(manifest()["oauth_config"]["scopes"]["bot"])


def conversation_id(team: str, channel: str, key: str) -> str:
    """The advisor's conversation id: a thread, or one person in a DM or ephemeral exchange."""
    return f"slack:{team}:{channel}:{key}"


def to_question(body: Mapping[str, Any]) -> Question:
    """The question in a slash command, an event (mention or DM) or a suggestion button click."""
    if "command" in body:
        return Question(body.get("text") or "",
                        conversation_id(body["team_id"], body["channel_id"], body["user_id"]))
    if body.get("type") == "block_actions":
        team = (body.get("team") or {}).get("id") or body["user"].get("team_id", "")
        channel = (body.get("channel") or {}).get("id", "")
        thread = _thread_of(body)
        return Question(body["actions"][0].get("value", ""),
                        conversation_id(team, channel, thread or body["user"]["id"]))
    event = body["event"]
    if event["type"] == "app_mention":
        # Follow-ups in the thread must mention the bot again; they share the thread's context.
        key = event.get("thread_ts") or event["ts"]
    else:
        key = event.get("thread_ts") or event["user"]
    return Question(event.get("text") or "", conversation_id(body["team_id"], event["channel"], key))


def user_of(body: Mapping[str, Any]) -> str:
    """Who asked, as ``TEAM:USER``: the key of the per-user rate limit."""
    if "command" in body:
        return f"{body.get('team_id', '')}:{body.get('user_id', '')}"
    if body.get("type") == "block_actions":
        user = body.get("user") or {}
        return f"{(body.get('team') or {}).get('id') or user.get('team_id', '')}:{user.get('id', '')}"
    return f"{body.get('team_id', '')}:{(body.get('event') or {}).get('user', '')}"


def delivery_key(body: Mapping[str, Any], headers: Mapping[str, Sequence[str]]) -> str | None:
    """What makes a delivery the same one again: an event's ``event_id`` (Slack's retries carry it, newly
    signed), else a signed request's timestamp and signature (a command or a click replayed as it was);
    ``None`` for what has neither (Socket Mode's commands and clicks)."""
    if body.get("type") == "event_callback" and isinstance(body.get("event_id"), str):
        return f"slack:event:{body['event_id'][:100]}"
    timestamp = header_value(headers, "x-slack-request-timestamp")
    signature = header_value(headers, "x-slack-signature")
    if timestamp and signature:
        return f"slack:signed:{timestamp[:20]}:{signature[:100]}"
    return None


def _thread_of(body: Mapping[str, Any]) -> str | None:
    """The thread a clicked message lives in; ``None`` for ephemeral and top-level messages."""
    if (body.get("container") or {}).get("is_ephemeral"):
        return None
    message = body.get("message") or {}
    thread: str | None = message.get("thread_ts")
    return thread


def _ignored(event: Mapping[str, Any], bot_user_id: str | None) -> bool:
    """Edits, deletions, joins, other bots and the bot itself: nothing to answer, and no reply loops."""
    # As of 2021 most bot messages no longer carry the bot_message subtype; bot_id is what marks them.
    return (event.get("subtype") is not None or event.get("bot_id") is not None
            or event.get("bot_profile") is not None or not event.get("user")
            or event.get("user") == bot_user_id)


def register(app: AsyncApp, advisor: Advisor | Asker, *, watch: Watch | None = None) -> None:
    """Add whoswho's listeners to a Bolt app: the slash commands, mentions, DMs, watched channels, the Home
    tab and buttons.

    With an :class:`~adapters.asking.Asker` the questions are rate limited per user and counted, and the
    knowledge can be reloaded while serving. ``watch`` is watch mode (off everywhere, and no admins, without it)."""
    asker = as_asker(advisor)
    watch = watch or Watch()
    homes: list[tuple[Advisor, dict[str, Any]]] = []

    def home() -> dict[str, Any]:
        """The Home tab of the knowledge served now (it changes on a reload)."""
        current = asker.advisor
        if not homes or homes[0][0] is not current:
            homes[:] = [(current, render_home(current.knowledge, current.ask("help", conversation_id="slack:home")))]
        return homes[0][1]

    home()

    def answer(question: Question, user: str, **options: Any) -> dict[str, Any] | None:
        """The message to send, or ``None`` to stay silent (a user past the rate limit)."""
        try:
            question_id = str(uuid.uuid4())
            result = asker.ask(question.text.strip() or "help", conversation_id=question.conversation_id,
                               user=user, platform="slack", question_id=question_id)
            if result is None:
                return None
            if isinstance(result, Notice):
                return render_notice(result.text)
            return render(result, question_id=question_id, **options)
        except Exception:
            _log.exception("whoswho could not answer a Slack question")
            asker.error("slack")
            return render_notice(SORRY)

    async def post(client: AsyncWebClient, message: dict[str, Any], *, channel: str,
                   thread_ts: str | None = None) -> bool:
        try:
            await client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=message["text"],
                                          blocks=message["blocks"], unfurl_links=False, unfurl_media=False)
            return True
        except SlackApiError as error:
            _log.error("chat.postMessage failed in %s: %s", channel, error.response.get("error"))
        except Exception:
            _log.exception("chat.postMessage failed in %s", channel)
        asker.error("slack")
        return False

    @app.command(COMMAND)
    @asker.handler
    async def on_command(ack: AsyncAck, body: dict[str, Any]) -> None:
        # Answered in the ack itself: the advisor takes under a millisecond, and Slack shows the
        # ack's body as an ephemeral message, with no Web API call that could fail or be rate limited.
        question = to_question(body)
        asked = question.text.strip()
        if asked.casefold() in ("", "help"):  # `/whoswho` alone or `/whoswho help`: the topics, nothing to share
            message = answer(Question("help", question.conversation_id), user_of(body))
        else:
            message = answer(question, user_of(body), asked=asked, shareable=True)
        if message is None:
            await ack()  # an empty ack shows nothing: silence past the rate limit
            return
        await ack(response_type="ephemeral", **message)

    @app.event("app_mention")
    @asker.handler
    async def on_mention(body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext) -> None:
        event = body["event"]
        if str(event.get("channel", "")).startswith("D") or _ignored(event, context.bot_user_id):
            return  # a mention in a DM also arrives as message.im, answered there
        message = answer(to_question(body), user_of(body))
        if message is not None:
            await post(client, message, channel=event["channel"], thread_ts=event.get("thread_ts") or event["ts"])

    @app.event("message")
    @asker.handler
    async def on_message(body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext) -> None:
        event = body["event"]
        if _ignored(event, context.bot_user_id):
            return
        if event.get("channel_type") == "channel":
            await on_channel_message(body, client, context)
            return
        if event.get("channel_type") != "im":
            return
        message = answer(to_question(body), user_of(body))
        if message is not None:
            await post(client, message, channel=event["channel"], thread_ts=event.get("thread_ts"))

    async def on_channel_message(body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext) -> None:
        """message.channels: watch mode answers a clear question in a watched channel, in its thread."""
        event = body["event"]
        text = event.get("text") or ""
        if event.get("thread_ts") or (context.bot_user_id and f"<@{context.bot_user_id}>" in text):
            return  # replies in threads are conversations; a mention is answered as app_mention
        channel, ts = event["channel"], event["ts"]
        try:
            suggested = watch.suggest(asker, text, platform="slack", channel=f"{body.get('team_id', '')}:{channel}",
                                      thread=ts, user=user_of(body))
            if suggested is None:
                return
            reply, question_id = suggested
            message = render(reply, note=NOTE, question_id=question_id)
        except Exception:
            # Nobody asked us: an apology would be noise in the channel.
            _log.exception("watch mode could not consider a Slack message")
            asker.error("slack")
            return
        await post(client, message, channel=channel, thread_ts=ts)

    @app.command(ADMIN_COMMAND)
    @asker.handler
    async def on_admin(ack: AsyncAck, body: dict[str, Any]) -> None:
        # In a worker thread: `insights` reads the records database.
        text = await asyncio.to_thread(
            watch.command, body.get("text") or "", platform="slack", user=str(body.get("user_id", "")),
            channel=f"{body.get('team_id', '')}:{body.get('channel_id', '')}", advisor=asker.advisor)
        await ack(response_type="ephemeral", **render_notice(text))

    @app.event("app_home_opened")
    async def on_home(event: dict[str, Any], client: AsyncWebClient) -> None:
        if event.get("tab") != "home":
            return
        try:
            await client.views_publish(user_id=event["user"], view=home())
        except Exception:
            _log.exception("views.publish failed for the Home tab")
            asker.error("slack")

    @app.action(SHARE_ACTION)
    @asker.handler
    async def on_share(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond) -> None:
        await ack()
        try:
            value = json.loads(body["actions"][0]["value"])
            reply = asker.advisor.reply_for(str(value["intent"]))
            message = render(reply, asked=str(value.get("asked") or ""), shared_by=body["user"]["id"])
        except Exception:
            _log.exception("whoswho could not share an answer")
            asker.error("slack")
            await respond(response_type="ephemeral", replace_original=False, **render_notice(SORRY))
            return
        if await post(client, message, channel=body["channel"]["id"]):
            await respond(delete_original=True)
        else:
            await respond(response_type="ephemeral", replace_original=False, **render_notice(CANNOT_POST))

    @app.action(SUGGEST_PATTERN)
    @asker.handler
    async def on_suggestion(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient,
                            respond: AsyncRespond) -> None:
        await ack()
        question = to_question(body)
        action = body["actions"][0]
        clicked_under = question_of(str(action.get("block_id", "")))
        if clicked_under is not None:
            asker.click(clicked_under, intent_of(str(action.get("action_id", ""))))
        channel = (body.get("channel") or {}).get("id", "")
        thread = _thread_of(body)
        ephemeral = bool((body.get("container") or {}).get("is_ephemeral"))
        in_the_open = not ephemeral and (thread is not None or channel.startswith("D"))
        # In a thread or a DM the conversation goes on in the open, where it started; an ephemeral answer,
        # or an answer someone shared, answers only the person who clicked.
        message = answer(question, user_of(body), asked=question.text, shareable=not in_the_open)
        if message is None:
            return
        if in_the_open:
            await post(client, message, channel=channel, thread_ts=thread)
        else:
            await respond(response_type="ephemeral", replace_original=False, **message)


    @app.action(VOTE_PATTERN)
    @asker.handler
    async def on_vote(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        action = body["actions"][0]
        asker.vote(str(action.get("value", "")), user=user_of(body), platform="slack",
                   helpful=action.get("action_id") == "whoswho.vote.helpful")
        message = body.get("message") or {}
        try:
            if message.get("blocks"):
                await respond(replace_original=True, text=message.get("text") or THANKS,
                              blocks=thank_in_place(message["blocks"]))
            else:
                # Slack sends no copy of an ephemeral message with its clicks: thank the person beside it.
                await respond(response_type="ephemeral", replace_original=False, **render_notice(THANKS))
        except Exception:
            _log.exception("could not acknowledge a vote")
            asker.error("slack")


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


def build_app(settings: SlackSettings, advisor: Advisor | Asker, *, api_timeout: float = 10.0,
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
        app = AsyncApp(**common, installation_store=store, oauth_settings=oauth,
                       user_facing_authorize_error_message=NOT_INSTALLED)
    else:
        app = AsyncApp(**common)
    asker = as_asker(advisor)

    @app.middleware
    async def once(req: AsyncBoltRequest, next: Callable[[], Awaitable[BoltResponse]]) -> BoltResponse:
        # Slack re-delivers an event it thinks failed (X-Slack-Retry-Num), and a signed request can be replayed
        # within its five minutes: the first delivery is handled, any other is acknowledged and dropped. The key
        # lives in the conversation store, so replicas sharing Redis drop each other's repeats.
        key = delivery_key(req.body, req.headers)
        if key is not None and not asker.advisor.memory.claim(key, ttl_seconds=ONCE_SECONDS):
            # Headers outside the signature: only digits and a reason's letters reach the log.
            retry = re.sub(r"[^0-9]", "", header_value(req.headers, "x-slack-retry-num"))[:3]
            reason = re.sub(r"[^a-z_]", "", header_value(req.headers, "x-slack-retry-reason"))[:30]
            _log.info("Acknowledged a repeated Slack delivery without handling it again%s",
                      f" (retry {retry}, {reason})" if retry else "")
            return BoltResponse(status=200, body="")
        return await next()

    register(app, asker, watch=watch)

    @app.error
    async def on_error(error: Exception) -> None:
        # Never log the body: it carries the (deprecated) verification token.
        _log.error("a Slack listener failed", exc_info=error)
        asker.error("slack")

    return app


def header_value(headers: Mapping[str, Sequence[str]], name: str) -> str:
    """The first value of a header in a Bolt request (Bolt lowercases the names), or ``""``."""
    return next(iter(headers.get(name) or ()), "")


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
