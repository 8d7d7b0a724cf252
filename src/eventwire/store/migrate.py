"""Schema migrations: bring a database to the current schema, and create new migration scripts.

Migration scripts live in `migrations/versions/` and are named `NNNN_slug.py` with revision id
`NNNN` (0001, 0002, ...), each revising the previous one. Because ids follow the file names,
the head revision is known without importing Alembic, so opening an up-to-date database
costs one small query; Alembic is loaded only when there is something to migrate.

New migration (after editing `schema.py`)::

    python -m eventwire.store.migrations revision -m "add events.url"

writes `migrations/versions/0002_add_events_url.py` with the operations Alembic detects
between the previous head and `schema.py`; review it, then commit it.
"""

from __future__ import annotations

import argparse
import re
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
VERSIONS_DIR = MIGRATIONS_DIR / "versions"
VERSION_TABLE = "alembic_version"
_REVISION_FILE = re.compile(r"^(\d{4})_\w+\.py$")
#: Execution option marking write transactions (SQLite begins them IMMEDIATE).
WRITER_OPTION = "eventwire_writer"
#: PostgreSQL advisory lock key serialising concurrent migrations of one database.
MIGRATION_LOCK_KEY = 0x6576_7477  # "evtw"


class SchemaError(RuntimeError):
    """The database schema cannot be brought to the revision this code expects."""


@lru_cache(maxsize=1)
def known_revisions() -> tuple[str, ...]:
    """Revision ids of the migration scripts shipped with the package, oldest first."""
    found = (_REVISION_FILE.match(p.name) for p in VERSIONS_DIR.iterdir())
    return tuple(sorted(m.group(1) for m in found if m))


def head_revision() -> str:
    """The newest revision: the schema described by `schema.py`."""
    return known_revisions()[-1]


def current_revision(connection: sa.Connection) -> str | None:
    """The revision recorded in the database, or None for a database without a schema."""
    if not sa.inspect(connection).has_table(VERSION_TABLE):
        return None
    return connection.execute(sa.text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()


def upgrade(engine: sa.Engine) -> bool:
    """Create or migrate the schema to the head revision; return True if anything was run."""
    with engine.connect() as connection:
        current = current_revision(connection)
    if current == head_revision():
        return False
    if current is not None and current not in known_revisions():
        raise SchemaError(f"database schema revision {current} is newer than this eventwire (head {head_revision()})")
    _run_alembic_upgrade(engine)
    return True


def alembic_config(connection: sa.Connection | None = None) -> Config:
    """An Alembic configuration built in code (no alembic.ini), bound to `connection`."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def _run_alembic_upgrade(engine: sa.Engine) -> None:
    """Upgrade in one locked transaction; a concurrent opener waits, then finds nothing to do."""
    from alembic import command

    with engine.execution_options(**{WRITER_OPTION: True}).begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        command.upgrade(alembic_config(connection), "head")


def _next_revision_id() -> str:
    return f"{int(head_revision()) + 1:04d}"


def new_revision(message: str, autogenerate: bool = True) -> Path:
    """Write the next migration script; with `autogenerate`, fill it with the changes in `schema.py`."""
    from alembic import command

    revision_id = _next_revision_id()
    with tempfile.TemporaryDirectory() as tmp:
        engine = sa.create_engine(sa.URL.create("sqlite", database=str(Path(tmp) / "head.db")))
        try:
            _run_alembic_upgrade(engine)
            with engine.begin() as connection:
                config = alembic_config(connection)
                command.revision(config, message=message, autogenerate=autogenerate, rev_id=revision_id)
        finally:
            engine.dispose()
    known_revisions.cache_clear()
    return next(VERSIONS_DIR.glob(f"{revision_id}_*.py"))


def main(argv: list[str] | None = None) -> None:
    """`python -m eventwire.store.migrations revision -m MESSAGE [--empty]`."""
    parser = argparse.ArgumentParser(prog="python -m eventwire.store.migrations")
    commands = parser.add_subparsers(dest="command", required=True)
    revision = commands.add_parser("revision", help="write the next migration script")
    revision.add_argument("-m", "--message", required=True)
    revision.add_argument("--empty", action="store_true", help="do not compare with schema.py")
    args = parser.parse_args(argv)
    path = new_revision(args.message, autogenerate=not args.empty)
    print(path)
