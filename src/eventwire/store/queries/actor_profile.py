"""An actor's profile: identity, aliases, roles over time, partners, and its events."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any, Literal

import sqlalchemy as sa

from eventwire.store.queries.layers import confidence_report, confident, count_rows, event_layer, threshold_or_default
from eventwire.store.queries.rows import (
    ACTOR_FIELDS,
    DEFAULT_LIMIT,
    actor_of_row,
    clamp_limit,
    country_name,
    event_page,
    iso_date,
    newest_first,
    union_event_page,
)

#: Events read to build an actor profile (the latest ones in each role).
SAMPLE_EVENTS = 2000


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
    columns = [table.c[f"{role}_{name}"] for role in ("source", "target") for name in ACTOR_FIELDS]
    query = (
        sa.select(table.c.event_id, table.c.date, *columns)
        .where(condition)
        .order_by(*newest_first(table))
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
        day = iso_date(row["date"])
        if day:
            entry["first"] = min(filter(None, (entry["first"], day)))
            entry["last"] = max(filter(None, (entry["last"], day)))
    return sorted(roles.values(), key=lambda r: (r["first"] or "9999", -r["events"]))


def _partner(row: sa.RowMapping, role: str) -> tuple[str, str] | None:
    other = "target" if role == "source" else "source"
    actor = actor_of_row(row, other)
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
            "as_source": count_rows(connection, table, sa.and_(as_source, shown)),
            "as_target": count_rows(connection, table, sa.and_(as_target, shown)),
        }
        if role == "any":
            both = count_rows(connection, table, sa.and_(as_source, as_target, shown))
            total = totals["as_source"] + totals["as_target"] - both
            parts = [sa.and_(as_source, shown), sa.and_(as_target, shown)]
            events_page = union_event_page(connection, layer, parts, total, limit, offset)
            scopes = [sa.or_(as_source, as_target)]
        else:
            where = as_source if role == "source" else as_target
            events_page = event_page(connection, layer, sa.and_(where, shown), limit, offset, totals[f"as_{role}"])
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
