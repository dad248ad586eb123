"""What users asked and how they voted, kept in the team's own database for the curators."""

from adapters.records.settings import RecordsSettings
from adapters.records.store import Records, digest, migrate, open_records

__all__ = ["Records", "RecordsSettings", "digest", "migrate", "open_records"]
