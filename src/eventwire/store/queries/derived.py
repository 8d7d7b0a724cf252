"""The derived objects that keep the views fast (names starting `search_`, `agg_`, `ix_ui_`):
their DDL per dialect, installing, dropping, rebuilding and checking them."""

from __future__ import annotations

import re

import sqlalchemy as sa

from eventwire.store.migrate import WRITER_OPTION
from eventwire.store.queries.layers import LAYERS, Layer

DERIVED_PREFIXES = ("search_", "agg_", "ix_ui_")


def is_derived_name(name: str | None) -> bool:
    """Whether a table, index or trigger name belongs to the derived view objects (not `schema.py`)."""
    return bool(name) and str(name).startswith(DERIVED_PREFIXES)


_TOKENIZER = "porter unicode61 remove_diacritics 2"


def actors_sql(row: str) -> str:
    """SQL concatenating the actor texts and names of an event row alias (`new`, `e`)."""
    parts = ("source_text", "source_name", "target_text", "target_name")
    return " || ' ' || ".join(f"coalesce({row}.{part}, '')" for part in parts)


def _sqlite_article_search() -> list[str]:
    columns = "rowid, title, text"
    return [
        "CREATE VIRTUAL TABLE IF NOT EXISTS search_articles USING fts5("
        f"title, text, content='articles', content_rowid='rowid', tokenize='{_TOKENIZER}')",
        "CREATE TRIGGER IF NOT EXISTS search_articles_ai AFTER INSERT ON articles BEGIN "
        f"INSERT INTO search_articles({columns}) VALUES (new.rowid, new.title, new.text); END",
        "CREATE TRIGGER IF NOT EXISTS search_articles_ad AFTER DELETE ON articles BEGIN "
        f"INSERT INTO search_articles(search_articles, {columns}) "
        "VALUES ('delete', old.rowid, old.title, old.text); END",
        "CREATE TRIGGER IF NOT EXISTS search_articles_au AFTER UPDATE OF title, text ON articles BEGIN "
        f"INSERT INTO search_articles(search_articles, {columns}) "
        "VALUES ('delete', old.rowid, old.title, old.text); "
        f"INSERT INTO search_articles({columns}) VALUES (new.rowid, new.title, new.text); END",
    ]


def _sqlite_event_search(layer: Layer) -> list[str]:
    fts, table, mention_table = layer.search_table, layer.events.name, layer.mentions.name
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5(actors, predicate, sentences, tokenize='{_TOKENIZER}')",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, actors, predicate, sentences) "
        f"VALUES (new.rowid, {actors_sql('new')}, new.predicate, ''); END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ad AFTER DELETE ON {table} BEGIN "
        f"DELETE FROM {fts} WHERE rowid = old.rowid; END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_au AFTER UPDATE OF "
        f"source_text, source_name, target_text, target_name, predicate ON {table} BEGIN "
        f"UPDATE {fts} SET actors = {actors_sql('new')}, predicate = new.predicate "
        "WHERE rowid = new.rowid; END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_mention_ai AFTER INSERT ON {mention_table} BEGIN "
        f"UPDATE {fts} SET sentences = sentences || ' ' || new.sentence "
        f"WHERE rowid = (SELECT rowid FROM {table} WHERE event_id = new.event_id); END",
    ]


_SQLITE_AGG_TABLES = [
    "CREATE TABLE IF NOT EXISTS agg_dyad_days ("
    "layer TEXT NOT NULL, a TEXT NOT NULL, b TEXT NOT NULL, day TEXT NOT NULL, "
    "q1 INTEGER NOT NULL, q2 INTEGER NOT NULL, q3 INTEGER NOT NULL, q4 INTEGER NOT NULL, "
    "events INTEGER NOT NULL, goldstein REAL NOT NULL, "
    "PRIMARY KEY (layer, a, b, day)) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS agg_dyad_totals ("
    "layer TEXT NOT NULL, a TEXT NOT NULL, b TEXT NOT NULL, events INTEGER NOT NULL, "
    "PRIMARY KEY (layer, a, b)) WITHOUT ROWID",
    "CREATE INDEX IF NOT EXISTS ix_ui_agg_dyad_totals_events ON agg_dyad_totals (layer, events)",
]
QUADS = (1, 2, 3, 4)


def _pair_sql(row: str) -> str:
    """The unordered country pair of an event row: (smaller code, larger code)."""
    return f"min({row}.source_country, {row}.target_country), max({row}.source_country, {row}.target_country)"


