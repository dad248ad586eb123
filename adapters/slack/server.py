"""HTTP mode: Bolt's ``AsyncApp`` behind an aiohttp server, with a health check and the OAuth pages."""

from __future__ import annotations

import logging

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp

_log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"


def slack_routes(app: AsyncApp) -> list[web.RouteDef]:
    """Slack's endpoints for an aiohttp server: ``POST /slack/events`` and, with OAuth on,
    ``GET /slack/install`` and ``GET /slack/oauth_redirect``."""

    async def events(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await app.async_dispatch(await to_bolt_request(request)))

    routes = [web.post(EVENTS_PATH, events)]
    flow = app.oauth_flow
    if flow is not None:

        async def install(request: web.Request) -> web.Response:
            return await to_aiohttp_response(await flow.handle_installation(await to_bolt_request(request)))

        async def redirect(request: web.Request) -> web.Response:
            return await to_aiohttp_response(await flow.handle_callback(await to_bolt_request(request)))

        routes += [web.get(flow.install_path, install), web.get(flow.redirect_uri_path, redirect)]
    return routes


def web_application(app: AsyncApp) -> web.Application:
    """An aiohttp application: Slack's endpoints (:func:`slack_routes`) and ``GET /healthz``."""

    async def health(request: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    web_app = web.Application()
    web_app.add_routes([*slack_routes(app), web.get(HEALTH_PATH, health)])
    return web_app


async def start_http(app: AsyncApp, *, host: str = "0.0.0.0", port: int = 3000) -> tuple[web.AppRunner, int]:
    """Start serving; returns the runner (``await runner.cleanup()`` stops it) and the bound port."""
    # No access log: OAuth redirects carry the one-time code in their query string.
    runner = web.AppRunner(web_application(app), access_log=None, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    bound = runner.addresses[0][1] if runner.addresses else port
    return runner, int(bound)
