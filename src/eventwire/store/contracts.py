"""Output contracts (docs/schema.md) of stored rows, derived from the records' declaration in records.py.

The exports and the API shape rows with these helpers, so a record's export object has one definition:
its fields (`eventwire.record_fields.contract`), in the documented key order of the record's `EXPORT_ORDER`.
Nested records are objects (`source`, `speaker`, `attributed_to`: text, name, country, sector, code),
dates are ISO strings, list fields come from their own tables.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

import sqlalchemy as sa

from eventwire.record_fields import contract, shape
from eventwire.records import ActorRef, Article, CanonicalEvent, Claim, Event, Failure, Mention, Quote
from eventwire.store.rows import column_names


def iso(value: dt.date | None) -> str | None:
    """A date as YYYY-MM-DD, or None."""
    return value.isoformat() if value is not None else None


def iso_utc(value: dt.datetime | None) -> str | None:
    """A timestamp as ISO 8601 in UTC (SQLite hands them back without a zone)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat()


#: The fields of an actor object in every output (exports, API): text, name, country, sector, code.
ACTOR_FIELDS: tuple[str, ...] = tuple(shape(ActorRef, "core"))


class Prefixed(Mapping[str, Any]):
    """A row's columns named `prefix` + name, seen by name (mention columns joined to their event as `m_*`)."""

    def __init__(self, row: Mapping[str, Any], prefix: str) -> None:
        self.row, self.prefix = row, prefix

    def __getitem__(self, key: str) -> Any:
        return self.row[self.prefix + key]

    def __iter__(self) -> Iterator[str]:
        return (key[len(self.prefix) :] for key in self.row if key.startswith(self.prefix))

    def __len__(self) -> int:
        return sum(1 for _ in self)


def actor_json(row: Mapping[str, Any], role: str) -> dict[str, Any] | None:
    """The actor object (text, name, country, sector, code) of a `{role}_*` column group, or None."""
    if row[f"{role}_text"] is None:
        return None
    return {name: row[f"{role}_{name}"] for name in ACTOR_FIELDS}


def mention_columns(table: sa.Table, prefix: str = "m_") -> list[sa.ColumnElement[Any]]:
    """A mentions table's record columns, labelled `prefix` + name for `mention_json` (joined to events)."""
    return [table.c[name].label(prefix + name) for name in column_names(Mention)]


def mention_json(row: Mapping[str, Any], prefix: str = "m_") -> dict[str, Any]:
    """The mention object of the `prefix`-labelled mention columns of a row (`mention_columns`)."""
    return contract(Prefixed(row, prefix), Mention, "core")


def event_contract(row: Mapping[str, Any], event_mentions: list[dict[str, Any]]) -> dict[str, Any]:
    """The keys of `Event.to_json()` from an events-shaped row (per-article or canonical)."""
    return contract(row, Event, "core", lists={"mentions": event_mentions})


def event_json(row: Mapping[str, Any], event_mentions: list[dict[str, Any]]) -> dict[str, Any]:
    """A stored event's export object: the event contract, then article_id, predicate and date_method."""
    return contract(row, Event, lists={"mentions": event_mentions}, extras={"article_id": row["article_id"]})


def canonical_event_json(row: Mapping[str, Any], event_mentions: list[dict[str, Any]]) -> dict[str, Any]:
    """A canonical event's export object: the event contract, story_id, sources, predicate, date_method, members."""
    return contract(row, CanonicalEvent, lists={"mentions": event_mentions})


def article_json(row: Mapping[str, Any], removed: list[dict[str, str]]) -> dict[str, Any]:
    """An article's export object (its removed lines given)."""
    return contract(row, Article, lists={"removed": removed})


def claim_json(row: Mapping[str, Any], **extras: Any) -> dict[str, Any]:
    """A claim's export object, its speaker an actor object (text, name, country) or None.

    `extras` are the keys that are not claim fields: outlet, story_id, group_id, status, note.
    """
    return contract(row, Claim, extras=extras)


def quote_json(row: Mapping[str, Any]) -> dict[str, Any]:
    """A quotation's export object with its speaker (an actor object or None)."""
    return contract(row, Quote)


def failure_json(row: Mapping[str, Any]) -> dict[str, Any]:
    """A recorded failure's export object."""
    extras = {"id": row["id"], "run_id": row["run_id"], "created_at": iso_utc(row["created_at"])}
    return contract(row, Failure, extras=extras)
