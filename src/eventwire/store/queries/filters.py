"""Filters and facets of the events list, and the filtered events streamed in the export shape.

One `EventFilter` serves the list page, its JSON twins and the CSV / JSON Lines downloads:
`conditions` turns it into SQL (both dialects), `list_filtered_events` pages through the events it
keeps, `event_facets` counts them by type, quad class, country and month (as Datasette's facets
do), and `iter_filtered_events` streams them with every mention, newest first, in the rows of
`eventwire export events` (docs/schema.md).
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, fields
from typing import Any

import sqlalchemy as sa

from eventwire.events.code import PLOVER_REPRESENTATIVE
from eventwire.events.tables import STATEMENT
from eventwire.store.contracts import event_contract, mention_columns, mention_json
from eventwire.store.queries.derived import pg_event_doc, tsvector
from eventwire.store.queries.event_detail import QUAD_LABELS
from eventwire.store.queries.fulltext import fts_query, search_terms
from eventwire.store.queries.layers import (
    CANONICAL,
    Layer,
    confidence_report,
    confident,
    event_layer,
    threshold_or_default,
)
from eventwire.store.queries.rows import DEFAULT_LIMIT, clamp_limit, country_name, event_page, newest_first
from eventwire.store.schema import story_articles

#: PLOVER event types an event can have (the `plover` filter accepts these).
PLOVER_TYPES: tuple[str, ...] = (*sorted(PLOVER_REPRESENTATIVE), STATEMENT)
#: Values shown per facet (the most frequent ones; months: the latest ones).
FACET_SIZE = 10
MONTH_FACET_SIZE = 12
#: Rows fetched per round trip while streaming a download.
STREAM_CHUNK = 1000

_COUNTRY = re.compile(r"^[A-Z]{3}$")
_CAMEO_PREFIX = re.compile(r"^\d{1,4}$")


class FilterError(ValueError):
    """A filter value that cannot be applied (the message names the parameter and the problem)."""


@dataclass(frozen=True)
class EventFilter:
    """What the events list keeps: every field set narrows it (None: no condition).

    `country` matches either side of an event (`UKR,RUS`: events involving both, on either side),
    `source_country` / `target_country` one side;
    `actor` is a knowledge-base actor id (`person:xi-jinping`, `country:RUS`) on either side;
    `cameo` is a code prefix (`04` keeps every consultation); `since` / `until` are inclusive and
    leave out undated events; `story` keeps the events of one story; `q` the events whose actors,
    predicate or evidence sentences contain every word. `min_confidence` is the list's threshold
    (None: the documented default; 0: every event).
    """

    country: str | None = None
    source_country: str | None = None
    target_country: str | None = None
    actor: str | None = None
    plover: str | None = None
    cameo: str | None = None
    quad_class: int | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    story: str | None = None
    q: str | None = None
    min_confidence: float | None = None

    def __post_init__(self) -> None:
        for name in ("country", "source_country", "target_country", "plover"):
            value = getattr(self, name)
            object.__setattr__(self, name, value.replace(" ", "").upper() if value and value.strip() else None)
        for name in ("actor", "cameo", "story", "q"):
            value = getattr(self, name)
            object.__setattr__(self, name, value.strip() if value and value.strip() else None)
        self._check()

    def _check(self) -> None:
        for name in ("country", "source_country", "target_country"):
            for value in (getattr(self, name) or "").split(",") if getattr(self, name) is not None else ():
                if not _COUNTRY.match(value):
                    raise FilterError(f"{name}: {value[:20]!r} is not an ISO 3166-1 alpha-3 country code (e.g. RUS)")
        if len(self.countries) > 2 or any("," in (v or "") for v in (self.source_country, self.target_country)):
            raise FilterError("country takes one or two codes (UKR or UKR,RUS), source_country and target_country one")
        if self.plover is not None and self.plover not in PLOVER_TYPES:
            raise FilterError(f"plover: unknown event type {self.plover[:20]!r}; one of {', '.join(PLOVER_TYPES)}")
        if self.cameo is not None and not _CAMEO_PREFIX.match(self.cameo):
            raise FilterError(f"cameo: {self.cameo[:20]!r} is not a CAMEO code prefix (1 to 4 digits, e.g. 04)")
        if self.quad_class is not None and self.quad_class not in QUAD_LABELS:
            raise FilterError(f"quad_class: {self.quad_class} is not a quad class (1 to 4)")
        if self.since and self.until and self.until < self.since:
            raise FilterError(f"until ({self.until}) is before since ({self.since})")
        if self.min_confidence is not None and not 0.0 <= self.min_confidence <= 1.0:
            raise FilterError(f"min_confidence: {self.min_confidence} is not within 0 … 1")
        if self.q is not None and not search_terms(self.q):
            raise FilterError(f"q: {self.q[:40]!r} holds no word to search for")

    @property
    def countries(self) -> tuple[str, ...]:
        """The codes of `country` (events involve every one of them)."""
        return tuple(dict.fromkeys(self.country.split(","))) if self.country else ()

    def active(self) -> dict[str, Any]:
        """The filters set (`min_confidence` aside), as query parameter values."""
        values = asdict(self)
        values.pop("min_confidence")
        return {
            name: value.isoformat() if isinstance(value, dt.date) else value
            for name, value in values.items()
            if value is not None
        }


FILTER_NAMES: tuple[str, ...] = tuple(field.name for field in fields(EventFilter))


# ---------------------------------------------------------------- conditions


def _either_side(table: sa.Table, column: str, value: str) -> sa.ColumnElement[bool]:
    return sa.or_(table.c[f"source_{column}"] == value, table.c[f"target_{column}"] == value)


def _in_story(layer: Layer, story_id: str) -> sa.ColumnElement[bool]:
    table = layer.events
    if layer is CANONICAL:
        return table.c.story_id == story_id
    members = sa.select(story_articles.c.article_id).where(story_articles.c.story_id == story_id)
    return table.c.article_id.in_(members)


def _matching_words(connection: sa.Connection, layer: Layer, q: str) -> sa.ColumnElement[bool]:
    """Events whose actors, predicate or evidence sentences hold every word of `q`, through the
    search index of the dialect (FTS5 on SQLite, the GIN tsvector indexes on PostgreSQL)."""
    table = layer.events
    terms = search_terms(q)
    if connection.dialect.name == "sqlite":
        fts = layer.search_table
        hits = sa.text(f"SELECT rowid FROM {fts} WHERE {fts} MATCH :filter_fts").bindparams(filter_fts=fts_query(terms))
        return sa.literal_column(f"{table.name}.rowid").in_(hits)
    words = " ".join(terms)
    query = "websearch_to_tsquery('english', :{})"
    in_sentences = sa.text(
        f"SELECT event_id FROM {layer.mentions.name} WHERE {tsvector('sentence')} @@ {query.format('filter_ts_m')}"
    ).bindparams(filter_ts_m=words)
    in_record = sa.text(f"{tsvector(pg_event_doc(table.name))} @@ {query.format('filter_ts_e')}").bindparams(
        filter_ts_e=words
    )
    return sa.or_(table.c.event_id.in_(in_sentences), in_record)


def conditions(connection: sa.Connection, layer: Layer, event_filter: EventFilter) -> list[sa.ColumnElement[bool]]:
    """The SQL conditions of a filter on the layer's event table (the confidence threshold aside)."""
    table, f = layer.events, event_filter
    found: list[sa.ColumnElement[bool]] = []
    found += [_either_side(table, "country", code) for code in f.countries]
    if f.source_country:
        found.append(table.c.source_country == f.source_country)
    if f.target_country:
        found.append(table.c.target_country == f.target_country)
    if f.actor:
        found.append(_either_side(table, "actor_id", f.actor))
    if f.plover:
        found.append(table.c.plover == f.plover)
    if f.cameo:
        found.append(table.c.cameo.startswith(f.cameo, autoescape=True))
    if f.quad_class is not None:
        found.append(table.c.quad_class == f.quad_class)
    if f.since:
        found.append(table.c.date >= f.since)
    if f.until:
        found.append(table.c.date <= f.until)
    if f.story:
        found.append(_in_story(layer, f.story))
    if f.q:
        found.append(_matching_words(connection, layer, f.q))
    return found


