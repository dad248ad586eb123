"""A fake Discord (REST API and gateway websocket, aiohttp on 127.0.0.1) and a running bot against it.

dpytest cannot drive application commands, so the tests run a real ``discord.Client`` against this
fake: ``discord.http.Route.BASE`` points REST and interaction callbacks at it, and
``DiscordWebSocket.DEFAULT_GATEWAY`` the gateway. The benchmark (benchmarks/discord_load.py) loads
this file for the same fake.

Quirks it has to honour, learnt the hard way:
- REST answers need content-type exactly ``application/json`` or discord.py reads them as text.
- A 429 needs a ``Via`` header, or discord.py takes it for a Cloudflare ban and gives up.
- READY's ``resume_gateway_url`` must point here too, or a resume goes to discord.gg.
- Payloads must be complete: a missing key kills the client's start task without a word, so
  readiness is always raced against that task.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import functools
import itertools
import json
import re
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import discord
import pytest
import yarl
from aiohttp import WSMsgType, web

from adapters.discord import DiscordSettings, create_client, serve
from adapters.watch import Watch
from bot import Advisor

PAYLOADS = Path(__file__).parent / "payloads"
TOKEN = "MTIxMDAwMDAwMDAwMDAwMDAwMQ.GfAkEt.ThisIsNotARealTokenButLooksLikeOne_0123"
TIMEOUT = 5.0
JSON = "application/json"


@functools.cache
def _read(name: str) -> dict[str, Any]:
    result: dict[str, Any] = json.loads((PAYLOADS / f"{name}.json").read_text(encoding="utf-8"))
    return result


def payload(name: str) -> dict[str, Any]:
    """A captured payload from ``payloads/NAME.json`` (a fresh copy to change freely)."""
    return copy.deepcopy(_read(name))


APP_ID = payload("user_me")["id"]


@dataclass
class Request:
    """One request the fake REST API received."""

    method: str
    path: str
    query: dict[str, str]
    body: Any
    authorization: str | None = None
    at: float = field(default_factory=time.perf_counter)

    @property
    def json(self) -> dict[str, Any]:
        """The body's JSON object (also when sent as multipart ``payload_json``)."""
        assert isinstance(self.body, dict), self.body
        return self.body

    def json_list(self) -> list[dict[str, Any]]:
        """The body's JSON array."""
        assert isinstance(self.body, list), self.body
        return self.body


@dataclass
class Shard:
    """One gateway connection."""

    socket: web.WebSocketResponse
    shard_id: int
    shard_count: int
    sequence: int = 0
    ready: asyncio.Event = field(default_factory=asyncio.Event)


@dataclass
class RateLimit:
    method: str
    pattern: re.Pattern[str]
    retry_after: float
    times: int


