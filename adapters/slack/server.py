"""HTTP mode: Bolt's ``AsyncApp`` behind an aiohttp server, with a health check and the OAuth pages.

Every request to ``POST /slack/events`` is checked against the signing secret before anything reads its body
(slack-sdk's :class:`~slack_sdk.signature.SignatureVerifier`, the check Bolt itself makes, but Bolt parses the
body first and logs a refused one whole). A refused request costs one short log line and is answered 401; a
signed body that cannot be read is answered 400.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Mapping

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.signature import SignatureVerifier

from adapters.http import SHUTDOWN_SECONDS, RequestsInFlight
from adapters.slack.app import commands_app

_log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
#: Slack's window for a signed request, in seconds (slack-sdk refuses older ones too).
SIGNATURE_WINDOW_SECONDS = 5 * 60
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")
REFUSED = {"error": "invalid request"}


def refusal(verifier: SignatureVerifier, body: str, headers: Mapping[str, str], *,
            now: float | None = None) -> str | None:
    """Why a request is not Slack's (``missing signature``, ``malformed timestamp``, ``stale timestamp``,
    ``malformed signature``, ``bad signature``), or ``None`` when Slack signed it within the last five minutes."""
    timestamp = headers.get("X-Slack-Request-Timestamp", "")
    signature = headers.get("X-Slack-Signature", "")
    if not timestamp or not signature:
        return "missing signature"
    if not _TIMESTAMP.fullmatch(timestamp):
        return "malformed timestamp"
    if abs((time.time() if now is None else now) - int(timestamp)) > SIGNATURE_WINDOW_SECONDS:
        return "stale timestamp"
    if not _SIGNATURE.fullmatch(signature):
        return "malformed signature"
    if not verifier.is_valid(body, timestamp, signature):
        return "bad signature"
    return None


def _refuse(request: web.Request, status: int, reason: str, size: int) -> web.Response:
    """One short line (never the body, whose form fields carry the question and the verification token)."""
    _log.warning("Refused a Slack request (%d): %s %s, %s, %d bytes", status, request.method, request.path[:100],
                 reason, size)
    return web.json_response(REFUSED, status=status)


def slack_routes(app: AsyncApp, *, signing_secret: str | None = None) -> list[web.RouteDef]:
    """Slack's endpoints for an aiohttp server: ``POST /slack/events`` and, with OAuth on,
    ``GET /slack/install`` and ``GET /slack/oauth_redirect``. Requests are verified with ``signing_secret``
    (by default the secret the app was built with)."""
    # Bolt keeps the secret it was built with to itself; build_app turns Bolt's own check off, as this one replaces it.
    secret = signing_secret or app._signing_secret
    verifier = SignatureVerifier(secret) if secret else None

    async def events(request: web.Request) -> web.Response:
        raw = await request.read()  # bounded by the server's client_max_size (1 MiB)
        try:
            body = raw.decode("utf-8")  # what Slack sends, and what the signature is computed over
        except UnicodeDecodeError:
            return _refuse(request, 401, "body is not UTF-8", len(raw))
        reason = "no signing secret" if verifier is None else refusal(verifier, body, request.headers)
        if reason is not None:
            return _refuse(request, 401, reason, len(raw))
        try:
            bolt_request = AsyncBoltRequest(body=body, query=request.query_string,
                                            headers=request.headers)  # type: ignore[arg-type]
        except Exception:  # Slack signed it, but it is not a payload Bolt can read
            return _refuse(request, 400, "unreadable body", len(raw))
        target = (commands_app(app) or app) if "command" in bolt_request.body else app
        return await to_aiohttp_response(await target.async_dispatch(bolt_request))

    routes = [web.post(EVENTS_PATH, events)]
    flow = app.oauth_flow
    if flow is not None:

        async def install(request: web.Request) -> web.Response:
            return await to_aiohttp_response(await flow.handle_installation(await to_bolt_request(request)))

        async def redirect(request: web.Request) -> web.Response:
            return await to_aiohttp_response(await flow.handle_callback(await to_bolt_request(request)))

        routes += [web.get(flow.install_path, install), web.get(flow.redirect_uri_path, redirect)]
    return routes


def web_application(app: AsyncApp, *, signing_secret: str | None = None,
                    requests: RequestsInFlight | None = None) -> web.Application:
    """An aiohttp application: Slack's endpoints (:func:`slack_routes`) and ``GET /healthz``."""

    async def health(request: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    web_app = web.Application(middlewares=[] if requests is None else [requests.middleware])
    web_app.add_routes([*slack_routes(app, signing_secret=signing_secret), web.get(HEALTH_PATH, health)])
    return web_app


async def start_http(app: AsyncApp, *, host: str = "0.0.0.0", port: int = 3000, signing_secret: str | None = None,
                     shutdown_seconds: float = SHUTDOWN_SECONDS,
                     requests: RequestsInFlight | None = None) -> tuple[web.AppRunner, int]:
    """Start serving; returns the runner (``await runner.cleanup()`` stops it, letting the requests already
    accepted finish for up to ``shutdown_seconds``) and the bound port."""
    # No access log: OAuth redirects carry the one-time code in their query string.
    runner = web.AppRunner(web_application(app, signing_secret=signing_secret, requests=requests), access_log=None,
                           handle_signals=False, shutdown_timeout=shutdown_seconds)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    bound = runner.addresses[0][1] if runner.addresses else port
    return runner, int(bound)
