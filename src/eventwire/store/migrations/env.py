"""Alembic environment: runs migrations on the connection handed over by `eventwire.store.migrate`."""

from __future__ import annotations

from alembic import context

from eventwire.store.queries.derived import is_derived_name
from eventwire.store.schema import metadata

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through eventwire.store.migrate (it supplies the connection)")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    # search and aggregate tables are maintained by eventwire.store.queries.derived, not declared in schema.py
    include_name=lambda name, type_, parents: not is_derived_name(name),
)
with context.begin_transaction():
    context.run_migrations()