def _agg_add_sql(layer: Layer, row: str) -> str:
    """Trigger statements counting event `row` (`new`) into the dyad aggregates (undated: day '')."""
    known = f"WHERE {row}.source_country IS NOT NULL AND {row}.target_country IS NOT NULL"
    quads = ", ".join(f"{row}.quad_class = {q}" for q in QUADS)
    added = ", ".join(f"q{q} = q{q} + excluded.q{q}" for q in QUADS)
    return (
        f"INSERT INTO agg_dyad_totals (layer, a, b, events) SELECT '{layer.code}', {_pair_sql(row)}, 1 {known} "
        "ON CONFLICT (layer, a, b) DO UPDATE SET events = events + 1; "
        "INSERT INTO agg_dyad_days (layer, a, b, day, q1, q2, q3, q4, events, goldstein) "
        f"SELECT '{layer.code}', {_pair_sql(row)}, coalesce({row}.date, ''), {quads}, 1, {row}.goldstein {known} "
        f"ON CONFLICT (layer, a, b, day) DO UPDATE SET {added}, "
        "events = events + 1, goldstein = goldstein + excluded.goldstein; "
    )


def _agg_remove_sql(layer: Layer, row: str) -> str:
    """Trigger statements taking event `row` (`old`) out of the dyad aggregates."""
    pair_key = (
        f"layer = '{layer.code}' AND a = min({row}.source_country, {row}.target_country) "
        f"AND b = max({row}.source_country, {row}.target_country)"
    )
    day_key = f"{pair_key} AND day = coalesce({row}.date, '')"
    removed = ", ".join(f"q{q} = q{q} - ({row}.quad_class = {q})" for q in QUADS)
    return (
        f"UPDATE agg_dyad_totals SET events = events - 1 WHERE {pair_key}; "
        f"DELETE FROM agg_dyad_totals WHERE {pair_key} AND events <= 0; "
        f"UPDATE agg_dyad_days SET {removed}, events = events - 1, goldstein = goldstein - {row}.goldstein "
        f"WHERE {day_key}; "
        f"DELETE FROM agg_dyad_days WHERE {day_key} AND events <= 0; "
    )


def _sqlite_event_aggregates(layer: Layer) -> list[str]:
    table = layer.events.name
    prefix = f"agg_{table}"
    watched = "source_country, target_country, date, quad_class, goldstein"
    return [
        f"CREATE TRIGGER IF NOT EXISTS {prefix}_ai AFTER INSERT ON {table} BEGIN {_agg_add_sql(layer, 'new')}END",
        f"CREATE TRIGGER IF NOT EXISTS {prefix}_ad AFTER DELETE ON {table} BEGIN {_agg_remove_sql(layer, 'old')}END",
        f"CREATE TRIGGER IF NOT EXISTS {prefix}_au AFTER UPDATE OF {watched} ON {table} BEGIN "
        f"{_agg_remove_sql(layer, 'old')}{_agg_add_sql(layer, 'new')}END",
    ]


def _lookup_indexes() -> list[str]:
    """B-tree indexes for dyad, actor and date ordered lookups and confidence counts (both backends)."""
    statements = []
    for table in ("events", "canonical_events"):
        for suffix, columns in (
            ("dyad_date", "source_country, target_country, date"),
            ("source_country_date", "source_country, date"),
            ("target_country_date", "target_country, date"),
            ("source_actor_date", "source_actor_id, date"),
            ("target_actor_date", "target_actor_id, date"),
            ("confidence", "confidence"),
        ):
            statements.append(f"CREATE INDEX IF NOT EXISTS ix_ui_{table}_{suffix} ON {table} ({columns})")
    return statements


def tsvector(expression: str) -> str:
    return f"to_tsvector('english', {expression})"


PG_ARTICLE_DOC = "coalesce(title, '') || ' ' || text"


def pg_event_doc(alias: str) -> str:
    return f"{actors_sql(alias)} || ' ' || {alias}.predicate"


def _postgres_search() -> list[str]:
    statements = [f"CREATE INDEX IF NOT EXISTS search_articles_tsv ON articles USING gin ({tsvector(PG_ARTICLE_DOC)})"]
    for layer in LAYERS:
        table, mention_table = layer.events.name, layer.mentions.name
        event_doc = pg_event_doc(table)
        statements += [
            f"CREATE INDEX IF NOT EXISTS search_{table}_tsv ON {table} USING gin ({tsvector(event_doc)})",
            f"CREATE INDEX IF NOT EXISTS search_{mention_table}_tsv ON {mention_table} "
            f"USING gin ({tsvector('sentence')})",
        ]
    return statements


def derived_schema_statements(dialect: str) -> list[str]:
    """DDL creating every derived object on `dialect` (idempotent: IF NOT EXISTS)."""
    if dialect == "sqlite":
        statements = [*_SQLITE_AGG_TABLES, *_sqlite_article_search()]
        for layer in LAYERS:
            statements += _sqlite_event_search(layer) + _sqlite_event_aggregates(layer)
        return statements + _lookup_indexes()
    if dialect == "postgresql":
        return _postgres_search() + _lookup_indexes()
    return []


