"""Read-only queries behind the analyst's views (web pages, JSON API, plots), and the search index.

Owns every SQL statement of the user interface: the overview, stories, articles, events,
actors, dyad timelines and networks, and full-text search. It also owns the *derived*
objects that keep those views fast, created by migration 0003 and rebuilt by
`refresh_search`:

* SQLite: FTS5 tables `search_articles` (external content over `articles`),
  `search_events` and `search_canonical` (actor names, predicate, evidence sentences),
  the dyad aggregates `agg_dyad_days` and `agg_dyad_totals`, all kept in sync by triggers.
* PostgreSQL: GIN expression indexes over `to_tsvector('english', ...)`; dyad views
  aggregate the base tables directly.
* Both: `ix_ui_*` indexes for dyad, actor and date ordered lookups.

Their names start with `search_`, `agg_` or `ix_ui_` (`is_derived_name`), so schema
comparisons against `schema.py` can leave them out.

Views read canonical events (one per real-world happening, from the stories stage) when
that table has rows, else the per-article events. Every function takes an `sa.Engine`
(e.g. `open_repository(db).engine`) and returns JSON-ready dicts.

Event lists show only events whose calibrated `confidence` reaches a threshold: `min_confidence`
(None means the documented default, `events.confidence.default_threshold()`; 0 shows every event).
`confident` is the one filter they all use, and each list reports the threshold it applied and how
many events it left out (`confidence_report`). A single event asked for by id is always shown.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

import sqlalchemy as sa

from eventwire.events.confidence import default_threshold
from eventwire.store.contracts import actor_json as actor_object
from eventwire.store.migrate import WRITER_OPTION
from eventwire.store.schema import (
    articles,
    canonical_events,
    canonical_mentions,
    claims,
    events,
    mentions,
    stories,
    story_articles,
)

#: Largest page any list returns.
MAX_LIMIT = 200
DEFAULT_LIMIT = 50
#: Events read to build an actor profile (the latest ones in each role).
SAMPLE_EVENTS = 2000
#: Deepest page (offset + limit) built by merging per-index scans; deeper pages use one OR query.
MERGE_WINDOW = 5000
#: Events read to draw a dyad's actor network (the latest ones of the range).
NETWORK_EVENTS = 2000
#: Characters of article text shown around an evidence sentence.
CONTEXT_CHARS = 240
#: Markers around matched terms in search snippets (split into segments before leaving here).
MATCH_START, MATCH_END = "\x02", "\x03"

Period = Literal["day", "week", "month", "year"]
PERIODS: tuple[str, ...] = ("day", "week", "month", "year")
QUAD_LABELS = {
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}
DERIVED_PREFIXES = ("search_", "agg_", "ix_ui_")


def is_derived_name(name: str | None) -> bool:
    """Whether a table, index or trigger name belongs to the derived view objects (not `schema.py`)."""
    return bool(name) and str(name).startswith(DERIVED_PREFIXES)


# ---------------------------------------------------------------- event layers


@dataclass(frozen=True)
class Layer:
    """One of the two event tables the views can read, with its mentions and search index."""

    name: Literal["canonical", "raw"]
    code: str  # key of the layer in agg_* tables
    events: sa.Table
    mentions: sa.Table
    search_table: str  # SQLite FTS5 table


CANONICAL = Layer("canonical", "c", canonical_events, canonical_mentions, "search_canonical")
RAW = Layer("raw", "r", events, mentions, "search_events")
LAYERS = (RAW, CANONICAL)


def event_layer(connection: sa.Connection) -> Layer:
    """Canonical events when the stories stage has produced any, else per-article events."""
    query = sa.select(canonical_events.c.event_id).limit(1)
    return CANONICAL if connection.execute(query).first() is not None else RAW


# ---------------------------------------------------------------- confidence threshold


def threshold_or_default(min_confidence: float | None) -> float:
    """The threshold a list applies: `min_confidence`, or the documented default when it is None."""
    return default_threshold() if min_confidence is None else float(min_confidence)


def confident(table: sa.Table, threshold: float) -> sa.ColumnElement[bool]:
    """The views' one confidence filter: events at or above `threshold` (every event when it is 0)."""
    return table.c.confidence >= threshold if threshold > 0 else sa.true()


def below(table: sa.Table, threshold: float) -> sa.ColumnElement[bool]:
    """The events `confident` leaves out."""
    return table.c.confidence < threshold if threshold > 0 else sa.false()


def confidence_report(connection: sa.Connection, table: sa.Table, scopes: Sequence[Any], threshold: float) -> dict:
    """The threshold applied to a list, the default one, and how many events of `scopes` (disjoint
    conditions, e.g. the two directions of a dyad) it left out."""
    hidden = 0
    if threshold > 0:
        hidden = sum(_count(connection, table, sa.and_(scope, below(table, threshold))) for scope in scopes)
    return threshold_fields(threshold, hidden)


def threshold_fields(threshold: float, hidden: int) -> dict[str, Any]:
    """What a list says about its confidence filter: applied threshold, default threshold, events left out."""
    return {"min_confidence": threshold, "default_min_confidence": default_threshold(), "below_min_confidence": hidden}


def condition_sql(connection: sa.Connection, condition: sa.ColumnElement[bool]) -> str:
    """A condition as SQL text with its values inlined, for the hand-written search statements."""
    return str(condition.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))


def is_below_default(confidence: float) -> bool:
    """Whether an event would be hidden from the lists by the default threshold."""
    return confidence < default_threshold()


# ---------------------------------------------------------------- derived objects (DDL)

_TOKENIZER = "porter unicode61 remove_diacritics 2"


def _actors_sql(row: str) -> str:
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
        f"VALUES (new.rowid, {_actors_sql('new')}, new.predicate, ''); END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ad AFTER DELETE ON {table} BEGIN "
        f"DELETE FROM {fts} WHERE rowid = old.rowid; END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_au AFTER UPDATE OF "
        f"source_text, source_name, target_text, target_name, predicate ON {table} BEGIN "
        f"UPDATE {fts} SET actors = {_actors_sql('new')}, predicate = new.predicate "
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
_QUADS = (1, 2, 3, 4)


def _pair_sql(row: str) -> str:
    """The unordered country pair of an event row: (smaller code, larger code)."""
    return f"min({row}.source_country, {row}.target_country), max({row}.source_country, {row}.target_country)"


def _agg_add_sql(layer: Layer, row: str) -> str:
    """Trigger statements counting event `row` (`new`) into the dyad aggregates (undated: day '')."""
    known = f"WHERE {row}.source_country IS NOT NULL AND {row}.target_country IS NOT NULL"
    quads = ", ".join(f"{row}.quad_class = {q}" for q in _QUADS)
    added = ", ".join(f"q{q} = q{q} + excluded.q{q}" for q in _QUADS)
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
    removed = ", ".join(f"q{q} = q{q} - ({row}.quad_class = {q})" for q in _QUADS)
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


def _tsvector(expression: str) -> str:
    return f"to_tsvector('english', {expression})"


_PG_ARTICLE_DOC = "coalesce(title, '') || ' ' || text"


def _pg_event_doc(alias: str) -> str:
    return f"{_actors_sql(alias)} || ' ' || {alias}.predicate"


def _postgres_search() -> list[str]:
    statements = [
        f"CREATE INDEX IF NOT EXISTS search_articles_tsv ON articles USING gin ({_tsvector(_PG_ARTICLE_DOC)})"
    ]
    for layer in LAYERS:
        table, mention_table = layer.events.name, layer.mentions.name
        event_doc = _pg_event_doc(table)
        statements += [
            f"CREATE INDEX IF NOT EXISTS search_{table}_tsv ON {table} USING gin ({_tsvector(event_doc)})",
            f"CREATE INDEX IF NOT EXISTS search_{mention_table}_tsv ON {mention_table} "
            f"USING gin ({_tsvector('sentence')})",
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
            f"SELECT e.rowid, {_actors_sql('e')}, e.predicate, coalesce(("
            f"SELECT group_concat(m.sentence, ' ') FROM {mention_table} m WHERE m.event_id = e.event_id"
            f"), '') FROM {table} e",
        ]
    statements += ["DELETE FROM agg_dyad_days", "DELETE FROM agg_dyad_totals"]
    pair = "min(source_country, target_country) AS a, max(source_country, target_country) AS b"
    quads = ", ".join(f"sum(quad_class = {q})" for q in _QUADS)
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