def _json(data: Any, *, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    # Exactly application/json: aiohttp's json_response adds "; charset=utf-8" and discord.py then reads text.
    return web.Response(body=json.dumps(data).encode(), status=status,
                        headers={"Content-Type": JSON, **(headers or {})})


class FakeDiscord:
    """Enough of Discord's REST API and gateway (v10, JSON text frames, no compression) for discord.py."""

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.identifies: list[dict[str, Any]] = []
        self.resumes: list[dict[str, Any]] = []
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self.shards: dict[int, Shard] = {}
        self.limited: list[Request] = []
        self._rate_limits: list[RateLimit] = []
        self._changed = asyncio.Condition()
        self._ids = itertools.count(1_300_000_000_000_000_000)
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.token = TOKEN
        self.said: dict[str, Any] = {}
        #: Every message object the fake answered a request with, newest last.
        self.sent: list[dict[str, Any]] = []
        #: Answer thread creation with 403, as in a channel where the bot may not start threads.
        self.threads_forbidden = False
        #: Channels where posting is answered with 403, as where the bot may not send messages.
        self.posts_forbidden: set[str] = set()

    # lifecycle

    async def start(self, port: int = 0) -> FakeDiscord:
        """Listen on ``port`` of 127.0.0.1 (any free one by default)."""
        app = web.Application()
        app.router.add_get("/gateway", self._gateway_socket)
        app.router.add_route("*", "/api/v10/{path:.*}", self._rest)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        server = site._server
        assert server is not None and server.sockets
        self.port = server.sockets[0].getsockname()[1]
        return self

    async def close(self) -> None:
        for shard in list(self.shards.values()):
            await shard.socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    def point_discord_py_here(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Point discord.py at this fake for one test (restored afterwards)."""
        monkeypatch.setattr(discord.http.Route, "BASE", self.api_url)
        monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(self.gateway_url))

    # waiting

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def wait_for(self, predicate: Callable[[], Any], timeout: float = TIMEOUT) -> Any:
        """Wait until ``predicate()`` is truthy (re-checked on every request or gateway event); returns it."""
        async with self._changed:
            return await asyncio.wait_for(self._changed.wait_for(predicate), timeout)

    async def wait_for_request(self, method: str, path: str, *, after: int = 0, timeout: float = TIMEOUT) -> Request:
        """The first request to ``method path`` (a regular expression) received after the first ``after``."""
        pattern = re.compile(path)

        def found() -> Request | None:
            return next((r for r in self.requests[after:] if r.method == method and pattern.fullmatch(r.path)), None)

        result: Request = await self.wait_for(found, timeout)
        return result

    def rate_limit(self, method: str, path: str, *, retry_after: float = 0.05, times: int = 1) -> None:
        """Answer the next ``times`` requests to ``method path`` with 429 and ``retry_after``."""
        self._rate_limits.append(RateLimit(method, re.compile(path), retry_after, times))

    # REST

    def new_id(self) -> str:
        return str(next(self._ids))

    def message(self, channel_id: str, body: dict[str, Any], *, flags: int = 0) -> dict[str, Any]:
        """A complete message object as Discord returns it for a message the bot sent."""
        bot_user = {k: v for k, v in payload("user_me").items() if k not in ("verified", "mfa_enabled", "email",
                                                                              "locale", "premium_type")}
        sent = {
            "type": 0, "tts": False, "timestamp": "2025-03-14T09:27:00.000000+00:00", "pinned": False,
            "mentions": [], "mention_roles": [], "mention_everyone": False, "id": self.new_id(),
            "flags": body.get("flags", flags) or 0, "embeds": body.get("embeds", []), "edited_timestamp": None,
            "content": body.get("content", ""), "channel_id": channel_id, "author": bot_user, "attachments": [],
            "components": body.get("components", []), "referenced_message": None,
        }
        self.sent.append(sent)
        return sent

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["path"]
        body: Any = None
        if request.can_read_body:
            if request.content_type == "multipart/form-data":
                form = await request.post()
                body = json.loads(str(form["payload_json"]))
            else:
                text = await request.text()
                body = json.loads(text) if text else None
        captured = Request(request.method, path, dict(request.query), body, request.headers.get("Authorization"))
        for limit in self._rate_limits:
            if limit.times and limit.method == request.method and limit.pattern.fullmatch(path):
                limit.times -= 1
                self.limited.append(captured)
                await self._notify()
                # discord.py treats a 429 without Via as a Cloudflare ban.
                return _json(
                    {"message": "You are being rate limited.", "retry_after": limit.retry_after, "global": False},
                    status=429, headers={"Via": "1.1 google", "X-RateLimit-Scope": "user"},
                )
        if not path.startswith(("/interactions/", "/webhooks/")) and captured.authorization != f"Bot {TOKEN}":
            return _json({"message": "401: Unauthorized", "code": 0}, status=401)
        self.requests.append(captured)
        try:
            return self._answer(captured)
        finally:
            await self._notify()

    def _answer(self, request: Request) -> web.StreamResponse:
        method, path = request.method, request.path
        if (method, path) == ("GET", "/users/@me"):
            return _json(payload("user_me"))
        if (method, path) == ("GET", "/oauth2/applications/@me"):
            return _json(payload("application_me"))
        if (method, path) in (("GET", "/gateway"), ("GET", "/gateway/bot")):
            return _json({
                "url": self.gateway_url, "shards": 2,
                "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1},
            })
        commands = re.fullmatch(r"/applications/(\d+)(?:/guilds/(\d+))?/commands", path)
        if commands and method == "PUT":
            scope = commands.group(2) or "global"
            stored = [{**c, "id": self.new_id(), "application_id": APP_ID, "version": self.new_id(),
                       "default_member_permissions": None, "type": c.get("type", 1),
                       "description": c.get("description", ""),
                       **({"guild_id": scope} if scope != "global" else {})} for c in request.json_list()]
            self.commands[scope] = stored
            return _json(stored)
        callback = re.fullmatch(r"/interactions/(\d+)/([^/]+)/callback", path)
        if callback and method == "POST":
            data = request.json
            kind = data["type"]
            interaction = {"id": callback.group(1), "type": 2, "response_message_loading": kind == 5,
                           "response_message_ephemeral": bool((data.get("data") or {}).get("flags", 0) & 64)}
            resource: dict[str, Any] = {"type": kind}
            if kind in (4, 7):
                message = self.message("0", data.get("data") or {})
                interaction["response_message_id"] = message["id"]
                resource["message"] = message
            return _json({"interaction": interaction, "resource": resource})
        started = re.fullmatch(r"/channels/(\d+)/messages/(\d+)/threads", path)
        if started and method == "POST":
            if self.threads_forbidden:
                return _json({"message": "Missing Permissions", "code": 50013}, status=403)
            return _json({
                "id": started.group(2), "type": 11, "guild_id": payload("guild_create")["id"],
                "parent_id": started.group(1), "owner_id": APP_ID, "name": request.json.get("name", ""),
                "last_message_id": None, "rate_limit_per_user": 0, "message_count": 0, "member_count": 1,
                "total_message_sent": 0, "flags": 0,
                "thread_metadata": {"archived": False, "archive_timestamp": "2025-03-14T09:27:00.000000+00:00",
                                    "auto_archive_duration": request.json.get("auto_archive_duration", 1440),
                                    "locked": False},
            })
        channel = re.fullmatch(r"/channels/(\d+)/messages", path)
        if channel and method == "POST":
            if channel.group(1) in self.posts_forbidden:
                return _json({"message": "Missing Permissions", "code": 50013}, status=403)
            return _json(self.message(channel.group(1), request.json))
        followup = re.fullmatch(r"/webhooks/(\d+)/([^/]+)", path)
        if followup and method == "POST":
            return _json(self.message("0", request.json))
        return _json({"message": "404: Not Found", "code": 0}, status=404)

    # gateway

    async def _gateway_socket(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        await socket.send_json({"op": 10, "d": {"heartbeat_interval": 41250, "_trace": ["fake"]}, "s": None, "t": None})
        shard: Shard | None = None
        async for frame in socket:
            if frame.type is not WSMsgType.TEXT:
                break
            message = json.loads(frame.data)
            op, data = message["op"], message["d"]
            if op == 1:
                await socket.send_json({"op": 11, "d": None, "s": None, "t": None})
            elif op == 2:
                self.identifies.append(data)
                shard_id, count = data.get("shard", [0, 1])
                shard = self.shards[shard_id] = Shard(socket, shard_id, count)
                ready = payload("ready")
                ready["resume_gateway_url"] = self.gateway_url
                ready["shard"] = [shard_id, count]
                guild = payload("guild_create")
                mine = (int(guild["id"]) >> 22) % count == shard_id
                ready["guilds"] = [{"id": guild["id"], "unavailable": True}] if mine else []
                await self.send_event(shard, "READY", ready)
                if mine:
                    await self.send_event(shard, "GUILD_CREATE", guild)
                shard.ready.set()
            elif op == 6:
                self.resumes.append(data)
                shard = next((s for s in self.shards.values() if s.socket.closed), None) or Shard(socket, 0, 1)
                shard.socket = socket
                self.shards[shard.shard_id] = shard
                await self.send_event(shard, "RESUMED", {"_trace": ["fake"]})
                shard.ready.set()
            await self._notify()
        return socket

    async def send_event(self, shard: Shard, event: str, data: dict[str, Any]) -> None:
        shard.sequence += 1
        await shard.socket.send_json({"op": 0, "t": event, "s": shard.sequence, "d": data})

    def shard_for(self, guild_id: str | None) -> Shard:
        first = next(iter(self.shards.values()))
        if guild_id is None:
            return self.shards.get(0, first)
        return self.shards.get((int(guild_id) >> 22) % first.shard_count, first)

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send a gateway event to the shard that owns its guild (shard 0 for DMs)."""
        shard = self.shard_for(data.get("guild_id"))
        await shard.ready.wait()
        await self.send_event(shard, event, data)

    async def disconnect(self, *, code: int = 4000) -> None:
        """Drop every gateway connection with ``code`` (4000, unknown error, is one a client may resume)."""
        for shard in self.shards.values():
            shard.ready.clear()
            await shard.socket.close(code=code, message=b"fake disconnect")

    # conversations

    async def interact(self, interaction: dict[str, Any], *, timeout: float = TIMEOUT) -> Request:
        """Send an INTERACTION_CREATE (with a fresh id and token) and return the callback the bot posts."""
        interaction = copy.deepcopy(interaction)
        interaction["id"], interaction["token"] = self.new_id(), f"token-{self.new_id()}"
        path = f"/interactions/{interaction['id']}/{interaction['token']}/callback"
        await self.dispatch("INTERACTION_CREATE", interaction)
        return await self.wait_for_request("POST", re.escape(path), timeout=timeout)

    async def say(self, message: dict[str, Any], *, timeout: float = TIMEOUT) -> Request:
        """Send a MESSAGE_CREATE (with a fresh id) and return the bot's message in that channel."""
        message = copy.deepcopy(message)
        message["id"] = message["nonce"] = self.new_id()
        self.said = message
        after = len(self.requests)
        await self.dispatch("MESSAGE_CREATE", message)
        return await self.wait_for_request("POST", f"/channels/{message['channel_id']}/messages", after=after,
                                           timeout=timeout)

    async def say_nothing_back(self, message: dict[str, Any], *, then: dict[str, Any]) -> Request:
        """Send ``message``, then ``then`` in the same channel; returns the first answer, which must be to ``then``
        (events are handled in order, so no answer to ``message`` can come after it)."""
        message = copy.deepcopy(message)
        message["id"] = self.new_id()
        after = len(self.requests)
        await self.dispatch("MESSAGE_CREATE", message)
        answer = await self.say(then)
        first = next(r for r in self.requests[after:] if r.method == "POST" and "/messages" in r.path)
        assert first is answer
        return answer


@dataclass
class RunningBot:
    """A whoswho client connected to the fake."""

    client: discord.Client
    tree: discord.app_commands.CommandTree[Any]
    task: asyncio.Task[None]

    async def stop(self) -> None:
        await self.client.close()
        with contextlib.suppress(asyncio.CancelledError, discord.ConnectionClosed):
            await asyncio.wait_for(self.task, TIMEOUT)


async def start_bot(advisor: Advisor, *, state_file: Path, guild_id: int | None = None,
                    shard_count: int | None = None, watch: Watch | None = None, **options: Any) -> RunningBot:
    """Start whoswho against the fake (which discord.py must already point at) and wait until it is ready."""
    settings = DiscordSettings(token=TOKEN, guild_id=guild_id, shard_count=shard_count)
    client, tree = create_client(advisor, settings, watch=watch, guild_ready_timeout=0.01, **options)
    task = asyncio.create_task(serve(client, tree, token=TOKEN, guild_id=guild_id, state_file=state_file))
    ready = asyncio.create_task(client.wait_until_ready())
    done, _ = await asyncio.wait({task, ready}, timeout=TIMEOUT, return_when=asyncio.FIRST_COMPLETED)
    if ready not in done:
        ready.cancel()
        if task in done:
            task.result()  # the start task died: raise why
        raise TimeoutError("the client did not become ready")
    return RunningBot(client, tree, task)


@pytest.fixture
async def fake_discord(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    """The fake Discord, with discord.py pointed at it for this test."""
    fake = await FakeDiscord().start()
    fake.point_discord_py_here(monkeypatch)
    try:
        yield fake
    finally:
        await fake.close()


@pytest.fixture
def captured() -> Callable[[str], dict[str, Any]]:
    """``captured("interaction_command")``: a fresh copy of a captured payload."""
    return payload


@pytest.fixture
def state_file(tmp_path: Path) -> Path:
    """Where the bot keeps the hash of its synced commands."""
    return tmp_path / "data" / "discord-commands.json"


@pytest.fixture
async def start(fake_discord: FakeDiscord, fresh_advisor: Advisor,
                state_file: Path) -> AsyncIterator[Callable[..., Any]]:
    """``await start()`` runs whoswho (a fresh advisor) against the fake; every bot started is stopped after."""
    bots: list[RunningBot] = []

    async def launch(advisor: Advisor | None = None, **options: Any) -> RunningBot:
        options.setdefault("state_file", state_file)
        bot = await start_bot(advisor or fresh_advisor, **options)
        bots.append(bot)
        return bot

    yield launch
    for bot in bots:
        await bot.stop()


@pytest.fixture
async def bot(start: Callable[..., Any]) -> RunningBot:
    """whoswho running against the fake."""
    running: RunningBot = await start()
    return running
