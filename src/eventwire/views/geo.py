"""The map: events placed where they happened, filtered as the events list is."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from eventwire.store.queries.geo import DEFAULT_MAP_LIMIT, MAX_MAP_LIMIT, map_events
from eventwire.views.base import Data, Engine, View
from eventwire.views.lists import Filters

MapLimit = Annotated[
    int, Query(ge=1, le=MAX_MAP_LIMIT, description=f"Most points drawn, most corroborated first (1 … {MAX_MAP_LIMIT}).")
]


def world_map(engine: Engine, filters: Filters, limit: MapLimit = DEFAULT_MAP_LIMIT) -> Data:
    """Located events the events list's filters keep, at or above the confidence threshold, most
    corroborated first, with their place."""
    return map_events(engine, filters, limit)


MAP = View(
    "map",
    "/map",
    world_map,
    "Events placed where they happened (latitude, longitude), sized by outlets, with their quad class",
)