# ---------------------------------------------------------------- rows to JSON


def _iso(value: Any) -> str | None:
    """Dates as ISO strings (SQLite text queries already return strings)."""
    if value is None or value == "":
        return None
    return value.isoformat() if isinstance(value, dt.date) else str(value)[:10]


def clamp_limit(limit: int | None) -> int:
    """A page size within 1 … MAX_LIMIT."""
    return max(1, min(int(limit or DEFAULT_LIMIT), MAX_LIMIT))


def _page(items: list[dict[str, Any]], total: int, limit: int, offset: int) -> dict[str, Any]:
    return {"items": items, "total": total, "limit": limit, "offset": offset}


def _count(connection: sa.Connection, table: sa.Table, where: Any = None) -> int:
    query = sa.select(sa.func.count()).select_from(table)
    if where is not None:
        query = query.where(where)
    return int(connection.execute(query).scalar_one())


@cache
def country_name(code: str | None) -> str | None:
    """English name of an ISO 3166-1 alpha-3 code (None if unknown)."""
    if not code:
        return None
    import pycountry

    country = pycountry.countries.get(alpha_3=code.upper())
    return getattr(country, "common_name", None) or getattr(country, "name", None) if country else None


@cache
def _cameo_label(code: str) -> str:
    from eventwire.events.tables import cameo_label

    try:
        return cameo_label(code)
    except (OSError, ValueError, KeyError):
        return ""


def actor_link_key(actor: dict[str, Any] | None) -> str | None:
    """The key of an actor's page: its knowledge-base id, else its country."""
    if not actor:
        return None
    return actor.get("actor_id") or actor.get("country")


_ACTOR_FIELDS = ("text", "name", "country", "sector", "actor_id", "kind", "code")


def _actor(row: sa.RowMapping, role: str) -> dict[str, Any] | None:
    if row[f"{role}_text"] is None:
        return None
    actor = {name: row[f"{role}_{name}"] for name in _ACTOR_FIELDS}
    actor["key"] = actor_link_key(actor)
    return actor


def _location(row: sa.RowMapping) -> dict[str, Any] | None:
    if row["location_text"] is None:
        return None
    return {name: row[f"location_{name}"] for name in ("text", "country", "lat", "lon")}


def _first_sentence(layer: Layer, table: sa.Table | sa.Alias) -> sa.ScalarSelect:
    mention_table = layer.mentions
    return (
        sa.select(mention_table.c.sentence)
        .where(mention_table.c.event_id == table.c.event_id)
        .order_by(mention_table.c.position)
        .limit(1)
        .scalar_subquery()
    )


def _event_list_query(layer: Layer) -> sa.Select:
    table = layer.events
    return sa.select(table, _first_sentence(layer, table).label("first_sentence"))


def _event_summary(row: sa.RowMapping, layer: Layer) -> dict[str, Any]:
    """An event as a list row: who did what to whom, when, with its first evidence sentence."""
    summary = {
        "event_id": row["event_id"],
        "layer": layer.name,
        "date": _iso(row["date"]),
        "date_precision": row["date_precision"],
        "source": _actor(row, "source"),
        "target": _actor(row, "target"),
        "plover": row["plover"],
        "mode": row["mode"],
        "cameo": row["cameo"],
        "goldstein": row["goldstein"],
        "quad_class": row["quad_class"],
        "predicate": row["predicate"],
        "confidence": round(row["confidence"], 3),
        "sentence": row.get("first_sentence"),
    }
    if layer is CANONICAL:
        summary.update(story_id=row["story_id"], sources=row["sources"])
    else:
        summary.update(article_id=row["article_id"])
    return summary


def _newest_first(table: sa.Table) -> tuple[Any, ...]:
    return (sa.nulls_last(table.c.date.desc()), table.c.event_id)


def _event_page(
    connection: sa.Connection, layer: Layer, where: Any, limit: int, offset: int, total: int | None = None
) -> dict[str, Any]:
    table = layer.events
    query = _event_list_query(layer).where(where).order_by(*_newest_first(table)).limit(limit).offset(offset)
    items = [_event_summary(row, layer) for row in connection.execute(query).mappings()]
    return _page(items, _count(connection, table, where) if total is None else total, limit, offset)


def _newest_first_key(row: sa.Row) -> tuple[bool, int, str]:
    """Python twin of `_newest_first`: dated before undated, later dates first, then by id."""
    day = row.date
    return (day is None, -day.toordinal() if day else 0, row.event_id)


def _union_event_page(
    connection: sa.Connection, layer: Layer, parts: Sequence[Any], total: int, limit: int, offset: int
) -> dict[str, Any]:
    """A page of events matching any of `parts`, newest first.

    Each part is a condition one index serves in date order (e.g. one direction of a dyad), so
    the page is merged from short index scans instead of sorting every match. Deep pages
    (beyond MERGE_WINDOW) use one OR query instead.
    """
    if offset + limit > MERGE_WINDOW:
        return _event_page(connection, layer, sa.or_(*parts), limit, offset, total)
    table = layer.events
    keys: dict[str, sa.Row] = {}
    for part in parts:
        query = sa.select(table.c.event_id, table.c.date).where(part).order_by(*_newest_first(table))
        for row in connection.execute(query.limit(offset + limit)):
            keys.setdefault(row.event_id, row)
    page_ids = [row.event_id for row in sorted(keys.values(), key=_newest_first_key)[offset : offset + limit]]
    rows = connection.execute(_event_list_query(layer).where(table.c.event_id.in_(page_ids))).mappings()
    by_id = {row["event_id"]: row for row in rows}
    items = [_event_summary(by_id[event_id], layer) for event_id in page_ids if event_id in by_id]
    return _page(items, total, limit, offset)


# ---------------------------------------------------------------- overview and lists


def counts(connection: sa.Connection, layer: Layer, threshold: float = 0.0) -> dict[str, int]:
    """Articles, stories, events (of the layer shown), those of them at or above `threshold`
    (`confident_events`), and per-article events."""
    return {
        "articles": _count(connection, articles),
        "stories": _count(connection, stories),
        "events": _count(connection, layer.events),
        "confident_events": _count(connection, layer.events, confident(layer.events, threshold)),
        "article_events": _count(connection, events),
    }


def _top_dyads_sqlite(connection: sa.Connection, layer: Layer, limit: int) -> list[dict[str, Any]]:
    query = sa.text(
        "SELECT a, b, events FROM agg_dyad_totals WHERE layer = :layer AND a <> b "
        "ORDER BY events DESC, a, b LIMIT :limit"
    )
    rows = connection.execute(query, {"layer": layer.code, "limit": limit}).mappings()
    return [{"a": row["a"], "b": row["b"], "events": row["events"]} for row in rows]


def _top_dyads_generic(connection: sa.Connection, layer: Layer, limit: int) -> list[dict[str, Any]]:
    table = layer.events
    a = sa.func.least(table.c.source_country, table.c.target_country).label("a")
    b = sa.func.greatest(table.c.source_country, table.c.target_country).label("b")
    n = sa.func.count().label("events")
    query = (
        sa.select(a, b, n)
        .where(table.c.source_country.is_not(None), table.c.target_country.is_not(None))
        .where(table.c.source_country != table.c.target_country)
        .group_by(a, b)
        .order_by(n.desc(), a, b)
        .limit(limit)
    )
    return [dict(row) for row in connection.execute(query).mappings()]


