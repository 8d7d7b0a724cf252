"""The event store: SQL persistence (SQLite or PostgreSQL), schema migrations and exports.

    repo = open_repository("out/events.db")      # or "postgresql://user@host/db"
    repo.save_results(results, run_id=repo.start_run(inputs))
    write_rows(repo.iter_events(), "parquet", "events.parquet")

The tables and the export shapes are documented in docs/schema.md.
"""

from eventwire.store.export import ExportError, write_rows
from eventwire.store.repository import Repository, StoreError, database_url, open_repository

__all__ = ["ExportError", "Repository", "StoreError", "database_url", "open_repository", "write_rows"]
