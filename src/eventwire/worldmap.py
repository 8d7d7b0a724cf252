"""A world map of events, drawn without a browser or a tile server: points over country shapes.

The base map is `web/static/world.svg`, country outlines projected once by
`scripts/build_world_map.py` (Natural Earth 1:110m, public domain); this module owns the projection
both use (`project`, Natural Earth I, cropped to latitudes `SOUTH` … `NORTH`), so that a point drawn
here falls where the shapes put its place.

`map_svg` draws the points of the map view (`eventwire.store.queries.geo.map_events`): one circle per
event at its location, its area growing with its corroboration (distinct outlets), its colour its quad
class (`plots.QUAD_COLOURS`), each a link to the event's page. Events at the same place are laid out
in a small sunflower spiral around it, so that each stays visible and clickable.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from html import escape
from typing import Any

from eventwire.plots import QUAD_COLOURS, QUAD_NAMES

#: Width of the map in SVG units; its height follows from the projection and the latitude crop.
WIDTH = 960.0
#: Latitudes shown (Antarctica is left out: no news happens there often enough to pay for its space).
NORTH, SOUTH = 84.0, -58.0
#: Where the base map is served from (the application's static folder).
BASE_MAP_URL = "/static/world.svg"
#: Golden angle, for the spiral of events sharing a place.
_GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


def natural_earth(lon: float, lat: float) -> tuple[float, float]:
    """Natural Earth I projection (Šavrič et al. 2011) of a point in degrees, in unit-sphere coordinates (y up)."""
    lam, phi = math.radians(lon), math.radians(lat)
    phi2 = phi * phi
    phi4 = phi2 * phi2
    x = lam * (0.8707 - 0.131979 * phi2 + phi4 * (-0.013791 + phi4 * (0.003971 * phi2 - 0.001529 * phi4)))
    y = phi * (1.007226 + phi2 * (0.015085 + phi4 * (-0.044475 + 0.028874 * phi2 - 0.005916 * phi4)))
    return x, y


_X_EXTENT = natural_earth(180.0, 0.0)[0]
_SCALE = WIDTH / (2 * _X_EXTENT)
_TOP = natural_earth(0.0, NORTH)[1]
#: Height of the map in SVG units.
HEIGHT = round((_TOP - natural_earth(0.0, SOUTH)[1]) * _SCALE, 1)


def project(lon: float, lat: float) -> tuple[float, float]:
    """A longitude and latitude (degrees) as x, y on the map (SVG units, y down); latitudes outside the
    crop are clamped to its edges."""
    lat = min(max(lat, SOUTH), NORTH)
    x, y = natural_earth(min(max(lon, -180.0), 180.0), lat)
    return WIDTH / 2 + x * _SCALE, (_TOP - y) * _SCALE


# ---------------------------------------------------------------- points


def corroboration(item: dict[str, Any]) -> int:
    """How many distinct outlets reported an event (1 for a per-article event)."""
    return max(1, int(item.get("sources") or 1))


def radius(sources: int) -> float:
    """A circle's radius: its area grows with the number of outlets, 4 units for one, at most 18."""
    return round(min(18.0, 4.0 * math.sqrt(sources)), 2)


def spread(count: int, step: float = 7.0) -> list[tuple[float, float]]:
    """Offsets of `count` points sharing one place: the first at the place, the others on a sunflower
    spiral around it (even spacing, deterministic)."""
    return [
        (step * math.sqrt(k) * math.cos(k * _GOLDEN_ANGLE), step * math.sqrt(k) * math.sin(k * _GOLDEN_ANGLE))
        for k in range(count)
    ]


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _label(item: dict[str, Any]) -> str:
    def name(actor: dict[str, Any] | None) -> str:
        return (actor or {}).get("name") or (actor or {}).get("text") or "—"

    place = item["location"]["text"] or item["location"]["country"] or "?"
    outlets = f"{_count(corroboration(item), 'outlet')}, {_count(item['mentions'], 'report')}"
    when = item["date"] or "undated"
    return f"{name(item['source'])} → {item['plover']} → {name(item['target'])}, {place}, {when} ({outlets})"


def placed_points(items: Sequence[dict[str, Any]]) -> list[tuple[dict[str, Any], float, float]]:
    """Each event with its x, y on the map; events sharing a place are spread around it, the most
    corroborated nearest."""
    by_place: dict[tuple[float, float], list[dict[str, Any]]] = defaultdict(list)
    for item in items:
        location = item["location"]
        by_place[project(location["lon"], location["lat"])].append(item)
    placed = []
    for (x, y), group in by_place.items():
        group.sort(key=lambda item: (-corroboration(item), item["event_id"]))
        for item, (dx, dy) in zip(group, spread(len(group)), strict=True):
            placed.append((item, round(x + dx, 1), round(y + dy, 1)))
    # Big circles first, so that smaller ones stay on top and clickable.
    placed.sort(key=lambda point: (-corroboration(point[0]), point[0]["event_id"]))
    return placed


def map_svg(items: Sequence[dict[str, Any]], link_for: Callable[[dict[str, Any]], str]) -> str:
    """The map as an SVG element: the base map as an image, one linked circle per event."""
    parts = [
        f'<svg class="worldmap" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH:g} {HEIGHT:g}" '
        f'role="img" aria-label="Events on a world map">',
        f'<image href="{BASE_MAP_URL}" x="0" y="0" width="{WIDTH:g}" height="{HEIGHT:g}"/>',
        '<g class="points" stroke="#ffffff" stroke-width="1" fill-opacity="0.85">',
    ]
    for item, x, y in placed_points(items):
        colour = QUAD_COLOURS.get(item["quad_class"], "#888888")
        parts.append(
            f'<a href="{escape(link_for(item))}"><circle class="event q{item["quad_class"]}" '
            f'cx="{x:g}" cy="{y:g}" r="{radius(corroboration(item)):g}" fill="{colour}" '
            f'data-event-id="{escape(item["event_id"])}"><title>{escape(_label(item))}</title></circle></a>'
        )
    parts.append("</g></svg>")
    return "".join(parts)


def legend() -> dict[str, list[dict[str, Any]]]:
    """The map's key: each quad class with its colour, and the circle sizes of 1, 3 and 10 outlets."""
    return {
        "colours": [{"name": QUAD_NAMES[quad], "colour": QUAD_COLOURS[quad]} for quad in sorted(QUAD_NAMES)],
        "sizes": [{"sources": sources, "radius": radius(sources)} for sources in (1, 3, 10)],
    }
