"""Alembic's environment: migrations run on the connection :func:`adapters.records.store.migrate` passes in."""

from __future__ import annotations

from alembic import context

from adapters.records.schema import metadata
from adapters.records.store import VERSION_TABLE

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, version_table=VERSION_TABLE)
with context.begin_transaction():
    context.run_migrations()
