"""A view's rows as a streamed download: CSV or JSON Lines, written a chunk of rows at a time.

The rows are those of `eventwire export events` and so are the columns: CSV flattens them as
`eventwire.store.export` does (contract columns first, `source.name`-style dotted columns, lists
as JSON text beside a count column), JSON Lines keeps each row as it is. Nothing holds the whole
result: the rows come from a server-side cursor and each chunk is sent as soon as it is written.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from collections.abc import Iterable, Iterator
from typing import Any, Literal

from fastapi.responses import StreamingResponse

from eventwire.store.export import CONTRACTS, flatten_row

DownloadFormat = Literal["csv", "jsonl"]
MEDIA_TYPES: dict[str, str] = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8"}
#: Rows written per chunk sent.
CHUNK_ROWS = 200


def contract_columns(kind: str = "events") -> list[str]:
    """The CSV columns of a row contract, in its order: nested objects dotted, lists with a count column."""
    columns: list[str] = []
    for key, nested in CONTRACTS[kind].items():
        if nested:
            columns += [f"{key}.{sub}" for sub in nested]
        elif key == "mentions":
            columns += ["mentions", "mention_count"]
        else:
            columns.append(key)
    return columns


def csv_columns(first: dict[str, Any] | None, kind: str = "events") -> list[str]:
    """The contract's columns, then the columns of fields outside it (a canonical event's story_id …)."""
    columns = contract_columns(kind)
    contract = CONTRACTS[kind]
    extra = [column for column in flatten_row(first or {}) if column not in columns and column not in contract]
    return columns + extra


def _chunks(rows: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, CHUNK_ROWS)):
        yield chunk


def csv_text(rows: Iterable[dict[str, Any]], kind: str = "events") -> Iterator[str]:
    """CSV text of `rows`, header first, one chunk of rows at a time."""
    iterator = iter(rows)
    first = next(iterator, None)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=csv_columns(first, kind), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for chunk in _chunks(itertools.chain([first] if first else [], iterator)):
        writer.writerows(flatten_row(row) for row in chunk)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def jsonl_text(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """JSON Lines of `rows`, one chunk of rows at a time."""
    for chunk in _chunks(rows):
        yield "".join(json.dumps(row, ensure_ascii=False, default=str) + "\n" for row in chunk)


def download(rows: Iterable[dict[str, Any]], fmt: DownloadFormat, filename: str) -> StreamingResponse:
    """A streamed response of `rows` as `fmt`, offered for saving as `filename`.`fmt`."""
    body = csv_text(rows) if fmt == "csv" else jsonl_text(rows)
    headers = {"Content-Disposition": f'attachment; filename="{filename}.{fmt}"'}
    return StreamingResponse(body, media_type=MEDIA_TYPES[fmt], headers=headers)
