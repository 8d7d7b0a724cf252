"""How records are stored and exported, read from their one declaration in records.py.

A record field may carry a `Spec` in its dataclass metadata (`spec(...)`): its column name, whether it
is free text, whether it is stored or exported. From the fields and their types, `leaves` gives a
record's flat columns (nested records inlined under a prefix: `source_text`, `date_precision`), and
`contract` builds its export object from such a flat mapping (a table row, or `flat_values` of a record):
nested records become objects (`source`) unless flat (`plover`), lists come from their own tables.
Nothing here knows SQL: `eventwire.store.rows` maps leaves to columns.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

#: The key of a field's `Spec` in its dataclass metadata.
SPEC_KEY = "eventwire"
#: Export levels: "core" is a record's own `to_json`, "stored" adds what exports of stored records carry.
Level = Literal["core", "stored"]


@dataclass(frozen=True)
class Spec:
    """How one field is stored and exported (the defaults fit most fields)."""

    column: str | None = None  # column name instead of the field name ("" inlines under the parent's prefix)
    long: bool = False  # free text (TEXT rather than VARCHAR)
    nullable: bool | None = None  # True: the column allows NULL though the field's type does not
    stored: bool = True  # a column of the record's table (False: kept in a table of its own, or not at all)
    exported: bool | Literal["stored"] = True  # "stored": in exports of stored records, not in `to_json`
    flat: bool = False  # a nested record whose fields are inlined in the export too (no object)
    only: tuple[str, ...] | None = None  # of a nested record: the fields kept
    exclude: tuple[str, ...] = ()  # of a nested record: flat column names not kept
    decimals: int | None = None  # exported rounded to this many decimals
    empty_as_null: bool = False  # "" is stored as NULL (and read back as "")
    key: bool = False  # the primary key of the record's table
    arrow: str | None = None  # Parquet type when not the default of the Python type: int8, int32


_DEFAULT = Spec()


def spec(**options: Any) -> dict[str, Spec]:
    """Dataclass field metadata: `field(metadata=spec(long=True))`."""
    return {SPEC_KEY: Spec(**options)}


def spec_of(field: dataclasses.Field) -> Spec:
    """The field's Spec (the default one when it has none)."""
    return field.metadata.get(SPEC_KEY, _DEFAULT)


@dataclass(frozen=True)
class Leaf:
    """One stored value of a record: its column, where it sits in the record and its type."""

    name: str  # column name, also the key of the value in flat mappings
    path: tuple[str, ...]  # attribute path from the record: ("source", "text")
    type: type  # str, int, float, bool, dt.date, list or dict
    nullable: bool
    spec: Spec


@dataclass(frozen=True)
class Item:
    """One top-level key of a record's export."""

    key: str
    kind: Literal["value", "object", "list"]
    leaf: Leaf | None = None  # value: the leaf it reads
    fields: tuple[tuple[str, Leaf], ...] = ()  # object: (key, leaf) of each exported sub-field
    record: type | None = None  # object or list: the nested record type


def _join(prefix: str, name: str) -> str:
    return f"{prefix}_{name}" if prefix and name else prefix or name


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def base_type(hint: Any) -> tuple[Any, bool]:
    """(the type without None, whether None is allowed); Literal is its values' type, list[X] is list."""
    optional = False
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        optional = len(args) < len(typing.get_args(hint))
        hint = args[0] if len(args) == 1 else Any
    origin = typing.get_origin(hint)
    if origin is Literal:
        return type(typing.get_args(hint)[0]), optional
    if origin is not None:
        return origin, optional
    return hint, optional


def list_item(cls: type, name: str) -> type | None:
    """The record type of a list field (`mentions: list[Mention]` → Mention), else None."""
    hint = _hints(cls)[name]
    args = typing.get_args(hint) if typing.get_origin(hint) is list else ()
    return args[0] if args and dataclasses.is_dataclass(args[0]) else None


@cache
def leaves(cls: type) -> tuple[Leaf, ...]:
    """The stored leaves of a record class, in field order, nested records inlined."""
    return tuple(_walk(cls, "", (), False, None, frozenset()))


def _walk(
    cls: type, prefix: str, path: tuple[str, ...], optional: bool, only: tuple[str, ...] | None, exclude: frozenset
) -> Iterator[Leaf]:
    for field in dataclasses.fields(cls):
        field_spec = spec_of(field)
        if not field_spec.stored or (only is not None and field.name not in only):
            continue
        kind, is_optional = base_type(_hints(cls)[field.name])
        name = _join(prefix, field.name if field_spec.column is None else field_spec.column)
        if dataclasses.is_dataclass(kind):
            inner_exclude = exclude | {_join(name, e) if name else e for e in field_spec.exclude}
            inner = (path + (field.name,), optional or is_optional, field_spec.only, frozenset(inner_exclude))
            yield from _walk(kind, name, *inner)
        elif name not in exclude:
            nullable = optional or is_optional or bool(field_spec.nullable) or field_spec.empty_as_null
            yield Leaf(name, path + (field.name,), kind, nullable, field_spec)


def exported(field_spec: Spec, level: Level) -> bool:
    return field_spec.exported is True or (field_spec.exported == "stored" and level == "stored")


@cache
def items(cls: type, level: Level = "stored") -> tuple[Item, ...]:
    """The top-level keys of a record's export, in field order (see `contract` for the documented order)."""
    by_path = {leaf.path: leaf for leaf in leaves(cls)}
    return tuple(_items(cls, (), "", level, by_path))


