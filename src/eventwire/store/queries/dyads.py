"""A dyad (two countries, both directions): its timeline per period and quad class, its actor network,
and its events."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import sqlalchemy as sa

from eventwire.store.queries.derived import QUADS
from eventwire.store.queries.layers import (
    Layer,
    confidence_report,
    confident,
    count_rows,
    event_layer,
    threshold_or_default,
)
from eventwire.store.queries.periods import PeriodRow, bucket_rows
from eventwire.store.queries.rows import (
    ACTOR_FIELDS,
    DEFAULT_LIMIT,
    actor_of_row,
    clamp_limit,
    country_name,
    iso_date,
    union_event_page,
)

#: Events read to draw a dyad's actor network (the latest ones of the range).
NETWORK_EVENTS = 2000


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
    params = {
        "layer": layer.code,
        "a": pair[0],
        "b": pair[1],
        "start": iso_date(start) or "0",
        "end": iso_date(end) or "9",
    }
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
    in_range = sa.or_(table.c.date.is_(None), sa.and_(sa.true(), *date_range(table, start, end)))
    quads = [sa.func.count().filter(table.c.quad_class == q) for q in QUADS]
    query = (
        sa.select(bucket, *quads, sa.func.count(), sa.func.sum(table.c.goldstein))
        .where(_dyad_condition(table, *pair), in_range)
        .group_by(bucket)
        .order_by(bucket)
    )
    return [(iso_date(row[0]) or "", *row[1:6], float(row[6] or 0.0)) for row in connection.execute(query)]


def _network_counts(
    connection: sa.Connection, layer: Layer, source: str, target: str, start: Any, end: Any
) -> list[sa.RowMapping]:
    """Actor pairs of the latest NETWORK_EVENTS events from `source` to `target`, counted in SQL."""
    table = layer.events
    actor_columns = [table.c[f"{role}_{name}"] for role in ("source", "target") for name in ACTOR_FIELDS]
    latest = (
        sa.select(*actor_columns, table.c.goldstein, table.c.quad_class)
        .where(
            table.c.source_country == source,
            table.c.target_country == target,
            *date_range(table, start, end),
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
    """Actors of the dyad's latest events (up to NETWORK_EVENTS each way) and who acted on whom, how often;
    an event with a place for an actor (`is_place`) draws no edge."""
    nodes: dict[str, dict[str, Any]] = {}
    edges: dict[tuple[str, str], dict[str, Any]] = {}
    read = 0
    for source_country, target_country in {(a, b), (b, a)}:
        for row in _network_counts(connection, layer, source_country, target_country, start, end):
            read += row["events"]
            source, target = actor_of_row(row, "source"), actor_of_row(row, "target")
            if not source or not target or is_place(source) or is_place(target):
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


def is_place(actor: dict[str, Any]) -> bool:
    """Whether a stored actor is a place, where events happen rather than who acts: of kind 'place', or,
    in stores written before places had that kind, a city named alone (a 'group' with the city's name
    and neither sector nor knowledge-base id, which the resolver gives no other actor)."""
    if actor["kind"] == "place":
        return True
    return actor["kind"] == "group" and bool(actor["name"]) and not actor["sector"] and not actor["actor_id"]


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


def unknown_countries(engine: sa.Engine, *codes: str) -> list[str]:
    """The codes (upper-cased) that are neither ISO 3166-1 alpha-3 countries nor the country of any stored
    event's source or target (a store may use codes ISO lacks, such as Kosovo's XKX)."""
    unknown = [code.upper() for code in codes if country_name(code) is None]
    if not unknown:
        return []
    with engine.connect() as connection:
        table = event_layer(connection).events
        stored = set()
        for column in (table.c.source_country, table.c.target_country):
            stored.update(connection.execute(sa.select(column).where(column.in_(unknown)).distinct()).scalars())
    return [code for code in unknown if code not in stored]


def date_range(table: sa.Table, start: dt.date | None, end: dt.date | None) -> list[Any]:
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
            "start": iso_date(start),
            "end": iso_date(end),
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
            sa.and_(table.c.source_country == source, table.c.target_country == target, *date_range(table, start, end))
            for source, target in sorted({(a, b), (b, a)})
        ]
        shown = [sa.and_(direction, confident(table, threshold)) for direction in directions]
        total = sum(count_rows(connection, table, direction) for direction in shown)
        return {
            "a": a,
            "b": b,
            "start": iso_date(start),
            "end": iso_date(end),
            "layer": layer.name,
            **union_event_page(connection, layer, shown, total, limit, offset),
            **confidence_report(connection, table, directions, threshold),
        }