def _scope(connection: sa.Connection, layer: Layer, event_filter: EventFilter) -> sa.ColumnElement[bool]:
    return sa.and_(sa.true(), *conditions(connection, layer, event_filter))


# ---------------------------------------------------------------- the list


def list_filtered_events(
    engine: sa.Engine, event_filter: EventFilter, limit: int = DEFAULT_LIMIT, offset: int = 0
) -> dict[str, Any]:
    """A page of the events a filter keeps at or above its confidence threshold, newest first
    (undated last), with the filters applied and how many events the threshold left out."""
    limit = clamp_limit(limit)
    threshold = threshold_or_default(event_filter.min_confidence)
    with engine.connect() as connection:
        layer = event_layer(connection)
        table = layer.events
        scope = _scope(connection, layer, event_filter)
        return {
            "layer": layer.name,
            "filters": event_filter.active(),
            **event_page(connection, layer, sa.and_(scope, confident(table, threshold)), limit, offset),
            **confidence_report(connection, table, [scope], threshold),
        }


# ---------------------------------------------------------------- facets


def _month_of(connection: sa.Connection, table: sa.Table) -> sa.ColumnElement[str]:
    """The YYYY-MM of an event's date (SQLite stores dates as ISO text)."""
    if connection.dialect.name == "sqlite":
        return sa.func.substr(table.c.date, 1, 7)
    return sa.func.to_char(table.c.date, "YYYY-MM")


