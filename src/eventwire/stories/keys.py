"""Identity keys shared by clustering, date inference and event merging.

An actor's key is its knowledge-base id when resolved, else its canonical name, else
its country and sector; a dyad key joins two actor keys with the PLOVER type, in
sorted order for symmetric types (A consults B is B consults A). Dates compare as
intervals: a day, a month or a year, so "May 2023" is compatible with 2023-05-24.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from eventwire.records import ActorRef, DateValue, Event

#: PLOVER types where source and target play the same role.
SYMMETRIC_PLOVER = frozenset({"CONSULT", "COOPERATE"})
#: Date methods that state when an event happened (not a fallback).
STATED_DATE_METHODS = frozenset({"explicit", "relative"})
#: Date methods that mean "no date, on purpose".
UNDATEABLE_METHODS = frozenset({"background", "future"})
PRECISION_RANK = {"day": 3, "month": 2, "year": 1, "unknown": 0}
METHOD_RANK = {"explicit": 4, "relative": 3, "inferred": 2, "publication": 1}

_SPACES = re.compile(r"\s+")


def normalise_name(text: str) -> str:
    """Lower-case, single-spaced, without leading articles or possessives."""
    text = _SPACES.sub(" ", text.strip().lower())
    text = re.sub(r"^(the|a|an)\s+", "", text)
    return re.sub(r"['’]s$", "", text)


def actor_key(ref: ActorRef | None) -> str | None:
    """The most specific identity of an actor: id, then name, then country/sector, then text."""
    if ref is None:
        return None
    if ref.kind == "country" or (ref.actor_id or "").startswith("country:"):
        return f"cty:{ref.country or ref.actor_id}:"
    if ref.actor_id:
        return f"id:{ref.actor_id}"
    if ref.name:
        return f"name:{normalise_name(ref.name)}"
    if ref.country:
        return f"cty:{ref.country}:{ref.sector or ''}"
    text = normalise_name(ref.text)
    return f"text:{text}" if text else None


def is_country_key(key: str) -> bool:
    """Country-level actors are too common to identify a story on their own."""
    return key.startswith("cty:")


def actor_pair(event: Event) -> tuple[str, str] | None:
    """(source, target) keys of an event, sorted when its PLOVER type is symmetric."""
    source = actor_key(event.source)
    target = actor_key(event.target)
    if source is None or target is None:
        return None
    if event.code.plover in SYMMETRIC_PLOVER and target < source:
        return target, source
    return source, target


def dyad_key(event: Event) -> str | None:
    """`source|target|PLOVER`, or None for events without both sides."""
    pair = actor_pair(event)
    return f"{pair[0]}|{pair[1]}|{event.code.plover}" if pair else None


def same_actors(a: Event, b: Event) -> bool:
    """Same source and target (in either order when either event is symmetric)."""
    sa, ta = actor_key(a.source), actor_key(a.target)
    sb, tb = actor_key(b.source), actor_key(b.target)
    if sa is None or sb is None:
        return False
    if (sa, ta) == (sb, tb):
        return True
    return _symmetric(a, b) and ta is not None and (sa, ta) == (tb, sb)


def unordered_pair(event: Event) -> frozenset[str] | None:
    """Both actor keys regardless of role (for loose matching across PLOVER types)."""
    source, target = actor_key(event.source), actor_key(event.target)
    if source is None or target is None:
        return None
    return frozenset((source, target))


def _symmetric(a: Event, b: Event) -> bool:
    return a.code.plover in SYMMETRIC_PLOVER or b.code.plover in SYMMETRIC_PLOVER


def date_interval(value: DateValue | None) -> tuple[dt.date, dt.date] | None:
    """The days a date value can stand for: one day, a whole month or a whole year."""
    if value is None or value.date is None:
        return None
    day = value.date
    if value.precision == "month":
        last = calendar.monthrange(day.year, day.month)[1]
        return day.replace(day=1), day.replace(day=last)
    if value.precision == "year":
        return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    return day, day


def interval_gap(a: tuple[dt.date, dt.date], b: tuple[dt.date, dt.date]) -> int:
    """Days between two intervals (0 when they overlap)."""
    if a[1] < b[0]:
        return (b[0] - a[1]).days
    if b[1] < a[0]:
        return (a[0] - b[1]).days
    return 0


def dates_compatible(a: DateValue | None, b: DateValue | None, tolerance_days: int = 1) -> bool:
    """True when both dates can be the same day within `tolerance_days` (undated is compatible)."""
    ia, ib = date_interval(a), date_interval(b)
    if ia is None or ib is None:
        return True
    return interval_gap(ia, ib) <= tolerance_days


def date_specificity(value: DateValue | None) -> tuple[int, int]:
    """Sort key: more precise first, then stated before inferred before publication."""
    if value is None or value.date is None:
        return (0, 0)
    return PRECISION_RANK.get(value.precision, 0), METHOD_RANK.get(value.method, 0)
