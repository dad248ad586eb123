"""Slack fixtures: a fake Slack Web API on 127.0.0.1 that records what it receives, the real Bolt app
served over HTTP in front of it, and a client that sends signed requests like Slack does."""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
import logging
import time
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from aiohttp import ClientSession, ClientTimeout, web
from slack_sdk.signature import SignatureVerifier

from adapters.slack import SlackSettings, build_app
from adapters.slack.server import start_http
from adapters.watch import Watch, WatchedChannels, WatchSettings
from bot import Advisor

PAYLOADS = Path(__file__).parent / "payloads"
BOT_TOKEN = "xoxb-1111-2222-testtokenvalue"
SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
TEAM = "T0001"
BOT_USER = "UBOT"


def payload(name: str) -> dict[str, Any]:
    """A captured Slack payload from ``payloads/NAME.json`` (a fresh copy to tweak)."""
    data: dict[str, Any] = json.loads((PAYLOADS / f"{name}.json").read_text(encoding="utf-8"))
    return copy.deepcopy(data)


@dataclass
class Call:
    """One request the fake Slack received: the Web API method (or ``respond:NAME``), its arguments and headers."""

    method: str
    args: dict[str, Any]
    headers: Mapping[str, str] = field(repr=False)


class FakeSlack:
    """A stand-in for slack.com: the Web API under ``/api/``, response URLs under ``/respond/``,
    and Socket Mode's websocket under ``/socket``. Responses can be scripted per method."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.scripts: dict[str, list[dict[str, Any]]] = {}
        self.installed: dict[str, Any] = payload("oauth_v2_access")
        self.socket_messages: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.socket_outbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._changed = asyncio.Condition()
        self._ts = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.port = 0

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self, name: str = "default") -> str:
        return f"http://127.0.0.1:{self.port}/respond/{name}"

    def script(self, method: str, *responses: dict[str, Any]) -> None:
        """The next calls of ``method`` get these responses (``status``, ``headers``, ``body``, ``delay``), in order."""
        self.scripts.setdefault(method, []).extend(responses)

    def calls_of(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    async def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Wait until ``method`` has been called ``count`` times; its calls."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: len(self.calls_of(method)) >= count), timeout)
        return self.calls_of(method)

    async def start(self, port: int = 0) -> None:
        """Listen on ``port`` of 127.0.0.1 (any free one by default)."""
        app = web.Application()
        app.add_routes([web.post("/api/{method}", self._api), web.get("/api/{method}", self._api),
                        web.post("/respond/{name}", self._respond),
                        web.get("/socket", self._socket)])
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _record(self, call: Call) -> None:
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    async def _api(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        args: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            args.update(await request.json())
        else:
            args.update(dict(await request.post()))
        await self._record(Call(method, args, dict(request.headers)))
        scripted = self.scripts.get(method)
        if scripted:
            step = scripted.pop(0)
            if "delay" in step:
                await asyncio.sleep(step["delay"])  # the fake Slack being slow, not the test waiting
            if "status" in step:
                return web.json_response(step.get("body", {"ok": False, "error": "scripted"}),
                                         status=step["status"], headers=step.get("headers"))
            if "body" in step:
                return web.json_response(step["body"])
        return web.json_response(self._answer(method, args, request.headers.get("Authorization", "")))

    def _answer(self, method: str, args: dict[str, Any], authorization: str) -> dict[str, Any]:
        if method == "auth.test":
            installed = authorization == f"Bearer {self.installed['access_token']}"
            return {"ok": True, "url": "https://example.slack.com/", "team": "Example",
                    "user": "whoswho", "team_id": self.installed["team"]["id"] if installed else TEAM,
                    "user_id": self.installed["bot_user_id"] if installed else BOT_USER, "bot_id": "BBOT",
                    "is_enterprise_install": False}
        if method == "chat.postMessage":
            return {"ok": True, "channel": args.get("channel"), "ts": f"{int(time.time())}.{next(self._ts):06d}",
                    "message": {"text": args.get("text"), "bot_id": "BBOT"}}
        if method == "chat.getPermalink":
            return {"ok": True, "channel": args.get("channel"),
                    "permalink": f"https://example.slack.com/archives/{args.get('channel')}/"
                                 f"p{str(args.get('message_ts', '')).replace('.', '')}"}
        if method == "views.publish":
            return {"ok": True, "view": {"id": "V0001", **(args.get("view") or {})}}
        if method == "oauth.v2.access":
            return self.installed
        if method == "apps.connections.open":
            return {"ok": True, "url": f"ws://127.0.0.1:{self.port}/socket"}
        return {"ok": False, "error": "unknown_method"}

    async def _respond(self, request: web.Request) -> web.Response:
        await self._record(Call(f"respond:{request.match_info['name']}", await request.json(), dict(request.headers)))
        return web.Response(text="ok")

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        """Socket Mode: say hello, send what the test queues, record the app's acks."""
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_json({"type": "hello", "num_connections": 1, "debug_info": {"host": "fake"}})

        async def pump() -> None:
            while True:
                await ws.send_json(await self.socket_outbox.get())

        sender = asyncio.create_task(pump())
        try:
            async for message in ws:
                if message.type.name == "TEXT":
                    await self._record(Call("socket:ack", json.loads(message.data), {}))
        finally:
            sender.cancel()
        return ws


@dataclass
class Sent:
    """What the app answered to one signed request."""

    status: int
    body: str
    seconds: float

    @property
    def json(self) -> Any:
        return json.loads(self.body)


