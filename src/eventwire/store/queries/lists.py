"""The overview and the paginated lists: stories, articles, events."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from eventwire.store.queries.filters import EventFilter, list_filtered_events
from eventwire.store.queries.layers import (
    Layer,
    confident,
    count_rows,
    event_layer,
    threshold_fields,
    threshold_or_default,
)
from eventwire.store.queries.rows import (
    DEFAULT_LIMIT,
    article_row,
    clamp_limit,
    country_name,
    event_list_query,
    event_summary,
    lead_text_column,
    newest_first,
    outlet_of,
    page_of,
    story_row,
)
from eventwire.store.queries.trend import weekly_trend
from eventwire.store.schema import articles, events, stories, story_articles


def counts(connection: sa.Connection, layer: Layer, threshold: float = 0.0) -> dict[str, int]:
    """Articles, stories, events (of the layer shown), those of them at or above `threshold`
    (`confident_events`), and per-article events."""
    return {
        "articles": count_rows(connection, articles),
        "stories": count_rows(connection, stories),
        "events": count_rows(connection, layer.events),
        "confident_events": count_rows(connection, layer.events, confident(layer.events, threshold)),
        "article_events": count_rows(connection, events),
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


def _story_outlets(connection: sa.Connection, story_ids: Sequence[str]) -> dict[str, list[str]]:
    if not story_ids:
        return {}
    query = (
        sa.select(story_articles.c.story_id, articles.c.outlet, articles.c.url)
        .join(articles, articles.c.article_id == story_articles.c.article_id)
        .where(story_articles.c.story_id.in_(story_ids))
    )
    outlets: dict[str, list[str]] = defaultdict(list)
    for story_id, stored, url in connection.execute(query):
        outlet = outlet_of(stored, url)
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
    rows = [story_row(row) for row in connection.execute(query).mappings()]
    outlets = _story_outlets(connection, [row["story_id"] for row in rows])
    for row in rows:
        row["outlets"] = outlets.get(row["story_id"], [])
    return rows


def list_stories(engine: sa.Engine, limit: int = DEFAULT_LIMIT, offset: int = 0) -> dict[str, Any]:
    """Stories, most recently active first."""
    limit = clamp_limit(limit)
    with engine.connect() as connection:
        return page_of(_stories(connection, limit, offset), count_rows(connection, stories), limit, offset)


def _articles(connection: sa.Connection, limit: int, offset: int) -> list[dict[str, Any]]:
    columns = [articles.c[name] for name in ("article_id", "title", "outlet", "url", "published", "language")]
    query = (
        sa.select(*columns, lead_text_column(articles.c.text))
        .order_by(sa.nulls_last(articles.c.published.desc()), articles.c.article_id)
        .limit(limit)
        .offset(offset)
    )
    return [article_row(row) for row in connection.execute(query).mappings()]


def list_articles(engine: sa.Engine, limit: int = DEFAULT_LIMIT, offset: int = 0) -> dict[str, Any]:
    """Articles, newest first (undated last)."""
    limit = clamp_limit(limit)
    with engine.connect() as connection:
        return page_of(_articles(connection, limit, offset), count_rows(connection, articles), limit, offset)


def list_events(
    engine: sa.Engine, limit: int = DEFAULT_LIMIT, offset: int = 0, min_confidence: float | None = None
) -> dict[str, Any]:
    """Events of the layer shown at or above the confidence threshold, newest first (undated last):
    the unfiltered list of `filters.list_filtered_events`."""
    return list_filtered_events(engine, EventFilter(min_confidence=min_confidence), limit, offset)


def overview(engine: sa.Engine, limit: int = 10, min_confidence: float | None = None) -> dict[str, Any]:
    """Counts (with how many events reach the threshold), most active dyads and the weekly trend (every
    event counted), recent stories, articles, and the latest events at or above the threshold."""
    limit = clamp_limit(limit)
    threshold = threshold_or_default(min_confidence)
    with engine.connect() as connection:
        layer = event_layer(connection)
        table = layer.events
        recent_events = (
            event_list_query(layer).where(confident(table, threshold)).order_by(*newest_first(table)).limit(limit)
        )
        totals, dyads = _summary(connection, layer, limit, threshold)
        return {
            "layer": layer.name,
            **threshold_fields(threshold, totals["events"] - totals["confident_events"]),
            "counts": totals,
            "top_dyads": dyads,
            "trend": weekly_trend(connection, layer),
            "recent_stories": _stories(connection, limit, 0),
            "recent_articles": _articles(connection, limit, 0),
            "recent_events": [event_summary(row, layer) for row in connection.execute(recent_events).mappings()],
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
