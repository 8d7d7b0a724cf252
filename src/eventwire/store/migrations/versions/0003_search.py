"""search

Full-text search and view aggregates: on SQLite, FTS5 tables over articles (title, text)
and events/canonical events (actor names, predicate, evidence sentences) plus dyad
aggregates, all kept in sync by triggers; on PostgreSQL, GIN `to_tsvector` expression
indexes. Both get `ix_ui_*` lookup indexes. The objects are defined in
`eventwire.store.queries.derived` (`derived_schema_statements`), which also rebuilds them
(`refresh_search`); a later change to those definitions needs a migration of its own.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 09:00:00.000000
"""

from __future__ import annotations

from alembic import op

from eventwire.store.queries import derived

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    connection = op.get_bind()
    derived.install_derived_schema(connection)
    derived.rebuild_derived(connection)


def downgrade() -> None:
    derived.drop_derived_schema(op.get_bind())
