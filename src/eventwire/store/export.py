"""Writing rows (event, article or failure dicts) as JSON Lines, CSV or Parquet, streaming.

JSONL keeps each dict as is. CSV flattens nested objects into dotted columns
(`source.name`) and stores lists as a JSON string column plus a count column
(`mentions` → `mention_count`). Parquet keeps nested structs and lists, with a fixed
schema for the known row shapes, written in row groups of `PARQUET_ROW_GROUP` rows.
Column sets are stable: they come from the known contracts, not from the first row.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal

from eventwire.record_fields import Item, items, ordered, shape
from eventwire.records import Article, Event, Failure

if TYPE_CHECKING:
    import pyarrow as pa

Format = Literal["jsonl", "csv", "parquet"]
RowKind = Literal["events", "articles", "failures"]
FORMATS: tuple[str, ...] = ("jsonl", "csv", "parquet")
PARQUET_ROW_GROUP = 10_000
#: Rows looked at to find extra (non-contract) columns for CSV and generic Parquet.
_LOOKAHEAD = 1000

#: The record each known row shape exports, and the keys its rows carry that are not record fields.
SHAPES: dict[str, tuple[type, tuple[str, ...]]] = {
    "events": (Event, ("article_id",)),
    "articles": (Article, ()),
    "failures": (Failure, ("id", "run_id", "created_at")),
}
#: Python types of those keys (for the Parquet schema).
_EXTRA_TYPES: dict[str, type] = {"article_id": str, "id": int, "run_id": str, "created_at": dt.datetime}

#: Top-level fields of each known row shape; nested ones map to their sub-fields (derived from records.py).
CONTRACTS: dict[str, dict[str, tuple[str, ...] | None]] = {
    kind: shape(record, extras=extras) for kind, (record, extras) in SHAPES.items()
}


class ExportError(ValueError):
    """The rows cannot be written as asked (unknown format, binary output to a terminal, ...)."""


def detect_kind(row: dict[str, Any]) -> RowKind | None:
    """Which known contract a row follows, from its keys."""
    if "event_id" in row and "mentions" in row:
        return "events"
    if "article_id" in row and "removed" in row:
        return "articles"
    if {"stage", "message", "source"} <= row.keys():
        return "failures"
    return None


def write_rows(
    rows: Iterable[dict[str, Any]],
    fmt: Format,
    out: IO[bytes] | IO[str] | str | Path,
    kind: RowKind | None = None,
) -> int:
    """Write `rows` as `fmt` to a path, "-" (stdout) or an open stream; return the row count.

    `kind` names the row shape (events, articles, failures); by default it is detected
    from the first row. Parquet is refused on a terminal.
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    iterator = iter(rows)
    first = next(iterator, None)
    if first is not None:
        iterator = itertools.chain([first], iterator)
        kind = kind or detect_kind(first)
    if fmt == "parquet":
        with _binary_output(out) as stream:
            return _write_parquet(iterator, stream, kind)
    with _text_output(out) as stream:
        if fmt == "jsonl":
            return _write_jsonl(iterator, stream)
        return _write_csv(iterator, stream, kind)


# ---------------------------------------------------------------- outputs


def _is_terminal(stream: Any) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _is_binary(stream: Any) -> bool:
    if isinstance(stream, io.TextIOBase):
        return False
    return isinstance(stream, io.RawIOBase | io.BufferedIOBase) or "b" in getattr(stream, "mode", "")


@contextmanager
def _text_output(out: IO[bytes] | IO[str] | str | Path) -> Iterator[IO[str]]:
    """A UTF-8 text stream for `out`, closed afterwards only if opened here."""
    if isinstance(out, str | Path) and str(out) != "-":
        with open(out, "w", encoding="utf-8", newline="") as stream:
            yield stream
        return
    target: Any = sys.stdout if str(out) == "-" else out
    if not _is_binary(target):
        yield target
        target.flush()
        return
    wrapper = io.TextIOWrapper(target, encoding="utf-8", newline="")
    try:
        yield wrapper
        wrapper.flush()
    finally:
        wrapper.detach()


@contextmanager
def _binary_output(out: IO[bytes] | IO[str] | str | Path) -> Iterator[IO[bytes]]:
    """A binary stream for `out`; stdout only when it is not a terminal."""
    if isinstance(out, str | Path) and str(out) != "-":
        with open(out, "wb") as stream:
            yield stream
        return
    target: Any = sys.stdout if str(out) == "-" else out
    if _is_terminal(target):
        raise ExportError("refusing to write binary Parquet to a terminal: redirect the output or give a file")
    if isinstance(target, io.TextIOBase):
        if not hasattr(target, "buffer"):
            raise ExportError("Parquet needs a binary stream, got a text stream")
        target.flush()
        target = target.buffer
    yield target
    target.flush()