def top_dyads(connection: sa.Connection, layer: Layer, limit: int = 10) -> list[dict[str, Any]]:
    """Country pairs (either direction, different countries) with the most events."""
    if connection.dialect.name == "sqlite":
        dyads = _top_dyads_sqlite(connection, layer, limit)
    else:
        dyads = _top_dyads_generic(connection, layer, limit)
    for dyad in dyads:
        dyad.update(a_name=country_name(dyad["a"]), b_name=country_name(dyad["b"]))
    return dyads


def _story_row(row: sa.RowMapping) -> dict[str, Any]:
    return {
        "story_id": row["story_id"],
        "title": row["title"],
        "first_seen": _iso(row["first_seen"]),
        "last_seen": _iso(row["last_seen"]),
        "article_count": row["article_count"],
    }


def _story_outlets(connection: sa.Connection, story_ids: Sequence[str]) -> dict[str, list[str]]:
    if not story_ids:
        return {}
    query = (
        sa.select(story_articles.c.story_id, articles.c.outlet)
        .join(articles, articles.c.article_id == story_articles.c.article_id)
        .where(story_articles.c.story_id.in_(story_ids))
    )
    outlets: dict[str, list[str]] = defaultdict(list)
    for story_id, outlet in connection.execute(query):
        if outlet and outlet not in outlets[story_id]:
            outlets[story_id].append(outlet)
    return outlets


def _stories(connection: sa.Connection, limit: int, offset: int) -> list[dict[str, Any]]:
    query = (
        sa.select(stories)
        .order_by(sa.nulls_last(stories.c.last_seen.desc()), stories.c.story_id)
        .limit(limit)
        .offset(offset)
    )
    rows = [_story_row(row) for row in connection.execute(query).mappings()]
    outlets = _story_outlets(connection, [row["story_id"] for row in rows])
    for row in rows:
        row["outlets"] = outlets.get(row["story_id"], [])
    return rows


def list_stories(engine: sa.Engine, limit: int = DEFAULT_LIMIT, offset: int = 0) -> dict[str, Any]:
    """Stories, most recently active first."""
    limit = clamp_limit(limit)
    with engine.connect() as connection:
        return _page(_stories(connection, limit, offset), _count(connection, stories), limit, offset)


def _article_row(row: sa.RowMapping) -> dict[str, Any]:
    return {
        "article_id": row["article_id"],
        "title": row["title"],
        "outlet": row["outlet"],
        "published": _iso(row["published"]),
        "language": row["language"],
    }


def _articles(connection: sa.Connection, limit: int, offset: int) -> list[dict[str, Any]]:
    columns = [articles.c[name] for name in ("article_id", "title", "outlet", "published", "language")]
    query = (
        sa.select(*columns)
        .order_by(sa.nulls_last(articles.c.published.desc()), articles.c.article_id)
        .limit(limit)
        .offset(offset)
    )
    return [_article_row(row) for row in connection.execute(query).mappings()]


def list_articles(engine: sa.Engine, limit: int = DEFAULT_LIMIT, offset: int = 0) -> dict[str, Any]:
    """Articles, newest first (undated last)."""
    limit = clamp_limit(limit)
    with engine.connect() as connection:
        return _page(_articles(connection, limit, offset), _count(connection, articles), limit, offset)


def list_events(
    engine: sa.Engine, limit: int = DEFAULT_LIMIT, offset: int = 0, min_confidence: float | None = None
) -> dict[str, Any]:
    """Events of the layer shown at or above the confidence threshold, newest first (undated last)."""
    limit = clamp_limit(limit)
    threshold = threshold_or_default(min_confidence)
    with engine.connect() as connection:
        layer = event_layer(connection)
        table = layer.events
        return {
            "layer": layer.name,
            **_event_page(connection, layer, confident(table, threshold), limit, offset),
            **confidence_report(connection, table, [sa.true()], threshold),
        }


def overview(engine: sa.Engine, limit: int = 10, min_confidence: float | None = None) -> dict[str, Any]:
    """Counts (with how many events reach the threshold), most active dyads (every event counted),
    recent stories, articles, and the latest events at or above the threshold."""
    limit = clamp_limit(limit)
    threshold = threshold_or_default(min_confidence)
    with engine.connect() as connection:
        layer = event_layer(connection)
        table = layer.events
        recent_events = (
            _event_list_query(layer).where(confident(table, threshold)).order_by(*_newest_first(table)).limit(limit)
        )
        totals, dyads = _summary(connection, layer, limit, threshold)
        return {
            "layer": layer.name,
            **threshold_fields(threshold, totals["events"] - totals["confident_events"]),
            "counts": totals,
            "top_dyads": dyads,
            "recent_stories": _stories(connection, limit, 0),
            "recent_articles": _articles(connection, limit, 0),
            "recent_events": [_event_summary(row, layer) for row in connection.execute(recent_events).mappings()],
        }


#: Overview aggregates on PostgreSQL, by (database, table write counters, layer, limit, threshold).
_PG_SUMMARIES: dict[tuple[Any, ...], tuple[dict[str, int], list[dict[str, Any]]]] = {}
_PG_SUMMARY_TABLES = ("articles", "stories", "events", "canonical_events")


def _summary(
    connection: sa.Connection, layer: Layer, limit: int, threshold: float
) -> tuple[dict[str, int], list[dict[str, Any]]]:
    """Counts and top dyads. SQLite reads trigger-kept tables; PostgreSQL counts once per change of the data.

    On PostgreSQL both need full scans (hundreds of ms at a million events), so they are kept
    per process until the server's write counters for the tables involved move.
    """
    if connection.dialect.name == "sqlite":
        return counts(connection, layer, threshold), top_dyads(connection, layer, limit)
    key = (_pg_data_version(connection), layer.name, limit, threshold)
    if key not in _PG_SUMMARIES:
        if len(_PG_SUMMARIES) > 64:
            _PG_SUMMARIES.clear()
        _PG_SUMMARIES[key] = (counts(connection, layer, threshold), top_dyads(connection, layer, limit))
    totals, dyads = _PG_SUMMARIES[key]
    return dict(totals), [dict(d) for d in dyads]


def _pg_data_version(connection: sa.Connection) -> tuple[Any, ...]:
    """The database's identity and the insert/update/delete counters of the summarised tables."""
    rows = connection.execute(
        sa.text(
            "SELECT (SELECT oid FROM pg_database WHERE datname = current_database()), relname, "
            "n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_user_tables WHERE relname = ANY(:names) ORDER BY relname"
        ),
        {"names": list(_PG_SUMMARY_TABLES)},
    ).all()
    return (str(connection.engine.url), *(tuple(row) for row in rows))


# ---------------------------------------------------------------- evidence in article text


def _mention_spans(
    connection: sa.Connection, layer: Layer, article_ids: Sequence[str]
) -> dict[str, list[dict[str, Any]]]:
    """Evidence sentences per article: {start, end, event_ids} with overlapping events pooled."""
    if not article_ids:
        return {}
    table = layer.mentions
    query = (
        sa.select(table.c.article_id, table.c.start, table.c.end, table.c.event_id, table.c.sentence)
        .where(table.c.article_id.in_(article_ids))
        .order_by(table.c.article_id, table.c.start, table.c.event_id)
    )
    spans: dict[tuple[str, int, int], dict[str, Any]] = {}
    for row in connection.execute(query).mappings():
        key = (row["article_id"], row["start"], row["end"])
        span = spans.setdefault(
            key, {"start": row["start"], "end": row["end"], "sentence": row["sentence"], "event_ids": []}
        )
        if row["event_id"] not in span["event_ids"]:
            span["event_ids"].append(row["event_id"])
    by_article: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for (article_id, _, _), span in spans.items():
        by_article[article_id].append(span)
    return by_article


def locate_sentence(text: str, sentence: str, start: int, end: int) -> tuple[int, int] | None:
    """Offsets of an evidence sentence in `text`: the stored ones if they match, else found by search."""
    if 0 <= start < end <= len(text) and text[start:end] == sentence:
        return start, end
    found = text.find(sentence) if sentence else -1
    return (found, found + len(sentence)) if found >= 0 else None