def _month_bounds(month: str) -> tuple[str, str]:
    year, number = (int(part) for part in month.split("-"))
    return f"{month}-01", f"{month}-{calendar.monthrange(year, number)[1]:02d}"


def _counted(connection: sa.Connection, query: sa.Select, size: int) -> tuple[list[tuple[Any, int]], bool]:
    rows = [(row[0], int(row[1])) for row in connection.execute(query.limit(size + 1))]
    return rows[:size], len(rows) > size


def _facet(label: str, values: list[dict[str, Any]], more: bool) -> dict[str, Any]:
    return {"label": label, "values": values, "more": more}


def _value(value: Any, label: Any, count: int, selects: dict[str, Any], event_filter: EventFilter) -> dict[str, Any]:
    """One facet value: what it shows, how many events have it, whether the filter selects it, and the
    query parameters its link sets (`selects`, or None for each of them when it is already selected)."""
    active = event_filter.active()
    selected = all(str(active.get(name)) == str(wanted) for name, wanted in selects.items())
    params = dict.fromkeys(selects) if selected else selects
    return {"value": value, "label": label, "count": count, "selected": selected, "params": params}


def _country_value(code: str, count: int, event_filter: EventFilter) -> dict[str, Any]:
    """A country of the facet: its link adds it to the countries of the filter (up to two), or takes it
    away when it is one of them."""
    chosen = event_filter.countries
    selected = code in chosen
    codes = [c for c in chosen if c != code] if selected else [*chosen[-1:], code]
    label = country_name(code) or code
    params = {"country": ",".join(codes) or None}
    return {"value": code, "label": label, "count": count, "selected": selected, "params": params}


def _column_facet(
    connection: sa.Connection, table: sa.Table, where: sa.ColumnElement[bool], column: str
) -> tuple[list[tuple[Any, int]], bool]:
    """Values of one column among the events kept, most frequent first."""
    n = sa.func.count().label("n")
    query = sa.select(table.c[column], n).where(where).group_by(table.c[column]).order_by(n.desc(), table.c[column])
    return _counted(connection, query, FACET_SIZE)


def _country_facet(
    connection: sa.Connection, table: sa.Table, where: sa.ColumnElement[bool]
) -> tuple[list[tuple[Any, int]], bool]:
    """Countries on either side of the events kept (an event within one country counted once)."""
    sources = sa.select(table.c.source_country.label("country")).where(where, table.c.source_country.is_not(None))
    targets = sa.select(table.c.target_country.label("country")).where(
        where,
        table.c.target_country.is_not(None),
        sa.or_(table.c.source_country.is_(None), table.c.source_country != table.c.target_country),
    )
    sides = sa.union_all(sources, targets).subquery()
    n = sa.func.count().label("n")
    query = sa.select(sides.c.country, n).group_by(sides.c.country).order_by(n.desc(), sides.c.country)
    return _counted(connection, query, FACET_SIZE)