# ---------------------------------------------------------------- JSON Lines


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def _write_jsonl(rows: Iterable[dict[str, Any]], stream: IO[str]) -> int:
    count = 0
    for row in rows:
        stream.write(json.dumps(row, ensure_ascii=False, default=_json_default))
        stream.write("\n")
        count += 1
    return count


# ---------------------------------------------------------------- CSV


def _count_column(name: str) -> str:
    """Name of the count column for a list field: mentions → mention_count, removed → removed_count."""
    return f"{name[:-1] if name.endswith('s') else name}_count"


def _flat_columns(key: str, value: Any, nested: tuple[str, ...] | None = None) -> list[str]:
    if nested is not None or isinstance(value, dict):
        return [f"{key}.{sub}" for sub in (nested or value.keys())]
    if isinstance(value, list):
        return [key, _count_column(key)]
    return [key]


def _csv_columns(kind: RowKind | None, sample: list[dict[str, Any]]) -> list[str]:
    """Contract columns first (stable whatever the data), then extra keys seen in `sample`."""
    columns: list[str] = []
    contract = CONTRACTS.get(kind or "", {})
    for key, nested in contract.items():
        if key in ("mentions", "removed"):
            columns += [key, _count_column(key)]
        else:
            columns += _flat_columns(key, None, nested)
    for row in sample:
        for key, value in row.items():
            if key in contract:
                continue
            columns += [c for c in _flat_columns(key, value) if c not in columns]
    return columns


def flatten_row(row: dict[str, Any]) -> dict[str, Any]:
    """One CSV record: nested dicts as dotted keys, lists as JSON text plus a count."""
    flat: dict[str, Any] = {}
    for key, value in row.items():
        if isinstance(value, dict):
            flat.update({f"{key}.{sub}": v for sub, v in value.items()})
        elif isinstance(value, list):
            flat[key] = json.dumps(value, ensure_ascii=False, default=_json_default)
            flat[_count_column(key)] = len(value)
        elif isinstance(value, dt.date):
            flat[key] = value.isoformat()
        else:
            flat[key] = value
    return flat