def _checked_spans(text: str, spans: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Spans whose sentence is found in the text, with corrected offsets, in text order."""
    checked = []
    for span in spans:
        where = locate_sentence(text, span["sentence"], span["start"], span["end"])
        if where:
            checked.append({**span, "start": where[0], "end": where[1]})
    return sorted(checked, key=lambda span: (span["start"], span["end"]))


def _article_with_text(row: sa.RowMapping, spans: list[dict[str, Any]]) -> dict[str, Any]:
    text = row["text"]
    return {**_article_row(row), "url": row["url"], "text": text, "highlights": _checked_spans(text, spans)}


# ---------------------------------------------------------------- story


def _story_articles(connection: sa.Connection, story_id: str) -> list[sa.RowMapping]:
    query = (
        sa.select(
            articles,
            story_articles.c.duplicate_group,
            story_articles.c.inferred_date,
            story_articles.c.inferred_precision,
        )
        .join(story_articles, story_articles.c.article_id == articles.c.article_id)
        .where(story_articles.c.story_id == story_id)
        .order_by(sa.nulls_last(articles.c.published), articles.c.article_id)
    )
    return list(connection.execute(query).mappings())


def _story_events(
    connection: sa.Connection, layer: Layer, story_id: str, article_ids: Sequence[str], threshold: float
) -> dict[str, Any]:
    """The story's events at or above the threshold, oldest first, and the confidence report."""
    table = layer.events
    where = table.c.story_id == story_id if layer is CANONICAL else table.c.article_id.in_(article_ids)
    query = (
        _event_list_query(layer)
        .where(where, confident(table, threshold))
        .order_by(sa.nulls_last(table.c.date), table.c.event_id)
        .limit(MAX_LIMIT * 5)
    )
    found = [_event_summary(row, layer) for row in connection.execute(query).mappings()]
    return {"events": found, **confidence_report(connection, table, [where], threshold)}


def _claim_json(row: sa.RowMapping, outlets: dict[str, str | None]) -> dict[str, Any]:
    return {
        "claim_id": row["claim_id"],
        "article_id": row["article_id"],
        "outlet": outlets.get(row["article_id"]),
        "kind": row["kind"],
        "value": row["value"],
        "unit": row["unit"],
        "text": row["text"],
        "sentence": row["sentence"],
        "subject": row["subject"],
        "period_start": _iso(row["period_start"]),
        "period_end": _iso(row["period_end"]),
        "period_text": row["period_text"],
        "is_change": bool(row["is_change"]),
        "speaker": row["speaker_name"] or row["speaker_text"],
        "status": row["status"],
        "note": row["note"],
    }


def _story_claims(
    connection: sa.Connection, article_ids: Sequence[str], outlets: dict[str, str | None]
) -> list[dict[str, Any]]:
    """Claims of the story's articles in groups: figures about the same thing, agreeing or not."""
    if not article_ids:
        return []
    query = (
        sa.select(claims)
        .where(claims.c.article_id.in_(article_ids))
        .order_by(sa.nulls_last(claims.c.group_id), claims.c.article_id, claims.c.start)
    )
    groups: dict[str, dict[str, Any]] = {}
    for row in connection.execute(query).mappings():
        key = row["group_id"] or f"single:{row['claim_id']}"
        group = groups.setdefault(
            key,
            {
                "group_id": row["group_id"],
                "status": row["status"] or "single",
                "subject": row["subject"],
                "note": row["note"],
                "claims": [],
            },
        )
        group["claims"].append(_claim_json(row, outlets))
        if row["status"] == "disagree":
            group["status"] = "disagree"
        group["note"] = group["note"] or row["note"]
    return sorted(groups.values(), key=lambda group: (group["status"] != "disagree", -len(group["claims"])))


def _summary_sentences(summary: Any, titles: dict[str, tuple[str | None, str | None]]) -> list[dict[str, Any]]:
    items = summary if isinstance(summary, list) else []
    out = []
    for item in items:
        if isinstance(item, dict):
            sentence, article_id = item.get("sentence"), item.get("article_id")
        elif isinstance(item, list | tuple) and len(item) == 2:
            sentence, article_id = item
        else:
            continue
        outlet, title = titles.get(article_id, (None, None))
        out.append({"sentence": sentence, "article_id": article_id, "outlet": outlet, "title": title})
    return out


def story(engine: sa.Engine, story_id: str, min_confidence: float | None = None) -> dict[str, Any] | None:
    """A story: its articles with highlighted evidence, summary, events at or above the confidence
    threshold, and claims (None if unknown)."""
    threshold = threshold_or_default(min_confidence)
    with engine.connect() as connection:
        row = connection.execute(sa.select(stories).where(stories.c.story_id == story_id)).mappings().first()
        if row is None:
            return None
        layer = event_layer(connection)
        article_rows = _story_articles(connection, story_id)
        article_ids = [r["article_id"] for r in article_rows]
        spans = _mention_spans(connection, layer, article_ids)
        outlets = {r["article_id"]: r["outlet"] for r in article_rows}
        story_articles_json = []
        for article_row in article_rows:
            article = _article_with_text(article_row, spans.get(article_row["article_id"], []))
            article.update(
                duplicate_group=article_row["duplicate_group"],
                inferred_date=_iso(article_row["inferred_date"]),
                inferred_precision=article_row["inferred_precision"],
            )
            story_articles_json.append(article)
        titles = {r["article_id"]: (r["outlet"], r["title"]) for r in article_rows}
        return {
            **_story_row(row),
            "layer": layer.name,
            "summary": _summary_sentences(row["summary"], titles),
            "articles": story_articles_json,
            **_story_events(connection, layer, story_id, article_ids, threshold),
            "claims": _story_claims(connection, article_ids, outlets),
        }


def _stories_of_articles(connection: sa.Connection, article_ids: Sequence[str]) -> dict[str, str]:
    if not article_ids:
        return {}
    query = sa.select(story_articles.c.article_id, story_articles.c.story_id).where(
        story_articles.c.article_id.in_(article_ids)
    )
    return {article_id: story_id for article_id, story_id in connection.execute(query)}


def article(engine: sa.Engine, article_id: str, min_confidence: float | None = None) -> dict[str, Any] | None:
    """An article with its evidence sentences highlighted (every event's) and its events at or above
    the confidence threshold (None if unknown)."""
    threshold = threshold_or_default(min_confidence)
    with engine.connect() as connection:
        row = connection.execute(sa.select(articles).where(articles.c.article_id == article_id)).mappings().first()
        if row is None:
            return None
        layer = event_layer(connection)
        spans = _mention_spans(connection, layer, [article_id]).get(article_id, [])
        event_ids = sorted({event_id for span in spans for event_id in span["event_ids"]})
        table = layer.events
        mentioned = table.c.event_id.in_(event_ids)
        query = (
            _event_list_query(layer)
            .where(mentioned, confident(table, threshold))
            .order_by(sa.nulls_last(table.c.date), table.c.event_id)
        )
        return {
            **_article_with_text(row, spans),
            "path": row["path"],
            "source_format": row["source_format"],
            "story_id": _stories_of_articles(connection, [article_id]).get(article_id),
            "layer": layer.name,
            "events": [_event_summary(r, layer) for r in connection.execute(query).mappings()],
            **confidence_report(connection, table, [mentioned], threshold),
        }


# ---------------------------------------------------------------- event


def _context(text: str, start: int, end: int) -> tuple[str, str]:
    """Up to CONTEXT_CHARS of text before and after a sentence, cut at word boundaries."""
    before = text[max(0, start - CONTEXT_CHARS) : start]
    after = text[end : end + CONTEXT_CHARS]
    if start > CONTEXT_CHARS and " " in before:
        before = "…" + before.split(" ", 1)[1]
    if end + CONTEXT_CHARS < len(text) and " " in after:
        after = after.rsplit(" ", 1)[0] + "…"
    return before, after


def _event_mentions(connection: sa.Connection, layer: Layer, event_id: str) -> list[dict[str, Any]]:
    table = layer.mentions
    query = (
        sa.select(table, articles.c.title, articles.c.outlet, articles.c.published, articles.c.text.label("a_text"))
        .outerjoin(articles, articles.c.article_id == table.c.article_id)
        .where(table.c.event_id == event_id)
        .order_by(table.c.position)
    )
    out = []
    for row in connection.execute(query).mappings():
        text = row["a_text"] or ""
        where = locate_sentence(text, row["sentence"], row["start"], row["end"])
        before, after = _context(text, *where) if where else ("", "")
        out.append(
            {
                "article_id": row["article_id"],
                "title": row["title"],
                "outlet": row["outlet"],
                "published": _iso(row["published"]),
                "sentence": row["sentence"],
                "start": row["start"],
                "end": row["end"],
                "before": before,
                "after": after,
                "attributed_to": actor_object(row, "attributed"),
            }
        )
    return out


def _event_record(row: sa.RowMapping, layer: Layer) -> dict[str, Any]:
    record = _event_summary(row, layer)
    record.update(
        date_method=row["date_method"],
        date_text=row.get("date_text"),
        cameo_label=_cameo_label(row["cameo"]),
        quad_label=QUAD_LABELS.get(row["quad_class"]),
        location=_location(row),
        code_rule=row.get("code_rule"),
        is_main=row.get("is_main"),
        default_min_confidence=default_threshold(),
        below_default_confidence=is_below_default(row["confidence"]),
    )
    record.pop("sentence", None)
    return record


def _members(connection: sa.Connection, member_ids: Any) -> list[dict[str, Any]]:
    ids = [str(i) for i in member_ids] if isinstance(member_ids, list) else []
    if not ids:
        return []
    query = _event_list_query(RAW).where(events.c.event_id.in_(ids)).order_by(events.c.event_id)
    return [_event_summary(row, RAW) for row in connection.execute(query).mappings()]


def _merged_into(connection: sa.Connection, event_id: str) -> list[dict[str, Any]]:
    """Canonical events that share an evidence sentence with a per-article event (members first)."""
    raw_mentions = sa.select(mentions.c.article_id, mentions.c.start).where(mentions.c.event_id == event_id)
    sharing = sa.select(canonical_mentions.c.event_id).where(
        sa.tuple_(canonical_mentions.c.article_id, canonical_mentions.c.start).in_(raw_mentions)
    )
    query = sa.select(canonical_events.c.event_id, canonical_events.c.story_id, canonical_events.c.member_ids).where(
        canonical_events.c.event_id.in_(sharing)
    )
    rows = connection.execute(query).mappings().all()
    members_first = sorted(rows, key=lambda r: (event_id not in (r["member_ids"] or []), r["event_id"]))
    return [{"event_id": r["event_id"], "story_id": r["story_id"]} for r in members_first]


def event(engine: sa.Engine, event_id: str) -> dict[str, Any] | None:
    """An event's full coded record with every mention in context (canonical or per-article id); shown
    whatever its confidence, with `below_default_confidence` saying whether the lists hide it by default."""
    with engine.connect() as connection:
        for layer in (CANONICAL, RAW):
            table = layer.events
            row = connection.execute(sa.select(table).where(table.c.event_id == event_id)).mappings().first()
            if row is not None:
                break
        else:
            return None
        record = _event_record(row, layer)
        record["mentions"] = _event_mentions(connection, layer, event_id)
        if layer is CANONICAL:
            record["members"] = _members(connection, row["member_ids"])
        else:
            record["merged_into"] = _merged_into(connection, event_id)
            record["story_id"] = _stories_of_articles(connection, [row["article_id"]]).get(row["article_id"])
        return record


# ---------------------------------------------------------------- actor


def _actor_condition(table: sa.Table, key: str, role: str, by_country: bool) -> Any:
    column = table.c[f"{role}_country"] if by_country else table.c[f"{role}_actor_id"]
    return column == key


def _is_known_actor_id(connection: sa.Connection, table: sa.Table, key: str) -> bool:
    for role in ("source", "target"):
        query = sa.select(table.c.event_id).where(table.c[f"{role}_actor_id"] == key).limit(1)
        if connection.execute(query).first() is not None:
            return True
    return False


def _sample(connection: sa.Connection, table: sa.Table, condition: Any) -> list[sa.RowMapping]:
    """Actors and dates of the latest SAMPLE_EVENTS events meeting `condition`."""
    columns = [table.c[f"{role}_{name}"] for role in ("source", "target") for name in _ACTOR_FIELDS]
    query = (
        sa.select(table.c.event_id, table.c.date, *columns)
        .where(condition)
        .order_by(*_newest_first(table))
        .limit(SAMPLE_EVENTS)
    )
    return list(connection.execute(query).mappings())


def _roles(rows: Iterable[tuple[sa.RowMapping, str]]) -> list[dict[str, Any]]:
    """Country and sector the actor had, with the first and last date each was seen."""
    roles: dict[tuple[Any, Any], dict[str, Any]] = {}
    for row, role in rows:
        key = (row[f"{role}_country"], row[f"{role}_sector"])
        entry = roles.setdefault(key, {"country": key[0], "sector": key[1], "first": None, "last": None, "events": 0})
        entry["events"] += 1
        day = _iso(row["date"])
        if day:
            entry["first"] = min(filter(None, (entry["first"], day)))
            entry["last"] = max(filter(None, (entry["last"], day)))
    return sorted(roles.values(), key=lambda r: (r["first"] or "9999", -r["events"]))


def _partner(row: sa.RowMapping, role: str) -> tuple[str, str] | None:
    other = "target" if role == "source" else "source"
    actor = _actor(row, other)
    if not actor or not actor["key"]:
        return None
    label = actor["name"] or country_name(actor["country"]) or actor["text"]
    return actor["key"], label


def _identity(key: str, by_country: bool, rows: list[tuple[sa.RowMapping, str]]) -> dict[str, Any]:
    names = Counter(row[f"{role}_name"] for row, role in rows if row[f"{role}_name"])
    kinds = Counter(row[f"{role}_kind"] for row, role in rows if row[f"{role}_kind"])
    countries = Counter(row[f"{role}_country"] for row, role in rows if row[f"{role}_country"])
    country = key if by_country else (countries.most_common(1)[0][0] if countries else None)
    most_common_name = names.most_common(1)[0][0] if names else key
    name = (country_name(key) or key) if by_country else most_common_name
    return {
        "key": key,
        "kind": "country" if by_country else (kinds.most_common(1)[0][0] if kinds else None),
        "actor_id": None if by_country else key,
        "name": name,
        "country": country,
        "country_name": country_name(country),
    }


def actor(
    engine: sa.Engine,
    key: str,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
    role: Literal["any", "source", "target"] = "any",
    min_confidence: float | None = None,
) -> dict[str, Any] | None:
    """An actor (knowledge-base id or ISO3 country): identity, aliases, roles and partners (from all
    its events), and its events at or above the confidence threshold, counted in `totals`."""
    limit = clamp_limit(limit)
    threshold = threshold_or_default(min_confidence)
    with engine.connect() as connection:
        layer = event_layer(connection)
        table = layer.events
        by_country = not _is_known_actor_id(connection, table, key)
        if by_country:
            key = key.upper()
        as_source = _actor_condition(table, key, "source", by_country)
        as_target = _actor_condition(table, key, "target", by_country)
        sampled = [(row, "source") for row in _sample(connection, table, as_source)]
        sampled += [(row, "target") for row in _sample(connection, table, as_target)]
        if not sampled:
            return None
        shown = confident(table, threshold)
        totals = {
            "as_source": _count(connection, table, sa.and_(as_source, shown)),
            "as_target": _count(connection, table, sa.and_(as_target, shown)),
        }
        if role == "any":
            both = _count(connection, table, sa.and_(as_source, as_target, shown))
            total = totals["as_source"] + totals["as_target"] - both
            parts = [sa.and_(as_source, shown), sa.and_(as_target, shown)]
            events_page = _union_event_page(connection, layer, parts, total, limit, offset)
            scopes = [sa.or_(as_source, as_target)]
        else:
            where = as_source if role == "source" else as_target
            events_page = _event_page(connection, layer, sa.and_(where, shown), limit, offset, totals[f"as_{role}"])
            scopes = [where]
        events_page.update(confidence_report(connection, table, scopes, threshold))
        return {
            "identity": _identity(key, by_country, sampled),
            "layer": layer.name,
            "totals": totals,
            "sampled": any(count > SAMPLE_EVENTS for count in totals.values()),
            "aliases": _aliases(sampled),
            "roles": _roles(sampled),
            "partners": _partners(sampled),
            "role": role,
            "events": events_page,
        }


def _aliases(rows: list[tuple[sa.RowMapping, str]], limit: int = 30) -> list[dict[str, Any]]:
    texts = Counter(row[f"{role}_text"] for row, role in rows if row[f"{role}_text"])
    return [{"text": text, "count": count} for text, count in texts.most_common(limit)]


def _partners(rows: list[tuple[sa.RowMapping, str]], limit: int = 15) -> list[dict[str, Any]]:
    tallies: dict[str, dict[str, Any]] = {}
    for row, role in rows:
        partner = _partner(row, role)
        if partner is None:
            continue
        entry = tallies.setdefault(partner[0], {"key": partner[0], "label": partner[1], "as_target": 0, "as_source": 0})
        entry["as_target" if role == "source" else "as_source"] += 1
    ranked = sorted(tallies.values(), key=lambda e: (-(e["as_target"] + e["as_source"]), e["key"]))
    for entry in ranked:
        entry["events"] = entry["as_target"] + entry["as_source"]
    return ranked[:limit]


# ---------------------------------------------------------------- dyad


def period_start(day: dt.date, period: str) -> dt.date:
    """First day of the period (day, ISO week, month, year) holding `day`."""
    if period == "week":
        return day - dt.timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    if period == "year":
        return day.replace(month=1, day=1)
    return day


def period_end(start: dt.date, period: str) -> dt.date:
    """Last day of the period that begins on `start`."""
    if period == "week":
        return start + dt.timedelta(days=6)
    if period == "month":
        following = start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1, day=1)
        return following - dt.timedelta(days=1)
    if period == "year":
        return start.replace(month=12, day=31)
    return start


