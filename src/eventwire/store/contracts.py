"""Row → output-contract helpers shared by the store's readers (per-article and canonical events)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa


def iso(value: dt.date | None) -> str | None:
    """A date as YYYY-MM-DD, or None."""
    return value.isoformat() if value is not None else None


#: The fields of an actor object in every output (exports, API).
ACTOR_FIELDS = ("text", "name", "country", "sector", "code")


def actor_json(row: sa.RowMapping, role: str) -> dict[str, Any] | None:
    """The actor object (text, name, country, sector, code) of a `{role}_*` column group, or None."""
    if row[f"{role}_text"] is None:
        return None
    return {name: row[f"{role}_{name}"] for name in ACTOR_FIELDS}


def location_json(row: sa.RowMapping) -> dict[str, Any] | None:
    """The location object of the `location_*` columns, or None."""
    if row["location_text"] is None:
        return None
    return {name: row[f"location_{name}"] for name in ("text", "country", "lat", "lon")}


def event_contract(row: sa.RowMapping, event_mentions: list[dict[str, Any]]) -> dict[str, Any]:
    """The keys of `Event.to_json()` from an events-shaped row (per-article or canonical)."""
    return {
        "event_id": row["event_id"],
        "date": iso(row["date"]),
        "date_precision": row["date_precision"],
        "source": actor_json(row, "source"),
        "target": actor_json(row, "target"),
        "plover": row["plover"],
        "mode": row["mode"],
        "cameo": row["cameo"],
        "goldstein": row["goldstein"],
        "quad_class": row["quad_class"],
        "location": location_json(row),
        "mentions": event_mentions,
        "confidence": round(row["confidence"], 3),
    }


def attribution_columns(table: sa.Table) -> list[sa.ColumnElement[Any]]:
    """A mentions table's attribution columns, labelled `m_attributed_*` for `mention_json`."""
    return [table.c[f"attributed_{name}"].label(f"m_attributed_{name}") for name in ACTOR_FIELDS]


def mention_json(row: sa.RowMapping) -> dict[str, Any]:
    return {
        "article_id": row["m_article_id"],
        "sentence": row["m_sentence"],
        "start": row["m_start"],
        "end": row["m_end"],
        "attributed_to": actor_json(row, "m_attributed"),
    }