def _write_csv(rows: Iterator[dict[str, Any]], stream: IO[str], kind: RowKind | None) -> int:
    sample = list(itertools.islice(rows, _LOOKAHEAD))
    writer = csv.DictWriter(stream, fieldnames=_csv_columns(kind, sample), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    count = 0
    for row in itertools.chain(sample, rows):
        writer.writerow(flatten_row(row))
        count += 1
    return count


# ---------------------------------------------------------------- Parquet


def parquet_schema(kind: RowKind) -> pa.Schema:
    """The Parquet schema of a known row shape (nested structs and lists kept), from its record's fields."""
    import pyarrow as pa

    record, extras = SHAPES[kind]
    fields = {item.key: _arrow_type(item) for item in items(record)}
    fields.update((key, _ARROW_TYPES[_EXTRA_TYPES[key]]()) for key in extras)
    return pa.schema([(key, fields[key]) for key in ordered(list(fields), record.EXPORT_ORDER)])


#: Parquet types of Python types (a field's `spec(arrow=...)` overrides them).
_ARROW_TYPES: dict[type, Any] = {
    str: lambda: _pa().string(),
    int: lambda: _pa().int64(),
    float: lambda: _pa().float64(),
    bool: lambda: _pa().bool_(),
    dt.date: lambda: _pa().date32(),
    dt.datetime: lambda: _pa().timestamp("us", tz="UTC"),
}


def _pa() -> Any:
    import pyarrow as pa

    return pa


def _leaf_type(leaf: Any) -> pa.DataType:
    return getattr(_pa(), leaf.spec.arrow)() if leaf.spec.arrow else _ARROW_TYPES[leaf.type]()


def _arrow_type(item: Item) -> pa.DataType:
    pa = _pa()
    if item.kind == "value":
        return _leaf_type(item.leaf)
    if item.kind == "object":
        return pa.struct([(key, _leaf_type(leaf)) for key, leaf in item.fields])
    return pa.list_(pa.struct([(sub.key, _arrow_type(sub)) for sub in items(item.record, "core")]))


def _inferred_schema(sample: list[dict[str, Any]]) -> pa.Schema:
    """Schema of rows with no known shape; all-null columns become strings."""
    import pyarrow as pa

    if not sample:
        return pa.schema([])
    inferred = pa.Table.from_pylist(sample).schema
    return pa.schema([pa.field(f.name, pa.string()) if pa.types.is_null(f.type) else f for f in inferred])


def _coerce_for_parquet(row: dict[str, Any], schema: pa.Schema) -> dict[str, Any]:
    """ISO date and timestamp strings to Python values for date/timestamp columns."""
    import pyarrow as pa

    coerced = dict(row)
    for field in schema:
        value = coerced.get(field.name)
        if not isinstance(value, str):
            continue
        if pa.types.is_date(field.type):
            coerced[field.name] = dt.date.fromisoformat(value)
        elif pa.types.is_timestamp(field.type):
            coerced[field.name] = dt.datetime.fromisoformat(value)
    return coerced


def _write_parquet(rows: Iterator[dict[str, Any]], stream: IO[bytes], kind: RowKind | None) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    sample = list(itertools.islice(rows, PARQUET_ROW_GROUP))
    schema = parquet_schema(kind) if kind else _inferred_schema(sample)
    count = 0
    with pq.ParquetWriter(stream, schema, compression="zstd") as writer:
        for batch in _chunks(itertools.chain(sample, rows), PARQUET_ROW_GROUP):
            table = pa.Table.from_pylist([_coerce_for_parquet(r, schema) for r in batch], schema=schema)
            writer.write_table(table)
            count += len(batch)
    return count


def _chunks(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


# ---------------------------------------------------------------- partitioned Parquet

#: How rows are split into partition directories, and the column each reads its date from.
PARTITIONS: dict[str, int] = {"date": 10, "month": 7}
_DATE_FIELDS = {"events": "date", "articles": "published"}
#: Rows buffered across all partitions before the largest buffer is written out.
PARTITION_BUFFER_ROWS = 50_000


def write_partitioned(
    rows: Iterable[dict[str, Any]], out_dir: str | Path, kind: RowKind, by: str = "date"
) -> dict[str, int]:
    """Write hive-style partitioned Parquet (`date=YYYY-MM-DD/part-0.parquet`, or `month=YYYY-MM`).

    Rows without a date go to `date=unknown` (`month=unknown`). When partitioning by date, the
    `date` column is carried by the directory name, not stored in the files (as Hive and Spark
    do), so `pyarrow.dataset`, DuckDB (`hive_partitioning=true`) and pandas read it back as a
    column. Memory is bounded: buffers are flushed as extra `part-N` files when they grow.
    Returns rows written per partition value.
    """
    if by not in PARTITIONS:
        raise ExportError(f"--partition-by {by!r}: choose {' or '.join(PARTITIONS)}")
    if kind not in _DATE_FIELDS:
        raise ExportError(f"{kind} cannot be partitioned by date; partition events or articles")
    root = _partition_root(Path(out_dir), by)
    schema = parquet_schema(kind)
    if by == "date" and kind == "events":
        schema = schema.remove(schema.get_field_index("date"))
    writer = _PartitionWriter(root, by, schema)
    date_field = _DATE_FIELDS[kind]
    for row in rows:
        writer.add(_partition_value(row.get(date_field), PARTITIONS[by]), row)
    writer.flush_all()
    return dict(sorted(writer.counts.items()))


def _partition_value(value: Any, width: int) -> str:
    text = value.isoformat() if isinstance(value, dt.date) else str(value or "")
    return text[:width] if len(text) >= width else "unknown"


def _partition_root(root: Path, by: str) -> Path:
    """The output directory, created; refused if it holds anything but earlier partitions (which are replaced)."""
    import shutil

    root.mkdir(parents=True, exist_ok=True)
    entries = list(root.iterdir())
    foreign = [e.name for e in entries if not (e.is_dir() and e.name.split("=")[0] in PARTITIONS)]
    if foreign:
        raise ExportError(f"{root}: not empty ({', '.join(sorted(foreign)[:3])}); give an empty or new directory")
    for entry in entries:
        shutil.rmtree(entry)
    return root


class _PartitionWriter:
    """Per-partition row buffers written as numbered Parquet files."""

    def __init__(self, root: Path, by: str, schema: pa.Schema) -> None:
        self.root, self.by, self.schema = root, by, schema
        self.buffers: dict[str, list[dict[str, Any]]] = {}
        self.counts: dict[str, int] = {}
        self.files: dict[str, int] = {}
        self.buffered = 0

    def add(self, value: str, row: dict[str, Any]) -> None:
        self.buffers.setdefault(value, []).append(row)
        self.buffered += 1
        if self.buffered >= PARTITION_BUFFER_ROWS:
            self._flush(max(self.buffers, key=lambda key: len(self.buffers[key])))

    def flush_all(self) -> None:
        for value in list(self.buffers):
            self._flush(value)

    def _flush(self, value: str) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        rows = self.buffers.pop(value)
        self.buffered -= len(rows)
        directory = self.root / f"{self.by}={value}"
        directory.mkdir(exist_ok=True)
        number = self.files.get(value, 0)
        self.files[value] = number + 1
        table = pa.Table.from_pylist([_coerce_for_parquet(r, self.schema) for r in rows], schema=self.schema)
        target = directory / f"part-{number}.parquet"
        pq.write_table(table, target, compression="zstd", row_group_size=PARQUET_ROW_GROUP)
        self.counts[value] = self.counts.get(value, 0) + len(rows)
