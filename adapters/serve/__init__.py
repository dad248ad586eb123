"""``whoswho serve``: every configured platform in one process, with health, readiness, metrics,
a per-user rate limit, knowledge reloads and a graceful stop."""

from __future__ import annotations

import argparse
import asyncio
import logging
from collections.abc import Mapping

from adapters.logs import configure_logging
from adapters.records import RecordsSettings
from adapters.serve.metrics import Metrics
from adapters.serve.reload import KnowledgeReloader
from adapters.serve.server import Service, serve
from adapters.serve.settings import ServeSettings
from adapters.settings import CoreSettings
from adapters.urls import credentials

_log = logging.getLogger(__name__)


def run(args: argparse.Namespace, settings: CoreSettings, environ: Mapping[str, str]) -> int:
    """Run ``whoswho serve`` until stopped; raises :class:`~bot.ConfigError` for a bad or missing setting."""
    serving = ServeSettings.from_env(environ, data_dir=settings.data_dir, port=args.port, host=args.host,
                                     log_format=args.log_format, watch=args.watch)
    configure_logging(secrets=(*serving.secrets, *credentials(settings.redis_url),
                               *credentials(environ.get("WHOSWHO_DATABASE_URL"))), json_lines=serving.json_logs)
    store = settings.make_store()
    advisor = settings.load_advisor(store)
    _log.info("Knowledge loaded: %d intents", len(advisor.knowledge))
    records = RecordsSettings.from_env(environ, data_dir=settings.data_dir)
    return asyncio.run(serve(serving, settings, advisor, records=records, store=store))


__all__ = ["KnowledgeReloader", "Metrics", "ServeSettings", "Service", "run", "serve"]