def period_label(start: dt.date, period: str) -> str:
    """Human label of a period: 2023-05-24, 2023-W21, 2023-05, 2023."""
    if period == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if period == "month":
        return start.strftime("%Y-%m")
    if period == "year":
        return str(start.year)
    return start.isoformat()


def _dyad_condition(table: sa.Table, a: str, b: str) -> Any:
    forward = sa.and_(table.c.source_country == a, table.c.target_country == b)
    backward = sa.and_(table.c.source_country == b, table.c.target_country == a)
    return sa.or_(forward, backward) if a != b else forward


_SQLITE_PERIOD_START = {
    "day": "day",
    "week": "date(day, 'weekday 0', '-6 days')",  # the Monday of the day's ISO week
    "month": "substr(day, 1, 7) || '-01'",
    "year": "substr(day, 1, 4) || '-01-01'",
}
#: (period start 'YYYY-MM-DD' or '' for undated, q1, q2, q3, q4, events, Goldstein sum)
PeriodRow = tuple[str, int, int, int, int, int, float]


def _period_counts_sqlite(
    connection: sa.Connection,
    layer: Layer,
    pair: tuple[str, str],
    period: str,
    start: dt.date | None,
    end: dt.date | None,
) -> list[PeriodRow]:
    """Events of a country pair per period and quad class, from the dyad aggregate."""
    bucket = _SQLITE_PERIOD_START[period]
    query = sa.text(
        f"SELECT CASE WHEN day = '' THEN '' ELSE {bucket} END AS bucket, "
        "sum(q1), sum(q2), sum(q3), sum(q4), sum(events), sum(goldstein) FROM agg_dyad_days "
        "WHERE layer = :layer AND a = :a AND b = :b AND (day = '' OR (day >= :start AND day <= :end)) "
        "GROUP BY 1 ORDER BY 1"
    )
    params = {"layer": layer.code, "a": pair[0], "b": pair[1], "start": _iso(start) or "0", "end": _iso(end) or "9"}
    return [tuple(row) for row in connection.execute(query, params)]  # type: ignore[misc]


