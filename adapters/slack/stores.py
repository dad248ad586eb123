"""Where multi-workspace installs live (SQLAlchemy) and how the OAuth ``state`` is checked (signed, stateless)."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import secrets
import time
from pathlib import Path
from typing import Any

import sqlalchemy
from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore

from adapters.files import private_sqlite
from adapters.records.store import database_url as records_url

_log = logging.getLogger(__name__)


class SQLAlchemyStore(AsyncInstallationStore):
    """slack-sdk's SQLAlchemy installation store for Bolt's async app.

    The store's queries are blocking; they run in a worker thread so the event loop keeps serving.
    Any SQLAlchemy URL with a synchronous driver works (SQLite by default, PostgreSQL, MySQL).
    """

    def __init__(self, *, client_id: str, database_url: str) -> None:
        url = records_url(database_url)
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            private_sqlite(Path(url.database).expanduser())
        self.sync = SQLAlchemyInstallationStore(client_id=client_id, engine=sqlalchemy.create_engine(url),
                                                logger=_log)
        self.sync.create_tables()  # type: ignore[no-untyped-call]

    @property
    def logger(self) -> logging.Logger:
        return _log

    async def async_save(self, installation: Installation) -> None:
        await asyncio.to_thread(self.sync.save, installation)

    async def async_save_bot(self, bot: Bot) -> None:
        await asyncio.to_thread(self.sync.save_bot, bot)

    async def async_find_bot(self, *, enterprise_id: str | None, team_id: str | None,
                             is_enterprise_install: bool | None = False) -> Bot | None:
        return await asyncio.to_thread(self.sync.find_bot, enterprise_id=enterprise_id, team_id=team_id,
                                       is_enterprise_install=is_enterprise_install)

    async def async_find_installation(self, *, enterprise_id: str | None, team_id: str | None,
                                      user_id: str | None = None,
                                      is_enterprise_install: bool | None = False) -> Installation | None:
        return await asyncio.to_thread(self.sync.find_installation, enterprise_id=enterprise_id, team_id=team_id,
                                       user_id=user_id, is_enterprise_install=is_enterprise_install)

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await asyncio.to_thread(self.sync.delete_bot, enterprise_id=enterprise_id, team_id=team_id)

    async def async_delete_installation(self, *, enterprise_id: str | None, team_id: str | None,
                                        user_id: str | None = None) -> None:
        await asyncio.to_thread(self.sync.delete_installation, enterprise_id=enterprise_id, team_id=team_id,
                                user_id=user_id)


class SignedStateStore(AsyncOAuthStateStore):
    """OAuth ``state`` values signed with ``SLACK_STATE_SECRET``: nothing to store, valid across restarts
    and processes, and expiring after ``expiration_seconds``. Bolt also binds each state to the
    installer's browser with a cookie."""

    def __init__(self, *, secret: str, expiration_seconds: int = 600) -> None:
        self._key = secret.encode()
        self.expiration_seconds = expiration_seconds

    @property
    def logger(self) -> logging.Logger:
        return _log

    def _sign(self, payload: str) -> str:
        return hmac.new(self._key, payload.encode(), hashlib.sha256).hexdigest()

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        payload = f"{int(time.time())}.{secrets.token_urlsafe(16)}"
        return f"{payload}.{self._sign(payload)}"

    async def async_consume(self, state: str) -> bool:
        payload, _, signature = state.rpartition(".")
        issued, _, _nonce = payload.partition(".")
        if not issued.isdigit() or not hmac.compare_digest(signature, self._sign(payload)):
            return False
        return 0 <= time.time() - int(issued) <= self.expiration_seconds
