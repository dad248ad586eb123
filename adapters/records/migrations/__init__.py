"""Alembic migrations of the records tables, shipped in the package so they run from an installed wheel."""
