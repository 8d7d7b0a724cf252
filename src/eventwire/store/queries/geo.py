"""Events where they happened: the map view's points, filtered as the events list is.

`map_events` answers the located events (those with a latitude and longitude) of the layer shown that
pass the filters, most corroborated first (distinct outlets, then newest), at most
`limit` of them, with how many matched in all and how many matching events have no location.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from eventwire.store.queries.filters import EventFilter, conditions
from eventwire.store.queries.layers import (
    CANONICAL,
    Layer,
    below,
    confident,
    event_layer,
    threshold_fields,
    threshold_or_default,
)
from eventwire.store.queries.rows import actor_of_row, iso_date

#: Points a map answers by default, and at most.
DEFAULT_MAP_LIMIT = 1000
MAX_MAP_LIMIT = 5000


def located(table: sa.Table) -> sa.ColumnElement[bool]:
    """Events with coordinates."""
    return sa.and_(table.c.location_lat.is_not(None), table.c.location_lon.is_not(None))


def _mention_counts(connection: sa.Connection, layer: Layer, event_ids: list[str]) -> dict[str, int]:
    if not event_ids:
        return {}
    mentions = layer.mentions
    query = (
        sa.select(mentions.c.event_id, sa.func.count())
        .where(mentions.c.event_id.in_(event_ids))
        .group_by(mentions.c.event_id)
    )
    return {event_id: int(count) for event_id, count in connection.execute(query)}


def _point(row: sa.RowMapping, layer: Layer, mentions: int) -> dict[str, Any]:
    """An event as a map point: what happened, where, and how well corroborated."""
    return {
        "event_id": row["event_id"],
        "date": iso_date(row["date"]),
        "source": actor_of_row(row, "source"),
        "target": actor_of_row(row, "target"),
        "plover": row["plover"],
        "cameo": row["cameo"],
        "quad_class": row["quad_class"],
        "goldstein": row["goldstein"],
        "confidence": round(row["confidence"], 3),
        "sources": row["sources"] if layer is CANONICAL else 1,
        "mentions": mentions,
        "location": {
            "text": row["location_text"],
            "country": row["location_country"],
            "lat": row["location_lat"],
            "lon": row["location_lon"],
        },
    }


def map_events(
    engine: sa.Engine, event_filter: EventFilter | None = None, limit: int = DEFAULT_MAP_LIMIT
) -> dict[str, Any]:
    """Located events the events list's filter keeps (its threshold too), most corroborated first.

    `total` counts every located match, `items` holds at most `limit` of them, `unlocated` counts the
    matches without coordinates; the confidence report counts the filtered events it left out."""
    limit = max(1, min(int(limit), MAX_MAP_LIMIT))
    event_filter = event_filter or EventFilter()
    threshold = threshold_or_default(event_filter.min_confidence)
    with engine.connect() as connection:
        layer = event_layer(connection)
        table = layer.events
        scope = sa.and_(sa.true(), *conditions(connection, layer, event_filter))
        matching = sa.and_(scope, confident(table, threshold))
        order = [sa.nulls_last(table.c.date.desc()), table.c.event_id]
        if layer is CANONICAL:
            order.insert(0, table.c.sources.desc())
        query = sa.select(table).where(matching, located(table)).order_by(*order).limit(limit)
        rows = list(connection.execute(query).mappings())
        mentions = _mention_counts(connection, layer, [row["event_id"] for row in rows])
        total, unlocated, hidden = _counts(connection, table, scope, threshold)
        return {
            "layer": layer.name,
            "filters": event_filter.active(),
            "items": [_point(row, layer, mentions.get(row["event_id"], 0)) for row in rows],
            "total": total,
            "unlocated": unlocated,
            "limit": limit,
            **threshold_fields(threshold, hidden),
        }


def _counts(connection: sa.Connection, table: sa.Table, scope: Any, threshold: float) -> tuple[int, int, int]:
    """In one pass over the filtered events: located ones at or above the threshold, unlocated ones at or
    above it, and those below it."""
    kept = confident(table, threshold)
    query = sa.select(
        sa.func.count().filter(sa.and_(kept, located(table))),
        sa.func.count().filter(sa.and_(kept, sa.not_(located(table)))),
        sa.func.count().filter(below(table, threshold)),
    ).where(scope)
    total, unlocated, hidden = connection.execute(query).one()
    return int(total or 0), int(unlocated or 0), int(hidden or 0)
