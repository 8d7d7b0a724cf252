"""The overview's trend: events per ISO week and quad class over the latest weeks of the data."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

import sqlalchemy as sa

from eventwire.store.queries.derived import QUADS
from eventwire.store.queries.layers import Layer
from eventwire.store.queries.periods import PeriodRow, bucket_rows, period_start
from eventwire.store.queries.rows import iso_date

#: Weeks the overview's trend covers, ending with the week of the latest dated event.
TREND_WEEKS = 52


def _as_date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _week_rows(day_rows: list[sa.Row]) -> list[PeriodRow]:
    """(day, quad class, events, Goldstein sum) rows → one row per week, in date order."""
    quads: dict[dt.date, Counter[int]] = defaultdict(Counter)
    goldstein: dict[dt.date, float] = defaultdict(float)
    for day, quad, events, score in day_rows:
        week = period_start(_as_date(day), "week")
        quads[week][quad] += events
        goldstein[week] += float(score or 0.0)
    return [
        (week.isoformat(), *(counts[q] for q in QUADS), sum(counts.values()), goldstein[week])
        for week, counts in sorted(quads.items())
    ]


def weekly_trend(connection: sa.Connection, layer: Layer, weeks: int = TREND_WEEKS) -> dict[str, Any]:
    """Every dated event of the layer (whatever its confidence) per ISO week and quad class, over the
    `weeks` weeks ending with the latest event's week; the timeline buckets of `queries.dyad`."""
    table = layer.events
    latest = connection.execute(sa.select(sa.func.max(table.c.date))).scalar()
    if latest is None:
        return {"period": "week", "start": None, "end": None, "buckets": []}
    first = period_start(_as_date(latest), "week") - dt.timedelta(weeks=weeks - 1)
    query = (
        sa.select(table.c.date, table.c.quad_class, sa.func.count(), sa.func.sum(table.c.goldstein))
        .where(table.c.date >= first)
        .group_by(table.c.date, table.c.quad_class)
    )
    buckets, _ = bucket_rows(_week_rows(list(connection.execute(query))), "week")
    return {"period": "week", "start": iso_date(first), "end": iso_date(latest), "buckets": buckets}