def _month_facet(
    connection: sa.Connection, table: sa.Table, where: sa.ColumnElement[bool]
) -> tuple[list[tuple[Any, int]], bool]:
    """Months of the dated events kept, latest first."""
    month = _month_of(connection, table).label("month")
    query = (
        sa.select(month, sa.func.count().label("n"))
        .where(where, table.c.date.is_not(None))
        .group_by(month)
        .order_by(month.desc())
    )
    return _counted(connection, query, MONTH_FACET_SIZE)


def event_facets(engine: sa.Engine, event_filter: EventFilter) -> dict[str, Any]:
    """Counts of the events the list shows by type (PLOVER), quad class, country (either side) and
    month; each value carries the filter parameters that select it."""
    threshold = threshold_or_default(event_filter.min_confidence)
    f = event_filter
    with engine.connect() as connection:
        layer = event_layer(connection)
        table = layer.events
        shown = sa.and_(_scope(connection, layer, f), confident(table, threshold))
        plovers, more_plovers = _column_facet(connection, table, shown, "plover")
        quads, more_quads = _column_facet(connection, table, shown, "quad_class")
        countries, more_countries = _country_facet(connection, table, shown)
        months, more_months = _month_facet(connection, table, shown)
    return {
        "plover": _facet("type", [_value(v, v, n, {"plover": v}, f) for v, n in plovers], more_plovers),
        "quad_class": _facet(
            "quad class", [_value(v, QUAD_LABELS.get(v, v), n, {"quad_class": v}, f) for v, n in quads], more_quads
        ),
        "country": _facet(
            "country",
            [_country_value(v, n, f) for v, n in countries],
            more_countries,
        ),
        "month": _facet(
            "month",
            [_value(v, v, n, dict(zip(("since", "until"), _month_bounds(v), strict=True)), f) for v, n in months],
            more_months,
        ),
    }


# ---------------------------------------------------------------- downloads


def _download_row(row: sa.RowMapping, event_mentions: list[dict[str, Any]], layer: Layer) -> dict[str, Any]:
    """An event as `eventwire export events` writes it: the output contract and the layer's own fields."""
    if layer is CANONICAL:
        extra = {
            "story_id": row["story_id"],
            "sources": row["sources"],
            "predicate": row["predicate"],
            "date_method": row["date_method"],
            "member_event_ids": row["member_ids"],
        }
    else:
        extra = {"article_id": row["article_id"], "predicate": row["predicate"], "date_method": row["date_method"]}
    return {**event_contract(row, event_mentions), **extra}


def _download_query(layer: Layer, where: sa.ColumnElement[bool]) -> sa.Select:
    table, mention_table = layer.events, layer.mentions
    joined = [mention_table.c.position.label("m_position"), *mention_columns(mention_table)]
    return (
        sa.select(table, *joined)
        .outerjoin(mention_table, mention_table.c.event_id == table.c.event_id)
        .where(where)
        .order_by(*newest_first(table), mention_table.c.position)
    )


def iter_filtered_events(engine: sa.Engine, event_filter: EventFilter) -> Iterator[dict[str, Any]]:
    """Every event the list of `event_filter` shows, newest first (undated last), with all its
    mentions, in the export shape; rows are read from a server-side cursor, a chunk at a time."""
    threshold = threshold_or_default(event_filter.min_confidence)
    with engine.connect() as connection:
        layer = event_layer(connection)
        where = sa.and_(_scope(connection, layer, event_filter), confident(layer.events, threshold))
        rows = connection.execution_options(yield_per=STREAM_CHUNK).execute(_download_query(layer, where)).mappings()
        for _, group in itertools.groupby(rows, key=lambda row: row["event_id"]):
            members = list(group)
            event_mentions = [mention_json(m) for m in members if m["m_position"] is not None]
            yield _download_row(members[0], event_mentions, layer)
