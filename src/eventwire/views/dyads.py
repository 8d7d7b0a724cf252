"""Views of two countries: their timeline and network, and their events."""

from __future__ import annotations

from fastapi import HTTPException

from eventwire.store import queries
from eventwire.views.base import (
    Country,
    Data,
    DateParam,
    Engine,
    Limit,
    MinConfidence,
    Offset,
    PeriodParam,
    View,
    check_range,
)

#: Events listed under the dyad page's charts.
LATEST_EVENTS = 20


def check_countries(engine: Engine, a: str, b: str) -> None:
    """404 naming the codes that are no country: neither ISO 3166-1 alpha-3 nor in any stored event."""
    unknown = queries.unknown_countries(engine, a, b)
    if unknown:
        raise HTTPException(status_code=404, detail=f"no country with code {' or '.join(map(repr, unknown))}")


def dyad(
    engine: Engine,
    a: Country,
    b: Country,
    period: PeriodParam = "month",
    start: DateParam = None,
    end: DateParam = None,
) -> Data:
    """Events between two countries per period and quad class, and their network (every event counted)."""
    check_range(start, end)
    check_countries(engine, a, b)
    return queries.dyad(engine, a, b, period, start, end)


def dyad_events(
    engine: Engine,
    a: Country,
    b: Country,
    start: DateParam = None,
    end: DateParam = None,
    limit: Limit = queries.DEFAULT_LIMIT,
    offset: Offset = 0,
    min_confidence: MinConfidence = None,
) -> Data:
    """Events between two countries in a date range, at or above the confidence threshold."""
    check_range(start, end)
    check_countries(engine, a, b)
    return queries.dyad_events(engine, a, b, start, end, limit, offset, min_confidence)


def latest_dyad_events(
    engine: Engine,
    a: Country,
    b: Country,
    start: DateParam = None,
    end: DateParam = None,
    min_confidence: MinConfidence = None,
) -> Data:
    """What the dyad page lists under its charts: the latest events of the `dyad_events` view."""
    return {"latest": dyad_events(engine, a, b, start, end, LATEST_EVENTS, 0, min_confidence)}


DYAD = View(
    "dyad",
    "/dyad/{a}/{b}",
    dyad,
    "Events between two countries per period and quad class, and their network (every event counted)",
    may_be_missing=True,
    page_extra=latest_dyad_events,
)
DYAD_EVENTS = View(
    "dyad_events",
    "/dyad/{a}/{b}/events",
    dyad_events,
    "Events between two countries in a date range",
    may_be_missing=True,
)
