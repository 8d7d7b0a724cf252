"""Records as table rows: columns, record → row and row → record, all derived from records.py.

`columns(Event)` is the `sa.Column` list of a record's stored leaves (`eventwire.record_fields.leaves`):
nested records are inlined under their prefix (`source_text`, `date_precision`), a field's type gives
the column type and whether it may be NULL. `to_row` and `from_row` convert with the same leaves,
so a field added to a record is stored and read back with no other edit than a migration.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from eventwire.record_fields import Leaf, flat_values, from_flat, leaves
from eventwire.records import CanonicalEvent

_SQL_TYPES: dict[type, Any] = {
    str: sa.String,
    int: sa.Integer,
    float: sa.Float,
    bool: sa.Boolean,
    dt.date: sa.Date,
    list: sa.JSON,
    dict: sa.JSON,
}


def sql_type(leaf: Leaf) -> Any:
    """The portable column type of a leaf: free text is TEXT, other strings VARCHAR."""
    if leaf.type is str and leaf.spec.long:
        return sa.Text
    return _SQL_TYPES[leaf.type]


def columns(record: type, foreign_keys: Mapping[str, str] | None = None) -> list[sa.Column]:
    """The columns of a record's stored leaves; `foreign_keys` maps a column to the column it references."""
    references = foreign_keys or {}
    out = []
    for leaf in leaves(record):
        extra = [sa.ForeignKey(references[leaf.name], ondelete="CASCADE")] if leaf.name in references else []
        out.append(
            sa.Column(
                leaf.name,
                sql_type(leaf),
                *extra,
                primary_key=leaf.spec.key,
                nullable=leaf.nullable and not leaf.spec.key,
            )
        )
    return out


def _stored(leaf: Leaf, value: Any) -> Any:
    """A record value as the database takes it: plain float/int/bool, a date without time, "" as NULL."""
    if value is None or (leaf.spec.empty_as_null and value == ""):
        return None
    if leaf.type is dt.date and isinstance(value, dt.datetime):
        return value.date()
    if leaf.type in (float, int, bool):
        return leaf.type(value)
    return value


def to_row(record: Any, record_type: type | None = None) -> dict[str, Any]:
    """The row of a record's stored leaves (add the columns that are not fields: ids of parents, positions)."""
    cls = record_type or type(record)
    values = flat_values(record, cls)
    return {leaf.name: _stored(leaf, values[leaf.name]) for leaf in leaves(cls)}


def from_row(row: Mapping[str, Any], record_type: type, prefix: str = "", **given: Any) -> Any:
    """The record stored in a row (columns named `prefix` + leaf name); fields not stored come from `given`."""
    flat = {leaf.name: row[prefix + leaf.name] for leaf in leaves(record_type)}
    return from_flat(flat, record_type, **given)


def column_names(record: type) -> tuple[str, ...]:
    """The column names of a record's stored leaves."""
    return tuple(leaf.name for leaf in leaves(record))


def canonical_id(canonical: CanonicalEvent) -> str:
    """A canonical event's own id, derived from the per-article events merged into it."""
    members = sorted(canonical.member_event_ids) or [canonical.event.event_id]
    return "ce-" + hashlib.sha1("|".join(members).encode("utf-8")).hexdigest()[:16]


def canonical_row(canonical: CanonicalEvent) -> dict[str, Any]:
    """The canonical_events row of a canonical event: its event's leaves under the canonical id."""
    return {**to_row(canonical), "event_id": canonical_id(canonical)}