def _sqlite_drop_statements(connection: sa.Connection) -> list[str]:
    """DROP statements for the derived objects: triggers, then indexes, then tables."""
    rows = connection.exec_driver_sql("SELECT type, name FROM sqlite_master WHERE sql IS NOT NULL").all()
    statements = []
    for kind in ("trigger", "index", "table"):
        names = [name for row_kind, name in rows if row_kind == kind and is_derived_name(name)]
        statements += [f"DROP {kind.upper()} IF EXISTS {name}" for name in names if not _is_fts_shadow(name)]
    return statements


def _is_fts_shadow(name: str) -> bool:
    return name.startswith("search_") and name.rsplit("_", 1)[-1] in (
        "data",
        "idx",
        "content",
        "docsize",
        "config",
    )


def drop_derived_schema(connection: sa.Connection) -> None:
    """Remove every derived object (used by the migration's downgrade)."""
    if connection.dialect.name == "sqlite":
        statements = _sqlite_drop_statements(connection)
    else:
        inspector = sa.inspect(connection)
        statements = [
            f"DROP INDEX IF EXISTS {index['name']}"
            for table in (
                "articles",
                *(layer.events.name for layer in LAYERS),
                "mentions",
                "canonical_mentions",
            )
            for index in inspector.get_indexes(table)
            if is_derived_name(index["name"])
        ]
    for statement in statements:
        connection.exec_driver_sql(statement)


def install_derived_schema(connection: sa.Connection) -> None:
    """Create the derived objects that are missing (idempotent); does not fill them."""
    for statement in derived_schema_statements(connection.dialect.name):
        connection.exec_driver_sql(statement)


def _sqlite_rebuild_statements() -> list[str]:
    statements = ["INSERT INTO search_articles(search_articles) VALUES ('rebuild')"]
    for layer in LAYERS:
        fts, table, mention_table = layer.search_table, layer.events.name, layer.mentions.name
        statements += [
            f"DELETE FROM {fts}",
            f"INSERT INTO {fts}(rowid, actors, predicate, sentences) "
            f"SELECT e.rowid, {actors_sql('e')}, e.predicate, coalesce(("
            f"SELECT group_concat(m.sentence, ' ') FROM {mention_table} m WHERE m.event_id = e.event_id"
            f"), '') FROM {table} e",
        ]
    statements += ["DELETE FROM agg_dyad_days", "DELETE FROM agg_dyad_totals"]
    pair = "min(source_country, target_country) AS a, max(source_country, target_country) AS b"
    quads = ", ".join(f"sum(quad_class = {q})" for q in QUADS)
    for layer in LAYERS:
        table = layer.events.name
        known = "WHERE source_country IS NOT NULL AND target_country IS NOT NULL"
        statements += [
            "INSERT INTO agg_dyad_days (layer, a, b, day, q1, q2, q3, q4, events, goldstein) "
            f"SELECT '{layer.code}', {pair}, coalesce(date, '') AS day, {quads}, count(*), sum(goldstein) "
            f"FROM {table} {known} GROUP BY a, b, day",
            "INSERT INTO agg_dyad_totals (layer, a, b, events) "
            f"SELECT '{layer.code}', {pair}, count(*) FROM {table} {known} GROUP BY a, b",
        ]
    return statements


def rebuild_derived(connection: sa.Connection) -> None:
    """Refill the derived search tables and aggregates from the base tables (SQLite)."""
    if connection.dialect.name == "sqlite":
        for statement in _sqlite_rebuild_statements():
            connection.exec_driver_sql(statement)


def refresh_search(engine: sa.Engine) -> None:
    """Create missing derived objects and rebuild their contents from the base tables.

    Needed only after writes that bypassed the triggers (bulk loads with triggers dropped,
    a table rebuilt by a batch migration); normal pipeline writes keep everything in sync.
    On PostgreSQL the indexes are always current; the statistics are refreshed.
    """
    writer = engine.execution_options(**{WRITER_OPTION: True})
    with writer.begin() as connection:
        install_derived_schema(connection)
        rebuild_derived(connection)
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")


def derived_schema_is_complete(engine: sa.Engine) -> bool:
    """Whether every derived trigger/table/index exists (a batch migration may have dropped triggers)."""
    with engine.connect() as connection:
        if connection.dialect.name != "sqlite":
            return True
        present = set(connection.exec_driver_sql("SELECT name FROM sqlite_master").scalars())
    expected = {_created_name(statement) for statement in derived_schema_statements("sqlite")}
    return expected <= present


def _created_name(statement: str) -> str:
    return re.search(r"IF NOT EXISTS (\w+)", statement).group(1)  # type: ignore[union-attr]