def _period_counts_generic(
    connection: sa.Connection,
    layer: Layer,
    pair: tuple[str, str],
    period: str,
    start: dt.date | None,
    end: dt.date | None,
) -> list[PeriodRow]:
    """Events of a country pair per period and quad class, aggregated from the events table."""
    table = layer.events
    bucket = sa.cast(sa.func.date_trunc(period, table.c.date), sa.Date).label("bucket")
    in_range = sa.or_(table.c.date.is_(None), sa.and_(sa.true(), *_date_range(table, start, end)))
    quads = [sa.func.count().filter(table.c.quad_class == q) for q in _QUADS]
    query = (
        sa.select(bucket, *quads, sa.func.count(), sa.func.sum(table.c.goldstein))
        .where(_dyad_condition(table, *pair), in_range)
        .group_by(bucket)
        .order_by(bucket)
    )
    return [(_iso(row[0]) or "", *row[1:6], float(row[6] or 0.0)) for row in connection.execute(query)]


def _period_end_text(start: str, period: str) -> str:
    if period == "day":
        return start
    if period == "year":
        return f"{start[:4]}-12-31"
    return period_end(dt.date.fromisoformat(start), period).isoformat()


def _period_label_text(start: str, period: str) -> str:
    if period == "month":
        return start[:7]
    if period == "year":
        return start[:4]
    return period_label(dt.date.fromisoformat(start), period) if period == "week" else start


def bucket_rows(rows: Iterable[PeriodRow], period: str) -> tuple[list[dict[str, Any]], int]:
    """Per-period rows (in date order) → timeline buckets, and the number of undated events."""
    buckets, undated = [], 0
    for first, q1, q2, q3, q4, n, goldstein in rows:
        if not first:
            undated += n
            continue
        buckets.append(
            {
                "start": first,
                "end": _period_end_text(first, period),
                "label": _period_label_text(first, period),
                "q1": q1,
                "q2": q2,
                "q3": q3,
                "q4": q4,
                "events": n,
                "goldstein": round(goldstein, 3),
            }
        )
    return buckets, undated


def _network_counts(
    connection: sa.Connection, layer: Layer, source: str, target: str, start: Any, end: Any
) -> list[sa.RowMapping]:
    """Actor pairs of the latest NETWORK_EVENTS events from `source` to `target`, counted in SQL."""
    table = layer.events
    actor_columns = [table.c[f"{role}_{name}"] for role in ("source", "target") for name in _ACTOR_FIELDS]
    latest = (
        sa.select(*actor_columns, table.c.goldstein, table.c.quad_class)
        .where(
            table.c.source_country == source,
            table.c.target_country == target,
            *_date_range(table, start, end),
        )
        .order_by(sa.nulls_last(table.c.date.desc()))
        .limit(NETWORK_EVENTS)
        .subquery()
    )
    grouped = [latest.c[column.name] for column in actor_columns] + [latest.c.quad_class]
    query = sa.select(
        *grouped, sa.func.count().label("events"), sa.func.sum(latest.c.goldstein).label("goldstein")
    ).group_by(*grouped)
    return list(connection.execute(query).mappings())


