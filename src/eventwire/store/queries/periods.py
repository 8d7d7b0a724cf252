"""Period arithmetic of timelines (day, ISO week, month, year) and per-period rows to buckets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, Literal

Period = Literal["day", "week", "month", "year"]
PERIODS: tuple[str, ...] = ("day", "week", "month", "year")


def period_start(day: dt.date, period: str) -> dt.date:
    """First day of the period (day, ISO week, month, year) holding `day`."""
    if period == "week":
        return day - dt.timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    if period == "year":
        return day.replace(month=1, day=1)
    return day


def period_end(start: dt.date, period: str) -> dt.date:
    """Last day of the period that begins on `start`."""
    if period == "week":
        return start + dt.timedelta(days=6)
    if period == "month":
        following = start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1, day=1)
        return following - dt.timedelta(days=1)
    if period == "year":
        return start.replace(month=12, day=31)
    return start


def period_label(start: dt.date, period: str) -> str:
    """Human label of a period: 2023-05-24, 2023-W21, 2023-05, 2023."""
    if period == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if period == "month":
        return start.strftime("%Y-%m")
    if period == "year":
        return str(start.year)
    return start.isoformat()


#: (period start 'YYYY-MM-DD' or '' for undated, q1, q2, q3, q4, events, Goldstein sum)
PeriodRow = tuple[str, int, int, int, int, int, float]


def _period_end_text(start: str, period: str) -> str:
    if period == "day":
        return start
    if period == "year":
        return f"{start[:4]}-12-31"
    return period_end(dt.date.fromisoformat(start), period).isoformat()


def _period_label_text(start: str, period: str) -> str:
    if period == "month":
        return start[:7]
    if period == "year":
        return start[:4]
    return period_label(dt.date.fromisoformat(start), period) if period == "week" else start


def bucket_rows(rows: Iterable[PeriodRow], period: str) -> tuple[list[dict[str, Any]], int]:
    """Per-period rows (in date order) → timeline buckets, and the number of undated events."""
    buckets, undated = [], 0
    for first, q1, q2, q3, q4, n, goldstein in rows:
        if not first:
            undated += n
            continue
        buckets.append(
            {
                "start": first,
                "end": _period_end_text(first, period),
                "label": _period_label_text(first, period),
                "q1": q1,
                "q2": q2,
                "q3": q3,
                "q4": q4,
                "events": n,
                "goldstein": round(goldstein, 3),
            }
        )
    return buckets, undated