_DELIVERIES = itertools.count(1)


def fresh_id(prefix: str) -> str:
    """A new delivery id, as Slack gives each event (``event_id``) and each command or click (``trigger_id``)."""
    return f"{prefix}{next(_DELIVERIES):010d}"


class SlackSender:
    """Sends requests to the app the way Slack does: signed with the signing secret, each command, event and
    click with ids of its own."""

    def __init__(self, url: str, fake: FakeSlack, session: ClientSession, secret: str = SIGNING_SECRET) -> None:
        self.url = url
        self.fake = fake
        self.session = session
        self.verifier = SignatureVerifier(secret)

    async def post(self, body: str, content_type: str, *, timestamp: int | None = None,
                   signature: str | None = None, path: str = "/slack/events") -> Sent:
        stamp = str(timestamp if timestamp is not None else int(time.time()))
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": signature or self.verifier.generate_signature(timestamp=stamp, body=body),
        }
        started = time.perf_counter()
        async with self.session.post(self.url + path, data=body.encode(), headers=headers) as response:
            text = await response.text()
        return Sent(response.status, text, time.perf_counter() - started)

    async def command(self, text: str, *, response_url: str = "command", signature: str | None = None,
                      **fields: str) -> Sent:
        """``/whoswho TEXT`` from the captured command payload."""
        form = {**payload("command"), "text": text, "response_url": self.fake.response_url(response_url),
                "trigger_id": fresh_id("13345224609.738474920."), **fields}
        return await self.post(urlencode(form), "application/x-www-form-urlencoded", signature=signature)

    async def event(self, name: str | dict[str, Any], **event_fields: Any) -> Sent:
        """An Events API callback: a captured payload by name, or a whole body, with event fields replaced."""
        body = payload(name) if isinstance(name, str) else name
        body["event"].update(event_fields)
        body["event_id"] = fresh_id("Ev")
        return await self.post(json.dumps(body), "application/json")

    async def action(self, body: dict[str, Any], *, response_url: str = "action") -> Sent:
        """A block_actions payload (a button click)."""
        body = {**body, "response_url": self.fake.response_url(response_url),
                "trigger_id": fresh_id("12321423423.333649436676.")}
        return await self.post(urlencode({"payload": json.dumps(body)}), "application/x-www-form-urlencoded")


@pytest.fixture(autouse=True)
def clean_slack_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Bolt reads SLACK_* variables itself; tests must not pick up a developer's real ones."""
    import os

    for name in list(os.environ):
        if name.startswith("SLACK_") or name == "WHOSWHO_DATABASE_URL":
            monkeypatch.delenv(name)


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlack]:
    fake = FakeSlack()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
def slack_settings(fake_slack: FakeSlack) -> SlackSettings:
    return SlackSettings(bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET, api_url=fake_slack.api_url)


@pytest.fixture
async def slack(fake_slack: FakeSlack, slack_settings: SlackSettings, fresh_advisor: Advisor
                ) -> AsyncIterator[SlackSender]:
    """The whoswho Bolt app served on 127.0.0.1 in HTTP mode, in front of the fake Slack; a signed sender."""
    app = build_app(slack_settings, fresh_advisor, api_timeout=1.0)
    runner, port = await start_http(app, host="127.0.0.1", port=0)
    async with ClientSession(timeout=ClientTimeout(total=10)) as session:
        yield SlackSender(f"http://127.0.0.1:{port}", fake_slack, session)
    await runner.cleanup()


class LogWatcher(logging.Handler):
    """Collects log records and lets a test wait for one (records arrive on the event loop's thread)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self._arrived = asyncio.Event()

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)
        self._arrived.set()

    @property
    def text(self) -> str:
        return "\n".join(self.format(r) for r in self.records)

    async def wait_for(self, needle: str, timeout: float = 5.0) -> logging.LogRecord:
        """The first record whose message contains ``needle``, waiting for it if need be."""

        async def found() -> logging.LogRecord:
            while True:
                for record in self.records:
                    if needle in record.getMessage():
                        return record
                self._arrived.clear()
                await self._arrived.wait()

        return await asyncio.wait_for(found(), timeout)


@pytest.fixture
def logs() -> Iterator[LogWatcher]:
    """Every log record from the app at INFO and above, to wait on and inspect."""
    watcher = LogWatcher()
    watcher.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    previous = root.level
    root.addHandler(watcher)
    root.setLevel(logging.INFO)
    yield watcher
    root.removeHandler(watcher)
    root.setLevel(previous)


#: The admin of the watch-mode fixtures: steve, who sends the captured command and opens the Home tab.
WATCH_ADMIN = "U2147483697"


@pytest.fixture
def watch(tmp_path: Path) -> Watch:
    return Watch(WatchSettings(admins=frozenset({f"slack:{WATCH_ADMIN}"})),
                 WatchedChannels(tmp_path / "watched.json"))


@pytest.fixture
async def watching(fake_slack: FakeSlack, slack_settings: SlackSettings, fresh_advisor: Advisor,
                   watch: Watch) -> AsyncIterator[SlackSender]:
    """The app with watch mode, admins and all; no channel is watched until an admin says so."""
    app = build_app(slack_settings, fresh_advisor, api_timeout=1.0, watch=watch)
    runner, port = await start_http(app, host="127.0.0.1", port=0)
    async with ClientSession(timeout=ClientTimeout(total=10)) as session:
        yield SlackSender(f"http://127.0.0.1:{port}", fake_slack, session)
    await runner.cleanup()