def _network(connection: sa.Connection, layer: Layer, a: str, b: str, start: Any, end: Any) -> dict[str, Any]:
    """Actors of the dyad's latest events (up to NETWORK_EVENTS each way) and who acted on whom, how often."""
    nodes: dict[str, dict[str, Any]] = {}
    edges: dict[tuple[str, str], dict[str, Any]] = {}
    read = 0
    for source_country, target_country in {(a, b), (b, a)}:
        for row in _network_counts(connection, layer, source_country, target_country, start, end):
            read += row["events"]
            source, target = _actor(row, "source"), _actor(row, "target")
            if not source or not target:
                continue
            ids = [_network_node(nodes, actor, row["events"]) for actor in (source, target)]
            edge = edges.setdefault(
                (ids[0], ids[1]),
                {"source": ids[0], "target": ids[1], "events": 0, "goldstein": 0.0, "quads": Counter()},
            )
            edge["events"] += row["events"]
            edge["goldstein"] = round(edge["goldstein"] + float(row["goldstein"] or 0.0), 3)
            edge["quads"][row["quad_class"]] += row["events"]
    edge_list = sorted(edges.values(), key=lambda e: (-e["events"], e["source"], e["target"]))
    for edge in edge_list:
        edge["quad_class"] = edge.pop("quads").most_common(1)[0][0]
    return {
        "nodes": sorted(nodes.values(), key=lambda n: (-n["events"], n["id"])),
        "edges": edge_list,
        "sampled": read >= NETWORK_EVENTS,
    }


def _network_node(nodes: dict[str, dict[str, Any]], actor_json: dict[str, Any], events: int) -> str:
    node_id = actor_json["actor_id"] or actor_json["name"] or actor_json["text"]
    if actor_json["actor_id"] is None and actor_json["name"] is None and actor_json["sector"]:
        node_id = f"{actor_json['country']}/{actor_json['sector']}"
    node = nodes.setdefault(
        node_id,
        {
            "id": node_id,
            "label": actor_json["name"] or actor_json["text"],
            "country": actor_json["country"],
            "sector": actor_json["sector"],
            "key": actor_json["key"],
            "events": 0,
        },
    )
    node["events"] += events
    return node_id


def _date_range(table: sa.Table, start: dt.date | None, end: dt.date | None) -> list[Any]:
    conditions = []
    if start is not None:
        conditions.append(table.c.date >= start)
    if end is not None:
        conditions.append(table.c.date <= end)
    return conditions


def dyad(
    engine: sa.Engine,
    a: str,
    b: str,
    period: str = "month",
    start: dt.date | None = None,
    end: dt.date | None = None,
    network: bool = True,
) -> dict[str, Any]:
    """Events between two countries (both directions) per period and quad class, with a network."""
    a, b = a.upper(), b.upper()
    with engine.connect() as connection:
        layer = event_layer(connection)
        count_periods = _period_counts_sqlite if connection.dialect.name == "sqlite" else _period_counts_generic
        rows = count_periods(connection, layer, (min(a, b), max(a, b)), period, start, end)
        buckets, undated = bucket_rows(rows, period)
        result = {
            "a": a,
            "b": b,
            "a_name": country_name(a),
            "b_name": country_name(b),
            "layer": layer.name,
            "period": period,
            "start": _iso(start),
            "end": _iso(end),
            "buckets": buckets,
            "undated": undated,
            "totals": _bucket_totals(buckets),
        }
        if network:
            result["network"] = _network(connection, layer, a, b, start, end)
        return result


def _bucket_totals(buckets: list[dict[str, Any]]) -> dict[str, Any]:
    totals = {key: sum(bucket[key] for bucket in buckets) for key in ("q1", "q2", "q3", "q4", "events")}
    totals["goldstein"] = round(sum(bucket["goldstein"] for bucket in buckets), 3)
    return totals


def dyad_events(
    engine: sa.Engine,
    a: str,
    b: str,
    start: dt.date | None = None,
    end: dt.date | None = None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
    min_confidence: float | None = None,
) -> dict[str, Any]:
    """The events between two countries in a date range (both directions) at or above the confidence
    threshold, newest first."""
    a, b = a.upper(), b.upper()
    limit = clamp_limit(limit)
    threshold = threshold_or_default(min_confidence)
    with engine.connect() as connection:
        layer = event_layer(connection)
        table = layer.events
        directions = [
            sa.and_(table.c.source_country == source, table.c.target_country == target, *_date_range(table, start, end))
            for source, target in sorted({(a, b), (b, a)})
        ]
        shown = [sa.and_(direction, confident(table, threshold)) for direction in directions]
        total = sum(_count(connection, table, direction) for direction in shown)
        return {
            "a": a,
            "b": b,
            "start": _iso(start),
            "end": _iso(end),
            "layer": layer.name,
            **_union_event_page(connection, layer, shown, total, limit, offset),
            **confidence_report(connection, table, directions, threshold),
        }


# ---------------------------------------------------------------- search

_WORD = re.compile(r"\w+", re.UNICODE)
MAX_QUERY_TERMS = 12
#: Matches counted and ranked by relevance; beyond this, a search lists the newest matches.
RANKED_MATCHES = 5000


def search_terms(q: str) -> list[str]:
    """The words of a search box query (operators and punctuation are ignored)."""
    return _WORD.findall(q or "")[:MAX_QUERY_TERMS]


def _fts_query(terms: Sequence[str]) -> str:
    """An FTS5 query requiring every term; a last term of 3+ characters also matches as a prefix."""
    quoted = [f'"{term}"' for term in terms]
    if len(terms[-1]) >= 3:
        quoted[-1] += "*"
    return " ".join(quoted)


def snippet_segments(snippet: str | None) -> list[dict[str, Any]]:
    """A snippet with match markers → [{"text", "match"}] segments."""
    segments = []
    for i, part in enumerate(re.split(f"[{MATCH_START}{MATCH_END}]", snippet or "")):
        if part:
            segments.append({"text": part, "match": i % 2 == 1})
    return segments


def _capped_count(connection: sa.Connection, fts: str, params: dict[str, Any], joined: str = "") -> int:
    """Matches in an FTS5 table, counted up to RANKED_MATCHES + 1 (`joined`: a JOIN … ON … AND condition)."""
    query = f"SELECT count(*) FROM (SELECT 1 FROM {fts} {joined} WHERE {fts} MATCH :q LIMIT {RANKED_MATCHES + 1})"
    return int(connection.execute(sa.text(query), params).scalar_one())


def _fts_order(fts: str, weights: str, total: int) -> str:
    """Best matches first (bm25); newest first when too many match to rank them quickly."""
    return f"bm25({fts}, {weights})" if total <= RANKED_MATCHES else f"{fts}.rowid DESC"


def _search_page(items: list[dict[str, Any]], total: int, limit: int, offset: int) -> dict[str, Any]:
    page = _page(items, min(total, RANKED_MATCHES), limit, offset)
    page["more"] = total > RANKED_MATCHES
    return page


def _search_sqlite(
    connection: sa.Connection, layer: Layer, terms: Sequence[str], limit: int, offset: int, threshold: float
) -> tuple[dict[str, Any], dict[str, Any]]:
    params = {"q": _fts_query(terms), "limit": limit, "offset": offset}
    marks = f"'{MATCH_START}', '{MATCH_END}', '…', 24"
    total_articles = _capped_count(connection, "search_articles", params)
    order = _fts_order("search_articles", "4.0, 1.0", total_articles)
    article_rows = connection.execute(
        sa.text(
            "SELECT a.article_id, a.title, a.outlet, a.published, a.language, "
            f"snippet(search_articles, -1, {marks}) AS snippet FROM search_articles "
            "JOIN articles a ON a.rowid = search_articles.rowid WHERE search_articles MATCH :q "
            f"ORDER BY {order} LIMIT :limit OFFSET :offset"
        ),
        params,
    ).mappings()
    found_articles = [{**_article_row(row), "snippet": snippet_segments(row["snippet"])} for row in article_rows]
    fts, table = layer.search_table, layer.events
    join = f"JOIN {table.name} ON {table.name}.rowid = {fts}.rowid AND "
    shown = join + condition_sql(connection, confident(table, threshold))
    total_events = _capped_count(connection, fts, params, shown)
    hidden = 0
    if threshold > 0:
        hidden = _capped_count(connection, fts, params, join + condition_sql(connection, below(table, threshold)))
    event_query = (
        f"SELECT {fts}.rowid AS fts_rowid, snippet({fts}, -1, {marks}) AS snippet FROM {fts} {shown} "
        f"WHERE {fts} MATCH :q ORDER BY {_fts_order(fts, '3.0, 2.0, 1.0', total_events)} LIMIT :limit OFFSET :offset"
    )
    hits = [(row[0], row[1]) for row in connection.execute(sa.text(event_query), params)]
    events_page = _search_page(_events_by_rowid(connection, layer, hits), total_events, limit, offset)
    events_page.update(threshold_fields(threshold, hidden))
    return _search_page(found_articles, total_articles, limit, offset), events_page


