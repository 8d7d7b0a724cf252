"""Rows to JSON: dates, pages, actors, events as list rows, and pages of events newest first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa

from eventwire.record_fields import leaves
from eventwire.records import ActorRef
from eventwire.store.queries.layers import CANONICAL, Layer, count_rows

#: Largest page any list returns.
MAX_LIMIT = 200
DEFAULT_LIMIT = 50
#: Deepest page (offset + limit) built by merging per-index scans; deeper pages use one OR query.
MERGE_WINDOW = 5000


def iso_date(value: Any) -> str | None:
    """Dates as ISO strings (SQLite text queries already return strings)."""
    if value is None or value == "":
        return None
    return value.isoformat() if isinstance(value, dt.date) else str(value)[:10]


def clamp_limit(limit: int | None) -> int:
    """A page size within 1 … MAX_LIMIT."""
    return max(1, min(int(limit or DEFAULT_LIMIT), MAX_LIMIT))


#: Words of an article's text shown as its lead (what untitled articles are listed by).
LEAD_WORDS = 12
#: Characters of the text read for the lead in list queries (`lead_text`), enough for LEAD_WORDS words.
LEAD_CHARS = 300


def lead_text_column(text: Any) -> Any:
    """SQL for the opening of an article's text, labelled `lead_text` (read by `article_row`)."""
    return sa.func.substr(text, 1, LEAD_CHARS).label("lead_text")


def lead_of(text: str | None, words: int = LEAD_WORDS) -> str | None:
    """The first `words` words of a text, with `…` when it goes on (None for no text)."""
    parts = (text or "").split(maxsplit=words)
    if not parts:
        return None
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def host_of(url: str | None) -> str | None:
    """The host name of a URL without `www.` (`https://www.reuters.com/x` → `reuters.com`), or None."""
    try:
        host = urlsplit((url or "").strip()).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host.removeprefix("www.") or None


def outlet_of(outlet: str | None, url: str | None) -> str | None:
    """The stored outlet, else the host of the article's URL."""
    return outlet or host_of(url)


def page_of(items: list[dict[str, Any]], total: int, limit: int, offset: int) -> dict[str, Any]:
    return {"items": items, "total": total, "limit": limit, "offset": offset}


@cache
def country_name(code: str | None) -> str | None:
    """English name of an ISO 3166-1 alpha-3 code (None if unknown)."""
    if not code:
        return None
    import pycountry

    country = pycountry.countries.get(alpha_3=code.upper())
    return getattr(country, "common_name", None) or getattr(country, "name", None) if country else None


def actor_link_key(actor: dict[str, Any] | None) -> str | None:
    """The key of an actor's page: its knowledge-base id, else its country."""
    if not actor:
        return None
    return actor.get("actor_id") or actor.get("country")


#: An actor's stored fields (records.ActorRef), as the views show them.
ACTOR_FIELDS: tuple[str, ...] = tuple(leaf.name for leaf in leaves(ActorRef))


def actor_of_row(row: sa.RowMapping, role: str) -> dict[str, Any] | None:
    if row[f"{role}_text"] is None:
        return None
    actor = {name: row[f"{role}_{name}"] for name in ACTOR_FIELDS}
    actor["key"] = actor_link_key(actor)
    return actor


def _first_sentence(layer: Layer, table: sa.Table | sa.Alias) -> sa.ScalarSelect:
    mention_table = layer.mentions
    return (
        sa.select(mention_table.c.sentence)
        .where(mention_table.c.event_id == table.c.event_id)
        .order_by(mention_table.c.position)
        .limit(1)
        .scalar_subquery()
    )


def event_list_query(layer: Layer) -> sa.Select:
    table = layer.events
    return sa.select(table, _first_sentence(layer, table).label("first_sentence"))


def event_summary(row: sa.RowMapping, layer: Layer) -> dict[str, Any]:
    """An event as a list row: who did what to whom, when, with its first evidence sentence."""
    summary = {
        "event_id": row["event_id"],
        "layer": layer.name,
        "date": iso_date(row["date"]),
        "date_precision": row["date_precision"],
        "source": actor_of_row(row, "source"),
        "target": actor_of_row(row, "target"),
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


def newest_first(table: sa.Table) -> tuple[Any, ...]:
    return (sa.nulls_last(table.c.date.desc()), table.c.event_id)


def event_page(
    connection: sa.Connection, layer: Layer, where: Any, limit: int, offset: int, total: int | None = None
) -> dict[str, Any]:
    table = layer.events
    query = event_list_query(layer).where(where).order_by(*newest_first(table)).limit(limit).offset(offset)
    items = [event_summary(row, layer) for row in connection.execute(query).mappings()]
    return page_of(items, count_rows(connection, table, where) if total is None else total, limit, offset)


def _newest_first_key(row: sa.Row) -> tuple[bool, int, str]:
    """Python twin of `newest_first`: dated before undated, later dates first, then by id."""
    day = row.date
    return (day is None, -day.toordinal() if day else 0, row.event_id)


def union_event_page(
    connection: sa.Connection, layer: Layer, parts: Sequence[Any], total: int, limit: int, offset: int
) -> dict[str, Any]:
    """A page of events matching any of `parts`, newest first.

    Each part is a condition one index serves in date order (e.g. one direction of a dyad), so
    the page is merged from short index scans instead of sorting every match. Deep pages
    (beyond MERGE_WINDOW) use one OR query instead.
    """
    if offset + limit > MERGE_WINDOW:
        return event_page(connection, layer, sa.or_(*parts), limit, offset, total)
    table = layer.events
    keys: dict[str, sa.Row] = {}
    for part in parts:
        query = sa.select(table.c.event_id, table.c.date).where(part).order_by(*newest_first(table))
        for row in connection.execute(query.limit(offset + limit)):
            keys.setdefault(row.event_id, row)
    page_ids = [row.event_id for row in sorted(keys.values(), key=_newest_first_key)[offset : offset + limit]]
    rows = connection.execute(event_list_query(layer).where(table.c.event_id.in_(page_ids))).mappings()
    by_id = {row["event_id"]: row for row in rows}
    items = [event_summary(by_id[event_id], layer) for event_id in page_ids if event_id in by_id]
    return page_of(items, total, limit, offset)


def story_row(row: sa.RowMapping) -> dict[str, Any]:
    return {
        "story_id": row["story_id"],
        "title": row["title"],
        "first_seen": iso_date(row["first_seen"]),
        "last_seen": iso_date(row["last_seen"]),
        "article_count": row["article_count"],
    }


def article_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """An article's list fields. `outlet` falls back to the URL's host and `lead` is the text's first
    words, when the row has `url` and `lead_text` (or the whole `text`)."""
    return {
        "article_id": row["article_id"],
        "title": row["title"],
        "lead": lead_of(row.get("lead_text") or row.get("text")),
        "outlet": outlet_of(row["outlet"], row.get("url")),
        "published": iso_date(row["published"]),
        "language": row["language"],
    }
