"""The overview and the paginated lists: stories, articles, events.

The events list is filtered by one set of parameters (`event_filter`, a FastAPI dependency) that its
page, its JSON twins and its CSV / JSON Lines downloads (`/api/events.csv`, `/api/events.jsonl`) share.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Query
from pydantic import BeforeValidator, Field

from eventwire.store import queries
from eventwire.views.base import Data, Engine, Limit, MinConfidence, Offset, View


def overview(engine: Engine, min_confidence: MinConfidence = None) -> Data:
    """Counts, most active dyads, recent stories, articles and events."""
    return queries.overview(engine, min_confidence=min_confidence)


def stories(engine: Engine, limit: Limit = queries.DEFAULT_LIMIT, offset: Offset = 0) -> Data:
    """Stories, most recently active first."""
    return queries.list_stories(engine, limit, offset)


def articles(engine: Engine, limit: Limit = queries.DEFAULT_LIMIT, offset: Offset = 0) -> Data:
    """Articles, newest first."""
    return queries.list_articles(engine, limit, offset)


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _text(description: str, max_length: int = 200) -> object:
    return Query(max_length=max_length, description=description)


def _date(name: str, value: str | None) -> dt.date | None:
    """A YYYY-MM-DD parameter (blank: none), or a 422 naming it."""
    if not value or not value.strip():
        return None
    try:
        if _DATE.match(value.strip()):
            return dt.date.fromisoformat(value.strip())
    except ValueError:
        pass
    raise HTTPException(status_code=422, detail=f"{name}: {value[:20]!r} is not a date (YYYY-MM-DD)")


def _blank_is_none(value: object) -> object:
    """A form's blank field is no filter."""
    return None if isinstance(value, str) and not value.strip() else value


def event_filter(
    country: Annotated[
        str | None, _text("ISO3 country code on either side (source or target); UKR,RUS: events involving both.", 20)
    ] = None,
    source_country: Annotated[str | None, _text("ISO3 country code of the source actor.", 3)] = None,
    target_country: Annotated[str | None, _text("ISO3 country code of the target actor.", 3)] = None,
    actor: Annotated[
        str | None, _text("Knowledge-base actor id on either side (person:xi-jinping, country:RUS).")
    ] = None,
    plover: Annotated[str | None, _text(f"PLOVER event type: {', '.join(queries.PLOVER_TYPES)}.", 20)] = None,
    cameo: Annotated[str | None, _text("CAMEO code prefix, 1 to 4 digits (04: every consultation).", 4)] = None,
    quad_class: Annotated[
        Annotated[int, Field(ge=1, le=4)] | None,
        BeforeValidator(_blank_is_none),
        Query(description="Quad class (1 … 4)."),
    ] = None,
    since: Annotated[
        str | None, _text("Events on or after this date (YYYY-MM-DD); undated ones are left out.", 10)
    ] = None,
    until: Annotated[
        str | None, _text("Events on or before this date (YYYY-MM-DD); undated ones are left out.", 10)
    ] = None,
    story: Annotated[str | None, _text("Story id: the events of one story.")] = None,
    q: Annotated[
        str | None, _text("Words that the event's actors, predicate or evidence sentences all contain.")
    ] = None,
    min_confidence: MinConfidence = None,
) -> queries.EventFilter:
    """The events list's filters from the request's query parameters (blank ones count as absent);
    a value that cannot be applied is a 422 naming the parameter."""
    try:
        return queries.EventFilter(
            country=country,
            source_country=source_country,
            target_country=target_country,
            actor=actor,
            plover=plover,
            cameo=cameo,
            quad_class=quad_class,
            since=_date("since", since),
            until=_date("until", until),
            story=story,
            q=q,
            min_confidence=min_confidence,
        )
    except queries.FilterError as error:
        raise HTTPException(status_code=422, detail=str(error)) from None


Filters = Annotated[queries.EventFilter, Depends(event_filter)]


def events(engine: Engine, filters: Filters, limit: Limit = queries.DEFAULT_LIMIT, offset: Offset = 0) -> Data:
    """Events kept by the filters at or above the confidence threshold, newest first, with their facets."""
    return {
        **queries.list_filtered_events(engine, filters, limit, offset),
        "facets": queries.event_facets(engine, filters),
    }


def event_rows(engine: Engine, filters: Filters) -> Iterator[Data]:
    """Every event of the filtered list, with all its mentions, as `eventwire export events` writes it."""
    return queries.iter_filtered_events(engine, filters)


OVERVIEW = View(
    "overview",
    "/",
    overview,
    "Counts, most active dyads, recent stories, articles and events",
    api_path="/api/overview",
)
STORIES = View("stories", "/stories", stories, "Stories, most recently active first")
ARTICLES = View("articles", "/articles", articles, "Articles, newest first")
EVENTS = View(
    "events",
    "/events",
    events,
    "Events, newest first (canonical events when stories exist), filtered, with facet counts",
    rows=event_rows,
)