def _events_by_rowid(connection: sa.Connection, layer: Layer, hits: list[tuple[int, str]]) -> list[dict[str, Any]]:
    table = layer.events
    rowid = sa.literal_column(f"{table.name}.rowid")
    query = _event_list_query(layer).add_columns(rowid.label("row_number")).where(rowid.in_([h[0] for h in hits]))
    by_rowid = {row["row_number"]: row for row in connection.execute(query).mappings()}
    found = []
    for number, snippet in hits:
        if number in by_rowid:
            found.append({**_event_summary(by_rowid[number], layer), "snippet": snippet_segments(snippet)})
    return found


#: PostgreSQL search looks at most this many matches per kind; beyond, the page is the newest of them.
PG_SEARCH_CANDIDATES = 2000
#: Up to this many matches are ranked by ts_rank (it re-reads each match's text); more are ordered by date.
PG_RANKED_MATCHES = 300


def _search_postgres(
    connection: sa.Connection, layer: Layer, q: str, limit: int, offset: int, threshold: float
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Matches capped at PG_SEARCH_CANDIDATES per kind, so a word found everywhere costs no more than a rare one."""
    params = {"q": q, "cap": PG_SEARCH_CANDIDATES + 1}
    articles_page = _pg_article_hits(connection, params, limit, offset)
    events_page = _pg_event_hits(connection, layer, params, limit, offset, threshold)
    return articles_page, events_page


_PG_TSQUERY = "websearch_to_tsquery('english', :q)"
_PG_HEADLINE = f"'StartSel={MATCH_START}, StopSel={MATCH_END}, MaxWords=30, MinWords=12, MaxFragments=1'"


def _pg_capped_page(total: int, items: list[dict[str, Any]], limit: int, offset: int) -> dict[str, Any]:
    page = _page(items, min(total, PG_SEARCH_CANDIDATES), limit, offset)
    page["more"] = total > PG_SEARCH_CANDIDATES
    return page


def _ids_newest_first(candidates: Sequence[Any]) -> list[str]:
    """Ids of (id, date) rows, newest date first, undated last, ties by id (descending)."""
    newest = sorted(candidates, key=lambda c: (c[1] is not None, c[1] or dt.date.min, c[0]), reverse=True)
    return [c[0] for c in newest]


def _pg_article_hits(connection: sa.Connection, params: dict[str, Any], limit: int, offset: int) -> dict[str, Any]:
    doc = _tsvector(_PG_ARTICLE_DOC)
    candidates = connection.execute(
        sa.text(f"SELECT article_id, published FROM articles WHERE {doc} @@ {_PG_TSQUERY} LIMIT :cap"), params
    ).all()
    total = len(candidates)
    candidates = candidates[:PG_SEARCH_CANDIDATES]
    if total <= PG_RANKED_MATCHES:
        ranked = connection.execute(
            sa.text(
                f"SELECT article_id FROM articles WHERE article_id = ANY(:ids) "
                f"ORDER BY ts_rank({doc}, {_PG_TSQUERY}) DESC, article_id"
            ),
            {**params, "ids": [c[0] for c in candidates]},
        ).scalars()
        order = list(ranked)
    else:
        order = _ids_newest_first(candidates)
    page_ids = order[offset : offset + limit]
    rows = connection.execute(
        sa.text(
            "SELECT article_id, title, outlet, published, language, "
            f"ts_headline('english', {_PG_ARTICLE_DOC}, {_PG_TSQUERY}, {_PG_HEADLINE}) AS snippet "
            "FROM articles WHERE article_id = ANY(:ids)"
        ),
        {**params, "ids": page_ids},
    ).mappings()
    by_id = {row["article_id"]: row for row in rows}
    items = [
        {**_article_row(by_id[a]), "snippet": snippet_segments(by_id[a]["snippet"])} for a in page_ids if a in by_id
    ]
    return _pg_capped_page(total, items, limit, offset)


def _pg_event_hits(
    connection: sa.Connection, layer: Layer, params: dict[str, Any], limit: int, offset: int, threshold: float
) -> dict[str, Any]:
    table, mention_table = layer.events.name, layer.mentions.name
    matching = (
        f"(SELECT m.event_id FROM {mention_table} m WHERE {_tsvector('m.sentence')} @@ {_PG_TSQUERY} LIMIT :cap) "
        f"UNION (SELECT e.event_id FROM {table} e WHERE {_tsvector(_pg_event_doc('e'))} @@ {_PG_TSQUERY} LIMIT :cap)"
    )
    matched = f"SELECT {table}.event_id, {table}.date FROM {table} WHERE {table}.event_id IN ({matching}) AND "
    candidates = connection.execute(
        sa.text(matched + condition_sql(connection, confident(layer.events, threshold))), params
    ).all()
    hidden = 0
    if threshold > 0:
        below_sql = condition_sql(connection, below(layer.events, threshold))
        hidden = len(connection.execute(sa.text(matched + below_sql), params).all())
    total = len(candidates)
    page_ids = _ids_newest_first(candidates)[:PG_SEARCH_CANDIDATES][offset : offset + limit]
    hits = connection.execute(
        sa.text(
            f"SELECT e.event_id, ts_headline('english', {_pg_event_doc('e')} || ' ' || coalesce(("
            f"SELECT string_agg(sentence, ' ') FROM {mention_table} WHERE event_id = e.event_id), ''), "
            f"{_PG_TSQUERY}, {_PG_HEADLINE}) AS snippet FROM {table} e WHERE e.event_id = ANY(:ids)"
        ),
        {**params, "ids": page_ids},
    ).all()
    snippets = dict(hits)
    query = _event_list_query(layer).where(layer.events.c.event_id.in_(page_ids))
    by_id = {row["event_id"]: row for row in connection.execute(query).mappings()}
    items = [
        {**_event_summary(by_id[event_id], layer), "snippet": snippet_segments(snippets.get(event_id))}
        for event_id in page_ids
        if event_id in by_id
    ]
    return {**_pg_capped_page(total, items, limit, offset), **threshold_fields(threshold, hidden)}


def search(
    engine: sa.Engine, q: str, limit: int = 20, offset: int = 0, min_confidence: float | None = None
) -> dict[str, Any]:
    """Full-text search over articles (title, text) and events (actors, predicate, sentences) at or
    above the confidence threshold (the events page says how many matches fell below it)."""
    limit = clamp_limit(limit)
    terms = search_terms(q)
    threshold = threshold_or_default(min_confidence)
    with engine.connect() as connection:
        layer = event_layer(connection)
        if not terms:
            empty = _search_page([], 0, limit, offset)
            found = (empty, {**empty, **threshold_fields(threshold, 0)})
        elif connection.dialect.name == "sqlite":
            found = _search_sqlite(connection, layer, terms, limit, offset, threshold)
        else:
            found = _search_postgres(connection, layer, " ".join(terms), limit, offset, threshold)
    return {"q": q, "terms": terms, "layer": layer.name, "articles": found[0], "events": found[1]}
