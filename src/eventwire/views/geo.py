"""The map: events placed where they happened, filtered as the events list is."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import HTTPException, Query
from pydantic import BeforeValidator, Field, StringConstraints

from eventwire.store.queries.geo import DEFAULT_MAP_LIMIT, MAX_MAP_LIMIT, MapFilters, map_events
from eventwire.views.base import Data, Engine, MinConfidence, View


def _blank_is_none(value: Any) -> Any:
    """An empty value (a form's blank field) counts as no filter."""
    return None if isinstance(value, str) and not value.strip() else value


#: A filter left blank in the page's form is no filter.
Blank = BeforeValidator(_blank_is_none)
Iso3 = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{3}$")]
Plover = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_]{1,40}$")]
CameoPrefix = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,4}$")]
QuadClass = Annotated[int, Field(ge=1, le=4)]
CountryFilter = Annotated[Iso3 | None, Blank, Query(description="Events whose source or target is this ISO3 country.")]
PloverFilter = Annotated[Plover | None, Blank, Query(description="PLOVER event type, e.g. CONSULT.")]
CameoFilter = Annotated[CameoPrefix | None, Blank, Query(description="CAMEO code prefix, e.g. 04.")]
QuadFilter = Annotated[
    QuadClass | None,
    Blank,
    Query(description="Quad class: 1 verbal / 2 material cooperation, 3 verbal / 4 material conflict."),
]
DateFilter = Annotated[dt.date | None, Blank, Query(description="YYYY-MM-DD, inclusive.")]
MapLimit = Annotated[
    int, Query(ge=1, le=MAX_MAP_LIMIT, description=f"Most points drawn, most corroborated first (1 … {MAX_MAP_LIMIT}).")
]


def world_map(
    engine: Engine,
    country: CountryFilter = None,
    plover: PloverFilter = None,
    cameo: CameoFilter = None,
    quad_class: QuadFilter = None,
    since: DateFilter = None,
    until: DateFilter = None,
    min_confidence: MinConfidence = None,
    limit: MapLimit = DEFAULT_MAP_LIMIT,
) -> Data:
    """Located events at or above the confidence threshold, most corroborated first, with their place."""
    if since and until and until < since:
        raise HTTPException(status_code=422, detail="until must not be before since")
    filters = MapFilters(country and country.upper(), plover and plover.upper(), cameo, quad_class, since, until)
    return map_events(engine, filters, min_confidence, limit)


MAP = View(
    "map",
    "/map",
    world_map,
    "Events placed where they happened (latitude, longitude), sized by outlets, with their quad class",
)
