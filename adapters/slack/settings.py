"""Slack settings, read once from the environment and validated with a message for each variable."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from adapters.records.settings import database_url
from adapters.urls import credentials, masked
from bot import ConfigError

README_SLACK = "see README, section 'Slack'"

_BOT_TOKEN = re.compile(r"xoxb-[A-Za-z0-9-]+")
_APP_TOKEN = re.compile(r"xapp-[A-Za-z0-9-]+")
_SECRET = re.compile(r"[A-Za-z0-9._~+/=-]{8,}")
_OAUTH = ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_STATE_SECRET")


def _fail(variable: str, problem: str) -> ConfigError:
    return ConfigError(f"{variable}: {problem} ({README_SLACK})")


def _get(environ: Mapping[str, str], name: str) -> str | None:
    value = environ.get(name, "").strip()
    return value or None


@dataclass(frozen=True)
class SlackSettings:
    """How the Slack app connects: tokens, signing secret, Web API address, OAuth and its database.

    The secrets are left out of ``repr`` so that a settings object printed by accident shows none.
    """

    bot_token: str | None = field(default=None, repr=False)
    signing_secret: str | None = field(default=None, repr=False)
    app_token: str | None = field(default=None, repr=False)
    api_url: str | None = None
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)
    state_secret: str | None = field(default=None, repr=False)
    database_url: str = field(default="sqlite://", repr=False)

    @property
    def socket_mode(self) -> bool:
        """Socket Mode (no public URL needed) when an app-level token is set."""
        return self.app_token is not None

    @property
    def oauth(self) -> bool:
        """The OAuth install flow, for more than one workspace."""
        return self.client_id is not None

    @property
    def secrets(self) -> tuple[str, ...]:
        """Every secret value, for redacting logs."""
        values = (self.bot_token, self.signing_secret, self.app_token, self.client_secret, self.state_secret,
                  *credentials(self.api_url), *credentials(self.database_url))
        return tuple(v for v in values if v)

    @classmethod
    def from_env(cls, environ: Mapping[str, str], *, data_dir: Path) -> SlackSettings:
        """Settings from ``SLACK_*`` and ``WHOSWHO_DATABASE_URL``; raises :class:`ConfigError` naming the variable."""
        bot_token = _get(environ, "SLACK_BOT_TOKEN")
        signing_secret = _get(environ, "SLACK_SIGNING_SECRET")
        app_token = _get(environ, "SLACK_APP_TOKEN")
        oauth = {name: _get(environ, name) for name in _OAUTH}

        if app_token is not None and not _APP_TOKEN.fullmatch(app_token):
            raise _fail("SLACK_APP_TOKEN", "should start with 'xapp-'")
        if bot_token is not None and not _BOT_TOKEN.fullmatch(bot_token):
            raise _fail("SLACK_BOT_TOKEN", "should start with 'xoxb-'")
        if signing_secret is not None and not _SECRET.fullmatch(signing_secret):
            raise _fail("SLACK_SIGNING_SECRET", "does not look like a signing secret")

        oauth_on = any(oauth.values())
        if oauth_on:
            for name, value in oauth.items():
                if value is None:
                    raise _fail(name, "is not set: the OAuth install flow needs SLACK_CLIENT_ID, "
                                "SLACK_CLIENT_SECRET and SLACK_STATE_SECRET together")
            if app_token is not None:
                raise _fail("SLACK_APP_TOKEN", "Socket Mode cannot serve the OAuth install pages; "
                            "unset it (HTTP mode) or unset SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET")
            state_secret = oauth["SLACK_STATE_SECRET"] or ""
            if len(state_secret) < 16:
                raise _fail("SLACK_STATE_SECRET", "is too short: use at least 16 random characters")
        elif bot_token is None:
            raise _fail("SLACK_BOT_TOKEN", "is not set: copy the Bot User OAuth Token (xoxb-...) "
                        "from OAuth & Permissions")
        if app_token is None and signing_secret is None:
            raise _fail("SLACK_SIGNING_SECRET", "is not set: HTTP mode verifies every request with it "
                        "(Basic Information, App Credentials), or set SLACK_APP_TOKEN for Socket Mode")

        return cls(
            bot_token=bot_token,
            signing_secret=signing_secret,
            app_token=app_token,
            api_url=_api_url(_get(environ, "SLACK_API_URL")),
            client_id=oauth["SLACK_CLIENT_ID"],
            client_secret=oauth["SLACK_CLIENT_SECRET"],
            state_secret=oauth["SLACK_STATE_SECRET"],
            # One database for the installs and the records (adapters.records).
            database_url=database_url(_get(environ, "WHOSWHO_DATABASE_URL"), data_dir, readme_section="Slack"),
        )


def _api_url(raw: str | None) -> str | None:
    if raw is None:
        return None
    try:
        parts = urlsplit(raw)
        usable = parts.scheme in ("http", "https") and bool(parts.hostname) and (parts.port or 0) >= 0
    except ValueError:  # a port that is not a number
        usable = False
    if not usable:
        raise _fail("SLACK_API_URL", f"{masked(raw)!r} is not an http(s) URL such as https://slack.com/api/")
    # The Web API client joins method names onto the base URL, which needs its trailing slash.
    return raw if raw.endswith("/") else raw + "/"