def _items(cls: type, path: tuple[str, ...], prefix: str, level: Level, by_path: dict) -> Iterator[Item]:
    for field in dataclasses.fields(cls):
        field_spec = spec_of(field)
        if not exported(field_spec, level):
            continue
        kind, _ = base_type(_hints(cls)[field.name])
        here = path + (field.name,)
        key = _join(prefix, field.name if field_spec.column is None or not prefix else field_spec.column)
        if dataclasses.is_dataclass(kind) and field_spec.flat:
            inner_prefix = _join(prefix, field.name if field_spec.column is None else field_spec.column)
            yield from _items(kind, here, inner_prefix, level, by_path)
        elif dataclasses.is_dataclass(kind):
            subs = tuple(
                (sub.name, by_path[here + (sub.name,)])
                for sub in dataclasses.fields(kind)
                if exported(spec_of(sub), level) and here + (sub.name,) in by_path
            )
            yield Item(key, "object", fields=subs, record=kind)
        elif kind is list and list_item(cls, field.name) is not None:
            yield Item(key, "list", record=list_item(cls, field.name))
        elif here in by_path:
            yield Item(key, "value", leaf=by_path[here])


def export_order(cls: type) -> tuple[str, ...]:
    """The documented key order of a record's export (`EXPORT_ORDER`); other keys follow in field order."""
    return getattr(cls, "EXPORT_ORDER", ())


def ordered(keys: list[str], order: tuple[str, ...]) -> list[str]:
    """`keys` in `order`, keys it does not name last (in their own order)."""
    rank = {key: i for i, key in enumerate(order)}
    return sorted(keys, key=lambda key: (rank.get(key, len(rank)), keys.index(key)))


def _json_value(value: Any, leaf: Leaf) -> Any:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if leaf.spec.decimals is not None:
        return round(value, leaf.spec.decimals)
    return value


def _object(flat: Mapping[str, Any], item: Item) -> dict[str, Any] | None:
    present = next((leaf for _, leaf in item.fields if not _inner_nullable(leaf, item)), item.fields[0][1])
    if flat[present.name] is None:
        return None
    return {key: _json_value(flat[leaf.name], leaf) for key, leaf in item.fields}


def _inner_nullable(leaf: Leaf, item: Item) -> bool:
    """Whether the sub-field may be None inside a present object (its own type allows None)."""
    field = next(f for f in dataclasses.fields(item.record) if f.name == leaf.path[-1])
    return base_type(_hints(item.record)[field.name])[1]


def contract(
    flat: Mapping[str, Any],
    cls: type,
    level: Level = "stored",
    lists: Mapping[str, list[Any]] | None = None,
    extras: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The export object of a record from its flat values (a table row or `flat_values`), in the documented order.

    `lists` gives the list fields (kept in tables of their own), `extras` keys that are not fields.
    """
    out: dict[str, Any] = {}
    for item in items(cls, level):
        if item.kind == "value":
            out[item.key] = _json_value(flat[item.leaf.name], item.leaf)
        elif item.kind == "object":
            out[item.key] = _object(flat, item)
        else:
            out[item.key] = (lists or {}).get(item.key, [])
    out.update(extras or {})
    return {key: out[key] for key in ordered(list(out), export_order(cls))}


def shape(cls: type, level: Level = "stored", extras: tuple[str, ...] = ()) -> dict[str, tuple[str, ...] | None]:
    """Top-level export keys in order, each with its object's sub-keys (None for values and lists)."""
    found: dict[str, tuple[str, ...] | None] = {}
    for item in items(cls, level):
        found[item.key] = tuple(key for key, _ in item.fields) if item.kind == "object" else None
    found.update((key, None) for key in extras)
    return {key: found[key] for key in ordered(list(found), export_order(cls))}


def flat_values(record: Any, cls: type | None = None) -> dict[str, Any]:
    """A record's stored leaves by column name, as they are (None below a missing nested record)."""
    values = {}
    for leaf in leaves(cls or type(record)):
        value = record
        for name in leaf.path:
            value = getattr(value, name) if value is not None else None
        values[leaf.name] = value
    return values


def from_flat(flat: Mapping[str, Any], cls: type, **given: Any) -> Any:
    """The record of class `cls` from its flat values; fields not stored come from `given` or their defaults.

    A nested optional record is None when its first non-nullable value is None (an actor without text).
    """
    tree: dict[tuple[str, ...], Any] = {}
    for leaf in leaves(cls):
        value = flat[leaf.name]
        if leaf.spec.empty_as_null and value is None:
            value = ""
        tree[leaf.path] = value
    return _build(cls, (), tree, given)


@cache
def _nested_paths(cls: type) -> frozenset[tuple[str, ...]]:
    """Paths of the nested records that have stored leaves."""
    return frozenset(leaf.path[:i] for leaf in leaves(cls) for i in range(1, len(leaf.path)))


def _build(
    cls: type, path: tuple[str, ...], tree: dict[tuple[str, ...], Any], given: dict[str, Any], root: type | None = None
) -> Any:
    root = root or cls
    kwargs = dict(given) if not path else {}
    for field in dataclasses.fields(cls):
        here = path + (field.name,)
        kind, optional = base_type(_hints(cls)[field.name])
        if dataclasses.is_dataclass(kind) and here in _nested_paths(root):
            nested = _build(kind, here, tree, {}, root)
            kwargs[field.name] = None if optional and _absent(kind, here, tree) else nested
        elif here in tree:
            kwargs[field.name] = tree[here]
    return cls(**kwargs)


def _absent(cls: type, path: tuple[str, ...], tree: dict[tuple[str, ...], Any]) -> bool:
    """Whether a nested optional record is missing: its first stored non-optional value is None."""
    for field in dataclasses.fields(cls):
        here = path + (field.name,)
        if here in tree and not base_type(_hints(cls)[field.name])[1]:
            return tree[here] is None
    return all(value is None for p, value in tree.items() if p[: len(path)] == path)
