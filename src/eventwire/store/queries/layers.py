"""The two event layers the views read (canonical or per-article events) and the confidence filter
every event list applies (`confident`), with what a list reports about it (`confidence_report`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import sqlalchemy as sa

from eventwire.events.confidence import default_threshold
from eventwire.store.schema import canonical_events, canonical_mentions, events, mentions

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
        hidden = sum(count_rows(connection, table, sa.and_(scope, below(table, threshold))) for scope in scopes)
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


def count_rows(connection: sa.Connection, table: sa.Table, where: Any = None) -> int:
    query = sa.select(sa.func.count()).select_from(table)
    if where is not None:
        query = query.where(where)
    return int(connection.execute(query).scalar_one())
